/*
 * Statistics as JSON, for --stats and the control socket: frames rendered,
 * then one object per open feed, the output's rate and the decode budget,
 * then CPU time by thread role.
 * URLs are printed without credentials. The format is documented in
 * README.md. Threads: render thread (reads the sources).
 */
#ifndef WALL_STATS_H
#define WALL_STATS_H

#include <stdint.h>
#include <stdio.h>

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
};

/* `s` as a JSON string, quotes and escapes included. */
void stats_json_string(FILE *out, const char *s);

void stats_print_json(FILE *out, const struct source_set *sources, const struct stats_wall *wall);

#endif
