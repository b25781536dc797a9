/* The simple format (output + grid + cameras): read unchanged into the full
 * model. Corpus messages are checked in test_corpus.c. */
#include <limits.h>
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
#include "layouts/schema.h"

static void assert_camera(const struct layout_camera *c, int number, const char *name,
                          const char *url, int line, const char *file)
{
    assert_non_null(c);
    assert_int_equal(c->number, number);
    assert_string_equal(c->name, name);
    assert_string_equal(c->url, url);
    assert_int_equal(c->line, line);
    assert_ptr_equal(c->file, file);
}

static void minimal_uses_defaults(void **state)
{
    const char *path = corpus("valid-minimal.cfg");
    struct layout_wall *wall = load_clean(path);
    assert_string_equal(wall->path, path);
    assert_int_equal(wall->n_files, 1);
    assert_string_equal(wall->files[0], path);

    assert_int_equal(wall->n_outputs, 1);
    const struct layout_output *out = &wall->outputs[0];
    assert_string_equal(out->id, "main");
    assert_int_equal(out->width, 1920);
    assert_int_equal(out->height, 1080);
    assert_int_equal(out->background, 0x000000);
    assert_int_equal(out->pages[0].n_tiles, 4);
    const int rects[4][4] = {
        {4, 4, 954, 534}, {962, 4, 954, 534}, {4, 542, 954, 534}, {962, 542, 954, 534}};
    const int cameras[4] = {0, 1, 2, -1};
    for (int i = 0; i < 4; i++) {
        assert_rect_is(out->pages[0].tiles[i].rect, rects[i][0], rects[i][1], rects[i][2],
                       rects[i][3]);
        assert_int_equal(out->pages[0].tiles[i].camera, cameras[i]);
        assert_int_equal(out->pages[0].tiles[i].fit, LAYOUT_FIT_LETTERBOX);
    }

    assert_int_equal(wall->n_cameras, 3);
    assert_camera(&wall->cameras[0], 101, "Av. Tulum y Cobá",
                  "rtsp://10.20.1.11:554/Streaming/Channels/102", 11, wall->files[0]);
    assert_camera(&wall->cameras[1], 102, "Blvd. Kukulcán km 9", corpus("clips/cam02.mp4"), 12,
                  wall->files[0]);
    assert_camera(&wall->cameras[2], 7, "Glorieta del Ceviche", "/srv/clips/cam07.mp4", 13,
                  wall->files[0]);
    layout_destroy(wall);
}

static void full_reads_every_setting(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-full.cfg"));
    const struct layout_output *out = &wall->outputs[0];
    assert_string_equal(out->id, "wall-1_B");
    assert_int_equal(out->background, 0x1a2b3c);
    assert_int_equal(out->pages[0].n_tiles, 9);
    for (int i = 0; i < 9; i++) {
        /* gap 0: 640 x 360 cells touching each other */
        assert_rect_is(out->pages[0].tiles[i].rect, (i % 3) * 640, (i / 3) * 360, 640, 360);
        assert_int_equal(out->pages[0].tiles[i].fit, LAYOUT_FIT_FILL);
        assert_int_equal(out->pages[0].tiles[i].camera, i < 7 ? i : -1);
    }
    const char *file = wall->files[0];
    assert_int_equal(wall->n_cameras, 7);
    /* The scheme is lower-cased; credentials are taken out of the URL (without a
     * warning in the simple format); the rest is kept as written. */
    assert_camera(&wall->cameras[0], 401, "Puerto Juárez",
                  "rtsp://10.20.4.21/Streaming/Channels/101", 3, file);
    assert_string_equal(wall->cameras[0].username, "admin");
    assert_string_equal(wall->cameras[0].password, "s3cret");
    assert_null(wall->cameras[1].username);
    assert_null(wall->cameras[1].password);
    assert_string_equal(wall->cameras[1].url, "rtsps://10.20.4.22:322/stream1");
    assert_string_equal(wall->cameras[2].url, "http://10.20.4.23:8080/video.mjpg");
    assert_string_equal(wall->cameras[3].url, "https://cams.example.mx/hls/404.m3u8");
    assert_string_equal(wall->cameras[4].url, "/var/lib/wall/clips/405.mp4");
    assert_string_equal(wall->cameras[5].url, corpus("clips/406.ts"));
    /* A multi-line entry: its line is the line of its opening brace. */
    assert_camera(layout_find_camera(wall, 999999), 999999, "Ruta 5", corpus("../clips/ruta5.mp4"),
                  9, file);
    assert_ptr_equal(layout_find_camera(wall, 404), &wall->cameras[3]);
    assert_null(layout_find_camera(wall, 12345));
    assert_null(layout_find_camera(NULL, 401));
    layout_destroy(wall);
}

