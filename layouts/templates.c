#include "layouts/templates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

#define EPSILON 1e-9 /* slack for sums like 0.7 + 0.3 */

struct template_values {
    const char *name;
    int grid[2]; /* rows, columns */
    int gap, fit;
    const config_setting_t *tiles, *pip;
};

struct tile_values {
    int cell[2], span[2]; /* row, column; rows, columns */
    int fit;
};

struct pip_values {
    double area[4]; /* x, y, w, h */
    int fit;
};

#define TEMPLATE(member) LAYOUT_AT(struct template_values, member)
#define TILE(member)     LAYOUT_AT(struct tile_values, member)
#define PIP(member)      LAYOUT_AT(struct pip_values, member)

/* Indexed by enum layout_fit. */
static const char *const fit_names[] = {"letterbox", "fill", NULL};

/* clang-format off */
static const struct layout_field template_fields[] = {
    {.key = "name", .kind = LAYOUT_FIELD_NAME, .also = "+", LAYOUT_REQUIRED, TEMPLATE(name)},
    {.key = "grid", LAYOUT_INTS(2, 1, LAYOUT_GRID_MAX, N_("[rows, columns]")), LAYOUT_REQUIRED,
     TEMPLATE(grid)},
    {.key = "gap",  LAYOUT_INT(0, 64),                                 TEMPLATE(gap)},
    {.key = "fit",  LAYOUT_CHOICE(fit_names),                          TEMPLATE(fit)},
    {.key = "tiles", .kind = LAYOUT_FIELD_LIST,                        TEMPLATE(tiles)},
    {.key = "pip",  .kind = LAYOUT_FIELD_LIST,                         TEMPLATE(pip)},
    {0},
};

static const struct layout_field tile_fields[] = {
    {.key = "cell", LAYOUT_INTS(2, 0, LAYOUT_GRID_MAX - 1, N_("[row, column]")), LAYOUT_REQUIRED,
     TILE(cell)},
    {.key = "span", LAYOUT_INTS(2, 1, LAYOUT_GRID_MAX, N_("[rows, columns]")), TILE(span)},
    {.key = "fit",  LAYOUT_CHOICE(fit_names),                                TILE(fit)},
    {0},
};

static const struct layout_field pip_fields[] = {
    {.key = "area", LAYOUT_NUMBERS(4, 0.0, 1.0, N_("[x, y, w, h]")), LAYOUT_REQUIRED, PIP(area)},
    {.key = "fit",  LAYOUT_CHOICE(fit_names),                    PIP(fit)},
    {0},
};
/* clang-format on */

/* What reading one layout entry needs. */
struct template_read {
    struct load *load;
    const char *label; /* "layout 1+5" */
    struct layout_template *t;
    int *owner; /* rows x columns: index of the slot covering each cell, or -1 */
};

void layout_template_finish(struct layout_template *t)
{
    free(t->name);
    free(t->slots);
}

/* "cell [0, 2]" or "cell [0, 0], span [2, 2]". */
static void describe_slot(const struct layout_slot *s, char *buf, size_t size)
{
    if (s->row_span == 1 && s->column_span == 1) {
        snprintf(buf, size, "cell [%d, %d]", s->row, s->column);
    } else {
        snprintf(buf, size, "cell [%d, %d], span [%d, %d]", s->row, s->column, s->row_span,
                 s->column_span);
    }
}

