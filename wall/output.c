/* Output dispatch and the window backend: one SDL window per monitor, one
 * OpenGL ES context (through EGL) shared by all of them. */
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config.h"
#include "wall/output_impl.h"

/* Fits a region into the drawable, aspect kept, centred. */
static void fit_in_window(struct output_view *v, int drawable_w, int drawable_h)
{
    double scale_w = (double)drawable_w / v->w;
    double scale_h = (double)drawable_h / v->h;
    double scale = scale_w < scale_h ? scale_w : scale_h;
    v->in_window.w = (int)(v->w * scale + 0.5);
    v->in_window.h = (int)(v->h * scale + 0.5);
    v->in_window.x = (drawable_w - v->in_window.w) / 2;
    v->in_window.y = (drawable_h - v->in_window.h) / 2;
}

static SDL_GLContext create_gl_context(SDL_Window *window, int *major)
{
    static const int versions[] = {3, 2};
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, versions[i]);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        SDL_GLContext ctx = SDL_GL_CreateContext(window);
        if (ctx) {
            *major = versions[i];
            return ctx;
        }
        log_debug("output", "OpenGL ES %d context: %s", versions[i], SDL_GetError());
    }
    return NULL;
}

/* "ssc-1", or "ssc-wall monitor 2" in a group: for messages. */
static const char *monitor_name(const struct output_monitor *m, char *buf, size_t size)
{
    if (m->part > 0) {
        snprintf(buf, size, "%s monitor %d", m->id, m->part);
    } else {
        snprintf(buf, size, "%s", m->id);
    }
    return buf;
}

/* The display a monitor asks for: by name when it gives one, else by index. */
static int find_display(const struct output_monitor *monitor, int offset)
{
    int n = SDL_GetNumVideoDisplays();
    if (monitor->display_name) {
        for (int i = 0; i < n; i++) {
            const char *name = SDL_GetDisplayName(i);
            if (name && strcmp(name, monitor->display_name) == 0) {
                return i;
            }
        }
        return -1;
    }
    int index = monitor->display + offset;
    return index >= 0 && index < n ? index : -1;
}

static bool open_window(struct output *output, struct output_view *v,
                        const struct output_monitor *monitor, int display, const char *title)
{
    char name[96];
    monitor_name(monitor, name, sizeof(name));
    SDL_Rect bounds;
    if (SDL_GetDisplayBounds(display, &bounds) != 0) {
        bounds = (SDL_Rect){0, 0, monitor->width, monitor->height};
    }
    /* Borderless at the display's exact bounds: FULLSCREEN_DESKTOP does not
     * resize without a window manager, and a wall often runs without one. */
    v->window =
        SDL_CreateWindow(title, bounds.x, bounds.y, bounds.w, bounds.h,
                         SDL_WINDOW_OPENGL | SDL_WINDOW_BORDERLESS | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!v->window) {
        log_error("output", "%s: cannot open a window: %s", name, SDL_GetError());
        return false;
    }
    if (!output->context) {
        output->context = create_gl_context(v->window, &output->gles_major);
        if (!output->context) {
            log_error("output", "no OpenGL ES context: %s", SDL_GetError());
            return false;
        }
        SDL_DisplayMode mode;
        if (SDL_GetCurrentDisplayMode(display, &mode) == 0) {
            output->refresh_hz = mode.refresh_rate;
        }
    }
    SDL_GL_MakeCurrent(v->window, output->context);
    /* Only the first window waits for vertical blank. */
    SDL_GL_SetSwapInterval(v == &output->views[0] ? 1 : 0);
    int dw, dh;
    SDL_GL_GetDrawableSize(v->window, &dw, &dh);
    fit_in_window(v, dw, dh);
    log_info("output", "%s: window %dx%d on display %d (%s) at %d,%d", name, dw, dh, display,
             SDL_GetDisplayName(display), bounds.x, bounds.y);
    return true;
}

