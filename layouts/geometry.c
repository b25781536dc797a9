#include "layouts/geometry.h"

#include <math.h>

/*
 * Start of cell `index` along one axis, for `cells` cells sharing `extent`
 * pixels with a gap before, between and after them. Index `cells` gives
 * extent + gap, so cell i ends at start(i + 1) - gap.
 */
static long long cell_start(long long extent, long long cells, long long gap, long long index)
{
    long long space = extent - gap * (cells + 1);
    long long base = space / cells;
    long long extra = space % cells;
    long long wider = index < extra ? index : extra;
    return gap + index * (base + gap) + wider;
}

/* Places span cells from `first` along one axis; false when they do not fit. */
static bool place(long long extent, int cells, int gap, int first, int span, int *start, int *size)
{
    if (cells < 1 || gap < 0 || first < 0 || span < 1 || first > cells - span) {
        return false;
    }
    if (extent - (long long)gap * (cells + 1) < cells) {
        return false; /* not even one pixel per cell */
    }
    long long begin = cell_start(extent, cells, gap, first);
    long long end = cell_start(extent, cells, gap, first + span) - gap;
    *start = (int)begin;
    *size = (int)(end - begin);
    return true;
}

bool layout_grid_cell(const struct layout_grid *grid, int width, int height, int row, int column,
                      int row_span, int column_span, struct layout_rect *out)
{
    struct layout_rect r;
    if (!place(width, grid->columns, grid->gap, column, column_span, &r.x, &r.w)) {
        return false;
    }
    if (!place(height, grid->rows, grid->gap, row, row_span, &r.y, &r.h)) {
        return false;
    }
    *out = r;
    return true;
}

struct layout_rect layout_rect_intersect(struct layout_rect a, struct layout_rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return (struct layout_rect){x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

bool layout_rect_overlaps(struct layout_rect a, struct layout_rect b)
{
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0) {
        return false;
    }
    return (long long)a.x < (long long)b.x + b.w && (long long)b.x < (long long)a.x + a.w &&
           (long long)a.y < (long long)b.y + b.h && (long long)b.y < (long long)a.y + a.h;
}

struct layout_rect layout_fit_rect(struct layout_rect box, double aspect_w, double aspect_h)
{
    if (!(aspect_w > 0) || !(aspect_h > 0) || box.w <= 0 || box.h <= 0) {
        return box;
    }
    struct layout_rect r = box;
    /* Compare cross products so that equal aspects stay exact. */
    if ((double)box.w * aspect_h > (double)box.h * aspect_w) {
        r.w = (int)lround((double)box.h * aspect_w / aspect_h);
    } else {
        r.h = (int)lround((double)box.w * aspect_h / aspect_w);
    }
    r.x = box.x + (box.w - r.w) / 2;
    r.y = box.y + (box.h - r.h) / 2;
    return r;
}
