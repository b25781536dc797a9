#include "wall/wall.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <SDL.h>
#include <libavutil/frame.h>
#include <libavutil/time.h>

#include "common/log.h"
#include "wall/cpustat.h"
#include "wall/output.h"
#include "wall/snapshot.h"
#include "wall/tiles.h"

#define DEFAULT_HEADLESS_FPS 25.0
#define DEFAULT_REFRESH_HZ   60

struct wall {
    const struct wall_options *options;
    struct layout_wall *layout;
    const struct layout_output *screen; /* the layout's first output */
    struct output *output;
    struct renderer *renderer;
    struct text_renderer *text;
    struct source *sources;  /* one per camera; feed NULL when on no tile */
    struct tile_view *views; /* one per tile of `screen` */
    uint64_t frames_rendered;
    bool settled;
    int64_t started_us;
};

static void start_sources(struct wall *wall)
{
    const struct layout_wall *layout = wall->layout;
    for (int i = 0; i < wall->screen->n_tiles; i++) {
        int cam = wall->screen->tiles[i].camera;
        if (cam < 0 || wall->sources[cam].feed) {
            continue;
        }
        struct source *source = &wall->sources[cam];
        char label[32];
        snprintf(label, sizeof(label), "camera %d", layout->cameras[cam].number);
        struct feed_config config = {
            .url = layout->cameras[cam].url,
            .label = label,
            .io_timeout_ms = wall->options->io_timeout_ms,
        };
        source->feed = feed_create(&config);
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
    wall->screen = &layout->outputs[0];
    wall->started_us = av_gettime_relative();

    struct output_config config = {
        .headless = options->headless,
        .display = options->display,
        .width = wall->screen->width,
        .height = wall->screen->height,
        .title = "wall",
    };
    wall->output = output_create(&config);
    if (!wall->output) {
        goto fail;
    }
    int gles = output_gles_major(wall->output);
    wall->renderer = renderer_create(gles);
    if (!wall->renderer) {
        goto fail;
    }
    wall->text = text_create();
    wall->sources = calloc((size_t)layout->n_cameras + 1, sizeof(*wall->sources));
    wall->views = calloc((size_t)wall->screen->n_tiles + 1, sizeof(*wall->views));
    if (!wall->sources || !wall->views) {
        goto fail;
    }
    for (int i = 0; i < layout->n_cameras; i++) {
        wall->sources[i].camera = &layout->cameras[i];
        picture_init(&wall->sources[i].picture, gles);
    }
    start_sources(wall);
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
    /* Feeds first: their threads must be gone before anything they touch. */
    if (wall->sources) {
        for (int i = 0; i < wall->layout->n_cameras; i++) {
            feed_destroy(wall->sources[i].feed);
            picture_finish(&wall->sources[i].picture);
        }
        free(wall->sources);
    }
    if (wall->views) {
        for (int i = 0; i < wall->screen->n_tiles; i++) {
            tile_view_finish(&wall->views[i]);
        }
        free(wall->views);
    }
    text_destroy(wall->text);
    renderer_destroy(wall->renderer);
    output_destroy(wall->output);
    layout_destroy(wall->layout);
    free(wall);
}

/* Takes each feed's newest frame and uploads it: once per frame per feed,
 * however many tiles show that camera. */
static void update_sources(struct wall *wall)
{
    for (int i = 0; i < wall->layout->n_cameras; i++) {
        struct source *source = &wall->sources[i];
        if (!source->feed) {
            continue;
        }
        AVFrame *frame = feed_take_frame(source->feed);
        if (frame) {
            if (picture_upload(&source->picture, frame)) {
                source->frames_shown++;
            }
            av_frame_free(&frame);
        }
        feed_get_stats(source->feed, &source->stats);
    }
}

static void draw(struct wall *wall)
{
    output_begin_frame(wall->output);
    renderer_begin(wall->renderer, wall->screen->width, wall->screen->height,
                   wall->screen->background);
    struct tile_context ctx = {.renderer = wall->renderer, .text = wall->text};
    for (int i = 0; i < wall->screen->n_tiles; i++) {
        const struct layout_tile *tile = &wall->screen->tiles[i];
        struct source *source = tile->camera >= 0 ? &wall->sources[tile->camera] : NULL;
        tile_draw(&ctx, &wall->views[i], tile, source);
    }
}

/* Counts feeds that have shown a picture and feeds that failed; true when
 * no feed is still on its first attempt. */
static bool count_settled(const struct wall *wall, int *live, int *failed)
{
    *live = *failed = 0;
    int pending = 0;
    for (int i = 0; i < wall->layout->n_cameras; i++) {
        const struct source *source = &wall->sources[i];
        if (!source->feed) {
            continue;
        }
        if (source->stats.state == FEED_NO_SIGNAL) {
            (*failed)++;
        } else if (picture_valid(&source->picture)) {
            (*live)++;
        } else {
            pending++;
        }
    }
    return pending == 0;
}

static bool write_snapshot(struct wall *wall)
{
    int w = wall->screen->width, h = wall->screen->height;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    bool ok = rgb && output_read_canvas(wall->output, rgb) &&
              snapshot_write_png(wall->options->snapshot, rgb, w, h);
    free(rgb);
    return ok;
}

static void sleep_until_us(int64_t until)
{
    int64_t left = until - av_gettime_relative();
    if (left > 0) {
        struct timespec ts = {left / 1000000, (left % 1000000) * 1000};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
}

static bool window_closed(void)
{
    SDL_Event event;
    bool closed = false;
    while (SDL_PollEvent(&event)) {
        if (event.type == SDL_QUIT) {
            closed = true;
        } else if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_q &&
                   (event.key.keysym.mod & KMOD_CTRL)) {
            closed = true;
        }
    }
    return closed;
}

/* Once every feed has settled (or the settle timeout passed), frames count
 * towards --frames and the first presented one is announced. */
static void check_settled(struct wall *wall)
{
    int live, failed;
    bool all = count_settled(wall, &live, &failed);
    double waited = (double)(av_gettime_relative() - wall->started_us) / 1e6;
    if (!all && waited < wall->options->settle_timeout) {
        return;
    }
    wall->settled = true;
    if (!all) {
        log_warn("wall", "settle timeout after %.1f s: %d feeds still connecting", waited,
                 wall->layout->n_cameras - live - failed);
    }
    log_info("wall", "settled: %d live, %d without signal", live, failed);
}

bool wall_run(struct wall *wall, volatile sig_atomic_t *quit)
{
    const struct wall_options *opts = wall->options;
    double rate = opts->headless
                      ? (opts->fps > 0 ? opts->fps : DEFAULT_HEADLESS_FPS)
                      : (output_refresh_hz(wall->output) > 0 ? output_refresh_hz(wall->output)
                                                             : DEFAULT_REFRESH_HZ);
    int64_t period = (int64_t)(1e6 / rate);
    int64_t next = av_gettime_relative();
    long counted = 0;
    bool snapshot_done = false;

    while (!*quit) {
        if (!opts->headless && window_closed()) {
            break;
        }
        update_sources(wall);
        draw(wall);
        bool last = wall->settled && opts->frames > 0 && counted + 1 >= opts->frames;
        if (last && opts->snapshot) {
            snapshot_done = true;
            if (!write_snapshot(wall)) {
                return false;
            }
        }
        output_present(wall->output);
        wall->frames_rendered++;
        if (wall->settled) {
            counted++;
        } else {
            /* Announced after the presented frame, so whoever waits for the
             * line sees the settled picture on screen. */
            check_settled(wall);
        }
        if (last) {
            break;
        }
        next += period;
        int64_t now = av_gettime_relative();
        if (now > next + period) {
            next = now; /* fell behind: do not race to catch up */
        }
        sleep_until_us(next);
    }
    if (opts->snapshot && !snapshot_done) {
        update_sources(wall);
        draw(wall);
        return write_snapshot(wall);
    }
    return true;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            fputc(c, out);
        }
    }
    fputc('"', out);
}

