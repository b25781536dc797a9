/*
 * Inside the wall: the state the frame loop and the command handlers
 * share. Only the wall's own files include this: wall.c (create, destroy,
 * reload, snapshots), loop.c (the frame loop), draw.c, commands.c, the
 * operator, the pointer (wall/pointer.c) and the metrics' view of the
 * wall (wall/wall_metrics.c), which only read.
 *
 * Every field belongs to the render thread; nothing here is locked.
 *
 * Ownership of what the wall shows: `layout`, `screens`/`n_screens` (their
 * pages, tiles, maximize, zoom, tours and alarms), `selected_output`,
 * `entry`, `notice` and `info_*` are written by the operator alone (wall/operator.c,
 * operator_snapshot.c): every change is an operator request. The frame
 * loop, the drawing and the command handlers read them. The exception is
 * what drawing caches in a screen (its tile views, labels and `drawn`),
 * which wall/draw.c keeps up to date. Sources are read through
 * sources_get(); only the source set and the budget write them.
 */
#ifndef WALL_WALL_IMPL_H
#define WALL_WALL_IMPL_H

#include "decode/hwdec.h"
#include "wall/audit.h"
#include "wall/input.h"
#include "wall/budget.h"
#include "wall/control.h"
#include "wall/evidence.h"
#include "wall/replay.h"
#include "wall/notify.h"
#include "wall/output.h"
#include "wall/ptz.h"
#include "wall/screen.h"
#include "wall/sources.h"
#include "wall/station.h"
#include "wall/stats.h"
#include "wall/tiles.h"
#include "wall/wall.h"
#include "wall/watch.h"

struct wall {
    const struct wall_options *options;
    struct layout_wall *layout;
    struct output *output;
    struct renderer *renderer;
    struct profile *profile; /* --profile; NULL: off */
    struct text_renderer *text;
    struct dmabuf_importer *dmabuf;
    struct hwdec *hwdec;
    struct source_options source_options;
    struct source_set sources;
    struct ring_pool *rings; /* every camera's pre-roll (wall.replay); NULL: none */
    /* Tiles replaying (the operator starts and ends them) and exports
     * under way (wall/replay.h, wall/evidence.h). */
    struct replay_set replays;
    struct evidence_set evidence;
    struct ptz_set ptz; /* the domes steered (wall/ptz.h) */
    struct budget budget;
    /* One per layout output. Const: only the operator changes them (it made
     * them, wall/operator.c screen_of()); drawing writes its caches behind
     * each screen's `look` pointer. */
    const struct screen *screens;
    int n_screens;
    struct watch *watch;
    struct control *control;
    struct audit *audit; /* NULL: no audit file configured */
    struct input *input;
    struct station *station; /* NULL: the layout names no stations */
    const char *op_from;     /* the sender of the station command being applied */
    uint64_t screen_changes; /* counted by the operator at every change it makes */
    int selected_output;     /* the screen operators type on */
    char entry[16];          /* digits being typed */
    char notice[160];        /* a refusal or a snapshot's name */
    int64_t notice_until;    /* when the notice goes away */
    int info_output;         /* the tile whose camera details show (operator_show_info) */
    int info_tile;
    int64_t info_until;       /* when they go away; 0: not shown */
    char *banner;             /* first error of a reload that failed; NULL: none */
    char banner_both[1600];   /* that and the station's news (wall_banner()) */
    uint64_t frames_rendered; /* output frames, drawn or unchanged */
    uint64_t frames_drawn;    /* those in which anything was drawn */
    int64_t fps_since_us;     /* start of the window the output rate is counted in */
    uint64_t fps_frames;      /* frames_rendered at its start */
    double output_fps;        /* presented per second over the last window */
    bool settled;
    int64_t started_us;
    struct notify notify;    /* systemd: ready, status, watchdog (wall/notify.h) */
    uint64_t reloads;        /* layout reloads tried (wall_reload) */
    uint64_t reloads_failed; /* of those, the ones that kept the previous layout */
    struct metrics *metrics; /* --metrics; NULL: off */
};

/* The zoom of tile `index` of `s` (filled into `zoom`), or NULL. */
const struct tile_zoom *wall_tile_zoom(const struct screen *s, int index, struct tile_zoom *zoom);

/* Lists the text plates the canvas shows now (up to `max`), each with
 * its screen; returns how many. Draws nothing. */
int wall_list_plates(struct wall *wall, struct plate *plates, int max);

/* Brings the canvas up to `now` (no present), redrawing only what changed
 * where the canvas stays from frame to frame (wall/draw.c). True when it
 * drew anything; `force`: the canvas must be complete afterwards (a
 * snapshot reads it), so windows are drawn whole even without a change. */
bool wall_draw(struct wall *wall, int64_t now, bool force);

/* Reloads the layout file (wall/wall.c): a valid one is swapped in whole,
 * an invalid one leaves the wall as it was with a banner. */
void wall_reload(struct wall *wall);

/* Whether screen `i` is shown and decoded for here: its display exists and
 * this station drives it (wall/station.h). */
bool wall_screen_live(const struct wall *wall, int i);

/* What the banner across every output says now: a reload that failed, and
 * the station's news; NULL: nothing. */
const char *wall_banner(struct wall *wall);

/* The wall's own figures for the statistics. */
void wall_stats_figures(struct wall *wall, struct stats_wall *out);

/* After each presented frame (wall/wall_metrics.c): with --metrics, the
 * freshness of every tile showing a picture, and, when due, the metrics'
 * text. */
void wall_metrics_presented(struct wall *wall, int64_t now);

/* A control-socket refusal: "ERR " and the reason, `fmt` translated into
 * the process's language (common/i18n.h; an xgettext keyword, so callers
 * pass plain literals). The command names and "ERR" stay as written. */
void reply_err(FILE *reply, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the canvas as drawn and writes it to `path` as PNG. */
bool wall_write_snapshot(struct wall *wall, const char *path);

#endif
