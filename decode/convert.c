#include "decode/convert.h"

#include <stdarg.h>
#include <stdio.h>

#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/scale.h"

void convert_init(struct convert *conv, const char *label)
{
    *conv = (struct convert){.src_format = AV_PIX_FMT_NONE, .label = label};
}

void convert_finish(struct convert *conv)
{
    sws_freeContext(conv->sws);
    conv->sws = NULL;
}

bool convert_is_native(int format)
{
    /* VA-API surfaces pass through: the renderer imports them as they are. */
    return format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P ||
           format == AV_PIX_FMT_NV12 || format == AV_PIX_FMT_VAAPI;
}

/* Logs a failure the first time only: it would recur with every frame. */
static void warn_once(struct convert *conv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn_once(struct convert *conv, const char *fmt, ...)
{
    if (conv->failed) {
        return;
    }
    char text[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    log_warn("feed", "%s: %s", conv->label, text);
    conv->failed = true;
}

static bool prepare(struct convert *conv, const AVFrame *src)
{
    if (conv->sws && conv->src_format == src->format && conv->src_width == src->width &&
        conv->src_height == src->height) {
        return true;
    }
    sws_freeContext(conv->sws);
    conv->sws = sws_getContext(src->width, src->height, scale_sws_format(src->format), src->width,
                               src->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!conv->sws) {
        warn_once(conv, _("cannot convert %s frames"), av_get_pix_fmt_name(src->format));
        return false;
    }
    /* Keep the range as it is: the shader expands it, so we convert once. */
    int full = scale_full_range(src);
    const int *coefs = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(conv->sws, coefs, full, coefs, full, 0, 1 << 16, 1 << 16);
    conv->src_format = src->format;
    conv->src_width = src->width;
    conv->src_height = src->height;
    if (!conv->warned) {
        log_info("feed", "%s: converting %s to yuv420p on the feed thread", conv->label,
                 av_get_pix_fmt_name(src->format));
        conv->warned = true;
    }
    return true;
}

AVFrame *convert_frame(struct convert *conv, const AVFrame *src)
{
    AVFrame *dst = av_frame_alloc();
    if (!dst) {
        return NULL;
    }
    if (convert_is_native(src->format)) {
        if (av_frame_ref(dst, src) < 0) {
            av_frame_free(&dst);
        }
        return dst;
    }
    if (!prepare(conv, src)) {
        goto fail;
    }
    dst->format = AV_PIX_FMT_YUV420P;
    dst->width = src->width;
    dst->height = src->height;
    if (av_frame_get_buffer(dst, 0) < 0 || av_frame_copy_props(dst, src) < 0) {
        goto fail;
    }
    if (sws_scale(conv->sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                  dst->data, dst->linesize) <= 0) {
        warn_once(conv, _("swscale failed to convert %s frames: dropping them"),
                  av_get_pix_fmt_name(src->format));
        goto fail;
    }
    dst->color_range = scale_full_range(src) ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    return dst;

fail:
    av_frame_free(&dst);
    return NULL;
}
