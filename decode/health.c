#include "decode/health.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK    4 /* a fine block: BLOCK x BLOCK cells of the small plane */
#define BLOCKS_X (HEALTH_W / BLOCK)
#define BLOCKS_Y (HEALTH_H / BLOCK)
#define BLOCKS   (BLOCKS_X * BLOCKS_Y)

/* The pass over the source reads this many rows of each band of rows that
 * makes a row of the small plane (fewer than 2 x ROWS_PER_BAND), and sums
 * its columns in about FINE_W groups whatever the width: a group's sum of
 * 8-bit values fits 16 bits up to MAX_WIDTH. */
#define ROWS_PER_BAND 5
#define FINE_W        640
#define MAX_WIDTH     16384

/*
 * Levels, in luma levels of the full range, chosen on the clips of
 * tests/decode/test_health.c (which prints the measures and checks their
 * margins):
 *
 * CHANGE_LEVEL  a block changed when its cells moved by more than this on
 *               average (one cell by 4 levels will do: a clock's digit on
 *               a big picture). Repeats of a decoded frame move by 0; an
 *               encoder refining a frozen picture by under 0.05.
 * FLAT_LEVEL    a block has no detail when the mean step between its
 *               neighbouring cells is under this: an absolute level, as
 *               what is left of sensor noise in the averages of many
 *               pixels is small whatever the brightness. A covered lens
 *               under heavy noise: blocks up to about 1.4; a dark scene with
 *               texture and more noise: 54% of blocks under 2 at most, of
 *               which 44% are the flat bars of its pattern.
 */
#define CHANGE_LEVEL 0.25
/* A change this big in one cell is the scene's, key frame or not: a
 * clock's digit, something moving. What an encoder's key frame changes in
 * a picture that stands still (it is coded anew) stays under 3. */
#define BIG_CHANGE  6.0
#define FLAT_LEVEL  2.0
#define FOLLOW_S    120.0 /* time constant of the reference's blending while ok */
#define LEARN_LOOKS 3     /* at least this many pictures in a reference */

enum fault { FAULT_OBSTRUCTED, FAULT_FROZEN, FAULT_BLURRED, FAULT_MOVED, FAULTS };

/* In order of precedence: what the picture shows first. A covered lens
 * often stops changing too, and a blurred view no longer matches. */
static const enum picture_condition fault_condition[FAULTS] = {
    [FAULT_OBSTRUCTED] = PICTURE_OBSTRUCTED,
    [FAULT_FROZEN] = PICTURE_FROZEN,
    [FAULT_BLURRED] = PICTURE_BLURRED,
    [FAULT_MOVED] = PICTURE_MOVED,
};

struct plane {
    float luma[HEALTH_H][HEALTH_W]; /* box averages, full range */
    float fine[HEALTH_H][HEALTH_W]; /* mean squared step between column groups */
};

struct health {
    struct health_settings settings;
    uint16_t *sums;  /* reduce()'s column sums, `capacity` of them */
    uint32_t *steps; /* and the squared steps between them */
    int capacity;
    int width, height; /* of the pictures looked at; 0: none yet */

    int64_t last_look_us; /* INT64_MIN: none yet */
    struct plane now, prev;
    bool have_prev;

    struct plane ref; /* a running mean while learning, then blended slowly */
    int learnt_looks;
    int64_t learn_from_us;
    bool learnt;

    int64_t changed_us; /* the last look that saw a change */
    int64_t key_us;     /* the newest key frame given; INT64_MIN: none */
    int unchanged_looks;
    int64_t holds_since_us[FAULTS]; /* INT64_MIN: does not hold */
    int64_t sound_since_us;         /* INT64_MIN: something holds */

    enum picture_condition condition;
    int64_t condition_since_us;
    struct health_measures measures;
};

void health_settings_default(struct health_settings *out)
{
    *out = (struct health_settings){
        .frozen_s = 10,
        .obstructed = 0.75,
        .blurred = 0.4,
        .moved = 0.5,
        .confirm_s = 3,
        .learn_s = 4,
        .sample_ms = 250,
    };
}

struct health *health_create(const struct health_settings *settings)
{
    struct health *h = calloc(1, sizeof(*h));
    if (!h) {
        return NULL;
    }
    h->settings = *settings;
    h->last_look_us = INT64_MIN;
    h->key_us = INT64_MIN;
    health_reset(h);
    return h;
}

