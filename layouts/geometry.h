/*
 * Tile geometry: integer rectangles for grid cells.
 *
 * Cells share the space left after the gaps as evenly as integers allow:
 * the first (extent % cells) cells get one extra pixel, so the tiles and
 * gaps of a grid cover the canvas exactly, with no pixel lost at the right
 * or bottom edge. The outer border is one gap wide as well.
 */
#ifndef WALL_LAYOUTS_GEOMETRY_H
#define WALL_LAYOUTS_GEOMETRY_H

#include <stdbool.h>

struct layout_rect {
    int x, y, w, h;
};

struct layout_grid {
    int rows, columns;
    int gap; /* pixels between cells and around the grid */
};

/*
 * The rectangle of the cell block starting at (row, column) spanning
 * (row_span x column_span) cells, inside a canvas of width x height.
 * A spanning block includes the gaps it covers. Returns false when the
 * block does not fit in the grid or the canvas is too small for it.
 */
bool layout_grid_cell(const struct layout_grid *grid, int width, int height, int row, int column,
                      int row_span, int column_span, struct layout_rect *out);

/* Whether two rectangles share any pixel. */
bool layout_rect_overlaps(struct layout_rect a, struct layout_rect b);

/* The pixels two rectangles share; width and height 0 when none. */
struct layout_rect layout_rect_intersect(struct layout_rect a, struct layout_rect b);

/*
 * The largest rectangle of aspect ratio aspect_w:aspect_h centred in `box`
 * (letterbox / pillarbox). Sizes are rounded to whole pixels.
 */
struct layout_rect layout_fit_rect(struct layout_rect box, double aspect_w, double aspect_h);

#endif