/* Claims the cells of slot n; reports the first slot it overlaps. */
static bool claim_cells(struct template_read *r, const config_setting_t *at, int n)
{
    const struct layout_slot *s = &r->t->slots[n];
    const struct layout_grid *g = &r->t->grid;
    char mine[64], theirs[64];
    describe_slot(s, mine, sizeof(mine));
    if (s->row + s->row_span > g->rows || s->column + s->column_span > g->columns) {
        char rows[64], columns[64];
        snprintf(rows, sizeof(rows), ngettext("%d row", "%d rows", (unsigned long)g->rows),
                 g->rows);
        snprintf(columns, sizeof(columns),
                 ngettext("%d column", "%d columns", (unsigned long)g->columns), g->columns);
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      /* TRANSLATORS: the layout ("layout 1+5"), the tile's number and
                       * place ("cell [0, 2]"), then "2 rows" and "3 columns". */
                      "%s: tile %d (%s) is outside the grid of %s x %s", r->label, n + 1, mine,
                      rows, columns);
        return false;
    }
    for (int row = s->row; row < s->row + s->row_span; row++) {
        for (int col = s->column; col < s->column + s->column_span; col++) {
            int other = r->owner[row * g->columns + col];
            if (other >= 0) {
                describe_slot(&r->t->slots[other], theirs, sizeof(theirs));
                layout_report(&r->load->reader, DIAG_ERROR, at,
                              "%s: tile %d (%s) overlaps tile %d (%s)", r->label, n + 1, mine,
                              other + 1, theirs);
                return false;
            }
        }
    }
    for (int row = s->row; row < s->row + s->row_span; row++) {
        for (int col = s->column; col < s->column + s->column_span; col++) {
            r->owner[row * g->columns + col] = n;
        }
    }
    return true;
}

static bool read_tile(struct template_read *r, const config_setting_t *entry, int n)
{
    char label[256];
    /* TRANSLATORS: %s is the layout, like "layout 1+5". */
    snprintf(label, sizeof(label), _("%s, tile %d"), r->label, n + 1);
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
        char got[128];
        layout_describe(entry, got, sizeof(got));
        layout_report(&r->load->reader, DIAG_ERROR, entry,
                      "%s must be a group { cell = [row, column]; span = [rows, columns]; } "
                      "(got %s)",
                      label, got);
        return false;
    }
    struct tile_values v = {.span = {1, 1}, .fit = r->t->slots[n].fit};
    if (!layout_read_group(&r->load->reader, entry, (struct layout_scope){label, ": "},
                           tile_fields, &v)) {
        return false;
    }
    r->t->slots[n] = (struct layout_slot){
        .row = v.cell[0],
        .column = v.cell[1],
        .row_span = v.span[0],
        .column_span = v.span[1],
        .fit = (enum layout_fit)v.fit,
    };
    return claim_cells(r, entry, n);
}

static bool before(const struct layout_slot *a, const struct layout_slot *b)
{
    return a->row < b->row || (a->row == b->row && a->column < b->column);
}

/* Puts the grid slots in reading order, warning once when the file did not
 * list them that way: pages fill tiles in that order. */
static void sort_slots(struct template_read *r, const config_setting_t *list, int n)
{
    struct layout_slot *slots = r->t->slots;
    for (int i = 1; i < n; i++) {
        if (before(&slots[i], &slots[i - 1])) {
            char a[64], b[64];
            describe_slot(&slots[i], a, sizeof(a));
            describe_slot(&slots[i - 1], b, sizeof(b));
            layout_report(&r->load->reader, DIAG_WARNING, config_setting_get_elem(list, i),
                          "%s: tile %d (%s) is listed after tile %d (%s): pages fill tiles in "
                          "reading order, row by row, so it comes first",
                          r->label, i + 1, a, i, b);
            break;
        }
    }
    for (int i = 1; i < n; i++) {
        struct layout_slot s = slots[i];
        int j = i;
        while (j > 0 && before(&s, &slots[j - 1])) {
            slots[j] = slots[j - 1];
            j--;
        }
        slots[j] = s;
    }
}

static bool read_pip(struct template_read *r, const config_setting_t *entry, int n, int index)
{
    char label[256];
    /* TRANSLATORS: %s is the layout, like "layout 1+5"; "pip" is the
     * setting, as written. */
    snprintf(label, sizeof(label), _("%s, pip %d"), r->label, index + 1);
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
        char got[128];
        layout_describe(entry, got, sizeof(got));
        layout_report(&r->load->reader, DIAG_ERROR, entry,
                      "%s must be a group { area = [x, y, w, h]; } (got %s)", label, got);
        return false;
    }
    struct pip_values v = {.fit = r->t->slots[n].fit};
    if (!layout_read_group(&r->load->reader, entry, (struct layout_scope){label, ": "}, pip_fields,
                           &v)) {
        return false;
    }
    const config_setting_t *at = config_setting_get_member(entry, "area");
    char got[128];
    layout_describe(at, got, sizeof(got));
    if (v.area[0] + v.area[2] > 1.0 + EPSILON || v.area[1] + v.area[3] > 1.0 + EPSILON) {
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      "%s: area must lie within the output: x + w and y + h at most 1 (got %s)",
                      label, got);
        return false;
    }
    if (v.area[2] <= 0.0 || v.area[3] <= 0.0) {
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      "%s: area is empty: w and h must be more than 0 (got %s)", label, got);
        return false;
    }
    r->t->slots[n] = (struct layout_slot){
        .free = true,
        .area_origin = {v.area[0], v.area[1]},
        .area_size = {v.area[2], v.area[3]},
        .fit = (enum layout_fit)v.fit,
    };
    return true;
}

