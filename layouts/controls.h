/*
 * Tours, operator key and button bindings, and the settings of the wall as
 * a whole: the `tours`, `keys`, `buttons` and `wall` settings of the full
 * format (the broker's part of `wall` is checked by layouts/broker.c).
 * Internal to layouts/.
 *
 * Tours are read after the cameras (they name cameras) and before the
 * outputs (pages name tours). Keys are stored as written: which key names
 * exist is the wall's business; only the action names are checked here.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_CONTROLS_H
#define WALL_LAYOUTS_CONTROLS_H

#include "layouts/load.h"

/* Reads `tours = ( ... )` into wall->tours and load->tours; list may be NULL. */
void layout_tours_read(struct load *load, const config_setting_t *list);

/* Reads `keys = { ... }` and `buttons = { ... }` into wall->bindings; either
 * may be NULL. */
void layout_bindings_read(struct load *load, const config_setting_t *keys,
                          const config_setting_t *buttons);

/* Reads `wall = { ... }`, the broker's settings too (layouts/broker.h: call
 * it after the credentials); group may be NULL (every default). */
void layout_settings_read(struct load *load, const config_setting_t *group);

void layout_tour_finish(struct layout_tour *tour);
void layout_binding_finish(struct layout_binding *binding);

#endif
