#include "wall/wall.h"

#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/ring.h"
#include "wall/metrics.h"
#include "wall/operator.h"
#include "wall/osd.h"
#include "wall/snapshot.h"
#include "wall/stats.h"
#include "wall/wall_impl.h"

#define FEED_GRACE_MS 10000 /* an unseen camera stays open this long */

/* Where GL is software every fragment costs CPU: the feed threads scale and
 * convert, and the canvas is composed in memory (cpu; windows get it in one
 * blit each). On a real GPU the shader converts (gl). */
static enum draw_path choose_path(enum draw_path path)
{
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    bool software = renderer && (strstr(renderer, "llvmpipe") || strstr(renderer, "softpipe"));
    enum draw_path chosen = path;
    if (path == DRAW_AUTO) {
        chosen = software ? DRAW_CPU : DRAW_GL;
    }
    static const char *const names[] = {
        [DRAW_GL] = M_("gl: pictures converted and scaled in the shader"),
        [DRAW_RGB] = M_("rgb: pictures scaled and converted on the feed threads, GL copies them"),
        [DRAW_CPU] = M_("cpu: pictures scaled and converted on the feed threads, the canvas "
                        "composed in memory"),
    };
    log_info("wall", "drawing: %s (%s, GL renderer %s)", names[chosen],
             path == DRAW_AUTO ? "auto" : "--draw", renderer ? renderer : "unknown");
    return chosen;
}

/* Hardware decoding needs both ends: a VA-API device to decode into and an
 * EGL that imports its surfaces. Either missing means software, said once. */
static void start_hardware(struct wall *wall, int gles)
{
    /* The command line wins over the layout file; neither says: auto. */
    enum hwaccel mode = wall->options->hwaccel_set  ? wall->options->hwaccel
                        : wall->layout->hwaccel_set ? wall->layout->hwaccel
                                                    : HWACCEL_AUTO;
    if (mode == HWACCEL_NONE) {
        log_info("wall", "hardware decoding off (%s): decoding in software",
                 wall->options->hwaccel_set ? M_("--hwaccel none")
                                            : M_("hwaccel = \"none\" in the layout"));
        return;
    }
    wall->hwdec = hwdec_create(mode, wall->options->vaapi_device);
    if (!wall->hwdec) {
        return; /* hwdec said why */
    }
    wall->dmabuf = dmabuf_create(gles);
    if (!wall->dmabuf) {
        log_msg(mode == HWACCEL_VAAPI ? LOG_WARN : LOG_INFO, "wall",
                /* N_(): log_msg() translates it at WARN, not at INFO */
                N_("VA-API decodes, but this GL cannot import its DMA-BUFs (zero copy): "
                   "decoding in software"));
        hwdec_destroy(wall->hwdec);
        wall->hwdec = NULL;
    }
}

/* The output's monitors are the layout outputs' monitors, in order; the
 * screens are the layout's outputs. Validation keeps the monitors within
 * what the output takes. */
_Static_assert(OUTPUT_MONITORS_MAX >= LAYOUT_MONITORS_MAX, M_("the output drives every monitor"));
static void output_config_from_layout(const struct wall *wall, const struct layout_wall *layout,
                                      struct output_monitor *monitors, struct output_config *out)
{
    int n = 0;
    for (int i = 0; i < layout->n_outputs; i++) {
        const struct layout_output *o = &layout->outputs[i];
        /* A station opens windows only where it may draw: its own monitors,
         * and those of the stations it stands by for (wired to it too). */
        bool mine =
            wall->options->headless || station_may_drive(layout, wall->options->station, i);
        for (int k = 0; mine && k < o->n_monitors && n < OUTPUT_MONITORS_MAX; k++) {
            const struct layout_monitor *m = &o->monitors[k];
            monitors[n++] = (struct output_monitor){
                .id = o->id,
                .part = o->n_monitors > 1 ? k + 1 : 0,
                .screen = i,
                .display = m->display,
                .display_name = m->display_name,
                .x = m->rect.x,
                .y = m->rect.y,
                .width = m->rect.w,
                .height = m->rect.h,
                .pic_x = m->view.x,
                .pic_y = m->view.y,
                .pic_w = o->width,
                .pic_h = o->height,
            };
        }
    }
    *out = (struct output_config){
        .headless = wall->options->headless,
        .width = layout->width,
        .height = layout->height,
        .monitors = monitors,
        .n_monitors = n,
        .display_offset = wall->options->display,
        .title = "wall",
    };
}

