/*
 * Damage: the parts of a screen's picture that must be redrawn this frame,
 * as a short list of rectangles (picture pixels). Each says whether the
 * background must be laid first (a tile's own rectangle needs none: the
 * tile covers it whole). Past DAMAGE_MAX rectangles, or when asked, the
 * whole screen is damaged. Pure; render thread only.
 */
#ifndef WALL_DAMAGE_H
#define WALL_DAMAGE_H

#include <stdbool.h>

#include "layouts/geometry.h"

#define DAMAGE_MAX 48

struct damage {
    struct layout_rect rects[DAMAGE_MAX];
    bool background[DAMAGE_MAX];
    int n;
    bool all;
};

void damage_clear(struct damage *d);

/* Adds `rect` (empty ones are ignored); one equal to a rectangle already in
 * the list only adds its need for background. */
void damage_add(struct damage *d, struct layout_rect rect, bool background);

void damage_all(struct damage *d);

/* Whether anything is damaged. */
bool damage_any(const struct damage *d);

#endif
