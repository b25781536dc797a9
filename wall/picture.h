/*
 * Picture: the newest frame of one feed, as GL textures.
 *
 * One picture per feed, however many tiles show it: a frame is uploaded
 * once per output frame at most. Textures are reused from frame to frame
 * and reallocated only when the size or format changes.
 *
 * Software frames (YUV420P, YUVJ420P: three planes; NV12: two; RGB0 scaled
 * on the feed thread: one, see decode/scale.h) are copied plane by plane
 * with glTexSubImage2D; the AVFrame is not kept afterwards.
 * VA-API frames are imported without a copy (wall/dmabuf.h); the picture
 * then holds the mapped surface until the next frame has replaced it on
 * the textures (a frame that fails to import or upload leaves it).
 * The colour matrix and offsets for the shader are derived from the
 * frame's matrix (BT.601, BT.709, BT.2020) and range tags at upload.
 *
 * Threads: render thread only (GL).
 */
#ifndef WALL_PICTURE_H
#define WALL_PICTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <GLES3/gl3.h>

#include "decode/scale.h"
#include "wall/dmabuf.h"

struct AVFrame;

struct picture {
    int gles_major;
    bool cpu;                             /* kept in memory for a CPU canvas, no textures */
    struct AVFrame *frame;                /* cpu: the RGB0 picture (owned) */
    struct scaler scaler;                 /* cpu: converts frames that come as Y'CbCr */
    const struct dmabuf_importer *dmabuf; /* NULL: no zero-copy import */
    struct dmabuf_frame hw;               /* the imported surface on show */
    GLuint textures[3];
    int tex_width[3], tex_height[3];
    int n_planes; /* 3 for planar 4:2:0, 2 for NV12, 1 for RGB; 0 before the first upload */
    int format;   /* AVPixelFormat of the textures */
    int width, height;
    double aspect; /* display aspect ratio of the whole picture (sample aspect applied) */
    struct scale_target shows; /* RGB: the part of the picture it holds, at what size */
    float matrix[9];           /* column-major, Y'CbCr -> RGB */
    float offset[3];
    unsigned char *scratch; /* tight copy of a plane when ES 2 cannot stride */
    size_t scratch_size;
};

/* `cpu`: the picture stays in memory as RGB (frames that come as Y'CbCr
 * are converted here, on the render thread: only until the feed delivers
 * RGB for its tile); no GL is used. */
void picture_init(struct picture *pic, int gles_major, const struct dmabuf_importer *dmabuf,
                  bool cpu);
void picture_finish(struct picture *pic);

/* Uploads a native-format frame (see decode/convert.h), or imports a VA-API
 * one. The caller keeps the frame. False when it cannot be shown (the old
 * picture stays); for a VA-API frame the feed should then decode in
 * software (feed_refuse_hardware). */
bool picture_upload(struct picture *pic, const struct AVFrame *frame);

bool picture_valid(const struct picture *pic);

/* Fills matrix (column-major 3x3) and offset for the given AVColorSpace and
 * AVColorRange, picking BT.601 or BT.709 by height when unspecified. */
void picture_colour_matrix(int colorspace, bool full_range, int height, float matrix[9],
                           float offset[3]);

#endif
