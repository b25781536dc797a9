#include "decode/feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include "common/log.h"
#include "decode/convert.h"
#include "decode/mailbox.h"

#define BACKOFF_MIN_US (1000 * 1000)
#define BACKOFF_MAX_US (30 * 1000 * 1000)
/* A file frame this far off its schedule restarts the pacing clock. */
#define PACE_RESYNC_US (1000 * 1000)
/* session_run()'s answer when the stream must reopen in software. */
#define REOPEN_SOFTWARE FFERRTAG('R', 'S', 'W', 'D')
#define FEED_NICE       5

struct feed {
    char *url;
    char *label;
    char *safe_url; /* url with credentials masked, for logs */
    bool is_file;
    int64_t io_timeout_us;
    AVBufferRef *hw_device; /* NULL: software only */
    atomic_bool hw_refused; /* the renderer cannot import our surfaces */
    atomic_bool hardware;   /* the current session decodes in hardware */

    pthread_t thread;
    struct mailbox mailbox;

    /* Wakes interruptible sleeps; `wait_lock` guards nothing but the wait. */
    pthread_mutex_t wait_lock;
    pthread_cond_t wait_cond;
    atomic_bool stop;

    /* Deadline of the blocking libavformat call under way; 0: none. */
    atomic_int_fast64_t io_deadline_us;

    /* Statistics, written by the feed thread, read by anyone. */
    atomic_int state;
    atomic_uint_fast64_t packets;
    atomic_uint_fast64_t bytes;
    atomic_uint_fast64_t frames_decoded;
    atomic_uint reconnects;
    atomic_bool reconnecting;
    atomic_int decode;
    atomic_int_fast64_t decode_us;
    atomic_int_fast64_t last_frame_us;
    atomic_int_fast64_t interval_us;
    atomic_int_fast64_t bitrate;
    atomic_int width;
    atomic_int height;
    atomic_int fps_milli; /* nominal frame rate x 1000 */
    _Atomic(const char *) codec;

    /* Owned by the feed thread alone. */
    struct convert convert;
    int64_t pace_base_us;  /* wall time of pts 0; INT64_MIN: not started */
    int64_t pace_last_us;  /* wall time the last frame was due */
    unsigned random;       /* back-off jitter */
    bool said_software;    /* logged that the hardware refused the stream */
    int64_t rate_start_us; /* bitrate window */
    uint64_t rate_bytes;
};

/* One connection: what the feed thread opens, reads and closes again. */
struct session {
    AVFormatContext *format;
    AVCodecContext *decoder;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    AVRational time_base;
    uint64_t frames;
    bool hw; /* opened with the hardware device */
};

const char *feed_state_name(enum feed_state state)
{
    switch (state) {
    case FEED_CONNECTING:
        return "connecting";
    case FEED_LIVE:
        return "live";
    case FEED_NO_SIGNAL:
        return "no-signal";
    }
    return "unknown";
}

static int interrupt_cb(void *opaque)
{
    struct feed *feed = opaque;
    if (atomic_load(&feed->stop)) {
        return 1;
    }
    int64_t deadline = atomic_load(&feed->io_deadline_us);
    return deadline != 0 && av_gettime_relative() > deadline;
}

static void arm_deadline(struct feed *feed, int64_t timeout_us)
{
    atomic_store(&feed->io_deadline_us, av_gettime_relative() + timeout_us);
}

/* Sleeps until `until_us` (av_gettime_relative clock) unless stopped.
 * Returns false when the feed is stopping. */