/* Keyboard and joysticks reach the wall as SDL events, headless too (tests
 * inject them; a wall driven only by joystick needs no window focus). */
static bool start_events(struct wall *wall)
{
    SDL_SetHint(SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, "1");
    if (SDL_InitSubSystem(SDL_INIT_EVENTS | SDL_INIT_JOYSTICK | SDL_INIT_GAMECONTROLLER) != 0) {
        log_warn("wall", "no joystick support: %s", SDL_GetError());
        return SDL_InitSubSystem(SDL_INIT_EVENTS) == 0;
    }
    return true;
}

/* The monitors' language, the layout's wall.language (common/i18n.h): set
 * before anything is drawn, and again by each reload that loads. */
static void apply_language(const struct layout_wall *layout)
{
    char why[256];
    if (!i18n_set_osd_language(layout->language, why, sizeof(why))) {
        log_warn("layout", "wall.language \"%s\": %s; the monitors keep their language",
                 layout->language, why);
    }
}

struct wall *wall_create(const struct wall_options *options, struct layout_wall *layout)
{
    struct wall *wall = calloc(1, sizeof(*wall));
    if (!wall) {
        layout_destroy(layout);
        return NULL;
    }
    wall->options = options;
    wall->layout = layout;
    apply_language(layout);
    wall->started_us = av_gettime_relative();
    notify_init(&wall->notify);
    ptz_set_init(&wall->ptz, layout);

    struct output_monitor monitors[OUTPUT_MONITORS_MAX];
    struct output_config config;
    output_config_from_layout(wall, layout, monitors, &config);
    wall->output = output_create(&config);
    if (!wall->output) {
        goto fail;
    }
    int gles = output_gles_major(wall->output);
    enum draw_path path = choose_path(options->draw);
    if (path == DRAW_CPU && !output_use_cpu_canvas(wall->output)) {
        log_warn("wall", "drawing rgb instead");
        path = DRAW_RGB;
    }
    wall->renderer = renderer_create(gles, path == DRAW_CPU);
    if (!wall->renderer) {
        goto fail;
    }
    if (options->profile) {
        wall->profile = profile_create();
        renderer_set_profile(wall->renderer, wall->profile);
    }
    wall->text = text_create();
    budget_init(&wall->budget, options->decode_capacity);
    start_hardware(wall, gles);
    wall->rings = ring_pool_create(layout->replay.memory, (int64_t)(layout->replay.seconds * 1e6));
    wall->source_options = (struct source_options){
        .gles_major = gles,
        .dmabuf = wall->dmabuf,
        .hw_device = hwdec_device(wall->hwdec),
        .io_timeout_ms = options->io_timeout_ms,
        .grace_ms = FEED_GRACE_MS,
        .main_min_height = 540,
        .rgb = path == DRAW_RGB || path == DRAW_CPU,
        .cpu = path == DRAW_CPU,
        .rings = wall->rings,
        .main_evidence = layout->replay.main_evidence,
    };
    if (!sources_init(&wall->sources, layout, &wall->source_options) || !operator_start(wall)) {
        goto fail;
    }
    if (options->station &&
        !(wall->station = station_create(layout, options->station, options->broker))) {
        goto fail;
    }
    wall->watch = watch_create(layout->files, layout->n_files);
    wall->input = input_create(layout);
    if (!wall->input || !start_events(wall)) {
        goto fail;
    }
    if (options->audit && !(wall->audit = audit_open(options->audit))) {
        goto fail;
    }
    if (options->control) {
        wall->control = control_create(options->control, wall_command, wall);
        if (!wall->control) {
            goto fail;
        }
    }
    if (options->metrics && !(wall->metrics = metrics_create(&options->metrics_address))) {
        goto fail;
    }
    return wall;

fail:
    wall_destroy(wall);
    return NULL;
}

