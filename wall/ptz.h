/*
 * PTZ on the wall: the domes operators steer from a tile (layout_ptz in
 * the registry), each through its own worker (ptz/control.h), so the
 * render thread never waits on a camera.
 *
 * A link is made for a camera the first time it is steered and lives until
 * its PTZ settings change in a reload or the wall ends; ending it stops the
 * camera. One camera at a time is steered: the one of the tile the last
 * move named (the stick names the selected tile). The frame loop stops it
 * (operator_tick) as soon as that tile shows another page or camera, and,
 * when the operator's own hands steer it, as soon as it is not the
 * selected tile any more; the input stops it when the wall loses focus or
 * the joystick goes; a reload and the wall's end stop it too.
 *
 * What a tile shows: "PTZ" (blue) while its camera is steered from it and
 * for a moment after the last action, "PTZ UNAVAILABLE" (red) on every tile
 * of a camera whose PTZ timed out, refused the account or has none, until
 * a later try succeeds. The change to unavailable is said once (log, OSD,
 * audit), not once per move.
 *
 * The operator alone asks for moves and presets (wall/operator.h:
 * OP_PTZ_MOVE, OP_PTZ_PRESET), after its checks (PTZ configured, not
 * locked, the zone and station may steer) and audits them; this module
 * carries them out.
 *
 * Ownership: the set owns its links and their workers.
 * Threads: render thread only.
 */
#ifndef WALL_PTZ_H
#define WALL_PTZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layouts/layout.h"

#define PTZ_BADGE_COLOUR       0x2060c0u
#define PTZ_UNAVAILABLE_COLOUR 0xb01818u
#define PTZ_BADGE_AFTER_US     2000000 /* "PTZ" stays this long after the last action */

struct ptz_control;

struct ptz_link {
    int number; /* the camera's number: indices change with a reload */
    struct ptz_control *control;
    struct layout_ptz settings; /* copies, to see a reload change them */
    uint64_t generation;        /* of the status last said */
    bool unavailable;           /* as last said */
    char why[160];              /* why, when unavailable */
};

struct ptz_steering {
    int link;               /* index into links, or -1: nothing steered */
    int camera;             /* the number of the camera steered last */
    int output, page, tile; /* where from: screen index, its page, tile index */
    double pan, tilt, zoom; /* the speeds asked last; all 0: stopped */
    int source;             /* enum op_source of the request that started it */
    int64_t badge_until;    /* "PTZ" shows until then (while moving: always) */
};

struct ptz_set {
    struct ptz_link *links;
    int n, cap;
    struct ptz_steering steering;
    double timeout, move_timeout; /* seconds: wall.ptz */
};

/* What the frame loop says once (ptz_update) about a camera that became
 * unavailable or available again. */
struct ptz_news {
    int camera; /* its number */
    bool unavailable;
    char why[160];
};

void ptz_set_init(struct ptz_set *set, const struct layout_wall *layout);

/* Stops every camera that may move (each bounded by wall.ptz.timeout) and
 * ends the workers. */
void ptz_set_finish(struct ptz_set *set);

/* A reload: links whose camera lost its PTZ or changed its settings (or
 * every link, when wall.ptz's times changed) end, their cameras stopped;
 * the steering ends. */
void ptz_set_relayout(struct ptz_set *set, const struct layout_wall *layout);

/* Asks camera `c` (which has PTZ) for speeds (-1..1 each; all 0: stop),
 * steered from tile `tile` of screen `output` showing page `page`. False
 * when its PTZ is unavailable (why says so) or out of memory. */
bool ptz_move(struct ptz_set *set, const struct layout_camera *c, int output, int page, int tile,
              double pan, double tilt, double zoom, int64_t now, char *why, size_t size);

/* Preset `number` (1-based) on camera `c`. False as ptz_move. */
bool ptz_preset(struct ptz_set *set, const struct layout_camera *c, int output, int page, int tile,
                int number, int64_t now, char *why, size_t size);

/* Stops the camera steered, if any; returns its number, or 0 when none was
 * moving. */
int ptz_halt(struct ptz_set *set);

/* Whether camera `number`'s PTZ is known to be unavailable now. */
bool ptz_unavailable(const struct ptz_set *set, int number);

/* Reads the workers' statuses: fills `news` (at most `max`) with the
 * cameras whose availability changed since the last call; returns how
 * many. */
int ptz_poll(struct ptz_set *set, struct ptz_news *news, int max);

/* The badge of a tile of screen `output` (tile index `tile`) showing
 * camera `number`, and its colour; NULL: none. */
const char *ptz_badge(const struct ptz_set *set, int output, int tile, int number, int64_t now,
                      uint32_t *colour);

struct json;

/* `"ptz": [{camera, state, why, moves, stops, presets, steered}, ...]`:
 * each dome steered since the start (or its settings' last change). */
void ptz_write_stats(const struct ptz_set *set, struct json *j);

#endif
