/*
 * Inside an output: what the window and headless backends share.
 * Only output.c and output_headless.c include this.
 */
#ifndef WALL_OUTPUT_IMPL_H
#define WALL_OUTPUT_IMPL_H

#include <EGL/egl.h>
#include <GLES3/gl3.h>
#include <SDL.h>

#include "wall/output.h"
#include "wall/render_cpu.h"

struct output_view {
    SDL_Window *window; /* NULL headless, or when the display is missing */
    int screen;         /* the screen it shows part of */
    int x, y, w, h;     /* region of the canvas */
    int pic_x, pic_y;   /* the region's top-left in the screen's picture */
    int pic_w, pic_h;   /* the screen's whole picture */
    /* Where the region lands in the window's drawable (scaled to fit,
     * centred), bottom-left origin. */
    struct layout_rect in_window;
};

/* The monitor being drawn: its scissor and the picture-to-pixel scale. */
struct output_clip {
    int x, y, w, h;
    double sx, sy;
};

struct output {
    bool headless;
    int width, height; /* canvas */
    int gles_major;
    int refresh_hz;
    struct output_view views[OUTPUT_MONITORS_MAX];
    int n_views;
    struct output_clip current; /* set by output_begin_monitor */
    int current_view;

    /* Window backend: one context for every window. */
    SDL_GLContext context;

    /* Cpu draw path: the canvas in memory; pixels NULL: GL draws. Windows
     * show it through a texture (`canvas_tex`, read through `canvas_fbo`)
     * blitted into each of them at present. */
    struct cpu_canvas cpu;
    GLuint canvas_tex, canvas_fbo;

    /* Headless backend. */
    EGLDisplay egl_display;
    EGLContext egl_context;
    GLuint fbo, colour_rb;
};

bool output_headless_init(struct output *output);
void output_headless_finish(struct output *output);
bool output_headless_resize(struct output *output, int width, int height);

#endif
