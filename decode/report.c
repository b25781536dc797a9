#include "decode/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <libavutil/error.h>

#include "common/log.h"

static const struct {
    const char *component;
    const char *first;      /* said after the first one's detail */
    const char *one, *more; /* what the summary counts */
} kinds[REPORT_KINDS] = {
    [REPORT_DECODE] = {"feed",
                       "further decode errors are counted in stats and summed up once a minute",
                       "decode error", "decode errors"},
    [REPORT_FFMPEG] = {"ffmpeg",
                       "further FFmpeg messages for this camera are counted in stats and summed "
                       "up once a minute",
                       "FFmpeg message", "FFmpeg messages"},
};

void report_init(struct report *r, const char *who)
{
    *r = (struct report){.who = who};
}

static void sum_up(struct report *r, enum report_kind kind, int64_t now_us)
{
    if (r->kinds[kind].pending > 0) {
        int64_t seconds = (now_us - r->kinds[kind].window_us + 500000) / 1000000;
        log_warn(kinds[kind].component, "%s: %" PRIu64 " more %s in the last %" PRId64 " s",
                 r->who, r->kinds[kind].pending,
                 r->kinds[kind].pending == 1 ? kinds[kind].one : kinds[kind].more, seconds);
    }
    r->kinds[kind].pending = 0;
}

bool report_event(struct report *r, enum report_kind kind, const char *detail, int64_t now_us)
{
    report_tick(r, now_us, false);
    if (r->kinds[kind].said) {
        r->kinds[kind].pending++;
        return false;
    }
    r->kinds[kind].said = true;
    r->kinds[kind].pending = 0;
    r->kinds[kind].window_us = now_us;
    log_warn(kinds[kind].component, "%s: %s (%s)", r->who, detail ? detail : "error",
             kinds[kind].first);
    return true;
}

void report_tick(struct report *r, int64_t now_us, bool all)
{
    for (int k = 0; k < REPORT_KINDS; k++) {
        if (!r->kinds[k].said || (!all && now_us - r->kinds[k].window_us < REPORT_WINDOW_US)) {
            continue;
        }
        bool quiet = r->kinds[k].pending == 0;
        sum_up(r, (enum report_kind)k, now_us);
        r->kinds[k].window_us = now_us;
        /* A window without any: the next one is news again. */
        if (quiet) {
            r->kinds[k].said = false;
        }
    }
}

static const char *stage_name(enum report_stage stage)
{
    switch (stage) {
    case STAGE_CONNECT:
        return "connecting";
    case STAGE_PROBE:
        return "probing";
    case STAGE_WAIT:
    case STAGE_LIVE:
        return "reading";
    }
    return "playing";
}

static const char *timeout_words(const struct report_failure *f, char *buf, size_t size)
{
    double t = (double)f->timeout_us / 1e6;
    if (f->stage == STAGE_CONNECT) {
        snprintf(buf, size, "no answer from the camera within %g s", t);
    } else if (!f->video_seen) {
        snprintf(buf, size, "stream set up but no video within %g s", t);
    } else if (f->stage == STAGE_WAIT && f->no_key_frame) {
        snprintf(buf, size, "no clean picture within %g s: no key frame",
                 (double)f->picture_timeout_us / 1e6);
    } else {
        snprintf(buf, size, "no data for %g s", t);
    }
    return buf;
}

const char *report_failure_words(const struct report_failure *f, char *buf, size_t size)
{
    int e = f->error;
    if (f->is_file) {
        if (e == AVERROR_EOF) {
            snprintf(buf, size, "the file holds no picture");
        } else if (e == AVERROR(ENOENT)) {
            snprintf(buf, size, "no such file");
        } else {
            snprintf(buf, size, "%s the file failed: %s", stage_name(f->stage), av_err2str(e));
        }
        return buf;
    }
    if (f->timed_out || e == AVERROR(ETIMEDOUT)) {
        return timeout_words(f, buf, size);
    }
    switch (e) {
    case AVERROR(ECONNREFUSED):
        snprintf(buf, size, "connection refused");
        break;
    case AVERROR(EHOSTUNREACH):
    case AVERROR(ENETUNREACH):
        snprintf(buf, size, "the camera cannot be reached (%s)", av_err2str(e));
        break;
    case AVERROR_HTTP_UNAUTHORIZED:
        snprintf(buf, size, "401 unauthorized: check the credentials of %s", f->camera);
        break;
    case AVERROR_HTTP_FORBIDDEN:
        snprintf(buf, size, "403 forbidden: the camera refuses this user");
        break;
    case AVERROR_HTTP_NOT_FOUND:
        snprintf(buf, size, "404: no such stream on the camera");
        break;
    case AVERROR_HTTP_BAD_REQUEST:
    case AVERROR_HTTP_OTHER_4XX:
        snprintf(buf, size, "the camera refused the request (%s)", av_err2str(e));
        break;
    case AVERROR_HTTP_SERVER_ERROR:
        snprintf(buf, size, "the camera reported an error of its own (%s)", av_err2str(e));
        break;
    case AVERROR_EOF:
    case AVERROR(ECONNRESET):
    case AVERROR(EPIPE):
        snprintf(buf, size,
                 f->stage == STAGE_CONNECT
                     ? "the camera closed the connection during the handshake"
                     : "server closed the stream");
        break;
    case AVERROR_INVALIDDATA:
        snprintf(buf, size,
                 f->stage == STAGE_CONNECT
                     ? "the camera's answer is not RTSP (invalid data)"
                     : "the camera sends data that cannot be read (invalid data)");
        break;
    case AVERROR_STREAM_NOT_FOUND:
        snprintf(buf, size, "the stream has no video");
        break;
    case AVERROR_DECODER_NOT_FOUND:
        snprintf(buf, size, "no decoder for the stream's codec");
        break;
    default:
        snprintf(buf, size, "%s failed: %s", stage_name(f->stage), av_err2str(e));
        break;
    }
    return buf;
}
