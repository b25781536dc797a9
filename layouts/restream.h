/*
 * Restreamer: `wall.restream`, one line that sends every camera through a
 * restreamer (MediaMTX, go2rtc) in front of the cameras, so that a camera
 * serves one connection whatever the number of stations that show it.
 *
 *   restream = "rtsp://restreamer.c5:8554/{number}_{stream}";
 *   restream_credentials = "restreamer";   # optional: its own account
 *
 * Each camera's main stream becomes the address with {number} replaced by
 * the camera's number and {stream} by "main"; its sub stream (when it has
 * one) the same with "sub". The cameras' own addresses and credentials stay
 * in the registry (the restreamer's configuration is made from them) but
 * the wall no longer uses them: it logs in to the restreamer with
 * `restream_credentials`, or anonymously. Internal to layouts/.
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_RESTREAM_H
#define WALL_LAYOUTS_RESTREAM_H

#include "layouts/load.h"

/* Checks `template` and `credentials` (the values of `wall`, group `group`;
 * NULL: not written) into load->wall->restream. Errors FILE:LINE. */
void layout_restream_read(struct load *load, const config_setting_t *group, const char *url,
                          const char *credentials);

/* After the cameras are read: points them at the restreamer. */
void layout_restream_apply(struct load *load);

#endif
