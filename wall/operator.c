#include "wall/operator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/operator_impl.h"
#include "wall/station.h"
#include "wall/wall_impl.h"

#define NOTICE_US (4 * 1000000)
#define INFO_US   (5 * 1000000)
#define ZOOM_MAX  8.0

const char *operator_source_name(enum op_source source)
{
    static const char *const names[] = {
        [OP_KEYBOARD] = "keyboard", [OP_JOYSTICK] = "joystick", [OP_SOCKET] = "socket",
        [OP_TOUR] = "tour",         [OP_ALARM] = "alarm",       [OP_RELOAD] = "reload",
        [OP_STATION] = "station",   [OP_MOUSE] = "mouse",       [OP_TOUCH] = "touch",
    };
    return names[source];
}

bool operator_refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, gettext(fmt), ap);
    va_end(ap);
    return false;
}

void operator_audit_tile(struct wall *wall, enum op_source source, const char *action,
                         const struct screen *s, int tile, int camera, const char *extra)
{
    char details[512];
    snprintf(details, sizeof(details), "output=%s", s->config->id);
    size_t len = strlen(details);
    if (tile >= 0) {
        snprintf(details + len, sizeof(details) - len, " tile=%d", tile + 1);
    }
    if (camera >= 0) {
        const struct layout_camera *c = &wall->layout->cameras[camera];
        len = strlen(details);
        snprintf(details + len, sizeof(details) - len, " camera=%d", c->number);
        audit_quote(details, sizeof(details), "name", c->name);
    }
    if (extra) {
        len = strlen(details);
        snprintf(details + len, sizeof(details) - len, " %s", extra);
    }
    char label[96];
    if (source == OP_STATION && wall->op_from) {
        snprintf(label, sizeof(label), "station:%s", wall->op_from); /* names: messages.h */
    } else {
        snprintf(label, sizeof(label), "%s", operator_source_name(source));
    }
    audit_write(wall->audit, label, action, details);
}

static const struct layout_zone *zone_of(const struct wall *wall, const struct screen *s)
{
    int z = s->config->zone;
    return z >= 0 && z < wall->layout->n_zones ? &wall->layout->zones[z] : NULL;
}

bool operator_admitted(const struct wall *wall, const struct screen *s,
                       const struct layout_camera *camera, char *why, size_t size)
{
    const struct layout_zone *zone = zone_of(wall, s);
    if (camera->status == LAYOUT_STATUS_SUSPENDED) {
        return operator_refuse(why, size, "camera %d is suspended", camera->number);
    }
    if (camera->status != LAYOUT_STATUS_ACTIVE) {
        return operator_refuse(why, size, "camera %d is removed", camera->number);
    }
    if (zone && !layout_zone_admits(zone, camera)) {
        return operator_refuse(why, size, "camera %d (%s) is not allowed on output %s (zone %s)",
                               camera->number, layout_programme_name(camera->programme),
                               s->config->id, zone->id);
    }
    return true;
}

static bool check_target(struct wall *wall, int output, int tile, char *why, size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", output + 1);
    }
    if (tile < 0 || tile >= wall->screens[output].n_tiles) {
        return operator_refuse(why, size, "output %s has no tile %d",
                               wall->screens[output].config->id, tile + 1);
    }
    return true;
}

static bool put(struct wall *wall, enum op_source source, int output, int tile, int number,
                char *why, size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = screen_of(wall, output);
    int index = -1;
    if (number != 0) {
        const struct layout_camera *camera = layout_find_camera(wall->layout, number);
        if (!camera) {
            return operator_refuse(why, size, "no camera %d", number);
        }
        if (!operator_admitted(wall, s, camera, why, size)) {
            return false;
        }
        index = (int)(camera - wall->layout->cameras);
    }
    s->live[tile] = (struct tile_live){.camera = index, .tour = -1, .shown = -1};
    if (tile == s->selected) {
        s->zoom = (struct zoom){0};
    }
    tile_view_finish(&s->look->views[tile]);
    operator_audit_tile(wall, source, number ? "put" : "clear", s, tile, index, NULL);
    return true;
}