void health_destroy(struct health *h)
{
    if (!h) {
        return;
    }
    free(h->sums);
    free(h->steps);
    free(h);
}

/* What was building up is no longer known to have held throughout. */
static void forget_timing(struct health *h)
{
    h->have_prev = false;
    h->unchanged_looks = 0;
    for (int f = 0; f < FAULTS; f++) {
        h->holds_since_us[f] = INT64_MIN;
    }
    h->sound_since_us = INT64_MIN;
}

void health_reset(struct health *h)
{
    memset(&h->ref, 0, sizeof(h->ref));
    h->learnt_looks = 0;
    h->learnt = false;
    forget_timing(h);
    h->condition = PICTURE_LEARNING;
    h->condition_since_us = h->last_look_us == INT64_MIN ? 0 : h->last_look_us;
    h->measures = (struct health_measures){-1, -1, -1, -1};
}

/* Sums rows y0, y0 + step... before y1 column by column into sums;
 * returns how many. Runs of a fixed length, so that the compiler
 * vectorises them at -O2 too. */
static int sum_rows(uint16_t *restrict sums, const uint8_t *restrict luma, int stride, int width,
                    int y0, int y1, int step)
{
    memset(sums, 0, sizeof(*sums) * (size_t)width);
    int rows = 0;
    for (int y = y0; y < y1; y += step, rows++) {
        const uint8_t *restrict row = luma + (ptrdiff_t)y * stride;
        int x = 0;
        for (; x + 16 <= width; x += 16) {
            for (int k = 0; k < 16; k++) {
                sums[x + k] = (uint16_t)(sums[x + k] + row[x + k]);
            }
        }
        for (; x < width; x++) {
            sums[x] = (uint16_t)(sums[x] + row[x]);
        }
    }
    return rows;
}

/* Sums the column sums in groups of `group`, in place (a group's columns
 * lie at or after it), and squares the steps between neighbouring groups
 * (steps[g]: from g - 1 to g; steps[0] = 0). */
static void group_steps(uint16_t *restrict sums, uint32_t *restrict steps, int groups, int group)
{
    if (group > 1) {
        for (int g = 0; g < groups; g++) {
            int s = 0;
            for (int x = g * group; x < (g + 1) * group; x++) {
                s += sums[x];
            }
            sums[g] = (uint16_t)s;
        }
    }
    steps[0] = 0;
    int g = 1;
    for (; g + 16 <= groups; g += 16) {
        for (int k = 0; k < 16; k++) {
            uint32_t d = (uint32_t)abs(sums[g + k] - sums[g + k - 1]);
            steps[g + k] = d * d;
        }
    }
    for (; g < groups; g++) {
        uint32_t d = (uint32_t)abs(sums[g] - sums[g - 1]);
        steps[g] = d * d;
    }
}

/*
 * The one pass over the source. Of each band of source rows that makes a
 * row of the small plane, ROWS_PER_BAND rows spread over it are read
 * (rows are skipped rather than columns, as a row's cache lines are read
 * whole anyway), and their columns summed in groups of about
 * width / FINE_W: the cells of the small plane are runs of groups, and the
 * steps between neighbouring groups measure the finest detail, averaged
 * over the band's rows and the group's columns so that sensor noise weighs
 * less than the edges of the scene. Only steps across columns: they are
 * what defocus flattens, and interlacing leaves them alone.
 */
