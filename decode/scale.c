#include "decode/scale.h"

#include <math.h>
#include <string.h>

#include <libavutil/buffer.h>
#include <libavutil/common.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "common/log.h"

void scaler_init(struct scaler *scaler, const char *label)
{
    *scaler = (struct scaler){.src_format = -1, .label = label};
}

void scaler_finish(struct scaler *scaler)
{
    sws_freeContext(scaler->sws);
    sws_freeContext(scaler->to_rgb);
    av_frame_free(&scaler->scaled);
    av_buffer_pool_uninit(&scaler->pool); /* frames out there keep their buffers */
    scaler->pool_size = 0;
    scaler->sws = NULL;
    scaler->to_rgb = NULL;
    scaler->src_format = -1;
}

bool scale_target_equal(const struct scale_target *a, const struct scale_target *b)
{
    return a->width == b->width && a->height == b->height && fabs(a->x - b->x) < 1e-6 &&
           fabs(a->y - b->y) < 1e-6 && fabs(a->w - b->w) < 1e-6 && fabs(a->h - b->h) < 1e-6;
}

int scale_colorspace(int colorspace, int height)
{
    switch (colorspace) {
    case AVCOL_SPC_BT709:
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
    case AVCOL_SPC_SMPTE240M:
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return colorspace;
    default:
        return height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
    }
}

bool scale_full_range(const AVFrame *frame)
{
    if (frame->color_range != AVCOL_RANGE_UNSPECIFIED) {
        return frame->color_range == AVCOL_RANGE_JPEG; /* the tag wins, also over the format */
    }
    switch (frame->format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
        return true;
    default:
        return false;
    }
}

int scale_sws_format(int format)
{
    switch (format) {
    case AV_PIX_FMT_YUVJ420P:
        return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
        return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
        return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
        return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P:
        return AV_PIX_FMT_YUV411P;
    default:
        return format;
    }
}

static int sws_matrix(int colorspace)
{
    switch (colorspace) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_SMPTE240M:
        return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return SWS_CS_BT2020;
    default:
        return SWS_CS_ITU601;
    }
}

/* The source rectangle in pixels, aligned to the chroma grid. */
static void crop_pixels(const AVFrame *src, const AVPixFmtDescriptor *desc,
                        const struct scale_target *t, int *x, int *y, int *w, int *h)
{
    int ax = (1 << desc->log2_chroma_w) - 1, ay = (1 << desc->log2_chroma_h) - 1;
    int x0 = (int)lround(t->x * src->width) & ~ax;
    int y0 = (int)lround(t->y * src->height) & ~ay;
    int x1 = (int)lround((t->x + t->w) * src->width);
    int y1 = (int)lround((t->y + t->h) * src->height);
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > src->width ? src->width : x1;
    y1 = y1 > src->height ? src->height : y1;
    *x = x0;
    *y = y0;
    *w = x1 - x0 > 1 ? x1 - x0 : 1;
    *h = y1 - y0 > 1 ? y1 - y0 : 1;
}

/* Two steps, each on one of swscale's fast paths: scaling within Y'CbCr
 * 4:2:0 (what xstack does), then an unscaled conversion to RGB. Scaling
 * straight into RGB takes swscale's generic path, several times dearer. */
