/* PTZ requests (OP_PTZ_MOVE, OP_PTZ_PRESET): who may steer which dome,
 * checked here; the moves themselves are wall/ptz.h's. Audited at each
 * start, stop and preset, not at every change of speed. */
#include <libavutil/time.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wall/operator_impl.h"

/* The station an operator request comes from: the sender of a station
 * command, else this workstation's; NULL without stations. */
static const char *origin_station(const struct wall *wall, enum op_source source)
{
    return source == OP_STATION ? wall->op_from : wall->options->station;
}

static bool station_may_steer(const struct wall *wall, enum op_source source)
{
    const struct layout_wall *layout = wall->layout;
    if (!layout->ptz.stations) {
        return true;
    }
    const char *name = origin_station(wall, source);
    for (int i = 0; name && i < layout->n_stations; i++) {
        if (strcmp(layout->stations[i].name, name) == 0) {
            return layout->ptz.stations[i];
        }
    }
    return false;
}

/* The dome tile `tile` of screen `out` shows, when it may be steered from
 * there; NULL with the reason in `why`. */
static const struct layout_camera *steerable(const struct wall *wall, enum op_source source,
                                             int out, int tile, char *why, size_t size)
{
    const struct screen *s = &wall->screens[out];
    int index = screen_shown_camera(s, wall->layout, tile, av_gettime_relative(), NULL);
    if (index < 0) {
        operator_refuse(why, size, "no camera in tile %d of %s", tile + 1, s->config->id);
        return NULL;
    }
    const struct layout_camera *c = &wall->layout->cameras[index];
    const struct layout_ptz_rules *rules = &wall->layout->ptz;
    if (!c->ptz) {
        operator_refuse(why, size, "camera %d has no PTZ (Z zooms digitally)", c->number);
    } else if (c->ptz->locked) {
        operator_refuse(why, size, "camera %d is PTZ-locked", c->number);
    } else if (rules->zones && !rules->zones[s->config->zone]) {
        operator_refuse(why, size, "PTZ is not steered from zone %s",
                        wall->layout->zones[s->config->zone].id);
    } else if (!station_may_steer(wall, source)) {
        const char *name = origin_station(wall, source);
        operator_refuse(why, size, "station %s may not steer PTZ", name ? name : _("(none)"));
    } else {
        return c;
    }
    return NULL;
}

static double clamp_speed(double v)
{
    return !(v == v) ? 0.0 : v < -1.0 ? -1.0 : v > 1.0 ? 1.0 : v; /* NaN: 0 */
}

bool operator_ptz(struct wall *wall, enum op_source source, int out, int tile,
                  const struct op_request *req, char *why, size_t size)
{
    const struct layout_camera *c = steerable(wall, source, out, tile, why, size);
    if (!c) {
        return false;
    }
    const struct screen *s = &wall->screens[out];
    int index = (int)(c - wall->layout->cameras);
    int64_t now = av_gettime_relative();
    char extra[96];
    if (req->kind == OP_PTZ_PRESET) {
        if (req->value < 1 || req->value > 999) {
            return operator_refuse(why, size, "presets are 1 to 999 (got %d)", req->value);
        }
        if (!ptz_preset(&wall->ptz, c, out, s->page, tile, req->value, now, why, size)) {
            return false;
        }
        snprintf(extra, sizeof(extra), "preset=%d", req->value);
        operator_audit_tile(wall, source, "ptz-preset", s, tile, index, extra);
        return true;
    }
    double pan = clamp_speed(req->dx), tilt = clamp_speed(req->dy),
           zoom = clamp_speed(req->amount);
    const struct ptz_steering *st = &wall->ptz.steering;
    bool was_moving = st->link >= 0 && st->camera == c->number;
    if (!ptz_move(&wall->ptz, c, out, s->page, tile, pan, tilt, zoom, now, why, size)) {
        return false;
    }
    bool moving = st->link >= 0;
    if (moving) {
        wall->ptz.steering.source = (int)source;
    }
    if (moving && !was_moving) {
        snprintf(extra, sizeof(extra), "pan=%.2f tilt=%.2f zoom=%.2f", pan, tilt, zoom);
        operator_audit_tile(wall, source, "ptz-move", s, tile, index, extra);
    } else if (!moving && was_moving) {
        operator_audit_tile(wall, source, "ptz-stop", s, tile, index, NULL);
    }
    return true;
}

bool operator_ptz_steerable(const struct wall *wall)
{
    char why[160];
    const struct screen *s = &wall->screens[wall->selected_output];
    if (!station_drives(wall->station, wall->selected_output)) {
        return false;
    }
    const struct layout_camera *c =
        steerable(wall, OP_JOYSTICK, wall->selected_output, s->selected, why, sizeof(why));
    return c && !ptz_unavailable(&wall->ptz, c->number);
}

void operator_ptz_halt(struct wall *wall, const char *reason)
{
    struct ptz_steering st = wall->ptz.steering;
    int number = ptz_halt(&wall->ptz);
    if (number == 0 || st.output < 0 || st.output >= wall->n_screens) {
        return;
    }
    const struct layout_camera *c = layout_find_camera(wall->layout, number);
    char extra[64];
    snprintf(extra, sizeof(extra), "reason=%s", reason);
    operator_audit_tile(wall, (enum op_source)st.source, "ptz-stop", &wall->screens[st.output],
                        st.tile, c ? (int)(c - wall->layout->cameras) : -1, extra);
}

/* Whether moves from `source` follow the selection (the stick steers the
 * selected tile); the socket and other stations name their tile. */
static bool follows_selection(int source)
{
    return source != OP_SOCKET && source != OP_STATION;
}

/* Once a frame: the dome steered stops when its tile shows another page or
 * camera, or, steered by the operator's own hands, when it is not the
 * tile selected any more; what became unavailable is said once. */
void operator_ptz_tick(struct wall *wall, int64_t now)
{
    const struct ptz_steering *st = &wall->ptz.steering;
    if (st->link >= 0) {
        const struct screen *s = &wall->screens[st->output];
        int index = screen_shown_camera(s, wall->layout, st->tile, now, NULL);
        bool shown =
            st->page == s->page && index >= 0 && wall->layout->cameras[index].number == st->camera;
        bool selected = st->output == wall->selected_output && st->tile == s->selected;
        if (!shown) {
            operator_ptz_halt(wall, M_("tile changed")); /* audit words */
        } else if (!selected && follows_selection(st->source)) {
            operator_ptz_halt(wall, "deselected");
        }
    }
    struct ptz_news news[8];
    int n = ptz_poll(&wall->ptz, news, 8);
    for (int i = 0; i < n; i++) {
        /* The worker logged it; the operator is told here. */
        if (news[i].unavailable) {
            char text[224];
            snprintf(text, sizeof(text), O_("camera %d: PTZ unavailable (%s)"), news[i].camera,
                     news[i].why);
            operator_notify(wall, text);
        }
    }
}
