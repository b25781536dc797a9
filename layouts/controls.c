#include "layouts/controls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/hwaccel.h"
#include "common/i18n.h"
#include "layouts/broker.h"
#include "layouts/registry.h"
#include "layouts/restream.h"

#define BUTTON_MAX 127

struct tour_values {
    const char *name;
    double dwell;
    const config_setting_t *cameras;
};

struct settings_values {
    int hwaccel;
    double freshness;
    const config_setting_t *language; /* checked against the languages the wall ships */
    struct layout_broker_values broker;
    const char *restream, *restream_credentials;
    const config_setting_t *replay; /* read after the zones (layouts/replay.h) */
    const config_setting_t *ptz;    /* read after the stations (layouts/ptz.h) */
    bool picture_health;
    const config_setting_t *picture_thresholds;
};

#define TOUR(member)      LAYOUT_AT(struct tour_values, member)
#define SETTINGS(member)  LAYOUT_AT(struct settings_values, member)
#define THRESHOLD(member) LAYOUT_AT(struct layout_picture_thresholds, member)

/* clang-format off */
static const struct layout_field tour_fields[] = {
    {.key = "name",    .kind = LAYOUT_FIELD_NAME,  LAYOUT_REQUIRED, TOUR(name)},
    {.key = "dwell",   LAYOUT_NUMBER(1, 3600), .unit = N_("seconds"), TOUR(dwell)},
    {.key = "cameras", .kind = LAYOUT_FIELD_VALUE, LAYOUT_REQUIRED, TOUR(cameras)},
    {0},
};

static const struct layout_field settings_fields[] = {
    {.key = "hwaccel",            LAYOUT_CHOICE(hwaccel_names),         SETTINGS(hwaccel)},
    {.key = "broker",             .kind = LAYOUT_FIELD_TEXT,            SETTINGS(broker.url)},
    {.key = "broker_credentials", .kind = LAYOUT_FIELD_NAME,
     SETTINGS(broker.credentials)},
    {.key = "broker_tls",         .kind = LAYOUT_FIELD_GROUP,           SETTINGS(broker.tls)},
    {.key = "id",                 .kind = LAYOUT_FIELD_NAME,            SETTINGS(broker.wall_id)},
    {.key = "restream",           .kind = LAYOUT_FIELD_TEXT,            SETTINGS(restream)},
    {.key = "restream_credentials", .kind = LAYOUT_FIELD_NAME,
     SETTINGS(restream_credentials)},
    {.key = "replay",             .kind = LAYOUT_FIELD_GROUP,           SETTINGS(replay)},
    {.key = "ptz",                .kind = LAYOUT_FIELD_GROUP,           SETTINGS(ptz)},
    {.key = "freshness",          LAYOUT_NUMBER(0.1, 600), .unit = N_("seconds"),
     SETTINGS(freshness)},
    {.key = "language",           .kind = LAYOUT_FIELD_VALUE,           SETTINGS(language)},
    {.key = "picture_health",     .kind = LAYOUT_FIELD_BOOL,            SETTINGS(picture_health)},
    {.key = "picture_thresholds", .kind = LAYOUT_FIELD_GROUP,
     SETTINGS(picture_thresholds)},
    {0},
};

/* wall.picture_thresholds, straight into the model: 0 is "not set". */
static const struct layout_field threshold_fields[] = {
    {.key = "frozen",     LAYOUT_NUMBER(1, 3600), .unit = N_("seconds"), THRESHOLD(frozen)},
    {.key = "obstructed", LAYOUT_NUMBER(0.1, 1),                         THRESHOLD(obstructed)},
    {.key = "blurred",    LAYOUT_NUMBER(0.05, 0.95),                     THRESHOLD(blurred)},
    {.key = "moved",      LAYOUT_NUMBER(0.05, 0.95),                     THRESHOLD(moved)},
    {0},
};

