#include "layouts/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "layouts/masks.h"
#include "layouts/ptz.h"
#include "layouts/urls.h"

struct credentials_values {
    const char *id, *user, *password;
};

struct camera_values {
    int number;
    const char *name, *main, *url, *sub, *credentials;
    int programme, site, status, colour, range;
    const config_setting_t *masks, *ptz;
    bool picture_health;
};

#define CREDENTIALS(member) LAYOUT_AT(struct credentials_values, member)
#define CAMERA(member)      LAYOUT_AT(struct camera_values, member)

/* Indexed by the enums of layout.h. */
static const char *const programme_names[] = {"ssc", "guardians", NULL};
static const char *const site_names[] = {"street",     "bank",  "hospital", "religious",
                                         "commercial", "home",  "school",   "government",
                                         "transport",  "other", NULL};
static const char *const status_names[] = {"active", "suspended", "removed", NULL};
static const char *const colour_names[] = {"auto", "bt601", "bt709", NULL};
static const char *const range_names[] = {"auto", "limited", "full", NULL};
_Static_assert(LAYOUT_PROGRAMME_GUARDIANS == 1 && LAYOUT_PROGRAMME_COUNT == 2,
               M_("programme_names"));
_Static_assert(LAYOUT_SITE_OTHER == 9, M_("site_names"));
_Static_assert(LAYOUT_STATUS_REMOVED == 2, M_("status_names"));
_Static_assert(LAYOUT_COLOUR_BT709 == 2 && LAYOUT_RANGE_FULL == 2,
               M_("colour_names, range_names"));

/* clang-format off */
static const struct layout_field credentials_fields[] = {
    {.key = "id",          .kind = LAYOUT_FIELD_NAME,   LAYOUT_REQUIRED, CREDENTIALS(id)},
    {.key = "user",        .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, LAYOUT_SECRET,
     CREDENTIALS(user)},
    {.key = "password",    .kind = LAYOUT_FIELD_STRING, LAYOUT_REQUIRED, LAYOUT_SECRET,
     CREDENTIALS(password)},
    {0},
};

static const struct layout_field camera_fields[] = {
    {.key = "number",      LAYOUT_INT(1, LAYOUT_CAMERA_NUMBER_MAX), LAYOUT_REQUIRED,
     CAMERA(number)},
    {.key = "name",        .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, CAMERA(name)},
    {.key = "programme",   LAYOUT_CHOICE(programme_names),              CAMERA(programme)},
    {.key = "site",        LAYOUT_CHOICE(site_names),                   CAMERA(site)},
    {.key = "status",      LAYOUT_CHOICE(status_names),                 CAMERA(status)},
    {.key = "main",        .kind = LAYOUT_FIELD_TEXT,                   CAMERA(main)},
    {.key = "url",         .kind = LAYOUT_FIELD_TEXT,                   CAMERA(url)},
    {.key = "sub",         .kind = LAYOUT_FIELD_TEXT,                   CAMERA(sub)},
    {.key = "credentials", .kind = LAYOUT_FIELD_NAME,                   CAMERA(credentials)},
    {.key = "masks",       .kind = LAYOUT_FIELD_VALUE,                  CAMERA(masks)},
    {.key = "ptz",         .kind = LAYOUT_FIELD_VALUE,                  CAMERA(ptz)},
    {.key = "color",       LAYOUT_CHOICE(colour_names),                 CAMERA(colour)},
    {.key = "range",       LAYOUT_CHOICE(range_names),                  CAMERA(range)},
    {.key = "picture_health", .kind = LAYOUT_FIELD_BOOL,                CAMERA(picture_health)},
    {0},
};

static const struct layout_field simple_camera_fields[] = {
    {.key = "number",      LAYOUT_INT(1, LAYOUT_CAMERA_NUMBER_MAX), LAYOUT_REQUIRED,
     CAMERA(number)},
    {.key = "name",        .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, CAMERA(name)},
    {.key = "url",         .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, CAMERA(url)},
    {.key = "sub",         .kind = LAYOUT_FIELD_TEXT,                   CAMERA(sub)},
    {.key = "color",       LAYOUT_CHOICE(colour_names),                 CAMERA(colour)},
    {.key = "range",       LAYOUT_CHOICE(range_names),                  CAMERA(range)},
    {0},
};
/* clang-format on */

