/*
 * Outputs (monitors) and their pages: the `outputs` list of the full
 * format. Internal to layouts/.
 *
 * Call layout_outputs_read() after the cameras, zones, layouts and tours
 * are read. Every tile of every page is checked here: the camera or tour it
 * names must exist, be active, and be admitted by the output's zone
 * (layout_zone_admits()).
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_OUTPUTS_H
#define WALL_LAYOUTS_OUTPUTS_H

#include "layouts/load.h"

/* Reads `outputs = ( ... )`, then sets the wall canvas and checks that no
 * two outputs overlap or share a display. */
void layout_outputs_read(struct load *load, const config_setting_t *list);

/* Sets wall->width and height: the box from (0, 0) to the furthest output edges. */
void layout_outputs_canvas(struct layout_wall *wall);

void layout_output_finish(struct layout_output *output);

#endif
