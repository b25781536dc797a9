/*
 * Operator: the only writer of what the wall shows (its screens: pages,
 * tiles' cameras and tours, maximize, zoom, alarms; the selection; the
 * layout in force). Every change, whatever its source (keyboard, joystick,
 * control socket, tour, alarm, reload, and later other stations), is a
 * request value applied by operator_apply(), so the zone rules are checked
 * in one place, equal requests give equal results from every source, and
 * every change is written to the audit log in one place. What changes by
 * itself with time (a tour's next camera, an alarm's end) is applied by
 * operator_tick(). Everything else reads the wall's state and never
 * writes it.
 *
 * A request acts on a target: an output and a tile, each counted from 1,
 * or 0 for the selection (the selected output, the one operators type on,
 * and its selected tile). Camera numbers are what operators dial; outputs,
 * tiles and pages are counted from 1 in every message, as on a CCTV
 * keyboard, and from 0 in `value` unless said otherwise.
 *
 * A refused request changes nothing and explains why in `why` (shown on
 * the selected output's OSD for a few seconds by the caller's choice),
 * in the process's language (common/i18n.h): a caller that shows it on
 * the glass (keyboard, joystick, mouse, touch) applies the request within
 * i18n_osd_enter() and i18n_osd_leave(), so that it is composed in the
 * OSD's language; the socket's and other stations' stay in the process's.
 *
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_H
#define WALL_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wall;

enum op_source {
    OP_KEYBOARD,
    OP_JOYSTICK,
    OP_SOCKET,
    OP_TOUR,
    OP_ALARM,
    OP_RELOAD,
    OP_STATION, /* a command from another station or an outside system (wall/station.h) */
    OP_MOUSE,   /* clicks, wheel and drags on the wall (wall/pointer.h) */
    OP_TOUCH,   /* taps and gestures on a touch monitor (wall/pointer.h) */
};

struct layout_wall;

enum op_kind {
    OP_SELECT_MOVE,     /* dx, dy: move the selected tile by whole tiles */
    OP_SELECT_OUTPUT,   /* value: output (0-based); relative: value is a step */
    OP_SELECT_TILE,     /* value: tile (0-based) of the target output, which is selected too */
    OP_PUT_CAMERA,      /* value: camera number into the target tile; 0 empties it */
    OP_MAXIMIZE_TOGGLE, /* the target tile fills its output, or the output is restored */
    OP_MAXIMIZE,        /* the target tile fills its output */
    OP_RESTORE,         /* the target output shows its page again */
    OP_PAGE,            /* value: page (0-based); relative: value is a step */
    OP_TOUR_TOGGLE,     /* value: tour (1-based) to start, or 0: start/stop the tile's */
    OP_TOUR_SET,        /* value: tour (0-based) to run in the target tile; -1 stops it */
    OP_TOUR_PAUSE,      /* pause or resume the tour in the target tile */
    OP_ALARM_PUSH,      /* value: camera number popped over the target output for
                        `amount` seconds */
    OP_SNAPSHOT,        /* PNG of the target tile, masks applied; `why` names the file */
    OP_ZOOM_TOGGLE,     /* enter or leave digital zoom on the selected tile; entering, at
                           `amount` times (0: 2x), about the anchor when `anchored` */
    OP_ZOOM,            /* amount: factor to multiply the zoom by (in zoom mode), about
                           the anchor when `anchored` */
    OP_PAN,             /* dx, dy: move the zoomed view, in fractions of it */
    OP_LOAD_LAYOUT,     /* layout: a validated layout replaces the one in force */
    OP_REPLAY,          /* value: enum replay_control (wall/replay.h) on the target tile;
                           amount: seconds back for REPLAY_START */
    OP_PTZ_MOVE,        /* the target tile's PTZ camera (wall/ptz.h) moves at speeds
                           dx (pan, right +), dy (tilt, up +), amount (zoom, in +), each
                           -1..1; all 0: it stops */
    OP_PTZ_PRESET,      /* the target tile's PTZ camera goes to preset `value` (from 1) */
    OP_EXPORT,          /* evidence of the target tile (wall/evidence.h): amount seconds
                           of pre-roll, then dx seconds more (negative: until stopped);
                           value 1: stop the export under way; 2: stop it, or start one
                           of wall.replay.seconds and on until stopped. `why` names the file */
    OP_SWAP,            /* the target tile and tile `with_tile` of output `with_output`
                           exchange what they show (camera or tour), each admitted by the
                           zone of the output it lands on, or nothing changes */
};

