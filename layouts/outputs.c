#include "layouts/outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"
#include "layouts/monitors.h"
#include "layouts/registry.h"
#include "layouts/templates.h"
#include "layouts/zones.h"

#define TOUR_PREFIX "tour:"

struct output_values {
    const char *id, *zone;
    const config_setting_t *display, *pages;
    int rect[4];     /* x, y, width, height */
    int monitors[2]; /* rows, columns */
    int bezel[2];
    uint32_t background;
};

struct page_values {
    const char *name, *layout;
    const config_setting_t *tiles;
};

#define OUTPUT(member) LAYOUT_AT(struct output_values, member)
#define PAGE(member)   LAYOUT_AT(struct page_values, member)

/* clang-format off */
static const struct layout_field output_fields[] = {
    {.key = "id",         .kind = LAYOUT_FIELD_NAME,  LAYOUT_REQUIRED, OUTPUT(id)},
    {.key = "display",    .kind = LAYOUT_FIELD_VALUE,                  OUTPUT(display)},
    {.key = "rect",       LAYOUT_INTS(4, 0, 65535, N_("[x, y, width, height]")), LAYOUT_REQUIRED,
     OUTPUT(rect)},
    {.key = "monitors",   LAYOUT_INTS(2, 1, 4, N_("[rows, columns]")), OUTPUT(monitors)},
    {.key = "zone",       .kind = LAYOUT_FIELD_NAME,                   OUTPUT(zone)},
    {.key = "background", .kind = LAYOUT_FIELD_COLOUR,                 OUTPUT(background)},
    {.key = "bezel",      LAYOUT_INTS(2, 0, 256, N_("[x, y]")),        OUTPUT(bezel)},
    {.key = "pages",      .kind = LAYOUT_FIELD_LIST,  LAYOUT_REQUIRED, OUTPUT(pages)},
    {0},
};

static const struct layout_field page_fields[] = {
    {.key = "name",       .kind = LAYOUT_FIELD_TEXT,                   PAGE(name)},
    {.key = "layout",     .kind = LAYOUT_FIELD_NAME, .also = "+", LAYOUT_REQUIRED, PAGE(layout)},
    {.key = "tiles",      .kind = LAYOUT_FIELD_VALUE, LAYOUT_REQUIRED, PAGE(tiles)},
    {0},
};
/* clang-format on */

/* What placing the tiles of one page needs. */
struct page_read {
    struct load *load;
    const struct layout_zone *zone; /* NULL when the output's zone is unknown */
    const char *label;              /* "output ssc-1, page 2" */
};

static void report_not_admitted(struct page_read *r, const config_setting_t *at, const char *tile,
                                const char *what, const struct layout_camera *c)
{
    char admits[64];
    layout_zone_describe_admits(r->zone, admits, sizeof(admits));
    const char *programme = layout_programme_name(c->programme);
    if (what) {
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      /* TRANSLATORS: the tile ("output ssc-1, page 1, tile 2"), the tour
                       * ("tour night"), the zone's id, the camera and its programme
                       * ("ssc" or "guardians"), and what the zone admits ("ssc only",
                       * "ssc and guardians"). */
                      "%s: %s cannot be shown in zone %s: its camera %d (%s) is not admitted (the "
                      "zone admits %s)",
                      tile, what, r->zone->id, c->number, programme, admits);
    } else {
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      /* TRANSLATORS: the tile ("output ssc-1, page 1, tile 2"), the camera
                       * and its programme ("ssc" or "guardians"), the zone's id and what it
                       * admits ("ssc only", "ssc and guardians"). */
                      "%s: camera %d (%s) cannot be shown in zone %s: it admits %s", tile,
                      c->number, programme, r->zone->id, admits);
    }
}

static bool place_camera(struct page_read *r, const config_setting_t *at, const char *tile,
                         int number, struct layout_tile *out)
{
    const struct layout_camera *c = layout_find_camera(r->load->wall, number);
    if (!c) {
        layout_report(&r->load->reader, DIAG_ERROR, at, "%s: camera %d is not in the registry",
                      tile, number);
        return false;
    }
    if (c->status != LAYOUT_STATUS_ACTIVE) {
        layout_report(&r->load->reader, DIAG_ERROR, at,
                      /* TRANSLATORS: the last %s is the camera's status as written:
                       * "suspended" or "removed". */
                      "%s: camera %d is %s: only active cameras can be shown", tile, number,
                      layout_status_name(c->status));
        return false;
    }
    if (r->zone && !layout_zone_admits(r->zone, c)) {
        report_not_admitted(r, at, tile, NULL, c);
        return false;
    }
    out->camera = (int)(c - r->load->wall->cameras);
    return true;
}

