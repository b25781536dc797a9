#include "wall/render_cpu.h"

#include <math.h>
#include <string.h>

#include <libavutil/frame.h>

#include "wall/mask.h"

/* `rect` (picture pixels) on the canvas, clipped; false when nothing is left. */
static bool place(const struct cpu_view *v, struct layout_rect rect, struct layout_rect *out)
{
    struct layout_rect on_canvas = {rect.x + v->ox, rect.y + v->oy, rect.w, rect.h};
    *out = layout_rect_intersect(on_canvas, v->clip);
    return out->w > 0 && out->h > 0;
}

static uint8_t *at(const struct cpu_canvas *c, int x, int y)
{
    return c->pixels + (ptrdiff_t)y * c->stride + (ptrdiff_t)x * 4;
}

void cpu_fill(const struct cpu_canvas *c, const struct cpu_view *v, struct layout_rect rect,
              uint32_t rgb, float alpha)
{
    struct layout_rect r;
    if (!place(v, rect, &r)) {
        return;
    }
    uint8_t colour[4] = {(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, 255};
    if (alpha >= 1.0f) {
        uint8_t *row = at(c, r.x, r.y);
        for (int x = 0; x < r.w; x++) {
            memcpy(row + x * 4, colour, 4);
        }
        for (int y = 1; y < r.h; y++) {
            memcpy(at(c, r.x, r.y + y), row, (size_t)r.w * 4);
        }
        return;
    }
    unsigned a = (unsigned)lroundf(alpha * 256.0f);
    for (int y = 0; y < r.h; y++) {
        uint8_t *p = at(c, r.x, r.y + y);
        for (int x = 0; x < r.w; x++, p += 4) {
            for (int i = 0; i < 3; i++) {
                p[i] = (uint8_t)((colour[i] * a + p[i] * (256 - a)) >> 8);
            }
        }
    }
}

void cpu_blend_rgba(const struct cpu_canvas *c, const struct cpu_view *v, const uint8_t *pixels,
                    int w, int h, struct layout_rect dst, float alpha)
{
    struct layout_rect r;
    if (!pixels || dst.w <= 0 || dst.h <= 0 || !place(v, dst, &r)) {
        return;
    }
    unsigned global = (unsigned)lroundf(alpha * 255.0f);
    for (int y = 0; y < r.h; y++) {
        int sy = (int)((int64_t)(r.y + y - (dst.y + v->oy)) * h / dst.h);
        const uint8_t *src_row = pixels + (size_t)sy * w * 4;
        uint8_t *p = at(c, r.x, r.y + y);
        for (int x = 0; x < r.w; x++, p += 4) {
            int sx = (int)((int64_t)(r.x + x - (dst.x + v->ox)) * w / dst.w);
            const uint8_t *s = src_row + sx * 4;
            unsigned a = s[3] * global / 255;
            if (a == 0) {
                continue;
            }
            for (int i = 0; i < 3; i++) {
                p[i] = (uint8_t)((s[i] * a + p[i] * (255 - a)) / 255);
            }
        }
    }
}

void cpu_draw_picture(const struct cpu_canvas *c, const struct cpu_view *v, const AVFrame *frame,
                      const struct scale_target *t, struct layout_rect dst, double src_x,
                      double src_y, double src_w, double src_h, const uint8_t *mask)
{
    struct layout_rect r;
    if (!frame || dst.w <= 0 || dst.h <= 0 || !place(v, dst, &r)) {
        return;
    }
    /* `src` within what the frame holds, in frame pixels. */
    double fx = (src_x - t->x) / t->w * frame->width;
    double fy = (src_y - t->y) / t->h * frame->height;
    double fw = src_w / t->w * frame->width;
    double fh = src_h / t->h * frame->height;
    bool exact = abs(dst.w - frame->width) <= 1 && abs(dst.h - frame->height) <= 1 &&
                 fabs(fx) < 0.5 && fabs(fy) < 0.5 && fabs(fw - frame->width) < 1 &&
                 fabs(fh - frame->height) < 1;
    int x_off = r.x - (dst.x + v->ox), y_off = r.y - (dst.y + v->oy);
    for (int y = 0; y < r.h; y++) {
        int sy = exact ? y_off + y : (int)(fy + (y_off + y + 0.5) * fh / dst.h);
        sy = sy < 0 ? 0 : sy >= frame->height ? frame->height - 1 : sy;
        const uint8_t *src_row = frame->data[0] + (ptrdiff_t)sy * frame->linesize[0];
        uint8_t *p = at(c, r.x, r.y + y);
        if (exact && !mask) {
            int n = r.w;
            if (x_off + n > frame->width) {
                n = frame->width - x_off;
            }
            memcpy(p, src_row + (ptrdiff_t)x_off * 4, (size_t)(n > 0 ? n : 0) * 4);
            continue;
        }
        const uint8_t *mask_row = NULL;
        if (mask) {
            double my = t->y + (sy + 0.5) / frame->height * t->h;
            int m = (int)(my * MASK_SIZE);
            mask_row = mask + (size_t)(m < 0 ? 0 : m >= MASK_SIZE ? MASK_SIZE - 1 : m) * MASK_SIZE;
        }
        for (int x = 0; x < r.w; x++, p += 4) {
            int sx = exact ? x_off + x : (int)(fx + (x_off + x + 0.5) * fw / dst.w);
            sx = sx < 0 ? 0 : sx >= frame->width ? frame->width - 1 : sx;
            if (mask_row) {
                double mx = t->x + (sx + 0.5) / frame->width * t->w;
                int m = (int)(mx * MASK_SIZE);
                if (mask_row[m < 0 ? 0 : m >= MASK_SIZE ? MASK_SIZE - 1 : m] > 127) {
                    p[0] = (uint8_t)(MASK_COLOUR >> 16);
                    p[1] = (uint8_t)(MASK_COLOUR >> 8);
                    p[2] = (uint8_t)MASK_COLOUR;
                    continue;
                }
            }
            memcpy(p, src_row + (ptrdiff_t)sx * 4, 4);
        }
    }
}
