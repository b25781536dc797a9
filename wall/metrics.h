/*
 * Metrics: GET /metrics in the Prometheus text exposition format 0.0.4,
 * for the monitoring that already scrapes the control room's machines
 * (`--metrics [ADDR:]PORT`). Every other path answers 404, every other
 * method 405. The metrics, their names and units are listed in README.md
 * (Metrics); they are the figures of the control socket's `stats`, taken
 * from the same functions (wall/stats.h), and never name a URL or a
 * credential. wall/metrics.c is the server, wall/metrics_text.c the text;
 * wall/wall_metrics.c feeds them from the wall.
 *
 * The server is libmicrohttpd on its own polling thread (the HTTP thread).
 * It never reads the wall: the render thread writes the whole text into a
 * buffer of its own, once a second or as soon as a scrape asks for a fresh
 * one (metrics_due()), and publishes it (metrics_publish()), which swaps
 * that buffer with the one served under a mutex. A scrape asks for a
 * text newer than its arrival and waits for it at most METRICS_WAIT_MS,
 * then serves the newest text there is (503 before the first). The render
 * thread holds the mutex only to swap two pointers: it never waits for a
 * scrape.
 *
 * The tile-freshness histogram (metrics_observe_freshness()) and the
 * other figures kept here are written and read on the render thread only.
 *
 * Ownership: the metrics own the server, both buffers and the listening
 * socket. Threads: create, destroy and everything else on the render
 * thread; the HTTP thread lives inside.
 */
#ifndef WALL_METRICS_H
#define WALL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source_set;
struct stats_wall;

#define METRICS_WAIT_MS     1000    /* the longest a scrape waits for a fresh text */
#define METRICS_PERIOD_US   1000000 /* a text at least this often without scrapes */
#define METRICS_ADDRESS_MAX 64

/* Where to listen: "PORT" (127.0.0.1), "ADDR:PORT" (IPv4), "[ADDR]:PORT"
 * (IPv6). Port 0: any free port (the log says which). */
struct metrics_address {
    int family; /* AF_INET or AF_INET6 */
    char host[METRICS_ADDRESS_MAX];
    int port;
};

/* Parses `text`; false with the reason in `why` (one line, no newline). */
bool metrics_parse_address(const char *text, struct metrics_address *out, char *why, size_t size);

struct metrics;

/* Listens on `address` and starts the HTTP thread; logs where. NULL when
 * the address cannot be listened on or the server cannot start (logged). */
struct metrics *metrics_create(const struct metrics_address *address);
/* Stops the server (a scrape waiting is answered with the newest text) and
 * frees everything. NULL-safe. */
void metrics_destroy(struct metrics *m);

/* The port listened on (the one chosen when 0 was asked for). */
int metrics_port(const struct metrics *m);

/* Whether a text is due: a scrape waits for one, or the last is
 * METRICS_PERIOD_US old. Cheap: call it every frame. */
bool metrics_due(const struct metrics *m, int64_t now_us);

#define METRICS_OUTPUTS_MAX 16 /* as many as a wall has monitors */

/* What the metrics say besides the figures of `stats`. */
struct metrics_wall {
    const char *outputs[METRICS_OUTPUTS_MAX]; /* ids of the outputs drawn here (borrowed) */
    int n_outputs;
    double freshness; /* the objective (wall.freshness), seconds */
};

/* Writes the whole exposition into the buffer being built (the stats'
 * figures, `more`, the histogram) and publishes it; any scrape waiting is
 * answered. `sources` and `wall` as stats_write_json() takes them. */
void metrics_publish(struct metrics *m, const struct source_set *sources,
                     const struct stats_wall *wall, const struct metrics_wall *more,
                     int64_t now_us);

/* Tile freshness: one observation per tile showing a picture, per
 * presented frame: its age in seconds (now minus the time the feed
 * received the picture). No allocation. */
void metrics_observe_freshness(struct metrics *m, double seconds);
/* After a frame's observations: how many of its tiles were older than the
 * objective, and how many showed a picture at all. */
void metrics_tiles_seen(struct metrics *m, int over_objective, int with_picture);

#endif
