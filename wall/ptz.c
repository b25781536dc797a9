#include "wall/ptz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/json.h"
#include "common/log.h"
#include "ptz/control.h"

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_settings(const struct layout_ptz *a, const struct layout_ptz *b)
{
    return same_text(a->onvif, b->onvif) && same_text(a->profile, b->profile) &&
           same_text(a->username, b->username) && same_text(a->password, b->password);
}

static void free_settings(struct layout_ptz *p)
{
    free(p->onvif);
    free(p->profile);
    free(p->username);
    free(p->password);
    *p = (struct layout_ptz){0};
}

static bool copy_text(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst;
}

static bool copy_settings(struct layout_ptz *dst, const struct layout_ptz *src)
{
    *dst = (struct layout_ptz){.locked = src->locked};
    if (copy_text(&dst->onvif, src->onvif) && copy_text(&dst->profile, src->profile) &&
        copy_text(&dst->username, src->username) && copy_text(&dst->password, src->password)) {
        return true;
    }
    free_settings(dst);
    return false;
}

static void set_times(struct ptz_set *set, const struct layout_wall *layout)
{
    set->timeout = layout->ptz.timeout > 0 ? layout->ptz.timeout : 2.0;
    set->move_timeout = layout->ptz.move_timeout > 0 ? layout->ptz.move_timeout : 5.0;
}

void ptz_set_init(struct ptz_set *set, const struct layout_wall *layout)
{
    *set = (struct ptz_set){.steering = {.link = -1}};
    set_times(set, layout);
}

static void end_link(struct ptz_link *l)
{
    ptz_control_destroy(l->control); /* a last Stop when it may move */
    free_settings(&l->settings);
}

void ptz_set_finish(struct ptz_set *set)
{
    for (int i = 0; i < set->n; i++) {
        end_link(&set->links[i]);
    }
    free(set->links);
    *set = (struct ptz_set){.steering = {.link = -1}};
}

void ptz_set_relayout(struct ptz_set *set, const struct layout_wall *layout)
{
    ptz_halt(set);
    set->steering = (struct ptz_steering){.link = -1};
    double timeout = set->timeout, move_timeout = set->move_timeout;
    set_times(set, layout);
    bool same_times = timeout == set->timeout && move_timeout == set->move_timeout;
    int kept = 0;
    for (int i = 0; i < set->n; i++) {
        struct ptz_link *l = &set->links[i];
        const struct layout_camera *c = layout_find_camera(layout, l->number);
        if (same_times && c && c->ptz && same_settings(c->ptz, &l->settings)) {
            set->links[kept++] = *l;
        } else {
            end_link(l);
        }
    }
    set->n = kept;
}

static int find_link(const struct ptz_set *set, int number)
{
    for (int i = 0; i < set->n; i++) {
        if (set->links[i].number == number) {
            return i;
        }
    }
    return -1;
}

/* The link of camera `c`, made on first use; -1 when out of memory. */
static int link_of(struct ptz_set *set, const struct layout_camera *c)
{
    int i = find_link(set, c->number);
    if (i >= 0) {
        return i;
    }
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 8;
        struct ptz_link *links = realloc(set->links, (size_t)cap * sizeof(*links));
        if (!links) {
            return -1;
        }
        set->links = links;
        set->cap = cap;
    }
    struct ptz_link *l = &set->links[set->n];
    *l = (struct ptz_link){.number = c->number};
    if (!copy_settings(&l->settings, c->ptz)) {
        return -1;
    }
    struct onvif_settings settings = {
        .device_url = l->settings.onvif,
        .profile = l->settings.profile,
        .username = l->settings.username,
        .password = l->settings.password,
        .timeout_ms = (long)(set->timeout * 1000),
        .move_timeout_ms = (long)(set->move_timeout * 1000),
    };
    char label[32];
    snprintf(label, sizeof(label), M_("camera %d"), c->number); /* the log's component */
    l->control = ptz_control_start(&settings, label);
    if (!l->control) {
        free_settings(&l->settings);
        return -1;
    }
    return set->n++;
}

/* The link for a request on camera `c`, or -1 with why. */
static int usable_link(struct ptz_set *set, const struct layout_camera *c, char *why, size_t size)
{
    int i = link_of(set, c);
    if (i < 0) {
        snprintf(why, size, _("camera %d: PTZ unavailable (out of memory)"), c->number);
        return -1;
    }
    return i;
}

static void refused(const struct ptz_link *l, char *why, size_t size)
{
    snprintf(why, size, _("camera %d: PTZ unavailable (%s)"), l->number,
             l->why[0] ? l->why : _("no answer yet"));
}