static bool place_tour(struct page_read *r, const config_setting_t *at, const char *tile,
                       const char *name, struct layout_tile *out)
{
    char prefix[320];
    snprintf(prefix, sizeof(prefix), "%s: ", tile);
    int i = load_index_find(&r->load->tours, name);
    if (i == -1) {
        load_report_unknown(r->load, at, prefix, N_("no tour named '%s'"), &r->load->tours, name);
    }
    if (i < 0) {
        return false;
    }
    const struct layout_tour *tour = &r->load->wall->tours[i];
    for (int k = 0; r->zone && k < tour->n_cameras; k++) {
        const struct layout_camera *c = &r->load->wall->cameras[tour->cameras[k]];
        if (!layout_zone_admits(r->zone, c)) {
            char what[96];
            snprintf(what, sizeof(what), _("tour %s"), tour->name);
            report_not_admitted(r, at, tile, what, c);
            return false;
        }
    }
    out->tour = i;
    return true;
}

/* One element of a page's tiles: a camera number, "tour:NAME", 0 or "". */
static bool place_tile(struct page_read *r, const config_setting_t *s, int n,
                       struct layout_tile *out)
{
    char tile[256];
    /* TRANSLATORS: %s is the page, like "output ssc-1, page 2". */
    snprintf(tile, sizeof(tile), _("%s, tile %d"), r->label, n + 1);
    long long number = layout_is_int(s) ? config_setting_get_int64(s) : -1;
    const char *text =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (number == 0 || (text && !text[0])) {
        return true;
    }
    if (number >= 1 && number <= LAYOUT_CAMERA_NUMBER_MAX) {
        return place_camera(r, s, tile, (int)number, out);
    }
    size_t prefix = strlen(TOUR_PREFIX);
    if (text && strncmp(text, TOUR_PREFIX, prefix) == 0 && text[prefix]) {
        return place_tour(r, s, tile, text + prefix, out);
    }
    char got[128];
    layout_describe(s, got, sizeof(got));
    layout_report(&r->load->reader, DIAG_ERROR, s,
                  "%s must be a camera number, \"tour:NAME\", or 0 for an empty tile (got %s)",
                  tile, got);
    return false;
}

/* The page's layout, or NULL (reported when unknown). */
static const struct layout_template *page_layout(struct load *load, const config_setting_t *entry,
                                                 const char *label, const char *name)
{
    if (!name) {
        return NULL;
    }
    int i = load_index_find(&load->layouts, name);
    if (i == -1) {
        char prefix[256];
        snprintf(prefix, sizeof(prefix), "%s: ", label);
        load_report_unknown(load, config_setting_get_member(entry, "layout"), prefix,
                            N_("no layout named '%s'"), &load->layouts, name);
    }
    return i >= 0 ? &load->wall->layouts[i] : NULL;
}

/* Places the layout's slots on the output; reports once per output and
 * layout when its grid does not fit. */
static void place_page(struct load *load, const config_setting_t *entry, const char *label,
                       const struct layout_output *out, const struct layout_template *t,
                       struct layout_page *page)
{
    char why[256];
    if (!layout_template_fits(t, out->width, out->height, why, sizeof(why))) {
        for (int i = 0; i < page - out->pages; i++) {
            if (out->pages[i].layout == page->layout) {
                return; /* reported for an earlier page */
            }
        }
        layout_report(&load->reader, DIAG_ERROR, config_setting_get_member(entry, "layout"),
                      /* TRANSLATORS: the page ("output ssc-1, page 2"), the layout's name,
                       * why ("4 columns with gap 4 need a width of at least 21"), and the
                       * output's width and height in pixels. */
                      "%s: layout %s does not fit the output: %s (the output is %d x %d)", label,
                      t->name, why, out->width, out->height);
        return;
    }
    layout_template_place(t, out->width, out->height, page->tiles);
}