const char *layout_status_name(enum layout_status status)
{
    return status >= 0 && status <= LAYOUT_STATUS_REMOVED ? status_names[status] : "unknown";
}

const char *layout_programme_name(enum layout_programme programme)
{
    return programme >= 0 && programme < LAYOUT_PROGRAMME_COUNT ? programme_names[programme]
                                                                : "unknown";
}

static const struct load_list credentials_list = {
    .named = N_("credentials %s"),
    .nth = N_("credentials entry %d"),
    .name_key = "id",
    .shape = N_("id = ...; user = ...; password = ...;"),
    .secret = true, /* a password may be what was written */
};

static void read_credentials(struct load *load, const config_setting_t *entry, int index)
{
    char label[128];
    if (!load_begin_entry(load, &credentials_list, entry, index, label, sizeof(label))) {
        return;
    }
    struct credentials_values v = {0};
    bool ok = layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "},
                                credentials_fields, &v);
    if (!v.id) {
        return;
    }
    int at = LOAD_BROKEN;
    if (ok) {
        at = load->n_credentials++;
        load->credential_values[at] = (struct load_credentials){v.id, v.user, v.password};
    }
    load_index_add(load, &load->credentials, v.id, at, entry);
}

void layout_registry_read_credentials(struct load *load, const config_setting_t *list)
{
    int n = list ? config_setting_length(list) : 0;
    load->credential_values = load_calloc(load, n, sizeof(*load->credential_values));
    if (!load->credential_values) {
        return;
    }
    for (int i = 0; i < n; i++) {
        read_credentials(load, config_setting_get_elem(list, (unsigned)i), i);
    }
    load_index_sort(load, &load->credentials, N_("credentials id '%s' is already used at %s"));
}

/* The camera's number if it is a valid one, else 0: names it in messages. */
static int peek_number(const config_setting_t *entry)
{
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
        return 0;
    }
    const config_setting_t *s = config_setting_get_member(entry, "number");
    if (!s || !layout_is_int(s)) {
        return 0;
    }
    long long n = config_setting_get_int64(s);
    return n >= 1 && n <= LAYOUT_CAMERA_NUMBER_MAX ? (int)n : 0;
}

void layout_camera_label(const config_setting_t *entry, int index, char *buf, size_t size)
{
    int number = peek_number(entry);
    if (number) {
        snprintf(buf, size, _("camera %d"), number);
    } else {
        snprintf(buf, size, _("cameras entry %d"), index + 1);
    }
}

void layout_camera_finish(struct layout_camera *camera)
{
    free(camera->name);
    free(camera->url);
    free(camera->sub_url);
    free(camera->username);
    free(camera->password);
    layout_masks_free(camera->masks, camera->n_masks);
    layout_ptz_free(camera->ptz);
}

bool layout_registry_reserve(struct load *load, int n)
{
    struct layout_wall *wall = load->wall;
    wall->cameras = load_calloc(load, n, sizeof(*wall->cameras));
    load->camera_entries = load_calloc(load, n, sizeof(*load->camera_entries));
    return wall->cameras && load->camera_entries;
}

/* Adds the camera to the model; takes the stream's strings. */
static struct layout_camera *add_camera(struct load *load, const config_setting_t *entry,
                                        const struct camera_values *v, struct layout_stream *main)
{
    struct layout_wall *wall = load->wall;
    struct layout_camera *c = &wall->cameras[wall->n_cameras];
    load->camera_entries[wall->n_cameras++] = entry;
    *c = (struct layout_camera){
        .number = v->number,
        .name = load_strdup(load, v->name),
        .programme = (enum layout_programme)v->programme,
        .site = (enum layout_site)v->site,
        .status = (enum layout_status)v->status,
        .colour = (enum layout_colour)v->colour,
        .range = (enum layout_range)v->range,
        .picture_health = v->picture_health,
        .url = main->url,
        .username = main->username,
        .password = main->password,
        .file = load_file_of(load, entry),
        .line = (int)config_setting_source_line(entry),
    };
    memset(main, 0, sizeof(*main));
    return c;
}

