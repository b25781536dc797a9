/*
 * Privacy masks of a camera: `masks = ( [x, y, w, h], ( [x, y], [x, y],
 * [x, y] ), ... )`, rectangles and polygons in coordinates normalised to
 * the picture (0..1 of its width and height). Internal to layouts/.
 *
 * A rectangle is stored as its 4 corners, clockwise from the top-left; a
 * polygon as its 3 to LAYOUT_MASK_POINTS_MAX points, in the order written.
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_MASKS_H
#define WALL_LAYOUTS_MASKS_H

#include "layouts/load.h"

/*
 * Reads the list (the value of `masks`, checked to be a list) into *out (owned by the caller:
 * layout_masks_free()) and returns how many masks it holds: the valid ones. Reports each invalid
 * mask, naming it "<label>: mask N".
 */
int layout_masks_read(struct load *load, const config_setting_t *list, const char *label,
                      struct layout_mask **out);

void layout_masks_free(struct layout_mask *masks, int n);

#endif