static bool tiles_list(struct load *load, const config_setting_t *tiles, const char *label)
{
    int type = config_setting_type(tiles);
    if (type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY) {
        return true;
    }
    char got[128];
    layout_describe(tiles, got, sizeof(got));
    layout_report(&load->reader, DIAG_ERROR, tiles,
                  "%s: tiles must be a list like (101, \"tour:NAME\", 0) (got %s)", label, got);
    return false;
}

static void read_page(struct load *load, struct page_read *r, const config_setting_t *entry,
                      struct layout_output *out, struct layout_page *page)
{
    struct page_values v = {0};
    page->layout = -1;
    layout_read_group(&load->reader, entry, (struct layout_scope){r->label, ": "}, page_fields,
                      &v);
    page->name = load_strdup(load, v.name);
    const struct layout_template *t = page_layout(load, entry, r->label, v.layout);
    bool listed = v.tiles && tiles_list(load, v.tiles, r->label);
    int n = listed ? config_setting_length(v.tiles) : 0;
    if (t && listed && n != t->n_slots) {
        layout_report_translated(&load->reader, DIAG_ERROR, v.tiles,
                                 /* TRANSLATORS: the page ("output ssc-1, page 2"), the layout's
                                  * name, its number of tiles and how many the page lists. */
                                 ngettext("%s: layout %s has %d tile but the page lists %d",
                                          "%s: layout %s has %d tiles but the page lists %d",
                                          (unsigned long)t->n_slots),
                                 r->label, t->name, t->n_slots, n);
    }
    page->n_tiles = t ? t->n_slots : n;
    page->tiles = load_calloc(load, page->n_tiles, sizeof(*page->tiles));
    if (!page->tiles) {
        return;
    }
    for (int i = 0; i < page->n_tiles; i++) {
        page->tiles[i].camera = page->tiles[i].tour = -1;
    }
    for (int i = 0; i < n; i++) {
        struct layout_tile spare = {.camera = -1, .tour = -1};
        struct layout_tile *tile = i < page->n_tiles ? &page->tiles[i] : &spare;
        place_tile(r, config_setting_get_elem(v.tiles, (unsigned)i), i, tile);
    }
    if (t) {
        page->layout = (int)(t - load->wall->layouts);
    }
    if (t && out->width > 0) {
        place_page(load, entry, r->label, out, t, page);
    }
}

static void read_pages(struct load *load, const config_setting_t *list, const char *label,
                       const struct layout_zone *zone, struct layout_output *out)
{
    int n = config_setting_length(list);
    if (n == 0) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "%s: pages is empty: an output needs at least one page", label);
        return;
    }
    out->pages = load_calloc(load, n, sizeof(*out->pages));
    if (!out->pages) {
        return;
    }
    out->n_pages = n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *entry = config_setting_get_elem(list, (unsigned)i);
        char page_label[160];
        /* TRANSLATORS: %s is the output, like "output ssc-1". */
        snprintf(page_label, sizeof(page_label), _("%s, page %d"), label, i + 1);
        struct page_read r = {load, zone, page_label};
        if (config_setting_type(entry) == CONFIG_TYPE_GROUP) {
            read_page(load, &r, entry, out, &out->pages[i]);
            continue;
        }
        char got[128];
        layout_describe(entry, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, entry,
                      "%s must be a group { layout = ...; tiles = (...); } (got %s)", page_label,
                      got);
    }
}

/* The output's zone; NULL when unknown (reported). */
static const struct layout_zone *output_zone(struct load *load, const config_setting_t *entry,
                                             const char *label, const char *name, int default_zone,
                                             struct layout_output *out)
{
    int i = name ? load_index_find(&load->zones, name) : default_zone;
    if (name && i == -1) {
        char prefix[160];
        snprintf(prefix, sizeof(prefix), "%s: ", label);
        load_report_unknown(load, config_setting_get_member(entry, "zone"), prefix,
                            N_("no zone named '%s'"), &load->zones, name);
    } else if (!name && i < 0) {
        layout_report(&load->reader, DIAG_ERROR, entry,
                      "%s: missing required setting 'zone' (the file defines zones)", label);
    }
    out->zone = i >= 0 ? i : -1;
    return i >= 0 ? &load->wall->zones[i] : NULL;
}

static const struct load_list output_list = {
    .named = N_("output %s"),
    .nth = N_("outputs entry %d"),
    .name_key = "id",
    .shape = N_("id = ...; rect = [...]; pages = (...);"),
};