static void include_reads_a_sibling_file(void **state)
{
    const char *path = corpus("valid-include.cfg");
    struct layout_wall *wall = load_clean(path);
    assert_int_equal(wall->n_files, 2);
    assert_string_equal(wall->files[0], path);
    assert_string_equal(wall->files[1], corpus("inc-cameras.cfg"));

    const struct layout_output *out = &wall->outputs[0];
    assert_int_equal(out->background, 0x202020);
    assert_int_equal(out->pages[0].n_tiles, 2);
    /* 1280 - 3 * 2 = 1274 = 2 * 637 */
    assert_rect_is(out->pages[0].tiles[0].rect, 2, 2, 637, 716);
    assert_rect_is(out->pages[0].tiles[1].rect, 641, 2, 637, 716);
    assert_int_equal(out->pages[0].tiles[0].camera, 0);
    assert_int_equal(out->pages[0].tiles[1].camera, 1);

    assert_int_equal(wall->n_cameras, 2);
    assert_camera(&wall->cameras[0], 201, "Chedraui Lagos", "rtsp://10.20.2.1/ch1", 2,
                  wall->files[1]);
    assert_camera(&wall->cameras[1], 202, "Plaza de Toros", corpus("clips/toros.mp4"), 4,
                  wall->files[1]);
    layout_destroy(wall);
}

/* A top file named without a directory keeps its included files and relative
 * media paths relative to the working directory, as given. */
static void bare_file_name(void **state)
{
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(corpus_dir()), 0);
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load("valid-include.cfg", &diags);
    struct layout_wall *bad = layout_load("bad-syntax-include.cfg", &diags);
    assert_int_equal(chdir(cwd), 0);

    assert_non_null(wall);
    assert_null(bad);
    assert_int_equal(wall->n_files, 2);
    assert_string_equal(wall->files[1], "inc-cameras.cfg");
    assert_string_equal(wall->cameras[1].url, "clips/toros.mp4");
    assert_int_equal(diags.count, 1);
    char line[256];
    diag_format(&diags.items[0], line, sizeof(line));
    assert_string_equal(line, "inc-syntax.cfg:3: syntax error");
    layout_destroy(wall);
    diag_list_finish(&diags);
}

static void starter_example_loads(void **state)
{
    struct layout_wall *wall = load_clean(example("starter-2x2.cfg"));
    assert_int_equal(wall->n_outputs, 1);
    assert_int_equal(wall->outputs[0].pages[0].n_tiles, 4);
    assert_int_equal(wall->n_cameras, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(wall->outputs[0].pages[0].tiles[i].camera, i);
        assert_true(strncmp(wall->cameras[i].url, "rtsp://", 7) == 0);
        assert_true(wall->cameras[i].name[0] != '\0');
    }
    layout_destroy(wall);
}

