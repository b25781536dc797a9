#include "wall/screen.h"

#include <stdlib.h>
#include <string.h>

static void finish_views(struct screen *s)
{
    for (int t = 0; t < s->n_tiles; t++) {
        tile_view_finish(&s->look->views[t]);
    }
}

bool screen_init(struct screen *s, const struct layout_output *config, int page, int64_t now)
{
    *s = (struct screen){.config = config, .maximized = -1, .look = calloc(1, sizeof(*s->look))};
    return s->look && screen_set_page(s, page, now);
}

void screen_finish(struct screen *s)
{
    if (!s->look) {
        free(s->live);
        s->live = NULL;
        return;
    }
    finish_views(s);
    free(s->look->views);
    free(s->live);
    tile_view_finish(&s->look->alarm_view);
    text_label_finish(&s->look->alarm_title);
    text_label_finish(&s->look->banner);
    text_label_finish(&s->look->status);
    text_label_finish(&s->look->entry);
    text_label_finish(&s->look->notice);
    text_label_finish(&s->look->info);
    free(s->look);
    s->look = NULL;
    s->live = NULL;
    s->n_tiles = 0;
}

bool screen_set_page(struct screen *s, int page, int64_t now)
{
    if (page < 0 || page >= s->config->n_pages) {
        return false;
    }
    const struct layout_page *p = &s->config->pages[page];
    struct tile_view *views = calloc((size_t)p->n_tiles + 1, sizeof(*views));
    struct tile_live *live = calloc((size_t)p->n_tiles + 1, sizeof(*live));
    if (!views || !live) {
        free(views);
        free(live);
        return false;
    }
    finish_views(s);
    free(s->look->views);
    free(s->live);
    s->look->views = views;
    s->live = live;
    s->n_tiles = p->n_tiles;
    for (int t = 0; t < p->n_tiles; t++) {
        live[t] = (struct tile_live){
            .camera = p->tiles[t].camera,
            .tour = p->tiles[t].tour,
            .tour_start = now,
            .shown = -1,
        };
    }
    s->page = page;
    s->maximized = -1;
    s->selected = s->selected < p->n_tiles ? s->selected : 0;
    s->zoom = (struct zoom){0};
    return true;
}

bool screen_maximize(struct screen *s, int tile)
{
    if (tile < -1 || tile >= s->n_tiles) {
        return false;
    }
    s->maximized = tile;
    /* Text was rendered for the old size. */
    finish_views(s);
    return true;
}

const struct alarm *screen_alarm_shown(const struct screen *s)
{
    return s->n_alarms > 0 && s->alarms[0].until ? &s->alarms[0] : NULL;
}

int screen_visible_count(const struct screen *s)
{
    return s->maximized >= 0 || screen_alarm_shown(s) ? 1 : s->n_tiles;
}

struct layout_tile screen_visible_tile(const struct screen *s, int i, int *page_index)
{
    const struct layout_page *page = &s->config->pages[s->page];
    struct layout_rect whole = {0, 0, s->config->width, s->config->height};
    if (screen_alarm_shown(s)) {
        *page_index = -1;
        return (struct layout_tile){.camera = s->alarms[0].camera, .tour = -1, .rect = whole};
    }
    int index = s->maximized >= 0 ? s->maximized : i;
    struct layout_tile tile = page->tiles[index];
    tile.camera = s->live[index].camera;
    tile.tour = s->live[index].tour;
    if (s->maximized >= 0) {
        tile.rect = whole;
    }
    *page_index = index;
    return tile;
}

int screen_tile_camera(const struct screen *s, const struct layout_wall *layout,
                       const struct layout_tile *tile, int page_index, int64_t now)
{
    if (tile->tour < 0) {
        return tile->camera;
    }
    const struct layout_tour *tour = &layout->tours[tile->tour];
    const struct tile_live *live = page_index >= 0 ? &s->live[page_index] : NULL;
    int64_t at = live && live->paused_at ? live->paused_at : now;
    int64_t elapsed = at - (live ? live->tour_start : 0);
    int64_t dwell = (int64_t)(tour->dwell * 1e6);
    if (elapsed < 0) {
        elapsed = 0;
    }
    if (dwell <= 0) {
        dwell = 1;
    }
    return tour->cameras[(elapsed / dwell) % tour->n_cameras];
}

const struct alarm *screen_alarm(struct screen *s, int64_t now)
{
    if (s->n_alarms == 0) {
        return NULL;
    }
    if (s->alarms[0].until && now >= s->alarms[0].until) {
        memmove(&s->alarms[0], &s->alarms[1], sizeof(s->alarms[0]) * (size_t)(s->n_alarms - 1));
        s->n_alarms--;
        tile_view_finish(&s->look->alarm_view);
        text_label_finish(&s->look->alarm_title);
        if (s->n_alarms == 0) {
            finish_views(s); /* the page's text comes back at its own size */
            return NULL;
        }
    }
    if (!s->alarms[0].until) {
        s->alarms[0].until = now + s->alarms[0].length;
    }
    return &s->alarms[0];
}

bool screen_push_alarm(struct screen *s, int camera, int64_t length)
{
    if (s->n_alarms == SCREEN_MAX_ALARMS) {
        return false;
    }
    s->alarms[s->n_alarms++] = (struct alarm){.camera = camera, .length = length};
    return true;
}

int screen_shown_camera(const struct screen *s, const struct layout_wall *layout, int tile,
                        int64_t now, struct layout_rect *rect)
{
    for (int t = 0; t < screen_visible_count(s); t++) {
        int index;
        struct layout_tile shown = screen_visible_tile(s, t, &index);
        if (index == tile) {
            if (rect) {
                *rect = shown.rect;
            }
            return screen_tile_camera(s, layout, &shown, index, now);
        }
    }
    return -1;
}
