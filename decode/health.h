/*
 * Picture health: whether a camera's picture is still worth the name,
 * judged from the frames its feed already decodes. Four conditions:
 *
 *   frozen      frames keep coming, but no part of the picture has changed
 *               for `frozen_s` seconds (fine blocks are compared, not a
 *               global mean: a static scene at a low bitrate still changes
 *               where its burned-in clock ticks, or its sensor's noise);
 *   obstructed  most of the view has lost its detail: covered, black or a
 *               flat colour (a dark scene with texture and noise is not);
 *   blurred     the detail has dropped well below the camera's own
 *               reference, while the view is not obstructed;
 *   moved       the view no longer matches the reference, while the
 *               picture itself is sound (not blurred, not obstructed).
 *
 * Each camera learns its reference by itself from its first seconds of
 * pictures (PICTURE_LEARNING meanwhile: seconds, not minutes). The
 * reference follows slow change (day to night, weather): it is blended
 * towards the picture while the camera is ok, and never while a condition
 * holds or is building up, so a sudden change is judged against the view
 * before it (in a time constant of two minutes). A condition is named once
 * it has held for `confirm_s` (frozen: once nothing changed for
 * `frozen_s`), and lifted once the picture has been sound for `confirm_s`.
 * Obstructed and frozen need no reference, so they are named while
 * learning too; a covered lens is not learnt from. Where several hold,
 * the first of obstructed, frozen, blurred, moved is named: what the
 * picture shows first (a covered lens often stops changing too).
 *
 * Cheap: health_look() returns at once unless `sample_ms` have passed
 * since the last picture it looked at; then it reads a few rows of each
 * band of the luma once, reduces them to a small plane (HEALTH_W x
 * HEALTH_H, box averages) and the detail between neighbouring groups of
 * columns, and works on those (about 70 us for 1920x1080, 40 us for
 * 640x360). It works on whatever pictures it is given: a feed decoding key
 * frames only is judged on its key frames, and is never called frozen for
 * lack of pictures (a freeze needs pictures that keep arriving: at least 3
 * looks in the window, none of them half the window apart). A picture of
 * another size than the last (the feed switched between main and sub
 * stream) starts learning again; one smaller than the small plane is
 * ignored.
 *
 * Time is the caller's (microseconds, any monotonic origin): the feed
 * passes av_gettime_relative(); tests pass the pictures' timestamps.
 *
 * Threads: one struct health belongs to one thread (the feed's); the feed
 * copies its condition into its stats for others.
 */
#ifndef WALL_DECODE_HEALTH_H
#define WALL_DECODE_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#define HEALTH_W 64 /* the small plane the checks run on */
#define HEALTH_H 36

enum picture_condition {
    PICTURE_OK,
    PICTURE_LEARNING, /* the reference is not ready yet */
    PICTURE_FROZEN,
    PICTURE_OBSTRUCTED,
    PICTURE_BLURRED,
    PICTURE_MOVED,
    PICTURE_OFF, /* not judged: picture health off for the feed, or frames it cannot judge
                    (hardware surfaces); health.c never returns it, feeds report it */
};

/* Thresholds; health_settings_default() gives the documented defaults
 * (layouts/README.md, wall.picture_thresholds). */
struct health_settings {
    double frozen_s;   /* no change for this long: frozen (default 10) */
    double obstructed; /* share of the view without detail: obstructed (0.75) */
    double blurred;    /* detail under this share of the reference's: blurred (0.4) */
    double moved;      /* likeness to the reference under this: moved (0.5) */
    double confirm_s;  /* a condition holds this long before it is named (3) */
    double learn_s;    /* pictures learnt from before the reference is ready (4) */
    int sample_ms;     /* looks at most this often (250) */
};

void health_settings_default(struct health_settings *out);

struct health;

/* NULL when out of memory. */
struct health *health_create(const struct health_settings *settings);
void health_destroy(struct health *h);

/*
 * Looks at a picture: its luma plane (8 bits, `stride` bytes a row,
 * width x height), full range (0-255) or limited (16-235), taken at now_us;
 * `key_frame`: an intra picture. Every picture decoded may be given (those
 * between looks only count their key frames): a stream that repeats its
 * last picture codes it anew at each key frame and refines it over the
 * next few, and the small changes that makes (within two looks of a key
 * frame) are not the scene's; a big one (BIG_CHANGE in one cell) is.
 * Returns true when the condition changed with it (a look that ended
 * learning, named a condition or lifted one).
 */
bool health_look(struct health *h, const uint8_t *luma, int stride, int width, int height,
                 bool full_range, bool key_frame, int64_t now_us);

/* The condition now, and since when (now_us of the look that set it). */
enum picture_condition health_condition(const struct health *h, int64_t *since_us);

/* Forgets the reference: learning starts again from the next look (a
 * camera turned on purpose). */
void health_reset(struct health *h);

/* "ok", "learning", "frozen", "obstructed", "blurred", "moved", "off": the
 * words of --stats and the control socket (machine words, never
 * translated). */
const char *picture_condition_name(enum picture_condition condition);

/* What was measured at the last look, for tests and tuning, in fine blocks
 * of 4 x 4 cells of the small plane:
 *   changed   the share of the blocks that changed since the look before
 *             (0 for a repeated picture; frozen needs 0 throughout);
 *   flat      the share of the blocks without detail, whatever their
 *             brightness (the steps between their cells under 2 levels);
 *   detail    the fine detail against the reference's (1: the same), at
 *             the upper quartile of the blocks wherever they are;
 *   likeness  the zero-mean normalised correlation of the plane's
 *             gradients with the reference's (1: the same view, 0: another).
 * Negative: not known yet (changed: no look before; detail and likeness:
 * learning). */
struct health_measures {
    double changed, flat, detail, likeness;
};
void health_measures(const struct health *h, struct health_measures *out);

#endif