void wall_print_stats(struct wall *wall, FILE *out)
{
    fprintf(out, "{\"frames_rendered\": %llu, \"feeds\": [",
            (unsigned long long)wall->frames_rendered);
    bool first = true;
    for (int i = 0; i < wall->layout->n_cameras; i++) {
        struct source *source = &wall->sources[i];
        if (!source->feed) {
            continue;
        }
        struct feed_stats st;
        feed_get_stats(source->feed, &st);
        char url[1024];
        log_redact_url(source->camera->url, url, sizeof(url));
        fprintf(out, "%s\n  {\"camera\": %d, \"name\": ", first ? "" : ",",
                source->camera->number);
        json_string(out, source->camera->name);
        fputs(", \"url\": ", out);
        json_string(out, url);
        fprintf(out,
                ", \"state\": \"%s\", \"width\": %d, \"height\": %d, \"packets\": %llu, "
                "\"bytes\": %llu, \"frames_decoded\": %llu, \"frames_shown\": %llu, "
                "\"frames_dropped\": %llu, \"reconnects\": %u}",
                feed_state_name(st.state), st.width, st.height, (unsigned long long)st.packets,
                (unsigned long long)st.bytes, (unsigned long long)st.frames_decoded,
                (unsigned long long)source->frames_shown, (unsigned long long)st.frames_dropped,
                st.reconnects);
        first = false;
    }
    fputs("\n]", out);
    struct cpu_split cpu;
    if (cpustat_read(&cpu)) {
        fprintf(out,
                ", \"cpu_seconds\": {\"feed\": %.3f, \"render\": %.3f, \"gl\": %.3f, "
                "\"other\": %.3f}",
                cpu.feed, cpu.render, cpu.gl, cpu.other);
    }
    fputs("}\n", out);
    fflush(out);
}
