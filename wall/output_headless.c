/* Headless output: EGL with no window system, drawing into an FBO. */
#include <string.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include "common/log.h"
#include "common/words.h"
#include "wall/output_impl.h"

/* Mesa's surfaceless platform first; then the first EGL device (NVIDIA's
 * driver offers that instead); then whatever the default display is. */
static EGLDisplay open_display(void)
{
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (get_platform_display && words_contain(client, "EGL_MESA_platform_surfaceless")) {
        EGLDisplay dpy =
            get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
        if (dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL)) {
            return dpy;
        }
        log_debug("output", "surfaceless EGL platform failed; trying devices");
    }
    PFNEGLQUERYDEVICESEXTPROC query_devices =
        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    if (get_platform_display && query_devices &&
        words_contain(client, "EGL_EXT_platform_device")) {
        EGLDeviceEXT devices[8];
        EGLint count = 0;
        if (query_devices(8, devices, &count) && count > 0) {
            for (EGLint i = 0; i < count; i++) {
                EGLDisplay dpy = get_platform_display(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
                if (dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL)) {
                    return dpy;
                }
            }
        }
    }
    EGLDisplay dpy = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL)) {
        return dpy;
    }
    return EGL_NO_DISPLAY;
}

static EGLContext create_context(EGLDisplay dpy, int *major)
{
    static const int versions[] = {3, 2};
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        /* No window surface is ever made: any surface type will do. */
        EGLint config_attribs[] = {
            EGL_RENDERABLE_TYPE,
            versions[i] == 3 ? EGL_OPENGL_ES3_BIT : EGL_OPENGL_ES2_BIT,
            EGL_SURFACE_TYPE,
            EGL_DONT_CARE,
            EGL_NONE,
        };
        EGLConfig config;
        EGLint count = 0;
        if (!eglChooseConfig(dpy, config_attribs, &config, 1, &count) || count < 1) {
            continue;
        }
        EGLint context_attribs[] = {EGL_CONTEXT_MAJOR_VERSION, versions[i], EGL_NONE};
        EGLContext ctx = eglCreateContext(dpy, config, EGL_NO_CONTEXT, context_attribs);
        if (ctx != EGL_NO_CONTEXT) {
            *major = versions[i];
            return ctx;
        }
    }
    return EGL_NO_CONTEXT;
}

bool output_headless_init(struct output *output)
{
    output->egl_display = open_display();
    if (output->egl_display == EGL_NO_DISPLAY) {
        log_error("output", "headless: no EGL display (is Mesa's libegl-mesa0 installed?)");
        return false;
    }
    if (!eglBindAPI(EGL_OPENGL_ES_API)) {
        log_error("output", "headless: EGL has no OpenGL ES");
        goto fail;
    }
    output->egl_context = create_context(output->egl_display, &output->gles_major);
    if (output->egl_context == EGL_NO_CONTEXT) {
        log_error("output", "headless: cannot create an OpenGL ES context");
        goto fail;
    }
    if (!eglMakeCurrent(output->egl_display, EGL_NO_SURFACE, EGL_NO_SURFACE,
                        output->egl_context)) {
        log_error("output", "headless: context without a surface refused "
                            "(EGL_KHR_surfaceless_context missing)");
        goto fail;
    }

    glGenRenderbuffers(1, &output->colour_rb);
    glBindRenderbuffer(GL_RENDERBUFFER, output->colour_rb);
    /* RGBA8 is core in ES 3; ES 2 has it through OES_rgb8_rgba8 (Mesa). */
    glRenderbufferStorage(GL_RENDERBUFFER, output->gles_major >= 3 ? GL_RGBA8 : GL_RGBA4,
                          output->width, output->height);
    glGenFramebuffers(1, &output->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, output->fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                              output->colour_rb);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        log_error("output", "headless: %dx%d framebuffer incomplete", output->width,
                  output->height);
        goto fail;
    }
    log_info("output", "headless %dx%d, OpenGL ES %d (%s)", output->width, output->height,
             output->gles_major, (const char *)glGetString(GL_RENDERER));
    return true;

fail:
    output_headless_finish(output);
    return false;
}

bool output_headless_resize(struct output *output, int width, int height)
{
    glBindRenderbuffer(GL_RENDERBUFFER, output->colour_rb);
    glRenderbufferStorage(GL_RENDERBUFFER, output->gles_major >= 3 ? GL_RGBA8 : GL_RGBA4, width,
                          height);
    glBindFramebuffer(GL_FRAMEBUFFER, output->fbo);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        log_error("output", "headless: %dx%d framebuffer incomplete", width, height);
        return false;
    }
    log_info("output", "headless canvas now %dx%d", width, height);
    return true;
}

void output_headless_finish(struct output *output)
{
    if (output->egl_display == EGL_NO_DISPLAY || output->egl_display == NULL) {
        return;
    }
    if (output->egl_context != EGL_NO_CONTEXT && output->egl_context != NULL) {
        if (output->fbo) {
            glDeleteFramebuffers(1, &output->fbo);
            glDeleteRenderbuffers(1, &output->colour_rb);
        }
        eglMakeCurrent(output->egl_display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(output->egl_display, output->egl_context);
    }
    eglTerminate(output->egl_display);
    output->egl_display = EGL_NO_DISPLAY;
    output->egl_context = EGL_NO_CONTEXT;
    output->fbo = 0;
}
