/*
 * Frame profile (--profile): where a frame's time goes, by kind of GL
 * work. Each measured piece is fenced with glFinish() on both sides, so
 * the time is the GL work itself (the driver's threads included), not
 * when it happened to be flushed; that fencing slows the wall, so this is
 * for measuring only. Figures are wall-clock milliseconds per frame on the
 * render thread, printed at exit.
 *
 * Ownership: the wall owns it; the renderer borrows it. NULL everywhere
 * means off, and every call is then a no-op.
 * Threads: render thread only.
 */
#ifndef WALL_PROFILE_H
#define WALL_PROFILE_H

#include <stdint.h>

enum profile_part {
    PROFILE_CLEAR,   /* clearing windows and canvases */
    PROFILE_UPLOAD,  /* new frames into textures */
    PROFILE_PICTURE, /* pictures: colour conversion and scaling */
    PROFILE_MASKED,  /* pictures with a privacy mask */
    PROFILE_FILL,    /* opaque rectangles: bars, slates, frames */
    PROFILE_BLEND,   /* translucent plates */
    PROFILE_TEXT,    /* text and other RGBA textures */
    PROFILE_PRESENT, /* swap, or the headless flush */
    PROFILE_PARTS,
};

struct profile;

struct profile *profile_create(void);
void profile_destroy(struct profile *profile);

/* Starts a measured piece: returns its start (0 when off). */
int64_t profile_start(struct profile *profile);
void profile_stop(struct profile *profile, enum profile_part part, int64_t start);

/* Counts a frame, drawn or not. */
void profile_frame(struct profile *profile);

/* One log line per part: milliseconds per frame and calls per frame. */
void profile_report(const struct profile *profile);

#endif
