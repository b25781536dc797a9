/*
 * Watch: notices when any of a set of files changes, for live reload.
 *
 * Editors save in different ways (write in place, or write a new file and
 * rename it over the old one), so the watch is on each file's directory,
 * filtered by name. A burst of events (save = truncate + write + close, or
 * create + rename) is reported once, after the files have been quiet for a
 * short settle time, so a reload never reads a half-written file.
 *
 * Ownership: copies the names it is given.
 * Threads: one thread (the render thread polls it once per frame; the poll
 * never blocks).
 */
#ifndef WALL_WATCH_H
#define WALL_WATCH_H

#include <stdbool.h>

struct watch;

/* NULL when inotify is unavailable (logged); the wall then never reloads. */
struct watch *watch_create(char *const *paths, int n_paths);
void watch_destroy(struct watch *watch);

/* True once after a change, when the files have been quiet for settle_ms. */
bool watch_poll(struct watch *watch, int settle_ms);

#endif
