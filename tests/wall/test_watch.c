/* Watch: reports a change of a watched file once, whether the editor
 * writes in place or renames a new file over it, and ignores its
 * neighbours. inotify queues events during the write itself, so no test
 * here waits on a clock: settle time 0 reports at the next poll. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "wall/watch.h"

struct fixture {
    char dir[64];
    char path[128];
    char other[128];
    char temp[128];
    struct watch *watch;
};

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/wall-watch-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/wall.cfg", f->dir);
    snprintf(f->other, sizeof(f->other), "%s/notes.txt", f->dir);
    snprintf(f->temp, sizeof(f->temp), "%s/.wall.cfg.swp", f->dir);
    write_text(f->path, "grid = { rows = 1; };\n");
    char *paths[] = {f->path};
    f->watch = watch_create(paths, 1);
    assert_non_null(f->watch);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    watch_destroy(f->watch);
    unlink(f->path);
    unlink(f->other);
    unlink(f->temp);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void nothing_changed(void **state)
{
    struct fixture *f = *state;
    assert_false(watch_poll(f->watch, 0));
}

static void write_in_place_is_one_change(void **state)
{
    struct fixture *f = *state;
    write_text(f->path, "grid = { rows = 2; };\n");
    assert_true(watch_poll(f->watch, 0));
    assert_false(watch_poll(f->watch, 0));
}

static void rename_over_is_a_change(void **state)
{
    struct fixture *f = *state;
    write_text(f->temp, "grid = { rows = 3; };\n");
    /* Writing the temporary file alone is not a change of wall.cfg. */
    assert_false(watch_poll(f->watch, 0));
    assert_int_equal(rename(f->temp, f->path), 0);
    assert_true(watch_poll(f->watch, 0));
}

static void neighbours_are_ignored(void **state)
{
    struct fixture *f = *state;
    write_text(f->other, "shift notes\n");
    assert_false(watch_poll(f->watch, 0));
}

static void settle_time_holds_the_report(void **state)
{
    struct fixture *f = *state;
    write_text(f->path, "grid = { rows = 4; };\n");
    /* An hour of settle time: the change is pending, not yet reported. */
    assert_false(watch_poll(f->watch, 3600 * 1000));
    assert_true(watch_poll(f->watch, 0));
}

static void null_watch_never_reports(void **state)
{
    assert_false(watch_poll(NULL, 0));
    watch_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(nothing_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(write_in_place_is_one_change, setup, teardown),
        cmocka_unit_test_setup_teardown(rename_over_is_a_change, setup, teardown),
        cmocka_unit_test_setup_teardown(neighbours_are_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(settle_time_holds_the_report, setup, teardown),
        cmocka_unit_test(null_watch_never_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
