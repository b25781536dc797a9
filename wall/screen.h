/*
 * Screen: what one layout output shows now, the operator's state for it.
 * The layout says what pages exist; the screen holds which page is up,
 * which tile is selected or maximized or zoomed, what operators put into
 * tiles since the page came up, the tours running in tiles, and the alarm
 * pop-ups queued for the output.
 *
 * Every tile of the page has a live state, initialised from the page when
 * it comes up: its camera or tour, and for a tour when it started and
 * whether it is paused. Putting a camera into a tile replaces its live
 * state until the page changes; paging back brings the page's own
 * cameras back, as on a CCTV matrix.
 *
 * An alarm shows its camera over the whole output, framed in red, for its
 * time; then the output is as it was, or the next queued alarm shows.
 *
 * Ownership: borrows `config` from the wall's layout; owns the rest. The
 * operator alone changes a screen (wall/operator.h); drawing keeps its
 * caches in `look`.
 * Threads: render thread only (views hold GL textures).
 */
#ifndef WALL_SCREEN_H
#define WALL_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "layouts/layout.h"
#include "wall/text.h"
#include "wall/damage.h"
#include "wall/tiles.h"

#define SCREEN_MAX_ALARMS 16

struct tile_live {
    int camera;         /* camera index, or -1 */
    int tour;           /* tour index, or -1 */
    int64_t tour_start; /* when the tour started (paused time excluded) */
    int64_t paused_at;  /* when it was paused; 0: running */
    int shown;          /* the tour's camera last written to the audit trail; -1: none */
};

struct zoom {
    bool active;
    double factor; /* 1..8 */
    double cx, cy; /* centre of the view, 0..1 of the picture */
};

struct alarm {
    int camera;     /* camera index */
    int64_t length; /* microseconds on screen */
    int64_t until;  /* when the active alarm ends; 0 while queued */
};

#define SCREEN_OSD_RECTS 16

/* What the last drawn frame left on the canvas, so the next one redraws
 * only what changed. Render thread (wall/draw.c) only. */
struct screen_drawn {
    bool valid;       /* false: nothing of it is on the canvas yet */
    uint64_t key;     /* page, maximize, alarm: what decides the tiles' places */
    uint64_t osd_key; /* the OSD's texts and places */
    struct layout_rect osd[SCREEN_OSD_RECTS]; /* where its plates are */
    int n_osd;
    struct damage damage; /* this frame's */
};

/* What drawing keeps of a screen from frame to frame: the textures of its
 * tiles and plates, and what the canvas holds of it. It belongs to drawing
 * (wall/draw.c, osd.c), which reads the screen itself as const: it lives
 * behind a pointer for that. The screen makes and frees it, and drops the
 * views it no longer shows (a new page, a tile given another camera, an
 * alarm that ended). */
struct screen_look {
    struct tile_view *views; /* one per tile of the page */
    struct tile_view alarm_view;
    struct text_label alarm_title;
    struct text_label banner;  /* layout error across the top */
    struct text_label status;  /* zone, page, clock */
    struct text_label entry;   /* digits being typed, on the selected output */
    struct text_label notice;  /* a refusal or a snapshot name */
    struct text_label info;    /* a tile's camera details (operator_show_info) */
    struct screen_drawn drawn; /* what the canvas holds of it */
};

struct screen {
    const struct layout_output *config;
    int page;
    int maximized;          /* tile index on the page, or -1 */
    int selected;           /* tile index on the page */
    struct zoom zoom;       /* of the selected tile */
    struct tile_live *live; /* one per tile of the page */
    int n_tiles;
    struct alarm alarms[SCREEN_MAX_ALARMS]; /* [0] is on screen when until != 0 */
    int n_alarms;
    int64_t alarm_audited;    /* `until` of the alarm last written to the audit trail */
    struct screen_look *look; /* drawing's */
};

bool screen_init(struct screen *s, const struct layout_output *config, int page, int64_t now);
void screen_finish(struct screen *s);

/* Shows page `page` (0-based) as the layout has it: restores any
 * maximized tile, drops what operators put into tiles, restarts tours. */
bool screen_set_page(struct screen *s, int page, int64_t now);

/* Maximizes tile `tile` (0-based) of the page; -1 restores. */
bool screen_maximize(struct screen *s, int tile);

/* The alarm on screen (popped over the whole output), or NULL. */
const struct alarm *screen_alarm_shown(const struct screen *s);

/* How many tiles are visible now (1 while maximized or in an alarm). */
int screen_visible_count(const struct screen *s);

/* The i-th visible tile as drawn (a maximized one or an alarm with the
 * output's whole rect; camera and tour as live now) and the index of its
 * tile on the page (-1 for an alarm). */
struct layout_tile screen_visible_tile(const struct screen *s, int i, int *page_index);

/* The camera index a tile shows at `now` (its tour's current camera), or -1. */
int screen_tile_camera(const struct screen *s, const struct layout_wall *layout,
                       const struct layout_tile *tile, int page_index, int64_t now);

/* The camera tile `tile` (an index on the page) shows at `now`, and where
 * (`rect`, may be NULL); -1 when it shows none or is not visible (another
 * tile is maximized, an alarm covers the output). */
int screen_shown_camera(const struct screen *s, const struct layout_wall *layout, int tile,
                        int64_t now, struct layout_rect *rect);

/* The active alarm, or NULL; ends it and starts the next when it is over. */
const struct alarm *screen_alarm(struct screen *s, int64_t now);

/* Queues an alarm; false when the queue is full. */
bool screen_push_alarm(struct screen *s, int camera, int64_t length);

#endif