static void reduce(struct plane *out, uint16_t *restrict sums, uint32_t *restrict steps,
                   const uint8_t *restrict luma, int stride, int width, int height,
                   bool full_range)
{
    int group = width / FINE_W > 1 ? width / FINE_W : 1;
    int groups = width / group;
    double scale = full_range ? 1.0 : 255.0 / 219.0;
    double offset = full_range ? 0.0 : 16.0;
    double per_cell[HEALTH_W]; /* 1 / the groups in the cell */
    for (int i = 0; i < HEALTH_W; i++) {
        per_cell[i] = 1.0 / (double)((i + 1) * groups / HEALTH_W - i * groups / HEALTH_W);
    }
    for (int j = 0; j < HEALTH_H; j++) {
        int y0 = (int)((int64_t)j * height / HEALTH_H);
        int y1 = (int)((int64_t)(j + 1) * height / HEALTH_H);
        int step = (y1 - y0) / ROWS_PER_BAND > 1 ? (y1 - y0) / ROWS_PER_BAND : 1;
        int rows = sum_rows(sums, luma, stride, width, y0, y1, step);
        group_steps(sums, steps, groups, group);
        double mean = 1.0 / ((double)rows * group), step2 = mean * mean * scale * scale;
        for (int i = 0, first = 0; i < HEALTH_W; i++) {
            int end = (int)((int64_t)(i + 1) * groups / HEALTH_W);
            int64_t cell = 0, energy = 0;
            for (int g = first; g < end; g++) {
                cell += sums[g];
                energy += steps[g];
            }
            out->luma[j][i] = (float)(((double)cell * mean * per_cell[i] - offset) * scale);
            out->fine[j][i] = (float)((double)energy * step2 * per_cell[i]);
            first = end;
        }
    }
}

static float block_sum(const float cells[HEALTH_H][HEALTH_W], int b)
{
    int bx = b % BLOCKS_X * BLOCK, by = b / BLOCKS_X * BLOCK;
    float sum = 0;
    for (int y = by; y < by + BLOCK; y++) {
        for (int x = bx; x < bx + BLOCK; x++) {
            sum += cells[y][x];
        }
    }
    return sum;
}

/* Share of the blocks whose cells moved by more than CHANGE_LEVEL on
 * average since the picture before; the most any cell moved in *most. */
static double changed_share(const struct plane *a, const struct plane *b, float *most)
{
    int changed = 0;
    *most = 0;
    for (int blk = 0; blk < BLOCKS; blk++) {
        int bx = blk % BLOCKS_X * BLOCK, by = blk / BLOCKS_X * BLOCK;
        float d = 0;
        for (int y = by; y < by + BLOCK; y++) {
            for (int x = bx; x < bx + BLOCK; x++) {
                float step = fabsf(a->luma[y][x] - b->luma[y][x]);
                d += step;
                *most = step > *most ? step : *most;
            }
        }
        changed += d > CHANGE_LEVEL * BLOCK * BLOCK;
    }
    return (double)changed / BLOCKS;
}

/* Share of the blocks without detail: the mean step between neighbouring
 * cells (to the right and below, into the next block too) under
 * FLAT_LEVEL. The cells are averages of many pixels, so what sensor noise
 * is left of them is well under FLAT_LEVEL, while the texture of a dark
 * scene is not. */
static double flat_share(const struct plane *p)
{
    int flat = 0;
    for (int blk = 0; blk < BLOCKS; blk++) {
        int bx = blk % BLOCKS_X * BLOCK, by = blk / BLOCKS_X * BLOCK;
        float steps = 0;
        int n = 0;
        for (int y = by; y < by + BLOCK; y++) {
            for (int x = bx; x < bx + BLOCK; x++) {
                if (x + 1 < HEALTH_W) {
                    steps += fabsf(p->luma[y][x + 1] - p->luma[y][x]);
                    n++;
                }
                if (y + 1 < HEALTH_H) {
                    steps += fabsf(p->luma[y + 1][x] - p->luma[y][x]);
                    n++;
                }
            }
        }
        flat += steps < FLAT_LEVEL * n;
    }
    return (double)flat / BLOCKS;
}

