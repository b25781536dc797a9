/*
 * Where the files the wall reads at run time are: the built-in demo
 * (demo.cfg and its clips) and, when present, its own fonts.
 *
 * The folder is the first of these that exists (for the environment
 * variable: that is set):
 *   1. $WALL_ASSETS_DIR, for a test or an unusual install;
 *   2. the installed folder found from the running binary:
 *      BINDIR/../DATADIR/wall/assets, so an install under --destdir, an
 *      unpacked .deb or a moved prefix finds its own assets;
 *   3. the source tree's assets/ (a binary run from its build folder);
 *   4. PREFIX/DATADIR/wall/assets, where `meson install` puts them.
 * A folder counts when it holds demo.cfg.
 *
 * Any thread may call these; they keep no state.
 */
#ifndef WALL_COMMON_ASSETS_H
#define WALL_COMMON_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the path of NAME (a path inside the assets folder, such as
 * "demo.cfg") into buf. False when no assets folder is found or the path
 * does not fit; buf then holds an empty string. */
bool assets_path(const char *name, char *buf, size_t size);

/* `relative` (a path from the binary's folder to an installed folder, as
 * config.h's WALL_*_FROM_BINDIR) from the running binary's folder, into
 * dir; false when the binary cannot be found, the path does not fit, or
 * `relative` is empty (the build has an absolute bindir or datadir).
 * Whether the folder exists is the caller's to check. */
bool assets_beside_binary(const char *relative, char *dir, size_t size);

#endif
