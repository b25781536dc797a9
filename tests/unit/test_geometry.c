#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "layouts/geometry.h"

static void assert_rect(struct layout_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

static struct layout_rect cell(const struct layout_grid *g, int width, int height, int row,
                               int column, int row_span, int column_span)
{
    struct layout_rect r = {-1, -1, -1, -1};
    assert_true(layout_grid_cell(g, width, height, row, column, row_span, column_span, &r));
    return r;
}

static void two_by_two_full_hd(void **state)
{
    struct layout_grid g = {.rows = 2, .columns = 2, .gap = 4};
    assert_rect(cell(&g, 1920, 1080, 0, 0, 1, 1), 4, 4, 954, 534);
    assert_rect(cell(&g, 1920, 1080, 0, 1, 1, 1), 962, 4, 954, 534);
    assert_rect(cell(&g, 1920, 1080, 1, 0, 1, 1), 4, 542, 954, 534);
    assert_rect(cell(&g, 1920, 1080, 1, 1, 1, 1), 962, 542, 954, 534);
    /* Widths and gaps add up to the canvas: 4 + 954 + 4 + 954 + 4. */
    struct layout_rect last = cell(&g, 1920, 1080, 1, 1, 1, 1);
    assert_int_equal(last.x + last.w + g.gap, 1920);
    assert_int_equal(last.y + last.h + g.gap, 1080);
}

static void uneven_division(void **state)
{
    /* 1000 - 4 * 5 = 980 = 326 * 3 + 2: the first two columns get a pixel more. */
    struct layout_grid g = {.rows = 1, .columns = 3, .gap = 5};
    struct layout_rect c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = cell(&g, 1000, 100, 0, i, 1, 1);
    }
    assert_rect(c[0], 5, 5, 327, 90);
    assert_rect(c[1], 337, 5, 327, 90);
    assert_rect(c[2], 669, 5, 326, 90);
    int sum = g.gap;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c[i].x, sum);
        sum += c[i].w + g.gap;
        assert_true(c[i].w - c[2].w <= 1);
    }
    assert_int_equal(sum, 1000);
}

static void every_grid_covers_the_canvas(void **state)
{
    for (int cols = 1; cols <= 16; cols++) {
        for (int gap = 0; gap <= 7; gap++) {
            struct layout_grid g = {.rows = 1, .columns = cols, .gap = gap};
            int x = gap, smallest = 1 << 30, largest = 0;
            for (int c = 0; c < cols; c++) {
                struct layout_rect r = cell(&g, 1279, 17, 0, c, 1, 1);
                assert_int_equal(r.x, x);
                x += r.w + gap;
                smallest = r.w < smallest ? r.w : smallest;
                largest = r.w > largest ? r.w : largest;
            }
            assert_int_equal(x, 1279);
            assert_true(largest - smallest <= 1);
        }
    }
}

static void spans_include_the_gaps(void **state)
{
    struct layout_grid g = {.rows = 2, .columns = 2, .gap = 4};
    assert_rect(cell(&g, 1920, 1080, 0, 0, 2, 2), 4, 4, 1912, 1072);
    assert_rect(cell(&g, 1920, 1080, 0, 0, 1, 2), 4, 4, 1912, 534);
    assert_rect(cell(&g, 1920, 1080, 0, 1, 2, 1), 962, 4, 954, 1072);

    struct layout_grid three = {.rows = 1, .columns = 3, .gap = 5};
    /* Columns 1 and 2 of the uneven grid: 327 + 5 + 326. */
    assert_rect(cell(&three, 1000, 100, 0, 1, 1, 2), 337, 5, 658, 90);
}

static void out_of_grid_spans_are_rejected(void **state)
{
    struct layout_grid g = {.rows = 2, .columns = 2, .gap = 4};
    struct layout_rect r = {7, 7, 7, 7};
    assert_false(layout_grid_cell(&g, 1920, 1080, 0, 1, 1, 2, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 1, 0, 2, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 2, 0, 1, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 0, 2, 1, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, -1, 0, 1, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 0, -1, 1, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 0, 0, 0, 1, &r));
    assert_false(layout_grid_cell(&g, 1920, 1080, 0, 0, 1, 0, &r));
    /* A rejected block leaves out untouched. */
    assert_rect(r, 7, 7, 7, 7);
}

