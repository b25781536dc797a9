/*
 * Output: where one canvas (the picture of one monitor) is drawn.
 *
 * Two kinds: a borderless SDL window at a display's bounds with an OpenGL ES
 * context made through EGL, or a headless EGL context (surfaceless, no
 * display needed) drawing into an offscreen framebuffer of the canvas size.
 * Both ask for OpenGL ES 3 and fall back to ES 2.
 *
 * The canvas is width x height pixels. A window whose size differs shows the
 * canvas scaled to fit, aspect kept, centred on black.
 *
 * Ownership: the output owns its window, context and framebuffer.
 * Threads: everything here runs on the render thread, which is the thread
 * that created the output (the context stays current on it).
 */
#ifndef WALL_OUTPUT_H
#define WALL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

struct output;

struct output_config {
    bool headless;
    int display;       /* SDL display index for a window */
    int width, height; /* canvas size */
    const char *title;
};

/* NULL when neither a window nor a headless context can be made (logged). */
struct output *output_create(const struct output_config *config);
void output_destroy(struct output *output);

/* Changes the canvas size (a reloaded layout with other outputs). False
 * when the headless framebuffer cannot be remade (the old one stays). */
bool output_resize(struct output *output, int width, int height);

/* 3 or 2: the OpenGL ES major version of the context. */
int output_gles_major(const struct output *output);

/* Refresh rate of the display in Hz, 0 when unknown (headless). */
int output_refresh_hz(const struct output *output);

/* Binds the framebuffer and viewport for drawing the canvas. */
void output_begin_frame(struct output *output);

/* Copies the canvas as drawn so far this frame into `rgb` (width*height*3
 * bytes, top row first), scaled back from the window when it differs.
 * Call before output_present(). */
bool output_read_canvas(struct output *output, uint8_t *rgb);

/* Restricts drawing to `region` of the canvas (pixels, origin top-left):
 * viewport and scissor, so one layout output is drawn in its own rect. */
void output_set_region(struct output *output, int x, int y, int w, int h);

/* Shows the frame (swap) or, headless, finishes it. */
void output_present(struct output *output);

#endif