void wall_destroy(struct wall *wall)
{
    if (!wall) {
        return;
    }
    notify_stopping(&wall->notify); /* once; the frame loop's end said it already */
    control_destroy(wall->control);
    metrics_destroy(wall->metrics); /* its thread never touches the wall */
    station_destroy(wall->station); /* says offline before anything stops */
    input_destroy(wall->input);
    /* Exports are finished, and domes stopped, audited before the audit
     * file closes. */
    evidence_finish_all(wall);
    if (wall->screens) {
        operator_ptz_halt(wall, "exit");
    }
    ptz_set_finish(&wall->ptz);
    audit_close(wall->audit);
    /* Feeds first: their threads must be gone before anything they touch. */
    replay_finish_all(&wall->replays);
    sources_finish(&wall->sources);
    ring_pool_destroy(wall->rings); /* after every ring */
    budget_finish(&wall->budget);
    hwdec_destroy(wall->hwdec);
    operator_finish(wall);
    watch_destroy(wall->watch);
    free(wall->banner);
    text_destroy(wall->text);
    renderer_destroy(wall->renderer);
    profile_report(wall->profile);
    profile_destroy(wall->profile);
    dmabuf_destroy(wall->dmabuf);
    output_destroy(wall->output);
    layout_destroy(wall->layout);
    notify_finish(&wall->notify);
    free(wall);
}

bool wall_screen_live(const struct wall *wall, int i)
{
    return output_screen_shown(wall->output, i) && station_drives(wall->station, i);
}

const char *wall_banner(struct wall *wall)
{
    const char *news = station_banner(wall->station);
    if (!news[0]) {
        return wall->banner;
    }
    if (!wall->banner) {
        return news;
    }
    snprintf(wall->banner_both, sizeof(wall->banner_both), "%s  |  %s", wall->banner, news);
    return wall->banner_both;
}

static void set_banner(struct wall *wall, const char *text)
{
    free(wall->banner);
    wall->banner = text ? strdup(text) : NULL;
}

/* Swaps in a layout that validated: feeds of unchanged cameras carry over. */
static bool swap_layout(struct wall *wall, struct layout_wall *next)
{
    struct source_set fresh;
    struct output_monitor monitors[OUTPUT_MONITORS_MAX];
    struct output_config config;
    output_config_from_layout(wall, next, monitors, &config);
    if (!output_resize(wall->output, &config) ||
        !sources_init(&fresh, next, &wall->source_options)) {
        layout_destroy(next);
        return false;
    }
    /* The operator puts it in force (screens, selection, audit). */
    struct layout_wall *previous = wall->layout;
    char why[256];
    struct op_request load = {.kind = OP_LOAD_LAYOUT, .layout = next};
    if (!operator_apply(wall, OP_RELOAD, &load, why, sizeof(why))) {
        log_error("layout", "%s: %s", next->path, why);
        sources_finish(&fresh);
        layout_destroy(next);
        return false;
    }
    sources_adopt(&fresh, &wall->sources);
    sources_finish(&wall->sources);
    wall->sources = fresh;
    replay_adopt(wall); /* before the old layout goes: its cameras are looked up */
    ring_pool_set_limits(wall->rings, next->replay.memory, (int64_t)(next->replay.seconds * 1e6));
    wall->source_options.main_evidence = next->replay.main_evidence;
    wall->sources.options.main_evidence = next->replay.main_evidence;
    budget_reset(&wall->budget);
    /* The old sources and screens pointed into it: it goes last. */
    layout_destroy(previous);
    apply_language(wall->layout);
    return true;
}

/* When the monitors speak another language than the log (wall.language),
 * the banner's words are theirs: the file is read again, under the OSD's
 * language, for its first error. Only after a reload that failed. */
static void banner_in_osd_language(struct wall *wall, const char *path)
{
    locale_t before = i18n_osd_enter();
    if (before == (locale_t)0) {
        return; /* the OSD follows the locale: the banner is right */
    }
    struct diag_list again;
    diag_list_init(&again);
    layout_destroy(layout_load(path, &again));
    for (int i = 0; i < again.count; i++) {
        if (again.items[i].severity == DIAG_ERROR) {
            char line[1024];
            diag_format(&again.items[i], line, sizeof(line));
            set_banner(wall, line);
            break;
        }
    }
    diag_list_finish(&again);
    i18n_osd_leave(before);
}

