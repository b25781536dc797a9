/*
 * Named layouts: the `layouts` list of the full format, read into
 * layout_wall.layouts (struct layout_template) and indexed by name in
 * load->layouts. Internal to layouts/.
 *
 * A layout is a grid of rows x columns cells: without `tiles`, every cell
 * once in reading order; with `tiles`, the listed cells, each spanning
 * `span` cells. Free `pip` areas (0..1 of the output) come after the grid
 * tiles and may overlap them. Grid slots are kept in reading order of their
 * top-left cell (row by row, left to right), whatever order the file lists
 * them in; pip slots in the order listed.
 *
 * Pixel rectangles depend on the output, so they are made when a page is
 * placed (layout_template_place()). Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_TEMPLATES_H
#define WALL_LAYOUTS_TEMPLATES_H

#include "layouts/load.h"

#define LAYOUT_GRID_MAX 16 /* rows and columns of a grid */

/* Reads `layouts = ( ... )`; list may be NULL. */
void layout_templates_read(struct load *load, const config_setting_t *list);

/*
 * The grid layout of the simple format: every cell once, in reading order,
 * all with the same fit. Adds it to wall->layouts; false when memory ran
 * out (reported).
 */
bool layout_template_add_grid(struct load *load, const char *name, struct layout_grid grid,
                              enum layout_fit fit);

/*
 * Fills tiles[0..t->n_slots) with the rectangles of t's slots on an output
 * of width x height pixels (camera and tour left as they are). False when
 * a grid cell would get no pixel: check layout_template_fits() first.
 */
bool layout_template_place(const struct layout_template *t, int width, int height,
                           struct layout_tile *tiles);

/*
 * Whether the grid of t gets at least one pixel per cell on an output of
 * width x height; if not, writes why into why ("3 columns with gap 64 need
 * a width of at least 259"), in the locale's words.
 */
bool layout_template_fits(const struct layout_template *t, int width, int height, char *why,
                          size_t size);

/*
 * Whether `cells` columns (across `extent` pixels of width) or rows (down
 * `extent` of height) get at least one pixel each with `gap` around and
 * between them; if not, writes why into why, in the locale's words.
 */
bool layout_axis_fits(bool columns, int cells, int gap, int extent, char *why, size_t size);

void layout_template_finish(struct layout_template *t);

#endif
