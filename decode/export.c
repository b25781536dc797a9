#include "decode/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavformat/avformat.h>
#include <libavutil/sha.h>
#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/ring.h"

struct export
{
    struct export_config config; /* path and tags are copies */
    char *path;
    char *tags[EXPORT_TAGS_MAX][2];
    pthread_t thread;
    atomic_bool stop;
    atomic_bool finished;
    bool joined;
    struct export_result result; /* written by the thread before `finished` */
};

/* The file being written and where its timestamps start. */
struct writer {
    AVFormatContext *out;
    const struct ring_segment *segment; /* a reference */
    char part[PATH_MAX];
    int64_t first_ts, last_dts, end_ts;
    int64_t offset; /* added to the camera's timestamps (jumps) */
    int64_t step;   /* the last frame's time, in the segment's time base */
    int64_t first_arrival_us;
    bool header;
};

static bool fail(struct export_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool fail(struct export_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
    return false;
}

static bool open_file(struct export *e, struct writer *w, const struct ring_packet *first)
{
    struct export_result *r = &e->result;
    snprintf(w->part, sizeof(w->part), "%s.part", e->path);
    char *slash = strrchr(e->path, '/');
    if (slash) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - e->path), e->path);
        if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
            return fail(r, _("cannot make the evidence folder %s: %s"), dir, strerror(errno));
        }
    }
    int ret = avformat_alloc_output_context2(&w->out, NULL, "mp4", w->part);
    AVStream *st = ret >= 0 ? avformat_new_stream(w->out, NULL) : NULL;
    if (!st) {
        return fail(r, _("out of memory"));
    }
    avcodec_parameters_copy(st->codecpar, first->segment->par);
    st->codecpar->codec_tag = 0;
    st->time_base = first->segment->time_base;
    for (int i = 0; i < EXPORT_TAGS_MAX && e->tags[i][0]; i++) {
        av_dict_set(&w->out->metadata, e->tags[i][0], e->tags[i][1], 0);
    }
    /* When the first picture was received, as the wall's clock says. */
    char start[40];
    time_t when = (time_t)(first->wall_us / 1000000);
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(start + strlen(start), sizeof(start) - strlen(start), ".%06dZ",
             (int)(first->wall_us % 1000000));
    av_dict_set(&w->out->metadata, "start", start, 0);
    av_dict_set(&w->out->metadata, "creation_time", start, 0);
    ret = avio_open(&w->out->pb, w->part, AVIO_FLAG_WRITE);
    if (ret < 0) {
        return fail(r, _("cannot write %s: %s"), w->part, av_err2str(ret));
    }
    AVDictionary *options = NULL;
    /* Our own keys (camera, zone, station) need use_metadata_tags. */
    av_dict_set(&options, "movflags", "+faststart+use_metadata_tags", 0);
    ret = avformat_write_header(w->out, &options);
    av_dict_free(&options);
    if (ret < 0) {
        return fail(r, _("cannot write %s: %s"), w->part, av_err2str(ret));
    }
    w->header = true;
    w->segment = ring_segment_ref(first->segment);
    w->first_ts = first->packet->dts != AV_NOPTS_VALUE ? first->packet->dts : first->packet->pts;
    w->first_ts = w->first_ts == AV_NOPTS_VALUE ? 0 : w->first_ts;
    w->last_dts = INT64_MIN;
    w->step = av_rescale_q(40000, AV_TIME_BASE_Q, first->segment->time_base);
    w->step = w->step > 0 ? w->step : 1;
    w->first_arrival_us = first->arrival_us;
    r->start_wall_us = first->wall_us;
    return true;
}

/* Timestamps from 0, decode times strictly rising. Cameras send some
 * packets without a decode time; a looping file, or a camera whose clock
 * jumps, goes back in time or far ahead: the file then goes on one frame
 * after the last packet (`offset` moves). */
