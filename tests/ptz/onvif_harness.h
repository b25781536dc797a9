/*
 * What the ONVIF tests share (tests/ptz/test_onvif.c, test_ptz_control.c):
 * the fake camera tests/onvif_server.py, started and stopped from C, and
 * readers of the calls it recorded.
 *
 * The server is found through the environment variable WALL_SOURCE_ROOT
 * (meson's test() sets it) and runs under /usr/bin/python3. Its record is
 * a JSON object a line, written before it answers: a call the client got
 * an answer to is always there.
 */
#ifndef WALL_TESTS_PTZ_ONVIF_HARNESS_H
#define WALL_TESTS_PTZ_ONVIF_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>

#define ONVIF_FAKE_WAIT_MS 20000 /* a failure guard, not a timing claim */

struct onvif_fake {
    pid_t pid;
    int port;
    char url[160]; /* device_service URL on 127.0.0.1 */
    char record[160];
};

/* One recorded request; "" and NAN for what the request did not hold. */
struct onvif_fake_call {
    char action[40];
    char auth[16]; /* "ok", "missing", "bad", "stale" */
    double pan, tilt, zoom;
    char preset[64];
    char profile[64];
    char timeout[32];
};

/* Starts the server in `mode` ("normal", "hang", "no-ptz", "refuse"),
 * expecting `user` and `password` (user NULL: anyone), its clock `skew_s`
 * ahead, and waits for its PORT line (no sleeps). False when it could not
 * start. */
bool onvif_fake_start(struct onvif_fake *f, const char *mode, const char *user,
                      const char *password, int skew_s);
/* The same with --presets `presets` ("1:Home,2:Gate,7:Bridge"). */
bool onvif_fake_start_presets(struct onvif_fake *f, const char *mode, const char *user,
                              const char *password, int skew_s, const char *presets);
/* SIGTERM, waits for it, removes the record. */
void onvif_fake_stop(struct onvif_fake *f);

/* Records with this action so far. */
int onvif_fake_count(const struct onvif_fake *f, const char *action);
/* The index-th (0-based; -1: last) record with that action. */
bool onvif_fake_call(const struct onvif_fake *f, const char *action, int index,
                     struct onvif_fake_call *out);
/* All records in order, up to max; returns how many there are. */
int onvif_fake_calls(const struct onvif_fake *f, struct onvif_fake_call *out, int max);

/* Waits until at least `count` records have this action, woken by the
 * record file growing (inotify); false after ONVIF_FAKE_WAIT_MS. */
bool onvif_fake_wait(const struct onvif_fake *f, const char *action, int count);

#endif
