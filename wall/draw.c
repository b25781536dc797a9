/* Composing the canvas: every output's tiles, then its OSD: zone frames,
 * the selection, alarms, the status plate, what the operator types, and
 * the layout-error banner.
 *
 * Drawing costs what changed. Each tile view keeps a key of what it shows
 * (camera, state, picture, text, zoom, frame) and each screen one of where
 * its tiles are and what its OSD says; a frame redraws, clipped to them,
 * only the rectangles whose keys changed: a tile with a new picture, a
 * change of state, the clock once a second. Where the canvas does not stay
 * from frame to frame (windows), a frame with any change is drawn whole.
 * Render thread only. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "wall/osd.h"
#include "wall/wall_impl.h"

#define SELECTED_COLOUR 0xffffffu
#define ALARM_COLOUR    0xe00000u
#define NOTICE_COLOUR   0xc07000u
#define DARK_KEY        UINT64_C(0x6461726b) /* the key of a screen another station draws */

static const struct layout_zone *zone_of(const struct wall *wall, const struct screen *s)
{
    int z = s->config->zone;
    return z >= 0 && z < wall->layout->n_zones ? &wall->layout->zones[z] : NULL;
}

const struct tile_zoom *wall_tile_zoom(const struct screen *s, int index, struct tile_zoom *zoom)
{
    if (screen_alarm_shown(s) || index != s->selected || !s->zoom.active) {
        return NULL;
    }
    *zoom = (struct tile_zoom){s->zoom.factor, s->zoom.cx, s->zoom.cy};
    return zoom;
}

static void draw_alarm_title(struct wall *wall, const struct screen *s,
                             const struct osd_context *osd, int64_t now)
{
    const struct alarm *a = &s->alarms[0];
    const struct layout_camera *c = &wall->layout->cameras[a->camera];
    char text[320];
    long left = (long)((a->until - now + 999999) / 1000000);
    /* TRANSLATORS: the plate over an alarm: camera number, name, seconds left */
    snprintf(text, sizeof(text), O_("ALARM   %d  %s   %ld s"), c->number, c->name, left);
    /* Sized for one monitor and centred on the first: never across a bezel. */
    int size = s->config->monitor_height / 24;
    osd_draw_plate(osd, &s->look->alarm_title, text, size < 14 ? 14 : size,
                   s->config->monitor_width / 2, s->config->monitor_height / 12,
                   s->config->monitor_width, OSD_ANCHOR_TOP_CENTRE, ALARM_COLOUR);
}

/* The entry line and notices go where the operator is looking: the
 * selected output, top left. */
static void draw_operator_text(struct wall *wall, const struct screen *s,
                               const struct osd_context *osd, int64_t now)
{
    int size = s->config->monitor_height / 30 < 14 ? 14 : s->config->monitor_height / 30;
    int y = s->config->monitor_height / 20;
    if (wall->entry[0]) {
        char text[64];
        snprintf(text, sizeof(text), "> %s_", wall->entry);
        y += osd_draw_plate(osd, &s->look->entry, text, size, size, y,
                            s->config->monitor_width - 2 * size, OSD_ANCHOR_TOP_LEFT, 0x000000);
    }
    if (wall->notice[0] && now < wall->notice_until) {
        osd_draw_plate(osd, &s->look->notice, wall->notice, size * 3 / 4, size, y + size / 3,
                       s->config->monitor_width - 2 * size, OSD_ANCHOR_TOP_LEFT, NOTICE_COLOUR);
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ULL; /* FNV-1a step */
}

static uint64_t mix_text(uint64_t h, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        h = mix(h, (uint8_t)*p);
    }
    return mix(h, 0xff);
}

static uint64_t mix_rect(uint64_t h, struct layout_rect r)
{
    return mix(mix(mix(mix(h, (uint64_t)r.x), (uint64_t)r.y), (uint64_t)r.w), (uint64_t)r.h);
}

/* What tile `index` of `s` draws: its replay, or its camera's source. */
static const struct source *tile_source(const struct wall *wall, const struct screen *s, int index,
                                        int camera)
{
    const struct source *replay = replay_source(wall, (int)(s - wall->screens), index);
    return replay ? replay : sources_get(&wall->sources, camera);
}