static bool write_packet(struct export *e, struct writer *w, struct ring_packet *p)
{
    AVPacket *pkt = p->packet;
    AVRational tb = w->segment->time_base;
    int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
    int64_t dts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pts;
    if (dts == AV_NOPTS_VALUE) {
        dts = pts = w->last_dts == INT64_MIN ? w->first_ts : w->last_dts + w->step - w->offset;
    }
    dts += w->offset - w->first_ts;
    pts += w->offset - w->first_ts;
    int64_t jump = av_rescale_q(10, (AVRational){1, 1}, tb);
    if (w->last_dts != INT64_MIN && (dts <= w->last_dts || dts > w->last_dts + jump)) {
        int64_t shift = w->last_dts + w->step - dts;
        w->offset += shift;
        dts += shift;
        pts += shift;
    }
    pts = pts < dts ? dts : pts;
    if (w->last_dts != INT64_MIN && dts - w->last_dts > 0) {
        w->step = dts - w->last_dts; /* a frame's time, for the next jump */
    }
    w->last_dts = dts;
    int64_t duration = pkt->duration > 0 ? pkt->duration : 0;
    if (pts + duration > w->end_ts) {
        w->end_ts = pts + duration;
    }
    pkt->pts = pts;
    pkt->dts = dts;
    pkt->stream_index = 0;
    pkt->pos = -1;
    av_packet_rescale_ts(pkt, w->segment->time_base, w->out->streams[0]->time_base);
    int ret = av_write_frame(w->out, pkt);
    if (ret < 0) {
        return fail(&e->result, _("writing %s failed: %s"), w->part, av_err2str(ret));
    }
    return true;
}

static bool hash_file(const char *path, struct export_result *r)
{
    FILE *f = fopen(path, "rb");
    struct AVSHA *sha = av_sha_alloc();
    if (!f || !sha || av_sha_init(sha, 256) < 0) {
        if (f) {
            fclose(f);
        }
        av_free(sha);
        return fail(r, _("cannot read back %s to hash it: %s"), path, strerror(errno));
    }
    uint8_t buf[65536], digest[32];
    size_t n;
    r->bytes = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        av_sha_update(sha, buf, n);
        r->bytes += (int64_t)n;
    }
    bool ok = !ferror(f);
    fclose(f);
    av_sha_final(sha, digest);
    av_free(sha);
    for (int i = 0; i < 32; i++) {
        snprintf(r->sha256 + 2 * i, 3, "%02x", digest[i]);
    }
    return ok || fail(r, _("cannot read back %s to hash it"), path);
}

/* Closes the file: renamed whole, or -partial when `partial`, or removed
 * when it failed. */
static void close_file(struct export *e, struct writer *w, bool written, bool partial)
{
    struct export_result *r = &e->result;
    if (w->header) {
        int ret = av_write_trailer(w->out);
        if (ret < 0 && written) {
            written = fail(r, _("finishing %s failed: %s"), w->part, av_err2str(ret));
        }
    }
    if (w->out && w->out->pb && avio_closep(&w->out->pb) < 0 && written) {
        written = fail(r, _("closing %s failed (disk full?)"), w->part);
    }
    avformat_free_context(w->out);
    w->out = NULL;
    if (!written || !w->header) {
        if (w->part[0]) {
            unlink(w->part);
        }
        return;
    }
    snprintf(r->path, sizeof(r->path), "%s", e->path);
    if (partial) {
        size_t n = strlen(e->path);
        bool mp4 = n > 4 && strcmp(e->path + n - 4, ".mp4") == 0;
        snprintf(r->path, sizeof(r->path), "%.*s-partial.mp4", (int)(mp4 ? n - 4 : n), e->path);
    }
    if (rename(w->part, r->path) != 0) {
        fail(r, _("cannot rename %s: %s"), w->part, strerror(errno));
        unlink(w->part);
        r->path[0] = '\0';
        return;
    }
    AVRational tb = w->segment->time_base;
    r->seconds = (double)w->end_ts * tb.num / tb.den;
    char why[sizeof(r->reason)];
    snprintf(why, sizeof(why), "%s", r->reason);
    if (!hash_file(r->path, r)) {
        return;
    }
    snprintf(r->reason, sizeof(r->reason), "%s", why);
    r->partial = partial;
    r->ok = !partial;
}

/* Writes packets from `seq` on until the end; false with the reason when it
 * ended early (`*partial`: the file up to there is worth keeping). */
