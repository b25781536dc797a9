#include "wall/budget.h"

#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"

#define PLAN_PERIOD_US 1000000
#define USABLE_SHARE   0.9  /* of all cores; the rest is for the system */
#define KEYFRAME_SHARE 0.15 /* cost of key-frame-only decoding vs full */
#define RESTORE_SHARE  0.85 /* restore only with this much headroom */
#define DRAW_FLOOR_MAX 0.5  /* of the usable cores: drawing never reserves more */
#define MIN_OUTPUT_FPS 2.0  /* the output never falls below this */
/* Full decode of one 640x360 H.264 frame on the development machines. */
#define COST_360P_US 450.0

/* The cores this process may run on: `taskset -c 0` makes one. */
static double usable_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
        return (double)CPU_COUNT(&set);
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (double)n : 1.0;
}

void budget_init(struct budget *budget, double capacity_percent)
{
    *budget = (struct budget){.fixed_us = capacity_percent * 1e4};
    budget->cores = usable_cores();
}

void budget_finish(struct budget *budget)
{
    budget_reset(budget);
}

void budget_reset(struct budget *budget)
{
    free(budget->entries);
    budget->entries = NULL;
    budget->n_entries = 0;
    budget->last_us = 0;
}

static double estimate_cost(const struct feed_stats *st)
{
    double pixels = st->width > 0 ? (double)st->width * st->height : 640.0 * 360.0;
    double fps = st->fps > 0 ? st->fps : 25.0;
    return COST_360P_US * pixels / (640.0 * 360.0) * fps;
}

/* Updates each open feed's full-rate cost from what it used since the last
 * plan; returns the total demand at full rate. */
static double measure(struct budget *budget, struct source_set *set)
{
    double demand = 0;
    for (int i = 0; i < set->n; i++) {
        struct source *source = &set->items[i];
        struct budget_entry *e = &budget->entries[i];
        if (!source->feed) {
            *e = (struct budget_entry){0};
            continue;
        }
        const struct feed_stats *st = &source->stats;
        uint64_t frames = st->frames_decoded - e->frames_decoded;
        /* Cost per frame times the stream's own rate: what full rate needs.
         * CPU used per second would understate it on a starved machine,
         * where feeds fall behind, and the plan would swing back and forth. */
        bool full_all_along = st->decode == FEED_DECODE_ALL && e->decode == FEED_DECODE_ALL;
        if (full_all_along && e->decode_us > 0 && frames > 0 && st->state == FEED_LIVE) {
            double per_frame = (double)(st->decode_us - e->decode_us) / (double)frames;
            e->full_cost = per_frame * (st->fps > 0 ? st->fps : 25.0);
        } else if (e->full_cost <= 0) {
            e->full_cost = estimate_cost(st);
        }
        e->decode_us = st->decode_us;
        e->frames_decoded = st->frames_decoded;
        e->decode = st->decode;
        demand += e->full_cost;
    }
    return demand;
}

/* Smallest tiles first; among equal ones, those already reduced first and
 * then by camera order, so plans are stable and feeds do not flip between
 * full rate and key frames from one second to the next. */
static int by_area(const void *a, const void *b, void *arg)
{
    const struct source *items = arg;
    int i = *(const int *)a, j = *(const int *)b;
    int x = items[i].area, y = items[j].area;
    if (x != y) {
        return (x > y) - (x < y);
    }
    bool ri = items[i].stats.decode == FEED_DECODE_KEYFRAMES;
    bool rj = items[j].stats.decode == FEED_DECODE_KEYFRAMES;
    if (ri != rj) {
        return ri ? -1 : 1;
    }
    return (i > j) - (i < j);
}

/* Reduces the smallest tiles until the plan fits; large tiles (those that
 * want the main stream) never. */
static void plan(struct budget *budget, struct source_set *set, int64_t now_us)
{
    int *order = malloc(sizeof(int) * (size_t)(set->n + 1));
    if (!order) {
        return;
    }
    int n = 0;
    for (int i = 0; i < set->n; i++) {
        if (set->items[i].feed) {
            order[n++] = i;
        }
    }
    qsort_r(order, (size_t)n, sizeof(int), by_area, set->items);
    double load = budget->demand_us;
    int was_reduced = budget->reduced;
    budget->reduced = 0;
    for (int k = 0; k < n; k++) {
        struct source *source = &set->items[order[k]];
        double cost = budget->entries[order[k]].full_cost;
        /* Large and selected tiles keep full rate, whatever it costs. */
        bool large = sources_keeps_full_rate(source, now_us);
        bool currently = source->stats.decode == FEED_DECODE_KEYFRAMES;
        /* Hysteresis: a reduced feed stays reduced until there is room. */
        double limit = currently ? budget->capacity_us * RESTORE_SHARE : budget->capacity_us;
        bool reduce = !large && load > limit;
        if (reduce) {
            load -= cost * (1.0 - KEYFRAME_SHARE);
            budget->reduced++;
        }
        feed_set_decode(source->feed, reduce ? FEED_DECODE_KEYFRAMES : FEED_DECODE_ALL);
    }
    free(order);
    budget->planned_us = load;
    if (budget->reduced != was_reduced) {
        log_info("budget",
                 "decode demand %.0f%% of a core, %.0f%% available%s: %d of %d feeds "
                 "on key frames only",
                 budget->demand_us / 1e4, budget->capacity_us / 1e4,
                 budget->fixed_us > 0 ? " (--decode-capacity)" : "", budget->reduced, n);
    }
}

