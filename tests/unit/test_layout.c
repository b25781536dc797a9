#include <dirent.h>
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

#include "layouts/layout.h"
#include "layouts/schema.h"

/* A corpus file and every line layout_load() must report for it, each
 * "FILE:LINE: message" with FILE relative to the corpus folder. */
struct expected {
    const char *file;
    bool loads;
    const char *lines[16];
};

static const struct expected corpus_cases[] = {
    {"warn-unknown.cfg",
     true,
     {"warn-unknown.cfg:5: warning: unknown setting 'backgroud' in output (did you mean "
      "'background'?)",
      "warn-unknown.cfg:10: warning: unknown setting 'gpa' in grid (did you mean 'gap'?)",
      "warn-unknown.cfg:11: warning: unknown setting 'foo' in grid",
      "warn-unknown.cfg:14: warning: unknown setting 'nmae' in camera 1 (did you mean 'name'?)",
      "warn-unknown.cfg:16: warning: camera 3 has no tile: the grid has 2 cells",
      "warn-unknown.cfg:18: warning: unknown top-level setting 'tours'"}},
    {"bad-syntax.cfg", false, {"bad-syntax.cfg:3: syntax error"}},
    {"bad-syntax-include.cfg", false, {"inc-syntax.cfg:3: syntax error"}},
    {"bad-bom.cfg",
     false,
     {"bad-bom.cfg:1: the file starts with a byte-order mark (BOM); save it as UTF-8 without "
      "BOM"}},
    {"bad-missing-include.cfg",
     false,
     {"bad-missing-include.cfg:6: cannot open include file 'nope.cfg'",
      "bad-missing-include.cfg:15: cannot open include file 'inc-zones-missing.cfg'"}},
    {"bad-duplicate.cfg",
     false,
     {"bad-duplicate.cfg:6: camera number 101 is already used at line 4",
      "bad-duplicate.cfg:7: camera number 102 is already used at line 5"}},
    {"bad-scheme.cfg",
     false,
     {"bad-scheme.cfg:4: camera 101: unsupported URL scheme 'ftp' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-scheme.cfg:5: camera 102: unsupported URL scheme 'rtmp' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-scheme.cfg:6: camera 103: url has no host after 'rtsp://'",
      "bad-scheme.cfg:7: camera 104: url \"file://\" names no file"}},
    {"bad-grid-range.cfg",
     false,
     {"bad-grid-range.cfg:3: grid.rows must be an integer from 1 to 16 (got 0)",
      "bad-grid-range.cfg:4: grid.columns must be an integer from 1 to 16 (got 17)",
      "bad-grid-range.cfg:5: grid.gap must be an integer from 0 to 64 (got 65)"}},
    {"bad-grid-fit.cfg",
     false,
     {"bad-grid-fit.cfg:2: grid does not fit the output: 16 columns with gap 64 need a width "
      "of at least 1104 (output.width is 1000)",
      "bad-grid-fit.cfg:2: grid does not fit the output: 2 rows with gap 64 need a height of "
      "at least 194 (output.height is 100)"}},
    {"bad-colour.cfg",
     false,
     {"bad-colour.cfg:4: output.background must be a colour like \"#1a2b3c\" (got \"red\")"}},
    {"bad-missing.cfg",
     false,
     {"bad-missing.cfg: missing required group 'grid'",
      "bad-missing.cfg:1: output: missing required setting 'width'",
      "bad-missing.cfg:5: camera 1: missing required setting 'url'",
      "bad-missing.cfg:6: cameras entry 2: missing required setting 'number'"}},
    {"bad-type.cfg",
     false,
     {"bad-type.cfg:2: output.id must be a name of 1 to 64 letters, digits, '-' or '_' (got "
      "\"main wall\")",
      "bad-type.cfg:3: output.width must be an integer from 16 to 16384 (got \"1920\")",
      "bad-type.cfg:4: output.height must be an integer from 16 to 16384 (got 1080.0)",
      "bad-type.cfg:9: grid.gap must be an integer from 0 to 64 (got 2.5)",
      "bad-type.cfg:10: grid.fit must be \"letterbox\" or \"fill\" (got \"stretch\")",
      "bad-type.cfg:13: camera 1: name must be a non-empty string (got 5)",
      "bad-type.cfg:14: cameras entry 2: number must be an integer from 1 to 999999 (got a "
      "URL)",
      "bad-type.cfg:15: cameras entry 3 must be a group { number = ...; name = ...; url = "
      "...; } (got 42)",
      "bad-type.cfg:16: camera 4: name must be a non-empty string (got \"\")",
      "bad-type.cfg:16: camera 4: url must be a non-empty string (got true)"}},
    {"bad-not-groups.cfg",
     false,
     {"bad-not-groups.cfg:1: output must be a group { ... } (got 1920)",
      "bad-not-groups.cfg:2: grid must be a group { ... } (got a list ( ... ))",
      "bad-not-groups.cfg:3: cameras must be a list ( ... ) (got a group { ... })"}},
    {"bad-many.cfg",
     false,
     {"bad-many.cfg:2: output: missing required setting 'height'",
      "bad-many.cfg:3: output.id must be a name of 1 to 64 letters, digits, '-' or '_' (got "
      "\"\")",
      "bad-many.cfg:4: output.width must be an integer from 16 to 16384 (got 8)",
      "bad-many.cfg:5: warning: unknown setting 'heigth' in output (did you mean 'height'?)",
      "bad-many.cfg:6: output.background must be a colour like \"#1a2b3c\" (got \"#12345\")",
      "bad-many.cfg:8: grid: missing required setting 'columns'",
      "bad-many.cfg:10: warning: unknown setting 'colums' in grid (did you mean 'columns'?)",
      "bad-many.cfg:14: cameras entry 1: number must be an integer from 1 to 999999 (got 0)",
      "bad-many.cfg:15: camera 5: unsupported URL scheme 'gopher' (use rtsp, rtsps, http, "
      "https or a file path)",
      "bad-many.cfg:16: warning: unknown setting 'status' in camera 5",
      "bad-many.cfg:16: camera number 5 is already used at line 15"}},
};

