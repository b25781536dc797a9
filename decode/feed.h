/*
 * Feed: one camera stream, demuxed and decoded on its own thread.
 *
 * A feed opens its URL with libavformat (RTSP over TCP, with connect and
 * read timeouts), decodes the best video stream with libavcodec, and posts
 * every decoded frame to its mailbox, where the render thread takes the
 * newest one. Files (a URL without a scheme) loop forever and are paced by
 * their timestamps, like a camera; live streams are paced by their arrival.
 *
 * Frames come out as YUV420P, YUVJ420P or NV12 with their colour matrix and
 * range tagged, or as VA-API surfaces when decoded in hardware, or as RGB
 * at the size the renderer asked for (feed_set_target); any other
 * software format is converted here, on the feed's thread, so the render
 * thread never converts. A stream the hardware refuses (codec, profile)
 * decodes in software by itself and says so once.
 *
 * Only clean pictures come out. After a (re)connect, nothing is shown until
 * the decoder has a clean start: for H.264 a picture its decoder calls
 * recovered (an IDR, or a recovery point: cameras with periodic intra
 * refresh never send an IDR); for every other codec a key frame. A picture
 * the decoder flags as damaged, or a packet it refuses, is dropped; the
 * decoder is flushed and the feed waits for the next clean start, so the
 * tile keeps its last clean picture. Those are counted (decode_errors).
 *
 * One deadline, the io timeout (default 5 s), covers "no picture yet":
 * from the start of each attempt, the camera must answer (TCP connect,
 * RTSP OPTIONS, DESCRIBE, SETUP, PLAY), be probed and send video within
 * it; after that, no gap between video packets may exceed it. Video that
 * flows without a clean picture (a key frame far away) gets
 * PICTURE_TIMEOUTS x the timeout from its first packet.
 *
 * When the stream cannot be opened, ends, errors or misses its deadline,
 * the feed reports FEED_NO_SIGNAL, says why in words of what happened
 * (decode/report.h; also its stats' last_error), and keeps trying in the
 * background with an exponential back-off (1 s to 30 s, with jitter). It
 * never blocks any other thread: feed_destroy() interrupts whatever the
 * feed thread is waiting on.
 *
 * FFmpeg's messages from a feed's thread name its camera and are rate
 * limited per feed (decode/avlog.h, decode/report.h), as are decode errors.
 *
 * With picture health, the feed judges what it decodes (decode/health.h):
 * frozen, obstructed, blurred or moved is said once at its onset (a
 * warning, `camera 3 (Av. Tulum): obstructed`) and once when the picture
 * is sound again (`camera 3 (Av. Tulum): picture ok again`), and is in
 * its stats meanwhile. Hardware frames are not judged.
 *
 * Threads: feed_create/feed_destroy from one owning thread; feed_take_frame
 * from one consumer thread; feed_get_stats from any thread.
 */
#ifndef WALL_DECODE_FEED_H
#define WALL_DECODE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/colour.h"
#include "decode/health.h"

struct AVBufferRef;
struct AVFrame;
struct feed;

enum feed_state {
    FEED_CONNECTING, /* first attempt, nothing decoded yet */
    FEED_LIVE,       /* frames are arriving */
    FEED_NO_SIGNAL,  /* failed or stopped; retrying in the background */
};

struct feed_config {
    const char *url;           /* copied; may hold credentials, never logged as is */
    const char *label;         /* copied; names the feed in logs, e.g. "camera 101" */
    const char *name;          /* copied; the camera's name, or NULL */
    const char *camera;        /* copied; whose credentials, e.g. "camera 101"; NULL: label */
    enum colour_matrix colour; /* shown with; COLOUR_AUTO: the stream's, else guessed */
    enum colour_range range;
    int io_timeout_ms; /* connect and read timeout for network streams; 0: 5000 */
    /* Hardware device (decode/hwdec.h) to decode with, or NULL: software.
     * Borrowed; the feed keeps its own reference. Frames then come out as
     * AV_PIX_FMT_VAAPI surfaces for zero-copy import. */
    struct AVBufferRef *hw_device;
    /* Pre-roll (decode/ring.h): the ring this feed's video packets go to
     * (feed_record() changes it). Borrowed; the feed keeps a reference.
     * NULL: none. */
    struct ring *ring;
    /* Only record into `ring`: no decoder runs and no frame comes out (the
     * evidence of a stream that is not shown). */
    bool record_only;
    /* A replay instead of a stream: the feed decodes this ring (borrowed;
     * it keeps a reference) from its last key frame at or before
     * `replay_from_us` (av_gettime_relative clock), shows pictures from
     * that time on, and plays on at the speed asked (feed_replay_control)
     * as far as the ring goes, following its segments (a reconnect, a new
     * size or codec). `url` is then only a label. */
    struct ring *replay;
    int64_t replay_from_us;
    /* Judge the pictures (decode/health.h) with these thresholds: the
     * feed owns a struct health on its thread, looks at each decoded
     * software picture before any scaling or conversion, publishes the
     * condition in its stats and logs its onset and end. Ignored for a
     * replay and with record_only. */
    bool picture_health;
    struct health_settings health;
};