static int by_value(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The fine detail against the reference's: the RMS step between column
 * groups of the block at the upper quartile, now and in the reference.
 * RMS, as blurring an edge keeps the sum of its steps but spreads it; a
 * quartile of the blocks wherever they are, as a burned-in clock or name
 * stays sharp when the lens blurs (a few blocks), as a car passing moves
 * detail around, and as a quarter of the view with detail is enough. */
static double detail(const struct plane *p, const struct plane *ref)
{
    float now[BLOCKS], before[BLOCKS];
    for (int b = 0; b < BLOCKS; b++) {
        now[b] = block_sum(p->fine, b);
        before[b] = block_sum(ref->fine, b);
    }
    qsort(now, BLOCKS, sizeof(now[0]), by_value);
    qsort(before, BLOCKS, sizeof(before[0]), by_value);
    int q = BLOCKS * 3 / 4;
    return before[q] > 0 ? sqrt(now[q] / before[q]) : 1;
}

/* Zero-mean normalised correlation of the two planes' gradients: 1 for
 * the same view whatever its brightness and contrast, about 0 for
 * another. Gradients rather than the planes: a view turned by a third
 * still has its sky on top. */
static double likeness(const struct plane *a, const struct plane *b)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    int n = 0;
    for (int y = 0; y + 1 < HEALTH_H; y++) {
        for (int x = 0; x + 1 < HEALTH_W; x++) {
            float ga[2] = {a->luma[y][x + 1] - a->luma[y][x], a->luma[y + 1][x] - a->luma[y][x]};
            float gb[2] = {b->luma[y][x + 1] - b->luma[y][x], b->luma[y + 1][x] - b->luma[y][x]};
            for (int k = 0; k < 2; k++) {
                sa += ga[k];
                sb += gb[k];
                saa += (double)ga[k] * ga[k];
                sbb += (double)gb[k] * gb[k];
                sab += (double)ga[k] * gb[k];
                n++;
            }
        }
    }
    double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
    if (va < 1e-6 || vb < 1e-6) {
        return va < 1e-6 && vb < 1e-6 ? 1 : 0;
    }
    return (sab - sa * sb / n) / sqrt(va * vb);
}

static void blend(struct plane *ref, const struct plane *p, double weight)
{
    for (int y = 0; y < HEALTH_H; y++) {
        for (int x = 0; x < HEALTH_W; x++) {
            ref->luma[y][x] += (float)(weight * (p->luma[y][x] - ref->luma[y][x]));
            ref->fine[y][x] += (float)(weight * (p->fine[y][x] - ref->fine[y][x]));
        }
    }
}

static void learn(struct health *h, int64_t now_us)
{
    if (h->learnt_looks == 0) {
        h->learn_from_us = now_us;
    }
    h->learnt_looks++;
    blend(&h->ref, &h->now, 1.0 / h->learnt_looks);
    if (h->learnt_looks >= LEARN_LOOKS && now_us - h->learn_from_us >= h->settings.learn_s * 1e6) {
        h->learnt = true;
    }
}

/* Measures the new picture against the one before and the reference;
 * returns the faults that hold now, a bit each. `gap`: pictures stopped
 * coming for half the freeze window. */
static unsigned measure(struct health *h, bool gap, int64_t now_us)
{
    const struct health_settings *s = &h->settings;
    struct health_measures *m = &h->measures;
    unsigned holds = 0;

    float most = 0;
    m->changed = h->have_prev ? changed_share(&h->now, &h->prev, &most) : -1;
    /* A stream that repeats its last picture still codes it anew at each
     * key frame, and refines it over the next few pictures: within two
     * looks of one, only a big change is the scene's. */
    bool near_key = h->key_us != INT64_MIN && now_us - h->key_us <= 2000LL * s->sample_ms;
    bool changed = m->changed < 0 || (m->changed > 0 && (most > BIG_CHANGE || !near_key));
    /* A freeze needs pictures that keep coming: 3 looks in the window at
     * least, none of them half the window apart. */
    if (changed || gap) {
        h->changed_us = now_us;
        h->unchanged_looks = 0;
    } else {
        h->unchanged_looks++;
    }
    if (h->unchanged_looks >= 2 && now_us - h->changed_us >= s->frozen_s * 1e6) {
        holds |= 1u << FAULT_FROZEN;
    }

    m->flat = flat_share(&h->now);
    bool sound = m->flat < s->obstructed;
    holds |= (unsigned)!sound << FAULT_OBSTRUCTED;
    if (h->learnt) {
        m->detail = detail(&h->now, &h->ref);
        m->likeness = likeness(&h->now, &h->ref);
        bool blurred = sound && m->detail < s->blurred;
        holds |= (unsigned)blurred << FAULT_BLURRED;
        holds |= (unsigned)(sound && !blurred && m->likeness < s->moved) << FAULT_MOVED;
    } else {
        m->detail = m->likeness = -1;
    }

    for (int f = 0; f < FAULTS; f++) {
        if (!(holds & (1u << f))) {
            h->holds_since_us[f] = INT64_MIN;
        } else if (h->holds_since_us[f] == INT64_MIN) {
            h->holds_since_us[f] = now_us;
        }
    }
    if (holds) {
        h->sound_since_us = INT64_MIN;
    } else if (h->sound_since_us == INT64_MIN) {
        h->sound_since_us = now_us;
    }
    return holds;
}

