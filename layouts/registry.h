/*
 * The camera registry: the `credentials` and `cameras` lists of a layout
 * file, read into layout_wall.cameras and layout_wall.by_number. Internal
 * to layouts/; layout.c calls these in this order:
 *
 *   layout_registry_read_credentials()  (full format only)
 *   layout_registry_read_cameras()      (or layout_registry_add_simple()
 *                                        per entry, for the simple format)
 *   layout_registry_index()
 *
 * Every camera entry with a valid number enters the model, even one with
 * other errors, so that a later duplicate of its number is still found (the
 * load fails anyway). Credentials are kept in the load only: each camera
 * gets a copy of its user name and password.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_REGISTRY_H
#define WALL_LAYOUTS_REGISTRY_H

#include "layouts/load.h"

#define LAYOUT_CAMERA_NUMBER_MAX 999999
#define LAYOUT_MASK_POINTS_MAX   32

/* Reads `credentials = ( { id; user; password; }, ... )`; list may be NULL. */
void layout_registry_read_credentials(struct load *load, const config_setting_t *list);

/* Reads the full format's `cameras = ( ... )`; list may be NULL. */
void layout_registry_read_cameras(struct load *load, const config_setting_t *list);

/*
 * Makes room for n cameras; the simple format then adds them one by one.
 * False when memory ran out (reported).
 */
bool layout_registry_reserve(struct load *load, int n);

/*
 * The simple format's camera entry `index` of its list: number, name and
 * url only; credentials in the URL are taken out of it without a warning
 * (the simple format has nowhere else to keep them).
 */
void layout_registry_add_simple(struct load *load, const config_setting_t *entry, int index);

/*
 * Sorts the cameras by number into wall->by_number and reports every
 * number used twice, at the later entry. Returns false when it found any.
 */
bool layout_registry_index(struct load *load);

/* "camera 101" or, when the entry has no valid number, "cameras entry 3". */
void layout_camera_label(const config_setting_t *entry, int index, char *buf, size_t size);

/* "active", "suspended" or "removed": as the file writes it. */
const char *layout_status_name(enum layout_status status);

/* Frees what a camera of the model holds (not the camera itself). */
void layout_camera_finish(struct layout_camera *camera);

#endif
