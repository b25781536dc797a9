/* What the metrics say: the Prometheus text exposition (format 0.0.4) of
 * the figures `stats` gives (wall/stats.h), written on the render thread.
 * Names carry the wall_ prefix and their unit; counters end in _total.
 * Label values are escaped as the format asks (backslash, double quote,
 * newline) and made valid UTF-8 as the stats' JSON is. No URL is ever
 * written: cameras are named by number and name. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/json.h"
#include "decode/health.h"
#include "wall/cpustat.h"
#include "wall/mask.h"
#include "wall/metrics_impl.h"
#include "wall/sources.h"

#define TEXT_FIRST_SIZE 16384

static bool grow(struct metrics_text *t, size_t more)
{
    if (t->failed) {
        return false;
    }
    if (t->size - t->len > more) {
        return true;
    }
    size_t size = t->size ? t->size : TEXT_FIRST_SIZE;
    while (size - t->len <= more) {
        size *= 2;
    }
    char *data = realloc(t->data, size);
    if (!data) {
        t->failed = true;
        return false;
    }
    t->data = data;
    t->size = size;
    return true;
}

static void put_bytes(struct metrics_text *t, const char *bytes, size_t n)
{
    if (grow(t, n)) {
        memcpy(t->data + t->len, bytes, n);
        t->len += n;
        t->data[t->len] = '\0';
    }
}

__attribute__((format(printf, 2, 3))) static void put(struct metrics_text *t, const char *format,
                                                      ...)
{
    char line[256];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(line, sizeof(line), format, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(line)) {
        t->failed = true; /* our own lines are short: a bug */
        return;
    }
    put_bytes(t, line, (size_t)n);
}

/* A label value: \ " and newline escaped, ill-formed UTF-8 as U+FFFD. */
static void put_label_value(struct metrics_text *t, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        if (*p == '\\' || *p == '"') {
            put_bytes(t, "\\", 1);
            put_bytes(t, (const char *)p, 1);
            p++;
        } else if (*p == '\n') {
            put_bytes(t, "\\n", 2);
            p++;
        } else if (*p < 0x80) {
            put_bytes(t, (const char *)p, 1);
            p++;
        } else {
            int bad = 0;
            int n = json_utf8_length(p, &bad);
            put_bytes(t, n > 0 ? (const char *)p : "\xef\xbf\xbd", n > 0 ? (size_t)n : 3);
            p += n > 0 ? n : bad;
        }
    }
}

/* A sample's value: whole numbers as such (counters), others to 9 digits. */
static void put_value(struct metrics_text *t, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        put(t, " %.0f\n", v);
    } else {
        put(t, " %.9g\n", v);
    }
}