static bool show_page(struct wall *wall, enum op_source source, int output, int page, char *why,
                      size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", output + 1);
    }
    struct screen *s = screen_of(wall, output);
    if (page < 0 || page >= s->config->n_pages) {
        return operator_refuse(why, size, "output %s has pages 1 to %d", s->config->id,
                               s->config->n_pages);
    }
    if (!screen_set_page(s, page, av_gettime_relative())) {
        return operator_refuse(why, size, "out of memory");
    }
    char extra[32];
    snprintf(extra, sizeof(extra), "page=%d", page + 1);
    operator_audit_tile(wall, source, "page", s, -1, -1, extra);
    return true;
}

/* tile -1 restores. */
static bool maximize(struct wall *wall, enum op_source source, int output, int tile, char *why,
                     size_t size)
{
    if (tile >= 0 && !check_target(wall, output, tile, why, size)) {
        return false;
    }
    if (output < 0 || output >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", output + 1);
    }
    struct screen *s = screen_of(wall, output);
    screen_maximize(s, tile);
    if (tile >= 0) {
        s->selected = tile;
    }
    operator_audit_tile(wall, source, tile >= 0 ? "maximize" : "restore", s, tile,
                        tile >= 0 ? s->live[tile].camera : -1, NULL);
    return true;
}

/* tour: index, or -1 to stop the tile's tour (it stays on its camera). */
static bool tour(struct wall *wall, enum op_source source, int output, int tile, int tour,
                 char *why, size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = screen_of(wall, output);
    if (tour >= wall->layout->n_tours) {
        return operator_refuse(why, size, "no tour %d", tour + 1);
    }
    if (tour >= 0) {
        const struct layout_tour *t = &wall->layout->tours[tour];
        for (int i = 0; i < t->n_cameras; i++) {
            if (!operator_admitted(wall, s, &wall->layout->cameras[t->cameras[i]], why, size)) {
                return false;
            }
        }
    }
    struct tile_live *live = &s->live[tile];
    int shown = screen_tile_camera(
        s, wall->layout, &(struct layout_tile){.camera = live->camera, .tour = live->tour}, tile,
        av_gettime_relative());
    /* Stopping a tour keeps the camera it was on. */
    *live = (struct tile_live){
        .camera = tour >= 0 ? -1 : shown,
        .tour = tour,
        .tour_start = av_gettime_relative(),
        .shown = -1,
    };
    char extra[320] = "";
    if (tour >= 0) {
        audit_quote(extra, sizeof(extra), "tour", wall->layout->tours[tour].name);
    }
    operator_audit_tile(wall, source, tour >= 0 ? "tour-start" : "tour-stop", s, tile, -1,
                        extra[0] ? extra + 1 : NULL);
    return true;
}

static bool pause_tour(struct wall *wall, enum op_source source, int output, int tile, char *why,
                       size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = screen_of(wall, output);
    struct tile_live *live = &s->live[tile];
    if (live->tour < 0) {
        return operator_refuse(why, size, "no tour runs in tile %d", tile + 1);
    }
    int64_t now = av_gettime_relative();
    if (live->paused_at) {
        live->tour_start += now - live->paused_at; /* the pause does not count */
        live->paused_at = 0;
    } else {
        live->paused_at = now;
    }
    operator_audit_tile(wall, source, live->paused_at ? "tour-pause" : "tour-resume", s, tile, -1,
                        NULL);
    return true;
}

static bool push_alarm(struct wall *wall, enum op_source source, int number, int output,
                       double seconds, char *why, size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", output + 1);
    }
    const struct layout_camera *camera = layout_find_camera(wall->layout, number);
    if (!camera) {
        return operator_refuse(why, size, "no camera %d", number);
    }
    struct screen *s = screen_of(wall, output);
    if (!operator_admitted(wall, s, camera, why, size)) {
        return false;
    }
    if (seconds < 1 || seconds > 3600) {
        return operator_refuse(why, size, "alarm time must be 1 to 3600 seconds");
    }
    int index = (int)(camera - wall->layout->cameras);
    if (!screen_push_alarm(s, index, (int64_t)(seconds * 1e6))) {
        return operator_refuse(why, size, "output %s has %d alarms queued already", s->config->id,
                               SCREEN_MAX_ALARMS);
    }
    char extra[32];
    snprintf(extra, sizeof(extra), "seconds=%g", seconds);
    operator_audit_tile(wall, source, "alarm", s, -1, index, extra);
    return true;
}

