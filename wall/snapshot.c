#include "wall/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>

#include "common/log.h"

static bool write_file(const char *path, const AVPacket *packet)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        log_error("snapshot", "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(packet->data, 1, (size_t)packet->size, f) == (size_t)packet->size;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        log_error("snapshot", "cannot write %s: %s", path, strerror(errno));
    }
    return ok;
}

bool snapshot_write_region(const char *path, const uint8_t *rgb, int stride_px, int x, int y,
                           int width, int height)
{
    uint8_t *region = malloc((size_t)width * height * 3);
    if (!region) {
        return false;
    }
    for (int row = 0; row < height; row++) {
        memcpy(region + (size_t)row * width * 3, rgb + ((size_t)(y + row) * stride_px + x) * 3,
               (size_t)width * 3);
    }
    bool ok = snapshot_write_png(path, region, width, height);
    free(region);
    return ok;
}

bool snapshot_write_png(const char *path, const uint8_t *rgb, int width, int height)
{
    bool ok = false;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext *enc = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *frame = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    if (!enc || !frame || !packet) {
        log_error("snapshot", "no PNG encoder in this FFmpeg");
        goto out;
    }
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_RGB24;
    enc->time_base = (AVRational){1, 25};
    if (avcodec_open2(enc, codec, NULL) < 0) {
        log_error("snapshot", "cannot open the PNG encoder");
        goto out;
    }
    frame->format = AV_PIX_FMT_RGB24;
    frame->width = width;
    frame->height = height;
    /* The encoder only reads the frame: point it at the caller's pixels. */
    av_image_fill_arrays(frame->data, frame->linesize, rgb, AV_PIX_FMT_RGB24, width, height, 1);
    if (avcodec_send_frame(enc, frame) < 0 || avcodec_send_frame(enc, NULL) < 0 ||
        avcodec_receive_packet(enc, packet) < 0) {
        log_error("snapshot", "PNG encoding failed for %s", path);
        goto out;
    }
    ok = write_file(path, packet);
    if (ok) {
        log_info("snapshot", "wrote %s (%dx%d)", path, width, height);
    }
out:
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&enc);
    return ok;
}