/* The wall's own badge on tile `index` showing camera `camera`: PTZ. */
static struct tile_badge tile_badge(const struct wall *wall, const struct screen *s, int index,
                                    int camera, int64_t now)
{
    struct tile_badge badge = {0};
    if (camera >= 0 && index >= 0) {
        badge.text = ptz_badge(&wall->ptz, (int)(s - wall->screens), index,
                               wall->layout->cameras[camera].number, now, &badge.colour);
    }
    return badge;
}

/* The frame drawn round tile `index`: colour and weight, or 0 weight. */
static int tile_frame(const struct wall *wall, const struct screen *s, int index,
                      bool selected_output, uint32_t *colour)
{
    const struct layout_zone *zone = zone_of(wall, s);
    if (screen_alarm_shown(s)) {
        *colour = ALARM_COLOUR;
        return 3;
    }
    if (replay_source(wall, (int)(s - wall->screens), index)) {
        *colour = TILE_BADGE_REPLAY; /* never taken for live, selected or not */
        return 3;
    }
    if (index == s->selected && selected_output) {
        *colour = SELECTED_COLOUR;
        return 2;
    }
    *colour = zone ? zone->colour : 0;
    return zone ? 1 : 0;
}

/* Everything that decides a tile's pixels. */
static uint64_t tile_key(const struct wall *wall, const struct screen *s,
                         const struct layout_tile *tile, int index, int camera,
                         bool selected_output, int64_t now)
{
    const struct source *src = tile_source(wall, s, index, camera);
    enum tile_state state = tile_state(src, now);
    uint64_t h = mix_rect(1469598103934665603ULL, tile->rect);
    h = mix(mix(h, (uint64_t)(camera + 2)), state);
    /* A slate over a picture withheld changes with neither. */
    if (src && state != TILE_MASK_FAILED) {
        h = mix(h, src->frames_shown);
        if (src->stats.last_frame_us && state != TILE_LIVE && state != TILE_REDUCED &&
            state != TILE_REPLAY) {
            h = mix(h, (uint64_t)((now - src->stats.last_frame_us) / 1000000)); /* ages */
        }
        if (state == TILE_REPLAY) {
            h = mix_text(h, src->badge); /* how far behind: once a second, paused too */
        }
        h = mix(h, (uint64_t)src->stats.picture); /* its health badge */
    }
    struct tile_zoom zoom;
    if (wall_tile_zoom(s, index, &zoom)) {
        h = mix(h, (uint64_t)(zoom.factor * 1e3) ^ (uint64_t)(zoom.cx * 1e6) << 20 ^
                       (uint64_t)(zoom.cy * 1e6) << 40);
    }
    uint32_t colour;
    int weight = tile_frame(wall, s, index, selected_output, &colour);
    h = mix(mix(h, colour), (uint64_t)weight);
    struct tile_badge badge = tile_badge(wall, s, index, camera, now);
    if (badge.text) {
        h = mix(mix_text(h, badge.text), badge.colour);
    }
    return h == 0 ? 1 : h;
}

/* What places the tiles: a change redraws the screen whole. */
static uint64_t screen_key(const struct wall *wall, const struct screen *s)
{
    uint64_t h = mix((uint64_t)(uintptr_t)s->config, (uint64_t)(uintptr_t)wall->layout);
    h = mix(mix(h, (uint64_t)s->page), (uint64_t)(s->maximized + 1));
    h = mix(h, (uint64_t)screen_visible_count(s));
    const struct alarm *alarm = screen_alarm_shown(s);
    return mix(h, alarm ? (uint64_t)alarm->camera + 1 : 0);
}

/* How an operator reads a tile's state: as the tile's own slate or badge
 * names it. */
