/*
 * The stations of a wall driven by several workstations: the `stations`
 * list of the full format, read into layout_wall.stations. Internal to
 * layouts/.
 *
 * Call layout_stations_read() after the outputs (stations name them),
 * the credentials (a station's `credentials` names its broker account) and
 * the `wall` group (stations need wall.broker, and a station that names no
 * account gets copies of the broker's). It checks what layout.h promises
 * of the model: each station drives outputs or stands by for others, never
 * both and never neither; no output has two drivers; a standby takes over
 * stations that drive outputs, neither itself nor another standby; station
 * names are unique; a station's `credentials` names a credentials entry.
 * Outputs no station drives are allowed, each with a warning. No message
 * shows a user name or password.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_STATIONS_H
#define WALL_LAYOUTS_STATIONS_H

#include "layouts/load.h"

/*
 * Reads `stations = ( ... )` (list may be NULL: a one-station file); `wall`
 * is the `wall` group, or NULL: stations without wall.broker are an error,
 * wall.broker without stations a warning.
 */
void layout_stations_read(struct load *load, const config_setting_t *list,
                          const config_setting_t *wall);

/* Frees what a station of the model holds (not the station itself). */
void layout_station_finish(struct layout_station *station);

#endif
