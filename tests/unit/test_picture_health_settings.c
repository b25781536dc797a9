/* Picture health settings: wall.picture_health, wall.picture_thresholds
 * and a camera's picture_health, read into the model with their defaults,
 * and every mistake named at its file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout_test.h"

#define WALL_LINE   3 /* the line of `wall = { ... };` in write_file()'s files */
#define CAMERA_LINE 5 /* the line of camera 102, whose settings are written there */

/* A full-format file with two cameras: `wall` settings in its `wall`
 * group, `camera` settings in camera 102's entry. */
static const char *write_file(char path[64], const char *wall, const char *camera)
{
    snprintf(path, 64, "/tmp/wall-health-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(f,
            "layouts = ( { name = \"two\"; grid = [1, 2]; } );\n"
            "outputs = ( { id = \"a\"; rect = [0, 0, 640, 360]; pages = ( { layout = \"two\"; "
            "tiles = (101, 102); } ); } );\n"
            "wall = { %s };\n"
            "cameras = ( { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/m\"; },\n"
            "  { number = 102; name = \"Dos\"; main = \"rtsp://192.0.2.2/m\"; %s } );\n",
            wall, camera);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void defaults(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(write_file(path, "hwaccel = \"none\";", ""));
    assert_true(wall->picture_health);
    assert_true(layout_find_camera(wall, 101)->picture_health);
    assert_true(layout_find_camera(wall, 102)->picture_health);
    /* Not set: 0 each, which the wall takes as health_settings_default()'s. */
    const struct layout_picture_thresholds *t = &wall->picture_thresholds;
    assert_true(t->frozen == 0 && t->obstructed == 0 && t->blurred == 0 && t->moved == 0);
    layout_destroy(wall);
    unlink(path);

    /* The simple format has no `wall` group: on, for every camera. */
    snprintf(path, 64, "/tmp/wall-health-XXXXXX");
    FILE *f = temp_file(path);
    fputs("output = { width = 640; height = 360; };\n"
          "grid = { rows = 1; columns = 1; };\n"
          "cameras = ( { number = 101; name = \"Uno\"; url = \"rtsp://192.0.2.1/m\"; } );\n",
          f);
    assert_int_equal(fclose(f), 0);
    wall = load_clean(path);
    assert_true(wall->picture_health);
    assert_true(layout_find_camera(wall, 101)->picture_health);
    assert_true(wall->picture_thresholds.frozen == 0);
    layout_destroy(wall);
    unlink(path);
}

static void settings_are_read(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(
        write_file(path,
                   "picture_health = true; picture_thresholds = { frozen = 30; obstructed = 0.9; "
                   "blurred = 0.25; moved = 0.35; };",
                   "picture_health = false;"));
    assert_true(wall->picture_health);
    assert_true(layout_find_camera(wall, 101)->picture_health);
    assert_false(layout_find_camera(wall, 102)->picture_health); /* a dome on a tour */
    const struct layout_picture_thresholds *t = &wall->picture_thresholds;
    assert_true(t->frozen == 30);
    assert_true(t->obstructed == 0.9);
    assert_true(t->blurred == 0.25);
    assert_true(t->moved == 0.35);
    layout_destroy(wall);
    unlink(path);

    /* Off for the whole wall; only some thresholds set, the others 0. */
    wall = load_clean(
        write_file(path, "picture_health = false; picture_thresholds = { frozen = 1; };", ""));
    assert_false(wall->picture_health);
    assert_true(layout_find_camera(wall, 102)->picture_health); /* the wall's says no */
    assert_true(wall->picture_thresholds.frozen == 1);          /* both ends are allowed */
    assert_true(wall->picture_thresholds.obstructed == 0);
    layout_destroy(wall);
    unlink(path);

    wall = load_clean(write_file(
        path,
        "picture_thresholds = { frozen = 3600; obstructed = 1; blurred = 0.05; moved = 0.95; };",
        ""));
    assert_true(wall->picture_thresholds.frozen == 3600);
    assert_true(wall->picture_thresholds.obstructed == 1);
    assert_true(wall->picture_thresholds.blurred == 0.05);
    assert_true(wall->picture_thresholds.moved == 0.95);
    layout_destroy(wall);
    unlink(path);
}

static void mistakes_are_named_at_their_line(void **state)
{
    static const struct {
        const char *settings;
        const char *message;
    } cases[] = {
        {"picture_health = \"no\";",
         "wall.picture_health must be true or false (without quotes) (got \"no\")"},
        {"picture_health = 0;",
         "wall.picture_health must be true or false (without quotes) (got 0)"},
        {"picture_thresholds = 10;", "wall.picture_thresholds must be a group { ... } (got 10)"},
        {"picture_thresholds = { frozen = 0; };",
         "wall.picture_thresholds.frozen must be a number of seconds from 1 to 3600 (got 0)"},
        {"picture_thresholds = { frozen = 3601; };",
         "wall.picture_thresholds.frozen must be a number of seconds from 1 to 3600 (got 3601)"},
        {"picture_thresholds = { frozen = \"10s\"; };",
         "wall.picture_thresholds.frozen must be a number of seconds from 1 to 3600 (got "
         "\"10s\")"},
        {"picture_thresholds = { obstructed = 0.05; };",
         "wall.picture_thresholds.obstructed must be a number from 0.1 to 1 (got 0.05)"},
        {"picture_thresholds = { obstructed = 1.5; };",
         "wall.picture_thresholds.obstructed must be a number from 0.1 to 1 (got 1.5)"},
        {"picture_thresholds = { blurred = 0.0; };",
         "wall.picture_thresholds.blurred must be a number from 0.05 to 0.95 (got 0.0)"},
        {"picture_thresholds = { blurred = 1; };",
         "wall.picture_thresholds.blurred must be a number from 0.05 to 0.95 (got 1)"},
        {"picture_thresholds = { moved = 0.01; };",
         "wall.picture_thresholds.moved must be a number from 0.05 to 0.95 (got 0.01)"},
        {"picture_thresholds = { moved = 0.99; };",
         "wall.picture_thresholds.moved must be a number from 0.05 to 0.95 (got 0.99)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        write_file(path, cases[i].settings, "");
        assert_load_fails_with(path, WALL_LINE, cases[i].message);
        unlink(path);
    }
}

static void camera_mistake_is_named_at_its_line(void **state)
{
    char path[64];
    write_file(path, "", "picture_health = \"off\";");
    assert_load_fails_with(
        path, CAMERA_LINE,
        "camera 102: picture_health must be true or false (without quotes) (got \"off\")");
    unlink(path);
}

static void unknown_threshold_is_a_warning(void **state)
{
    char path[64];
    write_file(path, "picture_thresholds = { frozn = 20; };", "");
    struct diag_list diags;
    assert_true(load_messages(path, &diags)); /* a warning: the file loads */
    char want[256];
    snprintf(want, sizeof(want),
             "%s:%d: warning: unknown setting 'frozn' in wall.picture_thresholds (did you mean "
             "'frozen'?)",
             path, WALL_LINE);
    if (!has_exact_message(&diags, want)) {
        for (int i = 0; i < diags.count; i++) {
            char line[512];
            diag_format(&diags.items[i], line, sizeof(line));
            print_message("got: %s\n", line);
        }
        fail_msg("no message: %s", want);
    }
    diag_list_finish(&diags);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(settings_are_read),
        cmocka_unit_test(mistakes_are_named_at_their_line),
        cmocka_unit_test(camera_mistake_is_named_at_its_line),
        cmocka_unit_test(unknown_threshold_is_a_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