static bool windows_init(struct output *output, const struct output_config *config)
{
    /* EGL rather than GLX under X11: the same path as Wayland and KMS, and
     * the one that imports DMA-BUFs for hardware-decoded frames. */
    SDL_SetHint(SDL_HINT_VIDEO_X11_FORCE_EGL, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        log_error("output", "no display: %s (use --headless)", SDL_GetError());
        return false;
    }
    SDL_GL_SetAttribute(SDL_GL_SHARE_WITH_CURRENT_CONTEXT, 1);
    int offset = config->display_offset > 0 ? config->display_offset : 0;
    int opened = 0;
    for (int i = 0; i < output->n_views; i++) {
        const struct output_monitor *monitor = &config->monitors[i];
        int display = find_display(monitor, offset);
        if (display < 0) {
            char which[96];
            if (monitor->display_name) {
                snprintf(which, sizeof(which), "%s", monitor->display_name);
            } else {
                snprintf(which, sizeof(which), "#%d", monitor->display + offset);
            }
            char name[96];
            log_error("output", "%s: display %s not found (%d displays): not shown",
                      monitor_name(monitor, name, sizeof(name)), which, SDL_GetNumVideoDisplays());
            continue;
        }
        if (open_window(output, &output->views[i], monitor, display, config->title)) {
            opened++;
        }
    }
    if (opened == 0 || !output->context) {
        log_error("output", "no window could be opened");
        return false;
    }
    SDL_ShowCursor(SDL_DISABLE);
    log_info("output", "OpenGL ES %d (%s), %d window%s", output->gles_major,
             (const char *)glGetString(GL_RENDERER), opened, opened == 1 ? "" : "s");
    return true;
}

#if WALL_SANITIZE
static int pin_module(struct dl_phdr_info *info, size_t size, void *data)
{
    const char *name = info->dlpi_name;
    if (name && (strstr(name, "/dri/") || strstr(name, "libgallium") || strstr(name, "libLLVM"))) {
        dlopen(name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    }
    return 0;
}
#endif

/* Sanitizer builds keep the GL driver mapped until exit: Mesa unloads it at
 * eglTerminate, and LeakSanitizer could then neither name nor suppress the
 * driver's own one-time allocations (see tools/lsan.supp). */
static void pin_gl_driver(void)
{
#if WALL_SANITIZE
    dl_iterate_phdr(pin_module, NULL);
#endif
}

static void set_views(struct output *output, const struct output_config *config)
{
    output->width = config->width;
    output->height = config->height;
    output->n_views =
        config->n_monitors < OUTPUT_MONITORS_MAX ? config->n_monitors : OUTPUT_MONITORS_MAX;
    for (int i = 0; i < output->n_views; i++) {
        const struct output_monitor *m = &config->monitors[i];
        struct output_view *v = &output->views[i];
        v->screen = m->screen;
        v->x = m->x;
        v->y = m->y;
        v->w = m->width;
        v->h = m->height;
        v->pic_x = m->pic_x;
        v->pic_y = m->pic_y;
        v->pic_w = m->pic_w;
        v->pic_h = m->pic_h;
    }
}

struct output *output_create(const struct output_config *config)
{
    struct output *output = calloc(1, sizeof(*output));
    if (!output) {
        return NULL;
    }
    output->headless = config->headless;
    output->egl_display = EGL_NO_DISPLAY;
    output->egl_context = EGL_NO_CONTEXT;
    set_views(output, config);
    bool ok = config->headless ? output_headless_init(output) : windows_init(output, config);
    pin_gl_driver();
    if (!ok) {
        output_destroy(output);
        return NULL;
    }
    return output;
}

static bool alloc_cpu_canvas(struct output *output, int width, int height)
{
    uint8_t *pixels = calloc((size_t)width * height, 4);
    if (!pixels) {
        log_error("output", "no memory for a %dx%d canvas", width, height);
        return false;
    }
    free(output->cpu.pixels);
    output->cpu = (struct cpu_canvas){pixels, width * 4, width, height};
    return true;
}

/* The texture windows show the memory canvas through. */
static bool make_canvas_texture(struct output *output)
{
    if (output->canvas_tex) {
        glDeleteFramebuffers(1, &output->canvas_fbo);
        glDeleteTextures(1, &output->canvas_tex);
    }
    glGenTextures(1, &output->canvas_tex);
    glBindTexture(GL_TEXTURE_2D, output->canvas_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, output->width, output->height, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, NULL);
    glGenFramebuffers(1, &output->canvas_fbo);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, output->canvas_fbo);
    glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                           output->canvas_tex, 0);
    bool ok = glCheckFramebufferStatus(GL_READ_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    if (!ok) {
        log_warn("output", "cannot blit a %dx%d canvas into the windows", output->width,
                 output->height);
    }
    return ok;
}

