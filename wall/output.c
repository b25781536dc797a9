/* Output dispatch and the window backend (SDL window, GL ES through EGL). */
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "common/log.h"
#include "wall/output_impl.h"

/* Fits the canvas into the drawable, aspect kept, centred. */
static void place_view(struct output *output, int drawable_w, int drawable_h)
{
    double scale_w = (double)drawable_w / output->width;
    double scale_h = (double)drawable_h / output->height;
    double scale = scale_w < scale_h ? scale_w : scale_h;
    output->view_w = (int)(output->width * scale + 0.5);
    output->view_h = (int)(output->height * scale + 0.5);
    output->view_x = (drawable_w - output->view_w) / 2;
    output->view_y = (drawable_h - output->view_h) / 2;
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

static bool window_init(struct output *output, const struct output_config *config)
{
    /* EGL rather than GLX under X11: the same path as Wayland and KMS, and
     * the one that imports DMA-BUFs for hardware-decoded frames. */
    SDL_SetHint(SDL_HINT_VIDEO_X11_FORCE_EGL, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        log_error("output", "no display: %s (use --headless)", SDL_GetError());
        return false;
    }
    int displays = SDL_GetNumVideoDisplays();
    int display = config->display;
    if (display < 0 || display >= displays) {
        log_warn("output", "display %d does not exist (%d found); using display 0", display,
                 displays);
        display = 0;
    }
    SDL_Rect bounds;
    if (SDL_GetDisplayBounds(display, &bounds) != 0) {
        bounds = (SDL_Rect){0, 0, config->width, config->height};
    }
    SDL_DisplayMode mode;
    if (SDL_GetCurrentDisplayMode(display, &mode) == 0) {
        output->refresh_hz = mode.refresh_rate;
    }
    /* Borderless at the display's exact bounds: FULLSCREEN_DESKTOP does not
     * resize without a window manager, and a wall often runs without one. */
    output->window =
        SDL_CreateWindow(config->title, bounds.x, bounds.y, bounds.w, bounds.h,
                         SDL_WINDOW_OPENGL | SDL_WINDOW_BORDERLESS | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!output->window) {
        log_error("output", "cannot open a window: %s", SDL_GetError());
        return false;
    }
    output->context = create_gl_context(output->window, &output->gles_major);
    if (!output->context) {
        log_error("output", "no OpenGL ES context: %s", SDL_GetError());
        return false;
    }
    SDL_GL_SetSwapInterval(1);
    SDL_ShowCursor(SDL_DISABLE);
    int dw, dh;
    SDL_GL_GetDrawableSize(output->window, &dw, &dh);
    place_view(output, dw, dh);
    log_info("output", "window %dx%d on display %d at %d,%d, OpenGL ES %d (%s)", dw, dh, display,
             bounds.x, bounds.y, output->gles_major, (const char *)glGetString(GL_RENDERER));
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

struct output *output_create(const struct output_config *config)
{
    struct output *output = calloc(1, sizeof(*output));
    if (!output) {
        return NULL;
    }
    output->headless = config->headless;
    output->width = config->width;
    output->height = config->height;
    output->egl_display = EGL_NO_DISPLAY;
    output->egl_context = EGL_NO_CONTEXT;
    bool ok = config->headless ? output_headless_init(output) : window_init(output, config);
    pin_gl_driver();
    if (!ok) {
        output_destroy(output);
        return NULL;
    }
    return output;
}

void output_destroy(struct output *output)
{
    if (!output) {
        return;
    }
    if (output->headless) {
        output_headless_finish(output);
    } else {
        if (output->context) {
            SDL_GL_DeleteContext(output->context);
        }
        if (output->window) {
            SDL_DestroyWindow(output->window);
        }
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    free(output);
}

bool output_resize(struct output *output, int width, int height)
{
    if (width == output->width && height == output->height) {
        return true;
    }
    if (output->headless && !output_headless_resize(output, width, height)) {
        return false;
    }
    output->width = width;
    output->height = height;
    if (output->headless) {
        output->view_w = width;
        output->view_h = height;
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

void output_begin_frame(struct output *output)
{
    glDisable(GL_SCISSOR_TEST);
    if (output->headless) {
        glBindFramebuffer(GL_FRAMEBUFFER, output->fbo);
        glViewport(0, 0, output->width, output->height);
    } else {
        int dw, dh;
        SDL_GL_GetDrawableSize(output->window, &dw, &dh);
        place_view(output, dw, dh);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, dw, dh);
    }
    /* Black wherever no layout output lies: around a scaled canvas, and
     * between outputs that do not touch on the wall canvas. */
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glViewport(output->view_x, output->view_y, output->view_w, output->view_h);
}

void output_set_region(struct output *output, int x, int y, int w, int h)
{
    /* Canvas pixels to framebuffer pixels: scale, then flip y (GL is
     * bottom-up). Edges are rounded the same way for every region so
     * neighbouring outputs share their boundary exactly. */
    double sx = (double)output->view_w / output->width;
    double sy = (double)output->view_h / output->height;
    int x0 = output->view_x + (int)(x * sx + 0.5);
    int x1 = output->view_x + (int)((x + w) * sx + 0.5);
    int y0 = output->view_y + output->view_h - (int)((y + h) * sy + 0.5);
    int y1 = output->view_y + output->view_h - (int)(y * sy + 0.5);
    glViewport(x0, y0, x1 - x0, y1 - y0);
    glScissor(x0, y0, x1 - x0, y1 - y0);
    glEnable(GL_SCISSOR_TEST);
}

bool output_read_canvas(struct output *output, uint8_t *rgb)
{
    int vw = output->view_w, vh = output->view_h;
    uint8_t *rgba = malloc((size_t)vw * vh * 4);
    if (!rgba) {
        return false;
    }
    glDisable(GL_SCISSOR_TEST);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(output->view_x, output->view_y, vw, vh, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    /* GL rows run bottom-up; the canvas is scaled back when the window
     * showed it at another size (nearest pixel). */
    for (int y = 0; y < output->height; y++) {
        int sy = vh - 1 - (int)((int64_t)y * vh / output->height);
        for (int x = 0; x < output->width; x++) {
            int sx = (int)((int64_t)x * vw / output->width);
            const uint8_t *s = rgba + ((size_t)sy * vw + sx) * 4;
            uint8_t *d = rgb + ((size_t)y * output->width + x) * 3;
            d[0] = s[0];
            d[1] = s[1];
            d[2] = s[2];
        }
    }
    free(rgba);
    return glGetError() == GL_NO_ERROR;
}

void output_present(struct output *output)
{
    if (output->headless) {
        /* Nothing to show; flush so the driver's threads work while we wait. */
        glFlush();
    } else {
        SDL_GL_SwapWindow(output->window);
    }
}
