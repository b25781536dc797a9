/* The frame loop: input, reload and control commands between frames;
 * which cameras the tiles show; sources, budget, drawing and present,
 * paced at the output's rate or at what the cores can pay for. */
#include <errno.h>
#include <time.h>

#include <SDL.h>
#include <libavutil/time.h>

#include "common/log.h"
#include "decode/ring.h"
#include "wall/operator.h"
#include "wall/wall_impl.h"

#define DEFAULT_HEADLESS_FPS 25.0
#define DEFAULT_REFRESH_HZ   60
#define TOUR_PREFETCH_US     3000000 /* open a tour's next camera this early */
#define RELOAD_SETTLE_MS     150     /* quiet time after the last write */

/* Rgb path: the part of the picture the tile shows, at its size. */
static void want_picture(struct wall *wall, const struct screen *s, const struct layout_tile *tile,
                         int index, int camera)
{
    if (camera < 0 || !wall->source_options.rgb) {
        return;
    }
    const struct picture *pic = &sources_get(&wall->sources, camera)->picture;
    if (!picture_valid(pic) || pic->aspect <= 0) {
        return;
    }
    struct tile_zoom zoom;
    struct layout_rect dst;
    struct crop src;
    tile_place_picture(tile, pic->aspect, wall_tile_zoom(s, index, &zoom), &dst, &src);
    /* Even sizes keep swscale on its SIMD paths (an odd width takes the
     * generic one, twice as dear); the renderer copies texel for texel
     * all the same (wall/render.c). */
    struct scale_target target = {(dst.w + 1) & ~1, (dst.h + 1) & ~1, src.x, src.y, src.w, src.h};
    sources_want_picture(&wall->sources, camera, &target);
}

/* Whether the cameras shown on `s` keep a pre-roll (wall.replay.zones). */
static bool keeps_preroll(const struct layout_wall *layout, const struct screen *s)
{
    const struct layout_replay *r = &layout->replay;
    return r->seconds > 0 && (!r->zones || (s->config->zone >= 0 && r->zones[s->config->zone]));
}

/* Marks what every visible tile shows now, and what a touring tile will
 * show a little later, so its next camera is already open when it is due. */
static void want_visible(struct wall *wall, int64_t now)
{
    sources_begin_frame(&wall->sources);
    for (int i = 0; i < wall->n_screens; i++) {
        const struct screen *s = &wall->screens[i];
        if (!wall_screen_live(wall, i)) {
            continue; /* its display is missing, or another station drives it */
        }
        for (int t = 0; t < screen_visible_count(s); t++) {
            int index;
            struct layout_tile tile = screen_visible_tile(s, t, &index);
            int w = tile.rect.w, h = tile.rect.h;
            const struct layout_wall *l = wall->layout;
            bool preroll = keeps_preroll(l, s);
            sources_want(&wall->sources, screen_tile_camera(s, l, &tile, index, now), now, w, h,
                         preroll);
            sources_want(&wall->sources,
                         screen_tile_camera(s, l, &tile, index, now + TOUR_PREFETCH_US), now, w, h,
                         false);
            int camera = screen_tile_camera(s, l, &tile, index, now);
            if (i == wall->selected_output && index == s->selected) {
                sources_want_selected(&wall->sources, camera, now);
            }
            want_picture(wall, s, &tile, index, camera);
        }
    }
}