/* Every cell once, in reading order. */
static void fill_grid(struct layout_template *t, enum layout_fit fit)
{
    for (int i = 0; i < t->grid.rows * t->grid.columns; i++) {
        t->slots[i] = (struct layout_slot){
            .row = i / t->grid.columns,
            .column = i % t->grid.columns,
            .row_span = 1,
            .column_span = 1,
            .fit = fit,
        };
    }
}

static int length_of(const config_setting_t *list)
{
    return list ? config_setting_length(list) : 0;
}

/* The slots of one layout entry; false when any of them is invalid. */
static bool read_slots(struct template_read *r, const struct template_values *v)
{
    struct layout_template *t = r->t;
    int cells = t->grid.rows * t->grid.columns;
    int n_grid = v->tiles ? length_of(v->tiles) : cells;
    int n_pip = length_of(v->pip);
    t->slots = load_calloc(r->load, n_grid + n_pip, sizeof(*t->slots));
    r->owner = load_calloc(r->load, cells, sizeof(*r->owner));
    if (!t->slots || !r->owner) {
        return false;
    }
    t->n_slots = n_grid + n_pip;
    for (int i = 0; i < t->n_slots; i++) {
        t->slots[i].fit = (enum layout_fit)v->fit;
    }
    bool ok = true;
    if (!v->tiles) {
        fill_grid(t, (enum layout_fit)v->fit);
    } else if (n_grid == 0) {
        layout_report(&r->load->reader, DIAG_ERROR, v->tiles,
                      "%s: tiles is empty: remove it to use every cell of the grid once",
                      r->label);
        ok = false;
    }
    memset(r->owner, 0xff, (size_t)cells * sizeof(*r->owner));
    for (int i = 0; v->tiles && i < n_grid; i++) {
        ok = read_tile(r, config_setting_get_elem(v->tiles, (unsigned)i), i) && ok;
    }
    if (ok && v->tiles) {
        sort_slots(r, v->tiles, n_grid);
    }
    for (int i = 0; i < n_pip; i++) {
        ok = read_pip(r, config_setting_get_elem(v->pip, (unsigned)i), n_grid + i, i) && ok;
    }
    return ok;
}

/* Adds the layout to the model when it is valid; its name to the index anyway. */
static const struct load_list template_list = {
    .named = N_("layout %s"),
    .nth = N_("layouts entry %d"),
    .name_key = "name",
    .shape = N_("name = ...; grid = [rows, columns];"),
};

static void read_template(struct load *load, const config_setting_t *entry, int index)
{
    char label[128];
    if (!load_begin_entry(load, &template_list, entry, index, label, sizeof(label))) {
        return;
    }
    struct template_values v = {.gap = 4, .fit = LAYOUT_FIT_LETTERBOX};
    bool ok = layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "},
                                template_fields, &v);
    struct layout_wall *wall = load->wall;
    struct layout_template *t = &wall->layouts[wall->n_layouts];
    *t = (struct layout_template){.grid = {v.grid[0], v.grid[1], v.gap}};
    struct template_read r = {load, label, t, NULL};
    bool slots_ok = v.grid[0] > 0 && read_slots(&r, &v); /* only with a valid grid */
    free(r.owner);
    if (ok && slots_ok) {
        t->name = load_strdup(load, v.name);
    }
    ok = ok && slots_ok && t->name;
    if (ok) {
        wall->n_layouts++;
    } else {
        layout_template_finish(t);
    }
    if (v.name) {
        load_index_add(load, &load->layouts, v.name, ok ? wall->n_layouts - 1 : LOAD_BROKEN,
                       entry);
    }
}