static const char *state_title(enum tile_state state)
{
    static const char *const titles[] = {
        [TILE_EMPTY] = N_("empty"),
        [TILE_CONNECTING] = N_("CONNECTING"),
        [TILE_LIVE] = N_("live"),
        [TILE_STALE] = N_("STALE"),
        [TILE_REDUCED] = N_("REDUCED"),
        [TILE_NO_SIGNAL] = N_("NO SIGNAL"),
        [TILE_RECONNECTING] = N_("NO SIGNAL, reconnecting"),
        [TILE_MASK_FAILED] = N_("MASK FAILED"),
        [TILE_REPLAY] = N_("REPLAY"),
    };
    return O_(titles[state]);
}

/* The details of the tile an operator right-clicked, while they last:
 * "101  Av. Tulum   live   main 1920x1080". */
static void draw_info(struct wall *wall, const struct screen *s, const struct osd_context *osd,
                      int64_t now)
{
    if ((int)(s - wall->screens) != wall->info_output || now >= wall->info_until) {
        return;
    }
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        struct layout_tile tile = screen_visible_tile(s, t, &index);
        if (index < 0 || index != wall->info_tile) {
            continue;
        }
        int camera = screen_tile_camera(s, wall->layout, &tile, index, now);
        const struct source *src = tile_source(wall, s, index, camera);
        char text[320], size[32] = "";
        const char *stream = !src          ? ""
                             : src->replay ? O_("replay")
                             : src->feed   ? sources_stream_name(src->stream)
                                           : O_("no stream");
        if (!src) {
            snprintf(text, sizeof(text), O_("tile %d   empty"), index + 1);
        } else {
            if (src->stats.width > 0) {
                snprintf(size, sizeof(size), " %dx%d", src->stats.width, src->stats.height);
            }
            snprintf(text, sizeof(text), "%d  %s   %s   %s%s", src->camera->number,
                     src->camera->name, state_title(tile_state(src, now)), stream, size);
        }
        osd_draw_info(osd, s, tile.rect, text);
    }
}

/* The OSD over the tiles; while the renderer measures, nothing is drawn. */
/* Where the digits being typed and the notices show: the selected output,
 * or, when another station draws that one, the first output drawn here. */
static int typing_output(const struct wall *wall)
{
    for (int i = -1; i < wall->n_screens; i++) {
        int at = i < 0 ? wall->selected_output : i;
        if (wall_screen_live(wall, at)) {
            return at;
        }
    }
    return wall->selected_output;
}

static void draw_osd(struct wall *wall, const struct screen *s, const struct osd_context *osd,
                     bool selected, int64_t now, time_t clock)
{
    if (screen_alarm_shown(s)) {
        draw_alarm_title(wall, s, osd, now);
    }
    osd_draw_status(osd, s, zone_of(wall, s), wall->layout->layouts, clock);
    if (selected) {
        draw_operator_text(wall, s, osd, now);
    }
    draw_info(wall, s, osd, now);
    const char *banner = wall_banner(wall);
    if (banner) {
        osd_draw_banner(osd, s, banner);
    }
}

static uint64_t osd_key(const struct screen *s, const struct layout_rect *rects, int n)
{
    uint64_t h = 1469598103934665603ULL;
    const struct text_label *labels[] = {
        &s->look->alarm_title, &s->look->status, &s->look->entry,
        &s->look->notice,      &s->look->banner, &s->look->info,
    };
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        h = mix_text(h, labels[i]->text);
    }
    for (int i = 0; i < n; i++) {
        h = mix_rect(h, rects[i]);
    }
    return h;
}

/* Where screen `i`'s OSD plates go this frame. */
static int measure_osd(struct wall *wall, int i, const struct osd_context *osd, int64_t now,
                       time_t clock, struct layout_rect rects[SCREEN_OSD_RECTS])
{
    int n = 0;
    struct osd_context quiet = *osd;
    quiet.plates = NULL;
    renderer_measure(wall->renderer, rects, SCREEN_OSD_RECTS, &n);
    draw_osd(wall, &wall->screens[i], &quiet, i == typing_output(wall), now, clock);
    renderer_measure(wall->renderer, NULL, 0, NULL);
    return n;
}

