/*
 * Operator: every change of what the wall shows goes through here, whatever
 * its source (keyboard, joystick, control socket, tour, alarm, reload), so
 * the zone rules are checked in one place and every change is written to
 * the audit log in one place.
 *
 * Requests act on the selection: one selected output (the one operators
 * type on) and one selected tile on each output. Camera numbers are what
 * operators dial; outputs, tiles and pages are counted from 1 in every
 * message, as on a CCTV keyboard, and from 0 in this API.
 *
 * A refused request changes nothing and explains why in `why` (shown on
 * the selected output's OSD for a few seconds by the caller's choice).
 *
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_H
#define WALL_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>

struct wall;

enum op_source {
    OP_KEYBOARD,
    OP_JOYSTICK,
    OP_SOCKET,
    OP_TOUR,
    OP_ALARM,
    OP_RELOAD,
};

enum op_kind {
    OP_SELECT_MOVE,     /* dx, dy: move the selected tile by whole tiles */
    OP_SELECT_OUTPUT,   /* value: output (0-based); relative: value is a step */
    OP_SELECT_TILE,     /* value: tile on the selected output (0-based) */
    OP_PUT_CAMERA,      /* value: camera number into the selected tile; 0 empties it */
    OP_MAXIMIZE_TOGGLE, /* the selected tile fills its output, or is restored */
    OP_PAGE,            /* value: page (0-based); relative: value is a step */
    OP_TOUR_TOGGLE,     /* value: tour (1-based) to start, or 0: start/stop the tile's */
    OP_TOUR_PAUSE,      /* pause or resume the tour in the selected tile */
    OP_SNAPSHOT,        /* PNG of the selected tile, masks applied */
    OP_ZOOM_TOGGLE,     /* enter or leave digital zoom on the selected tile */
    OP_ZOOM,            /* amount: factor to multiply the zoom by (in zoom mode) */
    OP_PAN,             /* dx, dy: move the zoomed view, in fractions of it */
};

struct op_request {
    enum op_kind kind;
    int value;
    bool relative;
    double dx, dy;
    double amount;
};

/* Carries out `req`. False when refused or impossible; `why` says why. */
bool operator_apply(struct wall *wall, enum op_source source, const struct op_request *req,
                    char *why, size_t why_size);

/* The digits being typed, shown in the entry line of the selected output
 * ("" hides it). The input module owns the typing; the wall shows it. */
void operator_set_entry(struct wall *wall, const char *text);

/* A short message on the selected output's OSD for a few seconds (a
 * refusal, a snapshot's file name). */
void operator_notify(struct wall *wall, const char *message);

/* Whether the selected tile is in digital zoom (the stick then pans). */
bool operator_zooming(const struct wall *wall);

const char *operator_source_name(enum op_source source);

#endif
