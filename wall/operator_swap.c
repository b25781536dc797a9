/* OP_SWAP: two tiles, on one output or two, exchange what they show (a
 * camera or a tour), as an operator drags one tile onto another. The zone
 * rule is the one every placement follows: each side must be admitted by
 * the zone of the output it lands on, or nothing changes. */
#include <stdio.h>
#include <string.h>

#include "wall/operator_impl.h"

/* Whether `dst`'s zone admits what `live` shows: its camera, or every
 * camera of its tour. */
static bool admits(const struct wall *wall, const struct screen *dst, const struct tile_live *live,
                   char *why, size_t size)
{
    const struct layout_camera *cameras = wall->layout->cameras;
    if (live->tour >= 0) {
        const struct layout_tour *t = &wall->layout->tours[live->tour];
        for (int i = 0; i < t->n_cameras; i++) {
            if (!operator_admitted(wall, dst, &cameras[t->cameras[i]], why, size)) {
                return false;
            }
        }
        return true;
    }
    return live->camera < 0 || operator_admitted(wall, dst, &cameras[live->camera], why, size);
}

/* " key=value" pairs of what `live` shows, each key after `prefix`:
 * camera and name, or tour; nothing for an empty tile. */
static void describe(const struct wall *wall, const struct tile_live *live, const char *prefix,
                     char *buf, size_t size)
{
    char key[32];
    size_t len = strlen(buf);
    if (live->tour >= 0) {
        snprintf(key, sizeof(key), "%stour", prefix);
        audit_quote(buf, size, key, wall->layout->tours[live->tour].name);
    } else if (live->camera >= 0) {
        const struct layout_camera *c = &wall->layout->cameras[live->camera];
        snprintf(buf + len, size - len, " %scamera=%d", prefix, c->number);
        snprintf(key, sizeof(key), "%sname", prefix);
        audit_quote(buf, size, key, c->name);
    }
}

/* After its camera changed, a tile starts unzoomed (as after a put) and
 * its text is rendered again. */
static void changed(struct screen *s, int tile)
{
    if (tile == s->selected) {
        s->zoom = (struct zoom){0};
    }
    tile_view_finish(&s->look->views[tile]);
}

bool operator_swap(struct wall *wall, enum op_source source, int out, int tile,
                   const struct op_request *req, char *why, size_t size)
{
    int other_out = req->with_output > 0 ? req->with_output - 1 : wall->selected_output;
    if (other_out < 0 || other_out >= wall->n_screens) {
        return operator_refuse(why, size, "no output %d", other_out + 1);
    }
    struct screen *a = screen_of(wall, out), *b = screen_of(wall, other_out);
    int other = req->with_tile > 0 ? req->with_tile - 1 : b->selected;
    if (other < 0 || other >= b->n_tiles) {
        return operator_refuse(why, size, "output %s has no tile %d", b->config->id, other + 1);
    }
    if (!station_drives(wall->station, other_out)) {
        return operator_refuse(why, size, "output %s is driven by station %s: do that there",
                               b->config->id, station_driver_name(wall->station, other_out));
    }
    if (a == b && tile == other) {
        return operator_refuse(why, size, "tile %d of output %s is the same tile", tile + 1,
                               a->config->id);
    }
    struct tile_live *la = &a->live[tile], *lb = &b->live[other];
    if (!admits(wall, b, la, why, size) || !admits(wall, a, lb, why, size)) {
        return false;
    }
    struct tile_live held = *la;
    *la = *lb;
    *lb = held;
    changed(a, tile);
    changed(b, other);

    char extra[1024];
    snprintf(extra, sizeof(extra), "with_output=%s with_tile=%d", b->config->id, other + 1);
    describe(wall, lb, "with_", extra, sizeof(extra));
    char tour[320] = "";
    if (la->tour >= 0) {
        describe(wall, la, "", tour, sizeof(tour));
    }
    size_t len = strlen(extra);
    snprintf(extra + len, sizeof(extra) - len, "%s", tour);
    operator_audit_tile(wall, source, "swap", a, tile, la->tour >= 0 ? -1 : la->camera, extra);
    return true;
}