static bool sleep_until(struct feed *feed, int64_t until_us)
{
    pthread_mutex_lock(&feed->wait_lock);
    while (!atomic_load(&feed->stop)) {
        int64_t left = until_us - av_gettime_relative();
        if (left <= 0) {
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (left % 1000000) * 1000;
        ts.tv_sec += left / 1000000 + ns / 1000000000;
        ts.tv_nsec = ns % 1000000000;
        pthread_cond_timedwait(&feed->wait_cond, &feed->wait_lock, &ts);
    }
    pthread_mutex_unlock(&feed->wait_lock);
    return !atomic_load(&feed->stop);
}

static void session_close(struct session *s)
{
    avcodec_free_context(&s->decoder);
    avformat_close_input(&s->format);
    av_packet_free(&s->packet);
    av_frame_free(&s->frame);
}

/* Takes the hardware surface format when the decoder offers it for this
 * stream; otherwise its first software format, said once. */
static enum AVPixelFormat pick_format(AVCodecContext *ctx, const enum AVPixelFormat *formats)
{
    struct feed *feed = ctx->opaque;
    const enum AVPixelFormat *p;
    for (p = formats; *p != AV_PIX_FMT_NONE; p++) {
        if (*p == AV_PIX_FMT_VAAPI) {
            atomic_store(&feed->hardware, true);
            return *p;
        }
    }
    for (p = formats; *p != AV_PIX_FMT_NONE; p++) {
        const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(*p);
        if (desc && !(desc->flags & AV_PIX_FMT_FLAG_HWACCEL)) {
            atomic_store(&feed->hardware, false);
            if (!feed->said_software) {
                const char *profile = avcodec_profile_name(ctx->codec_id, ctx->profile);
                log_info("feed", "%s: the hardware does not decode this %s stream (%s): software",
                         feed->label, avcodec_get_name(ctx->codec_id),
                         profile ? profile : "unknown profile");
                feed->said_software = true;
            }
            return *p;
        }
    }
    return AV_PIX_FMT_NONE;
}

static int open_decoder(struct feed *feed, struct session *s)
{
    int index = av_find_best_stream(s->format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (index < 0) {
        log_warn("feed", "%s (%s): no video stream", feed->label, feed->safe_url);
        return index;
    }
    AVStream *stream = s->format->streams[index];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec) {
        log_warn("feed", "%s: no decoder for codec %s", feed->label,
                 avcodec_get_name(stream->codecpar->codec_id));
        return AVERROR_DECODER_NOT_FOUND;
    }
    s->decoder = avcodec_alloc_context3(codec);
    if (!s->decoder) {
        return AVERROR(ENOMEM);
    }
    int ret = avcodec_parameters_to_context(s->decoder, stream->codecpar);
    if (ret < 0) {
        return ret;
    }
    atomic_store(&feed->codec, codec->name);
    /* Feeds run in parallel, one thread each: decoding inside the thread
     * avoids frame-threading's extra latency and its thread pool per feed. */
    s->decoder->thread_count = 1;
    s->decoder->pkt_timebase = stream->time_base;
    if (feed->hw_device && !atomic_load(&feed->hw_refused)) {
        s->decoder->hw_device_ctx = av_buffer_ref(feed->hw_device);
        s->decoder->get_format = pick_format;
        s->decoder->opaque = feed;
        /* The mailbox and the picture on screen each hold a surface. */
        s->decoder->extra_hw_frames = 4;
        s->hw = true;
    }
    atomic_store(&feed->hardware, false);
    ret = avcodec_open2(s->decoder, codec, NULL);
    if (ret < 0) {
        return ret;
    }
    s->stream = index;
    s->time_base = stream->time_base;
    AVRational rate =
        stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    if (rate.num > 0 && rate.den > 0 && av_q2d(rate) < 1000) {
        atomic_store(&feed->fps_milli, (int)(av_q2d(rate) * 1000));
    }
    /* Drop what the other streams (audio, data) would cost us. */
    for (unsigned i = 0; i < s->format->nb_streams; i++) {
        if ((int)i != index) {
            s->format->streams[i]->discard = AVDISCARD_ALL;
        }
    }
    return 0;
}

static int session_open(struct feed *feed, struct session *s)
{
    memset(s, 0, sizeof(*s));
    s->stream = -1;
    s->packet = av_packet_alloc();
    s->frame = av_frame_alloc();
    s->format = avformat_alloc_context();
    if (!s->packet || !s->frame || !s->format) {
        return AVERROR(ENOMEM);
    }
    s->format->interrupt_callback.callback = interrupt_cb;
    s->format->interrupt_callback.opaque = feed;

    AVDictionary *options = NULL;
    if (!feed->is_file) {
        char timeout[32];
        snprintf(timeout, sizeof(timeout), "%" PRId64, feed->io_timeout_us);
        av_dict_set(&options, "rtsp_transport", "tcp", 0);
        av_dict_set(&options, "timeout", timeout, 0); /* microseconds */
        av_dict_set(&options, "analyzeduration", "1000000", 0);
        av_dict_set(&options, "fflags", "nobuffer", 0);
    }
    /* The callback also guards connect and probing: a server that accepts
     * and never answers is given up at the deadline. */
    arm_deadline(feed, 2 * feed->io_timeout_us);
    int ret = avformat_open_input(&s->format, feed->url, NULL, &options);
    av_dict_free(&options);
    if (ret < 0) {
        return ret;
    }
    ret = avformat_find_stream_info(s->format, NULL);
    if (ret < 0) {
        return ret;
    }
    return open_decoder(feed, s);
}

/* Holds a file's packet back until it is due, like a camera would send it.
 * Packets, not frames, are paced: with key frames only, the skipped frames
 * still take their time, so a reduced feed does not race through its file. */
static bool pace(struct feed *feed, const AVPacket *packet, AVRational time_base)
{
    int64_t ts = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
    if (ts == AV_NOPTS_VALUE) {
        return true;
    }
    int64_t ts_us = av_rescale_q(ts, time_base, AV_TIME_BASE_Q);
    int64_t now = av_gettime_relative();
    int64_t due = feed->pace_base_us + ts_us;
    if (feed->pace_base_us == INT64_MIN || due < now - PACE_RESYNC_US ||
        due > now + PACE_RESYNC_US) {
        /* Start, loop or jump: continue from the last packet's slot. */
        int64_t start = feed->pace_last_us > now - PACE_RESYNC_US ? feed->pace_last_us : now;
        int64_t duration = packet->duration > 0
                               ? av_rescale_q(packet->duration, time_base, AV_TIME_BASE_Q)
                               : 40000;
        feed->pace_base_us = start + duration - ts_us;
        due = feed->pace_base_us + ts_us;
    }
    feed->pace_last_us = due;
    return sleep_until(feed, due);
}

static bool deliver(struct feed *feed, struct session *s)
{
    atomic_fetch_add(&feed->frames_decoded, 1);
    AVFrame *out = convert_frame(&feed->convert, s->frame);
    av_frame_unref(s->frame);
    if (!out) {
        return true; /* logged by convert; skip the frame, keep the stream */
    }
    atomic_store(&feed->width, out->width);
    atomic_store(&feed->height, out->height);
    int64_t now = av_gettime_relative();
    int64_t last = atomic_exchange(&feed->last_frame_us, now);
    if (last > 0 && s->frames > 0) {
        /* Smoothed arrival interval: what "several intervals late" means. */
        int64_t interval = atomic_load(&feed->interval_us);
        int64_t delta = now - last;
        atomic_store(&feed->interval_us, interval ? interval + (delta - interval) / 8 : delta);
    }
    if (s->frames++ == 0) {
        log_info("feed", "%s: live, %s %dx%d", feed->label, avcodec_get_name(s->decoder->codec_id),
                 out->width, out->height);
    }
    atomic_store(&feed->state, FEED_LIVE);
    mailbox_put(&feed->mailbox, out);
    return true;
}

/* CPU time of this thread: decode cost that a busy machine does not
 * inflate, unlike wall-clock time (the budget plans with it). */
static int64_t thread_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Sends one packet (NULL drains) and delivers what comes out. */
static int decode_packet(struct feed *feed, struct session *s, const AVPacket *packet)
{
    enum AVDiscard skip =
        atomic_load(&feed->decode) == FEED_DECODE_KEYFRAMES ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
    s->decoder->skip_frame = skip;
    int64_t start = thread_cpu_us();
    int ret = avcodec_send_packet(s->decoder, packet);
    atomic_fetch_add(&feed->decode_us, thread_cpu_us() - start);
    if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
        /* Damaged data: the decoder resynchronises on a later packet. */
        log_debug("feed", "%s: decode error: %s", feed->label, av_err2str(ret));
        return 0;
    }
    for (;;) {
        start = thread_cpu_us();
        ret = avcodec_receive_frame(s->decoder, s->frame);
        atomic_fetch_add(&feed->decode_us, thread_cpu_us() - start);
        if (ret < 0) {
            break;
        }
        if (!deliver(feed, s)) {
            return AVERROR_EXIT;
        }
    }
    return ret == AVERROR(EAGAIN) || ret == AVERROR_EOF ? 0 : ret;
}

