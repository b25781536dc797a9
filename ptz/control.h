/*
 * PTZ control: one worker thread per steered camera that turns what the
 * operator asks now (a speed, a preset) into ONVIF calls (ptz/onvif.h),
 * so that the render thread never waits on a camera.
 *
 * The render thread only writes the latest wish and returns:
 *   - ptz_control_move() sets the speed wanted now (pan, tilt, zoom, each
 *     -1..1). Wishes coalesce: the worker sends the latest one, and only
 *     when it differs from what it last sent (by 0.02 or more on an axis).
 *     ContinuousMoves go out at most every PTZ_MOVE_INTERVAL_MS (about 10
 *     a second); a held speed is sent again every half move timeout so the
 *     camera's own Timeout never stops a held stick, while a wall that dies
 *     leaves a camera that stops by itself.
 *   - A wish of all zeros is a Stop, sent at once (never rate-limited) when
 *     a move went out since the last Stop. ptz_control_stop() is the same.
 *   - ptz_control_preset(n) goes to preset n (1-based as operators dial):
 *     the preset whose token is "n", else the n-th of GetPresets in the
 *     camera's order. It cancels a held speed (a Stop is not sent: the
 *     camera's GotoPreset replaces the move).
 *
 * Availability: a call that times out, is refused authentication or finds
 * no PTZ makes the camera unavailable: the status says why, wishes are
 * dropped (the calls return false) and nothing is sent for
 * PTZ_RETRY_AFTER_MS; the first wish after that tries again (connect
 * included; ptz_control_set_retry_after() changes the wait). A success
 * makes it available again. Each change of availability bumps
 * status.generation, so the wall says "PTZ unavailable" once per change,
 * not once per frame; the log says it once per change too. Any other
 * failure (a SOAP fault, a preset number the camera does not have) leaves
 * the availability as it is, is logged once, and is not sent again until
 * the next wish.
 *
 * ptz_control_destroy() sends a last Stop when the camera may be moving
 * (bounded by the call timeout), then ends the thread; a camera already
 * unavailable is not waited on. It returns within one call timeout: a
 * call still running then is aborted (onvif_abort()).
 *
 * Ownership: a control owns its thread and its ONVIF session.
 * Threads: every function from one owner thread (the render thread); the
 * worker is internal.
 */
#ifndef WALL_PTZ_CONTROL_H
#define WALL_PTZ_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

#include "ptz/onvif.h"

#define PTZ_MOVE_INTERVAL_MS 100
#define PTZ_RETRY_AFTER_MS   30000

enum ptz_availability {
    PTZ_UNKNOWN,     /* nothing sent yet */
    PTZ_AVAILABLE,   /* the last call succeeded */
    PTZ_UNAVAILABLE, /* the last call failed; `why` says how */
};

struct ptz_status {
    enum ptz_availability availability;
    char why[160];       /* "timeout", "authentication refused"... (translated); "": available */
    uint64_t generation; /* bumped at each change of availability */
    bool moving;         /* a move went out and no Stop since */
    unsigned moves, stops, presets; /* calls that succeeded */
};

struct ptz_control;

/* Starts the worker; `label` ("camera 101") names it in logs. Copies the
 * settings. NULL when out of memory or no thread could start (logged). */
struct ptz_control *ptz_control_start(const struct onvif_settings *settings, const char *label);
void ptz_control_destroy(struct ptz_control *c);

/* False when the camera is unavailable now (the wish is dropped). */
bool ptz_control_move(struct ptz_control *c, double pan, double tilt, double zoom);
bool ptz_control_stop(struct ptz_control *c);
bool ptz_control_preset(struct ptz_control *c, int number);

void ptz_control_status(struct ptz_control *c, struct ptz_status *out);

/* How long an unavailable camera drops wishes; PTZ_RETRY_AFTER_MS unless
 * set. Counted from the failure, so it applies to one already unavailable
 * too. For tests, and for a wall that wants to retry sooner. */
void ptz_control_set_retry_after(struct ptz_control *c, long ms);

#endif