/* Says what a non-group camera entry should look like. */
static bool check_group(struct load *load, const config_setting_t *entry, const char *label,
                        const char *stream_key)
{
    if (config_setting_type(entry) == CONFIG_TYPE_GROUP) {
        return true;
    }
    char got[128];
    layout_describe(entry, got, sizeof(got));
    layout_report(&load->reader, DIAG_ERROR, entry,
                  "%s must be a group { number = ...; name = ...; %s = ...; } (got %s)", label,
                  stream_key, got);
    return false;
}

static bool read_stream(struct load *load, const config_setting_t *entry, const char *key,
                        const char *text, const char *label, struct layout_stream *out);

void layout_registry_add_simple(struct load *load, const config_setting_t *entry, int index)
{
    char label[64];
    layout_camera_label(entry, index, label, sizeof(label));
    if (!check_group(load, entry, label, "url")) {
        return;
    }
    struct camera_values v = {.picture_health = true};
    layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "},
                      simple_camera_fields, &v);
    struct layout_stream main = {0};
    if (v.url) {
        const config_setting_t *at = config_setting_get_member(entry, "url");
        layout_stream_resolve(load, at, label, v.url, load_file_of(load, entry), &main);
    }
    char sub_label[80];
    snprintf(sub_label, sizeof(sub_label), "%s: sub", label);
    struct layout_stream sub = {0};
    read_stream(load, entry, "sub", v.sub, sub_label, &sub);
    if (peek_number(entry)) {
        struct layout_camera *c = add_camera(load, entry, &v, &main);
        c->sub_url = sub.url;
        sub.url = NULL;
        if (!c->username) {
            c->username = sub.username;
            c->password = sub.password;
            sub.username = sub.password = NULL;
        }
    }
    layout_stream_finish(&sub);
    layout_stream_finish(&main);
}

/* The stream at `key`, or none; false when it is there but invalid. */
static bool read_stream(struct load *load, const config_setting_t *entry, const char *key,
                        const char *text, const char *label, struct layout_stream *out)
{
    if (!text) {
        return true;
    }
    const config_setting_t *at = config_setting_get_member(entry, key);
    return layout_stream_resolve(load, at, label, text, load_file_of(load, entry), out);
}

/* main or its synonym url: exactly one of them. */
static const char *main_key(struct load *load, const config_setting_t *entry, const char *label,
                            const struct camera_values *v)
{
    bool has_main = config_setting_get_member(entry, "main") != NULL;
    bool has_url = config_setting_get_member(entry, "url") != NULL;
    if (has_main && has_url) {
        layout_report(&load->reader, DIAG_ERROR, config_setting_get_member(entry, "url"),
                      "%s: 'url' is another name for 'main': keep one of them", label);
        return NULL;
    }
    if (!has_main && !has_url) {
        layout_report(&load->reader, DIAG_ERROR, entry, "%s: missing required setting 'main'",
                      label);
        return NULL;
    }
    return has_main ? "main" : "url";
}

/* The camera's credentials: from its entry when it names one, else from its
 * URLs (with a warning: they belong in a credentials entry). */