static void count_packet(struct feed *feed, int size)
{
    atomic_fetch_add(&feed->packets, 1);
    atomic_fetch_add(&feed->bytes, (uint64_t)size);
    int64_t now = av_gettime_relative();
    if (feed->rate_start_us == 0) {
        feed->rate_start_us = now;
    }
    feed->rate_bytes += (uint64_t)size;
    if (now - feed->rate_start_us >= 2000000) {
        atomic_store(&feed->bitrate, (int64_t)(feed->rate_bytes * 8 * 1000000 /
                                               (uint64_t)(now - feed->rate_start_us)));
        feed->rate_start_us = now;
        feed->rate_bytes = 0;
    }
}

static int rewind_file(struct feed *feed, struct session *s)
{
    int ret = decode_packet(feed, s, NULL);
    if (ret < 0) {
        return ret;
    }
    avcodec_flush_buffers(s->decoder);
    ret = av_seek_frame(s->format, -1,
                        s->format->start_time != AV_NOPTS_VALUE ? s->format->start_time : 0,
                        AVSEEK_FLAG_BACKWARD);
    if (ret < 0) {
        ret = avio_seek(s->format->pb, 0, SEEK_SET) < 0 ? AVERROR(EIO) : 0;
    }
    return ret;
}

/* Reads and decodes until the stream fails or the feed stops.
 *
 * The read deadline runs from the last video packet, not from each read:
 * a stream that stops sending is given up io_timeout after its last data,
 * and what the demuxer still held when the deadline struck (a frame it was
 * waiting to complete) is dropped rather than shown as if it were new. */
