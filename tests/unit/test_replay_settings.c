/* wall.replay: pre-roll, replay and evidence settings (layouts/replay.h),
 * read into the model, and every mistake named at its file and line. */
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

#define WALL_LINE 6 /* the line of `wall = { replay = { ... }; }` in write_file()'s files */

/* A full-format file with two zones, an output in each, and `replay`. */
static const char *write_file(char path[64], const char *replay)
{
    snprintf(path, 64, "/tmp/wall-replay-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(
        f,
        "zones = ( { id = \"ssc\"; title = \"SSC\"; admits = [\"ssc\"]; },\n"
        "  { id = \"g911\"; title = \"G911\"; admits = [\"guardians\"]; } );\n"
        "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
        "outputs = ( { id = \"a\"; rect = [0, 0, 640, 360]; zone = \"ssc\"; pages = ( { layout "
        "= \"one\"; tiles = (101); } ); },\n"
        "  { id = \"b\"; rect = [640, 0, 640, 360]; zone = \"g911\"; pages = ( { layout = "
        "\"one\"; tiles = (5001); } ); } );\n"
        "wall = { replay = { %s }; };\n"
        "cameras = ( { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/m\"; },\n"
        "  { number = 5001; name = \"G\"; main = \"rtsp://192.0.2.2/m\"; programme = "
        "\"guardians\"; } );\n",
        replay);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void settings_are_read(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(
        write_file(path, "seconds = 20; memory = \"2G\"; zones = [\"g911\"]; evidence = \"main\"; "
                         "directory = \"/srv/evidence\"; limit = 120;"));
    const struct layout_replay *r = &wall->replay;
    assert_true(r->seconds == 20);
    assert_int_equal(r->memory, 2LL << 30);
    assert_non_null(r->zones);
    assert_int_equal(wall->n_zones, 2);
    assert_false(r->zones[0]); /* ssc */
    assert_true(r->zones[1]);  /* g911 */
    assert_true(r->main_evidence);
    assert_string_equal(r->directory, "/srv/evidence");
    assert_true(r->limit == 120);
    layout_destroy(wall);
    unlink(path);
}

static void defaults(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(write_file(path, ""));
    const struct layout_replay *r = &wall->replay;
    assert_true(r->seconds == 30);
    assert_int_equal(r->memory, 512LL << 20);
    assert_null(r->zones); /* every zone */
    assert_false(r->main_evidence);
    /* Relative to the folder of the file that says it: /tmp here. */
    assert_string_equal(r->directory, "/tmp/evidence");
    assert_true(r->limit == 600);
    layout_destroy(wall);
    unlink(path);

    /* No group, no pre-roll. */
    snprintf(path, 64, "/tmp/wall-replay-XXXXXX");
    FILE *f = temp_file(path);
    fputs("layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
          "outputs = ( { id = \"a\"; rect = [0, 0, 640, 360]; pages = ( { layout = \"one\"; "
          "tiles = (101); } ); } );\n"
          "cameras = ( { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/m\"; } );\n",
          f);
    assert_int_equal(fclose(f), 0);
    wall = load_clean(path);
    assert_true(wall->replay.seconds == 0);
    layout_destroy(wall);
    unlink(path);
}

static void mistakes_are_named_at_their_line(void **state)
{
    static const struct {
        const char *replay;
        const char *message;
    } cases[] = {
        {"memory = \"lots\";", "wall.replay.memory must be a size from 1M to 1024G, like "
                               "\"512M\" or \"2G\" (got \"lots\")"},
        {"memory = \"512K\";", "wall.replay.memory must be a size from 1M to 1024G, like "
                               "\"512M\" or \"2G\" (got \"512K\")"},
        {"memory = \"5T\";", "wall.replay.memory must be a size from 1M to 1024G, like "
                             "\"512M\" or \"2G\" (got \"5T\")"},
        {"zones = [\"sc\"];", "wall.replay.zones: no zone named 'sc' (did you mean 'ssc'?)"},
        {"zones = [];", "wall.replay.zones is empty: name at least one zone, or leave zones "
                        "out and every zone keeps a pre-roll"},
        {"zones = \"ssc\";", "wall.replay.zones must be a list of zone ids like [\"ssc\"] (got "
                             "\"ssc\")"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        write_file(path, cases[i].replay);
        assert_load_fails_with(path, WALL_LINE, cases[i].message);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settings_are_read),
        cmocka_unit_test(defaults),
        cmocka_unit_test(mistakes_are_named_at_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
