/*
 * Evidence export: a camera's pre-roll (decode/ring.h), and what it
 * receives next, written to an MP4 without re-encoding (a remux: the
 * camera's own packets), on a thread of its own, so the wall never waits
 * for a disk.
 *
 * The file starts at the key frame at or before `from_us` and ends with the
 * last packet received by `until_us`, when export_stop() is called, or at
 * `limit_us` after its start, whichever comes first. It is written as
 * PATH.part and renamed to PATH when complete, so a file at PATH is always
 * whole. Then its SHA-256 is taken, for the audit trail.
 *
 * Nothing fails silently: a file that cannot be made or written (no such
 * folder, no permission, disk full) is removed and the result says why; a
 * camera that drops or changes its stream before the end leaves a file
 * that is complete up to there, named PATH with "-partial" before ".mp4",
 * and the result says so (ok false, partial true, with its hash).
 *
 * Threads: create, poll and destroy from one thread; the work runs on the
 * export's own thread.
 */
#ifndef WALL_DECODE_EXPORT_H
#define WALL_DECODE_EXPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct ring;
struct export;

#define EXPORT_TAGS_MAX 8

struct export_config {
    struct ring *ring;  /* borrowed; the export keeps a reference */
    int64_t from_us;    /* av_gettime_relative clock */
    int64_t until_us;   /* INT64_MAX: until export_stop() or the limit */
    int64_t limit_us;   /* the longest file */
    int64_t silence_us; /* no packet for this long while waiting for more: the camera dropped */
    const char *path;   /* copied */
    /* Metadata written into the file (MP4 tags): key and value pairs,
     * copied; NULL keys end the list early. */
    const char *tags[EXPORT_TAGS_MAX][2];
};

struct export_result {
    bool ok;             /* a whole file at `path` */
    bool partial;        /* a file, but it ends early (the camera dropped or changed) */
    char path[PATH_MAX]; /* the file written (PATH, or the -partial name); "" when none */
    char reason[192];    /* why it failed or ended early, in the locale's language; "" when ok */
    char sha256[65];     /* of the file, lowercase hex; "" when there is none */
    int64_t bytes;
    double seconds;        /* of video in it */
    int64_t start_wall_us; /* wall-clock time of its first packet (µs since 1970) */
};

/* Starts the export thread. NULL when out of resources. */
struct export *export_start(const struct export_config *config);

/* Ends the export with the packets written so far (a normal end). */
void export_stop(struct export *e);

/* True when the export has finished; then `out` is its result. */
bool export_finished(struct export *e, struct export_result *out);

/* Waits until it has finished (after export_stop(), with what it wrote). */
void export_wait(struct export *e);

/* Stops it if still running (its file is then kept as written so far),
 * waits for the thread, frees everything. NULL-safe. */
void export_destroy(struct export *e);

#endif
