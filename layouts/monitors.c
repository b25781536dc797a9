#include "layouts/monitors.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "common/i18n.h"

#define DISPLAY_MAX 15
#define PICTURE_MAX 16384 /* what a GL viewport is sure to take */
#define MONITOR_MIN 16

/* One element of `display`: a number or a connector name. */
static bool read_display(struct load *load, const config_setting_t *s, const char *label,
                         struct layout_monitor *out)
{
    long long n = layout_is_int(s) ? config_setting_get_int64(s) : -1;
    const char *text =
        config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (n >= 0 && n <= DISPLAY_MAX) {
        out->display = (int)n;
        return true;
    }
    if (text && text[0]) {
        out->display = -1;
        out->display_name = load_strdup(load, text);
        return out->display_name != NULL;
    }
    char got[128];
    layout_describe(s, got, sizeof(got));
    layout_report(&load->reader, DIAG_ERROR, s,
                  "%s: display must be a display number from 0 to %d or a connector name "
                  "like \"DP-1\" (got %s)",
                  label, DISPLAY_MAX, got);
    return false;
}

static void read_displays(struct load *load, const config_setting_t *s, const char *label,
                          struct layout_output *out)
{
    int type = config_setting_type(s);
    bool listed = type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY;
    if (!listed && out->n_monitors == 1) {
        read_display(load, s, label, &out->monitors[0]);
        return;
    }
    int n = listed ? config_setting_length(s) : 1;
    if (n != out->n_monitors) {
        layout_report_translated(
            &load->reader, DIAG_ERROR, s,
            ngettext("%s: display must list %d display, one per monitor, row by row (got %d)",
                     "%s: display must list %d displays, one per monitor, row by row (got %d)",
                     (unsigned long)out->n_monitors),
            label, out->n_monitors, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        read_display(load, config_setting_get_elem(s, (unsigned)i), label, &out->monitors[i]);
    }
}

/* Whether rect splits into the grid of monitors and the picture fits GL. */
static bool grid_fits(struct load *load, const config_setting_t *entry, const char *label,
                      const struct layout_output *out)
{
    const struct layout_rect *r = &out->rect;
    const config_setting_t *at = config_setting_get_member(entry, "monitors");
    if (r->w % out->columns || r->h % out->rows || r->w / out->columns < MONITOR_MIN ||
        r->h / out->rows < MONITOR_MIN) {
        layout_report(&load->reader, DIAG_ERROR, at ? at : entry,
                      "%s: rect %d x %d does not split into %d x %d monitors of whole pixels, "
                      "each at least %d x %d",
                      label, r->w, r->h, out->rows, out->columns, MONITOR_MIN, MONITOR_MIN);
        return false;
    }
    int w = r->w + (out->columns - 1) * 2 * out->bezel_x;
    int h = r->h + (out->rows - 1) * 2 * out->bezel_y;
    if (w > PICTURE_MAX || h > PICTURE_MAX) {
        layout_report(&load->reader, DIAG_ERROR, at ? at : entry,
                      "%s: the picture across its monitors, bezels included, is %d x %d: at "
                      "most %d x %d",
                      label, w, h, PICTURE_MAX, PICTURE_MAX);
        return false;
    }
    return true;
}

static void place_monitors(struct layout_output *out)
{
    int mw = out->rect.w / out->columns, mh = out->rect.h / out->rows;
    out->monitor_width = mw;
    out->monitor_height = mh;
    out->width = out->rect.w + (out->columns - 1) * 2 * out->bezel_x;
    out->height = out->rect.h + (out->rows - 1) * 2 * out->bezel_y;
    for (int r = 0; r < out->rows; r++) {
        for (int c = 0; c < out->columns; c++) {
            struct layout_monitor *m = &out->monitors[r * out->columns + c];
            m->rect = (struct layout_rect){out->rect.x + c * mw, out->rect.y + r * mh, mw, mh};
            m->view = (struct layout_rect){c * (mw + 2 * out->bezel_x),
                                           r * (mh + 2 * out->bezel_y), mw, mh};
        }
    }
}

void layout_monitors_read(struct load *load, const config_setting_t *entry, const char *label,
                          const config_setting_t *display, const int grid[2], int *next_display,
                          struct layout_output *out)
{
    out->rows = grid[0] > 0 ? grid[0] : 1;
    out->columns = grid[1] > 0 ? grid[1] : 1;
    int n = out->rows * out->columns;
    int first = *next_display;
    *next_display += n;
    out->monitors = load_calloc(load, n, sizeof(*out->monitors));
    if (!out->monitors) {
        return;
    }
    out->n_monitors = n;
    for (int i = 0; i < n; i++) {
        out->monitors[i].display = first + i;
    }
    if (display) {
        read_displays(load, display, label, out);
    }
    if (out->rect.w > 0 && grid_fits(load, entry, label, out)) {
        place_monitors(out);
    }
}

bool layout_monitors_single(struct load *load, struct layout_output *out)
{
    out->rows = out->columns = 1;
    out->monitors = load_calloc(load, 1, sizeof(*out->monitors));
    if (!out->monitors) {
        return false;
    }
    out->n_monitors = 1;
    place_monitors(out);
    return true;
}

static bool same_display(const struct layout_monitor *a, const struct layout_monitor *b)
{
    if (a->display_name || b->display_name) {
        return a->display_name && b->display_name &&
               strcasecmp(a->display_name, b->display_name) == 0;
    }
    return a->display == b->display;
}

static void describe_display(const struct layout_monitor *m, char *buf, size_t size)
{
    if (m->display_name) {
        snprintf(buf, size, "\"%s\"", m->display_name);
    } else {
        snprintf(buf, size, "%d", m->display);
    }
}

/* The first earlier monitor on m's display: output index and monitor, or -1. */
static int earlier_user(const struct layout_wall *wall, int output, int monitor, int *which)
{
    const struct layout_monitor *m = &wall->outputs[output].monitors[monitor];
    for (int j = 0; j <= output; j++) {
        const struct layout_output *b = &wall->outputs[j];
        int until = j == output ? monitor : b->n_monitors;
        for (int k = 0; k < until; k++) {
            if (same_display(m, &b->monitors[k])) {
                *which = k;
                return j;
            }
        }
    }
    return -1;
}

void layout_monitors_check(struct load *load, const config_setting_t *const *entries)
{
    const struct layout_wall *wall = load->wall;
    int total = 0;
    for (int i = 0; i < wall->n_outputs; i++) {
        const struct layout_output *a = &wall->outputs[i];
        total += a->n_monitors;
        for (int m = 0; m < a->n_monitors && a->id; m++) {
            int k;
            int j = earlier_user(wall, i, m, &k);
            if (j < 0 || !wall->outputs[j].id) {
                continue;
            }
            const config_setting_t *at = config_setting_get_member(entries[i], "display");
            char display[96], where[512];
            describe_display(&a->monitors[m], display, sizeof(display));
            if (j == i) {
                layout_report(&load->reader, DIAG_ERROR, at ? at : entries[i],
                              "output %s: display %s is listed twice", a->id, display);
                continue;
            }
            load_where(load, entries[j], load_file_of(load, entries[i]), where, sizeof(where));
            layout_report(&load->reader, DIAG_ERROR, at ? at : entries[i],
                          "output %s: display %s is already used by output %s (%s)", a->id,
                          display, wall->outputs[j].id, where);
        }
    }
    if (total > LAYOUT_MONITORS_MAX && wall->n_outputs > 0) {
        layout_report(&load->reader, DIAG_ERROR, entries[wall->n_outputs - 1],
                      "the outputs span %d monitors: one wall drives at most %d", total,
                      LAYOUT_MONITORS_MAX);
    }
}

void layout_monitors_finish(struct layout_output *out)
{
    for (int i = 0; i < out->n_monitors; i++) {
        free(out->monitors[i].display_name);
    }
    free(out->monitors);
}
