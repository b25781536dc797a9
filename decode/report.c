#include "decode/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <libavutil/error.h>

#include "common/i18n.h"
#include "common/log.h"

static const struct {
    const char *component;
    const char *first; /* said after the first one's detail */
} kinds[REPORT_KINDS] = {
    [REPORT_DECODE] =
        {"feed", N_("further decode errors are counted in stats and summed up once a minute")},
    [REPORT_FFMPEG] = {"ffmpeg", N_("further FFmpeg messages for this camera are counted in stats "
                                    "and summed up once a minute")},
};

void report_init(struct report *r, const char *who)
{
    *r = (struct report){.who = who};
}

static void sum_up(struct report *r, enum report_kind kind, int64_t now_us)
{
    if (r->kinds[kind].pending > 0) {
        int64_t seconds = (now_us - r->kinds[kind].window_us + 500000) / 1000000;
        uint64_t n = r->kinds[kind].pending;
        log_warn(kinds[kind].component,
                 kind == REPORT_FFMPEG
                     ? ngettext("%s: %" PRIu64 " more FFmpeg message in the last %" PRId64 " s",
                                "%s: %" PRIu64 " more FFmpeg messages in the last %" PRId64 " s",
                                n)
                     : ngettext("%s: %" PRIu64 " more decode error in the last %" PRId64 " s",
                                "%s: %" PRIu64 " more decode errors in the last %" PRId64 " s", n),
                 r->who, n, seconds);
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
    log_warn(kinds[kind].component, "%s: %s (%s)", r->who, detail ? detail : _("error"),
             _(kinds[kind].first));
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

/* "connecting failed: Input/output error": a whole sentence for each stage,
 * whose words a language may put in another order. */
static void stage_failed(const struct report_failure *f, const char *error, char *buf, size_t size)
{
    switch (f->stage) {
    case STAGE_CONNECT:
        snprintf(buf, size,
                 /* TRANSLATORS: in "... failed: %s", %s is why, in FFmpeg's or the
                  * system's words ("Connection timed out"). */
                 f->is_file ? _("connecting the file failed: %s") : _("connecting failed: %s"),
                 error);
        return;
    case STAGE_PROBE:
        snprintf(buf, size,
                 f->is_file ? _("probing the file failed: %s") : _("probing failed: %s"), error);
        return;
    case STAGE_WAIT:
    case STAGE_LIVE:
        snprintf(buf, size,
                 f->is_file ? _("reading the file failed: %s") : _("reading failed: %s"), error);
        return;
    }
    snprintf(buf, size, f->is_file ? _("playing the file failed: %s") : _("playing failed: %s"),
             error);
}

static const char *timeout_words(const struct report_failure *f, char *buf, size_t size)
{
    double t = (double)f->timeout_us / 1e6;
    if (f->stage == STAGE_CONNECT) {
        snprintf(buf, size, _("no answer from the camera within %g s"), t);
    } else if (!f->video_seen) {
        snprintf(buf, size, _("stream set up but no video within %g s"), t);
    } else if (f->stage == STAGE_WAIT && f->no_key_frame) {
        snprintf(buf, size, _("no clean picture within %g s: no key frame"),
                 (double)f->picture_timeout_us / 1e6);
    } else {
        snprintf(buf, size, _("no data for %g s"), t);
    }
    return buf;
}

const char *report_failure_words(const struct report_failure *f, char *buf, size_t size)
{
    int e = f->error;
    if (f->is_file) {
        if (e == AVERROR_EOF) {
            snprintf(buf, size, "%s", _("the file holds no picture"));
        } else if (e == AVERROR(ENOENT)) {
            snprintf(buf, size, "%s", _("no such file"));
        } else {
            stage_failed(f, av_err2str(e), buf, size);
        }
        return buf;
    }
    if (f->timed_out || e == AVERROR(ETIMEDOUT)) {
        return timeout_words(f, buf, size);
    }
    switch (e) {
    case AVERROR(ECONNREFUSED):
        snprintf(buf, size, "%s", _("connection refused"));
        break;
    case AVERROR(EHOSTUNREACH):
    case AVERROR(ENETUNREACH):
        /* TRANSLATORS: %s is the system's words: "No route to host". */
        snprintf(buf, size, _("the camera cannot be reached (%s)"), av_err2str(e));
        break;
    case AVERROR_HTTP_UNAUTHORIZED:
        /* TRANSLATORS: %s is "camera 101", as translated. */
        snprintf(buf, size, _("401 unauthorized: check the credentials of %s"), f->camera);
        break;
    case AVERROR_HTTP_FORBIDDEN:
        snprintf(buf, size, "%s", _("403 forbidden: the camera refuses this user"));
        break;
    case AVERROR_HTTP_NOT_FOUND:
        snprintf(buf, size, "%s", _("404: no such stream on the camera"));
        break;
    case AVERROR_HTTP_BAD_REQUEST:
    case AVERROR_HTTP_OTHER_4XX:
        snprintf(buf, size, _("the camera refused the request (%s)"), av_err2str(e));
        break;
    case AVERROR_HTTP_SERVER_ERROR:
        snprintf(buf, size, _("the camera reported an error of its own (%s)"), av_err2str(e));
        break;
    case AVERROR_EOF:
    case AVERROR(ECONNRESET):
    case AVERROR(EPIPE):
        snprintf(buf, size, "%s",
                 f->stage == STAGE_CONNECT
                     ? _("the camera closed the connection during the handshake")
                     : _("server closed the stream"));
        break;
    case AVERROR_INVALIDDATA:
        snprintf(buf, size, "%s",
                 f->stage == STAGE_CONNECT
                     ? _("the camera's answer is not RTSP (invalid data)")
                     : _("the camera sends data that cannot be read (invalid data)"));
        break;
    case AVERROR_STREAM_NOT_FOUND:
        snprintf(buf, size, "%s", _("the stream has no video"));
        break;
    case AVERROR_DECODER_NOT_FOUND:
        snprintf(buf, size, "%s", _("no decoder for the stream's codec"));
        break;
    default:
        stage_failed(f, av_err2str(e), buf, size);
        break;
    }
    return buf;
}
