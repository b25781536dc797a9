/*
 * DMA-BUF import: VA-API surfaces into GL textures without a copy.
 *
 * A decoded VA surface is mapped to DRM PRIME (FFmpeg exports it with
 * vaExportSurfaceHandle: read-only, one layer per plane), and each plane
 * becomes an EGLImage (R8 for luma, GR88 for the interleaved chroma of
 * NV12) bound to a texture with glEGLImageTargetTexture2DOES. The GPU
 * samples the decoder's own memory; nothing passes through system memory.
 *
 * dmabuf_create() probes once, at start-up, whether this EGL and GL can do
 * that (extensions, and the R8/GR88 formats where EGL lists its formats);
 * probe failures are logged at debug level and yield NULL, and the wall
 * then decodes in software. A build without VA-API has the same API and
 * always yields NULL.
 *
 * The surface is synced (vaSyncSurface) before it is exported, so GL
 * never samples a picture the decoder is still writing.
 *
 * Ownership: a dmabuf_frame holds the mapped frame (and with it the VA
 * surface and its DMA-BUF fds) and the EGLImages until the next successful
 * import into it or dmabuf_frame_release(); a failed import leaves it,
 * and the textures bound to it, as they were.
 * Threads: render thread only, with the output's context current.
 */
#ifndef WALL_DMABUF_H
#define WALL_DMABUF_H

#include <stdbool.h>
#include <GLES3/gl3.h>

struct AVFrame;
struct dmabuf_importer;

struct dmabuf_frame {
    struct AVFrame *mapped; /* DRM PRIME mapping of the VA surface */
    void *images[4];        /* EGLImageKHR per plane */
    int n_images;
};

struct dmabuf_importer *dmabuf_create(int gles_major);
void dmabuf_destroy(struct dmabuf_importer *importer);

/* Binds the planes of VA-API `frame` to textures[0..1] (NV12 only), then
 * releases what `held` held before and holds the new frame. False when
 * the frame cannot be imported (logged at debug): `held` and the textures
 * keep the previous picture, and the caller falls back to software. */
bool dmabuf_import(const struct dmabuf_importer *importer, const struct AVFrame *frame,
                   struct dmabuf_frame *held, const GLuint textures[2]);

void dmabuf_frame_release(const struct dmabuf_importer *importer, struct dmabuf_frame *held);

#endif
