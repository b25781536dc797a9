/*
 * The service manager's side of the wall (systemd Type=notify, sd_notify):
 *
 * - READY=1 once, after the first frame was presented (on the glass;
 *   headless: once the first frame is finished), not when start-up code
 *   returns: a wall that cannot draw never says it is ready.
 * - STATUS= "12 of 16 feeds live, 2 reduced, 25.0 fps": worked out with
 *   the first frame and then once a second (the rate is measured no
 *   oftener), sent when its text changed.
 * - WATCHDOG=1 after a presented frame, at most every half WATCHDOG_USEC
 *   (sd_watchdog_enabled); never from another thread. A hung GL driver or
 *   a frame loop that stops therefore stops the pings, and systemd
 *   restarts the wall (WatchdogSec=). Without a watchdog, no pings.
 * - RELOADING=1 (with MONOTONIC_USEC=) before a layout reload and READY=1
 *   after it; STOPPING=1 when the frame loop ends.
 *
 * Without NOTIFY_SOCKET in the environment every call is a no-op, and
 * notify_frame() returns at once (nothing is counted per frame); a message
 * that cannot be sent is logged once as a warning and never stops the wall.
 *
 * TEST ONLY: WALL_TEST_STALL=PATH. While the file PATH exists, the frame
 * loop stalls in notify_test_stall(): it sleeps in 10 ms steps and
 * presents nothing (so no watchdog pings), as a hung driver would. It logs
 * "stalled by WALL_TEST_STALL" once on entering the stall and "stall
 * over" on leaving it, so a test waits for the line, not for a time.
 * A stall ends early when the wall is told to quit. Never set it in
 * production.
 *
 * Lifetime: notify_init()/notify_finish(), embedded in the wall; it reads
 * the environment once, at init. Threads: render thread only (the frame
 * loop); it owns no thread, only a copy of the WALL_TEST_STALL path.
 */
#ifndef WALL_NOTIFY_H
#define WALL_NOTIFY_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "wall/sources.h"

#define NOTIFY_STATUS_MAX 160

struct notify {
    bool active;                    /* NOTIFY_SOCKET is set: there is someone to tell */
    bool ready;                     /* READY=1 was sent */
    bool stopping;                  /* STOPPING=1 was sent */
    bool failed;                    /* a send failed (logged once) */
    int64_t watchdog_us;            /* WATCHDOG_USEC, pinged every half; 0: no watchdog */
    int64_t last_ping_us;           /* av_gettime_relative() of the last WATCHDOG=1 */
    int64_t status_at_us;           /* when the status was last worked out */
    char status[NOTIFY_STATUS_MAX]; /* the STATUS= text last sent */
    char *stall_path;               /* WALL_TEST_STALL; owned, NULL: not set */
};

/* Reads NOTIFY_SOCKET's watchdog (WATCHDOG_USEC, WATCHDOG_PID) and
 * WALL_TEST_STALL. Sends nothing. */
void notify_init(struct notify *n);
void notify_finish(struct notify *n);

/* After each frame of the frame loop (drawn, or unchanged on the glass):
 * READY=1 the first time, the status when its text changed, WATCHDOG=1
 * when half the watchdog interval has passed since the last ping.
 * `sources`: the feeds counted (open ones; live ones show a picture that
 * is not stale); `reduced`: feeds the decode budget holds on key frames;
 * `fps`: the output rate measured (0: not yet). */
void notify_frame(struct notify *n, const struct source_set *sources, int reduced, double fps,
                  int64_t now_us);

/* RELOADING=1 before a layout reload; READY=1 after it (only once READY=1
 * was sent for the first frame: before that the first frame says it). */
void notify_reloading(struct notify *n);
void notify_reloaded(struct notify *n);

/* STOPPING=1, once: the wall is shutting down. */
void notify_stopping(struct notify *n);

/* TEST ONLY (WALL_TEST_STALL, above): returns at once unless the file
 * exists; else blocks until it is gone or `*quit` is set. */
void notify_test_stall(struct notify *n, const volatile sig_atomic_t *quit);

#endif
