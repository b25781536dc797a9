/*
 * Tiles: what one tile shows, drawn from its camera's source: the picture
 * with a camera label and, when the picture is not fully live, a state
 * badge (STALE with its age, REDUCED, REPLAY with how far behind live it
 * is and the time it was recorded); or a slate (CONNECTING, NO SIGNAL
 * with the time since the last frame and whether it is reconnecting) with
 * the camera's name when there is no picture to trust. A camera whose
 * privacy masks could not be built (wall/mask.h) shows the NO SIGNAL slate
 * titled MASK FAILED, never its picture, on every draw path.
 *
 * Sources (wall/sources.h) belong to the wall; tile views hold the text
 * each tile shows, rendered once when it changes (ages in whole seconds).
 *
 * Threads: render thread only.
 */
#ifndef WALL_TILES_H
#define WALL_TILES_H

#include <stdint.h>

#include "layouts/layout.h"
#include "wall/render.h"
#include "wall/sources.h"
#include "wall/text.h"

/* Slate colours, part of the wall's visible contract (tests check them). */
#define TILE_SLATE_CONNECTING 0x14283cu
#define TILE_SLATE_NO_SIGNAL  0x3c1414u
#define TILE_BACKGROUND       0x000000u /* behind pictures: letterbox bars */
#define TILE_BADGE_STALE      0xc07000u
#define TILE_BADGE_REDUCED    0x305070u
#define TILE_BADGE_REPLAY     0xe6a000u /* amber: the badge and frame of a tile replaying */
#define TILE_BADGE_HEALTH     0x7a2db0u /* violet: the picture is in doubt (decode/health.h) */

enum tile_state {
    TILE_EMPTY,      /* no camera in the tile */
    TILE_CONNECTING, /* first attempt, no picture yet */
    TILE_LIVE,
    TILE_STALE,        /* connected, but no new frame for a while */
    TILE_REDUCED,      /* live, key frames only (decode budget) */
    TILE_NO_SIGNAL,    /* failed; waiting to retry */
    TILE_RECONNECTING, /* failed; a retry is under way */
    TILE_MASK_FAILED,  /* a picture, but its masks are missing: not shown */
    TILE_REPLAY,       /* a replay of the pre-roll (wall/replay.h), never live */
};

struct tile_view {
    struct text_label label;  /* "101  Av. Tulum y Cobá" over the picture */
    struct text_label badge;  /* "STALE 4 s", "REDUCED" */
    struct text_label title;  /* slate: "NO SIGNAL" */
    struct text_label name;   /* slate: camera number and name */
    struct text_label detail; /* slate: "last frame 12 s ago" */
    struct text_label extra;  /* the wall's badge: "PTZ" */
    struct text_label health; /* the picture in doubt: "FROZEN" (decode/health.h) */
    uint64_t drawn_key;       /* what the canvas shows of it (wall/draw.c); 0: nothing */
    uint64_t key;             /* what it shows this frame */
};

/* The text plates a frame shows, and the lines of text on slates (for the
 * control socket's `plates`). */
struct plate {
    struct layout_rect rect; /* screen picture pixels */
    int screen;
    char text[256]; /* cut between characters when longer */
};

struct plate_list {
    struct plate *items;
    int n, max;
    int screen; /* the screen being drawn */
};

/* Notes a plate when `list` is not NULL. */
void plate_list_add(struct plate_list *list, struct layout_rect rect, const char *text);

struct tile_context {
    struct renderer *renderer;
    struct text_renderer *text; /* may be NULL: no text */
    int64_t now_us;
    /* The output's own plates (status, banner, operator text): a tile's
     * plates keep out of them, shrunk sideways or moved up or down. */
    const struct layout_rect *keep_out;
    int n_keep_out;
    struct plate_list *plates; /* NULL: not listed */
};

enum tile_state tile_state(const struct source *source, int64_t now_us);
const char *tile_state_name(enum tile_state state);

/* Digital zoom of a tile: `factor` times, centred on (cx, cy) of the part
 * of the picture the tile shows. */
struct tile_zoom {
    double factor, cx, cy;
};

/* Where a picture of `aspect` goes in `tile` (letterboxed or filling it,
 * as the tile says) and which part of it shows, zoom applied. */
void tile_place_picture(const struct layout_tile *tile, double aspect,
                        const struct tile_zoom *zoom, struct layout_rect *dst, struct crop *src);

/* A badge the wall puts on a tile besides its state's ("PTZ"), at its
 * top left. */
struct tile_badge {
    const char *text; /* NULL: none */
    uint32_t colour;
};

/* Draws one tile. `source` is NULL for a tile without a camera; `zoom` is
 * NULL when the tile is not zoomed; `badge` may be NULL. */
void tile_draw(const struct tile_context *ctx, struct tile_view *view,
               const struct layout_tile *tile, const struct source *source,
               const struct tile_zoom *zoom, const struct tile_badge *badge);

void tile_view_finish(struct tile_view *view);

#endif
