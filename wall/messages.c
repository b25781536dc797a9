#include "wall/messages.h"
#include "wall/messages_impl.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys one object may hold: bounds the duplicate-key check on a hostile
 * payload (64 KiB of "a":0 pairs would be 8,000 keys). */
#define OBJECT_KEYS_MAX 64

static const char *const action_names[MSG_N_ACTIONS] = {
    [MSG_ACTION_PUT] = "put",           [MSG_ACTION_PAGE] = "page",
    [MSG_ACTION_MAXIMIZE] = "maximize", [MSG_ACTION_RESTORE] = "restore",
    [MSG_ACTION_SELECT] = "select",     [MSG_ACTION_TOUR] = "tour",
    [MSG_ACTION_ALARM] = "alarm",
};

const int msg_action_uses[MSG_N_ACTIONS] = {
    [MSG_ACTION_PUT] = MSG_USES_TILE | MSG_USES_CAMERA,
    [MSG_ACTION_PAGE] = MSG_USES_PAGE,
    [MSG_ACTION_MAXIMIZE] = MSG_USES_TILE,
    [MSG_ACTION_RESTORE] = 0,
    [MSG_ACTION_SELECT] = MSG_USES_TILE,
    [MSG_ACTION_TOUR] = MSG_USES_TILE | MSG_USES_TOUR,
    [MSG_ACTION_ALARM] = MSG_USES_CAMERA | MSG_USES_SECONDS,
};

/* TRANSLATORS: what a name must be, after "\"station\" must be " */
const char msg_name_rule[] = N_("1 to 64 letters, digits, '-' or '_'");
/* TRANSLATORS: what a command id must be, after "\"id\" must be " */
const char msg_id_rule[] = N_("1 to 64 letters, digits, '-', '_', '.' or ':'");
/* TRANSLATORS: "action" must be one of these words, kept as written */
const char msg_action_rule[] = N_("put, page, maximize, restore, select, tour or alarm");

int msg_camera_min(enum msg_action action)
{
    return action == MSG_ACTION_ALARM ? 1 : 0;
}

const char *msg_action_name(enum msg_action action)
{
    return (int)action >= 0 && (int)action < MSG_N_ACTIONS ? action_names[action] : NULL;
}

bool msg_fail(char *err, size_t size, const char *fmt, ...)
{
    if (err && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* ---- alphabets ---- */

static bool chars_valid(const char *s, const char *extra)
{
    size_t len = strnlen(s, MSG_NAME_MAX + 1);
    if (len == 0 || len > MSG_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !strchr(extra, c)) {
            return false;
        }
    }
    return true;
}

bool msg_name_valid(const char *name)
{
    return name && chars_valid(name, "-_");
}

bool msg_id_valid(const char *id)
{
    return chars_valid(id, "-_.:");
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF) without control characters (C0, DEL, C1): one printable line. */
bool msg_text_valid(const char *s, size_t max)
{
    size_t len = strnlen(s, max + 1);
    if (len == 0 || len > max) {
        return false;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
        if (n < 0 || c > 0xf4 || (size_t)n >= len - i) {
            return false;
        }
        uint32_t cp = c & (0x3f >> n);
        for (int k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0) {
            return false;
        }
        i += (size_t)n + 1;
    }
    return true;
}

/* ---- topics ---- */

static const struct {
    const char *group;
    const char *leaf;
} topic_shapes[] = {
    [MSG_TOPIC_ONLINE] = {"station", "online"},
    [MSG_TOPIC_ACK] = {"station", "ack"},
    [MSG_TOPIC_STATE] = {"output", "state"},
    [MSG_TOPIC_COMMAND] = {"output", "command"},
};
#define N_TOPIC_KINDS ((int)(sizeof(topic_shapes) / sizeof(topic_shapes[0])))

bool msg_topic_build(char *buf, size_t size, const char *wall_id, enum msg_topic_kind kind,
                     const char *name)
{
    if (size > 0) {
        buf[0] = '\0';
    }
    if ((int)kind < 0 || (int)kind >= N_TOPIC_KINDS || !msg_name_valid(wall_id) ||
        (name && !msg_name_valid(name))) {
        return false;
    }
    int n = snprintf(buf, size, "wall/%s/%s/%s/%s", wall_id, topic_shapes[kind].group,
                     name ? name : "+", topic_shapes[kind].leaf);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0) {
            buf[0] = '\0';
        }
        return false;
    }
    return true;
}