/* Corpus files whose model the tests below check field by field. */
static const char *const valid_files[] = {"valid-minimal.cfg", "valid-full.cfg",
                                          "valid-include.cfg"};

static const char *corpus_dir(void)
{
    const char *dir = getenv("LAYOUT_CORPUS");
    if (!dir) {
        fail_msg("LAYOUT_CORPUS is not set (run through meson test)");
    }
    return dir;
}

/* dir/name in one of four static buffers, reused in turn. */
static const char *in_dir(const char *dir, const char *name)
{
    static char buf[4][PATH_MAX];
    static int which;
    which = (which + 1) % 4;
    snprintf(buf[which], sizeof(buf[which]), "%s/%s", dir, name);
    return buf[which];
}

static const char *corpus(const char *name)
{
    return in_dir(corpus_dir(), name);
}

static struct layout_wall *load_clean(const char *path)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(path, &diags);
    if (diags.count > 0) {
        diag_list_print(&diags, stderr);
    }
    assert_int_equal(diags.count, 0);
    assert_non_null(wall);
    diag_list_finish(&diags);
    return wall;
}

static void assert_rect(struct layout_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

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
    assert_int_equal(out->n_tiles, 4);
    const int rects[4][4] = {
        {4, 4, 954, 534}, {962, 4, 954, 534}, {4, 542, 954, 534}, {962, 542, 954, 534}};
    const int cameras[4] = {0, 1, 2, -1};
    for (int i = 0; i < 4; i++) {
        assert_rect(out->tiles[i].rect, rects[i][0], rects[i][1], rects[i][2], rects[i][3]);
        assert_int_equal(out->tiles[i].camera, cameras[i]);
        assert_int_equal(out->tiles[i].fit, LAYOUT_FIT_LETTERBOX);
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
    assert_int_equal(out->n_tiles, 9);
    for (int i = 0; i < 9; i++) {
        /* gap 0: 640 x 360 cells touching each other */
        assert_rect(out->tiles[i].rect, (i % 3) * 640, (i / 3) * 360, 640, 360);
        assert_int_equal(out->tiles[i].fit, LAYOUT_FIT_FILL);
        assert_int_equal(out->tiles[i].camera, i < 7 ? i : -1);
    }
    const char *file = wall->files[0];
    assert_int_equal(wall->n_cameras, 7);
    /* The scheme is lower-cased; the rest of a stream URL is kept as written. */
    assert_camera(&wall->cameras[0], 401, "Puerto Juárez",
                  "rtsp://admin:s3cret@10.20.4.21/Streaming/Channels/101", 3, file);
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
    assert_int_equal(out->n_tiles, 2);
    /* 1280 - 3 * 2 = 1274 = 2 * 637 */
    assert_rect(out->tiles[0].rect, 2, 2, 637, 716);
    assert_rect(out->tiles[1].rect, 641, 2, 637, 716);
    assert_int_equal(out->tiles[0].camera, 0);
    assert_int_equal(out->tiles[1].camera, 1);

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
    const char *dir = getenv("LAYOUT_EXAMPLES");
    if (!dir) {
        fail_msg("LAYOUT_EXAMPLES is not set (run through meson test)");
    }
    struct layout_wall *wall = load_clean(in_dir(dir, "starter-2x2.cfg"));
    assert_int_equal(wall->n_outputs, 1);
    assert_int_equal(wall->outputs[0].n_tiles, 4);
    assert_int_equal(wall->n_cameras, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(wall->outputs[0].tiles[i].camera, i);
        assert_true(strncmp(wall->cameras[i].url, "rtsp://", 7) == 0);
        assert_true(wall->cameras[i].name[0] != '\0');
    }
    layout_destroy(wall);
}

static void assert_messages(const struct expected *e)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(corpus(e->file), &diags);
    int n = 0;
    while (n < 16 && e->lines[n]) {
        n++;
    }
    for (int i = 0; i < diags.count || i < n; i++) {
        char got[1024] = "(nothing)";
        if (i < diags.count) {
            diag_format(&diags.items[i], got, sizeof(got));
        }
        const char *want = i < n ? corpus(e->lines[i]) : "(nothing)";
        if (strcmp(got, want) != 0) {
            print_error("%s, message %d:\n  got  %s\n  want %s\n", e->file, i + 1, got, want);
        }
        assert_string_equal(got, want);
    }
    if (e->loads) {
        assert_non_null(wall);
        assert_int_equal(diags.errors, 0);
    } else {
        assert_null(wall);
        assert_true(diags.errors > 0);
    }
    layout_destroy(wall);
    diag_list_finish(&diags);
}

