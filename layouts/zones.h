/*
 * Zones: the `zones` list of the full format, read into layout_wall.zones
 * and indexed by id in load->zones; and the built-in zone "default" of
 * files that define none. Internal to layouts/.
 *
 * A zone admits camera programmes; layout_zone_admits() (layout.h) is the
 * rule every placement obeys. Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_ZONES_H
#define WALL_LAYOUTS_ZONES_H

#include "layouts/load.h"

#define LAYOUT_DEFAULT_ZONE "default" /* the zone of outputs when the file has none */

/* Reads `zones = ( ... )`; list may be NULL. */
void layout_zones_read(struct load *load, const config_setting_t *list);

/*
 * Adds the built-in zone "default" (title "", admits every programme) to
 * wall->zones and returns its index, 0, or -1 when memory ran out
 * (reported). Only for a wall whose file defines no zones.
 */
int layout_zone_add_default(struct load *load);

/* What the zone admits, for messages: "ssc only", "ssc and guardians" (in
 * the locale's words; the programmes as written). */
void layout_zone_describe_admits(const struct layout_zone *zone, char *buf, size_t size);

#endif
