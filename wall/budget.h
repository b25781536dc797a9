/*
 * Decode budget and output pacing. Moving cameras come first: the output
 * frame rate is elastic, decoding is reduced only when decoding itself
 * does not fit.
 *
 * Decoding: when the visible feeds ask for more decoding than the cores
 * can give after a floor kept for drawing, the smallest tiles drop to key
 * frames only (they still refresh at every key frame, at about a tenth of
 * the cost); large and selected tiles never do. When load falls again,
 * reduced feeds return to full rate, largest first. The floor kept for
 * drawing is what drawing costs at BUDGET_DRAW_FLOOR_FPS, but never more
 * than half of the usable cores: a slow drawing path is never a reason to
 * stop cameras, it only slows the output.
 *
 * Drawing: the output runs at its nominal rate while the cores left after
 * decoding can pay for it; otherwise at the rate they can pay for, paced
 * evenly (budget_output_rate), said once in the log.
 *
 * Once a second it measures each open feed's decoding cost (CPU time per
 * frame times the stream's rate, from the feed's own counters) and what
 * drawing costs per frame (render and GL driver threads, wall/cpustat.h).
 * The first second is not measured: shader compilation and the first
 * uploads are one-off costs. A feed never measured at full rate is
 * estimated from its picture size. `capacity_percent` (--decode-capacity)
 * replaces the measured capacity with a set one, in percent of one core.
 *
 * Threads: render thread (it changes the sources' decode mode).
 */
#ifndef WALL_BUDGET_H
#define WALL_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#include "wall/cpustat.h"
#include "wall/sources.h"

#define BUDGET_DRAW_FLOOR_FPS 10.0

struct budget_entry {
    int64_t decode_us; /* feed counters at the last plan */
    uint64_t frames_decoded;
    int decode;       /* enum feed_decode at the last plan */
    double full_cost; /* estimated CPU us per second at full rate; 0: unknown */
};

struct budget {
    double cores;    /* this process may run on (affinity) */
    double fixed_us; /* --decode-capacity in CPU us per second; 0: measured */
    int64_t last_us; /* when it last planned; 0: never */
    bool warmed_up;  /* drawing measured past the first interval */
    struct cpu_split last_cpu;
    uint64_t last_frames;         /* frames drawn at the last plan */
    struct budget_entry *entries; /* one per source, reallocated on reload */
    int n_entries;
    double capacity_us;  /* decode CPU per second it planned against */
    double demand_us;    /* full-rate decode CPU per second asked for */
    double draw_cost_us; /* CPU per output frame (render + GL): frames with nothing
                            new cost almost nothing; 0: not measured */
    double planned_us;   /* CPU per second the plan gives decoding */
    double output_rate;  /* frames per second the cores can pay for; 0: no limit */
    bool output_limited; /* said in the log */
    int reduced;         /* feeds on key frames only */
};

/* `capacity_percent`: 0 to measure, else the decode capacity it plans against. */
void budget_init(struct budget *budget, double capacity_percent);
void budget_finish(struct budget *budget);

/* Forgets what it measured of the feeds: the sources were replaced (reload). */
void budget_reset(struct budget *budget);

/* Plans at most once a second; cheap otherwise. `frames_drawn` counts the
 * frames drawn so far; `nominal_rate` is the output's own rate. `fixed`:
 * feeds outside the set that run at full rate whatever the plan says
 * (replays, wall/replay.h), `n_fixed` of them: their cost comes first,
 * and the set's smallest tiles are reduced to pay for it. */
void budget_update(struct budget *budget, struct source_set *set, int64_t now_us,
                   uint64_t frames_drawn, double nominal_rate, const struct feed_stats *fixed,
                   int n_fixed);

/* The rate the frame loop should run at: `nominal_rate`, or less when the
 * cores left after decoding cannot pay for drawing at that rate. */
double budget_output_rate(const struct budget *budget, double nominal_rate);

#endif