bool output_use_cpu_canvas(struct output *output)
{
    if (!output->headless) {
        if (output->gles_major < 3 || output_window_count(output) == 0) {
            log_warn("output", "a canvas in memory needs OpenGL ES 3 to reach the windows");
            return false;
        }
        SDL_GL_MakeCurrent(output->views[0].window ? output->views[0].window : NULL,
                           output->context);
        if (!make_canvas_texture(output)) {
            return false;
        }
    }
    return alloc_cpu_canvas(output, output->width, output->height);
}

const struct cpu_canvas *output_cpu_canvas(const struct output *output)
{
    return output->cpu.pixels ? &output->cpu : NULL;
}

void output_monitor_region(const struct output *output, int index, struct layout_rect *region,
                           int *pic_x, int *pic_y)
{
    const struct output_view *v = &output->views[index];
    *region = (struct layout_rect){v->x, v->y, v->w, v->h};
    *pic_x = v->pic_x;
    *pic_y = v->pic_y;
}

void output_destroy(struct output *output)
{
    if (!output) {
        return;
    }
    free(output->cpu.pixels);
    if (output->headless) {
        output_headless_finish(output);
    } else {
        if (output->context) {
            SDL_GL_DeleteContext(output->context);
        }
        for (int i = 0; i < OUTPUT_MONITORS_MAX; i++) {
            if (output->views[i].window) {
                SDL_DestroyWindow(output->views[i].window);
            }
        }
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    free(output);
}

bool output_resize(struct output *output, const struct output_config *config)
{
    bool resized = config->width != output->width || config->height != output->height;
    if (resized && output->cpu.pixels &&
        !alloc_cpu_canvas(output, config->width, config->height)) {
        return false;
    }
    if (resized && output->headless && !output->cpu.pixels &&
        !output_headless_resize(output, config->width, config->height)) {
        return false;
    }
    struct output_view windows[OUTPUT_MONITORS_MAX];
    memcpy(windows, output->views, sizeof(windows));
    set_views(output, config);
    for (int i = 0; i < output->n_views; i++) {
        output->views[i].window = windows[i].window;
    }
    if (resized && output->canvas_tex) {
        return make_canvas_texture(output);
    }
    return true;
}

int output_gles_major(const struct output *output)
{
    return output->gles_major;
}

int output_refresh_hz(const struct output *output)
{
    return output->refresh_hz;
}

int output_monitor_count(const struct output *output)
{
    return output->n_views;
}

bool output_screen_shown(const struct output *output, int screen)
{
    for (int i = 0; i < output->n_views; i++) {
        const struct output_view *v = &output->views[i];
        if (v->screen == screen && (output->headless || v->window)) {
            return true;
        }
    }
    return false;
}

bool output_map_point(const struct output *output, uint32_t window_id, double x, double y,
                      bool normalised, double *canvas_x, double *canvas_y)
{
    for (int i = 0; !output->headless && i < OUTPUT_MONITORS_MAX; i++) {
        const struct output_view *v = &output->views[i];
        if (!v->window || SDL_GetWindowID(v->window) != window_id) {
            continue;
        }
        int ww, wh, dw, dh;
        SDL_GetWindowSize(v->window, &ww, &wh);
        SDL_GL_GetDrawableSize(v->window, &dw, &dh);
        if (i >= output->n_views || ww <= 0 || wh <= 0 || v->in_window.w <= 0 ||
            v->in_window.h <= 0) {
            return false; /* a window a reload left black */
        }
        /* In drawable pixels (high-DPI windows have more than window
         * coordinates), from the top; in_window counts from the bottom. */
        double dx = normalised ? x * dw : x * dw / ww, dy = normalised ? y * dh : y * dh / wh;
        double u = (dx - v->in_window.x) / v->in_window.w;
        double t = (dy - (dh - v->in_window.y - v->in_window.h)) / v->in_window.h;
        if (u < 0 || u >= 1 || t < 0 || t >= 1) {
            return false;
        }
        *canvas_x = v->x + u * v->w;
        *canvas_y = v->y + t * v->h;
        return true;
    }
    *canvas_x = normalised ? x * output->width : x;
    *canvas_y = normalised ? y * output->height : y;
    return *canvas_x >= 0 && *canvas_x < output->width && *canvas_y >= 0 &&
           *canvas_y < output->height;
}

int output_window_count(const struct output *output)
{
    int n = 0;
    for (int i = 0; i < output->n_views; i++) {
        n += output->views[i].window != NULL;
    }
    return n;
}

bool output_keeps_canvas(const struct output *output)
{
    return output->headless || output->cpu.pixels;
}

void output_begin_frame(struct output *output, bool whole)
{
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0, 0, 0, 1);
    if (output->cpu.pixels) {
        if (whole) {
            memset(output->cpu.pixels, 0, (size_t)output->cpu.stride * output->cpu.height);
        }
        if (output->headless) {
            return;
        }
    }
    if (output->headless) {
        glBindFramebuffer(GL_FRAMEBUFFER, output->fbo);
        glViewport(0, 0, output->width, output->height);
        if (whole) {
            glClear(GL_COLOR_BUFFER_BIT);
        }
        return;
    }
    /* Every window, also those of monitors a reload dropped: they show black
     * rather than a frozen picture. */
    for (int i = 0; i < OUTPUT_MONITORS_MAX; i++) {
        struct output_view *v = &output->views[i];
        if (!v->window) {
            continue;
        }
        int dw, dh;
        SDL_GL_GetDrawableSize(v->window, &dw, &dh);
        fit_in_window(v, dw, dh);
        if (output->cpu.pixels) {
            continue; /* the present blits the whole region */
        }
        SDL_GL_MakeCurrent(v->window, output->context);
        glViewport(0, 0, dw, dh);
        glClear(GL_COLOR_BUFFER_BIT); /* black around a scaled region */
    }
}

