/*
 * Output OSD: what every output shows besides its tiles. Each tile is
 * framed in its zone's colour (SSC and Guardians 911 outputs are told apart
 * at a glance); a status plate in the bottom-right corner gives the zone's
 * title, the page and the date and time; a red banner across the top
 * names a layout error while the wall keeps its previous layout; a tile's
 * details (camera, state, stream) show on a plate when asked for
 * (operator_show_info).
 *
 * Text is rendered into the screen's labels only when it changes (the
 * clock once a second).
 *
 * Threads: render thread only.
 */
#ifndef WALL_OSD_H
#define WALL_OSD_H

#include <time.h>

#include "layouts/layout.h"
#include "wall/render.h"
#include "wall/screen.h"
#include "wall/text.h"
#include "wall/tiles.h"

#define OSD_BANNER_COLOUR 0xb00020u
#define OSD_FRAME_WIDTH   3 /* pixels per step of weight, inside the tile */

enum osd_anchor {
    OSD_ANCHOR_TOP_LEFT,
    OSD_ANCHOR_TOP_CENTRE,
};

struct osd_context {
    struct renderer *renderer;
    struct text_renderer *text; /* may be NULL: no text */
    struct plate_list *plates;  /* NULL: not listed (wall/tiles.h) */
};

/* A frame of weight * OSD_FRAME_WIDTH pixels just inside `rect`. */
void osd_draw_frame(const struct osd_context *ctx, struct layout_rect rect, uint32_t colour,
                    int weight);

/* `text` at `size` pixels on a plate of `colour` (90 % opaque), anchored at
 * (x, y) of the output, at most max_w pixels wide (a longer text is
 * shortened with "…"); rendered into `label` when it changes. Returns the
 * plate's height (0 without text). */
int osd_draw_plate(const struct osd_context *ctx, struct text_label *label, const char *text,
                   int size, int x, int y, int max_w, enum osd_anchor anchor, uint32_t colour);

/* "SSC · Seguridad Ciudadana   page 2/5 Centro   29/11/2026 14:32:05" */
/* `layouts`: the wall's named layouts, for the page's outer gap. */
void osd_draw_status(const struct osd_context *ctx, const struct screen *s,
                     const struct layout_zone *zone, const struct layout_template *layouts,
                     time_t now);

void osd_draw_banner(const struct osd_context *ctx, const struct screen *s, const char *text);

/* A tile's details (`text`, one line) on a dark plate at the top left of
 * `rect` (the tile, output pixels), inside its frame, kept on the output. */
void osd_draw_info(const struct osd_context *ctx, const struct screen *s, struct layout_rect rect,
                   const char *text);

#endif
