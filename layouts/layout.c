#include "layouts/layout.h"

#include <libconfig.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "layouts/broker.h"
#include "layouts/controls.h"
#include "layouts/load.h"
#include "layouts/outputs.h"
#include "layouts/zones.h"
#include "layouts/registry.h"
#include "layouts/ptz.h"
#include "layouts/replay.h"
#include "layouts/restream.h"
#include "layouts/simple.h"
#include "layouts/stations.h"
#include "layouts/templates.h"

struct root_values {
    const config_setting_t *credentials, *cameras, *zones, *layouts, *tours, *outputs;
    const config_setting_t *keys, *buttons, *settings, *stations;
};

#define ROOT(member) LAYOUT_AT(struct root_values, member)

/* clang-format off */
static const struct layout_field root_fields[] = {
    {.key = "wall",        .kind = LAYOUT_FIELD_GROUP,                 ROOT(settings)},
    {.key = "zones",       .kind = LAYOUT_FIELD_LIST,                  ROOT(zones)},
    {.key = "outputs",     .kind = LAYOUT_FIELD_LIST,  LAYOUT_REQUIRED, ROOT(outputs)},
    {.key = "layouts",     .kind = LAYOUT_FIELD_LIST,  LAYOUT_REQUIRED, ROOT(layouts)},
    {.key = "tours",       .kind = LAYOUT_FIELD_LIST,                  ROOT(tours)},
    {.key = "cameras",     .kind = LAYOUT_FIELD_LIST,                  ROOT(cameras)},
    {.key = "credentials", .kind = LAYOUT_FIELD_LIST,                  ROOT(credentials)},
    {.key = "keys",        .kind = LAYOUT_FIELD_GROUP,                 ROOT(keys)},
    {.key = "buttons",     .kind = LAYOUT_FIELD_GROUP,                 ROOT(buttons)},
    {.key = "stations",    .kind = LAYOUT_FIELD_LIST,                  ROOT(stations)},
    {0},
};
/* clang-format on */

/* Settings of the full format that the simple one does not have. */
static bool full_only(const char *key)
{
    for (const struct layout_field *f = root_fields; f->key; f++) {
        if (strcmp(f->key, key) == 0 && strcmp(key, "cameras") != 0) {
            return true;
        }
    }
    return false;
}

/* The first simple-format setting of the file, or NULL: the full format. */
static const config_setting_t *simple_setting(const config_setting_t *root)
{
    int n = config_setting_length(root);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        for (int k = 0; layout_simple_keys[k]; k++) {
            if (strcmp(config_setting_name(s), layout_simple_keys[k]) == 0) {
                return s;
            }
        }
    }
    return NULL;
}

/* A file is one format or the other: each setting of the full format in a
 * simple-format file is an error. Returns false when there was any. */
static bool check_one_format(struct load *load, const config_setting_t *root,
                             const config_setting_t *simple)
{
    bool ok = true;
    int n = config_setting_length(root);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        if (!full_only(config_setting_name(s))) {
            continue;
        }
        char where[512];
        load_where(load, simple, load_file_of(load, s), where, sizeof(where));
        layout_report(&load->reader, DIAG_ERROR, s,
                      /* TRANSLATORS: the last %s is where the second setting is,
                       * like "line 3". */
                      "'%s' belongs to the full format, but '%s' (%s) makes this file the simple "
                      "format: use one format per file (see layouts/README.md)",
                      config_setting_name(s), config_setting_name(simple), where);
        ok = false;
    }
    return ok;
}

static void read_full(struct load *load, const config_setting_t *root)
{
    struct root_values r = {0};
    layout_read_group(&load->reader, root, (struct layout_scope){0}, root_fields, &r);
    layout_registry_read_credentials(load, r.credentials);
    layout_settings_read(load, r.settings); /* after the credentials: the broker's */
    layout_registry_read_cameras(load, r.cameras);
    layout_restream_apply(load); /* after the cameras: their addresses */
    layout_registry_index(load);
    layout_zones_read(load, r.zones);
    layout_replay_read(load, r.settings); /* after the zones: it names them */
    layout_templates_read(load, r.layouts);
    layout_tours_read(load, r.tours);
    if (r.outputs) {
        layout_outputs_read(load, r.outputs);
    }
    layout_stations_read(load, r.stations, r.settings);
    layout_ptz_read(load, r.settings); /* after the zones and stations: it names them */
    layout_bindings_read(load, r.keys, r.buttons);
}