/* The tile whose centre lies nearest in direction (dx, dy) from the
 * selected one: works for grids, spans and picture in picture alike. */
static int neighbour(const struct screen *s, int dx, int dy)
{
    const struct layout_tile *tiles = s->config->pages[s->page].tiles;
    const struct layout_rect *r = &tiles[s->selected].rect;
    double cx = r->x + r->w / 2.0, cy = r->y + r->h / 2.0;
    int best = s->selected;
    double best_cost = INFINITY;
    for (int t = 0; t < s->n_tiles; t++) {
        const struct layout_rect *o = &tiles[t].rect;
        double ox = o->x + o->w / 2.0 - cx, oy = o->y + o->h / 2.0 - cy;
        double along = ox * dx + oy * dy;
        double across = fabs(ox * dy) + fabs(oy * dx);
        if (t == s->selected || along <= 0) {
            continue;
        }
        double cost = along + 2 * across;
        if (cost < best_cost) {
            best_cost = cost;
            best = t;
        }
    }
    return best;
}

static struct screen *selected_screen(struct wall *wall)
{
    return screen_of(wall, wall->selected_output);
}

static void clamp_zoom(struct zoom *z)
{
    z->factor = z->factor < 1.0 ? 1.0 : z->factor > ZOOM_MAX ? ZOOM_MAX : z->factor;
    double half = 0.5 / z->factor;
    z->cx = z->cx < half ? half : z->cx > 1.0 - half ? 1.0 - half : z->cx;
    z->cy = z->cy < half ? half : z->cy > 1.0 - half ? 1.0 - half : z->cy;
}

/* Selects tile `tile` of output `output`: where keyboard and joystick act
 * (`focus`: the output becomes this station's selected one; another
 * station's select moves only the output's own selection). A new tile
 * starts unzoomed, whoever selects it. */
static bool select_tile(struct wall *wall, int output, int tile, bool focus, char *why,
                        size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = screen_of(wall, output);
    if (focus) {
        wall->selected_output = output;
    }
    if (tile != s->selected) {
        s->selected = tile;
        s->zoom = (struct zoom){0};
        if (s->maximized >= 0) {
            screen_maximize(s, tile);
        }
    }
    return true;
}

static bool select_move(struct wall *wall, const struct op_request *req)
{
    struct screen *s = selected_screen(wall);
    int dx = req->dx > 0 ? 1 : req->dx < 0 ? -1 : 0;
    int dy = req->dy > 0 ? 1 : req->dy < 0 ? -1 : 0;
    return select_tile(wall, wall->selected_output, neighbour(s, dx, dy), true, NULL, 0);
}

static bool select_output(struct wall *wall, const struct op_request *req, char *why, size_t size)
{
    int n = wall->n_screens;
    int next = req->relative ? ((wall->selected_output + req->value) % n + n) % n : req->value;
    if (next < 0 || next >= n) {
        return operator_refuse(why, size, "no monitor %d (1 to %d)", next + 1, n);
    }
    wall->selected_output = next;
    return true;
}

/* Multiplies the zoom by `times`; the picture point under the request's
 * anchor stays under it (the factor limited first, so it stays at the
 * limits too), else the centre stays. */
static void zoom_by(struct zoom *z, const struct op_request *req, double times)
{
    double before = z->factor;
    z->factor *= times;
    z->factor = z->factor < 1.0 ? 1.0 : z->factor > ZOOM_MAX ? ZOOM_MAX : z->factor;
    if (req->anchored) {
        double ax = req->anchor_x - 0.5, ay = req->anchor_y - 0.5;
        z->cx += ax / before - ax / z->factor;
        z->cy += ay / before - ay / z->factor;
    }
}

