/*
 * PTZ settings: a camera's `ptz` group in the registry, and the wall's
 * `wall.ptz` rules. Internal to layouts/.
 *
 *   cameras = ( { number = 101; ...;
 *                 ptz = { onvif = "http://10.20.0.11/onvif/device_service";
 *                         profile = "Profile_1";       # optional: first with PTZ
 *                         credentials = "domes";       # optional: the camera's
 *                         locked = false; };           # optional: true = nobody steers it
 *               }, ... );
 *   wall = { ptz = { zones = ["ssc"];          # optional: outputs of these zones steer
 *                    stations = ["desk-1"];    # optional: these stations steer
 *                    timeout = 2;              # seconds per ONVIF call (0.2 to 30)
 *                    move_timeout = 5; };      # seconds a dome moves on unheard (1 to 60)
 *          };
 *
 * Without `wall.ptz`, every zone and station may steer every PTZ camera
 * that is not locked. Mistakes are reported at FILE:LINE.
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_PTZ_H
#define WALL_LAYOUTS_PTZ_H

#include "layouts/load.h"

/* Reads camera `c`'s `ptz` group (setting; NULL: none) after its
 * credentials; `label` is "camera 101". */
void layout_ptz_read_camera(struct load *load, const config_setting_t *setting, const char *label,
                            struct layout_camera *c);

/* Reads `wall.ptz` (group: `wall`, may be NULL) after the zones and the
 * stations: it names them. */
void layout_ptz_read(struct load *load, const config_setting_t *group);

void layout_ptz_free(struct layout_ptz *ptz);

#endif
