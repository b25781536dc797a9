/*
 * What a feed says about its troubles, in words an operator can act on,
 * and never so often that a wall of bad cameras fills the journal.
 *
 * Rate limit: per feed and per kind of trouble, the first occurrence is
 * logged whole at WARN; later ones are only counted, and summed up in one
 * line at most once a minute ("camera 101 "Hotel": 212 more decode errors
 * in the last 60 s"). A minute without any starts over: the next one is
 * logged whole again. Every occurrence is counted in the feed's stats.
 *
 * Failure words: why an attempt to play a camera ended, said for what
 * happened ("connection refused", "no data for 5 s", "401 unauthorized:
 * check the credentials of camera 101"), never as a bare FFmpeg string.
 *
 * Threads: a report belongs to its feed's thread. Pure functions of their
 * arguments (the clock is passed in), so they are unit-tested alone.
 */
#ifndef WALL_DECODE_REPORT_H
#define WALL_DECODE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_WINDOW_US (60 * 1000 * 1000)

enum report_kind {
    REPORT_DECODE, /* a damaged picture dropped, a packet the decoder refused */
    REPORT_FFMPEG, /* a warning or error FFmpeg logged while serving the feed */
    REPORT_KINDS,
};

struct report {
    const char *who; /* borrowed: `camera 101 "Hotel Zone"` */
    struct {
        bool said;         /* the first of this window was logged whole */
        uint64_t pending;  /* occurrences since, not yet summed up */
        int64_t window_us; /* when the current window started */
    } kinds[REPORT_KINDS];
};

void report_init(struct report *r, const char *who);

/* One occurrence of `kind`, with its detail (may be NULL). Logs it whole
 * when it is the first of its window, otherwise counts it. Returns whether
 * it was logged. */
bool report_event(struct report *r, enum report_kind kind, const char *detail, int64_t now_us);

/* Sums up what was counted in windows that are over (all of them when
 * `all`, e.g. when the session closes). Cheap: call it per packet. */
void report_tick(struct report *r, int64_t now_us, bool all);

/* Where an attempt was when it ended. */
enum report_stage {
    STAGE_CONNECT, /* TCP connect and RTSP OPTIONS/DESCRIBE/SETUP/PLAY */
    STAGE_PROBE,   /* reading the first packets to learn the stream */
    STAGE_WAIT,    /* decoding, no clean picture yet */
    STAGE_LIVE,    /* pictures were shown */
};

struct report_failure {
    int error; /* the AVERROR the attempt ended with */
    enum report_stage stage;
    bool timed_out;  /* the deadline struck (no answer, no data) */
    bool video_seen; /* a video packet had arrived */
    bool is_file;
    bool no_key_frame;          /* video flowed, but no clean picture in time */
    int64_t timeout_us;         /* the feed's deadline, for the words */
    int64_t picture_timeout_us; /* the first picture's, once video flows */
    const char *camera;         /* whose credentials, e.g. "camera 101" */
};

/* Writes why the attempt failed into buf (always terminated). */
const char *report_failure_words(const struct report_failure *f, char *buf, size_t size);

#endif