static void corpus_messages(void **state)
{
    for (size_t i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
        assert_messages(&corpus_cases[i]);
    }
}

static void missing_file(void **state)
{
    struct diag_list diags;
    diag_list_init(&diags);
    assert_null(layout_load(corpus("no-such-layout.cfg"), &diags));
    assert_int_equal(diags.count, 1);
    char line[1024];
    diag_format(&diags.items[0], line, sizeof(line));
    const char *want = corpus("no-such-layout.cfg: cannot read the layout file (No such file "
                              "or directory)");
    assert_string_equal(line, want);
    diag_list_finish(&diags);
}

/* layout_load() fails on errors it adds, not on errors already in the list. */
static void fails_only_on_new_errors(void **state)
{
    struct diag_list diags;
    diag_list_init(&diags);
    assert_null(layout_load(corpus("bad-colour.cfg"), &diags));
    assert_int_equal(diags.errors, 1);
    struct layout_wall *wall = layout_load(corpus("warn-unknown.cfg"), &diags);
    assert_non_null(wall);
    assert_int_equal(diags.errors, 1);
    assert_int_equal(diags.count, 7);
    layout_destroy(wall);
    layout_destroy(NULL);
    diag_list_finish(&diags);
}

static bool is_covered(const char *name)
{
    for (size_t i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
        if (strcmp(corpus_cases[i].file, name) == 0) {
            return true;
        }
    }
    for (size_t i = 0; i < sizeof(valid_files) / sizeof(valid_files[0]); i++) {
        if (strcmp(valid_files[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Every layout in the corpus is checked here; inc-* files are only included. */
static void corpus_is_covered(void **state)
{
    DIR *dir = opendir(corpus_dir());
    assert_non_null(dir);
    int layouts = 0;
    for (struct dirent *e = readdir(dir); e; e = readdir(dir)) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".cfg") != 0 ||
            strncmp(e->d_name, "inc-", 4) == 0) {
            continue;
        }
        if (!is_covered(e->d_name)) {
            print_error("corpus file %s has no test\n", e->d_name);
        }
        assert_true(is_covered(e->d_name));
        layouts++;
    }
    closedir(dir);
    assert_int_equal(layouts, (int)(sizeof(corpus_cases) / sizeof(corpus_cases[0]) +
                                    sizeof(valid_files) / sizeof(valid_files[0])));
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
        cmocka_unit_test(corpus_messages),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(fails_only_on_new_errors),
        cmocka_unit_test(corpus_is_covered),
        cmocka_unit_test(suggestions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