struct op_request {
    enum op_kind kind;
    int output; /* 1-based; 0: the selected output */
    int tile;   /* 1-based; 0: the target output's selected tile */
    int value;
    bool relative;
    double dx, dy;
    double amount;
    struct layout_wall *layout; /* OP_LOAD_LAYOUT: the wall owns it from then on */
    const char *from;           /* OP_STATION: the sender ("ssc", "cad"), for the audit trail */
    /* OP_ZOOM, OP_ZOOM_TOGGLE with `anchored`: the point of the tile's picture as
     * shown (0..1 of its width and height, from the top left) that stays where it
     * is while the zoom changes: the pointer's. Without it the view's centre stays. */
    bool anchored;
    double anchor_x, anchor_y;
    /* OP_SWAP: the other tile, counted like `output` and `tile` (0: the selection). */
    int with_output, with_tile;
};

enum op_result {
    OP_REFUSED = 0, /* nothing changed; `why` says why */
    OP_DONE = 1,    /* carried out here */
    OP_SENT = 2,    /* the target output is driven by another station: the request went
                       to it as a command, whose id is in `why` (wall/station.h) */
};

/* Carries out `req`, or, when its output is driven by another station,
 * sends it there (the answer comes later: station_await()). OP_REFUSED when
 * refused or impossible; `why` says why (on success it may hold a result:
 * a snapshot's file name). Accepted results are true as a bool. */
enum op_result operator_apply(struct wall *wall, enum op_source source,
                              const struct op_request *req, char *why, size_t why_size);

/* What changes by itself at `now`: the alarm on each shown output ends and
 * the next queued one shows; tours move on. Written to the audit trail as
 * source alarm or tour. Once a frame, before drawing. */
void operator_tick(struct wall *wall, int64_t now);

struct msg_state;
struct msg_tile;

/* The state of output `output` (0-based) as the stations publish it, with
 * its tiles in `tiles` (MSG_TILES_MAX entries; messages.h). */
void operator_state(const struct wall *wall, int output, struct msg_state *out,
                    struct msg_tile *tiles);

/* Shows on output `output` (0-based) what `state` (from the broker) says:
 * page, tiles' cameras and tours, maximized and selected tile. What the
 * zone or the layout refuses (a camera out of zone, a tile or tour that
 * does not exist) is left out (the tile empty) and said in `why`; the rest
 * is shown. Not audited: the caller says why it adopts a state (a mirror
 * of another station's output is silent; a restore or takeover is not).
 * False when nothing of it could be shown (a page that does not exist). */
bool operator_adopt(struct wall *wall, int output, const struct msg_state *state, char *why,
                    size_t why_size);

/* The screens of the layout in force, at start (no audit), and freeing
 * them at the end. */
bool operator_start(struct wall *wall);
void operator_finish(struct wall *wall);

/* The digits being typed, shown in the entry line of the selected output
 * ("" hides it). The input module owns the typing; the wall shows it. */
void operator_set_entry(struct wall *wall, const char *text);

/* A short message on the selected output's OSD for a few seconds (a
 * refusal, a snapshot's file name). */
void operator_notify(struct wall *wall, const char *message);

/* Shows tile `tile` (0-based) of output `output`: its camera's number,
 * name, state and stream, on a plate at the tile's top left, for a few
 * seconds; tile -1 hides it. Not a change of what the tiles show: not
 * audited. */
void operator_show_info(struct wall *wall, int output, int tile);

/* Whether the selected tile is in digital zoom (the stick then pans). */
bool operator_zooming(const struct wall *wall);

/* Whether the selected tile shows a PTZ camera this station may steer now
 * (configured, not locked, its zone and station allowed, not unavailable):
 * the stick then steers it. */
bool operator_ptz_steerable(const struct wall *wall);

/* Stops the PTZ camera being steered, if any, audited with `reason` (focus
 * lost, exit, reload). */
void operator_ptz_halt(struct wall *wall, const char *reason);

/* Camera `number`'s picture health learns its reference again from its
 * next picture on (a camera turned on purpose; feed_health_reset()), and
 * the audit trail says so (`health-reset`). Acts on this station's feed of
 * the camera, whichever output shows it; not a change of what the wall
 * shows. False, with the reason in `why`, when there is no such camera,
 * its picture is not watched (picture_health off), or it is not open on
 * this station. */
bool operator_health_reset(struct wall *wall, enum op_source source, int number, char *why,
                           size_t size);

const char *operator_source_name(enum op_source source);

#endif