/* The names of enum layout_action, indexed by it: the order bindings are kept. */
static const struct layout_field actions[] = {
    [LAYOUT_ACTION_SELECT_LEFT] = {.key = "select_left"},
    [LAYOUT_ACTION_SELECT_RIGHT] = {.key = "select_right"},
    [LAYOUT_ACTION_SELECT_UP] = {.key = "select_up"},
    [LAYOUT_ACTION_SELECT_DOWN] = {.key = "select_down"},
    [LAYOUT_ACTION_NEXT_OUTPUT] = {.key = "next_output"},
    [LAYOUT_ACTION_PREVIOUS_OUTPUT] = {.key = "previous_output"},
    [LAYOUT_ACTION_MAXIMIZE] = {.key = "maximize"},
    [LAYOUT_ACTION_NEXT_PAGE] = {.key = "next_page"},
    [LAYOUT_ACTION_PREVIOUS_PAGE] = {.key = "previous_page"},
    [LAYOUT_ACTION_TOUR] = {.key = "tour"},
    [LAYOUT_ACTION_PAUSE_TOUR] = {.key = "pause_tour"},
    [LAYOUT_ACTION_SNAPSHOT] = {.key = "snapshot"},
    [LAYOUT_ACTION_ZOOM] = {.key = "zoom"},
    [LAYOUT_ACTION_REPLAY] = {.key = "replay"},
    [LAYOUT_ACTION_REPLAY_PAUSE] = {.key = "replay_pause"},
    [LAYOUT_ACTION_REPLAY_STEP] = {.key = "replay_step"},
    [LAYOUT_ACTION_REPLAY_FASTER] = {.key = "replay_faster"},
    [LAYOUT_ACTION_REPLAY_SLOWER] = {.key = "replay_slower"},
    [LAYOUT_ACTION_EXPORT] = {.key = "export"},
    [LAYOUT_ACTION_PRESET] = {.key = "preset"},
    [LAYOUT_ACTION_PRESET_1] = {.key = "preset_1"},
    [LAYOUT_ACTION_PRESET_1 + 1] = {.key = "preset_2"},
    [LAYOUT_ACTION_PRESET_1 + 2] = {.key = "preset_3"},
    [LAYOUT_ACTION_PRESET_1 + 3] = {.key = "preset_4"},
    [LAYOUT_ACTION_PRESET_1 + 4] = {.key = "preset_5"},
    [LAYOUT_ACTION_PRESET_1 + 5] = {.key = "preset_6"},
    [LAYOUT_ACTION_PRESET_1 + 6] = {.key = "preset_7"},
    [LAYOUT_ACTION_PRESET_8] = {.key = "preset_8"},
    [LAYOUT_ACTION_CLEAR_ENTRY] = {.key = "clear_entry"},
    [LAYOUT_ACTION_PAGE_1] = {.key = "page_1"},
    [LAYOUT_ACTION_PAGE_1 + 1] = {.key = "page_2"},
    [LAYOUT_ACTION_PAGE_1 + 2] = {.key = "page_3"},
    [LAYOUT_ACTION_PAGE_1 + 3] = {.key = "page_4"},
    [LAYOUT_ACTION_PAGE_1 + 4] = {.key = "page_5"},
    [LAYOUT_ACTION_PAGE_1 + 5] = {.key = "page_6"},
    [LAYOUT_ACTION_PAGE_1 + 6] = {.key = "page_7"},
    [LAYOUT_ACTION_PAGE_1 + 7] = {.key = "page_8"},
    [LAYOUT_ACTION_PAGE_1 + 8] = {.key = "page_9"},
    [LAYOUT_ACTION_PAGE_1 + 9] = {.key = "page_10"},
    [LAYOUT_ACTION_PAGE_1 + 10] = {.key = "page_11"},
    [LAYOUT_ACTION_PAGE_12] = {.key = "page_12"},
    [LAYOUT_ACTION_QUIT] = {.key = "quit"},
    [LAYOUT_ACTION_COUNT] = {0},
};
/* clang-format on */

#define N_ACTIONS LAYOUT_ACTION_COUNT
_Static_assert(sizeof(actions) / sizeof(actions[0]) == LAYOUT_ACTION_COUNT + 1,
               M_("one name each"));

const char *layout_action_name(enum layout_action action)
{
    return (int)action >= 0 && action < N_ACTIONS ? actions[action].key : NULL;
}

void layout_tour_finish(struct layout_tour *tour)
{
    free(tour->name);
    free(tour->cameras);
}