/* How much of the stream to decode; the render thread sets it, the feed
 * thread applies it from the next packet on. */
enum feed_decode {
    FEED_DECODE_ALL,
    FEED_DECODE_KEYFRAMES, /* skip everything but key frames: ~0.1 of the cost */
};

/* How a replay plays: speed in per mille of real time (1000: 1x; 125 to
 * 8000), paused, and single steps asked for while paused. */
struct feed_replay {
    int speed;
    bool paused;
};

#define FEED_ERROR_SIZE 160

struct feed_stats {
    enum feed_state state;
    bool reconnecting;                /* an attempt after a failure is under way */
    enum feed_decode decode;          /* what the feed decodes now */
    uint64_t packets;                 /* packets read from the stream */
    uint64_t bytes;                   /* payload bytes read */
    uint64_t frames_decoded;          /* frames out of the decoder */
    uint64_t frames_taken;            /* frames the consumer took */
    uint64_t frames_dropped;          /* frames replaced before they were taken */
    unsigned reconnects;              /* attempts after the first */
    int64_t decode_us;                /* CPU time decoding and converting or scaling, all frames */
    int64_t last_frame_us;            /* av_gettime_relative() of the newest frame; 0: never */
    int64_t interval_us;              /* smoothed time between frames; 0: unknown */
    int64_t bitrate;                  /* bits per second over the last few seconds */
    int width, height;                /* of the newest frame; 0 before the first */
    double fps;                       /* the stream's nominal frame rate; 0: unknown */
    const char *codec;                /* static name, e.g. "h264"; "" before the first */
    bool hardware;                    /* frames come from the hardware decoder */
    uint64_t decode_errors;           /* damaged pictures dropped, packets refused */
    uint64_t frames_held;             /* decoded before a clean start (mid-GOP), not shown */
    uint64_t ffmpeg_messages;         /* FFmpeg warnings and errors from this feed */
    const char *colour;               /* matrix applied: "bt601", "bt709"...; "": no picture yet */
    const char *colour_from;          /* "stream", "guess", "layout"; "": no picture yet */
    const char *range;                /* "limited", "full"; "": no picture yet */
    char last_error[FEED_ERROR_SIZE]; /* why the last attempt failed (translated); "": never */
    int64_t replay_wall_us;           /* replay: wall-clock time (µs) of the newest picture */
    /* Picture health (decode/health.h): PICTURE_OFF without it, and while
     * the frames are ones it cannot judge (hardware surfaces, more than
     * 8 bits); PICTURE_LEARNING until the first reference is learnt. */
    enum picture_condition picture;
    int64_t picture_since_us; /* av_gettime_relative() it began; 0: unknown */
};

/* Starts the feed's thread. Returns NULL only when out of resources. */
struct feed *feed_create(const struct feed_config *config);

/* Stops the thread (interrupting any wait) and frees everything. NULL-safe. */
void feed_destroy(struct feed *feed);

/* The newest decoded frame not yet taken, owned by the caller, or NULL. */
struct AVFrame *feed_take_frame(struct feed *feed);

void feed_get_stats(struct feed *feed, struct feed_stats *out);

void feed_set_decode(struct feed *feed, enum feed_decode decode);

/* From the next frame on, software frames come out scaled and converted to
 * RGB as `target` says (decode/scale.h); NULL or width 0: as Y'CbCr.
 * Hardware frames always come out as they are (zero copy). Any thread. */
struct scale_target;
void feed_set_target(struct feed *feed, const struct scale_target *target);

/* The renderer could not import this feed's hardware frames: the feed
 * reopens its stream in software at once (no NO SIGNAL in between) and
 * stays in software. Says so once. Any thread. */
void feed_refuse_hardware(struct feed *feed);

/* Whether a live feed has gone quiet: no frame for several of its usual
 * intervals (at least STALE_MIN_US). Age is now_us - last_frame_us. */
#define FEED_STALE_MIN_US 1000000
bool feed_stats_stale(const struct feed_stats *stats, int64_t now_us);

const char *feed_state_name(enum feed_state state);

/* From the next packet on, the feed's packets go to `ring` (borrowed; the
 * feed keeps a reference), which begins a new segment; NULL: nowhere.
 * Any thread. */
void feed_record(struct feed *feed, struct ring *ring);

/* The feed's picture health learns its reference again from its next
 * picture on (a camera turned on purpose): the feed thread calls
 * health_reset() at its next frame. No-op without picture health. Any
 * thread. */
void feed_health_reset(struct feed *feed);

/* From its next frame on, the feed judges its pictures with `settings`
 * (`on`), or no longer (`!on`): what a reload of the layout changed. A
 * new reference is learnt. No-op for a replay or a record-only feed. Any
 * thread. */
void feed_set_health(struct feed *feed, bool on, const struct health_settings *settings);

/* A replay's speed and pause; `steps` more pictures while paused. Takes
 * effect at once (a wait under way is cut short). Any thread. */
void feed_replay_control(struct feed *feed, const struct feed_replay *replay, int steps);

#endif
