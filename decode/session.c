/* One connection of a feed: open the URL and its decoder, read packets
 * (pacing files like a camera), decode, hand frames to the mailbox. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/feed_impl.h"

void session_close(struct session *s)
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
                if (profile) {
                    log_info("feed",
                             "%s: the hardware does not decode this %s stream (%s): software",
                             feed->label, avcodec_get_name(ctx->codec_id), profile);
                } else {
                    log_info("feed",
                             "%s: the hardware does not decode this %s stream (unknown profile): "
                             "software",
                             feed->label, avcodec_get_name(ctx->codec_id));
                }
                feed->said_software = true;
            }
            return *p;
        }
    }
    return AV_PIX_FMT_NONE;
}

int session_open_codec(struct feed *feed, struct session *s, const AVCodecParameters *par,
                       AVRational time_base)
{
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    if (!codec) {
        log_warn("feed", "%s: no decoder for codec %s", feed->label,
                 avcodec_get_name(par->codec_id));
        return AVERROR_DECODER_NOT_FOUND;
    }
    s->decoder = avcodec_alloc_context3(codec);
    if (!s->decoder) {
        return AVERROR(ENOMEM);
    }
    int ret = avcodec_parameters_to_context(s->decoder, par);
    if (ret < 0) {
        return ret;
    }
    atomic_store(&feed->codec, codec->name);
    /* Feeds run in parallel, one thread each: decoding inside the thread
     * avoids frame-threading's extra latency and its thread pool per feed. */
    s->decoder->thread_count = 1;
    s->decoder->pkt_timebase = time_base;
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
    s->time_base = time_base;
    s->clean = false;
    return 0;
}

