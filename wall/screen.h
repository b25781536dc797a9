/*
 * Screen: what one layout output shows now, the operator's state for it:
 * its current page and whether one tile is maximized, plus the text views
 * of its tiles. The layout says what pages exist; the screen says which
 * one is up.
 *
 * A maximized tile fills the whole output (its camera or tour as on the
 * page); the other tiles are then not visible, so their feeds close after
 * the grace period.
 *
 * Ownership: borrows `config` from the wall's layout; owns the views.
 * Threads: render thread only (views hold GL textures).
 */
#ifndef WALL_SCREEN_H
#define WALL_SCREEN_H

#include <stdbool.h>

#include "layouts/layout.h"
#include "wall/text.h"
#include "wall/tiles.h"

struct screen {
    const struct layout_output *config;
    int page;
    int maximized;           /* tile index on the page, or -1 */
    struct tile_view *views; /* one per tile of the page */
    int n_views;
    struct text_label banner; /* layout error across the top */
    struct text_label status; /* zone, page, clock */
};

bool screen_init(struct screen *s, const struct layout_output *config, int page);
void screen_finish(struct screen *s);

/* Shows page `page` (0-based), restoring any maximized tile. */
bool screen_set_page(struct screen *s, int page);

/* Maximizes tile `tile` (0-based) of the page; -1 restores. */
bool screen_maximize(struct screen *s, int tile);

/* How many tiles are visible now. */
int screen_visible_count(const struct screen *s);

/* The i-th visible tile as drawn (a maximized one with the output's whole
 * rect), and the index of its tile on the page (for its view). */
struct layout_tile screen_visible_tile(const struct screen *s, int i, int *page_index);

#endif
