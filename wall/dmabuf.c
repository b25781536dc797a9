#include "wall/dmabuf.h"

#include <stddef.h>

#include "config.h"

#if HAVE_VAAPI

#include <stdlib.h>
#include <string.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2ext.h>
#include <libavutil/frame.h>
#include <libavutil/hwcontext.h>
#include <libavutil/hwcontext_drm.h>
#include <libavutil/hwcontext_vaapi.h>
#include <va/va.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/words.h"

#define FOURCC(a, b, c, d)                                                                        \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))
#define FORMAT_R8   FOURCC('R', '8', ' ', ' ')
#define FORMAT_GR88 FOURCC('G', 'R', '8', '8')
#define MOD_INVALID ((1ULL << 56) - 1)

/* Extension entry points, loaded once. */
struct dmabuf_importer {
    EGLDisplay display;
    PFNEGLCREATEIMAGEKHRPROC create_image;
    PFNEGLDESTROYIMAGEKHRPROC destroy_image;
    PFNGLEGLIMAGETARGETTEXTURE2DOESPROC image_target_texture;
    bool modifiers; /* EGL_EXT_image_dma_buf_import_modifiers */
};

/* Where EGL lists the DMA-BUF formats it imports, both planes' must be in. */
static bool formats_listed(EGLDisplay display)
{
    PFNEGLQUERYDMABUFFORMATSEXTPROC query =
        (PFNEGLQUERYDMABUFFORMATSEXTPROC)eglGetProcAddress("eglQueryDmaBufFormatsEXT");
    EGLint n = 0;
    if (!query || !query(display, 0, NULL, &n) || n <= 0) {
        return true; /* no list: the import itself will tell */
    }
    EGLint *formats = calloc((size_t)n, sizeof(*formats));
    bool r8 = false, gr88 = false;
    if (formats && query(display, n, formats, &n)) {
        for (EGLint i = 0; i < n; i++) {
            r8 = r8 || (uint32_t)formats[i] == FORMAT_R8;
            gr88 = gr88 || (uint32_t)formats[i] == FORMAT_GR88;
        }
    }
    free(formats);
    log_debug("dmabuf", "EGL imports %d formats; R8 %s, GR88 %s", n, r8 ? "yes" : "no",
              gr88 ? "yes" : "no");
    return r8 && gr88;
}

struct dmabuf_importer *dmabuf_create(int gles_major)
{
    EGLDisplay display = eglGetCurrentDisplay();
    const char *egl = display != EGL_NO_DISPLAY ? eglQueryString(display, EGL_EXTENSIONS) : NULL;
    const char *gl = (const char *)glGetString(GL_EXTENSIONS);
    const char *missing = NULL;
    if (gles_major < 3) {
        /* For a DEBUG line: as written. */
        missing = M_("OpenGL ES 3 (R8/GR88 textures)");
    } else if (!egl || !words_contain(egl, "EGL_EXT_image_dma_buf_import")) {
        missing = "EGL_EXT_image_dma_buf_import";
    } else if (!gl || !words_contain(gl, "GL_OES_EGL_image")) {
        missing = "GL_OES_EGL_image";
    } else if (!formats_listed(display)) {
        missing = M_("R8 and GR88 DMA-BUF formats");
    }
    if (missing) {
        log_debug("dmabuf", "zero-copy import unavailable: no %s", missing);
        return NULL;
    }
    struct dmabuf_importer *imp = calloc(1, sizeof(*imp));
    if (!imp) {
        return NULL;
    }
    imp->display = display;
    imp->create_image = (PFNEGLCREATEIMAGEKHRPROC)eglGetProcAddress("eglCreateImageKHR");
    imp->destroy_image = (PFNEGLDESTROYIMAGEKHRPROC)eglGetProcAddress("eglDestroyImageKHR");
    imp->image_target_texture =
        (PFNGLEGLIMAGETARGETTEXTURE2DOESPROC)eglGetProcAddress("glEGLImageTargetTexture2DOES");
    imp->modifiers = words_contain(egl, "EGL_EXT_image_dma_buf_import_modifiers");
    if (!imp->create_image || !imp->destroy_image || !imp->image_target_texture) {
        log_debug("dmabuf", "zero-copy import unavailable: EGL image entry points missing");
        free(imp);
        return NULL;
    }
    return imp;
}

void dmabuf_destroy(struct dmabuf_importer *importer)
{
    free(importer);
}

void dmabuf_frame_release(const struct dmabuf_importer *importer, struct dmabuf_frame *held)
{
    for (int i = 0; importer && i < held->n_images; i++) {
        importer->destroy_image(importer->display, held->images[i]);
    }
    held->n_images = 0;
    av_frame_free(&held->mapped);
}