static bool zoom(struct wall *wall, const struct op_request *req, char *why, size_t size)
{
    struct zoom *z = &selected_screen(wall)->zoom;
    switch (req->kind) {
    case OP_ZOOM_TOGGLE:
        if (z->active) {
            *z = (struct zoom){0};
            return true;
        }
        *z = (struct zoom){.active = true, .factor = 1.0, .cx = 0.5, .cy = 0.5};
        zoom_by(z, req, req->amount > 0 ? req->amount : 2.0);
        break;
    case OP_ZOOM:
        if (!z->active) {
            return operator_refuse(why, size, "not in zoom mode (press Z)");
        }
        zoom_by(z, req, req->amount > 0 ? req->amount : 1.0);
        break;
    default:
        if (!z->active) {
            return operator_refuse(why, size, "not in zoom mode (press Z)");
        }
        z->cx += req->dx / z->factor;
        z->cy += req->dy / z->factor;
        break;
    }
    clamp_zoom(z);
    return true;
}

/* The tour toggle key: starts the tour dialled (value, 1-based), else the
 * tile's own, or stops the one running. */
static bool toggle_tour(struct wall *wall, enum op_source source, int out, int tile, int value,
                        char *why, size_t size)
{
    const struct screen *s = screen_of(wall, out);
    const struct tile_live *live = &s->live[tile];
    int page_tour = s->config->pages[s->page].tiles[tile].tour;
    int which = value > 0 ? value - 1 : live->tour >= 0 ? -1 : page_tour;
    if (value == 0 && live->tour < 0 && which < 0) {
        return operator_refuse(why, size, "no tour for this tile: dial a tour number, then T");
    }
    return tour(wall, source, out, tile, which, why, size);
}

static bool load_layout(struct wall *wall, struct layout_wall *next, char *why, size_t size);

/* A request for an output another station drives: the selection moves
 * here, the rest goes to that station as a command. */
static enum op_result send_away(struct wall *wall, enum op_source source,
                                const struct op_request *req, int out, int tile, char *why,
                                size_t size)
{
    const struct screen *s = &wall->screens[out];
    struct op_request sent = *req;
    sent.output = out + 1;
    sent.tile = tile + 1;
    switch (req->kind) {
    case OP_SELECT_MOVE: {
        int dx = req->dx > 0 ? 1 : req->dx < 0 ? -1 : 0;
        int dy = req->dy > 0 ? 1 : req->dy < 0 ? -1 : 0;
        sent = (struct op_request){
            .kind = OP_SELECT_TILE, .output = out + 1, .value = neighbour(s, dx, dy)};
        break;
    }
    case OP_SELECT_TILE:
        if (!check_target(wall, out, req->value, why, size)) {
            return OP_REFUSED;
        }
        break;
    case OP_MAXIMIZE_TOGGLE:
        sent.kind = s->maximized >= 0 ? OP_RESTORE : OP_MAXIMIZE;
        break;
    case OP_PAGE: {
        int n = s->config->n_pages;
        sent.value = req->relative ? ((s->page + req->value) % n + n) % n : req->value;
        sent.relative = false;
        break;
    }
    case OP_TOUR_TOGGLE: {
        if (!check_target(wall, out, tile, why, size)) {
            return OP_REFUSED;
        }
        const struct tile_live *live = &s->live[tile];
        int page_tour = s->config->pages[s->page].tiles[tile].tour;
        sent.kind = OP_TOUR_SET;
        sent.value = req->value > 0 ? req->value - 1 : live->tour >= 0 ? -1 : page_tour;
        if (req->value == 0 && live->tour < 0 && page_tour < 0) {
            return operator_refuse(why, size, "no tour for this tile: dial a tour number, then T");
        }
        break;
    }
    case OP_PUT_CAMERA:
    case OP_MAXIMIZE:
    case OP_RESTORE:
    case OP_TOUR_SET:
    case OP_ALARM_PUSH:
        break;
    default:
        return operator_refuse(why, size, "output %s is driven by station %s: do that there",
                               s->config->id, station_driver_name(wall->station, out));
    }
    if (sent.kind == OP_SELECT_TILE) {
        wall->selected_output = out; /* where this station's keys act from now on */
    }
    return station_send(wall, source, &sent, why, size);
}

