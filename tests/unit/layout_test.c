#include "layout_test.h"

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

static const char *env_dir(const char *name)
{
    const char *dir = getenv(name);
    if (!dir) {
        fail_msg("%s is not set (run through meson test)", name);
    }
    return dir;
}

const char *corpus_dir(void)
{
    return env_dir("LAYOUT_CORPUS");
}

const char *examples_dir(void)
{
    return env_dir("LAYOUT_EXAMPLES");
}

const char *in_dir(const char *dir, const char *name)
{
    static char buf[8][PATH_MAX];
    static int which;
    which = (which + 1) % 8;
    snprintf(buf[which], sizeof(buf[which]), "%s/%s", dir, name);
    return buf[which];
}

const char *corpus(const char *name)
{
    return in_dir(corpus_dir(), name);
}

const char *example(const char *name)
{
    return in_dir(examples_dir(), name);
}

struct layout_wall *load_clean(const char *path)
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

bool load_messages(const char *path, struct diag_list *out)
{
    diag_list_init(out);
    struct layout_wall *wall = layout_load(path, out);
    bool loaded = wall != NULL;
    layout_destroy(wall);
    return loaded;
}

bool has_message(const struct diag_list *diags, const char *file_line_message)
{
    return has_exact_message(diags, corpus(file_line_message));
}

bool has_exact_message(const struct diag_list *diags, const char *want)
{
    for (int i = 0; i < diags->count; i++) {
        char got[1024];
        diag_format(&diags->items[i], got, sizeof(got));
        if (strcmp(got, want) == 0) {
            return true;
        }
    }
    return false;
}

void assert_rect_is(struct layout_rect r, int x, int y, int w, int h)
{
    if (r.x != x || r.y != y || r.w != w || r.h != h) {
        fail_msg("rect [%d, %d, %d, %d], want [%d, %d, %d, %d]", r.x, r.y, r.w, r.h, x, y, w, h);
    }
}

FILE *temp_file(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    return f;
}

void assert_load_fails_with(const char *path, int line, const char *message)
{
    char want[1024];
    struct diag_list diags;
    assert_false(load_messages(path, &diags));
    snprintf(want, sizeof(want), "%s:%d: %s", path, line, message);
    if (!has_exact_message(&diags, want)) {
        for (int k = 0; k < diags.count; k++) {
            char text[1024];
            diag_format(&diags.items[k], text, sizeof(text));
            print_message("got: %s\n", text);
        }
        fail_msg("missing: %s", want);
    }
    diag_list_finish(&diags);
}