/* The next level of a topic: its length, *rest moved past it and its '/'. */
static size_t next_level(const char **rest, bool *last)
{
    const char *s = *rest;
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t)(slash - s) : strlen(s);
    *last = !slash;
    *rest = slash ? slash + 1 : s + len;
    return len;
}

static bool level_is(const char *level, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(level, word, len) == 0;
}

bool msg_topic_parse(const char *topic, const char *wall_id, enum msg_topic_kind *kind,
                     char name[MSG_NAME_MAX + 1])
{
    name[0] = '\0';
    if (!topic || !msg_name_valid(wall_id)) {
        return false;
    }
    const char *levels[5];
    size_t lens[5];
    const char *rest = topic;
    bool last = false;
    for (int i = 0; i < 5; i++) {
        if (last) {
            return false; /* fewer than five levels */
        }
        levels[i] = rest;
        lens[i] = next_level(&rest, &last);
    }
    if (!last || !level_is(levels[0], lens[0], "wall") || !level_is(levels[1], lens[1], wall_id) ||
        lens[3] > MSG_NAME_MAX) {
        return false;
    }
    for (int k = 0; k < N_TOPIC_KINDS; k++) {
        if (level_is(levels[2], lens[2], topic_shapes[k].group) &&
            level_is(levels[4], lens[4], topic_shapes[k].leaf)) {
            memcpy(name, levels[3], lens[3]);
            name[lens[3]] = '\0';
            if (!msg_name_valid(name)) {
                name[0] = '\0';
                return false;
            }
            *kind = (enum msg_topic_kind)k;
            return true;
        }
    }
    return false;
}

/* ---- decoding ---- */

/* cJSON decodes "\u0000" into a NUL that silently ends the string: "ssc\u0000x"
 * would read as "ssc". Such payloads are refused whole. */
static bool has_nul_escape(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\') {
            continue;
        }
        if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0) {
            return true;
        }
        i++; /* the escaped character: "\\u0000" is a backslash and "u0000" */
    }
    return false;
}

/* cJSON keeps every member of a duplicated key and finds the first: refuse
 * them rather than guess which one a sender meant. */
static bool keys_valid(const cJSON *obj, char *err, size_t size)
{
    int n = 0;
    for (const cJSON *a = obj->child; a; a = a->next) {
        if (++n > OBJECT_KEYS_MAX) {
            return msg_fail(err, size, _("an object has more than %d keys"), OBJECT_KEYS_MAX);
        }
        for (const cJSON *b = a->next; b; b = b->next) {
            if (strcmp(a->string, b->string) == 0) {
                return msg_fail(err, size, _("a key appears twice in one object"));
            }
        }
    }
    return true;
}