static enum op_result apply(struct wall *wall, enum op_source source, const struct op_request *req,
                            char *why, size_t size)
{
    why[0] = '\0';
    if (req->kind == OP_LOAD_LAYOUT) {
        return req->layout ? load_layout(wall, req->layout, why, size)
                           : operator_refuse(why, size, "no layout to load");
    }
    int out = req->output > 0 ? req->output - 1 : wall->selected_output;
    if (out < 0 || out >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", out + 1);
    }
    struct screen *s = screen_of(wall, out);
    int tile = req->tile > 0 ? req->tile - 1 : s->selected;
    if (req->kind != OP_SELECT_OUTPUT && !station_drives(wall->station, out)) {
        if (source == OP_STATION) {
            return operator_refuse(why, size, "output %s is not driven by this station",
                                   s->config->id);
        }
        return send_away(wall, source, req, out, tile, why, size);
    }
    switch (req->kind) {
    case OP_SELECT_MOVE:
        return select_move(wall, req);
    case OP_SELECT_OUTPUT:
        return select_output(wall, req, why, size);
    case OP_SELECT_TILE:
        return select_tile(wall, out, req->value, source != OP_STATION, why, size);
    case OP_PUT_CAMERA:
        return put(wall, source, out, tile, req->value, why, size);
    case OP_MAXIMIZE_TOGGLE:
        return maximize(wall, source, out, s->maximized >= 0 ? -1 : tile, why, size);
    case OP_MAXIMIZE:
        return maximize(wall, source, out, tile, why, size);
    case OP_RESTORE:
        return maximize(wall, source, out, -1, why, size);
    case OP_PAGE: {
        int n = s->config->n_pages;
        int to = req->relative ? ((s->page + req->value) % n + n) % n : req->value;
        return show_page(wall, source, out, to, why, size);
    }
    case OP_TOUR_TOGGLE:
        return check_target(wall, out, tile, why, size) &&
               toggle_tour(wall, source, out, tile, req->value, why, size);
    case OP_TOUR_SET:
        return tour(wall, source, out, tile, req->value, why, size);
    case OP_TOUR_PAUSE:
        return pause_tour(wall, source, out, tile, why, size);
    case OP_ALARM_PUSH:
        return push_alarm(wall, source, req->value, out, req->amount, why, size);
    case OP_SNAPSHOT:
        return check_target(wall, out, tile, why, size) &&
               operator_snapshot_tile(wall, source, out, tile, why, size);
    case OP_ZOOM_TOGGLE:
    case OP_ZOOM:
    case OP_PAN:
        return zoom(wall, req, why, size);
    case OP_REPLAY:
        return check_target(wall, out, tile, why, size) &&
               operator_replay(wall, source, out, tile, req, why, size);
    case OP_EXPORT:
        return check_target(wall, out, tile, why, size) &&
               operator_export(wall, source, out, tile, req, why, size);
    case OP_PTZ_MOVE:
    case OP_PTZ_PRESET:
        return check_target(wall, out, tile, why, size) &&
               operator_ptz(wall, source, out, tile, req, why, size);
    case OP_SWAP:
        return check_target(wall, out, tile, why, size) &&
               operator_swap(wall, source, out, tile, req, why, size);
    case OP_LOAD_LAYOUT:
        break;
    }
    return operator_refuse(why, size, "unknown request");
}

enum op_result operator_apply(struct wall *wall, enum op_source source,
                              const struct op_request *req, char *why, size_t size)
{
    wall->op_from = source == OP_STATION ? req->from : NULL;
    enum op_result result = apply(wall, source, req, why, size);
    wall->op_from = NULL;
    /* A dome that moves changes nothing the wall shows or publishes. */
    bool ptz = req->kind == OP_PTZ_MOVE || req->kind == OP_PTZ_PRESET;
    wall->screen_changes += result == OP_DONE && !ptz;
    return result;
}

/* Writes what changed by itself since the last frame to the audit trail:
 * a tour moving to its next camera, an alarm showing or ending. */
static void note_automatic(struct wall *wall, struct screen *s, int64_t now)
{
    const struct alarm *a = screen_alarm_shown(s);
    if (a && a->until != s->alarm_audited) {
        operator_audit_tile(wall, OP_ALARM, "alarm-show", s, -1, a->camera, NULL);
        s->alarm_audited = a->until;
    } else if (!a && s->alarm_audited) {
        operator_audit_tile(wall, OP_ALARM, "alarm-end", s, -1, -1, NULL);
        s->alarm_audited = 0;
    }
    for (int t = 0; t < s->n_tiles; t++) {
        struct tile_live *live = &s->live[t];
        if (live->tour < 0) {
            continue;
        }
        struct layout_tile tile = {.camera = live->camera, .tour = live->tour};
        int camera = screen_tile_camera(s, wall->layout, &tile, t, now);
        if (camera != live->shown) {
            if (live->shown >= 0) {
                operator_audit_tile(wall, OP_TOUR, "tour-step", s, t, camera, NULL);
            }
            live->shown = camera;
        }
    }
}

