/* An output's state as the stations publish it (wall/messages.h), made
 * from a screen and shown on one: what stations share of the wall. */
#include <stdio.h>
#include <string.h>

#include <libavutil/time.h>

#include "wall/messages.h"
#include "wall/operator_impl.h"

void operator_state(const struct wall *wall, int output, struct msg_state *out,
                    struct msg_tile *tiles)
{
    const struct screen *s = &wall->screens[output];
    const struct layout_wall *layout = wall->layout;
    *out = (struct msg_state){
        .page = s->page + 1,
        .maximized = s->maximized + 1,
        .selected = s->selected + 1,
        .tiles = tiles,
    };
    snprintf(out->output, sizeof(out->output), "%s", s->config->id);
    for (int t = 0; t < s->n_tiles && t < MSG_TILES_MAX; t++) {
        const struct tile_live *live = &s->live[t];
        tiles[t] = (struct msg_tile){
            .tile = t + 1,
            .camera = live->camera >= 0 ? layout->cameras[live->camera].number : 0,
        };
        if (live->tour >= 0) {
            snprintf(tiles[t].tour, sizeof(tiles[t].tour), "%s", layout->tours[live->tour].name);
        }
        out->n_tiles++;
    }
}

/* Appends "; " and a reason to `why` (the first ones that fit); callers
 * translate `fmt` (_()). */
static void note(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(char *why, size_t size, const char *fmt, ...)
{
    size_t len = strlen(why);
    if (len + 3 >= size) {
        return;
    }
    if (len > 0) {
        len += (size_t)snprintf(why + len, size - len, "; ");
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + len, size - len, fmt, ap);
    va_end(ap);
}

/* The live state of one tile from the message; a tile the zone or the
 * layout refuses stays empty, with the reason noted. */
static struct tile_live tile_from(struct wall *wall, const struct screen *s,
                                  const struct msg_tile *m, int64_t now, char *why, size_t size)
{
    const struct layout_wall *layout = wall->layout;
    struct tile_live live = {.camera = -1, .tour = -1, .tour_start = now, .shown = -1};
    char reason[256];
    if (m->tour[0]) {
        for (int i = 0; i < layout->n_tours && live.tour < 0; i++) {
            live.tour = strcmp(layout->tours[i].name, m->tour) == 0 ? i : -1;
        }
        if (live.tour < 0) {
            note(why, size, _("tile %d: no tour '%s'"), m->tile, m->tour);
            return live;
        }
        const struct layout_tour *tour = &layout->tours[live.tour];
        for (int i = 0; i < tour->n_cameras; i++) {
            if (!operator_admitted(wall, s, &layout->cameras[tour->cameras[i]], reason,
                                   sizeof(reason))) {
                note(why, size, _("tile %d: %s"), m->tile, reason);
                live.tour = -1;
                return live;
            }
        }
        return live;
    }
    if (m->camera == 0) {
        return live;
    }
    const struct layout_camera *camera = layout_find_camera(layout, m->camera);
    if (!camera) {
        note(why, size, _("tile %d: no camera %d"), m->tile, m->camera);
    } else if (!operator_admitted(wall, s, camera, reason, sizeof(reason))) {
        note(why, size, _("tile %d: %s"), m->tile, reason);
    } else {
        live.camera = (int)(camera - layout->cameras);
    }
    return live;
}

bool operator_adopt(struct wall *wall, int output, const struct msg_state *state, char *why,
                    size_t size)
{
    why[0] = '\0';
    struct screen *s = screen_of(wall, output);
    int64_t now = av_gettime_relative();
    if (state->page < 1 || state->page > s->config->n_pages) {
        snprintf(why, size, _("output %s has pages 1 to %d (the state says %d)"), s->config->id,
                 s->config->n_pages, state->page);
        return false;
    }
    if (!screen_set_page(s, state->page - 1, now)) {
        snprintf(why, size, "%s", _("out of memory"));
        return false;
    }
    for (int i = 0; i < state->n_tiles; i++) {
        const struct msg_tile *m = &state->tiles[i];
        if (m->tile > s->n_tiles) {
            note(why, size, _("output %s has no tile %d"), s->config->id, m->tile);
            continue;
        }
        s->live[m->tile - 1] = tile_from(wall, s, m, now, why, size);
    }
    if (state->selected >= 1 && state->selected <= s->n_tiles) {
        s->selected = state->selected - 1;
    }
    if (state->maximized >= 1 && state->maximized <= s->n_tiles) {
        screen_maximize(s, state->maximized - 1);
    }
    wall->screen_changes++;
    return true;
}