int output_begin_monitor(struct output *output, int index, struct layout_rect *view)
{
    if (index < 0 || index >= output->n_views) {
        return -1;
    }
    const struct output_view *v = &output->views[index];
    int x0, y0, w, h; /* the monitor's region of the framebuffer, bottom-left origin */
    if (output->headless) {
        x0 = v->x;
        y0 = output->height - (v->y + v->h);
        w = v->w;
        h = v->h;
    } else {
        if (!v->window) {
            return -1;
        }
        x0 = v->in_window.x;
        y0 = v->in_window.y;
        w = v->in_window.w;
        h = v->in_window.h;
    }
    /* The whole picture, at the region's scale, shifted so that the
     * monitor's part (from pic_x, pic_y) falls on the region. */
    double sx = (double)w / v->w, sy = (double)h / v->h;
    int left = (int)lround(x0 - v->pic_x * sx);
    int top = (int)lround(y0 + h + v->pic_y * sy); /* the picture's top edge */
    int right = (int)lround(x0 + (v->pic_w - v->pic_x) * sx);
    int bottom = (int)lround(y0 + h - (v->pic_h - v->pic_y) * sy);
    output->current = (struct output_clip){x0, y0, w, h, sx, sy};
    *view = (struct layout_rect){v->pic_x, v->pic_y, v->w, v->h};
    output->current_view = index;
    if (output->cpu.pixels) {
        return v->screen; /* the CPU draws: no context, viewport or scissor */
    }
    if (!output->headless) {
        SDL_GL_MakeCurrent(v->window, output->context);
    }
    glViewport(left, bottom, right - left, top - bottom);
    glScissor(x0, y0, w, h);
    glEnable(GL_SCISSOR_TEST);
    return v->screen;
}

void output_clip(struct output *output, const struct layout_rect *rect)
{
    if (output->cpu.pixels) {
        return; /* the renderer clips (renderer_clip) */
    }
    const struct output_clip *c = &output->current;
    if (!rect) {
        glScissor(c->x, c->y, c->w, c->h);
        return;
    }
    const struct output_view *v = &output->views[output->current_view];
    /* The rect in the monitor's region, bottom-left origin, rounded out. */
    int x0 = c->x + (int)floor((rect->x - v->pic_x) * c->sx);
    int x1 = c->x + (int)ceil((rect->x + rect->w - v->pic_x) * c->sx);
    int top = c->y + c->h - (int)floor((rect->y - v->pic_y) * c->sy);
    int bottom = c->y + c->h - (int)ceil((rect->y + rect->h - v->pic_y) * c->sy);
    x0 = x0 < c->x ? c->x : x0;
    bottom = bottom < c->y ? c->y : bottom;
    x1 = x1 > c->x + c->w ? c->x + c->w : x1;
    top = top > c->y + c->h ? c->y + c->h : top;
    glScissor(x0, bottom, x1 > x0 ? x1 - x0 : 0, top > bottom ? top - bottom : 0);
}

