/* wall.freshness: the freshness objective of the metrics (wall/metrics.h),
 * read into the model with its default, and a value out of range named at
 * its file and line. wall.language, the language of the monitors
 * (common/i18n.h), likewise: read, "" when not set, and a language the wall
 * does not ship named at its line with the languages it does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/i18n.h"
#include "layout_test.h"

#define WALL_LINE 4 /* the line of `wall = { ... };` in write_file()'s files */

/* A full-format file with one output and `settings` in its `wall` group. */
static const char *write_file(char path[64], const char *settings)
{
    snprintf(path, 64, "/tmp/wall-freshness-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(f,
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"a\"; rect = [0, 0, 640, 360]; pages = ( { layout = \"one\"; "
            "tiles = (101); } ); } );\n"
            "cameras = ( { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/m\"; } );\n"
            "wall = { %s };\n",
            settings);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void objective_is_read(void **state)
{
    static const struct {
        const char *settings;
        double seconds;
    } cases[] = {
        {"freshness = 5;", 5.0},
        {"freshness = 0.25;", 0.25},
        {"freshness = 0.1;", 0.1}, /* both ends are allowed */
        {"freshness = 600;", 600.0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        struct layout_wall *wall = load_clean(write_file(path, cases[i].settings));
        assert_true(wall->freshness == cases[i].seconds);
        layout_destroy(wall);
        unlink(path);
    }
}

static void defaults(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(write_file(path, "hwaccel = \"none\";"));
    assert_true(wall->freshness == LAYOUT_FRESHNESS_DEFAULT);
    assert_true(LAYOUT_FRESHNESS_DEFAULT == 2.0);
    layout_destroy(wall);
    unlink(path);

    /* The simple format has no `wall` group: the default too. */
    snprintf(path, 64, "/tmp/wall-freshness-XXXXXX");
    FILE *f = temp_file(path);
    fputs("output = { width = 640; height = 360; };\n"
          "grid = { rows = 1; columns = 1; };\n"
          "cameras = ( { number = 101; name = \"Uno\"; url = \"rtsp://192.0.2.1/m\"; } );\n",
          f);
    assert_int_equal(fclose(f), 0);
    wall = load_clean(path);
    assert_true(wall->freshness == LAYOUT_FRESHNESS_DEFAULT);
    layout_destroy(wall);
    unlink(path);
}

static void mistakes_are_named_at_their_line(void **state)
{
    static const struct {
        const char *settings;
        const char *message;
    } cases[] = {
        {"freshness = 0.05;",
         "wall.freshness must be a number of seconds from 0.1 to 600 (got 0.05)"},
        {"freshness = 601;",
         "wall.freshness must be a number of seconds from 0.1 to 600 (got 601)"},
        {"freshness = 0;", "wall.freshness must be a number of seconds from 0.1 to 600 (got 0)"},
        {"freshness = \"2s\";",
         "wall.freshness must be a number of seconds from 0.1 to 600 (got \"2s\")"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        write_file(path, cases[i].settings);
        assert_load_fails_with(path, WALL_LINE, cases[i].message);
        unlink(path);
    }
}

static void language_is_read(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(write_file(path, "hwaccel = \"none\";"));
    assert_string_equal(wall->language, ""); /* unset: the locale's */
    layout_destroy(wall);
    unlink(path);

    static const char *const languages[] = {"es", "en"};
    for (size_t i = 0; i < sizeof(languages) / sizeof(languages[0]); i++) {
        char settings[64];
        snprintf(settings, sizeof(settings), "language = \"%s\";", languages[i]);
        wall = load_clean(write_file(path, settings));
        assert_string_equal(wall->language, languages[i]);
        layout_destroy(wall);
        unlink(path);
    }

    /* The simple format has no `wall` group: unset. */
    snprintf(path, 64, "/tmp/wall-freshness-XXXXXX");
    FILE *f = temp_file(path);
    fputs("output = { width = 640; height = 360; };\n"
          "grid = { rows = 1; columns = 1; };\n"
          "cameras = ( { number = 101; name = \"Uno\"; url = \"rtsp://192.0.2.1/m\"; } );\n",
          f);
    assert_int_equal(fclose(f), 0);
    wall = load_clean(path);
    assert_string_equal(wall->language, "");
    layout_destroy(wall);
    unlink(path);
}

static void unknown_language_is_named_at_its_line(void **state)
{
    /* The list comes from po/LINGUAS; this is its text for English and Spanish. */
    if (strcmp(i18n_languages(), "en, es") != 0) {
        skip();
    }
    static const struct {
        const char *settings;
        const char *message;
    } cases[] = {
        {"freshness = 2;\n  language = \"fr\";",
         "wall.language must be \"en\" or \"es\" (got \"fr\")"},
        {"freshness = 2;\n  language = \"ES\";",
         "wall.language must be \"en\" or \"es\" (got \"ES\")"},
        {"freshness = 2;\n  language = \"\";",
         "wall.language must be \"en\" or \"es\" (got \"\")"},
        {"freshness = 2;\n  language = 5;", "wall.language must be \"en\" or \"es\" (got 5)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        write_file(path, cases[i].settings);
        assert_load_fails_with(path, WALL_LINE + 1, cases[i].message);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(objective_is_read),
        cmocka_unit_test(defaults),
        cmocka_unit_test(mistakes_are_named_at_their_line),
        cmocka_unit_test(language_is_read),
        cmocka_unit_test(unknown_language_is_named_at_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
