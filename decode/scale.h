/*
 * Scale: the "rgb" draw path's work on the feed thread. A decoded picture
 * is cropped, scaled and converted to RGB (AV_PIX_FMT_RGB0) at the size
 * its tile shows it, with libswscale, honouring the frame's colour matrix
 * and range tags (untagged: BT.709 from 720 lines up, BT.601 below, as the
 * shader path decides), so the renderer only copies pixels. This is what
 * ffmpeg's xstack does; on software GL it is far cheaper than converting
 * and filtering every fragment in a shader.
 *
 * The target travels with the frame (scale_frame_target), so the renderer
 * knows which part of the picture, at which size, a frame holds, also when
 * the tile changed in between. The frame's sample aspect ratio is set so
 * that width * SAR / height is the display aspect of what it shows.
 *
 * Embedded in a feed and used only by that feed's thread, except
 * scale_frame_target (any thread that holds the frame).
 */
#ifndef WALL_DECODE_SCALE_H
#define WALL_DECODE_SCALE_H

#include <stdbool.h>

struct AVFrame;
struct SwsContext;

/* Which part of the picture (0..1 of its width and height) to deliver at
 * width x height pixels. width 0: no target (deliver Y'CbCr frames). */
struct scale_target {
    int width, height;
    double x, y, w, h;
};

struct scaler {
    struct SwsContext *sws;    /* crop -> Y'CbCr 4:2:0 at the target size */
    struct SwsContext *to_rgb; /* that -> RGB, unscaled (swscale's SIMD path) */
    struct AVFrame *scaled;    /* between the two; reused */
    struct AVBufferPool *pool; /* RGB pictures: reused, not faulted in anew each frame */
    int pool_size;
    int src_format, src_width, src_height; /* the cropped source `sws` was made for */
    int dst_width, dst_height;
    int colorspace; /* AVColorSpace it was set up with */
    bool full_range;
    bool warned;       /* said once that a format does not scale, or swscale failed */
    const char *label; /* borrowed, for logs */
};

void scaler_init(struct scaler *scaler, const char *label);
void scaler_finish(struct scaler *scaler);

bool scale_target_equal(const struct scale_target *a, const struct scale_target *b);

/* A new RGB0 frame (caller owns) of `src`'s part and size in `target`.
 * `src` is a software frame in any format libswscale reads. NULL on
 * failure (logged once). */
struct AVFrame *scaler_frame(struct scaler *scaler, const struct AVFrame *src,
                             const struct scale_target *target);

/* The target an RGB frame from scaler_frame() was made for; false for any
 * other frame. */
bool scale_frame_target(const struct AVFrame *frame, struct scale_target *out);

/* The AVColorSpace a picture of `height` lines is taken to be in when its
 * frame says none (and the matrix swscale knows it by). */
int scale_colorspace(int colorspace, int height);
/* The pixel format swscale is to be given for `format`: the deprecated
 * full-range "J" formats as their plain twins (the range is set apart,
 * from the frame's tag), so that swscale has nothing to warn about. */
int scale_sws_format(int format);
/* Whether a frame is full range: its range tag when it has one (the feed
 * always tags, see decode/colour.h), else what its pixel format says. */
bool scale_full_range(const struct AVFrame *frame);

#endif
