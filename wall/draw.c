/* Composing the canvas: every output's tiles, then its OSD: zone frames,
 * the selection, alarms, the status plate, what the operator types, and
 * the layout-error banner. Render thread only. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "wall/osd.h"
#include "wall/wall_impl.h"

#define SELECTED_COLOUR 0xffffffu
#define ALARM_COLOUR    0xe00000u
#define NOTICE_COLOUR   0xc07000u

static const struct layout_zone *zone_of(const struct wall *wall, const struct screen *s)
{
    int z = s->config->zone;
    return z >= 0 && z < wall->layout->n_zones ? &wall->layout->zones[z] : NULL;
}

const struct tile_zoom *wall_tile_zoom(const struct screen *s, int index, struct tile_zoom *zoom)
{
    bool alarm = s->n_alarms > 0 && s->alarms[0].until;
    if (alarm || index != s->selected || !s->zoom.active) {
        return NULL;
    }
    *zoom = (struct tile_zoom){s->zoom.factor, s->zoom.cx, s->zoom.cy};
    return zoom;
}

/* `view`: the part of the picture the monitor shows; tiles outside it are
 * not drawn (a group of monitors draws its screen once per monitor). */
static void draw_tiles(struct wall *wall, struct screen *s, const struct tile_context *ctx,
                       const struct osd_context *osd, bool selected_output,
                       struct layout_rect view)
{
    const struct layout_zone *zone = zone_of(wall, s);
    bool alarm = s->n_alarms > 0 && s->alarms[0].until;
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        struct layout_tile tile = screen_visible_tile(s, t, &index);
        if (!layout_rect_overlaps(tile.rect, view)) {
            continue;
        }
        int camera = screen_tile_camera(s, wall->layout, &tile, index, ctx->now_us);
        struct source *source = camera >= 0 ? &wall->sources.items[camera] : NULL;
        struct tile_view *view = index >= 0 ? &s->views[index] : &s->alarm_view;
        struct tile_zoom zoom;
        tile_draw(ctx, view, &tile, source, wall_tile_zoom(s, index, &zoom));
        if (alarm) {
            osd_draw_frame(osd, tile.rect, ALARM_COLOUR, 3);
        } else if (index == s->selected && selected_output) {
            osd_draw_frame(osd, tile.rect, SELECTED_COLOUR, 2);
        } else if (zone) {
            osd_draw_frame(osd, tile.rect, zone->colour, 1);
        }
    }
}

static void draw_alarm_title(struct wall *wall, struct screen *s, const struct osd_context *osd,
                             int64_t now)
{
    const struct alarm *a = &s->alarms[0];
    const struct layout_camera *c = &wall->layout->cameras[a->camera];
    char text[320];
    long left = (long)((a->until - now + 999999) / 1000000);
    snprintf(text, sizeof(text), "ALARM   %d  %s   %ld s", c->number, c->name, left);
    /* Sized for one monitor and centred on the first: never across a bezel. */
    int size = s->config->monitor_height / 24;
    osd_draw_plate(osd, &s->alarm_title, text, size < 14 ? 14 : size, s->config->monitor_width / 2,
                   s->config->monitor_height / 12, OSD_ANCHOR_TOP_CENTRE, ALARM_COLOUR);
}

/* The entry line and notices go where the operator is looking: the
 * selected output, top left. */
static void draw_operator_text(struct wall *wall, struct screen *s, const struct osd_context *osd,
                               int64_t now)
{
    int size = s->config->monitor_height / 30 < 14 ? 14 : s->config->monitor_height / 30;
    int y = s->config->monitor_height / 20;
    if (wall->entry[0]) {
        char text[64];
        snprintf(text, sizeof(text), "> %s_", wall->entry);
        y += osd_draw_plate(osd, &s->entry, text, size, size, y, OSD_ANCHOR_TOP_LEFT, 0x000000);
    }
    if (wall->notice[0] && now < wall->notice_until) {
        osd_draw_plate(osd, &s->notice, wall->notice, size * 3 / 4, size, y + size / 3,
                       OSD_ANCHOR_TOP_LEFT, NOTICE_COLOUR);
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ULL; /* FNV-1a step */
}

uint64_t wall_scene_digest(struct wall *wall, int64_t now)
{
    uint64_t h = 1469598103934665603ULL;
    h = mix(h, (uint64_t)time(NULL));
    h = mix(h, (uint64_t)wall->selected_output);
    h = mix(h, (uint64_t)(uintptr_t)wall->banner);
    h = mix(h, now < wall->notice_until);
    for (const char *p = wall->entry; *p; p++) {
        h = mix(h, (uint8_t)*p);
    }
    for (int i = 0; i < wall->n_screens; i++) {
        struct screen *s = &wall->screens[i];
        h = mix(h, (uint64_t)(s->page * 131 + s->maximized * 17 + s->selected));
        h = mix(h, (uint64_t)(s->zoom.factor * 1000 + s->zoom.cx * 1e6 + s->zoom.cy * 1e9));
        h = mix(h, (uint64_t)s->n_alarms);
        for (int t = 0; t < screen_visible_count(s); t++) {
            int index;
            struct layout_tile tile = screen_visible_tile(s, t, &index);
            int camera = screen_tile_camera(s, wall->layout, &tile, index, now);
            const struct source *src = camera >= 0 ? &wall->sources.items[camera] : NULL;
            h = mix(h, (uint64_t)(camera + 2));
            h = mix(h, tile_state(src, now));
            if (src && src->stats.last_frame_us) {
                h = mix(h, (uint64_t)((now - src->stats.last_frame_us) / 1000000));
            }
        }
    }
    return h;
}

void wall_draw(struct wall *wall, int64_t now)
{
    int64_t t0 = profile_start(wall->profile);
    output_begin_frame(wall->output);
    profile_stop(wall->profile, PROFILE_CLEAR, t0);
    struct tile_context ctx = {.renderer = wall->renderer, .text = wall->text, .now_us = now};
    struct osd_context osd = {.renderer = wall->renderer, .text = wall->text};
    time_t clock = time(NULL);
    /* A screen spanning several monitors is drawn once for each, clipped
     * to it: the parts behind the bezels are drawn nowhere. */
    for (int m = 0; m < output_monitor_count(wall->output); m++) {
        struct layout_rect view;
        int i = output_begin_monitor(wall->output, m, &view);
        if (i < 0 || i >= wall->n_screens) {
            continue; /* its display is missing */
        }
        struct screen *s = &wall->screens[i];
        const struct layout_output *cfg = s->config;
        bool selected = i == wall->selected_output;
        renderer_begin(wall->renderer, cfg->width, cfg->height, cfg->background);
        draw_tiles(wall, s, &ctx, &osd, selected && wall->n_screens >= 1, view);
        if (s->n_alarms > 0 && s->alarms[0].until) {
            draw_alarm_title(wall, s, &osd, now);
        }
        osd_draw_status(&osd, s, zone_of(wall, s), wall->layout->layouts, clock);
        if (selected) {
            draw_operator_text(wall, s, &osd, now);
        }
        if (wall->banner) {
            osd_draw_banner(&osd, s, wall->banner);
        }
    }
}
