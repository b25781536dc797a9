/* The hardware device: modes parse, "none" never opens anything, and a
 * device that cannot work yields NULL (software) instead of an error. On a
 * machine with VA-API the auto mode may find a device: then it must name a
 * render node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/hwdec.h"

static void modes_parse(void **state)
{
    enum hwaccel mode;
    assert_true(hwaccel_parse("auto", &mode));
    assert_int_equal(mode, HWACCEL_AUTO);
    assert_true(hwaccel_parse("vaapi", &mode));
    assert_int_equal(mode, HWACCEL_VAAPI);
    assert_true(hwaccel_parse("none", &mode));
    assert_int_equal(mode, HWACCEL_NONE);
    assert_false(hwaccel_parse("cuda", &mode));
    assert_false(hwaccel_parse("", &mode));
    assert_string_equal(hwaccel_name(HWACCEL_VAAPI), "vaapi");
}

static void none_opens_nothing(void **state)
{
    assert_null(hwdec_create(HWACCEL_NONE, NULL));
}

static void unusable_device_falls_back(void **state)
{
    assert_null(hwdec_create(HWACCEL_VAAPI, "/nonexistent/renderD128"));
    assert_null(hwdec_create(HWACCEL_AUTO, "/dev/null"));
    hwdec_destroy(NULL);
    assert_null(hwdec_device(NULL));
}

static void auto_finds_a_render_node_or_nothing(void **state)
{
    struct hwdec *hwdec = hwdec_create(HWACCEL_AUTO, NULL);
    if (hwdec) {
        assert_non_null(hwdec_device(hwdec));
        assert_memory_equal(hwdec_device_path(hwdec), "/dev/dri/renderD", 16);
    }
    hwdec_destroy(hwdec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(modes_parse),
        cmocka_unit_test(none_opens_nothing),
        cmocka_unit_test(unusable_device_falls_back),
        cmocka_unit_test(auto_finds_a_render_node_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
