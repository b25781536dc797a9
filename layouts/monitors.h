/*
 * Monitors: the screens an output is shown on. One output is one monitor,
 * or a group of rows x columns monitors (a video wall) showing one picture
 * with bezel compensation. Internal to layouts/.
 *
 * Geometry of a group, with monitor size mw x mh = rect.w / columns x
 * rect.h / rows and bezels bx, by (pixels hidden at each monitor edge):
 * monitor (r, c) shows the canvas rectangle (rect.x + c * mw, rect.y + r *
 * mh, mw, mh), and from the output's picture the rectangle (c * (mw + 2 bx),
 * r * (mh + 2 by), mw, mh). The picture is rect.w + (columns - 1) * 2 bx
 * wide and rect.h + (rows - 1) * 2 by high.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_MONITORS_H
#define WALL_LAYOUTS_MONITORS_H

#include "layouts/load.h"

/*
 * Sets out's monitors, width and height from its rect (set, or w == 0 when
 * it was wrong), bezels, `grid` ([rows, columns], 0 when not given) and
 * `display` (the setting, or NULL). Monitors without a display setting take
 * *next_display onwards; *next_display moves past this output's monitors
 * either way. Problems are reported at the settings of `entry`.
 */
void layout_monitors_read(struct load *load, const config_setting_t *entry, const char *label,
                          const config_setting_t *display, const int grid[2], int *next_display,
                          struct layout_output *out);

/* One monitor on display 0 showing all of out->rect (the simple format). */
bool layout_monitors_single(struct load *load, struct layout_output *out);

/* Reports every display used twice, by two outputs or within one, and a
 * wall of more than LAYOUT_MONITORS_MAX monitors. entries[i] is output i's
 * setting. */
void layout_monitors_check(struct load *load, const config_setting_t *const *entries);

void layout_monitors_finish(struct layout_output *out);

#endif
