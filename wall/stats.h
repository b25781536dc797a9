/*
 * Statistics as JSON, for --stats and (later) the control socket: frames
 * rendered, then one object per open feed, then CPU time by thread role.
 * URLs are printed without credentials. The format is documented in
 * README.md. Threads: render thread (reads the sources).
 */
#ifndef WALL_STATS_H
#define WALL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "wall/sources.h"

void stats_print_json(FILE *out, const struct source_set *sources, uint64_t frames_rendered);

#endif