/* Reads one view's pixels into its region of the canvas, scaled back. */
static bool read_view(const struct output_view *v, int fb_x, int fb_y, int fb_w, int fb_h,
                      uint8_t *rgb, int canvas_w)
{
    uint8_t *rgba = malloc((size_t)fb_w * fb_h * 4);
    if (!rgba) {
        return false;
    }
    glDisable(GL_SCISSOR_TEST);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(fb_x, fb_y, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    for (int y = 0; y < v->h; y++) {
        int sy = fb_h - 1 - (int)((int64_t)y * fb_h / v->h);
        for (int x = 0; x < v->w; x++) {
            int sx = (int)((int64_t)x * fb_w / v->w);
            const uint8_t *s = rgba + ((size_t)sy * fb_w + sx) * 4;
            uint8_t *d = rgb + ((size_t)(v->y + y) * canvas_w + v->x + x) * 3;
            d[0] = s[0];
            d[1] = s[1];
            d[2] = s[2];
        }
    }
    free(rgba);
    return glGetError() == GL_NO_ERROR;
}

bool output_read_canvas(struct output *output, uint8_t *rgb)
{
    if (output->cpu.pixels) {
        const struct cpu_canvas *c = &output->cpu;
        for (int y = 0; y < c->height; y++) {
            const uint8_t *s = c->pixels + (size_t)y * c->stride;
            uint8_t *d = rgb + (size_t)y * c->width * 3;
            for (int x = 0; x < c->width; x++) {
                d[x * 3] = s[x * 4];
                d[x * 3 + 1] = s[x * 4 + 1];
                d[x * 3 + 2] = s[x * 4 + 2];
            }
        }
        return true;
    }
    if (output->headless) {
        struct output_view whole = {.w = output->width, .h = output->height};
        glBindFramebuffer(GL_FRAMEBUFFER, output->fbo);
        return read_view(&whole, 0, 0, output->width, output->height, rgb, output->width);
    }
    memset(rgb, 0, (size_t)output->width * output->height * 3);
    bool ok = true;
    for (int i = 0; i < output->n_views; i++) {
        const struct output_view *v = &output->views[i];
        if (v->window) {
            SDL_GL_MakeCurrent(v->window, output->context);
            ok = read_view(v, v->in_window.x, v->in_window.y, v->in_window.w, v->in_window.h, rgb,
                           output->width) &&
                 ok;
        }
    }
    return ok;
}

/* Windows of a memory canvas: one upload, then a blit into each window,
 * the canvas's top row to the window's top (GL counts rows from the bottom). */
static void present_canvas(struct output *output)
{
    const struct cpu_canvas *c = &output->cpu;
    glBindTexture(GL_TEXTURE_2D, output->canvas_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, c->stride / 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, c->width, c->height, GL_RGBA, GL_UNSIGNED_BYTE,
                    c->pixels);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    for (int i = 0; i < OUTPUT_MONITORS_MAX; i++) {
        const struct output_view *v = &output->views[i];
        if (!v->window) {
            continue;
        }
        SDL_GL_MakeCurrent(v->window, output->context);
        glDisable(GL_SCISSOR_TEST);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        int dw, dh;
        SDL_GL_GetDrawableSize(v->window, &dw, &dh);
        if (v->in_window.w != dw || v->in_window.h != dh || i >= output->n_views) {
            glClearColor(0, 0, 0, 1);
            glClear(GL_COLOR_BUFFER_BIT); /* black around a scaled region */
        }
        if (i < output->n_views) {
            bool exact = v->in_window.w == v->w && v->in_window.h == v->h;
            glBindFramebuffer(GL_READ_FRAMEBUFFER, output->canvas_fbo);
            glBlitFramebuffer(v->x, v->y, v->x + v->w, v->y + v->h, v->in_window.x,
                              v->in_window.y + v->in_window.h, v->in_window.x + v->in_window.w,
                              v->in_window.y, GL_COLOR_BUFFER_BIT, exact ? GL_NEAREST : GL_LINEAR);
            glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
        }
        SDL_GL_SwapWindow(v->window);
    }
}

void output_present(struct output *output)
{
    if (output->cpu.pixels && output->headless) {
        return; /* nothing to show, nothing in flight */
    }
    if (output->cpu.pixels) {
        present_canvas(output);
        return;
    }
    if (output->headless) {
        /* Nothing to show; flush so the driver's threads work while we wait. */
        glFlush();
        return;
    }
    for (int i = 0; i < OUTPUT_MONITORS_MAX; i++) {
        if (output->views[i].window) {
            SDL_GL_MakeCurrent(output->views[i].window, output->context);
            SDL_GL_SwapWindow(output->views[i].window);
        }
    }
}
