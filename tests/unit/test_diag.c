#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "layouts/diag.h"

static void formats(void **state)
{
    struct diag_list list;
    diag_list_init(&list);
    diag_add(&list, DIAG_ERROR, "walls/main.cfg", 12, "grid.rows must be %s", "positive");
    diag_add(&list, DIAG_WARNING, "walls/main.cfg", 3, "unknown setting '%s'", "foo");
    diag_add(&list, DIAG_ERROR, "walls/main.cfg", 0, "missing required group 'output'");
    diag_add(&list, DIAG_WARNING, NULL, 0, "no file");
    assert_int_equal(list.count, 4);
    assert_int_equal(list.errors, 2);

    char buf[128];
    diag_format(&list.items[0], buf, sizeof(buf));
    assert_string_equal(buf, "walls/main.cfg:12: grid.rows must be positive");
    diag_format(&list.items[1], buf, sizeof(buf));
    assert_string_equal(buf, "walls/main.cfg:3: warning: unknown setting 'foo'");
    diag_format(&list.items[2], buf, sizeof(buf));
    assert_string_equal(buf, "walls/main.cfg: missing required group 'output'");
    diag_format(&list.items[3], buf, sizeof(buf));
    assert_string_equal(buf, "warning: no file");

    char small[12];
    diag_format(&list.items[0], small, sizeof(small));
    assert_string_equal(small, "walls/main.");
    diag_list_finish(&list);
    assert_int_equal(list.count, 0);
    assert_int_equal(list.errors, 0);
    assert_null(list.items);
}

static void copies_the_file_name(void **state)
{
    struct diag_list list;
    diag_list_init(&list);
    char file[] = "a.cfg";
    diag_add(&list, DIAG_ERROR, file, 1, "x");
    strcpy(file, "b.cfg");
    assert_string_equal(list.items[0].file, "a.cfg");
    diag_list_finish(&list);
    diag_list_finish(NULL);
}

static void grows(void **state)
{
    struct diag_list list;
    diag_list_init(&list);
    for (int i = 0; i < 1000; i++) {
        diag_add(&list, i % 2 ? DIAG_WARNING : DIAG_ERROR, "f.cfg", i + 1, "problem %d", i);
    }
    assert_int_equal(list.count, 1000);
    assert_int_equal(list.errors, 500);
    assert_int_equal(list.items[999].line, 1000);
    assert_string_equal(list.items[999].message, "problem 999");
    diag_list_finish(&list);
}

static void prints_one_line_each(void **state)
{
    struct diag_list list;
    diag_list_init(&list);
    diag_add(&list, DIAG_ERROR, "w.cfg", 7, "camera 101: url must be a non-empty string");
    diag_add(&list, DIAG_WARNING, "w.cfg", 9, "camera 117 has no tile");
    FILE *f = tmpfile();
    assert_non_null(f);
    diag_list_print(&list, f);
    rewind(f);
    char text[256] = {0};
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_string_equal(text, "w.cfg:7: camera 101: url must be a non-empty string\n"
                              "w.cfg:9: warning: camera 117 has no tile\n");
    diag_list_finish(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats),
        cmocka_unit_test(copies_the_file_name),
        cmocka_unit_test(grows),
        cmocka_unit_test(prints_one_line_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
