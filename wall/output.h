/*
 * Output: where the wall's canvas is drawn. The canvas holds every monitor
 * at its rect; each shows a region of it. A layout output (a "screen" of
 * the wall) is one monitor or a group of them sharing one picture: each
 * monitor shows its part of that picture (see layouts/monitors.h), so the
 * wall draws a screen once per monitor, clipped to the monitor.
 *
 * Two kinds:
 * - windowed: one borderless SDL window per monitor, at the bounds of
 *   its display (chosen by index or by name), all sharing one OpenGL ES
 *   context made through EGL, so a frame is uploaded once whatever window
 *   shows it. A display that does not exist is reported by name at start;
 *   its monitor is not shown and the others run. Only the first window waits
 *   for vertical blank, so one monitor's refresh never halves another's.
 * - headless: an EGL context without any window system (surfaceless, or the
 *   first EGL device) drawing the whole canvas into an offscreen framebuffer.
 * Both ask for OpenGL ES 3 and fall back to ES 2.
 *
 * A window whose size differs from its region shows it scaled to fit,
 * aspect kept, centred on black.
 *
 * Ownership: the output owns its windows, context and framebuffer.
 * Threads: everything here runs on the render thread, which is the thread
 * that created the output.
 */
#ifndef WALL_OUTPUT_H
#define WALL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "layouts/geometry.h"

struct output;

#define OUTPUT_MONITORS_MAX 16

struct output_monitor {
    const char *id;           /* its screen's id, for messages */
    int part;                 /* 1.. within a group of monitors, 0 alone: for messages */
    int screen;               /* the screen (layout output) it shows part of */
    int display;              /* SDL display index, or -1: by name */
    const char *display_name; /* SDL display name, or NULL */
    int x, y, width, height;  /* region of the canvas */
    int pic_x, pic_y;         /* its region's top-left in its output's picture */
    int pic_w, pic_h;         /* its output's whole picture */
};

struct output_config {
    bool headless;
    int width, height; /* the whole canvas */
    const struct output_monitor *monitors;
    int n_monitors;
    int display_offset; /* --display: added to every monitor's display index; 0: none */
    const char *title;
};

/* NULL when neither a window nor a headless context can be made (logged). */
struct output *output_create(const struct output_config *config);
void output_destroy(struct output *output);

/* Changes the canvas and its monitors (a reloaded layout). Windows are not
 * reopened: monitor i keeps the window it had (a monitor a reload adds has
 * none; one it drops keeps its window, black, until exit); headless, the
 * framebuffer is remade. False when that fails (the old one stays). */
bool output_resize(struct output *output, const struct output_config *config);

/* 3 or 2: the OpenGL ES major version of the context. */
int output_gles_major(const struct output *output);

/* Refresh rate of the first display in Hz, 0 when unknown (headless). */
int output_refresh_hz(const struct output *output);

/* Whether what was drawn stays from one frame to the next, so a frame may
 * redraw only what changed: headless (one framebuffer) and a canvas in
 * memory yes; GL drawing into windows no (their back buffers are undefined
 * after a swap), so every drawn frame redraws them whole. */
bool output_keeps_canvas(const struct output *output);

/* Starts a frame. `whole`: it will be drawn whole, so every window (or the
 * framebuffer) is cleared to black first; otherwise nothing is cleared. */
void output_begin_frame(struct output *output, bool whole);

/* How many monitors the output has (shown or not). */
int output_monitor_count(const struct output *output);

/* Directs drawing at monitor `index` (its window, or its region of the
 * framebuffer): the viewport takes its screen's whole picture, placed so
 * that the monitor's part lands on it, and the scissor keeps drawing to
 * the monitor. Returns the screen to draw, or -1 when the monitor has no
 * window (its display is missing): skip it. `view`: the part of the
 * screen's picture the monitor shows (what is outside it need not be
 * drawn). */
int output_begin_monitor(struct output *output, int index, struct layout_rect *view);

/* From now on the canvas is a picture in memory that the CPU draws
 * (wall/render_cpu.h): headless, GL draws nothing; windows show it with one
 * texture upload and a blit into each at present (OpenGL ES 3). False
 * (logged) when that cannot be set up; GL draws then. */
bool output_use_cpu_canvas(struct output *output);

/* That canvas, or NULL while GL draws. */
const struct cpu_canvas *output_cpu_canvas(const struct output *output);

/* Monitor `index`'s region of the canvas, and where that region starts in
 * its screen's picture. */
void output_monitor_region(const struct output *output, int index, struct layout_rect *region,
                           int *pic_x, int *pic_y);

/* Limits drawing on the monitor last begun to `rect` of its screen's
 * picture (within the monitor); NULL: the whole monitor again. */
void output_clip(struct output *output, const struct layout_rect *rect);

/* Copies the canvas as drawn this frame into `rgb` (width*height*3 bytes,
 * top row first), each window scaled back to its region. Regions without a
 * window stay black. Call before output_present(). */
bool output_read_canvas(struct output *output, uint8_t *rgb);

/* Shows the frame in every window (swap) or, headless, finishes it. */
void output_present(struct output *output);

/* Where a point of window `window_id` (SDL window coordinates, or with
 * `normalised` 0..1 of the window, as touch events give them) lies on the
 * canvas, in canvas pixels. An id of no window of the output's (headless:
 * any) means the point is on the canvas already (normalised: 0..1 of it).
 * False when it falls on no monitor's picture: outside the canvas, or on
 * the black around a region shown scaled. */
bool output_map_point(const struct output *output, uint32_t window_id, double x, double y,
                      bool normalised, double *canvas_x, double *canvas_y);

/* How many windows are open (0 headless). */
int output_window_count(const struct output *output);

/* Whether screen `index` is shown at all (headless: always; windowed: when
 * the display of one of its monitors exists). Cameras only it would show
 * are not decoded. */
bool output_screen_shown(const struct output *output, int screen);

#endif
