/* Encoding: the messages a station writes, checked against the same rules
 * as the decoder reads them with (messages_impl.h). */
#include "wall/messages.h"
#include "wall/messages_impl.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void msg_format_time(time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        if (size > 0) {
            buf[0] = '\0';
        }
    }
}

/* Prints and frees obj; `ok` false (a cJSON_Add* failed) or a failed print
 * is out of memory. */
static char *print(cJSON *obj, bool ok, char *err, size_t size)
{
    char *text = ok && obj ? cJSON_PrintUnformatted(obj) : NULL;
    cJSON_Delete(obj);
    if (!text) {
        msg_fail(err, size, _("out of memory"));
    }
    return text;
}

static bool check_name(const char *key, const char *value, char *err, size_t size)
{
    return msg_name_valid(value) ||
           msg_fail(err, size, _("\"%s\" must be %s"), key, _(msg_name_rule));
}

static bool check_int(const char *key, long long v, long long lo, long long hi, char *err,
                      size_t size)
{
    return (v >= lo && v <= hi) ||
           msg_fail(err, size, _("\"%s\" must be an integer from %lld to %lld"), key, lo, hi);
}

/* cJSON prints numbers past 15 significant digits rounded: seq is written
 * as raw text. */
static bool add_seq(cJSON *obj, long long seq)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", seq);
    return cJSON_AddRawToObject(obj, "seq", text) != NULL;
}