static cJSON *parse_object(const char *payload, size_t len, char *err, size_t size)
{
    if (len > MSG_PAYLOAD_MAX) {
        msg_fail(err, size, _("payload of %zu bytes is over the %d-byte limit"), len,
                 MSG_PAYLOAD_MAX);
        return NULL;
    }
    if (!payload || len == 0) {
        msg_fail(err, size, _("empty payload"));
        return NULL;
    }
    if (memchr(payload, '\0', len) || has_nul_escape(payload, len)) {
        msg_fail(err, size, _("payload holds a NUL character"));
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(payload, len, &end, false);
    if (!root) {
        long at = end ? (long)(end - payload) : 0;
        msg_fail(err, size, _("payload is not JSON (error at offset %ld)"), at);
        return NULL;
    }
    while (end < payload + len && strchr(" \t\r\n", *end)) {
        end++;
    }
    if (end != payload + len) {
        msg_fail(err, size, _("payload has bytes after its JSON value (at offset %ld)"),
                 (long)(end - payload));
    } else if (!cJSON_IsObject(root)) {
        msg_fail(err, size, _("payload is not a JSON object"));
    } else if (keys_valid(root, err, size)) {
        return root;
    }
    cJSON_Delete(root);
    return NULL;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bool get_int(const cJSON *obj, const char *key, long long lo, long long hi, long long *out,
                    char *err, size_t size)
{
    const cJSON *item = member(obj, key);
    if (!item) {
        return msg_fail(err, size, _("\"%s\" is missing"), key);
    }
    double v = cJSON_IsNumber(item) ? item->valuedouble : NAN;
    /* Compared as doubles: every bound here is exact in a double. */
    if (!isfinite(v) || v != floor(v) || v < (double)lo || v > (double)hi) {
        return msg_fail(err, size, _("\"%s\" must be an integer from %lld to %lld"), key, lo, hi);
    }
    *out = (long long)v;
    return true;
}

static bool get_small_int(const cJSON *obj, const char *key, int lo, int hi, int *out, char *err,
                          size_t size)
{
    long long v = 0;
    if (!get_int(obj, key, lo, hi, &v, err, size)) {
        return false;
    }
    *out = (int)v;
    return true;
}

static bool get_bool(const cJSON *obj, const char *key, bool *out, char *err, size_t size)
{
    const cJSON *item = member(obj, key);
    if (!item) {
        return msg_fail(err, size, _("\"%s\" is missing"), key);
    }
    if (!cJSON_IsBool(item)) {
        return msg_fail(err, size, _("\"%s\" must be true or false"), key);
    }
    *out = cJSON_IsTrue(item);
    return true;
}

/* A string member into out (max bytes and a NUL), checked by valid(). */
static bool get_string(const cJSON *obj, const char *key, char *out, size_t max,
                       bool (*valid)(const char *, size_t), const char *rule, char *err,
                       size_t size)
{
    const cJSON *item = member(obj, key);
    if (!item) {
        return msg_fail(err, size, _("\"%s\" is missing"), key);
    }
    const char *s = cJSON_GetStringValue(item);
    if (!s || !valid(s, max)) {
        return msg_fail(err, size, _("\"%s\" must be %s"), key, rule);
    }
    memcpy(out, s, strlen(s) + 1);
    return true;
}

static bool name_ok(const char *s, size_t max)
{
    return msg_name_valid(s);
}

static bool id_ok(const char *s, size_t max)
{
    return msg_id_valid(s);
}

static bool get_name(const cJSON *obj, const char *key, char out[MSG_NAME_MAX + 1], char *err,
                     size_t size)
{
    return get_string(obj, key, out, MSG_NAME_MAX, name_ok, _(msg_name_rule), err, size);
}

/* A name, or null: "". */
static bool get_name_or_null(const cJSON *obj, const char *key, char out[MSG_NAME_MAX + 1],
                             char *err, size_t size)
{
    const cJSON *item = member(obj, key);
    if (item && cJSON_IsNull(item)) {
        out[0] = '\0';
        return true;
    }
    if (item && !cJSON_IsString(item)) {
        return msg_fail(err, size, _("\"%s\" must be null or %s"), key, _(msg_name_rule));
    }
    return get_name(obj, key, out, err, size);
}

bool msg_decode_online(const char *payload, size_t len, struct msg_online *out, char *err,
                       size_t size)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = parse_object(payload, len, err, size);
    bool ok = root && get_bool(root, "online", &out->online, err, size) &&
              get_name(root, "station", out->station, err, size) &&
              (!member(root, "since") ||
               get_string(root, "since", out->since, MSG_TIME_MAX, msg_text_valid,
                          _("text of 1 to 32 bytes"), err, size));
    cJSON_Delete(root);
    if (!ok) {
        memset(out, 0, sizeof(*out));
    }
    return ok;
}

static bool get_tile(const cJSON *item, struct msg_tile *tile, char *err, size_t size)
{
    if (!cJSON_IsObject(item)) {
        return msg_fail(err, size, _("each of \"tiles\" must be an object"));
    }
    return keys_valid(item, err, size) &&
           get_small_int(item, "tile", 1, MSG_TILES_MAX, &tile->tile, err, size) &&
           get_small_int(item, "camera", 0, MSG_CAMERA_MAX, &tile->camera, err, size) &&
           (!member(item, "tour") || get_name_or_null(item, "tour", tile->tour, err, size));
}

static bool get_tiles(const cJSON *root, struct msg_state *out, char *err, size_t size)
{
    const cJSON *tiles = member(root, "tiles");
    if (!tiles) {
        return msg_fail(err, size, _("\"tiles\" is missing"));
    }
    if (!cJSON_IsArray(tiles)) {
        return msg_fail(err, size, _("\"tiles\" must be an array"));
    }
    int n = cJSON_GetArraySize(tiles);
    if (n > MSG_TILES_MAX) {
        return msg_fail(err, size, _("\"tiles\" holds more than %d tiles"), MSG_TILES_MAX);
    }
    out->tiles = n > 0 ? calloc((size_t)n, sizeof(*out->tiles)) : NULL;
    if (n > 0 && !out->tiles) {
        return msg_fail(err, size, _("out of memory"));
    }
    unsigned char seen[MSG_TILES_MAX + 1] = {0};
    const cJSON *item = tiles->child;
    for (int i = 0; i < n; i++, item = item->next) {
        struct msg_tile *tile = &out->tiles[i];
        if (!get_tile(item, tile, err, size)) {
            return false;
        }
        if (seen[tile->tile]++) {
            return msg_fail(err, size, _("tile %d appears twice in \"tiles\""), tile->tile);
        }
        out->n_tiles = i + 1;
    }
    return true;
}

bool msg_decode_state(const char *payload, size_t len, struct msg_state *out, char *err,
                      size_t size)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = parse_object(payload, len, err, size);
    bool ok = root && get_name(root, "output", out->output, err, size) &&
              get_name(root, "station", out->station, err, size) &&
              get_small_int(root, "page", 1, MSG_PAGE_MAX, &out->page, err, size) &&
              get_small_int(root, "maximized", 0, MSG_TILES_MAX, &out->maximized, err, size) &&
              get_small_int(root, "selected", 0, MSG_TILES_MAX, &out->selected, err, size) &&
              get_tiles(root, out, err, size) &&
              get_int(root, "seq", 0, MSG_SEQ_MAX, &out->seq, err, size);
    cJSON_Delete(root);
    if (!ok) {
        msg_state_finish(out);
    }
    return ok;
}

