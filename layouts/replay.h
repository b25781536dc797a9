/*
 * Pre-roll, replay and evidence export settings: the group `wall.replay`.
 *
 *   replay = {
 *     seconds = 30;            # pre-roll each shown camera keeps (1 to 600)
 *     memory = "512M";         # over every camera together: bytes, or K, M, G
 *     zones = ["ssc"];         # optional: only cameras shown in these zones
 *     evidence = "main";       # optional: "shown" (default) or "main"
 *     directory = "evidence";  # exports go here; relative to the file naming it
 *     limit = 600;             # the longest export, seconds
 *   };
 *
 * Without the group, no camera keeps a pre-roll and replay and export are
 * refused with a message saying so. Internal to layouts/.
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_REPLAY_H
#define WALL_LAYOUTS_REPLAY_H

#include "layouts/load.h"

/* Reads `wall.replay` (group: `wall`, may be NULL) into load->wall->replay.
 * After the zones: it names them. Errors FILE:LINE. */
void layout_replay_read(struct load *load, const config_setting_t *group);

#endif
