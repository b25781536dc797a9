#include "wall/operator.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/log.h"
#include "wall/operator_impl.h"
#include "wall/wall_impl.h"

#define NOTICE_US (4 * 1000000)
#define ZOOM_MAX  8.0

const char *operator_source_name(enum op_source source)
{
    static const char *const names[] = {
        [OP_KEYBOARD] = "keyboard", [OP_JOYSTICK] = "joystick", [OP_SOCKET] = "socket",
        [OP_TOUR] = "tour",         [OP_ALARM] = "alarm",       [OP_RELOAD] = "reload",
    };
    return names[source];
}

static bool refuse(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return false;
}

static void audit_tile(struct wall *wall, enum op_source source, const char *action,
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
    audit_write(wall->audit, operator_source_name(source), action, details);
}

static const struct layout_zone *zone_of(const struct wall *wall, const struct screen *s)
{
    int z = s->config->zone;
    return z >= 0 && z < wall->layout->n_zones ? &wall->layout->zones[z] : NULL;
}

/* The zone rule, whoever asks: what the zone admits, and only active cameras. */
static bool admitted(const struct wall *wall, const struct screen *s,
                     const struct layout_camera *camera, char *why, size_t size)
{
    const struct layout_zone *zone = zone_of(wall, s);
    if (camera->status != LAYOUT_STATUS_ACTIVE) {
        return refuse(why, size, "camera %d is %s", camera->number,
                      camera->status == LAYOUT_STATUS_SUSPENDED ? "suspended" : "removed");
    }
    if (zone && !layout_zone_admits(zone, camera)) {
        return refuse(why, size, "camera %d (%s) is not allowed on output %s (zone %s)",
                      camera->number, layout_programme_name(camera->programme), s->config->id,
                      zone->id);
    }
    return true;
}

static bool check_target(struct wall *wall, int output, int tile, char *why, size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return refuse(why, size, "no output %d", output + 1);
    }
    if (tile < 0 || tile >= wall->screens[output].n_tiles) {
        return refuse(why, size, "output %s has no tile %d", wall->screens[output].config->id,
                      tile + 1);
    }
    return true;
}

bool operator_put(struct wall *wall, enum op_source source, int output, int tile, int number,
                  char *why, size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = &wall->screens[output];
    int index = -1;
    if (number != 0) {
        const struct layout_camera *camera = layout_find_camera(wall->layout, number);
        if (!camera) {
            return refuse(why, size, "no camera %d", number);
        }
        if (!admitted(wall, s, camera, why, size)) {
            return false;
        }
        index = (int)(camera - wall->layout->cameras);
    }
    s->live[tile] = (struct tile_live){.camera = index, .tour = -1, .shown = -1};
    if (tile == s->selected) {
        s->zoom = (struct zoom){0};
    }
    tile_view_finish(&s->views[tile]);
    audit_tile(wall, source, number ? "put" : "clear", s, tile, index, NULL);
    return true;
}

bool operator_page(struct wall *wall, enum op_source source, int output, int page, char *why,
                   size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return refuse(why, size, "no output %d", output + 1);
    }
    struct screen *s = &wall->screens[output];
    if (page < 0 || page >= s->config->n_pages) {
        return refuse(why, size, "output %s has pages 1 to %d", s->config->id, s->config->n_pages);
    }
    if (!screen_set_page(s, page, av_gettime_relative())) {
        return refuse(why, size, "out of memory");
    }
    char extra[32];
    snprintf(extra, sizeof(extra), "page=%d", page + 1);
    audit_tile(wall, source, "page", s, -1, -1, extra);
    return true;
}

bool operator_maximize(struct wall *wall, enum op_source source, int output, int tile, char *why,
                       size_t size)
{
    if (tile >= 0 && !check_target(wall, output, tile, why, size)) {
        return false;
    }
    if (output < 0 || output >= wall->n_screens) {
        return refuse(why, size, "no output %d", output + 1);
    }
    struct screen *s = &wall->screens[output];
    screen_maximize(s, tile);
    if (tile >= 0) {
        s->selected = tile;
    }
    audit_tile(wall, source, tile >= 0 ? "maximize" : "restore", s, tile,
               tile >= 0 ? s->live[tile].camera : -1, NULL);
    return true;
}

