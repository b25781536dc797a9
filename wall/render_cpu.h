/*
 * A canvas in memory, drawn by the CPU: the "cpu" draw path. Where GL is
 * software (llvmpipe), every GL pass over the canvas costs CPU however
 * simple; with pictures already scaled and converted on the feed threads
 * (decode/scale.h), composing is copying rows, and a headless wall needs
 * no GL at all. The renderer (wall/render.h) draws here instead of through
 * GL when it was made for a CPU canvas.
 *
 * Pixels are RGB0 (R, G, B, unused), `stride` bytes a row, top row first.
 * A view maps a screen's picture coordinates onto the canvas (+ox, +oy)
 * and clips every draw to `clip` (canvas pixels).
 *
 * Threads: render thread only.
 */
#ifndef WALL_RENDER_CPU_H
#define WALL_RENDER_CPU_H

#include <stdint.h>

#include "decode/scale.h"
#include "layouts/geometry.h"

struct AVFrame;

struct cpu_canvas {
    uint8_t *pixels; /* borrowed from the output */
    int stride, width, height;
};

struct cpu_view {
    int ox, oy;              /* canvas = picture + (ox, oy) */
    struct layout_rect clip; /* canvas pixels */
};

void cpu_fill(const struct cpu_canvas *c, const struct cpu_view *v, struct layout_rect rect,
              uint32_t rgb, float alpha);

/* `pixels`: RGBA with straight alpha, w x h, w*4 bytes a row; drawn into
 * `dst` (scaled, nearest) times `alpha`. */
void cpu_blend_rgba(const struct cpu_canvas *c, const struct cpu_view *v, const uint8_t *pixels,
                    int w, int h, struct layout_rect dst, float alpha);

/* An RGB0 frame holding the part `shows` of a picture, drawn so that the
 * part `src` (0..1 of the whole picture) fills `dst`: row copies when the
 * frame was made for this draw, nearest sampling otherwise. `mask`: the
 * camera's privacy mask (MASK_SIZE squared, whole-picture coordinates) or
 * NULL; masked pixels take MASK_COLOUR. */
void cpu_draw_picture(const struct cpu_canvas *c, const struct cpu_view *v,
                      const struct AVFrame *frame, const struct scale_target *shows,
                      struct layout_rect dst, double src_x, double src_y, double src_w,
                      double src_h, const uint8_t *mask);

#endif
