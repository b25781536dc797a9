/*
 * Inside the metrics: shared by the server (wall/metrics.c) and the
 * writer of the text (wall/metrics_text.c) only.
 */
#ifndef WALL_METRICS_IMPL_H
#define WALL_METRICS_IMPL_H

#include <pthread.h>
#include <stdatomic.h>

#include "wall/metrics.h"
#include "wall/stats.h"

#define METRICS_BUCKETS 9 /* wall_tile_freshness_seconds' bounds, +Inf besides */

/* A text that grows as it is written; reused from text to text. */
struct metrics_text {
    char *data;
    size_t len, size;
    bool failed; /* out of memory: the text is cut short */
};

/* An open feed and its figures (wall/metrics_text.c). */
struct metrics_feed {
    const struct source *source;
    struct stats_feed figures;
};

struct metrics {
    struct MHD_Daemon *daemon;
    int port;
    pthread_mutex_t lock;
    pthread_cond_t fresh;       /* broadcast when a text is published, or at stop */
    struct metrics_text served; /* lock: the newest text, what scrapes get */
    uint64_t generation;        /* lock: texts published */
    bool stopping;              /* lock */
    atomic_bool wanted;         /* a scrape waits for a text newer than the served one */

    /* Render thread only. */
    struct metrics_text building; /* swapped with `served` when published */
    int64_t built_us;             /* when the served text was written */
    struct metrics_feed *feeds;   /* the open feeds, gathered once per text */
    int feeds_size;
    double cpu_seen[4];  /* cpustat's figures at the last text, per role */
    double cpu_ended[4]; /* CPU of threads that have ended since the start, per role */
    struct {
        uint64_t counts[METRICS_BUCKETS + 1]; /* per bucket, not cumulative; the last: above */
        double sum;
        uint64_t count;
    } freshness;
    int tiles_over, tiles_with_picture; /* in the last presented frame */
};

/* Publishes `building` (now complete): it becomes the text served. */
void metrics_swap(struct metrics *m, int64_t now_us);

/* The upper bounds of the freshness buckets (METRICS_BUCKETS, ascending). */
const double *metrics_bucket_bounds(void);

#endif
