/*
 * Renderer: the shader programs and the few draws a canvas is made of:
 * flat rectangles, pictures (Y'CbCr -> RGB in the fragment shader, or RGB
 * made on the feed threads) and text labels. Coordinates are canvas
 * pixels, origin top-left; the renderer maps them onto the output's
 * viewport. Made for a CPU canvas (the cpu draw path), it draws the same
 * into memory instead (wall/render_cpu.h) and issues no GL draw.
 *
 * Ownership: owns its programs and vertex buffer; borrows pictures and
 * textures for the duration of a draw.
 * Threads: render thread only, with the output's context current.
 */
#ifndef WALL_RENDER_H
#define WALL_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <GLES3/gl3.h>

#include "layouts/geometry.h"
#include "wall/picture.h"
#include "wall/profile.h"
#include "wall/render_cpu.h"
#include "wall/text.h"

struct renderer;

/* Part of a picture to draw, in 0..1 of its width and height. */
struct crop {
    double x, y, w, h;
};

/* NULL when a shader does not compile (logged with the driver's message).
 * `cpu`: draws go to the CPU canvas given by renderer_set_view(). */
struct renderer *renderer_create(int gles_major, bool cpu);
/* Measures every draw into `profile` (wall/profile.h); NULL: off. */
void renderer_set_profile(struct renderer *r, struct profile *profile);
void renderer_destroy(struct renderer *r);

/* Starts a canvas of width x height; `clear`: cleared to `background`
 * (0xRRGGBB) within the current viewport and scissor (output_begin_monitor). */
void renderer_begin(struct renderer *r, int width, int height, uint32_t background, bool clear);

/* Measuring: from here until renderer_measure(r, NULL, 0, NULL), draws
 * touch no pixel; each adds the rectangle it would cover to `rects` (at
 * most `max`; *n counts them). */
void renderer_measure(struct renderer *r, struct layout_rect *rects, int max, int *n);

void renderer_fill(struct renderer *r, struct layout_rect rect, uint32_t rgb, float alpha);

/* CPU canvas: draws of the monitor being drawn go to `region` of `canvas`,
 * which shows the screen's picture from (pic_x, pic_y). GL: no-op. */
void renderer_set_view(struct renderer *r, const struct cpu_canvas *canvas,
                       struct layout_rect region, int pic_x, int pic_y);

/* Limits draws to `area` of the picture (within the view); NULL: the whole
 * view again. GL clips with the output's scissor instead (output_clip). */
void renderer_clip(struct renderer *r, const struct layout_rect *area);

/* `mask`: the camera's privacy-mask texture (wall/mask.h), or 0; for a
 * CPU canvas, `mask_raster` instead (NULL: none). */
void renderer_draw_picture(struct renderer *r, const struct picture *pic, struct layout_rect dst,
                           struct crop src, GLuint mask, const uint8_t *mask_raster);

/* A text label (wall/text.h) scaled into `dst`, times `alpha`. */
void renderer_draw_label(struct renderer *r, const struct text_label *label,
                         struct layout_rect dst, float alpha);

/* Where a picture of `aspect` goes in `tile`, and which part of it:
 * letterbox shows all of it, fill covers the tile and crops. */
void renderer_fit(struct layout_rect tile, double aspect, bool fill, struct layout_rect *dst,
                  struct crop *src);

#endif
