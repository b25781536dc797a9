#include "layouts/layout.h"

#include <libconfig.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "layouts/files.h"
#include "layouts/schema.h"

#define CAMERA_NUMBER_MAX 999999

/* One load in progress. */
struct load {
    struct layout_reader reader;
    struct layout_files files;
    struct layout_wall *wall;
    int cells; /* cells in the grid; -1 while the grid is unknown or invalid */
};

struct root_values {
    const config_setting_t *output, *grid, *cameras;
};

struct output_values {
    const char *id;
    int width, height;
    uint32_t background;
};

struct grid_values {
    int rows, columns, gap, fit;
};

struct camera_values {
    int number;
    const char *name, *url;
};

/* Where each table's values go. */
#define ROOT(member)   LAYOUT_AT(struct root_values, member)
#define OUTPUT(member) LAYOUT_AT(struct output_values, member)
#define GRID(member)   LAYOUT_AT(struct grid_values, member)
#define CAMERA(member) LAYOUT_AT(struct camera_values, member)

/* Indexed by enum layout_fit. */
static const char *const fit_names[] = {"letterbox", "fill", NULL};
_Static_assert(LAYOUT_FIT_LETTERBOX == 0 && LAYOUT_FIT_FILL == 1, "fit_names order");

/* clang-format off */
static const struct layout_field root_fields[] = {
    {.key = "output",     .kind = LAYOUT_FIELD_GROUP,  LAYOUT_REQUIRED, ROOT(output)},
    {.key = "grid",       .kind = LAYOUT_FIELD_GROUP,  LAYOUT_REQUIRED, ROOT(grid)},
    {.key = "cameras",    .kind = LAYOUT_FIELD_LIST,   LAYOUT_REQUIRED, ROOT(cameras)},
    {0},
};

static const struct layout_field output_fields[] = {
    {.key = "id",         .kind = LAYOUT_FIELD_NAME,                    OUTPUT(id)},
    {.key = "width",      LAYOUT_INT(16, 16384),       LAYOUT_REQUIRED, OUTPUT(width)},
    {.key = "height",     LAYOUT_INT(16, 16384),       LAYOUT_REQUIRED, OUTPUT(height)},
    {.key = "background", .kind = LAYOUT_FIELD_COLOUR,                  OUTPUT(background)},
    {0},
};

static const struct layout_field grid_fields[] = {
    {.key = "rows",       LAYOUT_INT(1, 16),           LAYOUT_REQUIRED, GRID(rows)},
    {.key = "columns",    LAYOUT_INT(1, 16),           LAYOUT_REQUIRED, GRID(columns)},
    {.key = "gap",        LAYOUT_INT(0, 64),                            GRID(gap)},
    {.key = "fit",        LAYOUT_CHOICE(fit_names),                     GRID(fit)},
    {0},
};

static const struct layout_field camera_fields[] = {
    {.key = "number",     LAYOUT_INT(1, CAMERA_NUMBER_MAX), LAYOUT_REQUIRED, CAMERA(number)},
    {.key = "name",       .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, CAMERA(name)},
    {.key = "url",        .kind = LAYOUT_FIELD_TEXT,   LAYOUT_REQUIRED, CAMERA(url)},
    {0},
};
/* clang-format on */

/* Schemes a feed can open; "file" is stripped to a path instead. */
static const char *const stream_schemes[] = {"rtsp", "rtsps", "http", "https", NULL};