/* What the cores leave for decoding: the set capacity, or the usable cores
 * less the floor kept for drawing. */
static double decode_capacity(const struct budget *budget)
{
    if (budget->fixed_us > 0) {
        return budget->fixed_us;
    }
    double usable = budget->cores * USABLE_SHARE * 1e6;
    double floor = usable * DRAW_FLOOR_MAX;
    if (budget->draw_cost_us > 0 && budget->draw_cost_us * BUDGET_DRAW_FLOOR_FPS < floor) {
        floor = budget->draw_cost_us * BUDGET_DRAW_FLOOR_FPS;
    }
    return usable - floor;
}

/* Drawing's cost per frame, from the last interval, and the output rate the
 * cores can pay for. The first interval only starts the counters: it holds
 * one-off costs. */
static void measure_threads(struct budget *budget, const struct cpu_split *cpu,
                            uint64_t frames_drawn, double nominal_rate)
{
    uint64_t frames = frames_drawn - budget->last_frames;
    double drawing = (cpu->render + cpu->gl) - (budget->last_cpu.render + budget->last_cpu.gl);
    if (!budget->warmed_up) {
        budget->warmed_up = true;
        return;
    }
    if (frames > 0) {
        double per_frame = drawing * 1e6 / (double)frames;
        budget->draw_cost_us =
            budget->draw_cost_us > 0 ? 0.5 * budget->draw_cost_us + 0.5 * per_frame : per_frame;
    }
    if (budget->draw_cost_us <= 0) {
        return;
    }
    /* What decoding was planned to take, not what the feed threads used:
     * behind real time (nice 5) they soak up every idle cycle, and drawing
     * would be starved down to nothing. The plan leaves drawing its floor. */
    double usable = budget->cores * USABLE_SHARE * 1e6;
    double spare = usable - budget->planned_us;
    if (spare < usable * 0.1) {
        spare = usable * 0.1;
    }
    double rate = spare / budget->draw_cost_us;
    /* Hysteresis: a rate that hovers near the nominal one says so once. */
    bool limited = rate < nominal_rate * (budget->output_limited ? 1.05 : 0.95);
    budget->output_rate = limited ? (rate < MIN_OUTPUT_FPS ? MIN_OUTPUT_FPS : rate) : 0;
    if (limited != budget->output_limited) {
        budget->output_limited = limited;
        if (limited) {
            log_info("budget",
                     "drawing costs %.1f ms of CPU a frame: the output runs at %.1f fps "
                     "instead of %.0f, so that every camera keeps decoding",
                     budget->draw_cost_us / 1e3, budget->output_rate, nominal_rate);
        } else {
            log_info("budget", "the output is back at %.0f fps", nominal_rate);
        }
    }
}

/* A feed the plan does not manage: its cost per frame so far, or the
 * estimate, times its rate. */
static double fixed_cost(const struct feed_stats *st)
{
    double fps = st->fps > 0 ? st->fps : 25.0;
    if (st->frames_decoded > 25 && st->decode_us > 0) {
        return (double)st->decode_us / (double)st->frames_decoded * fps;
    }
    return estimate_cost(st);
}

void budget_update(struct budget *budget, struct source_set *set, int64_t now_us,
                   uint64_t frames_drawn, double nominal_rate, const struct feed_stats *fixed,
                   int n_fixed)
{
    if (budget->last_us && now_us - budget->last_us < PLAN_PERIOD_US) {
        return;
    }
    if (budget->n_entries != set->n) {
        free(budget->entries);
        budget->entries = calloc((size_t)set->n + 1, sizeof(*budget->entries));
        budget->n_entries = budget->entries ? set->n : 0;
    }
    struct cpu_split cpu;
    if (!budget->entries || !cpustat_read(&cpu)) {
        return;
    }
    if (budget->last_us > 0) {
        measure_threads(budget, &cpu, frames_drawn, nominal_rate);
    }
    /* The first plan (and the first after a reload) comes at once, from
     * estimates, so a wall of hundreds of feeds does not start with all of
     * them at full rate. */
    budget->capacity_us = decode_capacity(budget);
    budget->demand_us = measure(budget, set);
    for (int i = 0; i < n_fixed; i++) {
        budget->demand_us += fixed_cost(&fixed[i]);
    }
    budget->last_cpu = cpu;
    budget->last_frames = frames_drawn;
    budget->last_us = now_us;
    plan(budget, set, now_us);
}

double budget_output_rate(const struct budget *budget, double nominal_rate)
{
    if (budget->output_rate > 0 && budget->output_rate < nominal_rate) {
        return budget->output_rate;
    }
    return nominal_rate;
}
