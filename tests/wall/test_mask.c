/* Privacy masks fail closed: with every allocation failing (the test hook
 * WALL_TEST_FAIL_MASK_ALLOC), rasterising masks the whole picture, a
 * camera's raster is not made, and mask_failed() says its picture must not
 * be shown; a camera without masks is unaffected. The pixels on the glass
 * are checked by tests/integration/test_mask_failure.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "wall/mask.h"

#define SIZE 16

static struct layout_point left_half[] = {{0, 0}, {0.5, 0}, {0.5, 1}, {0, 1}};
static struct layout_mask masks[] = {{.points = left_half, .n_points = 4}};

static int count_masked(const uint8_t *raster, int n)
{
    int masked = 0;
    for (int i = 0; i < n; i++) {
        masked += raster[i] == 255;
    }
    return masked;
}

static int unset_hook(void **state)
{
    unsetenv("WALL_TEST_FAIL_MASK_ALLOC");
    return 0;
}

static void masks_cover_what_they_say(void **state)
{
    uint8_t raster[SIZE * SIZE];
    assert_true(mask_rasterise(masks, 1, raster, SIZE));
    assert_int_equal(count_masked(raster, SIZE * SIZE), SIZE * SIZE / 2);
    assert_int_equal(raster[0], 255);
    assert_int_equal(raster[SIZE - 1], 0);

    struct layout_camera camera = {.number = 7, .masks = masks, .n_masks = 1};
    uint8_t *made = mask_raster_create(&camera);
    assert_non_null(made);
    assert_false(mask_failed(&camera, 0, made));
    assert_string_equal(mask_status_name(&camera, 0, made), "applied");
    assert_false(mask_failed(&camera, 5, NULL)); /* the GL path's texture */
    free(made);
}

static void failed_allocation_masks_everything(void **state)
{
    setenv("WALL_TEST_FAIL_MASK_ALLOC", "1", 1);
    uint8_t raster[SIZE * SIZE] = {0};
    assert_false(mask_rasterise(masks, 1, raster, SIZE));
    assert_int_equal(count_masked(raster, SIZE * SIZE), SIZE * SIZE);

    struct layout_camera camera = {.number = 7, .masks = masks, .n_masks = 1};
    uint8_t *made = mask_raster_create(&camera);
    assert_null(made);
    assert_true(mask_failed(&camera, 0, made));
    assert_string_equal(mask_status_name(&camera, 0, made), "failed");
}

static void cameras_without_masks_are_unaffected(void **state)
{
    setenv("WALL_TEST_FAIL_MASK_ALLOC", "1", 1);
    struct layout_camera camera = {.number = 8};
    assert_null(mask_raster_create(&camera));
    assert_false(mask_failed(&camera, 0, NULL));
    assert_string_equal(mask_status_name(&camera, 0, NULL), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(masks_cover_what_they_say, unset_hook),
        cmocka_unit_test_teardown(failed_allocation_masks_everything, unset_hook),
        cmocka_unit_test_teardown(cameras_without_masks_are_unaffected, unset_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