static EGLImageKHR plane_image(const struct dmabuf_importer *imp, const AVDRMFrameDescriptor *desc,
                               const AVDRMPlaneDescriptor *plane, uint32_t fourcc, int width,
                               int height)
{
    const AVDRMObjectDescriptor *obj = &desc->objects[plane->object_index];
    EGLint attribs[20];
    int n = 0;
    attribs[n++] = EGL_WIDTH;
    attribs[n++] = width;
    attribs[n++] = EGL_HEIGHT;
    attribs[n++] = height;
    attribs[n++] = EGL_LINUX_DRM_FOURCC_EXT;
    attribs[n++] = (EGLint)fourcc;
    attribs[n++] = EGL_DMA_BUF_PLANE0_FD_EXT;
    attribs[n++] = obj->fd;
    attribs[n++] = EGL_DMA_BUF_PLANE0_OFFSET_EXT;
    attribs[n++] = (EGLint)plane->offset;
    attribs[n++] = EGL_DMA_BUF_PLANE0_PITCH_EXT;
    attribs[n++] = (EGLint)plane->pitch;
    if (imp->modifiers && obj->format_modifier != MOD_INVALID) {
        attribs[n++] = EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT;
        attribs[n++] = (EGLint)(obj->format_modifier & 0xffffffff);
        attribs[n++] = EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT;
        attribs[n++] = (EGLint)(obj->format_modifier >> 32);
    }
    attribs[n++] = EGL_NONE;
    return imp->create_image(imp->display, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, NULL, attribs);
}

/* Waits until the decoder has finished writing the surface: the export
 * below hands its memory to GL as it is, with no fence of its own. */
static bool sync_surface(const AVFrame *frame)
{
    const AVHWFramesContext *frames = (const AVHWFramesContext *)frame->hw_frames_ctx->data;
    const AVVAAPIDeviceContext *va = frames->device_ctx->hwctx;
    VASurfaceID surface = (VASurfaceID)(uintptr_t)frame->data[3];
    VAStatus status = vaSyncSurface(va->display, surface);
    if (status != VA_STATUS_SUCCESS) {
        log_debug("dmabuf", "vaSyncSurface failed: %s", vaErrorStr(status));
        return false;
    }
    return true;
}

/* Maps `frame` into `fresh` and makes an EGLImage per plane, touching no
 * texture. False (logged at debug) with `fresh` partly filled: release it. */
static bool map_planes(const struct dmabuf_importer *imp, const AVFrame *frame,
                       struct dmabuf_frame *fresh)
{
    fresh->mapped = av_frame_alloc();
    if (!fresh->mapped || !sync_surface(frame)) {
        return false;
    }
    fresh->mapped->format = AV_PIX_FMT_DRM_PRIME;
    if (av_hwframe_map(fresh->mapped, frame, AV_HWFRAME_MAP_READ) < 0) {
        log_debug("dmabuf", "cannot map the VA surface to DRM PRIME");
        return false;
    }
    const AVDRMFrameDescriptor *desc = (const AVDRMFrameDescriptor *)fresh->mapped->data[0];
    /* Separate layers (R8 + GR88) or one NV12 layer of two planes: either
     * way, plane 0 is luma and plane 1 the interleaved chroma. */
    int index = 0;
    for (int l = 0; l < desc->nb_layers && index < 2; l++) {
        for (int p = 0; p < desc->layers[l].nb_planes && index < 2; p++, index++) {
            int w = index == 0 ? frame->width : (frame->width + 1) / 2;
            int h = index == 0 ? frame->height : (frame->height + 1) / 2;
            EGLImageKHR image = plane_image(imp, desc, &desc->layers[l].planes[p],
                                            index == 0 ? FORMAT_R8 : FORMAT_GR88, w, h);
            if (image == EGL_NO_IMAGE_KHR) {
                log_debug("dmabuf", "EGL refused plane %d (error 0x%x)", index, eglGetError());
                return false;
            }
            fresh->images[fresh->n_images++] = image;
        }
    }
    return index == 2;
}

bool dmabuf_import(const struct dmabuf_importer *imp, const AVFrame *frame,
                   struct dmabuf_frame *held, const GLuint textures[2])
{
    if (!imp || !frame->hw_frames_ctx ||
        ((AVHWFramesContext *)frame->hw_frames_ctx->data)->sw_format != AV_PIX_FMT_NV12) {
        return false; /* 10-bit and other layouts: software */
    }
    struct dmabuf_frame fresh = {0};
    if (!map_planes(imp, frame, &fresh)) {
        dmabuf_frame_release(imp, &fresh);
        return false; /* `held` and the textures still show the last picture */
    }
    for (int i = 0; i < 2; i++) {
        glBindTexture(GL_TEXTURE_2D, textures[i]);
        imp->image_target_texture(GL_TEXTURE_2D, fresh.images[i]);
    }
    /* The textures have left the old surface: it may go back to the decoder. */
    dmabuf_frame_release(imp, held);
    *held = fresh;
    return true;
}

#else /* !HAVE_VAAPI */

struct dmabuf_importer *dmabuf_create(int gles_major)
{
    (void)gles_major;
    return NULL;
}

void dmabuf_destroy(struct dmabuf_importer *importer)
{
    (void)importer;
}

bool dmabuf_import(const struct dmabuf_importer *importer, const struct AVFrame *frame,
                   struct dmabuf_frame *held, const GLuint textures[2])
{
    (void)importer, (void)frame, (void)held, (void)textures;
    return false;
}

void dmabuf_frame_release(const struct dmabuf_importer *importer, struct dmabuf_frame *held)
{
    (void)importer, (void)held;
}

#endif
