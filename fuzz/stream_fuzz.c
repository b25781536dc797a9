/* Fuzz target: arbitrary bytes as a camera's stream, through the feeds'
 * own demux and decode path (decode/feed.c), nothing replicated here.
 *
 * Each input is written to a file and opened by a real feed, which probes
 * it with libavformat, decodes it with libavcodec, converts what it must
 * and posts frames to its mailbox, where this target takes them as the
 * render thread would and reads every byte of every plane the renderer
 * would upload (a frame smaller than it claims is then an out-of-bounds
 * read that AddressSanitizer reports). Nothing touches the network: the
 * sandbox refuses IP sockets, in case the bytes are a playlist naming one.
 *
 * The first byte picks how the feed sees the file:
 *   bits 0-1 != 0: as a live stream (a "file://" URL): no pacing, read to
 *                  the end once, then "no signal"; the run ends there.
 *   bits 0-1 == 0: as a file camera (a plain path): paced by its own
 *                  timestamps and looped; the run ends after PACED_MS.
 *   bits 2-3:      the file's extension (.ts, .mp4, .mkv, .h264), which
 *                  only steers libavformat's probe.
 * The rest of the input is the stream. */
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "decode/convert.h"
#include "decode/feed.h"
#include "fuzz/sandbox.h"

#define LIVE_MAX_MS 3000 /* a safety limit: reading a few KB takes milliseconds */
#define PACED_MS    100  /* a looped, paced file runs forever: look at this much */
#define IO_TIMEOUT  1000 /* ms: the feed's own deadline on opening and reading */

static char dir[] = "/tmp/wall-stream-fuzz-XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sandbox_no_network();
    if (!mkdtemp(dir)) {
        perror("stream_fuzz: mkdtemp");
        exit(1);
    }
    /* Damaged streams make FFmpeg and the feed talk a lot: keep it quiet
     * unless asked (WALL_LOG=debug shows the feed's view). */
    if (!getenv("WALL_LOG")) {
        log_set_level(LOG_ERROR);
        av_log_set_level(AV_LOG_QUIET);
    }
    return 0;
}

/* Reads every byte of every plane of a frame as the renderer uploads it:
 * the contract of decode/feed.h (YUV420P, YUVJ420P or NV12 in software). */
static unsigned touch_frame(const AVFrame *frame)
{
    if (!convert_is_native(frame->format) || frame->width <= 0 || frame->height <= 0) {
        fprintf(stderr, "stream_fuzz: the feed posted a frame outside its contract: %s %dx%d\n",
                av_get_pix_fmt_name(frame->format) ? av_get_pix_fmt_name(frame->format) : "?",
                frame->width, frame->height);
        abort();
    }
    int cw = (frame->width + 1) / 2, ch = (frame->height + 1) / 2;
    struct {
        int bytes, rows;
    } planes[3] = {{frame->width, frame->height}, {cw, ch}, {cw, ch}};
    int n_planes = 3;
    if (frame->format == AV_PIX_FMT_NV12) {
        planes[1].bytes = 2 * cw;
        n_planes = 2;
    }
    unsigned sum = 0;
    for (int p = 0; p < n_planes; p++) {
        const uint8_t *row = frame->data[p];
        if (!row || frame->linesize[p] < planes[p].bytes) {
            fprintf(stderr, "stream_fuzz: plane %d of a %dx%d frame: %s, linesize %d\n", p,
                    frame->width, frame->height, row ? "too narrow" : "missing",
                    frame->linesize[p]);
            abort();
        }
        for (int y = 0; y < planes[p].rows; y++, row += frame->linesize[p]) {
            for (int x = 0; x < planes[p].bytes; x++) {
                sum += row[x];
            }
        }
    }
    return sum;
}

static const char *const extensions[] = {".ts", ".mp4", ".mkv", ".h264"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    bool paced = (data[0] & 3) == 0;
    char path[128], url[160];
    snprintf(path, sizeof(path), "%s/stream%s", dir, extensions[(data[0] >> 2) & 3]);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0) {
        perror(path);
        abort(); /* the fuzzer's own machinery failed: stop, do not blame the input */
    }
    snprintf(url, sizeof(url), "%s%s", paced ? "" : "file://", path);

    struct feed_config config = {.url = url, .label = "fuzz", .io_timeout_ms = IO_TIMEOUT};
    struct feed *feed = feed_create(&config);
    if (!feed) {
        abort();
    }
    int64_t deadline = av_gettime_relative() + (paced ? PACED_MS : LIVE_MAX_MS) * 1000LL;
    volatile unsigned sum = 0;
    for (;;) {
        AVFrame *frame = feed_take_frame(feed);
        if (frame) {
            sum += touch_frame(frame);
            av_frame_free(&frame);
            continue;
        }
        struct feed_stats stats;
        feed_get_stats(feed, &stats);
        if (stats.state == FEED_NO_SIGNAL || av_gettime_relative() > deadline) {
            break;
        }
        usleep(200);
    }
    AVFrame *last = feed_take_frame(feed);
    if (last) {
        sum += touch_frame(last);
        av_frame_free(&last);
    }
    feed_destroy(feed);
    unlink(path);
    (void)sum;
    return 0;
}