void layout_binding_finish(struct layout_binding *binding)
{
    for (int i = 0; i < binding->n_keys; i++) {
        free(binding->keys[i]);
    }
    free(binding->keys);
    free(binding->buttons);
}

/* The action called `name`, or -1. */
static int action_named(const char *name)
{
    for (int a = 0; a < N_ACTIONS; a++) {
        if (strcmp(actions[a].key, name) == 0) {
            return a;
        }
    }
    return -1;
}

/* One camera of a tour: its index, or -1 after reporting why not. */
static int tour_camera(struct load *load, const config_setting_t *s, const char *label)
{
    long long number = layout_is_int(s) ? config_setting_get_int64(s) : 0;
    const struct layout_camera *c = NULL;
    if (number < 1 || number > LAYOUT_CAMERA_NUMBER_MAX) {
        char got[128];
        layout_describe(s, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, s, "%s: cameras must be camera numbers (got %s)",
                      label, got);
    } else if (!(c = layout_find_camera(load->wall, (int)number))) {
        layout_report(&load->reader, DIAG_ERROR, s, "%s: camera %lld is not in the registry",
                      label, number);
    } else if (c->status != LAYOUT_STATUS_ACTIVE) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: camera %lld is %s: only active cameras can be in a tour", label, number,
                      layout_status_name(c->status));
        c = NULL;
    }
    return c ? (int)(c - load->wall->cameras) : -1;
}

static bool tour_cameras(struct load *load, const config_setting_t *list, const char *label,
                         struct layout_tour *tour)
{
    int type = config_setting_type(list);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        char got[128];
        layout_describe(list, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, list,
                      "%s: cameras must be a list of camera numbers like [101, 102] (got %s)",
                      label, got);
        return false;
    }
    int n = config_setting_length(list);
    if (n == 0) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "%s has no cameras: list at least one camera number", label);
        return false;
    }
    tour->cameras = load_calloc(load, n, sizeof(*tour->cameras));
    bool ok = tour->cameras != NULL;
    for (int i = 0; ok && i < n; i++) {
        tour->cameras[i] = tour_camera(load, config_setting_get_elem(list, (unsigned)i), label);
    }
    for (int i = 0; ok && i < n; i++) {
        ok = tour->cameras[i] >= 0;
    }
    tour->n_cameras = n;
    return ok;
}

static const struct load_list tour_list = {
    .named = N_("tour %s"),
    .nth = N_("tours entry %d"),
    .name_key = "name",
    .shape = N_("name = ...; cameras = [...];"),
};

static void read_tour(struct load *load, const config_setting_t *entry, int index)
{
    char label[128];
    if (!load_begin_entry(load, &tour_list, entry, index, label, sizeof(label))) {
        return;
    }
    struct tour_values v = {.dwell = 10.0};
    bool ok = layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "},
                                tour_fields, &v);
    struct layout_wall *wall = load->wall;
    struct layout_tour *tour = &wall->tours[wall->n_tours];
    *tour = (struct layout_tour){.dwell = v.dwell};
    ok = v.cameras && tour_cameras(load, v.cameras, label, tour) && ok;
    if (ok) {
        tour->name = load_strdup(load, v.name);
        ok = tour->name != NULL;
    }
    if (ok) {
        wall->n_tours++;
    } else {
        layout_tour_finish(tour);
    }
    if (v.name) {
        load_index_add(load, &load->tours, v.name, ok ? wall->n_tours - 1 : LOAD_BROKEN, entry);
    }
}

void layout_tours_read(struct load *load, const config_setting_t *list)
{
    int n = list ? config_setting_length(list) : 0;
    load->wall->tours = load_calloc(load, n, sizeof(*load->wall->tours));
    for (int i = 0; load->wall->tours && i < n; i++) {
        read_tour(load, config_setting_get_elem(list, (unsigned)i), i);
    }
    load_index_sort(load, &load->tours, N_("tour name '%s' is already used at %s"));
}

/* wall.language: a language the wall ships (po/LINGUAS, and English), into
 * the model; "" when not set. */