static void read_wall(struct load *load, const config_setting_t *root)
{
    const config_setting_t *simple = simple_setting(root);
    if (!simple) {
        read_full(load, root);
    } else if (check_one_format(load, root, simple)) {
        layout_simple_read(load, root);
    }
}

/* libconfig's words (as it writes them) and ours, in the locale's words. */
static const struct {
    const char *libconfig, *ours;
} syntax_words[] = {
    /* [0, 0.5] or [101, "tour:x"]: say how to fix it. */
    {M_("mismatched element type in array"),
     N_("mixed values in an array [ ... ]: next to decimals write whole numbers as 0.0 or 1.0; "
        "to mix numbers and text use a list ( ... )")},
    {M_("syntax error"), N_("syntax error")},
    {M_("file I/O error"), N_("file I/O error")},
    {M_("include file nesting too deep"), N_("include file nesting too deep")},
    {M_("cannot open include file"), N_("cannot open include file")},
};

static void report_syntax(struct load *load, const config_t *cfg)
{
    const char *file = layout_files_lookup(&load->files, config_error_file(cfg));
    const char *text = config_error_text(cfg);
    for (size_t i = 0; text && i < sizeof(syntax_words) / sizeof(syntax_words[0]); i++) {
        if (strcmp(text, syntax_words[i].libconfig) == 0) {
            text = _(syntax_words[i].ours);
            break;
        }
    }
    diag_add_text(load->reader.diags, DIAG_ERROR, file, config_error_line(cfg),
                  text ? text : _("cannot read the layout file"));
}

struct diag_key {
    int rank, line, seq;
};