/* Names the first fault that has held for confirm_s (frozen: at once, its
 * window is its confirmation); lifts a named one once nothing has held for
 * confirm_s. */
static void decide(struct health *h, int64_t now_us)
{
    int64_t confirm_us = (int64_t)(h->settings.confirm_s * 1e6);
    enum picture_condition next = h->condition;
    for (int f = 0; f < FAULTS; f++) {
        int64_t since = h->holds_since_us[f];
        if (since != INT64_MIN && (f == FAULT_FROZEN || now_us - since >= confirm_us)) {
            next = fault_condition[f];
            break;
        }
    }
    if (next == h->condition && h->sound_since_us != INT64_MIN &&
        now_us - h->sound_since_us >= confirm_us) {
        next = PICTURE_OK;
    }
    if (next == PICTURE_OK || next == PICTURE_LEARNING) {
        next = h->learnt ? PICTURE_OK : PICTURE_LEARNING;
    }
    if (next != h->condition) {
        h->condition = next;
        h->condition_since_us = now_us;
    }
}

bool health_look(struct health *h, const uint8_t *luma, int stride, int width, int height,
                 bool full_range, bool key_frame, int64_t now_us)
{
    if (key_frame) {
        h->key_us = now_us;
    }
    if (width < HEALTH_W || height < HEALTH_H || width > MAX_WIDTH) {
        return false;
    }
    int64_t since_us = h->last_look_us == INT64_MIN ? 0 : now_us - h->last_look_us;
    if (h->last_look_us != INT64_MIN && since_us >= 0 &&
        since_us < (int64_t)h->settings.sample_ms * 1000) {
        return false;
    }
    if (since_us < 0) {
        forget_timing(h); /* time went back */
        since_us = 0;
    }
    if (width > h->capacity) {
        uint16_t *sums = realloc(h->sums, sizeof(*sums) * (size_t)width);
        if (sums) {
            h->sums = sums;
        }
        uint32_t *steps = realloc(h->steps, sizeof(*steps) * (size_t)width);
        if (steps) {
            h->steps = steps;
        }
        if (!sums || !steps) {
            return false;
        }
        h->capacity = width;
    }
    enum picture_condition before = h->condition;
    if (width != h->width || height != h->height) {
        /* Another stream (main or sub): its detail is of another scale. */
        if (h->width) {
            health_reset(h);
            h->condition_since_us = now_us;
        }
        h->width = width;
        h->height = height;
    }
    reduce(&h->now, h->sums, h->steps, luma, stride, width, height, full_range);
    unsigned holds = measure(h, since_us > h->settings.frozen_s * 0.5e6, now_us);
    h->last_look_us = now_us;
    h->prev = h->now;
    h->have_prev = true;

    if (!h->learnt) {
        if (!(holds & (1u << FAULT_OBSTRUCTED))) {
            learn(h, now_us); /* a covered lens is no reference */
        }
    } else if (!holds && h->condition == PICTURE_OK) {
        /* Slow change only: nothing holds, nothing builds up. */
        blend(&h->ref, &h->now, 1.0 - exp(-(double)since_us / 1e6 / FOLLOW_S));
    }
    decide(h, now_us);
    return h->condition != before;
}

enum picture_condition health_condition(const struct health *h, int64_t *since_us)
{
    if (since_us) {
        *since_us = h->condition_since_us;
    }
    return h->condition;
}

const char *picture_condition_name(enum picture_condition condition)
{
    switch (condition) {
    case PICTURE_OK:
        return "ok";
    case PICTURE_LEARNING:
        return "learning";
    case PICTURE_FROZEN:
        return "frozen";
    case PICTURE_OBSTRUCTED:
        return "obstructed";
    case PICTURE_BLURRED:
        return "blurred";
    case PICTURE_MOVED:
        return "moved";
    case PICTURE_OFF:
        return "off"; /* a feed's word, never health_condition()'s */
    }
    return "?";
}

void health_measures(const struct health *h, struct health_measures *out)
{
    *out = h->measures;
}