static void read_output(struct load *load, const config_setting_t *entry, int index,
                        int default_zone, int *next_display)
{
    char label[128];
    if (!load_begin_entry(load, &output_list, entry, index, label, sizeof(label))) {
        return;
    }
    struct output_values v = {.background = 0x000000};
    layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "}, output_fields, &v);
    struct layout_output *out = &load->wall->outputs[load->wall->n_outputs++];
    *out = (struct layout_output){.id = load_strdup(load, v.id)};
    if (v.rect[2] &&
        (v.rect[2] < 16 || v.rect[2] > 16384 || v.rect[3] < 16 || v.rect[3] > 16384)) {
        layout_report(&load->reader, DIAG_ERROR, config_setting_get_member(entry, "rect"),
                      "%s: rect width and height must be from 16 to 16384 pixels (got %d x %d)",
                      label, v.rect[2], v.rect[3]);
    } else {
        out->rect = (struct layout_rect){v.rect[0], v.rect[1], v.rect[2], v.rect[3]};
    }
    out->background = v.background;
    out->bezel_x = v.bezel[0];
    out->bezel_y = v.bezel[1];
    layout_monitors_read(load, entry, label, v.display, v.monitors, next_display, out);
    const struct layout_zone *zone = output_zone(load, entry, label, v.zone, default_zone, out);
    if (v.pages) {
        read_pages(load, v.pages, label, zone, out);
    }
    if (v.id) {
        load_index_add(load, &load->outputs, v.id, (int)(out - load->wall->outputs), entry);
    }
}

/* No two outputs on one spot of the canvas. */
static void check_apart(struct load *load, const config_setting_t *const *entries)
{
    const struct layout_wall *wall = load->wall;
    for (int i = 1; i < wall->n_outputs; i++) {
        const struct layout_output *a = &wall->outputs[i];
        for (int j = 0; j < i && a->id; j++) {
            const struct layout_output *b = &wall->outputs[j];
            char where[512];
            load_where(load, entries[j], load_file_of(load, entries[i]), where, sizeof(where));
            if (b->id && layout_rect_overlaps(a->rect, b->rect)) {
                layout_report(
                    &load->reader, DIAG_ERROR, config_setting_get_member(entries[i], "rect"),
                    "output %s overlaps output %s (%s) on the wall canvas", a->id, b->id, where);
            }
        }
    }
}

void layout_outputs_canvas(struct layout_wall *wall)
{
    wall->width = wall->height = 0;
    for (int i = 0; i < wall->n_outputs; i++) {
        const struct layout_rect *r = &wall->outputs[i].rect;
        wall->width = r->x + r->w > wall->width ? r->x + r->w : wall->width;
        wall->height = r->y + r->h > wall->height ? r->y + r->h : wall->height;
    }
}

void layout_outputs_read(struct load *load, const config_setting_t *list)
{
    struct layout_wall *wall = load->wall;
    int n = config_setting_length(list);
    if (n == 0) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "outputs is empty: the wall needs at least one output");
        return;
    }
    int default_zone = -1;
    if (wall->n_zones == 0 && load->zones.count == 0) {
        default_zone = layout_zone_add_default(load);
    }
    const config_setting_t **entries = load_calloc(load, n, sizeof(*entries));
    wall->outputs = load_calloc(load, n, sizeof(*wall->outputs));
    int next_display = 0;
    for (int i = 0; entries && wall->outputs && i < n; i++) {
        int before = wall->n_outputs;
        read_output(load, config_setting_get_elem(list, (unsigned)i), i, default_zone,
                    &next_display);
        if (wall->n_outputs > before) {
            entries[before] = config_setting_get_elem(list, (unsigned)i);
        }
    }
    load_index_sort(load, &load->outputs, N_("output id '%s' is already used at %s"));
    if (entries && wall->outputs) {
        check_apart(load, entries);
        layout_monitors_check(load, entries);
    }
    free(entries);
    layout_outputs_canvas(wall);
}

void layout_output_finish(struct layout_output *output)
{
    free(output->id);
    layout_monitors_finish(output);
    for (int i = 0; i < output->n_pages; i++) {
        free(output->pages[i].name);
        free(output->pages[i].tiles);
    }
    free(output->pages);
}
