/*
 * The wall: a layout's outputs drawn on one canvas, fed by one feed per
 * visible camera, redrawn at the output's rate, reloaded live.
 *
 * wall_create() takes ownership of the layout, makes the output (a window,
 * or a headless canvas as large as all layout outputs together) and the
 * renderer. wall_run() is the frame loop: each frame it works out which
 * cameras the tiles show (pages, tours), lets the sources open and close
 * feeds accordingly, uploads each feed's newest frame once, draws every
 * output and presents.
 *
 * Live reload: the layout file and everything it includes are watched; a
 * change that validates is swapped in whole between two frames, keeping the
 * feeds (and pictures) of cameras that did not change. A change that does
 * not validate leaves the wall as it was, logs every problem and shows a
 * banner with the first one on every output until the file is fixed.
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

/* Set from signal handlers, read by the frame loop. */
struct wall_signals {
    volatile sig_atomic_t quit;     /* SIGINT, SIGTERM: stop after this frame */
    volatile sig_atomic_t snapshot; /* SIGUSR1: write --snapshot now */
};

/* NULL when the output or renderer cannot be made (logged). The layout is
 * destroyed either way. `options` must outlive the wall. */
struct wall *wall_create(const struct wall_options *options, struct layout_wall *layout);
void wall_destroy(struct wall *wall);

/* Runs frames until told to stop, the window closes, or options->frames
 * frames have passed since every feed settled (showed a picture or
 * failed). Writes the snapshot, if asked for, from the last frame.
 * False on a fatal error (logged). */
bool wall_run(struct wall *wall, struct wall_signals *signals);

/* One pass of the frame loop without pacing: SDL events (keyboard,
 * joysticks), live reload, the control socket, sources, drawing, present.
 * For tests that drive a headless wall in-process. False when a quit was
 * asked for (window closed, Ctrl+Q). */
bool wall_step(struct wall *wall);

/* Carries out one control-socket command line and writes its one-line
 * reply ("OK ..." / "ERR ...") to `reply`; tests use it in-process. */
void wall_command(void *wall, const char *line, FILE *reply);

/* Statistics as JSON (see wall/stats.h). */
void wall_print_stats(struct wall *wall, FILE *out);

#endif