static void out_of_memory(struct load *load)
{
    diag_add(load->reader.diags, DIAG_ERROR, load->wall ? load->wall->path : NULL, 0,
             "out of memory");
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* A grid needs one gap around and between cells, and a pixel per cell. */
static bool check_fit(struct load *load, const config_setting_t *grid, int cells,
                      const char *cell_name, int gap, const char *extent_name, int extent)
{
    int need = gap * (cells + 1) + cells;
    if (need <= extent) {
        return true;
    }
    layout_report(&load->reader, DIAG_ERROR, grid,
                  "grid does not fit the output: %d %s%s with gap %d need a %s of at least %d "
                  "(output.%s is %d)",
                  cells, cell_name, plural(cells), gap, extent_name, need, extent_name, extent);
    return false;
}

static bool check_grid(struct load *load, const config_setting_t *grid,
                       const struct grid_values *g, const struct output_values *o)
{
    bool wide = check_fit(load, grid, g->columns, "column", g->gap, "width", o->width);
    bool tall = check_fit(load, grid, g->rows, "row", g->gap, "height", o->height);
    return wide && tall;
}

static bool is_scheme(const char *url, size_t len)
{
    if (len == 0 || !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z'))) {
        return false;
    }
    static const char chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-";
    for (size_t i = 0; i < len; i++) {
        if (!strchr(chars, url[i])) {
            return false;
        }
    }
    return true;
}

static bool known_scheme(const char *url, size_t len)
{
    for (int i = 0; stream_schemes[i]; i++) {
        if (strlen(stream_schemes[i]) == len && strncasecmp(url, stream_schemes[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* A path relative to the file naming it, as the feed will open it. */
static char *resolve_path(struct load *load, const config_setting_t *at, const char *label,
                          const char *path, const char *file)
{
    if (!path[0]) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: url \"file://\" names no file", label);
        return NULL;
    }
    char *dir = path[0] == '/' ? strdup("") : layout_path_dir(file);
    char *resolved = dir ? layout_path_join(dir, path) : NULL;
    free(dir);
    if (!resolved) {
        out_of_memory(load);
    }
    return resolved;
}

/* A stream URL keeps its text, with the scheme in lower case for FFmpeg. */
static char *stream_url(struct load *load, const config_setting_t *at, const char *label,
                        const char *url, size_t scheme_len)
{
    const char *rest = url + scheme_len + 3;
    if (!rest[0] || strchr("/?#", rest[0])) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: url has no host after '%.*s://'", label,
                      (int)scheme_len, url);
        return NULL;
    }
    char *copy = strdup(url);
    if (!copy) {
        out_of_memory(load);
        return NULL;
    }
    for (size_t i = 0; i < scheme_len; i++) {
        copy[i] = (char)(copy[i] >= 'A' && copy[i] <= 'Z' ? copy[i] - 'A' + 'a' : copy[i]);
    }
    return copy;
}

/* The URL as the model stores it, or NULL after reporting why not. */
static char *resolve_url(struct load *load, const config_setting_t *entry, const char *label,
                         const char *url, const char *file)
{
    const config_setting_t *at = config_setting_get_member(entry, "url");
    const char *sep = strstr(url, "://");
    if (!sep || !is_scheme(url, (size_t)(sep - url))) {
        return resolve_path(load, at, label, url, file);
    }
    size_t len = (size_t)(sep - url);
    if (len == 4 && strncasecmp(url, "file", 4) == 0) {
        return resolve_path(load, at, label, sep + 3, file);
    }
    if (known_scheme(url, len)) {
        return stream_url(load, at, label, url, len);
    }
    layout_report(&load->reader, DIAG_ERROR, at,
                  "%s: unsupported URL scheme '%.*s' (use rtsp, rtsps, http, https or a file "
                  "path)",
                  label, (int)(len > 16 ? 16 : len), url);
    return NULL;
}

/* The camera's number if it is a valid one, else 0: names it in messages. */
static int peek_number(const config_setting_t *entry)
{
    const config_setting_t *s = config_setting_get_member(entry, "number");
    if (!s || (config_setting_type(s) != CONFIG_TYPE_INT &&
               config_setting_type(s) != CONFIG_TYPE_INT64)) {
        return 0;
    }
    long long n = config_setting_get_int64(s);
    return n >= 1 && n <= CAMERA_NUMBER_MAX ? (int)n : 0;
}

static bool check_unique(struct load *load, const config_setting_t *entry, int number,
                         const char *file)
{
    const struct layout_camera *first = layout_find_camera(load->wall, number);
    if (!first) {
        return true;
    }
    if (first->file == file) {
        layout_report(&load->reader, DIAG_ERROR, entry,
                      "camera number %d is already used at line %d", number, first->line);
    } else {
        layout_report(&load->reader, DIAG_ERROR, entry,
                      "camera number %d is already used at %s:%d", number, first->file,
                      first->line);
    }
    return false;
}

/* Takes url. An entry with errors is added too (its name or url may be NULL),
 * so that a later duplicate of its number is still found; the load fails. */
static void add_camera(struct load *load, const struct camera_values *v, char *url,
                       const config_setting_t *entry, const char *file)
{
    struct layout_wall *wall = load->wall;
    char *name = v->name ? strdup(v->name) : NULL;
    if (v->name && !name) {
        free(url);
        out_of_memory(load);
        return;
    }
    wall->cameras[wall->n_cameras++] = (struct layout_camera){
        .number = v->number,
        .name = name,
        .url = url,
        .line = (int)config_setting_source_line(entry),
        .file = file,
    };
}

static void read_camera(struct load *load, const config_setting_t *entry, int index)
{
    int number = peek_number(entry);
    char label[64];
    if (number) {
        snprintf(label, sizeof(label), "camera %d", number);
    } else {
        snprintf(label, sizeof(label), "cameras entry %d", index + 1);
    }
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
        char got[128];
        layout_describe(entry, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, entry,
                      "%s must be a group { number = ...; name = ...; url = ...; } (got %s)",
                      label, got);
        return;
    }
    const char *file = layout_files_lookup(&load->files, config_setting_source_file(entry));
    struct camera_values v = {0};
    struct layout_scope scope = {.label = label, .sep = ": "};
    layout_read_group(&load->reader, entry, scope, camera_fields, &v);
    char *url = v.url ? resolve_url(load, entry, label, v.url, file) : NULL;
    if (!number || !check_unique(load, entry, number, file)) {
        free(url);
        return;
    }
    if (load->cells >= 0 && index >= load->cells) {
        layout_report(&load->reader, DIAG_WARNING, entry,
                      "camera %d has no tile: the grid has %d cell%s", number, load->cells,
                      plural(load->cells));
    }
    add_camera(load, &v, url, entry, file);
}

static void read_cameras(struct load *load, const config_setting_t *list)
{
    int n = config_setting_length(list);
    load->wall->cameras = calloc(n > 0 ? (size_t)n : 1, sizeof(struct layout_camera));
    if (!load->wall->cameras) {
        out_of_memory(load);
        return;
    }
    for (int i = 0; i < n; i++) {
        read_camera(load, config_setting_get_elem(list, (unsigned)i), i);
    }
}

static bool build_output(struct load *load, const struct output_values *o,
                         const struct grid_values *g)
{
    struct layout_wall *wall = load->wall;
    struct layout_output *out = calloc(1, sizeof(*out));
    if (!out) {
        return false;
    }
    wall->outputs = out;
    wall->n_outputs = 1;
    out->id = strdup(o->id);
    out->tiles = calloc((size_t)load->cells, sizeof(*out->tiles));
    if (!out->id || !out->tiles) {
        return false;
    }
    out->width = o->width;
    out->height = o->height;
    out->background = o->background;
    out->n_tiles = load->cells;
    struct layout_grid grid = {.rows = g->rows, .columns = g->columns, .gap = g->gap};
    for (int i = 0; i < load->cells; i++) {
        struct layout_tile *tile = &out->tiles[i];
        tile->camera = i < wall->n_cameras ? i : -1;
        tile->fit = (enum layout_fit)g->fit;
        if (!layout_grid_cell(&grid, o->width, o->height, i / g->columns, i % g->columns, 1, 1,
                              &tile->rect)) {
            return false; /* check_grid() made sure every cell fits */
        }
    }
    return true;
}

static void read_wall(struct load *load, const config_setting_t *root)
{
    int errors = load->reader.diags->errors;
    struct root_values r = {0};
    layout_read_group(&load->reader, root, (struct layout_scope){0}, root_fields, &r);

    struct output_values o = {.id = "main", .background = 0x000000};
    struct layout_scope output_scope = {.label = "output", .sep = "."};
    bool output_ok =
        r.output && layout_read_group(&load->reader, r.output, output_scope, output_fields, &o);

    struct grid_values g = {.gap = 4, .fit = LAYOUT_FIT_LETTERBOX};
    struct layout_scope grid_scope = {.label = "grid", .sep = "."};
    bool grid_ok = r.grid && layout_read_group(&load->reader, r.grid, grid_scope, grid_fields, &g);
    if (output_ok && grid_ok && check_grid(load, r.grid, &g, &o)) {
        load->cells = g.rows * g.columns;
    }
    if (r.cameras) {
        read_cameras(load, r.cameras);
    }
    if (load->reader.diags->errors == errors && !build_output(load, &o, &g)) {
        out_of_memory(load);
    }
}

static void report_syntax(struct load *load, const config_t *cfg)
{
    const char *file = layout_files_lookup(&load->files, config_error_file(cfg));
    const char *text = config_error_text(cfg);
    diag_add(load->reader.diags, DIAG_ERROR, file, config_error_line(cfg), "%s",
             text ? text : "cannot read the layout file");
}

static bool diag_before(const struct layout_files *files, const struct diag *a,
                        const struct diag *b)
{
    int ra = layout_files_rank(files, a->file), rb = layout_files_rank(files, b->file);
    return ra < rb || (ra == rb && a->line < b->line);
}

/* Problems come out in reading order: by file, then line; stable. */
static void sort_diags(struct diag_list *diags, int first, const struct layout_files *files)
{
    for (int i = first + 1; i < diags->count; i++) {
        struct diag d = diags->items[i];
        int j = i;
        while (j > first && diag_before(files, &d, &diags->items[j - 1])) {
            diags->items[j] = diags->items[j - 1];
            j--;
        }
        diags->items[j] = d;
    }
}

static void parse(struct load *load, const char *path)
{
    int errors = load->reader.diags->errors;
    if (!layout_files_scan(&load->files, path, load->reader.diags)) {
        if (load->reader.diags->errors == errors) {
            out_of_memory(load);
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

struct layout_wall *layout_load(const char *path, struct diag_list *diags)
{
    int errors = diags->errors;
    int first = diags->count;
    struct load load = {.reader = {.diags = diags}, .cells = -1};
    load.reader.files = &load.files;
    layout_files_init(&load.files);

    load.wall = calloc(1, sizeof(*load.wall));
    if (!load.wall || !(load.wall->path = strdup(path))) {
        diag_add(diags, DIAG_ERROR, path, 0, "out of memory");
    } else {
        parse(&load, path);
    }
    sort_diags(diags, first, &load.files);
    if (diags->errors != errors) {
        layout_destroy(load.wall);
        layout_files_finish(&load.files);
        return NULL;
    }
    load.wall->files = load.files.paths;
    load.wall->n_files = load.files.count;
    load.files.paths = NULL;
    load.files.count = 0;
    layout_files_finish(&load.files);
    return load.wall;
}

void layout_destroy(struct layout_wall *wall)
{
    if (!wall) {
        return;
    }
    for (int i = 0; i < wall->n_outputs; i++) {
        free(wall->outputs[i].id);
        free(wall->outputs[i].tiles);
    }
    free(wall->outputs);
    for (int i = 0; i < wall->n_cameras; i++) {
        free(wall->cameras[i].name);
        free(wall->cameras[i].url);
    }
    free(wall->cameras);
    for (int i = 0; i < wall->n_files; i++) {
        free(wall->files[i]);
    }
    free(wall->files);
    free(wall->path);
    free(wall);
}

const struct layout_camera *layout_find_camera(const struct layout_wall *wall, int number)
{
    for (int i = 0; wall && i < wall->n_cameras; i++) {
        if (wall->cameras[i].number == number) {
            return &wall->cameras[i];
        }
    }
    return NULL;
}
