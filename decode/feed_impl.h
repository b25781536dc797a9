/*
 * Inside a feed: the state its thread and its session code share. Only
 * feed.c (the thread, reconnects, statistics) and session.c (one
 * connection: open, read, pace, decode, close) include this.
 *
 * Threads: the fields marked "feed thread alone" belong to the feed's
 * thread; the atomics may be read by anyone; wait_lock guards only the
 * interruptible waits.
 */
#ifndef WALL_DECODE_FEED_IMPL_H
#define WALL_DECODE_FEED_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "decode/colour.h"
#include "decode/convert.h"
#include "decode/feed.h"
#include "decode/health.h"
#include "decode/mailbox.h"
#include "decode/ring.h"
#include "decode/report.h"
#include "decode/scale.h"

/* A file packet this far off its schedule restarts the pacing clock. */
#define PACE_RESYNC_US (1000 * 1000)
/* session_run()'s answer when the stream must reopen in software. */
#define REOPEN_SOFTWARE FFERRTAG('R', 'S', 'W', 'D')
/* Once video flows, a clean picture may take this many io timeouts: a
 * camera joined just after a key frame waits a whole GOP for the next. */
#define PICTURE_TIMEOUTS 4

struct feed {
    char *url;
    char *label;
    char *safe_url; /* url with credentials masked, for logs */
    char *who;      /* label and camera name: `camera 101 "Hotel Zone"` */
    char *camera;   /* whose credentials: "camera 101" */
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
    atomic_uint_fast64_t decode_errors;
    atomic_uint_fast64_t frames_held;
    atomic_uint_fast64_t ffmpeg_messages;
    atomic_int colour_space; /* AVColorSpace applied; -1: no picture yet */
    atomic_int colour_from;  /* enum colour_from */
    atomic_int colour_full;  /* range applied; -1: no picture yet */

    /* Why the last attempt failed, in words; guarded by error_lock. */
    pthread_mutex_t error_lock;
    char last_error[FEED_ERROR_SIZE];

    /* What the render thread wants frames scaled to (the rgb draw path). */
    pthread_mutex_t target_lock;
    struct scale_target target; /* guarded by target_lock */

    /* Pre-roll: the ring this feed's packets go to (decode/ring.h); a
     * reference, or NULL. Guarded by target_lock, as is ring_changes
     * (counts feed_record() calls: a new ring begins a new segment). */
    struct ring *ring;
    unsigned ring_changes;
    bool record_only; /* demux into the ring, decode nothing */

    /* A replay (decode/replay.c) reads `replay` instead of a URL. */
    struct ring *replay;
    int64_t replay_from_us;
    atomic_int replay_speed; /* per mille of real time: 1000 plays at 1x */
    atomic_bool replay_paused;
    atomic_int replay_steps;
    atomic_uint replay_changes;         /* counts control changes: wakes its waits */
    atomic_int_fast64_t replay_wall_us; /* wall-clock time of the newest picture */

    /* Picture health (decode/health.h): the condition published by the
     * feed thread (enum picture_condition) and since when; health_reset
     * asks the feed thread to learn again (feed_health_reset). */
    atomic_int picture;
    atomic_int_fast64_t picture_since_us;
    atomic_bool health_reset;
    /* New settings from feed_set_health(), taken at the next frame while
     * health_changed is set; guarded by target_lock. */
    atomic_bool health_changed;
    bool health_on;
    struct health_settings health_settings;
    bool judges; /* may judge at all: neither a replay nor record-only */

    /* Owned by the feed thread alone. */
    struct convert convert;
    struct scaler scaler;
    struct colour colour;
    struct report report;
    int64_t pace_base_us;  /* wall time of pts 0; INT64_MIN: not started */
    int64_t pace_last_us;  /* wall time the last frame was due */
    unsigned random;       /* back-off jitter */
    bool said_software;    /* logged that the hardware refused the stream */
    bool showing;          /* this session has shown a picture */
    int64_t rate_start_us; /* bitrate window */
    uint64_t rate_bytes;
    struct health *health;       /* NULL: pictures not judged */
    char *health_who;            /* `camera 3 (Av. Tulum)`, for its lines */
    double frozen_s;             /* the health's frozen_s, for its line */
    enum picture_condition told; /* the condition its last line said */
};

/* One connection: what the feed thread opens, reads and closes again. */
struct session {
    enum report_stage stage;
    bool video_seen;        /* a video packet arrived */
    bool clean;             /* a clean picture came since the (re)start */
    int64_t first_video_us; /* when the first video packet arrived */
    AVFormatContext *format;
    AVCodecContext *decoder;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    AVRational time_base;
    uint64_t frames;
    bool hw;               /* opened with the hardware device */
    bool quiet;            /* decode, but deliver nothing (a replay before its start) */
    bool recorded;         /* this session began a segment of the feed's ring */
    unsigned ring_changes; /* ...of the ring that feed->ring_changes then said */
};

/* FFmpeg's interrupt callback: the feed is stopping or the deadline passed. */
int feed_interrupted(void *feed);

/* The blocking call under way may last `timeout_us` from now. */
void feed_arm_deadline(struct feed *feed, int64_t timeout_us);

/* A damaged picture or refused packet (counted, logged within the rate
 * limit); `detail` says which. Feed thread. */
void feed_decode_error(struct feed *feed, const char *detail);

/* Sleeps until `until_us` (av_gettime_relative clock) unless stopped.
 * Returns false when the feed is stopping. */
bool feed_sleep_until(struct feed *feed, int64_t until_us);

/* The same, and also returns once *changes differs from `seen` (a control
 * changed; whoever changes it broadcasts wait_cond under wait_lock).
 * `changes` may be NULL. */
bool feed_wait_until(struct feed *feed, int64_t until_us, const atomic_uint *changes,
                     unsigned seen);

/* Opens the feed's URL and its decoder. Negative AVERROR on failure; the
 * session must still be closed. */
int session_open(struct feed *feed, struct session *s);

/* Reads, paces (files), decodes and posts frames until the stream fails
 * or the feed stops: a negative AVERROR, or REOPEN_SOFTWARE. */
int session_run(struct feed *feed, struct session *s);

void session_close(struct session *s);

/* Opens the session's decoder for `par` (packets timed in `time_base`). */
int session_open_codec(struct feed *feed, struct session *s, const AVCodecParameters *par,
                       AVRational time_base);

/* Sends one packet (NULL drains) and delivers the clean pictures that come
 * out (none while s->quiet). Negative AVERROR when the feed must stop. */
int session_decode(struct feed *feed, struct session *s, const AVPacket *packet);

/* Judges the decoded picture `frame` (before any scaling or conversion)
 * with the feed's health, publishes its condition and logs a change;
 * PICTURE_OFF for frames it cannot judge. Feed thread. */
void feed_judge_picture(struct feed *feed, const AVFrame *frame);

/* The feed thread of a replay: plays feed->replay until the feed stops. */
void replay_run(struct feed *feed);

#endif
