#include "layouts/masks.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/i18n.h"
#include "layouts/registry.h"

/* Rounding slack for sums like 0.7 + 0.3, which may come out as 1.0000000001. */
#define EPSILON 1e-9

void layout_masks_free(struct layout_mask *masks, int n)
{
    for (int i = 0; masks && i < n; i++) {
        free(masks[i].points);
    }
    free(masks);
}

static bool in_unit(double v)
{
    return v >= 0.0 && v <= 1.0;
}

static void report_shape(struct load *load, const config_setting_t *s, const char *label, int n)
{
    char got[128];
    layout_describe(s, got, sizeof(got));
    layout_report(&load->reader, DIAG_ERROR, s,
                  "%s: mask %d must be a rectangle [x, y, w, h] or a polygon ( [x, y], [x, y], "
                  "[x, y], ... ) (got %s)",
                  label, n, got);
}

static bool read_rectangle(struct load *load, const config_setting_t *s, const char *label, int n,
                           struct layout_mask *out)
{
    double v[4];
    if (!layout_numbers(s, 4, v)) {
        report_shape(load, s, label, n);
        return false;
    }
    char got[128];
    layout_describe(s, got, sizeof(got));
    bool inside = in_unit(v[0]) && in_unit(v[1]) && in_unit(v[2]) && in_unit(v[3]) &&
                  v[0] + v[2] <= 1.0 + EPSILON && v[1] + v[3] <= 1.0 + EPSILON;
    if (!inside) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: mask %d must lie within the picture: x, y, w and h from 0 to 1, x + w "
                      "and y + h at most 1 (got %s)",
                      label, n, got);
        return false;
    }
    if (v[2] <= 0.0 || v[3] <= 0.0) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: mask %d is empty: w and h must be more than 0 (got %s)", label, n, got);
        return false;
    }
    out->points = calloc(4, sizeof(*out->points));
    if (!out->points) {
        load_out_of_memory(load);
        return false;
    }
    double right = v[0] + v[2] > 1.0 ? 1.0 : v[0] + v[2];
    double bottom = v[1] + v[3] > 1.0 ? 1.0 : v[1] + v[3];
    out->points[0] = (struct layout_point){v[0], v[1]};
    out->points[1] = (struct layout_point){right, v[1]};
    out->points[2] = (struct layout_point){right, bottom};
    out->points[3] = (struct layout_point){v[0], bottom};
    out->n_points = 4;
    return true;
}

static bool read_point(struct load *load, const config_setting_t *p, const char *label, int n,
                       int i, struct layout_point *out)
{
    double v[2];
    char got[128];
    layout_describe(p, got, sizeof(got));
    if (!layout_numbers(p, 2, v)) {
        layout_report(&load->reader, DIAG_ERROR, p,
                      "%s: mask %d: point %d must be [x, y] (got %s)", label, n, i + 1, got);
        return false;
    }
    if (!in_unit(v[0]) || !in_unit(v[1])) {
        layout_report(&load->reader, DIAG_ERROR, p,
                      "%s: mask %d: point %d must lie within the picture: x and y from 0 to 1 "
                      "(got %s)",
                      label, n, i + 1, got);
        return false;
    }
    *out = (struct layout_point){v[0], v[1]};
    return true;
}

static bool read_polygon(struct load *load, const config_setting_t *s, const char *label, int n,
                         struct layout_mask *out)
{
    int count = config_setting_length(s);
    if (count < 3) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: mask %d: a polygon needs at least %d points (got %d)", label, n, 3,
                      count);
        return false;
    }
    if (count > LAYOUT_MASK_POINTS_MAX) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: mask %d: a polygon needs at most %d points (got %d)", label, n,
                      LAYOUT_MASK_POINTS_MAX, count);
        return false;
    }
    out->points = calloc((size_t)count, sizeof(*out->points));
    if (!out->points) {
        load_out_of_memory(load);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < count; i++) {
        const config_setting_t *p = config_setting_get_elem(s, (unsigned)i);
        ok = read_point(load, p, label, n, i, &out->points[i]) && ok;
    }
    if (!ok) {
        free(out->points);
        out->points = NULL;
        return false;
    }
    out->n_points = count;
    return true;
}

/* masks = [0.0, 0.0, 0.5, 0.5] is one rectangle without its list: say so. */
static bool check_list(struct load *load, const config_setting_t *list, const char *label)
{
    if (config_setting_type(list) == CONFIG_TYPE_LIST) {
        return true;
    }
    char got[128];
    layout_describe(list, got, sizeof(got));
    if (config_setting_type(list) == CONFIG_TYPE_ARRAY) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "%s: masks must be a list of rectangles and polygons ( ... ) (got %s): "
                      "write one rectangle as ( [x, y, w, h] )",
                      label, got);
    } else {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "%s: masks must be a list of rectangles and polygons ( ... ) (got %s)",
                      label, got);
    }
    return false;
}

int layout_masks_read(struct load *load, const config_setting_t *list, const char *label,
                      struct layout_mask **out)
{
    *out = NULL;
    if (!check_list(load, list, label)) {
        return 0;
    }
    int count = config_setting_length(list);
    struct layout_mask *masks = load_calloc(load, count, sizeof(*masks));
    if (!masks) {
        return 0;
    }
    int n = 0;
    for (int i = 0; i < count; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        int type = config_setting_type(s);
        bool polygon = type == CONFIG_TYPE_LIST && config_setting_length(s) > 0 &&
                       config_setting_is_aggregate(config_setting_get_elem(s, 0));
        bool ok;
        if (polygon) {
            ok = read_polygon(load, s, label, i + 1, &masks[n]);
        } else {
            ok = read_rectangle(load, s, label, i + 1, &masks[n]);
        }
        n += ok;
    }
    *out = masks;
    return n;
}
