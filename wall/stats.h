/*
 * Statistics as JSON, for --stats (at exit, on stdout) and the control
 * socket's `stats`: frames rendered; one object per open feed (its
 * camera, redacted URL, stream, state, decoding and colour figures, its
 * picture health (decode/health.h) and since when, and whether its
 * privacy masks are in place); the output's frame counts and
 * rates; the decode budget; how many open feeds have masks that failed
 * (their tiles show a slate); CPU seconds by thread role; resident memory;
 * layout reloads and audit lines.
 * Written with common/json.h: any camera name gives valid JSON. The format
 * is documented in README.md.
 *
 * URLs are printed without credentials.
 * Threads: render thread (reads the sources).
 */
#ifndef WALL_STATS_H
#define WALL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "common/json.h"
#include "wall/sources.h"

/* The wall's own figures, besides its feeds. */
struct stats_wall {
    uint64_t frames_rendered; /* output frames, those unchanged included */
    uint64_t frames_drawn;    /* output frames in which anything was drawn */
    double output_fps;        /* presented over the last second */
    double target_fps;        /* the rate the frame loop runs at (paced) */
    double nominal_fps;       /* the output's own rate */
    double draw_ms;           /* CPU per output frame (render + GL); 0: not measured */
    double decode_capacity;   /* % of one core the budget plans decoding against */
    double decode_demand;     /* % of one core decoding asks for at full rate */
    int reduced;              /* feeds on key frames only */
    uint64_t reloads;         /* layout reloads tried (the file changed) */
    uint64_t reloads_failed;  /* of those, the ones that kept the previous layout */
    uint64_t audit_lines;     /* audit lines written since the start */
    /* Members of other modules (the station), written last; NULL: none. */
    void (*more)(struct json *j, const void *opaque);
    const void *more_of;
};

/* One open feed's figures as the statistics give them; the metrics
 * (wall/metrics.h) take theirs from here too. */
struct stats_feed {
    struct feed_stats feed; /* sampled at the call */
    bool stale;             /* live, but no frame for several intervals */
    int64_t age_us;         /* since the newest frame arrived; -1: none yet */
    double decode_ms;       /* CPU per decoded frame */
};

void stats_feed_figures(const struct source *source, int64_t now_us, struct stats_feed *out);

/* The statistics object, into `j` (a control-socket reply: one line). */
void stats_write_json(struct json *j, const struct source_set *sources,
                      const struct stats_wall *wall);

/* The same on `out`, a line per feed, then a newline; flushed. */
void stats_print_json(FILE *out, const struct source_set *sources, const struct stats_wall *wall);

#endif