static void family(struct metrics_text *t, const char *name, const char *type, const char *help)
{
    put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A sample without labels. */
static void sample(struct metrics_text *t, const char *name, double v)
{
    put(t, "%s", name);
    put_value(t, v);
}

/* `name{camera="101",name="..."` ; the caller adds labels and closes. */
static void camera_sample(struct metrics_text *t, const char *name, const struct source *source)
{
    put(t, "%s{camera=\"%d\",name=\"", name, source->camera->number);
    put_label_value(t, source->camera->name);
    put_bytes(t, "\"", 1);
}

/* live, connecting, no-signal, stale (live, but no frame for a while) or
 * reduced (live on key frames only): one of them at a time. */
static const char *const camera_states[] = {"live", "connecting", "no-signal", "stale", "reduced"};

static const char *camera_state(const struct stats_feed *f)
{
    switch (f->feed.state) {
    case FEED_CONNECTING:
        return "connecting";
    case FEED_NO_SIGNAL:
        return "no-signal";
    case FEED_LIVE:
        break;
    }
    return f->stale ? "stale" : f->feed.decode == FEED_DECODE_KEYFRAMES ? "reduced" : "live";
}

enum camera_figure {
    FRAMES_SHOWN,
    FRAMES_DECODED,
    FRAMES_DROPPED,
    BYTES,
    RECONNECTS,
    DECODE_ERRORS,
    BITRATE,
};

static const struct {
    const char *name, *type, *help;
} camera_figures[] = {
    [FRAMES_SHOWN] =
        {"wall_camera_frames_shown_total", "counter",
         M_("Frames of the camera put on the glass (uploaded), as stats' frames_shown.")},
    [FRAMES_DECODED] = {"wall_camera_frames_decoded_total", "counter",
                        M_("Frames out of the camera's decoder.")},
    [FRAMES_DROPPED] = {"wall_camera_frames_dropped_total", "counter",
                        M_("Decoded frames a newer one replaced before they were shown.")},
    [BYTES] = {"wall_camera_received_bytes_total", "counter",
               M_("Payload bytes read from the camera's stream.")},
    [RECONNECTS] = {"wall_camera_reconnects_total", "counter",
                    M_("Connection attempts after the first.")},
    [DECODE_ERRORS] = {"wall_camera_decode_errors_total", "counter",
                       M_("Damaged pictures dropped and packets the decoder refused.")},
    [BITRATE] = {"wall_camera_bitrate_bits_per_second", "gauge",
                 M_("Bits per second received over the last few seconds.")},
};

static double camera_figure(enum camera_figure which, const struct source *source,
                            const struct stats_feed *f)
{
    switch (which) {
    case FRAMES_SHOWN:
        return (double)source->frames_shown;
    case FRAMES_DECODED:
        return (double)f->feed.frames_decoded;
    case FRAMES_DROPPED:
        return (double)f->feed.frames_dropped;
    case BYTES:
        return (double)f->feed.bytes;
    case RECONNECTS:
        return (double)f->feed.reconnects;
    case DECODE_ERRORS:
        return (double)f->feed.decode_errors;
    case BITRATE:
        return (double)f->feed.bitrate;
    }
    return 0;
}

/* The open feeds and their figures, once for the whole text: every
 * family of a camera tells the same moment. Returns how many. */
static int gather_feeds(struct metrics *m, const struct source_set *sources, int64_t now)
{
    if (m->feeds_size < sources->n) {
        struct metrics_feed *feeds = realloc(m->feeds, (size_t)sources->n * sizeof(*feeds));
        if (!feeds) {
            return 0;
        }
        m->feeds = feeds;
        m->feeds_size = sources->n;
    }
    int n = 0;
    for (int i = 0; i < sources->n; i++) {
        const struct source *source = sources_get(sources, i);
        if (source->feed) {
            m->feeds[n].source = source;
            stats_feed_figures(source, now, &m->feeds[n].figures);
            n++;
        }
    }
    return n;
}

static void write_cameras(struct metrics *m, struct metrics_text *t,
                          const struct source_set *sources, int64_t now)
{
    int n = gather_feeds(m, sources, now);
    const struct metrics_feed *feeds = m->feeds;
    family(t, "wall_camera_up", "gauge",
           M_("1 while the camera's feed is connected and sending (live, stale or reduced)."));
    for (int i = 0; i < n; i++) {
        camera_sample(t, "wall_camera_up", feeds[i].source);
        put(t, "} %d\n", feeds[i].figures.feed.state == FEED_LIVE);
    }
    family(t, "wall_camera_state", "gauge",
           M_("The camera's state: 1 for the one it is in (live, connecting, no-signal, stale, "
              "reduced)."));
    for (int i = 0; i < n; i++) {
        const char *state = camera_state(&feeds[i].figures);
        for (size_t k = 0; k < sizeof(camera_states) / sizeof(camera_states[0]); k++) {
            camera_sample(t, "wall_camera_state", feeds[i].source);
            put(t, ",state=\"%s\"} %d\n", camera_states[k], strcmp(state, camera_states[k]) == 0);
        }
    }
    family(t, "wall_camera_picture", "gauge",
           M_("The picture's health: 1 for the condition it is in (ok, learning, frozen, "
              "obstructed, blurred, moved, off: not judged)."));
    for (int i = 0; i < n; i++) {
        enum picture_condition now = feeds[i].figures.feed.picture;
        for (int k = PICTURE_OK; k <= PICTURE_OFF; k++) {
            camera_sample(t, "wall_camera_picture", feeds[i].source);
            put(t, ",condition=\"%s\"} %d\n", picture_condition_name((enum picture_condition)k),
                (int)now == k);
        }
    }
    family(t, "wall_camera_decode_info", "gauge",
           M_("How the camera is decoded: stream main or sub, decoder vaapi or software, decode "
              "full or keyframes (the budget reduced it), and the codec."));
    for (int i = 0; i < n; i++) {
        const struct feed_stats *st = &feeds[i].figures.feed;
        camera_sample(t, "wall_camera_decode_info", feeds[i].source);
        put(t, ",stream=\"%s\",decoder=\"%s\",decode=\"%s\",codec=\"",
            sources_stream_name(feeds[i].source->stream), st->hardware ? "vaapi" : "software",
            st->decode == FEED_DECODE_KEYFRAMES ? "keyframes" : "full");
        put_label_value(t, st->codec);
        put(t, "\"} 1\n");
    }
    family(t, "wall_camera_frame_age_seconds", "gauge",
           M_("Seconds since the camera's newest frame arrived (none before its first)."));
    for (int i = 0; i < n; i++) {
        if (feeds[i].figures.age_us >= 0) {
            camera_sample(t, "wall_camera_frame_age_seconds", feeds[i].source);
            put(t, "}");
            put_value(t, (double)feeds[i].figures.age_us / 1e6);
        }
    }
    for (size_t k = 0; k < sizeof(camera_figures) / sizeof(camera_figures[0]); k++) {
        family(t, camera_figures[k].name, camera_figures[k].type, camera_figures[k].help);
        for (int i = 0; i < n; i++) {
            camera_sample(t, camera_figures[k].name, feeds[i].source);
            put(t, "}");
            put_value(t, camera_figure((enum camera_figure)k, feeds[i].source, &feeds[i].figures));
        }
    }
    int masks_failed = 0;
    for (int i = 0; i < n; i++) {
        const struct source *source = feeds[i].source;
        masks_failed += mask_failed(source->camera, source->mask, source->mask_raster);
    }
    family(t, "wall_cameras_masks_failed", "gauge",
           M_("Open cameras whose privacy masks could not be built (their tiles show a slate)."));
    sample(t, "wall_cameras_masks_failed", masks_failed);
}

static void write_output(struct metrics_text *t, const struct stats_wall *wall,
                         const struct metrics_wall *more)
{
    family(t, "wall_frames_rendered_total", "counter",
           M_("Output frames, those in which nothing changed included."));
    sample(t, "wall_frames_rendered_total", (double)wall->frames_rendered);
    family(t, "wall_frames_drawn_total", "counter",
           M_("Output frames in which anything was drawn."));
    sample(t, "wall_frames_drawn_total", (double)wall->frames_drawn);
    family(t, "wall_output_fps", "gauge",
           M_("Frames presented per second over the last second. Every output of the station is "
              "presented in the same frame: each has the wall's rate."));
    for (int i = 0; i < more->n_outputs; i++) {
        put(t, "wall_output_fps{output=\"");
        put_label_value(t, more->outputs[i]);
        put(t, "\"}");
        put_value(t, wall->output_fps);
    }
    family(
        t, "wall_output_target_fps", "gauge",
        M_("The rate the frame loop runs at (below nominal when the cores cannot pay for it)."));
    sample(t, "wall_output_target_fps", wall->target_fps);
    family(t, "wall_output_nominal_fps", "gauge", M_("The outputs' own refresh rate."));
    sample(t, "wall_output_nominal_fps", wall->nominal_fps);
    family(t, "wall_frame_draw_seconds", "gauge",
           M_("CPU seconds one output frame costs to draw."));
    sample(t, "wall_frame_draw_seconds", wall->draw_ms / 1e3);
    family(t, "wall_decode_capacity_cores", "gauge",
           M_("Cores the decode budget plans decoding against."));
    sample(t, "wall_decode_capacity_cores", wall->decode_capacity / 100);
    family(t, "wall_decode_demand_cores", "gauge", M_("Cores decoding asks for at full rate."));
    sample(t, "wall_decode_demand_cores", wall->decode_demand / 100);
    family(t, "wall_feeds_reduced", "gauge", M_("Feeds the budget reduced to key frames."));
    sample(t, "wall_feeds_reduced", wall->reduced);
}

/* CPU seconds by thread role, as stats' cpu_seconds, kept from going
 * down: a thread that ends (a camera closed) takes its time out of
 * cpustat's sums, and a counter must not fall. What it had used at the
 * previous text stays counted. */
static void write_process(struct metrics *m, struct metrics_text *t, const struct stats_wall *wall)
{
    static const char *const roles[] = {"feed", "render", "gl", "other"};
    struct cpu_split cpu;
    if (cpustat_read(&cpu)) {
        double now[] = {cpu.feed, cpu.render, cpu.gl, cpu.other};
        family(t, "wall_cpu_seconds_total", "counter",
               M_("CPU seconds (user and system) by thread role: feed, render, gl (the GL "
                  "driver's threads), other."));
        for (int r = 0; r < 4; r++) {
            if (now[r] < m->cpu_seen[r]) {
                m->cpu_ended[r] += m->cpu_seen[r] - now[r];
            }
            m->cpu_seen[r] = now[r];
            put(t, "wall_cpu_seconds_total{role=\"%s\"}", roles[r]);
            put_value(t, now[r] + m->cpu_ended[r]);
        }
    }
    long rss = cpustat_rss_kb();
    if (rss >= 0) {
        family(t, "wall_resident_memory_bytes", "gauge", M_("Resident memory of the process."));
        sample(t, "wall_resident_memory_bytes", (double)rss * 1024);
    }
    family(t, "wall_reloads_total", "counter", M_("Layout reloads tried (the file changed)."));
    sample(t, "wall_reloads_total", (double)wall->reloads);
    family(t, "wall_reloads_failed_total", "counter",
           M_("Layout reloads that failed: the wall kept the previous layout."));
    sample(t, "wall_reloads_failed_total", (double)wall->reloads_failed);
    family(t, "wall_audit_lines_total", "counter", M_("Audit lines written since the start."));
    sample(t, "wall_audit_lines_total", (double)wall->audit_lines);
}

static void write_freshness(struct metrics *m, struct metrics_text *t,
                            const struct metrics_wall *more)
{
    const double *bounds = metrics_bucket_bounds();
    family(t, "wall_tile_freshness_seconds", "histogram",
           M_("Age of the picture on a tile, each presented frame, for every tile showing a "
              "picture: now minus when the feed received it."));
    uint64_t cumulative = 0;
    for (int b = 0; b < METRICS_BUCKETS; b++) {
        cumulative += m->freshness.counts[b];
        put(t, "wall_tile_freshness_seconds_bucket{le=\"%g\"} %" PRIu64 "\n", bounds[b],
            cumulative);
    }
    put(t, "wall_tile_freshness_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n", m->freshness.count);
    sample(t, "wall_tile_freshness_seconds_sum", m->freshness.sum);
    put(t, "wall_tile_freshness_seconds_count %" PRIu64 "\n", m->freshness.count);
    family(t, "wall_tiles_stale_over_objective", "gauge",
           M_("Tiles showing a picture older than the freshness objective, in the last frame."));
    sample(t, "wall_tiles_stale_over_objective", m->tiles_over);
    family(t, "wall_tiles_with_picture", "gauge",
           M_("Tiles showing a picture, in the last frame."));
    sample(t, "wall_tiles_with_picture", m->tiles_with_picture);
    family(t, "wall_freshness_objective_seconds", "gauge",
           M_("The freshness objective: how old a tile's picture may be (wall.freshness)."));
    sample(t, "wall_freshness_objective_seconds", more->freshness);
}

void metrics_publish(struct metrics *m, const struct source_set *sources,
                     const struct stats_wall *wall, const struct metrics_wall *more,
                     int64_t now_us)
{
    struct metrics_text *t = &m->building;
    t->len = 0;
    t->failed = false;
    write_cameras(m, t, sources, now_us);
    write_output(t, wall, more);
    write_process(m, t, wall);
    write_freshness(m, t, more);
    if (t->failed) {
        t->len = 0; /* out of memory: scrapes keep the previous text */
        return;
    }
    metrics_swap(m, now_us);
}