bool operator_tour(struct wall *wall, enum op_source source, int output, int tile, int tour,
                   char *why, size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = &wall->screens[output];
    if (tour >= wall->layout->n_tours) {
        return refuse(why, size, "no tour %d", tour + 1);
    }
    if (tour >= 0) {
        const struct layout_tour *t = &wall->layout->tours[tour];
        for (int i = 0; i < t->n_cameras; i++) {
            if (!admitted(wall, s, &wall->layout->cameras[t->cameras[i]], why, size)) {
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
    audit_tile(wall, source, tour >= 0 ? "tour-start" : "tour-stop", s, tile, -1,
               extra[0] ? extra + 1 : NULL);
    return true;
}

bool operator_pause(struct wall *wall, enum op_source source, int output, int tile, char *why,
                    size_t size)
{
    if (!check_target(wall, output, tile, why, size)) {
        return false;
    }
    struct screen *s = &wall->screens[output];
    struct tile_live *live = &s->live[tile];
    if (live->tour < 0) {
        return refuse(why, size, "no tour runs in tile %d", tile + 1);
    }
    int64_t now = av_gettime_relative();
    if (live->paused_at) {
        live->tour_start += now - live->paused_at; /* the pause does not count */
        live->paused_at = 0;
    } else {
        live->paused_at = now;
    }
    audit_tile(wall, source, live->paused_at ? "tour-pause" : "tour-resume", s, tile, -1, NULL);
    return true;
}

bool operator_alarm(struct wall *wall, enum op_source source, int number, int output,
                    double seconds, char *why, size_t size)
{
    if (output < 0 || output >= wall->n_screens) {
        return refuse(why, size, "no output %d", output + 1);
    }
    const struct layout_camera *camera = layout_find_camera(wall->layout, number);
    if (!camera) {
        return refuse(why, size, "no camera %d", number);
    }
    struct screen *s = &wall->screens[output];
    if (!admitted(wall, s, camera, why, size)) {
        return false;
    }
    if (seconds < 1 || seconds > 3600) {
        return refuse(why, size, "alarm time must be 1 to 3600 seconds");
    }
    int index = (int)(camera - wall->layout->cameras);
    if (!screen_push_alarm(s, index, (int64_t)(seconds * 1e6))) {
        return refuse(why, size, "output %s has %d alarms queued already", s->config->id,
                      SCREEN_MAX_ALARMS);
    }
    char extra[32];
    snprintf(extra, sizeof(extra), "seconds=%g", seconds);
    audit_tile(wall, source, "alarm", s, -1, index, extra);
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
    return &wall->screens[wall->selected_output];
}

static void clamp_zoom(struct zoom *z)
{
    z->factor = z->factor < 1.0 ? 1.0 : z->factor > ZOOM_MAX ? ZOOM_MAX : z->factor;
    double half = 0.5 / z->factor;
    z->cx = z->cx < half ? half : z->cx > 1.0 - half ? 1.0 - half : z->cx;
    z->cy = z->cy < half ? half : z->cy > 1.0 - half ? 1.0 - half : z->cy;
}

static bool select_move(struct wall *wall, const struct op_request *req)
{
    struct screen *s = selected_screen(wall);
    int dx = req->dx > 0 ? 1 : req->dx < 0 ? -1 : 0;
    int dy = req->dy > 0 ? 1 : req->dy < 0 ? -1 : 0;
    int next = neighbour(s, dx, dy);
    if (next != s->selected) {
        s->selected = next;
        s->zoom = (struct zoom){0};
        if (s->maximized >= 0) {
            screen_maximize(s, next);
        }
    }
    return true;
}

static bool select_output(struct wall *wall, const struct op_request *req, char *why, size_t size)
{
    int n = wall->n_screens;
    int next = req->relative ? ((wall->selected_output + req->value) % n + n) % n : req->value;
    if (next < 0 || next >= n) {
        return refuse(why, size, "no monitor %d (1 to %d)", next + 1, n);
    }
    wall->selected_output = next;
    return true;
}

static bool zoom(struct wall *wall, const struct op_request *req, char *why, size_t size)
{
    struct zoom *z = &selected_screen(wall)->zoom;
    switch (req->kind) {
    case OP_ZOOM_TOGGLE:
        *z = z->active ? (struct zoom){0}
                       : (struct zoom){.active = true, .factor = 2.0, .cx = 0.5, .cy = 0.5};
        return true;
    case OP_ZOOM:
        if (!z->active) {
            return refuse(why, size, "not in zoom mode (press Z)");
        }
        z->factor *= req->amount > 0 ? req->amount : 1.0;
        break;
    default:
        if (!z->active) {
            return refuse(why, size, "not in zoom mode (press Z)");
        }
        z->cx += req->dx / z->factor;
        z->cy += req->dy / z->factor;
        break;
    }
    clamp_zoom(z);
    return true;
}

bool operator_apply(struct wall *wall, enum op_source source, const struct op_request *req,
                    char *why, size_t size)
{
    why[0] = '\0';
    struct screen *s = selected_screen(wall);
    int out = wall->selected_output;
    switch (req->kind) {
    case OP_SELECT_MOVE:
        return select_move(wall, req);
    case OP_SELECT_OUTPUT:
        return select_output(wall, req, why, size);
    case OP_SELECT_TILE:
        if (req->value < 0 || req->value >= s->n_tiles) {
            return refuse(why, size, "no tile %d", req->value + 1);
        }
        s->selected = req->value;
        s->zoom = (struct zoom){0};
        return true;
    case OP_PUT_CAMERA:
        return operator_put(wall, source, out, s->selected, req->value, why, size);
    case OP_MAXIMIZE_TOGGLE:
        return operator_maximize(wall, source, out, s->maximized >= 0 ? -1 : s->selected, why,
                                 size);
    case OP_PAGE: {
        int n = s->config->n_pages;
        int page = req->relative ? ((s->page + req->value) % n + n) % n : req->value;
        return operator_page(wall, source, out, page, why, size);
    }
    case OP_TOUR_TOGGLE: {
        const struct tile_live *live = &s->live[s->selected];
        int page_tour = s->config->pages[s->page].tiles[s->selected].tour;
        int tour = req->value > 0 ? req->value - 1 : live->tour >= 0 ? -1 : page_tour;
        if (req->value == 0 && live->tour < 0 && tour < 0) {
            return refuse(why, size, "no tour for this tile: dial a tour number, then T");
        }
        return operator_tour(wall, source, out, s->selected, tour, why, size);
    }
    case OP_TOUR_PAUSE:
        return operator_pause(wall, source, out, s->selected, why, size);
    case OP_SNAPSHOT:
        return operator_snapshot_tile(wall, source, out, s->selected, why, size);
    case OP_ZOOM_TOGGLE:
    case OP_ZOOM:
    case OP_PAN:
        return zoom(wall, req, why, size);
    }
    return refuse(why, size, "unknown request");
}

void operator_note_automatic(struct wall *wall, struct screen *s, int64_t now)
{
    const struct alarm *a = screen_alarm_shown(s);
    if (a && a->until != s->alarm_audited) {
        audit_tile(wall, OP_ALARM, "alarm-show", s, -1, a->camera, NULL);
        s->alarm_audited = a->until;
    } else if (!a && s->alarm_audited) {
        audit_tile(wall, OP_ALARM, "alarm-end", s, -1, -1, NULL);
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
                audit_tile(wall, OP_TOUR, "tour-step", s, t, camera, NULL);
            }
            live->shown = camera;
        }
    }
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

bool operator_zooming(const struct wall *wall)
{
    return wall->screens[wall->selected_output].zoom.active;
}