void layout_templates_read(struct load *load, const config_setting_t *list)
{
    int n = length_of(list);
    load->wall->layouts = load_calloc(load, n, sizeof(*load->wall->layouts));
    for (int i = 0; load->wall->layouts && i < n; i++) {
        read_template(load, config_setting_get_elem(list, (unsigned)i), i);
    }
    load_index_sort(load, &load->layouts, N_("layout name '%s' is already used at %s"));
}

bool layout_template_add_grid(struct load *load, const char *name, struct layout_grid grid,
                              enum layout_fit fit)
{
    struct layout_wall *wall = load->wall;
    struct layout_template *t = load_calloc(load, 1, sizeof(*t));
    if (!t) {
        return false;
    }
    wall->layouts = t;
    t->grid = grid;
    t->name = load_strdup(load, name);
    t->slots = load_calloc(load, grid.rows * grid.columns, sizeof(*t->slots));
    if (!t->name || !t->slots) {
        layout_template_finish(t);
        return false;
    }
    t->n_slots = grid.rows * grid.columns;
    fill_grid(t, fit);
    wall->n_layouts = 1;
    return true;
}

/* A free area in output pixels: rounded edges, at least one pixel. */
static struct layout_rect area_rect(const struct layout_slot *s, int width, int height)
{
    long x0 = lround(s->area_origin.x * width), y0 = lround(s->area_origin.y * height);
    long x1 = lround((s->area_origin.x + s->area_size.x) * width);
    long y1 = lround((s->area_origin.y + s->area_size.y) * height);
    x1 = x1 > width ? width : x1;
    y1 = y1 > height ? height : y1;
    x0 = x0 >= x1 ? x1 - 1 : x0;
    y0 = y0 >= y1 ? y1 - 1 : y0;
    return (struct layout_rect){(int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)};
}

bool layout_template_place(const struct layout_template *t, int width, int height,
                           struct layout_tile *tiles)
{
    for (int i = 0; i < t->n_slots; i++) {
        const struct layout_slot *s = &t->slots[i];
        tiles[i].fit = s->fit;
        tiles[i].free = s->free;
        if (s->free) {
            tiles[i].rect = area_rect(s, width, height);
        } else if (!layout_grid_cell(&t->grid, width, height, s->row, s->column, s->row_span,
                                     s->column_span, &tiles[i].rect)) {
            return false;
        }
    }
    return true;
}

bool layout_axis_fits(bool columns, int cells, int gap, int extent, char *why, size_t size)
{
    int need = gap * (cells + 1) + cells;
    if (need <= extent) {
        return true;
    }
    /* One sentence per axis and number: "1 column ... needs", "2 columns ... need". */
    const char *fmt =
        columns
            ? ngettext("%d column with gap %d needs a width of at least %d",
                       "%d columns with gap %d need a width of at least %d", (unsigned long)cells)
            : ngettext("%d row with gap %d needs a height of at least %d",
                       "%d rows with gap %d need a height of at least %d", (unsigned long)cells);
    snprintf(why, size, fmt, cells, gap, need);
    return false;
}

bool layout_template_fits(const struct layout_template *t, int width, int height, char *why,
                          size_t size)
{
    char wide_why[256], tall_why[256];
    bool wide =
        layout_axis_fits(true, t->grid.columns, t->grid.gap, width, wide_why, sizeof(wide_why));
    bool tall =
        layout_axis_fits(false, t->grid.rows, t->grid.gap, height, tall_why, sizeof(tall_why));
    if (!wide && !tall) {
        /* TRANSLATORS: both reasons a layout does not fit: "4 columns ... need
         * a width of at least 21 and 3 rows ... need a height of at least 16". */
        snprintf(why, size, _("%s and %s"), wide_why, tall_why);
    } else {
        snprintf(why, size, "%s", wide ? (tall ? "" : tall_why) : wide_why);
    }
    return wide && tall;
}