void operator_tick(struct wall *wall, int64_t now)
{
    for (int i = 0; i < wall->n_screens; i++) {
        struct screen *s = screen_of(wall, i);
        if (!wall_screen_live(wall, i)) {
            continue; /* its display is missing, or another station drives it */
        }
        screen_alarm(s, now);
        note_automatic(wall, s, now);
    }
    operator_ptz_tick(wall, now);
}

static void screens_free(struct screen *screens, int n)
{
    for (int i = 0; i < n; i++) {
        screen_finish(&screens[i]);
    }
    free(screens);
}

/* One screen per output of `layout`, each on the page it showed before
 * (in `old`) when the output still exists with that many pages. */
static struct screen *screens_make(const struct layout_wall *layout, const struct screen *old,
                                   int n_old)
{
    struct screen *screens = calloc((size_t)layout->n_outputs + 1, sizeof(*screens));
    if (!screens) {
        return NULL;
    }
    for (int i = 0; i < layout->n_outputs; i++) {
        const struct layout_output *config = &layout->outputs[i];
        int page = 0;
        for (int j = 0; j < n_old; j++) {
            if (strcmp(old[j].config->id, config->id) == 0 && old[j].page < config->n_pages) {
                page = old[j].page;
            }
        }
        if (!screen_init(&screens[i], config, page, av_gettime_relative())) {
            screens_free(screens, i + 1);
            return NULL;
        }
    }
    return screens;
}

bool operator_start(struct wall *wall)
{
    wall->screens = screens_make(wall->layout, NULL, 0);
    wall->n_screens = wall->screens ? wall->layout->n_outputs : 0;
    wall->selected_output = 0;
    return wall->screens != NULL;
}

void operator_finish(struct wall *wall)
{
    screens_free((struct screen *)wall->screens, wall->n_screens);
    wall->screens = NULL;
    wall->n_screens = 0;
}

/* The new layout comes into force: fresh screens keep the pages of the
 * outputs that stayed; the selection stays where it can. The previous
 * layout is the caller's to free, after this (the old screens point into
 * it until then). */
static bool load_layout(struct wall *wall, struct layout_wall *next, char *why, size_t size)
{
    struct screen *fresh = screens_make(next, wall->screens, wall->n_screens);
    if (!fresh) {
        return operator_refuse(why, size, "out of memory");
    }
    if (!station_relayout(wall->station, next, why, size)) {
        screens_free(fresh, next->n_outputs);
        return false;
    }
    operator_ptz_halt(wall, "reload");
    operator_finish(wall);
    wall->layout = next;
    ptz_set_relayout(&wall->ptz, next);
    wall->screens = fresh;
    wall->n_screens = next->n_outputs;
    if (wall->selected_output >= wall->n_screens) {
        wall->selected_output = 0;
    }
    char details[1100] = "";
    audit_quote(details, sizeof(details), "file", next->path);
    audit_write(wall->audit, operator_source_name(OP_RELOAD), "layout", details + 1);
    return true;
}

void operator_set_entry(struct wall *wall, const char *text)
{
    snprintf(wall->entry, sizeof(wall->entry), "%s", text);
}

void operator_notify(struct wall *wall, const char *message)
{
    snprintf(wall->notice, sizeof(wall->notice), "%s", message);
    wall->notice_until = av_gettime_relative() + NOTICE_US;
    log_info("operator", "%s", message);
}

void operator_show_info(struct wall *wall, int output, int tile)
{
    wall->info_output = output;
    wall->info_tile = tile;
    wall->info_until = tile >= 0 ? av_gettime_relative() + INFO_US : 0;
}

bool operator_zooming(const struct wall *wall)
{
    return wall->screens[wall->selected_output].zoom.active;
}
