/*
 * Privacy masks: the regions of a camera's picture that must never reach
 * the screen (private property seen from a Guardians 911 camera).
 *
 * A camera's masks (polygons in 0..1 picture coordinates, from the layout
 * file) are rasterised once into a single-channel texture; the picture
 * shader samples it at every fragment and paints masked fragments in the
 * mask colour, so masked pixels never exist in the framebuffer: not on
 * screen, not in a snapshot, at any zoom or crop (the mask follows the
 * picture's own coordinates).
 *
 * Masks fail closed: when a camera's masks cannot be built (memory, a GL
 * error), the camera has neither texture nor raster although the layout
 * gives it masks; mask_failed() then says so and its tiles show a slate
 * instead of its picture (wall/tiles.h). Each failure is logged once, as
 * an error naming the camera, when the masks are built (when its feed
 * opens); stats count the cameras in that state. For tests, the
 * environment variable WALL_TEST_FAIL_MASK_ALLOC (set, not empty) makes
 * every mask allocation fail; it can only ever hide pictures.
 *
 * Threads: render thread only (GL).
 */
#ifndef WALL_MASK_H
#define WALL_MASK_H

#include <stdbool.h>
#include <stdint.h>
#include <GLES3/gl3.h>

#include "layouts/layout.h"

#define MASK_SIZE   1024 /* texels per side: edges stay clean at 8x zoom */
#define MASK_COLOUR 0x202020u

/* Rasterises polygons into size x size bytes (255 inside, even-odd rule,
 * pixel centres), top row first. False when out of memory: `out` is then
 * masked whole. Pure; unit-tested. */
bool mask_rasterise(const struct layout_mask *masks, int n_masks, uint8_t *out, int size);

/* A texture of the camera's masks, or 0 when it has none or they cannot be
 * made (logged; see mask_failed()). Caller deletes. */
GLuint mask_texture_create(const struct layout_camera *camera);

/* The same rasterised in memory (MASK_SIZE squared bytes), for a CPU
 * canvas (wall/render_cpu.h), or NULL when it has none or it cannot be
 * made (logged). Caller frees. */
uint8_t *mask_raster_create(const struct layout_camera *camera);

/* Whether `camera` has masks but neither their `texture` nor their
 * `raster` exists (whichever its draw path made): its picture must not be
 * shown. */
bool mask_failed(const struct layout_camera *camera, GLuint texture, const uint8_t *raster);

/* "none", "applied" or "failed", as above (for statistics). */
const char *mask_status_name(const struct layout_camera *camera, GLuint texture,
                             const uint8_t *raster);

#endif