char *msg_encode_online(const struct msg_online *m, char *err, size_t size)
{
    if (!check_name("station", m->station, err, size)) {
        return NULL;
    }
    if (m->since[0] && !msg_text_valid(m->since, MSG_TIME_MAX)) {
        msg_fail(err, size, _("\"since\" must be text of 1 to 32 bytes"));
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddBoolToObject(o, "online", m->online) &&
              cJSON_AddStringToObject(o, "station", m->station) &&
              (!m->since[0] || cJSON_AddStringToObject(o, "since", m->since));
    return print(o, ok, err, size);
}

static bool check_state(const struct msg_state *m, char *err, size_t size)
{
    if (!check_name("output", m->output, err, size) ||
        !check_name("station", m->station, err, size) ||
        !check_int("page", m->page, 1, MSG_PAGE_MAX, err, size) ||
        !check_int("maximized", m->maximized, 0, MSG_TILES_MAX, err, size) ||
        !check_int("selected", m->selected, 0, MSG_TILES_MAX, err, size) ||
        !check_int("seq", m->seq, 0, MSG_SEQ_MAX, err, size)) {
        return false;
    }
    if (m->n_tiles < 0 || m->n_tiles > MSG_TILES_MAX || (m->n_tiles > 0 && !m->tiles)) {
        return msg_fail(err, size, _("\"tiles\" must hold 0 to %d tiles"), MSG_TILES_MAX);
    }
    unsigned char seen[MSG_TILES_MAX + 1] = {0};
    for (int i = 0; i < m->n_tiles; i++) {
        const struct msg_tile *t = &m->tiles[i];
        if (!check_int("tile", t->tile, 1, MSG_TILES_MAX, err, size) ||
            !check_int("camera", t->camera, 0, MSG_CAMERA_MAX, err, size) ||
            (t->tour[0] && !check_name("tour", t->tour, err, size))) {
            return false;
        }
        if (seen[t->tile]++) {
            return msg_fail(err, size, _("tile %d appears twice in \"tiles\""), t->tile);
        }
    }
    return true;
}

static bool add_name_or_null(cJSON *obj, const char *key, const char *name)
{
    return name[0] ? cJSON_AddStringToObject(obj, key, name) != NULL
                   : cJSON_AddNullToObject(obj, key) != NULL;
}

char *msg_encode_state(const struct msg_state *m, char *err, size_t size)
{
    if (!check_state(m, err, size)) {
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "output", m->output) &&
              cJSON_AddStringToObject(o, "station", m->station) &&
              cJSON_AddNumberToObject(o, "page", m->page) &&
              cJSON_AddNumberToObject(o, "maximized", m->maximized) &&
              cJSON_AddNumberToObject(o, "selected", m->selected);
    cJSON *tiles = ok ? cJSON_AddArrayToObject(o, "tiles") : NULL;
    ok = ok && tiles;
    for (int i = 0; ok && i < m->n_tiles; i++) {
        cJSON *t = cJSON_CreateObject();
        ok = t && cJSON_AddNumberToObject(t, "tile", m->tiles[i].tile) &&
             cJSON_AddNumberToObject(t, "camera", m->tiles[i].camera) &&
             add_name_or_null(t, "tour", m->tiles[i].tour) && cJSON_AddItemToArray(tiles, t);
        if (!ok) {
            cJSON_Delete(t); /* not in the array: nobody else frees it */
        }
    }
    ok = ok && add_seq(o, m->seq);
    return print(o, ok, err, size);
}

static bool check_command(const struct msg_command *m, char *err, size_t size)
{
    if (!msg_id_valid(m->id)) {
        return msg_fail(err, size, _("\"id\" must be %s"), _(msg_id_rule));
    }
    if (!check_name("from", m->from, err, size) ||
        !check_int("seq", m->seq, 0, MSG_SEQ_MAX, err, size)) {
        return false;
    }
    if (!msg_action_name(m->action)) {
        return msg_fail(err, size, _("\"action\" must be %s"), _(msg_action_rule));
    }
    int uses = msg_action_uses[m->action];
    int camera_min = msg_camera_min(m->action);
    return check_name("output", m->output, err, size) &&
           (!(uses & MSG_USES_TILE) || check_int("tile", m->tile, 1, MSG_TILES_MAX, err, size)) &&
           (!(uses & MSG_USES_CAMERA) ||
            check_int("camera", m->camera, camera_min, MSG_CAMERA_MAX, err, size)) &&
           (!(uses & MSG_USES_PAGE) || check_int("page", m->page, 1, MSG_PAGE_MAX, err, size)) &&
           (!(uses & MSG_USES_SECONDS) ||
            check_int("seconds", m->seconds, 1, MSG_SECONDS_MAX, err, size)) &&
           (!(uses & MSG_USES_TOUR) || !m->tour[0] || check_name("tour", m->tour, err, size));
}

char *msg_encode_command(const struct msg_command *m, char *err, size_t size)
{
    if (!check_command(m, err, size)) {
        return NULL;
    }
    int uses = msg_action_uses[m->action];
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "id", m->id) &&
              cJSON_AddStringToObject(o, "from", m->from) && add_seq(o, m->seq) &&
              cJSON_AddStringToObject(o, "action", msg_action_name(m->action)) &&
              cJSON_AddStringToObject(o, "output", m->output) &&
              (!(uses & MSG_USES_TILE) || cJSON_AddNumberToObject(o, "tile", m->tile)) &&
              (!(uses & MSG_USES_CAMERA) || cJSON_AddNumberToObject(o, "camera", m->camera)) &&
              (!(uses & MSG_USES_PAGE) || cJSON_AddNumberToObject(o, "page", m->page)) &&
              (!(uses & MSG_USES_TOUR) || add_name_or_null(o, "tour", m->tour)) &&
              (!(uses & MSG_USES_SECONDS) || cJSON_AddNumberToObject(o, "seconds", m->seconds));
    return print(o, ok, err, size);
}

char *msg_encode_ack(const struct msg_ack *m, char *err, size_t size)
{
    if (!msg_id_valid(m->id)) {
        msg_fail(err, size, _("\"id\" must be %s"), _(msg_id_rule));
        return NULL;
    }
    if (!check_name("to", m->to, err, size)) {
        return NULL;
    }
    if (!m->ok && !msg_text_valid(m->reason, MSG_REASON_MAX)) {
        msg_fail(err, size, _("\"reason\" must be text of 1 to 256 bytes on one line"));
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "id", m->id) &&
              cJSON_AddStringToObject(o, "to", m->to) && cJSON_AddBoolToObject(o, "ok", m->ok) &&
              (m->ok || cJSON_AddStringToObject(o, "reason", m->reason));
    return print(o, ok, err, size);
}