static void read_language(struct load *load, const config_setting_t *s)
{
    const char *text =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (text && i18n_known_language(text) && strlen(text) < sizeof(load->wall->language)) {
        snprintf(load->wall->language, sizeof(load->wall->language), "%s", text);
        return;
    }
    /* "en, es" as the choices of a setting: "en" or "es". */
    char languages[128];
    snprintf(languages, sizeof(languages), "%s", i18n_languages());
    const char *names[16];
    int n = 0;
    char *save = NULL;
    for (char *name = strtok_r(languages, ", ", &save); name && n < 16;
         name = strtok_r(NULL, ", ", &save)) {
        names[n++] = name;
    }
    char want[256];
    layout_or_list(names, n, want, sizeof(want));
    layout_report_invalid(&load->reader, s, (struct layout_scope){"wall", "."}, "language", want,
                          false);
}

void layout_settings_read(struct load *load, const config_setting_t *group)
{
    struct settings_values v = {
        .hwaccel = HWACCEL_AUTO, .freshness = LAYOUT_FRESHNESS_DEFAULT, .picture_health = true};
    if (group) {
        layout_read_group(&load->reader, group, (struct layout_scope){"wall", "."},
                          settings_fields, &v);
    }
    load->wall->hwaccel = (enum hwaccel)v.hwaccel;
    load->wall->freshness = v.freshness;
    load->wall->picture_health = v.picture_health;
    if (v.picture_thresholds) {
        layout_read_group(&load->reader, v.picture_thresholds,
                          (struct layout_scope){"wall.picture_thresholds", "."}, threshold_fields,
                          &load->wall->picture_thresholds);
    }
    load->wall->hwaccel_set = group && config_setting_get_member(group, "hwaccel");
    if (v.language) {
        read_language(load, v.language);
    }
    layout_broker_read(load, group, &v.broker);
    layout_restream_read(load, group, v.restream, v.restream_credentials);
}

/* The action a member of keys or buttons names, or -1 after a warning. */
static int find_action(struct load *load, const config_setting_t *s, const char *group)
{
    const char *name = config_setting_name(s);
    int a = action_named(name);
    if (a >= 0) {
        return a;
    }
    const char *near = layout_suggest_key(name, actions);
    if (near) {
        layout_report(&load->reader, DIAG_WARNING, s,
                      /* TRANSLATORS: the second %s is "keys" or "buttons", as written. */
                      "unknown action '%s' in %s (did you mean '%s'?)", name, group, near);
    } else {
        /* TRANSLATORS: the second %s is "keys" or "buttons", as written. */
        layout_report(&load->reader, DIAG_WARNING, s, "unknown action '%s' in %s", name, group);
    }
    return -1;
}

/* The values of one member: a scalar or an array/list of them, each passing
 * `valid`. Returns how many, or -1 when any is invalid. */
static int values_of(const config_setting_t *s, bool (*valid)(const config_setting_t *))
{
    int type = config_setting_type(s);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        return valid(s) ? 1 : -1;
    }
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        if (!valid(config_setting_get_elem(s, (unsigned)i))) {
            return -1;
        }
    }
    return n > 0 ? n : -1;
}

static const config_setting_t *value_at(const config_setting_t *s, int i)
{
    return config_setting_is_aggregate(s) ? config_setting_get_elem(s, (unsigned)i) : s;
}

static bool valid_key(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_STRING && config_setting_get_string(s)[0];
}

static bool valid_button(const config_setting_t *s)
{
    long long n = layout_is_int(s) ? config_setting_get_int64(s) : -1;
    return n >= 0 && n <= BUTTON_MAX;
}

static void bind_keys(struct load *load, const config_setting_t *s, struct layout_binding *b)
{
    int n = values_of(s, valid_key);
    if (n < 0) {
        char got[128];
        layout_describe(s, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, s,
                      "keys.%s must be a key name like \"Return\" or a list of them like "
                      "[\"Page Down\", \"Keypad +\"] (got %s)",
                      config_setting_name(s), got);
        return;
    }
    b->keys = load_calloc(load, n, sizeof(*b->keys));
    for (int i = 0; b->keys && i < n; i++) {
        b->keys[b->n_keys++] = load_strdup(load, config_setting_get_string(value_at(s, i)));
    }
}

