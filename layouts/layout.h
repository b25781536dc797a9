/*
 * The wall model: what a layout file describes, parsed and validated into
 * one immutable struct.
 *
 * Ownership: layout_load() returns a heap object the caller owns and frees
 * with layout_destroy(); every string and array inside it belongs to it.
 * Nothing in it changes after layout_load() returns, so the render thread
 * and feed threads may read it without locks. A reload builds a new model
 * and swaps it in whole; the old one is destroyed only after no thread
 * looks at it any more.
 *
 * This module knows nothing of GL or FFmpeg. It is pure and unit-tested.
 *
 * Threads: any thread; no shared state.
 */
#ifndef WALL_LAYOUTS_LAYOUT_H
#define WALL_LAYOUTS_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "geometry.h"

enum layout_fit {
    LAYOUT_FIT_LETTERBOX, /* whole picture, bars where the aspect differs */
    LAYOUT_FIT_FILL,      /* cover the tile, crop what sticks out */
};

struct layout_camera {
    int number;     /* what operators dial; unique in the file */
    char *name;     /* UTF-8, shown on the wall */
    char *url;      /* main stream: absolute path, rtsp://, rtsps://, http(s):// */
    int line;       /* line of the camera's entry in `file`, for messages */
    const char *file; /* points into layout_wall.files[] */
};

struct layout_tile {
    int camera;           /* index into layout_wall.cameras, or -1: empty tile */
    struct layout_rect rect; /* in output pixels, origin top-left */
    enum layout_fit fit;
};

struct layout_output {
    char *id;
    int width, height;   /* canvas size in pixels */
    uint32_t background; /* 0xRRGGBB: the gaps between tiles */
    struct layout_tile *tiles;
    int n_tiles;
};

struct layout_wall {
    char *path;                 /* the file loaded, as given */
    char **files;               /* path and every included file, for watching */
    int n_files;
    struct layout_output *outputs;
    int n_outputs;
    struct layout_camera *cameras;
    int n_cameras;
};

/*
 * Parses and validates the layout file at `path`. Relative media paths in
 * camera URLs resolve against the directory of the file that names them.
 *
 * Every problem found is appended to `diags` (one per problem, with file
 * and line); warnings do not fail the load. Returns NULL when there was any
 * error, else the model.
 */
struct layout_wall *layout_load(const char *path, struct diag_list *diags);

void layout_destroy(struct layout_wall *wall);

/* The camera with that number, or NULL. */
const struct layout_camera *layout_find_camera(const struct layout_wall *wall, int number);

#endif