static void set_credentials(struct load *load, const config_setting_t *entry, const char *label,
                            const struct camera_values *v, struct layout_camera *c,
                            struct layout_stream *sub)
{
    const char *key = v->main ? "main" : "url";
    if (c->username || sub->username) {
        layout_report(&load->reader, DIAG_WARNING,
                      config_setting_get_member(entry, c->username ? key : "sub"),
                      "%s: credentials in the URL: move them to a credentials entry", label);
    }
    if (!c->username) {
        c->username = sub->username;
        c->password = sub->password;
        sub->username = sub->password = NULL;
    }
    if (!v->credentials) {
        return;
    }
    int i = load_index_find(&load->credentials, v->credentials);
    if (i == -1) {
        char prefix[96];
        snprintf(prefix, sizeof(prefix), "%s: ", label);
        load_report_unknown(load, config_setting_get_member(entry, "credentials"), prefix,
                            N_("no credentials named '%s'"), &load->credentials, v->credentials);
    }
    if (i < 0) {
        return;
    }
    free(c->username);
    free(c->password);
    c->username = load_strdup(load, load->credential_values[i].user);
    c->password = load_strdup(load, load->credential_values[i].password);
}

static void read_camera(struct load *load, const config_setting_t *entry, int index)
{
    char label[64];
    layout_camera_label(entry, index, label, sizeof(label));
    if (!check_group(load, entry, label, "main")) {
        return;
    }
    struct camera_values v = {.programme = LAYOUT_PROGRAMME_SSC,
                              .site = LAYOUT_SITE_STREET,
                              .status = LAYOUT_STATUS_ACTIVE,
                              .picture_health = true};
    layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "}, camera_fields, &v);
    const char *key = main_key(load, entry, label, &v);
    char sub_label[80];
    snprintf(sub_label, sizeof(sub_label), "%s: sub", label);
    struct layout_stream main = {0}, sub = {0};
    read_stream(load, entry, key, key ? (v.main ? v.main : v.url) : NULL, label, &main);
    read_stream(load, entry, "sub", v.sub, sub_label, &sub);
    struct layout_mask *masks = NULL;
    int n_masks = v.masks ? layout_masks_read(load, v.masks, label, &masks) : 0;
    if (!peek_number(entry)) {
        layout_stream_finish(&main);
        layout_stream_finish(&sub);
        layout_masks_free(masks, n_masks);
        return;
    }
    struct layout_camera *c = add_camera(load, entry, &v, &main);
    c->sub_url = sub.url;
    sub.url = NULL;
    c->masks = masks;
    c->n_masks = n_masks;
    set_credentials(load, entry, label, &v, c, &sub);
    layout_stream_finish(&sub);
    layout_ptz_read_camera(load, v.ptz, label, c); /* after the credentials: its own */
}

void layout_registry_read_cameras(struct load *load, const config_setting_t *list)
{
    int n = list ? config_setting_length(list) : 0;
    if (!layout_registry_reserve(load, n)) {
        return;
    }
    for (int i = 0; i < n; i++) {
        read_camera(load, config_setting_get_elem(list, (unsigned)i), i);
    }
}

struct numbered {
    int number, index;
};

static int compare_numbered(const void *a, const void *b)
{
    const struct numbered *x = a, *y = b;
    if (x->number != y->number) {
        return x->number < y->number ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

bool layout_registry_index(struct load *load)
{
    struct layout_wall *wall = load->wall;
    int n = wall->n_cameras;
    struct numbered *sorted = load_calloc(load, n, sizeof(*sorted));
    wall->by_number = load_calloc(load, n, sizeof(*wall->by_number));
    if (!sorted || !wall->by_number) {
        free(sorted);
        return false;
    }
    for (int i = 0; i < n; i++) {
        sorted[i] = (struct numbered){wall->cameras[i].number, i};
    }
    qsort(sorted, (size_t)n, sizeof(*sorted), compare_numbered);
    bool unique = true;
    int first = 0; /* the first camera with the number of sorted[i] */
    for (int i = 0; i < n; i++) {
        wall->by_number[i] = sorted[i].index;
        if (i == 0 || sorted[i].number != sorted[i - 1].number) {
            first = sorted[i].index;
            continue;
        }
        unique = false;
        const struct layout_camera *c = &wall->cameras[sorted[i].index];
        char where[512];
        load_where(load, load->camera_entries[first], c->file, where, sizeof(where));
        layout_report(&load->reader, DIAG_ERROR, load->camera_entries[sorted[i].index],
                      "camera number %d is already used at %s", c->number, where);
    }
    free(sorted);
    return unique;
}