static int open_decoder(struct feed *feed, struct session *s)
{
    int index = av_find_best_stream(s->format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (index < 0) {
        log_warn("feed", "%s (%s): no video stream", feed->label, feed->safe_url);
        return index;
    }
    AVStream *stream = s->format->streams[index];
    int ret = session_open_codec(feed, s, stream->codecpar, stream->time_base);
    if (ret < 0) {
        return ret;
    }
    s->stream = index;
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

int session_open(struct feed *feed, struct session *s)
{
    memset(s, 0, sizeof(*s));
    s->stream = -1;
    feed->showing = false;
    s->stage = STAGE_CONNECT;
    s->packet = av_packet_alloc();
    s->frame = av_frame_alloc();
    s->format = avformat_alloc_context();
    if (!s->packet || !s->frame || !s->format) {
        return AVERROR(ENOMEM);
    }
    s->format->interrupt_callback.callback = feed_interrupted;
    s->format->interrupt_callback.opaque = feed;

    AVDictionary *options = NULL;
    if (!feed->is_file) {
        char timeout[32];
        snprintf(timeout, sizeof(timeout), "%" PRId64, feed->io_timeout_us);
        av_dict_set(&options, "rtsp_transport", "tcp", 0);
        av_dict_set(&options, "timeout", timeout, 0); /* microseconds */
        av_dict_set(&options, "analyzeduration", "1000000", 0);
        /* No "fflags nobuffer": the packets read while probing, the first
         * key frame among them, must reach the decoder. */
    }
    /* One deadline from the attempt's start: connect, the RTSP handshake,
     * probing and the first video packet all count against it (the
     * interrupt callback enforces it in every blocking call). */
    feed_arm_deadline(feed, feed->io_timeout_us);
    int ret = avformat_open_input(&s->format, feed->url, NULL, &options);
    av_dict_free(&options);
    if (ret < 0) {
        return ret;
    }
    s->stage = STAGE_PROBE;
    ret = avformat_find_stream_info(s->format, NULL);
    if (ret < 0) {
        return ret;
    }
    ret = open_decoder(feed, s);
    s->stage = STAGE_WAIT;
    return ret;
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
    int64_t due = 0;
    /* Damaged timestamps can be anything: an overflow is a jump too. */
    bool lost =
        feed->pace_base_us == INT64_MIN || __builtin_add_overflow(feed->pace_base_us, ts_us, &due);
    if (lost || due < now - PACE_RESYNC_US || due > now + PACE_RESYNC_US) {
        /* Start, loop or jump: continue from the last packet's slot. */
        int64_t start = feed->pace_last_us > now - PACE_RESYNC_US ? feed->pace_last_us : now;
        int64_t duration = packet->duration > 0
                               ? av_rescale_q(packet->duration, time_base, AV_TIME_BASE_Q)
                               : 40000;
        if (__builtin_sub_overflow(start + duration, ts_us, &feed->pace_base_us)) {
            feed->pace_base_us = INT64_MIN; /* unusable timestamp: do not pace it */
            return true;
        }
        due = start + duration;
    }
    feed->pace_last_us = due;
    return feed_sleep_until(feed, due);
}

static bool deliver(struct feed *feed, struct session *s)
{
    enum colour_from from = colour_tag(&feed->colour, s->frame, s->decoder->codec_id);
    atomic_store(&feed->colour_space, s->frame->colorspace);
    atomic_store(&feed->colour_from, (int)from);
    atomic_store(&feed->colour_full, s->frame->color_range == AVCOL_RANGE_JPEG);
    /* Judged as decoded, at its own size and range, before any scaling. */
    feed_judge_picture(feed, s->frame);
    struct scale_target target;
    pthread_mutex_lock(&feed->target_lock);
    target = feed->target;
    pthread_mutex_unlock(&feed->target_lock);
    AVFrame *out = NULL;
    if (target.width > 0 && s->frame->format != AV_PIX_FMT_VAAPI) {
        out = scaler_frame(&feed->scaler, s->frame, &target);
    }
    if (!out) {
        out = convert_frame(&feed->convert, s->frame);
    }
    int width = s->frame->width, height = s->frame->height;
    av_frame_unref(s->frame);
    if (!out) {
        return true; /* logged by convert; skip the frame, keep the stream */
    }
    atomic_store(&feed->width, width);
    atomic_store(&feed->height, height);
    int64_t now = av_gettime_relative();
    int64_t last = atomic_exchange(&feed->last_frame_us, now);
    if (last > 0 && s->frames > 0) {
        /* Smoothed arrival interval: what "several intervals late" means. */
        int64_t interval = atomic_load(&feed->interval_us);
        int64_t delta = now - last;
        atomic_store(&feed->interval_us, interval ? interval + (delta - interval) / 8 : delta);
    }
    s->stage = STAGE_LIVE;
    feed->showing = true;
    if (s->frames++ == 0) {
        log_info("feed", "%s: live, %s %dx%d", feed->label, avcodec_get_name(s->decoder->codec_id),
                 width, height);
    }
    atomic_store(&feed->state, FEED_LIVE);
    atomic_store(&feed->reconnecting, false); /* the attempt succeeded */
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

/* Starts over from the next clean picture: what the decoder holds may
 * refer to damaged pictures, so it is flushed and nothing is shown until
 * a clean start (see clean_start). */
static void resync(struct feed *feed, struct session *s, const char *detail)
{
    avcodec_flush_buffers(s->decoder);
    /* Before the first picture shown, broken pictures are what joining
     * mid-GOP gives: expected, not an error of the camera's. */
    if (s->frames > 0) {
        feed_decode_error(feed, detail);
    }
    s->clean = false;
}

/* Whether a picture out of the decoder may be shown. H.264's decoder tracks
 * recovery itself (IDR, recovery point SEI) and hides pictures until it has
 * recovered; the others (H.265 fills missing references with grey) show
 * only from a key frame on after a (re)start. */
static bool clean_start(const struct session *s, const AVFrame *frame)
{
#if LIBAVUTIL_VERSION_MAJOR >= 58
    bool key = frame->flags & AV_FRAME_FLAG_KEY;
#else
    bool key = frame->key_frame;
#endif
    return s->clean || key || s->decoder->codec_id == AV_CODEC_ID_H264;
}

static bool damaged(const AVFrame *frame)
{
    return (frame->flags & AV_FRAME_FLAG_CORRUPT) || frame->decode_error_flags;
}

/* Sends one packet (NULL drains) and delivers what comes out. */
int session_decode(struct feed *feed, struct session *s, const AVPacket *packet)
{
    enum AVDiscard skip =
        atomic_load(&feed->decode) == FEED_DECODE_KEYFRAMES ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
    s->decoder->skip_frame = skip;
    int64_t start = thread_cpu_us();
    int ret = avcodec_send_packet(s->decoder, packet);
    atomic_fetch_add(&feed->decode_us, thread_cpu_us() - start);
    if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
        /* Damaged data: start over from the next clean picture. */
        char detail[96];
        snprintf(detail, sizeof(detail), _("packet refused by the decoder (%s)"), av_err2str(ret));
        resync(feed, s, detail);
        return 0;
    }
    for (;;) {
        start = thread_cpu_us();
        ret = avcodec_receive_frame(s->decoder, s->frame);
        atomic_fetch_add(&feed->decode_us, thread_cpu_us() - start);
        if (ret < 0) {
            break;
        }
        atomic_fetch_add(&feed->frames_decoded, 1);
        if (damaged(s->frame)) {
            av_frame_unref(s->frame);
            resync(feed, s,
                   _("damaged picture dropped, showing the last clean one until the next key "
                     "frame"));
            break;
        }
        if (!clean_start(s, s->frame)) {
            av_frame_unref(s->frame); /* joined mid-GOP: wait for a key frame */
            atomic_fetch_add(&feed->frames_held, 1);
            continue;
        }
        s->clean = true;
        if (s->quiet) {
            av_frame_unref(s->frame); /* a replay decoding up to its start */
            continue;
        }
        /* Converting or scaling for the tile counts as decoding: the budget
         * prices a feed by all it costs per frame. */
        start = thread_cpu_us();
        bool delivered = deliver(feed, s);
        atomic_fetch_add(&feed->decode_us, thread_cpu_us() - start);
        if (!delivered) {
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
    int ret = session_decode(feed, s, NULL);
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

/* Keeps the packet in the camera's pre-roll (decode/ring.h), if the feed
 * has one; a new segment per session and per ring. Under target_lock: the
 * ring may be changed by another thread (feed_record). */
static void record(struct feed *feed, struct session *s)
{
    pthread_mutex_lock(&feed->target_lock);
    if (feed->ring) {
        if (!s->recorded || s->ring_changes != feed->ring_changes) {
            const AVStream *stream = s->format->streams[s->stream];
            ring_begin(feed->ring, stream->codecpar, stream->time_base);
            s->recorded = true;
            s->ring_changes = feed->ring_changes;
        }
        ring_push(feed->ring, s->packet, av_gettime_relative(), av_gettime());
    }
    pthread_mutex_unlock(&feed->target_lock);
}

/* A feed that only records (evidence of a stream not shown): live from
 * its first key frame, which the ring keeps. */
static int recorded(struct feed *feed, struct session *s)
{
    if (s->stage != STAGE_LIVE && (s->packet->flags & AV_PKT_FLAG_KEY)) {
        s->stage = STAGE_LIVE;
        s->frames = 1; /* a reconnect after this resets the back-off */
        log_info("feed", "%s: recording", feed->label);
        atomic_store(&feed->state, FEED_LIVE);
        atomic_store(&feed->reconnecting, false);
    }
    return 0;
}

/* The deadline after a video packet: the io timeout from now, but before
 * the first clean picture never past PICTURE_TIMEOUTS of them from the
 * first video packet. */
static void arm_after_packet(struct feed *feed, struct session *s)
{
    int64_t now = av_gettime_relative();
    if (!s->video_seen) {
        s->video_seen = true;
        s->first_video_us = now;
    }
    int64_t deadline = now + feed->io_timeout_us;
    int64_t picture = s->first_video_us + PICTURE_TIMEOUTS * feed->io_timeout_us;
    if (s->stage != STAGE_LIVE && picture < deadline) {
        deadline = picture;
    }
    atomic_store(&feed->io_deadline_us, deadline);
    report_tick(&feed->report, now, false);
}

/* Reads and decodes until the stream fails or the feed stops.
 *
 * The deadline armed when the attempt started runs on until the first
 * video packet; after that it runs from the last video packet: a stream
 * that stops sending is given up io_timeout after its last data, and what
 * the demuxer still held when the deadline struck (a frame it was waiting
 * to complete) is dropped rather than shown as if it were new. */
int session_run(struct feed *feed, struct session *s)
{
    if (feed->is_file) {
        atomic_store(&feed->io_deadline_us, 0); /* local reads do not hang */
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
            if (!feed->is_file && feed_interrupted(feed)) {
                av_packet_unref(s->packet);
                return AVERROR(ETIMEDOUT);
            }
            if (!feed->is_file) {
                arm_after_packet(feed, s);
            }
            if (feed->is_file && !pace(feed, s->packet, s->time_base)) {
                av_packet_unref(s->packet);
                return AVERROR_EXIT;
            }
            count_packet(feed, s->packet->size);
            record(feed, s);
            ret = feed->record_only ? recorded(feed, s) : session_decode(feed, s, s->packet);
        }
        av_packet_unref(s->packet);
        if (ret < 0) {
            return ret;
        }
    }
}
