/*
 * The files a layout is read from: the top file and every file it pulls in
 * with @include, named as messages print them. Internal to layouts/.
 *
 * libconfig 1.5 resolves every @include, nested ones too, against one
 * include directory: we set it to the directory of the top file, so an
 * included file is always named dir-of-top + "/" + the name written in the
 * directive. A top file given without a directory ("wall.cfg") has the
 * directory "" and its included files keep their bare names.
 *
 * Why this reads the files' text before libconfig does: libconfig 1.5 (what
 * Debian 12 ships) has no include hook (config_set_include_func() came in
 * 1.7), yet messages need every missing include named with its file and
 * line, not only the first, and a NUL byte in any included file must be
 * refused before libconfig's scanner sees it (fuzz/README.md). With 1.7
 * the hook could record, resolve and check each file instead of the scan.
 *
 * Ownership: a layout_files owns its strings. Embedded: layout_files_init()
 * and layout_files_finish(). Threads: any; no shared state.
 */
#ifndef WALL_LAYOUTS_FILES_H
#define WALL_LAYOUTS_FILES_H

#include <stdbool.h>

#include "layouts/diag.h"

struct layout_files {
    char *dir;    /* directory of the top file: "" when it has none */
    char **paths; /* [0] is the top file as given, then included files */
    int count;
    int capacity;
};

void layout_files_init(struct layout_files *files);
void layout_files_finish(struct layout_files *files);

/*
 * Records `path` and, recursively, every file it includes, reading the
 * files' text the way libconfig does (comments and strings skip @include).
 * Reports a file that cannot be read, a missing include file (on the line
 * of its @include) and a byte-order mark libconfig would reject. Returns
 * false when it reported any error or ran out of memory.
 */
bool layout_files_scan(struct layout_files *files, const char *path, struct diag_list *diags);

/*
 * The recorded path of the file libconfig calls `name` (what
 * config_setting_source_file() or config_error_file() return; NULL means
 * the top file). Falls back to the top file for a name never recorded.
 */
const char *layout_files_lookup(const struct layout_files *files, const char *name);

/* Position of a recorded path in paths[], or -1: orders messages by file. */
int layout_files_rank(const struct layout_files *files, const char *path);

/* dir + "/" + rel as a new string (rel alone when dir is ""); NULL: no memory. */
char *layout_path_join(const char *dir, const char *rel);

/* The directory part of path as a new string ("" when none). */
char *layout_path_dir(const char *path);

#endif
