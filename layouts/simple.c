#include "layouts/simple.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/i18n.h"
#include "layouts/monitors.h"
#include "layouts/outputs.h"
#include "layouts/zones.h"
#include "layouts/registry.h"
#include "layouts/templates.h"

const char *const layout_simple_keys[] = {"output", "grid", NULL};

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

#define ROOT(member)   LAYOUT_AT(struct root_values, member)
#define OUTPUT(member) LAYOUT_AT(struct output_values, member)
#define GRID(member)   LAYOUT_AT(struct grid_values, member)

/* Indexed by enum layout_fit. */
static const char *const fit_names[] = {"letterbox", "fill", NULL};
_Static_assert(LAYOUT_FIT_LETTERBOX == 0 && LAYOUT_FIT_FILL == 1, M_("fit_names order"));

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
/* clang-format on */

/* A grid needs one gap around and between cells, and a pixel per cell:
 * columns across the output's width, or rows down its height. */
static bool check_fit(struct load *load, const config_setting_t *grid, bool columns, int cells,
                      int gap, int extent)
{
    char why[256];
    if (layout_axis_fits(columns, cells, gap, extent, why, sizeof(why))) {
        return true;
    }
    layout_report(&load->reader, DIAG_ERROR, grid,
                  /* TRANSLATORS: the first %s says why, like "4 columns with gap 4 need a
                   * width of at least 21"; then the setting ("width" or "height", as
                   * written) and its value. */
                  "grid does not fit the output: %s (output.%s is %d)", why,
                  columns ? "width" : "height", extent);
    return false;
}

static bool check_grid(struct load *load, const config_setting_t *grid,
                       const struct grid_values *g, const struct output_values *o)
{
    bool wide = check_fit(load, grid, true, g->columns, g->gap, o->width);
    bool tall = check_fit(load, grid, false, g->rows, g->gap, o->height);
    return wide && tall;
}

static void read_cameras(struct load *load, const config_setting_t *list, int cells)
{
    int n = config_setting_length(list);
    if (!layout_registry_reserve(load, n)) {
        return;
    }
    for (int i = 0; i < n; i++) {
        layout_registry_add_simple(load, config_setting_get_elem(list, (unsigned)i), i);
    }
    layout_registry_index(load);
    const struct layout_wall *wall = load->wall;
    for (int i = 0; cells >= 0 && i < wall->n_cameras; i++) {
        const config_setting_t *entry = load->camera_entries[i];
        const struct layout_camera *c = &wall->cameras[i];
        if (config_setting_index(entry) >= cells && layout_find_camera(wall, c->number) == c) {
            layout_report_translated(&load->reader, DIAG_WARNING, entry,
                                     ngettext("camera %d has no tile: the grid has %d cell",
                                              "camera %d has no tile: the grid has %d cells",
                                              (unsigned long)cells),
                                     c->number, cells);
        }
    }
}

/* The one output of the simple format, on the one page of the grid. */
static bool build_output(struct load *load, const struct output_values *o)
{
    struct layout_wall *wall = load->wall;
    const struct layout_template *t = &wall->layouts[0];
    struct layout_output *out = load_calloc(load, 1, sizeof(*out));
    if (!out) {
        return false;
    }
    wall->outputs = out;
    wall->n_outputs = 1;
    *out = (struct layout_output){
        .id = load_strdup(load, o->id),
        .rect = {0, 0, o->width, o->height},
        .width = o->width,
        .height = o->height,
        .background = o->background,
        .pages = load_calloc(load, 1, sizeof(*out->pages)),
    };
    if (!out->id || !out->pages || !layout_monitors_single(load, out)) {
        return false;
    }
    out->n_pages = 1;
    struct layout_page *page = &out->pages[0];
    page->tiles = load_calloc(load, t->n_slots, sizeof(*page->tiles));
    if (!page->tiles) {
        return false;
    }
    page->n_tiles = t->n_slots;
    for (int i = 0; i < t->n_slots; i++) {
        page->tiles[i].camera = i < wall->n_cameras ? i : -1;
        page->tiles[i].tour = -1;
    }
    layout_outputs_canvas(wall);
    return layout_template_place(t, o->width, o->height, page->tiles);
}

void layout_simple_read(struct load *load, const config_setting_t *root)
{
    int errors = load->reader.diags->errors;
    struct root_values r = {0};
    layout_read_group(&load->reader, root, (struct layout_scope){0}, root_fields, &r);

    struct output_values o = {.id = "main", .background = 0x000000};
    struct layout_scope output_scope = {.label = "output", .sep = "."}; /* as written */
    bool output_ok =
        r.output && layout_read_group(&load->reader, r.output, output_scope, output_fields, &o);

    struct grid_values g = {.gap = 4, .fit = LAYOUT_FIT_LETTERBOX};
    struct layout_scope grid_scope = {.label = "grid", .sep = "."};
    bool grid_ok = r.grid && layout_read_group(&load->reader, r.grid, grid_scope, grid_fields, &g);
    int cells = -1;
    if (output_ok && grid_ok && check_grid(load, r.grid, &g, &o)) {
        cells = g.rows * g.columns;
    }
    if (r.cameras) {
        read_cameras(load, r.cameras, cells);
    }
    if (load->reader.diags->errors != errors) {
        return;
    }
    /* Each step reports running out of memory itself. */
    struct layout_grid grid = {.rows = g.rows, .columns = g.columns, .gap = g.gap};
    if (layout_zone_add_default(load) == 0 &&
        layout_template_add_grid(load, "grid", grid, (enum layout_fit)g.fit)) {
        build_output(load, &o);
    }
}