/* Works out what of screen `i` changed since the canvas last showed it. */
static void plan_screen(struct wall *wall, int i, const struct osd_context *osd, bool whole,
                        int64_t now, time_t clock)
{
    const struct screen *s = &wall->screens[i];
    struct screen_drawn *d = &s->look->drawn;
    bool selected = i == wall->selected_output;
    damage_clear(&d->damage);
    if (!wall_screen_live(wall, i)) {
        /* Another station draws it: black here, once. */
        if (!d->valid || d->key != DARK_KEY) {
            damage_all(&d->damage);
        }
        d->key = DARK_KEY;
        d->osd_key = 0;
        d->n_osd = 0;
        return;
    }
    uint64_t key = screen_key(wall, s);
    if (whole || !d->valid || key != d->key) {
        damage_all(&d->damage);
    }
    d->key = key;
    struct layout_rect rects[SCREEN_OSD_RECTS];
    int n = measure_osd(wall, i, osd, now, clock, rects);
    uint64_t okey = osd_key(s, rects, n);
    if (okey != d->osd_key) {
        for (int k = 0; k < d->n_osd; k++) {
            damage_add(&d->damage, d->osd[k], true); /* where plates were */
        }
        for (int k = 0; k < n; k++) {
            damage_add(&d->damage, rects[k], true);
        }
    }
    d->osd_key = okey;
    d->n_osd = n;
    for (int k = 0; k < n; k++) {
        d->osd[k] = rects[k];
    }
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        struct layout_tile tile = screen_visible_tile(s, t, &index);
        int camera = screen_tile_camera(s, wall->layout, &tile, index, now);
        struct tile_view *view = index >= 0 ? &s->look->views[index] : &s->look->alarm_view;
        view->key = tile_key(wall, s, &tile, index, camera, selected, now);
        for (int k = 0; k < n; k++) {
            if (layout_rect_overlaps(rects[k], tile.rect)) {
                view->key = mix_rect(view->key, rects[k]); /* its plates give way */
            }
        }
        if (view->key != view->drawn_key) {
            damage_add(&d->damage, tile.rect, false);
        }
    }
}

/* Draws what of screen `s` lies in `area` (the monitor's view, or a damaged
 * rectangle within it). */
static void draw_area(struct wall *wall, const struct screen *s, int i, struct tile_context *ctx,
                      const struct osd_context *osd, struct layout_rect area, int64_t now,
                      time_t clock)
{
    bool selected = i == wall->selected_output;
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        struct layout_tile tile = screen_visible_tile(s, t, &index);
        if (!layout_rect_overlaps(tile.rect, area)) {
            continue;
        }
        int camera = screen_tile_camera(s, wall->layout, &tile, index, now);
        const struct source *source = tile_source(wall, s, index, camera);
        struct tile_view *view = index >= 0 ? &s->look->views[index] : &s->look->alarm_view;
        struct tile_zoom zoom;
        struct tile_badge badge = tile_badge(wall, s, index, camera, now);
        tile_draw(ctx, view, &tile, source, wall_tile_zoom(s, index, &zoom), &badge);
        uint32_t colour;
        int weight = tile_frame(wall, s, index, selected, &colour);
        if (weight > 0) {
            osd_draw_frame(osd, tile.rect, colour, weight);
        }
    }
    /* The OSD only where it is: each draw call costs on software GL, clipped
     * or not. Its places were measured for this frame (plan_screen). */
    bool osd_here = false;
    for (int k = 0; k < s->look->drawn.n_osd && !osd_here; k++) {
        osd_here = layout_rect_overlaps(s->look->drawn.osd[k], area);
    }
    if (osd_here || osd->plates) {
        draw_osd(wall, s, osd, i == typing_output(wall), now, clock);
    }
}

/* After the frame: the canvas shows what the keys say. */
static void commit_screen(const struct screen *s)
{
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        screen_visible_tile(s, t, &index);
        struct tile_view *view = index >= 0 ? &s->look->views[index] : &s->look->alarm_view;
        view->drawn_key = view->key;
    }
    if (s->look->drawn.damage.all) {
        /* Tiles of another page or a maximize drew nothing: forget them. */
        for (int t = 0; t < s->n_tiles; t++) {
            if (s->look->views[t].drawn_key != s->look->views[t].key) {
                s->look->views[t].drawn_key = 0;
            }
        }
    }
    s->look->drawn.valid = true;
}