static int session_run(struct feed *feed, struct session *s)
{
    if (feed->is_file) {
        atomic_store(&feed->io_deadline_us, 0); /* local reads do not hang */
    } else {
        arm_deadline(feed, feed->io_timeout_us);
    }
    for (;;) {
        int ret = av_read_frame(s->format, s->packet);
        if (ret == AVERROR_EOF && feed->is_file && s->frames > 0) {
            ret = rewind_file(feed, s);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        if (ret < 0) {
            return ret;
        }
        if (s->hw && atomic_load(&feed->hw_refused)) {
            av_packet_unref(s->packet);
            return REOPEN_SOFTWARE;
        }
        if (s->packet->stream_index == s->stream) {
            if (!feed->is_file && interrupt_cb(feed)) {
                av_packet_unref(s->packet);
                return AVERROR(ETIMEDOUT);
            }
            if (!feed->is_file) {
                arm_deadline(feed, feed->io_timeout_us);
            }
            if (feed->is_file && !pace(feed, s->packet, s->time_base)) {
                av_packet_unref(s->packet);
                return AVERROR_EXIT;
            }
            count_packet(feed, s->packet->size);
            ret = decode_packet(feed, s, s->packet);
        }
        av_packet_unref(s->packet);
        if (ret < 0) {
            return ret;
        }
    }
}

static int64_t backoff_us(struct feed *feed, unsigned attempt)
{
    int64_t delay = BACKOFF_MIN_US;
    for (unsigned i = 0; i < attempt && delay < BACKOFF_MAX_US; i++) {
        delay *= 2;
    }
    if (delay > BACKOFF_MAX_US) {
        delay = BACKOFF_MAX_US;
    }
    /* +-20% jitter so cameras behind one dead switch do not retry in step. */
    int64_t jitter = delay / 5;
    return delay - jitter + (int64_t)(rand_r(&feed->random) % (unsigned)(2 * jitter + 1));
}

static void *feed_thread(void *opaque)
{
    struct feed *feed = opaque;
    unsigned failures = 0;
    /* The name lets CPU time be counted by role (see wall/cpustat.h). */
    pthread_setname_np(pthread_self(), "feed");
    /* Below the render thread: when the machine is short of CPU, frames are
     * dropped here (and the budget reduces feeds) rather than the whole
     * wall slowing down. Linux nice values are per thread. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), FEED_NICE);
    while (!atomic_load(&feed->stop)) {
        struct session s;
        int ret = session_open(feed, &s);
        atomic_store(&feed->reconnecting, false);
        if (ret >= 0) {
            ret = session_run(feed, &s);
        }
        bool had_frames = s.frames > 0;
        session_close(&s);
        atomic_store(&feed->io_deadline_us, 0);
        if (atomic_load(&feed->stop)) {
            break;
        }
        if (ret == REOPEN_SOFTWARE) {
            log_info("feed", "%s: reopening in software", feed->label);
            continue;
        }
        if (ret == AVERROR_EXIT && interrupt_cb(feed)) {
            ret = AVERROR(ETIMEDOUT);
        }
        failures = had_frames ? 0 : failures + 1;
        if (had_frames || failures == 1) {
            log_warn("feed", "%s (%s): no signal: %s", feed->label, feed->safe_url,
                     ret == AVERROR_EOF ? "stream ended" : av_err2str(ret));
        }
        atomic_store(&feed->state, FEED_NO_SIGNAL);
        atomic_store(&feed->bitrate, 0);
        atomic_store(&feed->interval_us, 0);
        feed->rate_start_us = 0;
        feed->rate_bytes = 0;
        feed->pace_base_us = INT64_MIN;
        if (!sleep_until(feed, av_gettime_relative() + backoff_us(feed, failures))) {
            break;
        }
        atomic_fetch_add(&feed->reconnects, 1);
        atomic_store(&feed->reconnecting, true);
        log_debug("feed", "%s: reconnecting", feed->label);
    }
    return NULL;
}

static bool url_is_file(const char *url)
{
    return strstr(url, "://") == NULL;
}

struct feed *feed_create(const struct feed_config *config)
{
    struct feed *feed = calloc(1, sizeof(*feed));
    if (!feed) {
        return NULL;
    }
    feed->url = strdup(config->url);
    feed->label = strdup(config->label ? config->label : "feed");
    feed->safe_url = malloc(strlen(config->url) + 1);
    if (!feed->url || !feed->label || !feed->safe_url) {
        goto fail_strings;
    }
    log_redact_url(config->url, feed->safe_url, strlen(config->url) + 1);
    feed->is_file = url_is_file(config->url);
    feed->hw_device = config->hw_device ? av_buffer_ref(config->hw_device) : NULL;
    feed->io_timeout_us =
        (int64_t)(config->io_timeout_ms > 0 ? config->io_timeout_ms : 5000) * 1000;
    feed->pace_base_us = INT64_MIN;
    feed->random = (unsigned)(uintptr_t)feed ^ (unsigned)av_gettime_relative();
    atomic_init(&feed->state, FEED_CONNECTING);
    atomic_init(&feed->codec, "");
    mailbox_init(&feed->mailbox);
    convert_init(&feed->convert, feed->label);
    pthread_mutex_init(&feed->wait_lock, NULL);

    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&feed->wait_cond, &attr);
    pthread_condattr_destroy(&attr);

    if (pthread_create(&feed->thread, NULL, feed_thread, feed) != 0) {
        log_error("feed", "%s: cannot start a thread", feed->label);
        goto fail_thread;
    }
    return feed;

fail_thread:
    pthread_cond_destroy(&feed->wait_cond);
    pthread_mutex_destroy(&feed->wait_lock);
    convert_finish(&feed->convert);
    mailbox_finish(&feed->mailbox);
fail_strings:
    av_buffer_unref(&feed->hw_device);
    free(feed->safe_url);
    free(feed->label);
    free(feed->url);
    free(feed);
    return NULL;
}

void feed_destroy(struct feed *feed)
{
    if (!feed) {
        return;
    }
    pthread_mutex_lock(&feed->wait_lock);
    atomic_store(&feed->stop, true);
    pthread_cond_broadcast(&feed->wait_cond);
    pthread_mutex_unlock(&feed->wait_lock);
    pthread_join(feed->thread, NULL);

    pthread_cond_destroy(&feed->wait_cond);
    pthread_mutex_destroy(&feed->wait_lock);
    convert_finish(&feed->convert);
    mailbox_finish(&feed->mailbox);
    av_buffer_unref(&feed->hw_device);
    free(feed->safe_url);
    free(feed->label);
    free(feed->url);
    free(feed);
}

AVFrame *feed_take_frame(struct feed *feed)
{
    return mailbox_take(&feed->mailbox);
}

void feed_get_stats(struct feed *feed, struct feed_stats *out)
{
    out->state = (enum feed_state)atomic_load(&feed->state);
    out->packets = atomic_load(&feed->packets);
    out->bytes = atomic_load(&feed->bytes);
    out->frames_decoded = atomic_load(&feed->frames_decoded);
    out->frames_taken = atomic_load(&feed->mailbox.taken);
    out->frames_dropped = atomic_load(&feed->mailbox.dropped);
    out->reconnects = atomic_load(&feed->reconnects);
    out->last_frame_us = atomic_load(&feed->last_frame_us);
    out->width = atomic_load(&feed->width);
    out->height = atomic_load(&feed->height);
    out->fps = atomic_load(&feed->fps_milli) / 1000.0;
    out->reconnecting = atomic_load(&feed->reconnecting);
    out->decode = (enum feed_decode)atomic_load(&feed->decode);
    out->decode_us = atomic_load(&feed->decode_us);
    out->interval_us = atomic_load(&feed->interval_us);
    out->bitrate = atomic_load(&feed->bitrate);
    out->codec = atomic_load(&feed->codec);
    out->hardware = atomic_load(&feed->hardware);
}

void feed_refuse_hardware(struct feed *feed)
{
    if (feed->hw_device && !atomic_exchange(&feed->hw_refused, true)) {
        log_warn("feed", "%s: its hardware frames cannot be shown: decoding in software",
                 feed->label);
    }
}

void feed_set_decode(struct feed *feed, enum feed_decode decode)
{
    if (atomic_exchange(&feed->decode, (int)decode) != (int)decode) {
        log_debug("feed", "%s: decoding %s", feed->label,
                  decode == FEED_DECODE_KEYFRAMES ? "key frames only (budget)" : "every frame");
    }
}

bool feed_stats_stale(const struct feed_stats *stats, int64_t now_us)
{
    if (stats->state != FEED_LIVE || stats->last_frame_us == 0) {
        return false;
    }
    /* Key-frame-only feeds legitimately go a GOP (seconds) between frames. */
    int64_t floor =
        stats->decode == FEED_DECODE_KEYFRAMES ? 5 * FEED_STALE_MIN_US : FEED_STALE_MIN_US;
    int64_t limit = 4 * stats->interval_us;
    if (limit < floor) {
        limit = floor;
    }
    return now_us - stats->last_frame_us > limit;
}