static bool get_action(const cJSON *root, enum msg_action *out, char *err, size_t size)
{
    const char *s = cJSON_GetStringValue(member(root, "action"));
    if (!member(root, "action")) {
        return msg_fail(err, size, _("\"action\" is missing"));
    }
    for (int a = 0; s && a < MSG_N_ACTIONS; a++) {
        if (strcmp(s, action_names[a]) == 0) {
            *out = (enum msg_action)a;
            return true;
        }
    }
    return msg_fail(err, size, _("\"action\" must be %s"), _(msg_action_rule));
}

bool msg_decode_command(const char *payload, size_t len, struct msg_command *out, char *err,
                        size_t size)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = parse_object(payload, len, err, size);
    bool ok = root &&
              get_string(root, "id", out->id, MSG_NAME_MAX, id_ok, _(msg_id_rule), err, size) &&
              get_name(root, "from", out->from, err, size) &&
              get_int(root, "seq", 0, MSG_SEQ_MAX, &out->seq, err, size) &&
              get_action(root, &out->action, err, size) &&
              get_name(root, "output", out->output, err, size);
    int uses = ok ? msg_action_uses[out->action] : 0;
    int camera_min = msg_camera_min(out->action);
    ok = ok &&
         (!(uses & MSG_USES_TILE) ||
          get_small_int(root, "tile", 1, MSG_TILES_MAX, &out->tile, err, size)) &&
         (!(uses & MSG_USES_CAMERA) ||
          get_small_int(root, "camera", camera_min, MSG_CAMERA_MAX, &out->camera, err, size)) &&
         (!(uses & MSG_USES_PAGE) ||
          get_small_int(root, "page", 1, MSG_PAGE_MAX, &out->page, err, size)) &&
         (!(uses & MSG_USES_SECONDS) ||
          get_small_int(root, "seconds", 1, MSG_SECONDS_MAX, &out->seconds, err, size)) &&
         (!(uses & MSG_USES_TOUR) || get_name_or_null(root, "tour", out->tour, err, size));
    cJSON_Delete(root);
    if (!ok) {
        /* Who to answer, when that much was readable: see messages.h. */
        struct msg_command sender = {0};
        if (out->from[0]) {
            memcpy(sender.id, out->id, sizeof(sender.id));
            memcpy(sender.from, out->from, sizeof(sender.from));
        }
        *out = sender;
    }
    return ok;
}

bool msg_decode_ack(const char *payload, size_t len, struct msg_ack *out, char *err, size_t size)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = parse_object(payload, len, err, size);
    bool ok =
        root && get_string(root, "id", out->id, MSG_NAME_MAX, id_ok, _(msg_id_rule), err, size) &&
        get_name(root, "to", out->to, err, size) && get_bool(root, "ok", &out->ok, err, size) &&
        (out->ok || get_string(root, "reason", out->reason, MSG_REASON_MAX, msg_text_valid,
                               _("text of 1 to 256 bytes on one line"), err, size));
    cJSON_Delete(root);
    if (!ok) {
        memset(out, 0, sizeof(*out));
    }
    return ok;
}

void msg_state_finish(struct msg_state *m)
{
    if (!m) {
        return;
    }
    free(m->tiles);
    m->tiles = NULL;
    m->n_tiles = 0;
}