/* One output in the built-in zone, one layout "grid", one page. */
static void simple_format_model(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-minimal.cfg"));
    assert_int_equal(wall->width, 1920);
    assert_int_equal(wall->height, 1080);
    assert_int_equal(wall->n_zones, 1);
    assert_string_equal(wall->zones[0].id, "default");
    assert_string_equal(wall->zones[0].title, "");
    assert_int_equal(wall->n_layouts, 1);
    const struct layout_template *t = &wall->layouts[0];
    assert_string_equal(t->name, "grid");
    assert_int_equal(t->grid.rows, 2);
    assert_int_equal(t->grid.columns, 2);
    assert_int_equal(t->grid.gap, 4);
    assert_int_equal(t->n_slots, 4);
    for (int i = 0; i < 4; i++) {
        assert_false(t->slots[i].free);
        assert_int_equal(t->slots[i].row, i / 2);
        assert_int_equal(t->slots[i].column, i % 2);
        assert_int_equal(t->slots[i].row_span, 1);
        assert_int_equal(t->slots[i].column_span, 1);
    }
    const struct layout_output *out = &wall->outputs[0];
    assert_int_equal(out->n_monitors, 1);
    assert_int_equal(out->monitors[0].display, 0);
    assert_null(out->monitors[0].display_name);
    assert_rect_is(out->monitors[0].view, 0, 0, out->width, out->height);
    assert_rect_is(out->rect, 0, 0, 1920, 1080);
    assert_int_equal(out->zone, 0);
    assert_int_equal(out->bezel_x, 0);
    assert_int_equal(out->bezel_y, 0);
    assert_int_equal(out->n_pages, 1);
    assert_null(out->pages[0].name);
    assert_int_equal(out->pages[0].layout, 0);
    for (int i = 0; i < out->pages[0].n_tiles; i++) {
        assert_int_equal(out->pages[0].tiles[i].tour, -1);
        assert_false(out->pages[0].tiles[i].free);
    }
    for (int i = 0; i < wall->n_cameras; i++) {
        const struct layout_camera *c = &wall->cameras[i];
        assert_int_equal(c->programme, LAYOUT_PROGRAMME_SSC);
        assert_int_equal(c->site, LAYOUT_SITE_STREET);
        assert_int_equal(c->status, LAYOUT_STATUS_ACTIVE);
        assert_null(c->sub_url);
        assert_null(c->username);
        assert_int_equal(c->n_masks, 0);
        assert_true(layout_zone_admits(&wall->zones[0], c));
    }
    /* by_number: 7, 101, 102 */
    assert_int_equal(wall->by_number[0], 2);
    assert_int_equal(wall->by_number[1], 0);
    assert_int_equal(wall->by_number[2], 1);
    assert_int_equal(wall->n_tours, 0);
    assert_int_equal(wall->n_bindings, 0);
    assert_int_equal(wall->hwaccel, HWACCEL_AUTO);
    assert_false(wall->hwaccel_set);
    layout_destroy(wall);
}

static void suggestions(void **state)
{
    static const struct layout_field grid[] = {
        {.key = "rows"}, {.key = "columns"}, {.key = "gap"}, {.key = "fit"}, {0}};
    static const struct layout_field top[] = {
        {.key = "output"}, {.key = "grid"}, {.key = "cameras"}, {0}};
    assert_int_equal(layout_edit_distance("colums", "columns", 2), 1);
    assert_int_equal(layout_edit_distance("rwos", "rows", 2), 1); /* a swap is one edit */
    assert_int_equal(layout_edit_distance("fit", "fit", 2), 0);
    assert_int_equal(layout_edit_distance("foo", "fit", 2), 2);
    assert_int_equal(layout_edit_distance("background", "rows", 2), 3);
    assert_string_equal(layout_suggest_key("colums", grid), "columns");
    assert_string_equal(layout_suggest_key("Rows", grid), "rows");
    assert_string_equal(layout_suggest_key("gpa", grid), "gap");
    assert_string_equal(layout_suggest_key("outputs", top), "output");
    assert_string_equal(layout_suggest_key("gird", top), "grid");
    /* Two edits in three letters is another word, not a typo. */
    assert_null(layout_suggest_key("foo", grid));
    assert_null(layout_suggest_key("zones", top));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_uses_defaults),
        cmocka_unit_test(full_reads_every_setting),
        cmocka_unit_test(include_reads_a_sibling_file),
        cmocka_unit_test(bare_file_name),
        cmocka_unit_test(starter_example_loads),
        cmocka_unit_test(simple_format_model),
        cmocka_unit_test(suggestions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
