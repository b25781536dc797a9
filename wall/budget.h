/*
 * Decode budget: when the visible feeds ask for more decoding than the
 * machine's cores can do in real time, the smallest tiles drop to key
 * frames only (they still refresh at every key frame, at about a tenth of
 * the cost); large tiles keep full rate. When load falls again, reduced
 * feeds return to full rate, largest first.
 *
 * Once a second it measures each open feed's decoding cost (CPU time per
 * second, from the feed's own decode-time counter) and what the render
 * and GL threads take (wall/cpustat.h), and plans against the cores left.
 * A feed never measured at full rate is estimated from its picture size.
 *
 * Threads: render thread (it changes the sources' decode mode).
 */
#ifndef WALL_BUDGET_H
#define WALL_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#include "wall/cpustat.h"
#include "wall/sources.h"

struct budget_entry {
    int64_t decode_us; /* feed counters at the last plan */
    uint64_t frames_decoded;
    int decode;       /* enum feed_decode at the last plan */
    double full_cost; /* estimated CPU us per second at full rate; 0: unknown */
};

struct budget {
    bool enabled;
    double cores;
    int64_t last_us; /* when it last planned; 0: never */
    struct cpu_split last_cpu;
    uint64_t last_frames;         /* frames rendered at the last plan */
    struct budget_entry *entries; /* one per source, reallocated on reload */
    int n_entries;
    double capacity_us; /* decode CPU per second it planned against */
    double demand_us;   /* full-rate decode CPU per second asked for */
    int reduced;        /* feeds on key frames only */
};

void budget_init(struct budget *budget, bool enabled);
void budget_finish(struct budget *budget);

/* Forgets what it measured: the sources were replaced (reload). */
void budget_reset(struct budget *budget);

/* Plans at most once a second; cheap otherwise. `frames_rendered` and
 * `frame_rate` let it reserve what rendering needs at its full rate, not
 * what it managed to get on a starved machine. */
void budget_update(struct budget *budget, struct source_set *set, int64_t now_us,
                   uint64_t frames_rendered, double frame_rate);

#endif
