/*
 * The simple format of a layout file, the first version of the format:
 * one `output`, one `grid`, and `cameras` filling the grid in order. It
 * stays valid unchanged and is read into the full model as one output in
 * the built-in zone "default" (which admits every programme), one layout
 * "grid", and one page holding the cameras in order. Internal to layouts/.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_SIMPLE_H
#define WALL_LAYOUTS_SIMPLE_H

#include "layouts/load.h"

/* The settings only the simple format has: a file with any of them is read
 * as the simple format. NULL-terminated. */
extern const char *const layout_simple_keys[];

/* Reads the whole file (its root group) as the simple format. */
void layout_simple_read(struct load *load, const config_setting_t *root);

#endif
