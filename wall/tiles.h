/*
 * Tiles: what one tile shows, drawn from its camera's source: the picture
 * with a camera label, or a slate (CONNECTING, NO SIGNAL) with the camera's
 * name when there is no picture to trust.
 *
 * Sources (wall/sources.h) belong to the wall; tile views hold the text
 * each tile shows, rendered once when it changes.
 *
 * Threads: render thread only.
 */
#ifndef WALL_TILES_H
#define WALL_TILES_H

#include <stdint.h>

#include "layouts/layout.h"
#include "wall/render.h"
#include "wall/sources.h"
#include "wall/text.h"

/* Slate colours, part of the wall's visible contract (tests check them). */
#define TILE_SLATE_CONNECTING 0x14283cu
#define TILE_SLATE_NO_SIGNAL  0x3c1414u
#define TILE_BACKGROUND       0x000000u /* behind pictures: letterbox bars */

struct tile_view {
    struct text_label label; /* "101  Av. Tulum y Cobá" over the picture */
    struct text_label title; /* slate: "NO SIGNAL" */
    struct text_label name;  /* slate: camera number and name */
};

struct tile_context {
    struct renderer *renderer;
    struct text_renderer *text; /* may be NULL: no text */
};

/* Draws one tile. `source` is NULL for a tile without a camera. */
void tile_draw(const struct tile_context *ctx, struct tile_view *view,
               const struct layout_tile *tile, struct source *source);

void tile_view_finish(struct tile_view *view);

#endif
