/*
 * Replays: a tile showing its camera's pre-roll (decode/ring.h) instead of
 * live, from some seconds ago, at the speed the operator asks for, until
 * the operator goes back to live or the tile shows another camera.
 *
 * Each replay is a source of its own (sources_open_replay(): its own
 * decoder, picture and masks); the camera's live feed, and every other
 * tile showing it, go on undisturbed. Drawing asks replay_source() for the
 * source a tile shows. The tile carries an amber REPLAY badge with how far
 * behind live the picture is and the wall-clock time it was recorded, and
 * an amber frame.
 *
 * Replays are what the wall shows, so only the operator starts, controls
 * and ends them (wall/operator.h: OP_REPLAY); the frame loop updates them
 * and ends those whose tile no longer shows their camera.
 *
 * Threads: render thread only.
 */
#ifndef WALL_REPLAY_H
#define WALL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/feed.h"
#include "wall/sources.h"

#define REPLAYS_MAX 16

/* What the operator asks of a replay (op_request.value of OP_REPLAY). */
enum replay_control {
    REPLAY_START,  /* from `seconds` ago */
    REPLAY_PAUSE,  /* pause or resume */
    REPLAY_PLAY,   /* resume at 1x */
    REPLAY_STEP,   /* one picture on, paused */
    REPLAY_FASTER, /* twice as fast (to 8x) */
    REPLAY_SLOWER, /* half as fast (to 1/8x) */
    REPLAY_LIVE,   /* end it: the tile is live again */
    REPLAY_TOGGLE, /* start from wall.replay.seconds back, or back to live (a key) */
};

struct tile_replay {
    int screen, tile;     /* where, 0-based */
    int camera;           /* index in the layout's cameras */
    struct source source; /* its own feed, picture and masks */
    struct feed_replay play;
    double seconds; /* how far back it started */
};

struct replay_set {
    struct tile_replay items[REPLAYS_MAX];
    int n;
};

struct wall;

/* Carries out `control` on tile `tile` of screen `screen`; false with the
 * reason in `why`. On success `why` says the replay's state for a reply
 * ("camera 101 from -10 s", "paused", "x2"). Audited by the caller. */
bool replay_control(struct wall *wall, int screen, int tile, enum replay_control control,
                    double seconds, char *why, size_t size);

/* Once a frame: ends replays whose tile shows another camera (or no longer
 * exists), takes their new pictures and writes their badges. */
void replay_update(struct wall *wall, int64_t now);

/* How far back the tile's replay started (seconds; all the pre-roll when
 * less was kept than asked for), or 0 when it is live. */
double replay_from(const struct wall *wall, int screen, int tile);

/* The source tile `tile` of screen `screen` shows: its replay, or NULL. */
const struct source *replay_source(const struct wall *wall, int screen, int tile);

/* After a reload: replays whose camera is still in the layout point at
 * it; the others end. */
void replay_adopt(struct wall *wall);

void replay_finish_all(struct replay_set *set);

/* Its name in the control socket ("pause"), and back: -1 for none. */
const char *replay_control_name(enum replay_control control);
int replay_control_named(const char *name);

#endif