void wall_reload(struct wall *wall)
{
    const char *path = wall->layout->path;
    notify_reloading(&wall->notify);
    wall->reloads++;
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *next = layout_load(path, &diags);
    char line[1024];
    const char *first_error = NULL;
    for (int i = 0; i < diags.count; i++) {
        diag_format(&diags.items[i], line, sizeof(line));
        log_warn("layout", "%s", line);
        if (!first_error && diags.items[i].severity == DIAG_ERROR) {
            first_error = diags.items[i].message;
            set_banner(wall, line);
        }
    }
    if (!next) {
        wall->reloads_failed++;
        banner_in_osd_language(wall, path);
        char text[PATH_MAX + 256];
        snprintf(text, sizeof(text),
                 ngettext("%s: not reloaded (%d error); the wall keeps the previous layout",
                          "%s: not reloaded (%d errors); the wall keeps the previous layout",
                          (unsigned long)diags.errors),
                 path, diags.errors);
        log_msg(LOG_WARN, "layout", "%s", text); /* translated already */
    } else if (swap_layout(wall, next)) {
        set_banner(wall, NULL);
        input_set_layout(wall->input, wall->layout);
        watch_destroy(wall->watch);
        wall->watch = watch_create(wall->layout->files, wall->layout->n_files);
        log_info("layout", "%s: reloaded: %d output%s, %d cameras", wall->layout->path,
                 wall->layout->n_outputs, wall->layout->n_outputs == 1 ? "" : "s",
                 wall->layout->n_cameras);
    } else {
        wall->reloads_failed++;
        log_error("layout", "%s: reload failed (out of memory?)", path);
    }
    diag_list_finish(&diags);
    notify_reloaded(&wall->notify); /* the new layout, or the old one kept */
    /* A reload frees a whole model, sources and often decoders at once:
     * hand the freed memory back rather than let the heap creep up over
     * months of reloads. */
    malloc_trim(0);
}

struct snapshot_job {
    const struct wall *wall; /* read only while the render thread waits */
    const char *path;
    const uint8_t *rgb;
    bool ok;
};

/* The canvas to `path`, and each output to PATH-ID.png beside it. */
static void *encode_snapshot(void *arg)
{
    struct snapshot_job *job = arg;
    const struct wall *wall = job->wall;
    const char *path = job->path;
    int w = wall->layout->width, h = wall->layout->height;
    bool ok = snapshot_write_png(path, job->rgb, w, h);
    size_t stem = strlen(path);
    if (stem > 4 && strcmp(path + stem - 4, ".png") == 0) {
        stem -= 4;
    }
    for (int i = 0; ok && i < wall->n_screens; i++) {
        const struct layout_output *o = wall->screens[i].config;
        char one[4096];
        snprintf(one, sizeof(one), "%.*s-%s.png", (int)stem, path, o->id);
        ok = snapshot_write_region(one, job->rgb, w, o->rect.x, o->rect.y, o->rect.w, o->rect.h);
    }
    job->ok = ok;
    return NULL;
}

static void *snapshot_thread(void *arg)
{
    pthread_setname_np(pthread_self(), "snapshot");
    return encode_snapshot(arg);
}

/* Reads the canvas here (GL), and encodes the PNGs on a thread of their
 * own: a one-off cost that must not count as drawing in the budget
 * (wall/budget.h measures the render and GL threads). The file exists
 * when this returns, as the control socket's reply promises. */
bool wall_write_snapshot(struct wall *wall, const char *path)
{
    int w = wall->layout->width, h = wall->layout->height;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    struct snapshot_job job = {.wall = wall, .path = path, .rgb = rgb};
    if (rgb && output_read_canvas(wall->output, rgb)) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, snapshot_thread, &job) == 0) {
            pthread_join(thread, NULL);
        } else {
            encode_snapshot(&job);
        }
    }
    free(rgb);
    return job.ok;
}