static void too_small_canvas_is_rejected(void **state)
{
    struct layout_grid g = {.rows = 1, .columns = 4, .gap = 10};
    struct layout_rect r;
    /* 4 cells of 1 px need 4 + 5 * 10 = 54 px. */
    assert_false(layout_grid_cell(&g, 53, 100, 0, 0, 1, 1, &r));
    assert_true(layout_grid_cell(&g, 54, 100, 0, 3, 1, 1, &r));
    assert_rect(r, 43, 10, 1, 80);
    struct layout_grid none = {.rows = 0, .columns = 1, .gap = 0};
    assert_false(layout_grid_cell(&none, 100, 100, 0, 0, 1, 1, &r));
}

static void overlaps(void **state)
{
    struct layout_rect a = {0, 0, 100, 100};
    assert_true(layout_rect_overlaps(a, (struct layout_rect){50, 50, 100, 100}));
    assert_true(layout_rect_overlaps(a, (struct layout_rect){99, 99, 1, 1}));
    assert_true(layout_rect_overlaps(a, (struct layout_rect){10, 10, 5, 5}));
    assert_true(layout_rect_overlaps((struct layout_rect){10, 10, 5, 5}, a));
    /* Touching edges share no pixel. */
    assert_false(layout_rect_overlaps(a, (struct layout_rect){100, 0, 10, 10}));
    assert_false(layout_rect_overlaps(a, (struct layout_rect){0, 100, 10, 10}));
    assert_false(layout_rect_overlaps(a, (struct layout_rect){-10, 0, 10, 10}));
    assert_false(layout_rect_overlaps(a, (struct layout_rect){50, 50, 0, 10}));

    /* Cells of one grid never overlap; a span overlaps the cells it covers. */
    struct layout_grid g = {.rows = 2, .columns = 2, .gap = 0};
    struct layout_rect c00 = cell(&g, 640, 480, 0, 0, 1, 1);
    struct layout_rect c01 = cell(&g, 640, 480, 0, 1, 1, 1);
    struct layout_rect c11 = cell(&g, 640, 480, 1, 1, 1, 1);
    assert_false(layout_rect_overlaps(c00, c01));
    assert_false(layout_rect_overlaps(c00, c11));
    struct layout_rect right = cell(&g, 640, 480, 0, 1, 2, 1);
    assert_true(layout_rect_overlaps(right, c11));
    assert_false(layout_rect_overlaps(right, c00));
}

static void intersect(void **state)
{
    struct layout_rect a = {0, 0, 100, 100};
    struct layout_rect r = layout_rect_intersect(a, (struct layout_rect){50, 60, 100, 100});
    assert_int_equal(r.x, 50);
    assert_int_equal(r.y, 60);
    assert_int_equal(r.w, 50);
    assert_int_equal(r.h, 40);
    r = layout_rect_intersect((struct layout_rect){10, 10, 5, 5}, a);
    assert_int_equal(r.w, 5);
    assert_int_equal(r.h, 5);
    /* Touching edges share nothing. */
    r = layout_rect_intersect(a, (struct layout_rect){100, 0, 10, 10});
    assert_int_equal(r.w, 0);
    r = layout_rect_intersect(a, (struct layout_rect){-30, 0, 10, 10});
    assert_int_equal(r.w, 0);
}

static void fit_pillarbox(void **state)
{
    struct layout_rect box = {100, 50, 1920, 1080};
    assert_rect(layout_fit_rect(box, 4, 3), 340, 50, 1440, 1080);
}

static void fit_letterbox(void **state)
{
    struct layout_rect box = {0, 0, 1024, 768};
    assert_rect(layout_fit_rect(box, 16, 9), 0, 96, 1024, 576);
    /* A tile of the 2x2 grid above: 954 x 534 holding 4:3. */
    assert_rect(layout_fit_rect((struct layout_rect){4, 4, 954, 534}, 4, 3), 125, 4, 712, 534);
}

static void fit_equal_aspect(void **state)
{
    struct layout_rect box = {10, 20, 1280, 720};
    assert_rect(layout_fit_rect(box, 1920, 1080), 10, 20, 1280, 720);
    assert_rect(layout_fit_rect(box, 16, 9), 10, 20, 1280, 720);
    /* A degenerate aspect leaves the box as it is. */
    assert_rect(layout_fit_rect(box, 0, 9), 10, 20, 1280, 720);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_by_two_full_hd),
        cmocka_unit_test(uneven_division),
        cmocka_unit_test(every_grid_covers_the_canvas),
        cmocka_unit_test(spans_include_the_gaps),
        cmocka_unit_test(out_of_grid_spans_are_rejected),
        cmocka_unit_test(too_small_canvas_is_rejected),
        cmocka_unit_test(overlaps),
        cmocka_unit_test(intersect),
        cmocka_unit_test(fit_pillarbox),
        cmocka_unit_test(fit_letterbox),
        cmocka_unit_test(fit_equal_aspect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