static bool copy(struct export *e, struct writer *w, int64_t seq, bool *partial)
{
    const struct export_config *c = &e->config;
    int64_t last_packet_us = av_gettime_relative();
    for (;;) {
        if (atomic_load(&e->stop)) {
            return true;
        }
        struct ring_packet p;
        enum ring_read got = ring_read(c->ring, seq, &p);
        int64_t now = av_gettime_relative();
        if (got == RING_WAIT) {
            if (now > c->until_us) {
                return true;
            }
            if (now - last_packet_us > c->silence_us) {
                *partial = w->header;
                return fail(&e->result, _("the camera sent nothing for %d s: it dropped"),
                            (int)(c->silence_us / 1000000));
            }
            int64_t until = c->until_us < now + 200000 ? c->until_us : now + 200000;
            ring_wait(c->ring, seq, until);
            continue;
        }
        if (got != RING_PACKET) {
            *partial = w->header;
            return fail(&e->result, "%s",
                        got == RING_ENDED ? _("the camera's feed closed before the end")
                                          : _("the pre-roll moved on before it was written"));
        }
        last_packet_us = now;
        bool ok = true;
        if (!w->header) {
            ok = open_file(e, w, &p);
        } else if (p.segment != w->segment) {
            *partial = true;
            ok = fail(&e->result, _("the camera's stream changed (a reconnect, size or codec)"));
        } else if (p.arrival_us > c->until_us) {
            ring_packet_finish(&p);
            return true;
        } else if (p.arrival_us - w->first_arrival_us > c->limit_us) {
            ring_packet_finish(&p);
            /* TRANSLATORS: why an export ended before it was stopped. */
            snprintf(e->result.reason, sizeof(e->result.reason), _("the export limit of %d s"),
                     (int)(c->limit_us / 1000000));
            return true;
        }
        ok = ok && write_packet(e, w, &p);
        ring_packet_finish(&p);
        if (!ok) {
            return false;
        }
        seq++;
    }
}

static void *export_thread(void *opaque)
{
    struct export *e = opaque;
    pthread_setname_np(pthread_self(), "export");
    struct writer w = {0};
    bool partial = false, written;
    int64_t seq = ring_find_key(e->config.ring, e->config.from_us, NULL);
    if (seq < 0) {
        written = fail(&e->result, _("the camera has no pre-roll yet"));
    } else {
        written = copy(e, &w, seq, &partial);
    }
    if (written && !w.header) {
        written = fail(&e->result, _("nothing was received to write"));
    }
    close_file(e, &w, written || partial, partial && !written);
    ring_segment_unref(w.segment);
    if (e->result.ok) {
        log_info("export", "%s: %.1f s, %lld bytes, sha256 %s", e->result.path, e->result.seconds,
                 (long long)e->result.bytes, e->result.sha256);
    } else {
        if (e->result.partial) {
            log_warn("export", "%s: %s (kept as -partial)", e->path, e->result.reason);
        } else {
            log_warn("export", "%s: %s", e->path, e->result.reason);
        }
    }
    atomic_store(&e->finished, true);
    return NULL;
}

static void free_export(struct export *e)
{
    ring_hold(e->config.ring, false);
    ring_unref(e->config.ring);
    for (int i = 0; i < EXPORT_TAGS_MAX; i++) {
        free(e->tags[i][0]);
        free(e->tags[i][1]);
    }
    free(e->path);
    free(e);
}

struct export *export_start(const struct export_config *config)
{
    struct export *e = calloc(1, sizeof(*e));
    if (!e) {
        return NULL;
    }
    e->config = *config;
    e->config.ring = ring_ref(config->ring);
    ring_hold(e->config.ring, true); /* no stream switch while it writes */
    e->path = strdup(config->path);
    bool ok = e->path != NULL;
    for (int i = 0; ok && i < EXPORT_TAGS_MAX && config->tags[i][0]; i++) {
        e->tags[i][0] = strdup(config->tags[i][0]);
        e->tags[i][1] = strdup(config->tags[i][1] ? config->tags[i][1] : "");
        ok = e->tags[i][0] && e->tags[i][1];
    }
    if (!ok || pthread_create(&e->thread, NULL, export_thread, e) != 0) {
        free_export(e);
        return NULL;
    }
    return e;
}

void export_stop(struct export *e)
{
    atomic_store(&e->stop, true);
    ring_wake(e->config.ring);
}

bool export_finished(struct export *e, struct export_result *out)
{
    if (!atomic_load(&e->finished)) {
        return false;
    }
    *out = e->result;
    return true;
}

void export_wait(struct export *e)
{
    if (!e->joined) {
        pthread_join(e->thread, NULL);
        e->joined = true;
    }
}

void export_destroy(struct export *e)
{
    if (!e) {
        return;
    }
    export_stop(e);
    export_wait(e);
    free_export(e);
}
