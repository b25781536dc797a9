/*
 * Helpers shared by the layouts/ unit tests: where the corpus and the
 * examples are (LAYOUT_CORPUS and LAYOUT_EXAMPLES, set by meson test), and
 * loading a file that must load without a single message.
 */
#ifndef WALL_TESTS_UNIT_LAYOUT_TEST_H
#define WALL_TESTS_UNIT_LAYOUT_TEST_H

#include <stdio.h>

#include "layouts/layout.h"

const char *corpus_dir(void);
const char *examples_dir(void);

/* dir/name in one of eight static buffers, reused in turn. */
const char *in_dir(const char *dir, const char *name);

/* A file of the corpus / of layouts/examples, as in_dir(). */
const char *corpus(const char *name);
const char *example(const char *name);

/* Loads path; fails the test on any message, error or warning. */
struct layout_wall *load_clean(const char *path);

/* Loads path and returns its messages, formatted, in `out` (which the
 * caller finishes); the model, if any, is destroyed. Returns whether the
 * file loaded. */
bool load_messages(const char *path, struct diag_list *out);

/* Whether `diags` holds the line "FILE:LINE: message" with FILE = corpus(file). */
bool has_message(const struct diag_list *diags, const char *file_line_message);

/* Whether `diags` holds exactly the line `want` ("FILE:LINE: message"). */
bool has_exact_message(const struct diag_list *diags, const char *want);

/* Loads `path`, which must fail to load, and fails the test unless its
 * messages hold exactly "path:line: message" (printing those it got). */
void assert_load_fails_with(const char *path, int line, const char *message);

/* A new temporary file made from `path` (a mkstemp template, filled in),
 * open for writing; fails the test when it cannot be made. */
FILE *temp_file(char *path);

void assert_rect_is(struct layout_rect r, int x, int y, int w, int h);

#endif