static void bind_buttons(struct load *load, const config_setting_t *s, struct layout_binding *b)
{
    int n = values_of(s, valid_button);
    if (n < 0) {
        char got[128];
        layout_describe(s, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, s,
                      "buttons.%s must be a button number from 0 to %d or a list of them like "
                      "[4, 5] (got %s)",
                      config_setting_name(s), BUTTON_MAX, got);
        return;
    }
    b->buttons = load_calloc(load, n, sizeof(*b->buttons));
    for (int i = 0; b->buttons && i < n; i++) {
        b->buttons[b->n_buttons++] = (int)config_setting_get_int64(value_at(s, i));
    }
}

static bool same_value(const config_setting_t *a, const config_setting_t *b)
{
    if (config_setting_type(a) == CONFIG_TYPE_STRING) {
        return config_setting_type(b) == CONFIG_TYPE_STRING &&
               strcasecmp(config_setting_get_string(a), config_setting_get_string(b)) == 0;
    }
    return layout_is_int(a) && layout_is_int(b) &&
           config_setting_get_int64(a) == config_setting_get_int64(b);
}

/* A value bound in member i that an earlier member j already binds. */
static void check_twice(struct load *load, const config_setting_t *group, bool keys, int i, int j)
{
    const config_setting_t *mine = config_setting_get_elem(group, (unsigned)i);
    const config_setting_t *theirs = config_setting_get_elem(group, (unsigned)j);
    int n = config_setting_is_aggregate(mine) ? config_setting_length(mine) : 1;
    int m = config_setting_is_aggregate(theirs) ? config_setting_length(theirs) : 1;
    for (int a = 0; a < n; a++) {
        for (int b = 0; b < m; b++) {
            const config_setting_t *x = value_at(mine, a), *y = value_at(theirs, b);
            if (!same_value(x, y)) {
                continue;
            }
            char shown[128], where[512];
            layout_describe(x, shown, sizeof(shown));
            load_where(load, theirs, load_file_of(load, mine), where, sizeof(where));
            /* TRANSLATORS: "keys.zoom: key "Z" is already bound to
             * maximize (line 12)": the group, the action, the key as
             * written, the other action and where it is. */
            const char *fmt = keys ? N_("%s.%s: key %s is already bound to %s (%s)")
                                   /* TRANSLATORS: "buttons.zoom: button 4 is already bound
                                    * to maximize (line 12)". */
                                   : N_("%s.%s: button %s is already bound to %s (%s)");
            layout_report(&load->reader, DIAG_ERROR, x, fmt, config_setting_name(group),
                          config_setting_name(mine), shown, config_setting_name(theirs), where);
        }
    }
}

static void read_binding_group(struct load *load, const config_setting_t *group, bool keys,
                               struct layout_binding *bindings)
{
    const char *name = keys ? "keys" : "buttons";
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        int a = find_action(load, s, name);
        if (a < 0) {
            continue;
        }
        struct layout_binding *b = &bindings[a];
        if (!b->file) {
            b->file = load_file_of(load, s);
            b->line = (int)config_setting_source_line(s);
        }
        if (keys) {
            bind_keys(load, s, b);
        } else {
            bind_buttons(load, s, b);
        }
        for (int j = 0; j < i; j++) {
            if (action_named(config_setting_name(config_setting_get_elem(group, (unsigned)j))) >=
                0) {
                check_twice(load, group, keys, i, j);
            }
        }
    }
}

void layout_bindings_read(struct load *load, const config_setting_t *keys,
                          const config_setting_t *buttons)
{
    struct layout_binding *bindings = load_calloc(load, N_ACTIONS, sizeof(*bindings));
    if (!bindings) {
        return;
    }
    if (keys) {
        read_binding_group(load, keys, true, bindings);
    }
    if (buttons) {
        read_binding_group(load, buttons, false, bindings);
    }
    struct layout_wall *wall = load->wall;
    wall->bindings = bindings;
    for (int a = 0; a < N_ACTIONS; a++) {
        if (!bindings[a].file) {
            continue;
        }
        struct layout_binding b = bindings[a];
        memset(&bindings[a], 0, sizeof(bindings[a]));
        b.id = (enum layout_action)a;
        b.action = actions[a].key;
        bindings[wall->n_bindings++] = b;
    }
}
