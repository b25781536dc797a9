/*
 * Evidence: exports of what a tile's camera recorded (decode/export.h),
 * started and stopped by the operator (OP_EXPORT), and written to the
 * audit trail when they end, with the file's SHA-256:
 *
 *   ... source=socket action=export output=ssc-1 tile=2 camera=101
 *       name="Av. Tulum" file="/var/lib/wall/evidence/101-Av-Tulum-20261206-221503.mp4"
 *       seconds=10.04 bytes=1234567 sha256=3f... result=done
 *
 * or result=failed with reason="..." (and the -partial file and its hash,
 * when the camera dropped midway). Files are named like snapshots: camera
 * number, a plain form of its name, local time; they go to the layout's
 * wall.replay.directory, made when missing.
 *
 * The export reads the camera's pre-roll; with wall.replay.evidence =
 * "main" and a camera shown on its sub stream, that of its main stream,
 * which the wall keeps for the selected tile (wall/sources.h).
 *
 * Threads: render thread only (the writing runs on each export's thread).
 */
#ifndef WALL_EVIDENCE_H
#define WALL_EVIDENCE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "wall/operator.h"

#define EVIDENCE_MAX 16

struct export;

struct evidence_job {
    struct export *export;
    int screen, tile;
    int camera; /* its number */
    char name[128];
    char output[64];
    enum op_source source;
    char path[PATH_MAX];
};

struct evidence_set {
    struct evidence_job items[EVIDENCE_MAX];
    int n;
};

struct wall;

/* Exports tile `tile` of screen `screen`: `seconds` of pre-roll, then
 * `follow` seconds more (negative: until evidence_stop() or the limit).
 * On success `why` holds the file's path. */
bool evidence_start(struct wall *wall, enum op_source source, int screen, int tile, double seconds,
                    double follow, char *why, size_t size);

/* Ends the tile's export under way with what it has written. */
bool evidence_stop(struct wall *wall, int screen, int tile, char *why, size_t size);

/* Whether the tile has an export under way. */
bool evidence_running(const struct wall *wall, int screen, int tile);

/* Once a frame: writes the audit line of each export that ended. */
void evidence_poll(struct wall *wall);

/* At exit: ends every export with what it has written, and audits it. */
void evidence_finish_all(struct wall *wall);

#endif
