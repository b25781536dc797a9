/*
 * The wall: one layout shown on its output, fed by one feed per camera,
 * redrawn at the output's rate.
 *
 * wall_create() takes ownership of the layout, starts the feeds of every
 * camera that has a tile and makes the output. wall_run() is the frame
 * loop: each frame it takes every feed's newest frame, uploads it once,
 * draws every tile, and presents. It returns when `quit` becomes non-zero,
 * when the window is closed, or after options->frames frames counted from
 * the moment every feed has settled (shown a picture or failed).
 *
 * Threads: create, run and destroy on the render thread (GL lives there).
 */
#ifndef WALL_WALL_H
#define WALL_WALL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "layouts/layout.h"
#include "wall/cli.h"

struct wall;

/* NULL when the output or renderer cannot be made (logged). The layout is
 * destroyed either way. `options` must outlive the wall. */
struct wall *wall_create(const struct wall_options *options, struct layout_wall *layout);
void wall_destroy(struct wall *wall);

/* Runs frames until told to stop. False on a fatal error (logged). Writes
 * the snapshot, if asked for, from the last frame. */
bool wall_run(struct wall *wall, volatile sig_atomic_t *quit);

/* One JSON object with the per-feed statistics (see README). */
void wall_print_stats(struct wall *wall, FILE *out);

#endif