int wall_list_plates(struct wall *wall, struct plate *plates, int max)
{
    int64_t now = av_gettime_relative();
    struct plate_list list = {.items = plates, .max = max};
    struct tile_context ctx = {
        .renderer = wall->renderer, .text = wall->text, .now_us = now, .plates = &list};
    struct osd_context osd = {.renderer = wall->renderer, .text = wall->text, .plates = &list};
    time_t clock = time(NULL);
    struct layout_rect ignored[8];
    int n_ignored;
    for (int i = 0; i < wall->n_screens; i++) {
        const struct screen *s = &wall->screens[i];
        struct layout_rect whole = {0, 0, s->config->width, s->config->height};
        if (!wall_screen_live(wall, i)) {
            continue;
        }
        struct layout_rect keep[SCREEN_OSD_RECTS];
        ctx.n_keep_out = measure_osd(wall, i, &osd, now, clock, keep);
        ctx.keep_out = keep;
        list.screen = i;
        renderer_measure(wall->renderer, ignored, 8, &n_ignored);
        draw_area(wall, s, i, &ctx, &osd, whole, now, clock);
        renderer_measure(wall->renderer, NULL, 0, NULL);
    }
    return list.n;
}

bool wall_draw(struct wall *wall, int64_t now, bool force)
{
    struct tile_context ctx = {.renderer = wall->renderer, .text = wall->text, .now_us = now};
    struct osd_context osd = {.renderer = wall->renderer, .text = wall->text};
    time_t clock = time(NULL);
    bool keeps = output_keeps_canvas(wall->output);
    bool any = false, every = true;
    for (int i = 0; i < wall->n_screens; i++) {
        plan_screen(wall, i, &osd, !keeps, now, clock);
        any = any || damage_any(&wall->screens[i].look->drawn.damage);
        every = every && wall->screens[i].look->drawn.damage.all;
    }
    if (!any && !(force && !keeps)) {
        return false;
    }
    int64_t t0 = profile_start(wall->profile);
    output_begin_frame(wall->output, every);
    profile_stop(wall->profile, PROFILE_CLEAR, t0);
    /* A screen spanning several monitors is drawn once for each, clipped
     * to it: the parts behind the bezels are drawn nowhere. */
    for (int m = 0; m < output_monitor_count(wall->output); m++) {
        struct layout_rect view;
        int i = output_begin_monitor(wall->output, m, &view);
        if (i < 0 || i >= wall->n_screens) {
            continue; /* its display is missing */
        }
        const struct screen *s = &wall->screens[i];
        const struct layout_output *cfg = s->config;
        const struct damage *damage = &s->look->drawn.damage;
        struct layout_rect region;
        int pic_x, pic_y;
        bool live = wall_screen_live(wall, i);
        output_monitor_region(wall->output, m, &region, &pic_x, &pic_y);
        renderer_set_view(wall->renderer, output_cpu_canvas(wall->output), region, pic_x, pic_y);
        renderer_begin(wall->renderer, cfg->width, cfg->height, live ? cfg->background : 0,
                       damage->all);
        if (!live) {
            continue;
        }
        ctx.keep_out = s->look->drawn.osd;
        ctx.n_keep_out = s->look->drawn.n_osd;
        if (damage->all) {
            draw_area(wall, s, i, &ctx, &osd, view, now, clock);
            continue;
        }
        for (int k = 0; k < damage->n; k++) {
            struct layout_rect area = damage->rects[k];
            if (!layout_rect_overlaps(area, view)) {
                continue;
            }
            output_clip(wall->output, &area);
            renderer_clip(wall->renderer, &area);
            if (damage->background[k]) {
                renderer_fill(wall->renderer, area, cfg->background, 1.0f);
            }
            draw_area(wall, s, i, &ctx, &osd, area, now, clock);
        }
        output_clip(wall->output, NULL);
        renderer_clip(wall->renderer, NULL);
    }
    for (int i = 0; i < wall->n_screens; i++) {
        commit_screen(&wall->screens[i]);
    }
    return true;
}