bool ptz_move(struct ptz_set *set, const struct layout_camera *c, int output, int page, int tile,
              double pan, double tilt, double zoom, int64_t now, char *why, size_t size)
{
    struct ptz_steering *st = &set->steering;
    bool stopping = pan == 0.0 && tilt == 0.0 && zoom == 0.0;
    int i = find_link(set, c->number);
    if (stopping && i < 0) {
        return true; /* never moved: nothing to stop */
    }
    if (st->link >= 0 && st->link != i) {
        ptz_halt(set); /* another camera: it stops first */
    }
    if (i < 0 && (i = usable_link(set, c, why, size)) < 0) {
        return false;
    }
    struct ptz_link *l = &set->links[i];
    bool ok =
        stopping ? ptz_control_stop(l->control) : ptz_control_move(l->control, pan, tilt, zoom);
    if (!ok) {
        refused(l, why, size);
        return false;
    }
    *st = (struct ptz_steering){
        .link = stopping ? -1 : i,
        .camera = c->number,
        .output = output,
        .page = page,
        .tile = tile,
        .pan = pan,
        .tilt = tilt,
        .zoom = zoom,
        .badge_until = now + PTZ_BADGE_AFTER_US,
    };
    return true;
}

bool ptz_preset(struct ptz_set *set, const struct layout_camera *c, int output, int page, int tile,
                int number, int64_t now, char *why, size_t size)
{
    int i = find_link(set, c->number);
    if (set->steering.link >= 0 && set->steering.link != i) {
        ptz_halt(set);
    }
    if (i < 0 && (i = usable_link(set, c, why, size)) < 0) {
        return false;
    }
    struct ptz_link *l = &set->links[i];
    if (!ptz_control_preset(l->control, number)) {
        refused(l, why, size);
        return false;
    }
    set->steering = (struct ptz_steering){
        .link = -1,
        .camera = c->number,
        .output = output,
        .page = page,
        .tile = tile,
        .badge_until = now + PTZ_BADGE_AFTER_US,
    };
    return true;
}

int ptz_halt(struct ptz_set *set)
{
    struct ptz_steering *st = &set->steering;
    if (st->link < 0) {
        return 0;
    }
    struct ptz_link *l = &set->links[st->link];
    ptz_control_stop(l->control);
    st->link = -1;
    st->pan = st->tilt = st->zoom = 0.0;
    return l->number;
}

bool ptz_unavailable(const struct ptz_set *set, int number)
{
    int i = find_link(set, number);
    return i >= 0 && set->links[i].unavailable;
}

int ptz_poll(struct ptz_set *set, struct ptz_news *news, int max)
{
    int n = 0;
    for (int i = 0; i < set->n; i++) {
        struct ptz_link *l = &set->links[i];
        struct ptz_status status;
        ptz_control_status(l->control, &status);
        if (status.generation == l->generation) {
            continue;
        }
        l->generation = status.generation;
        bool unavailable = status.availability == PTZ_UNAVAILABLE;
        snprintf(l->why, sizeof(l->why), "%s", status.why);
        if (unavailable == l->unavailable) {
            continue;
        }
        l->unavailable = unavailable;
        if (unavailable && set->steering.link == i) {
            set->steering.link = -1; /* nothing moves it now */
        }
        if (n < max) {
            news[n] = (struct ptz_news){.camera = l->number, .unavailable = unavailable};
            snprintf(news[n].why, sizeof(news[n].why), "%s", l->why);
            n++;
        }
    }
    return n;
}

const char *ptz_badge(const struct ptz_set *set, int output, int tile, int number, int64_t now,
                      uint32_t *colour)
{
    if (ptz_unavailable(set, number)) {
        *colour = PTZ_UNAVAILABLE_COLOUR;
        return O_("PTZ UNAVAILABLE");
    }
    const struct ptz_steering *st = &set->steering;
    bool steered = st->camera == number && st->output == output && st->tile == tile;
    if (steered && (st->link >= 0 || now < st->badge_until)) {
        *colour = PTZ_BADGE_COLOUR;
        return O_("PTZ");
    }
    return NULL;
}

void ptz_write_stats(const struct ptz_set *set, struct json *j)
{
    static const char *const states[] = {"unknown", "available", "unavailable"};
    json_key(j, "ptz");
    json_begin_array(j);
    for (int i = 0; i < set->n; i++) {
        const struct ptz_link *l = &set->links[i];
        struct ptz_status status;
        ptz_control_status(l->control, &status);
        json_begin_object(j);
        json_field_int(j, "camera", l->number);
        json_field_string(j, "state", states[status.availability]);
        json_field_string(j, "why", status.why);
        json_field_uint(j, "moves", status.moves);
        json_field_uint(j, "stops", status.stops);
        json_field_uint(j, "presets", status.presets);
        json_field_bool(j, "steered", set->steering.link == i);
        json_end_object(j);
    }
    json_end_array(j);
}