static bool write_snapshot(struct wall *wall)
{
    if (!wall->options->snapshot) {
        log_warn("snapshot", "no --snapshot file given; nothing written");
        return true;
    }
    return wall_write_snapshot(wall, wall->options->snapshot);
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

/* Hands keys and joystick events to the input module; true when the
 * window was closed or the quit binding (Ctrl+Q unless the layout file
 * rebinds it) was pressed: the input module turns it into SDL_QUIT. */
static bool handle_events(struct wall *wall, int64_t now)
{
    SDL_Event event;
    bool quit = false;
    while (SDL_PollEvent(&event)) {
        if (event.type == SDL_QUIT) {
            quit = true;
        } else {
            input_handle_event(wall->input, wall, &event);
        }
    }
    input_tick(wall->input, wall, now);
    return quit;
}

/* Once every feed has settled (or the settle timeout passed), frames count
 * towards --frames; the line is logged after the frame was presented, so
 * whoever waits for it sees the settled picture on screen. */
static void check_settled(struct wall *wall)
{
    int live, failed;
    bool all = sources_settled(&wall->sources, &live, &failed);
    double waited = (double)(av_gettime_relative() - wall->started_us) / 1e6;
    if (!all && waited < wall->options->settle_timeout) {
        return;
    }
    wall->settled = true;
    /* From here on the worst gap between frames measures the wall running,
     * not its start (hundreds of feeds connecting at once). */
    sources_restart_gaps(&wall->sources);
    if (!all) {
        log_warn("wall", "settle timeout after %.1f s: some feeds still connecting", waited);
    }
    log_info("wall", "settled: %d live, %d without signal", live, failed);
}

static double frame_rate(const struct wall *wall)
{
    const struct wall_options *opts = wall->options;
    if (opts->headless) {
        return opts->fps > 0 ? opts->fps : DEFAULT_HEADLESS_FPS;
    }
    int hz = output_refresh_hz(wall->output);
    return hz > 0 ? hz : DEFAULT_REFRESH_HZ;
}

/* Updates the sources and draws what changed since the last drawn frame
 * (nothing at all when nothing changed: a wall of still pictures costs
 * nothing). `force`: a complete canvas even without a change. True when
 * it drew. */
static bool frame(struct wall *wall, bool force)
{
    int64_t now = av_gettime_relative();
    station_tick(wall, now);  /* other stations' commands and states, failover */
    operator_tick(wall, now); /* alarms end, tours move on */
    want_visible(wall, now);
    int64_t t0 = profile_start(wall->profile);
    sources_update(&wall->sources, now);
    replay_update(wall, now);
    evidence_poll(wall);
    profile_stop(wall->profile, PROFILE_UPLOAD, t0);
    profile_frame(wall->profile);
    struct feed_stats replays[REPLAYS_MAX];
    for (int i = 0; i < wall->replays.n; i++) {
        replays[i] = wall->replays.items[i].source.stats;
    }
    budget_update(&wall->budget, &wall->sources, now, wall->frames_rendered, frame_rate(wall),
                  replays, wall->replays.n);
    return wall_draw(wall, now, force);
}

/* Input, reload and control commands, between two frames. False: quit. */
static bool before_frame(struct wall *wall)
{
    if (handle_events(wall, av_gettime_relative())) {
        return false;
    }
    if (watch_poll(wall->watch, RELOAD_SETTLE_MS)) {
        wall_reload(wall);
    }
    control_poll(wall->control);
    return true;
}

/* Counts an output frame (drawn or unchanged) and, once a second, the
 * rate achieved; tells systemd (ready, status, watchdog: wall/notify.h). */
static void presented(struct wall *wall)
{
    wall->frames_rendered++;
    int64_t now = av_gettime_relative();
    if (wall->fps_since_us == 0) {
        wall->fps_since_us = now;
        wall->fps_frames = wall->frames_rendered;
    } else if (now - wall->fps_since_us >= 1000000) {
        wall->output_fps = (double)(wall->frames_rendered - wall->fps_frames) * 1e6 /
                           (double)(now - wall->fps_since_us);
        wall->fps_since_us = now;
        wall->fps_frames = wall->frames_rendered;
    }
    notify_frame(&wall->notify, &wall->sources, wall->budget.reduced, wall->output_fps, now);
    wall_metrics_presented(wall, now);
}

bool wall_step(struct wall *wall)
{
    if (!before_frame(wall)) {
        return false;
    }
    frame(wall, true);
    output_present(wall->output);
    wall->frames_drawn++;
    presented(wall);
    if (!wall->settled) {
        check_settled(wall);
    }
    return true;
}

bool wall_run(struct wall *wall, struct wall_signals *signals)
{
    const struct wall_options *opts = wall->options;
    int64_t next = av_gettime_relative();
    long counted = 0;
    bool snapshot_done = false;

    while (!signals->quit) {
        notify_test_stall(&wall->notify, &signals->quit); /* tests only: WALL_TEST_STALL */
        if (!before_frame(wall)) {
            break;
        }
        bool last = wall->settled && opts->frames > 0 && counted + 1 >= opts->frames;
        /* A frame in which nothing changed draws and presents nothing; it
         * still counts (the glass shows it). */
        bool snapshot = (last && opts->snapshot) || signals->snapshot;
        bool drew = frame(wall, snapshot);
        if (snapshot) {
            signals->snapshot = 0;
            snapshot_done = last;
            if (!write_snapshot(wall) && last) {
                return false;
            }
        }
        if (drew) {
            int64_t t0 = profile_start(wall->profile);
            output_present(wall->output);
            profile_stop(wall->profile, PROFILE_PRESENT, t0);
            wall->frames_drawn++;
        }
        presented(wall);
        if (wall->settled) {
            counted++;
        } else {
            check_settled(wall);
        }
        if (last) {
            break;
        }
        /* Paced evenly at what the cores can pay for (wall/budget.h). */
        int64_t period = (int64_t)(1e6 / budget_output_rate(&wall->budget, frame_rate(wall)));
        next += period;
        int64_t now = av_gettime_relative();
        if (now > next + period) {
            next = now; /* fell behind: do not race to catch up */
        }
        sleep_until_us(next);
    }
    notify_stopping(&wall->notify);
    if (opts->snapshot && !snapshot_done) {
        frame(wall, true);
        return write_snapshot(wall);
    }
    return true;
}

/* What the stats say besides feeds and output: pre-roll, replays and
 * exports; the station. */
static void write_more(struct json *j, const void *opaque)
{
    const struct wall *wall = opaque;
    struct ring_pool_stats rings;
    ring_pool_get_stats(wall->rings, &rings);
    json_key(j, "replay");
    json_begin_object(j);
    json_field_int(j, "memory", rings.bytes);
    json_field_int(j, "cap", rings.cap);
    json_field_double(j, "seconds", rings.keep_us / 1e6, 1);
    json_field_int(j, "rings", rings.rings);
    json_field_uint(j, "dropped", rings.evicted);
    json_field_int(j, "replays", wall->replays.n);
    json_field_int(j, "exports", wall->evidence.n);
    json_end_object(j);
    ptz_write_stats(&wall->ptz, j);
    station_write_stats(wall->station, wall->layout, j);
}

void wall_stats_figures(struct wall *wall, struct stats_wall *out)
{
    double nominal = frame_rate(wall);
    *out = (struct stats_wall){
        .frames_rendered = wall->frames_rendered,
        .frames_drawn = wall->frames_drawn,
        .output_fps = wall->output_fps,
        .target_fps = budget_output_rate(&wall->budget, nominal),
        .nominal_fps = nominal,
        .draw_ms = wall->budget.draw_cost_us / 1e3,
        .decode_capacity = wall->budget.capacity_us / 1e4,
        .decode_demand = wall->budget.demand_us / 1e4,
        .reduced = wall->budget.reduced,
        .reloads = wall->reloads,
        .reloads_failed = wall->reloads_failed,
        .audit_lines = audit_lines(wall->audit),
        .more = write_more,
        .more_of = wall,
    };
}

void wall_print_stats(struct wall *wall, FILE *out)
{
    struct stats_wall figures;
    wall_stats_figures(wall, &figures);
    stats_print_json(out, &wall->sources, &figures);
}