static int compare_diags(const void *a, const void *b)
{
    const struct diag_key *x = a, *y = b;
    if (x->rank != y->rank) {
        return x->rank < y->rank ? -1 : 1;
    }
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Problems come out in reading order: by file, then line; in the order found
 * within a line. */
static void sort_diags(struct diag_list *diags, int first, const struct layout_files *files)
{
    int n = diags->count - first;
    struct diag_key *keys = n > 1 ? calloc((size_t)n, sizeof(*keys)) : NULL;
    struct diag *items = n > 1 ? calloc((size_t)n, sizeof(*items)) : NULL;
    if (keys && items) {
        for (int i = 0; i < n; i++) {
            const struct diag *d = &diags->items[first + i];
            keys[i] = (struct diag_key){layout_files_rank(files, d->file), d->line, i};
        }
        qsort(keys, (size_t)n, sizeof(*keys), compare_diags);
        for (int i = 0; i < n; i++) {
            items[i] = diags->items[first + keys[i].seq];
        }
        memcpy(&diags->items[first], items, (size_t)n * sizeof(*items));
    }
    free(keys);
    free(items);
}

static void parse(struct load *load, const char *path)
{
    int errors = load->reader.diags->errors;
    if (!layout_files_scan(&load->files, path, load->reader.diags)) {
        if (load->reader.diags->errors == errors) {
            load_out_of_memory(load);
        }
        return;
    }
    config_t cfg;
    config_init(&cfg);
    if (load->files.dir[0]) {
        config_set_include_dir(&cfg, load->files.dir);
    }
    if (config_read_file(&cfg, path)) {
        read_wall(load, config_root_setting(&cfg));
    } else {
        report_syntax(load, &cfg);
    }
    config_destroy(&cfg);
}

static void load_finish(struct load *load)
{
    load_index_finish(&load->zones);
    load_index_finish(&load->layouts);
    load_index_finish(&load->tours);
    load_index_finish(&load->credentials);
    load_index_finish(&load->outputs);
    load_index_finish(&load->stations);
    free(load->credential_values);
    free(load->camera_entries);
    layout_files_finish(&load->files);
}

struct layout_wall *layout_load(const char *path, struct diag_list *diags)
{
    int errors = diags->errors;
    int first = diags->count;
    struct load load = {.reader = {.diags = diags}};
    load.reader.files = &load.files;
    layout_files_init(&load.files);

    load.wall = calloc(1, sizeof(*load.wall));
    if (!load.wall || !(load.wall->path = strdup(path))) {
        diag_add(diags, DIAG_ERROR, path, 0, "out of memory");
    } else {
        load.wall->freshness = LAYOUT_FRESHNESS_DEFAULT; /* wall.freshness may change it */
        load.wall->picture_health = true;                /* wall.picture_health likewise */
        parse(&load, path);
    }
    sort_diags(diags, first, &load.files);
    if (diags->errors != errors) {
        layout_destroy(load.wall);
        load_finish(&load);
        return NULL;
    }
    load.wall->files = load.files.paths;
    load.wall->n_files = load.files.count;
    load.files.paths = NULL;
    load.files.count = 0;
    load_finish(&load);
    return load.wall;
}

void layout_destroy(struct layout_wall *wall)
{
    if (!wall) {
        return;
    }
    for (int i = 0; i < wall->n_outputs; i++) {
        layout_output_finish(&wall->outputs[i]);
    }
    free(wall->outputs);
    for (int i = 0; i < wall->n_zones; i++) {
        free(wall->zones[i].id);
        free(wall->zones[i].title);
    }
    free(wall->zones);
    for (int i = 0; i < wall->n_cameras; i++) {
        layout_camera_finish(&wall->cameras[i]);
    }
    free(wall->cameras);
    free(wall->by_number);
    for (int i = 0; i < wall->n_layouts; i++) {
        layout_template_finish(&wall->layouts[i]);
    }
    free(wall->layouts);
    for (int i = 0; i < wall->n_tours; i++) {
        layout_tour_finish(&wall->tours[i]);
    }
    free(wall->tours);
    for (int i = 0; i < wall->n_bindings; i++) {
        layout_binding_finish(&wall->bindings[i]);
    }
    free(wall->bindings);
    for (int i = 0; i < wall->n_stations; i++) {
        layout_station_finish(&wall->stations[i]);
    }
    free(wall->stations);
    layout_broker_finish(&wall->broker);
    layout_restream_finish(&wall->restream);
    free(wall->replay.zones);
    free(wall->replay.directory);
    free(wall->ptz.zones);
    free(wall->ptz.stations);
    for (int i = 0; i < wall->n_files; i++) {
        free(wall->files[i]);
    }
    free(wall->files);
    free(wall->path);
    free(wall);
}

const struct layout_camera *layout_find_camera(const struct layout_wall *wall, int number)
{
    if (!wall || !wall->by_number) {
        return NULL;
    }
    /* The first camera with that number in by_number order: the first listed. */
    int lo = 0, hi = wall->n_cameras;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (wall->cameras[wall->by_number[mid]].number < number) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < wall->n_cameras && wall->cameras[wall->by_number[lo]].number == number) {
        return &wall->cameras[wall->by_number[lo]];
    }
    return NULL;
}

const struct layout_station *layout_find_station(const struct layout_wall *wall, const char *name)
{
    for (int i = 0; wall && name && i < wall->n_stations; i++) {
        if (strcmp(wall->stations[i].name, name) == 0) {
            return &wall->stations[i];
        }
    }
    return NULL;
}

bool layout_zone_admits(const struct layout_zone *zone, const struct layout_camera *camera)
{
    return zone && camera && camera->status == LAYOUT_STATUS_ACTIVE && camera->programme >= 0 &&
           camera->programme < LAYOUT_PROGRAMME_COUNT &&
           (zone->admits & (1u << camera->programme)) != 0;
}
