/*
 * Output: where the wall's canvas is drawn. The canvas holds every layout
 * output (monitor) at its rect; each is drawn as a region of it.
 *
 * Two kinds:
 * - windowed: one borderless SDL window per layout output, at the bounds of
 *   its display (chosen by index or by name), all sharing one OpenGL ES
 *   context made through EGL, so a frame is uploaded once whatever window
 *   shows it. A display that does not exist is reported by name at start;
 *   its output is not shown and the others run. Only the first window waits
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

struct output;

#define OUTPUT_SCREENS_MAX 16

struct output_screen {
    const char *id;           /* for messages */
    int display;              /* SDL display index, or -1: by name */
    const char *display_name; /* SDL display name, or NULL */
    int x, y, width, height;  /* region of the canvas */
};

struct output_config {
    bool headless;
    int width, height; /* the whole canvas */
    const struct output_screen *screens;
    int n_screens;
    int display_override; /* --display: all screens start from this index; -1: none */
    const char *title;
};

/* NULL when neither a window nor a headless context can be made (logged). */
struct output *output_create(const struct output_config *config);
void output_destroy(struct output *output);

/* Changes the canvas and its screens (a reloaded layout). Windows are not
 * reopened: a reload keeps the monitors it had; headless, the framebuffer
 * is remade. False when that fails (the old one stays). */
bool output_resize(struct output *output, const struct output_config *config);

/* 3 or 2: the OpenGL ES major version of the context. */
int output_gles_major(const struct output *output);

/* Refresh rate of the first display in Hz, 0 when unknown (headless). */
int output_refresh_hz(const struct output *output);

/* Starts a frame: clears every window (or the framebuffer) to black. */
void output_begin_frame(struct output *output);

/* Directs drawing at screen `index` (its window, or its region of the
 * framebuffer): viewport and scissor. False when that screen has no
 * window (its display is missing): skip drawing it. */
bool output_begin_screen(struct output *output, int index);

/* Copies the canvas as drawn this frame into `rgb` (width*height*3 bytes,
 * top row first), each window scaled back to its region. Regions without a
 * window stay black. Call before output_present(). */
bool output_read_canvas(struct output *output, uint8_t *rgb);

/* Shows the frame in every window (swap) or, headless, finishes it. */
void output_present(struct output *output);

/* How many windows are open (0 headless). */
int output_window_count(const struct output *output);

/* Whether screen `index` is shown at all (headless: always; windowed: when
 * its display exists). Cameras only it would show are not decoded. */
bool output_screen_shown(const struct output *output, int index);

#endif