static bool prepare(struct scaler *s, const AVFrame *src, int w, int h,
                    const struct scale_target *t)
{
    int colorspace = scale_colorspace(src->colorspace, src->height);
    bool full = scale_full_range(src);
    if (s->to_rgb && s->src_format == src->format && s->src_width == w && s->src_height == h &&
        s->dst_width == t->width && s->dst_height == t->height && s->colorspace == colorspace &&
        s->full_range == full) {
        return true;
    }
    scaler_finish(s);
    const int *coefs = sws_getCoefficients(sws_matrix(colorspace));
    s->sws = sws_getContext(w, h, scale_sws_format(src->format), t->width, t->height,
                            AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    s->to_rgb = sws_getContext(t->width, t->height, AV_PIX_FMT_YUV420P, t->width, t->height,
                               AV_PIX_FMT_RGB0, SWS_POINT, NULL, NULL, NULL);
    s->scaled = av_frame_alloc();
    if (s->scaled) {
        s->scaled->format = AV_PIX_FMT_YUV420P;
        s->scaled->width = t->width;
        s->scaled->height = t->height;
    }
    if (!s->sws || !s->to_rgb || !s->scaled || av_frame_get_buffer(s->scaled, 0) < 0) {
        if (!s->warned) {
            log_warn("feed", "%s: cannot scale %s frames to RGB", s->label,
                     av_get_pix_fmt_name(src->format));
            s->warned = true;
        }
        scaler_finish(s);
        return false;
    }
    /* The range stays as it is through the scaling; RGB comes out full. */
    sws_setColorspaceDetails(s->sws, coefs, full, coefs, full, 0, 1 << 16, 1 << 16);
    sws_setColorspaceDetails(s->to_rgb, coefs, full, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0,
                             1 << 16, 1 << 16);
    log_debug("feed", "%s: scaling %s %dx%d to RGB %dx%d", s->label,
              av_get_pix_fmt_name(src->format), w, h, t->width, t->height);
    s->src_format = src->format;
    s->src_width = w;
    s->src_height = h;
    s->dst_width = t->width;
    s->dst_height = t->height;
    s->colorspace = colorspace;
    s->full_range = full;
    return true;
}

/* Scales `h` rows of `planes` (the crop of `src`) into s->scaled, then
 * converts that into `dst`. False (said once) when swscale fails. */
static bool run_steps(struct scaler *s, const uint8_t *const planes[4], const AVFrame *src, int h,
                      AVFrame *dst)
{
    bool ok =
        sws_scale(s->sws, planes, src->linesize, 0, h, s->scaled->data, s->scaled->linesize) > 0;
    ok = ok && sws_scale(s->to_rgb, (const uint8_t *const *)s->scaled->data, s->scaled->linesize,
                         0, dst->height, dst->data, dst->linesize) > 0;
    if (!ok && !s->warned) {
        log_warn("feed", "%s: swscale failed on %s frames: dropping them", s->label,
                 av_get_pix_fmt_name(src->format));
        s->warned = true;
    }
    return ok;
}

AVFrame *scaler_frame(struct scaler *s, const AVFrame *src, const struct scale_target *t)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(src->format);
    if (!desc || (desc->flags & AV_PIX_FMT_FLAG_HWACCEL) || t->width <= 0 || t->height <= 0) {
        return NULL;
    }
    int x, y, w, h;
    crop_pixels(src, desc, t, &x, &y, &w, &h);
    if (!prepare(s, src, w, h, t)) {
        return NULL;
    }
    AVFrame *dst = av_frame_alloc();
    if (!dst) {
        return NULL;
    }
    dst->format = AV_PIX_FMT_RGB0;
    dst->width = t->width;
    dst->height = t->height;
    int linesize = FFALIGN(t->width * 4, 64);
    int size = linesize * t->height;
    if (!s->pool || s->pool_size != size) {
        av_buffer_pool_uninit(&s->pool);
        s->pool = av_buffer_pool_init((size_t)size, NULL);
        s->pool_size = s->pool ? size : 0;
    }
    dst->buf[0] = s->pool ? av_buffer_pool_get(s->pool) : NULL;
    if (!dst->buf[0] || av_frame_copy_props(dst, src) < 0 ||
        av_frame_make_writable(s->scaled) < 0) {
        goto fail;
    }
    dst->data[0] = dst->buf[0]->data;
    dst->linesize[0] = linesize;
    /* Point every plane at the crop's top-left. */
    const uint8_t *planes[4] = {0};
    for (int c = 0; c < desc->nb_components; c++) {
        int p = desc->comp[c].plane;
        bool chroma = p > 0 && p < 3 && !(desc->flags & AV_PIX_FMT_FLAG_RGB);
        int px = chroma ? x >> desc->log2_chroma_w : x;
        int py = chroma ? y >> desc->log2_chroma_h : y;
        planes[p] =
            src->data[p] + (ptrdiff_t)py * src->linesize[p] + (ptrdiff_t)px * desc->comp[c].step;
    }
    if (!run_steps(s, planes, src, h, dst)) {
        goto fail;
    }
    /* What it shows, with its display aspect carried in the pixel aspect. */
    double sar = src->sample_aspect_ratio.num > 0 && src->sample_aspect_ratio.den > 0
                     ? av_q2d(src->sample_aspect_ratio)
                     : 1.0;
    double shown_aspect = (double)w * sar / h;
    dst->sample_aspect_ratio = av_d2q(shown_aspect * t->height / t->width, 1 << 20);
    dst->color_range = AVCOL_RANGE_JPEG;
    dst->colorspace = AVCOL_SPC_RGB;
    struct scale_target made = *t;
    made.x = (double)x / src->width;
    made.y = (double)y / src->height;
    made.w = (double)w / src->width;
    made.h = (double)h / src->height;
    av_buffer_unref(&dst->opaque_ref);
    dst->opaque_ref = av_buffer_alloc(sizeof(made));
    if (!dst->opaque_ref) {
        goto fail;
    }
    memcpy(dst->opaque_ref->data, &made, sizeof(made));
    return dst;
fail:
    av_frame_free(&dst);
    return NULL;
}

bool scale_frame_target(const AVFrame *frame, struct scale_target *out)
{
    if (frame->format != AV_PIX_FMT_RGB0 || !frame->opaque_ref ||
        frame->opaque_ref->size != sizeof(*out)) {
        return false;
    }
    memcpy(out, frame->opaque_ref->data, sizeof(*out));
    return true;
}
