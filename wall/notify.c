#include "wall/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/i18n.h"
#include "common/log.h"

#define STALL_STEP_NS    10000000L /* how often a test stall looks for its file */
#define STATUS_PERIOD_US 1000000   /* the feeds are counted this often for STATUS= */

void notify_init(struct notify *n)
{
    *n = (struct notify){0};
    const char *socket = getenv("NOTIFY_SOCKET");
    n->active = socket && socket[0];
    uint64_t usec = 0;
    /* 0: keep WATCHDOG_USEC and WATCHDOG_PID for whoever else reads them. */
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n->watchdog_us = (int64_t)usec;
        log_info("notify", "systemd watchdog every %.1f s: pinged from the frame loop",
                 (double)usec / 1e6);
    }
    const char *stall = getenv("WALL_TEST_STALL");
    if (stall && stall[0]) {
        n->stall_path = strdup(stall);
        log_warn("notify",
                 "WALL_TEST_STALL is set: the frame loop stalls while %s exists "
                 "(a test hook, never for production)",
                 stall);
    }
}

void notify_finish(struct notify *n)
{
    free(n->stall_path);
    n->stall_path = NULL;
}

/* One datagram of newline-separated assignments. */
static void send_state(struct notify *n, const char *state)
{
    int r = sd_notify(0, state);
    if (r < 0 && !n->failed) {
        n->failed = true;
        log_warn("notify", "cannot tell systemd how the wall is (%s); going on without",
                 strerror(-r));
    }
}

/* Open feeds, those of them live on the glass (a picture, not stale). */
static void count_feeds(const struct source_set *sources, int64_t now, int *open, int *live)
{
    *open = *live = 0;
    for (int i = 0; i < sources->n; i++) {
        const struct source *s = sources_get(sources, i);
        if (!s->feed) {
            continue;
        }
        (*open)++;
        if (s->stats.state == FEED_LIVE && picture_valid(&s->picture) &&
            !feed_stats_stale(&s->stats, now)) {
            (*live)++;
        }
    }
}

/* Appends "KEY=value\n" to `msg`. */
static void append(char *msg, size_t size, const char *assignment)
{
    size_t len = strlen(msg);
    snprintf(msg + len, size - len, "%s\n", assignment);
}

/* Appends STATUS= to `msg` when its text changed since the last one sent. */
static void add_status(struct notify *n, char *msg, size_t size, const struct source_set *sources,
                       int reduced, double fps, int64_t now_us)
{
    int open, live;
    count_feeds(sources, now_us, &open, &live);
    char status[NOTIFY_STATUS_MAX];
    /* For a person (systemctl status): in the locale's language. */
    if (fps > 0) {
        snprintf(status, sizeof(status), _("%d of %d feeds live, %d reduced, %.1f fps"), live,
                 open, reduced, fps);
    } else {
        snprintf(status, sizeof(status), _("%d of %d feeds live, %d reduced"), live, open,
                 reduced);
    }
    if (strcmp(status, n->status) != 0) {
        memcpy(n->status, status, sizeof(status));
        char line[NOTIFY_STATUS_MAX + 8];
        snprintf(line, sizeof(line), "STATUS=%s", status);
        append(msg, size, line);
    }
}

void notify_frame(struct notify *n, const struct source_set *sources, int reduced, double fps,
                  int64_t now_us)
{
    if (!n->active) {
        return; /* not under systemd: nothing to work out per frame */
    }
    char msg[NOTIFY_STATUS_MAX + 64] = "";
    bool first = !n->ready;
    if (first) {
        n->ready = true;
        append(msg, sizeof(msg), "READY=1");
    }
    /* The feeds are counted once a second (the rate changes no oftener). */
    bool status_due = first || now_us - n->status_at_us >= STATUS_PERIOD_US;
    if (status_due) {
        n->status_at_us = now_us;
        add_status(n, msg, sizeof(msg), sources, reduced, fps, now_us);
    }
    /* Half the interval, as sd_watchdog_enabled(3) advises: one late frame
     * is not a hang. */
    if (n->watchdog_us > 0 &&
        (n->last_ping_us == 0 || now_us - n->last_ping_us >= n->watchdog_us / 2)) {
        n->last_ping_us = now_us;
        append(msg, sizeof(msg), "WATCHDOG=1");
    }
    if (msg[0]) {
        send_state(n, msg);
    }
}

void notify_reloading(struct notify *n)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char msg[64];
    /* MONOTONIC_USEC: Type=notify-reload (systemd 253) wants it; older
     * managers ignore it. */
    snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
             (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
    send_state(n, msg);
}

void notify_reloaded(struct notify *n)
{
    if (n->ready) {
        send_state(n, "READY=1");
    }
}

void notify_stopping(struct notify *n)
{
    if (!n->stopping) {
        n->stopping = true;
        send_state(n, "STOPPING=1");
    }
}

void notify_test_stall(struct notify *n, const volatile sig_atomic_t *quit)
{
    if (!n->stall_path || access(n->stall_path, F_OK) != 0) {
        return;
    }
    log_info("notify", "stalled by WALL_TEST_STALL (%s exists): no frames, no watchdog pings",
             n->stall_path);
    while (!*quit && access(n->stall_path, F_OK) == 0) {
        struct timespec step = {0, STALL_STEP_NS};
        nanosleep(&step, NULL);
    }
    log_info("notify", "stall over: frames resume");
}
