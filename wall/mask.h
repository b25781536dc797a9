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
 * pixel centres), top row first. Pure; unit-tested. */
void mask_rasterise(const struct layout_mask *masks, int n_masks, uint8_t *out, int size);

/* A texture of the camera's masks, or 0 when it has none. Caller deletes. */
GLuint mask_texture_create(const struct layout_camera *camera);

/* The same rasterised in memory (MASK_SIZE squared bytes), for a CPU
 * canvas (wall/render_cpu.h), or NULL when it has none. Caller frees. */
uint8_t *mask_raster_create(const struct layout_camera *camera);

#endif
