#include "ptz/control.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/log.h"

#define THRESHOLD   0.02 /* a wish nearer than this on every axis to what went out is not sent */
#define MAX_PRESETS 100

enum action {
    NOTHING,
    MOVE,
    STOP,
    PRESET,
};

struct ptz_control {
    char *label;
    struct onvif *onvif;
    long timeout_ms, move_timeout_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* with lock, CLOCK_MONOTONIC: a wish came, quit, the worker ended */
    /* Guarded by lock. */
    double want[3]; /* pan, tilt, zoom wished now */
    int preset;     /* to go to, 0: none */
    unsigned wishes, wishes_at_failure;
    int64_t failed_at_ms; /* unavailable: wishes are dropped until retry_after_ms later */
    long retry_after_ms;
    bool quit, finished;
    struct ptz_status status;
    /* The worker's own. */
    double sent[3];       /* the last speed tried; zero after a Stop or a preset */
    int64_t last_move_ms; /* when that ContinuousMove went */
    char last_fault[160]; /* logged once, not at every try */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits on c->cond until woken or until `until_ms` (-1: no limit). lock held.
 * Returns false on reaching until_ms. */
static bool wait_until(struct ptz_control *c, int64_t until_ms)
{
    if (until_ms < 0) {
        pthread_cond_wait(&c->cond, &c->lock);
        return true;
    }
    struct timespec ts = {.tv_sec = (time_t)(until_ms / 1000),
                          .tv_nsec = (long)(until_ms % 1000) * 1000000};
    return pthread_cond_timedwait(&c->cond, &c->lock, &ts) != ETIMEDOUT;
}

static double clamp(double v)
{
    return isnan(v) ? 0 : v < -1 ? -1 : v > 1 ? 1 : v;
}

static bool differs(const double a[3], const double b[3])
{
    for (int i = 0; i < 3; i++) {
        if (fabs(a[i] - b[i]) >= THRESHOLD) {
            return true;
        }
    }
    return false;
}

/* What the worker does next; else, in *until, when to look again (-1:
 * at the next wish). lock held. */
static enum action next_action(struct ptz_control *c, int64_t now, int64_t *until)
{
    *until = -1;
    if (c->status.availability == PTZ_UNAVAILABLE && c->wishes == c->wishes_at_failure) {
        return NOTHING; /* nothing is sent until a wish comes after the retry time */
    }
    if (c->preset) {
        return PRESET;
    }
    if (c->want[0] == 0 && c->want[1] == 0 && c->want[2] == 0) {
        return c->status.moving ? STOP : NOTHING;
    }
    int64_t due;
    if (differs(c->want, c->sent)) {
        due = c->last_move_ms + PTZ_MOVE_INTERVAL_MS;
    } else if (c->status.moving && c->move_timeout_ms > 0) {
        due = c->last_move_ms + c->move_timeout_ms / 2; /* before the camera's Timeout stops it */
    } else {
        return NOTHING;
    }
    if (now >= due) {
        return MOVE;
    }
    *until = due;
    return NOTHING;
}

static void set_availability(struct ptz_control *c, enum ptz_availability availability,
                             const char *why)
{
    snprintf(c->status.why, sizeof(c->status.why), "%s", why);
    if (c->status.availability == availability) {
        return;
    }
    c->status.availability = availability;
    c->status.generation++;
    if (availability == PTZ_AVAILABLE) {
        log_info("ptz", "%s: PTZ available", c->label);
    } else {
        log_warn("ptz", "%s: PTZ unavailable: %s", c->label, why);
    }
}

/* What a call's outcome does to the status. lock held. */
static void report(struct ptz_control *c, const char *what, enum onvif_status result,
                   const char *why)
{
    if (result == ONVIF_OK) {
        c->last_fault[0] = '\0';
        set_availability(c, PTZ_AVAILABLE, "");
    } else if (result == ONVIF_TIMEOUT || result == ONVIF_AUTH || result == ONVIF_NO_PTZ) {
        c->failed_at_ms = now_ms();
        c->wishes_at_failure = c->wishes;
        memset(c->want, 0, sizeof(c->want)); /* wishes made before the failure are dropped */
        memset(c->sent, 0, sizeof(c->sent)); /* and the next one is sent, whatever it is */
        c->preset = 0;
        set_availability(c, PTZ_UNAVAILABLE, why);
    } else if (result != ONVIF_ABORTED && strcmp(c->last_fault, why) != 0) {
        /* The camera answered: it stays available; the next wish tries again. */
        snprintf(c->last_fault, sizeof(c->last_fault), "%s", why);
        /* TRANSLATORS: the second %s is the ONVIF call, as written
         * (ContinuousMove, Stop, GotoPreset); the third why it failed. */
        log_warn("ptz", "%s: %s failed: %s", c->label, what, why);
    }
}

/* Preset `number`: the one whose token is "number", else the number-th in
 * the camera's order. */
static enum onvif_status go_to(struct ptz_control *c, int number, char *why, size_t why_size)
{
    struct onvif_preset presets[MAX_PRESETS];
    int n = 0;
    enum onvif_status result =
        onvif_get_presets(c->onvif, presets, MAX_PRESETS, &n, why, why_size);
    if (result != ONVIF_OK) {
        return result;
    }
    char token[16];
    snprintf(token, sizeof(token), "%d", number);
    const char *chosen = NULL;
    for (int i = 0; i < n && !chosen; i++) {
        if (strcmp(presets[i].token, token) == 0) {
            chosen = presets[i].token;
        }
    }
    if (!chosen && number <= n) {
        chosen = presets[number - 1].token;
    }
    if (!chosen) {
        /* TRANSLATORS: the second %d is how many presets the camera has. */
        snprintf(why, why_size, _("no preset %d (the camera has %d)"), number, n);
        return ONVIF_FAULT;
    }
    return onvif_goto_preset(c->onvif, chosen, why, why_size);
}

/* Sends `action`, without the lock while the camera answers. lock held. */
static void run(struct ptz_control *c, enum action action)
{
    double speed[3];
    memcpy(speed, c->want, sizeof(speed));
    int preset = c->preset;
    c->preset = 0;
    if (action == MOVE) {
        memcpy(c->sent, speed, sizeof(speed)); /* tried: a fault is not retried at once */
        c->last_move_ms = now_ms();
    }
    pthread_mutex_unlock(&c->lock);
    char why[160] = "";
    enum onvif_status result;
    const char *what;
    if (action == MOVE) {
        what = "ContinuousMove";
        result = onvif_continuous_move(c->onvif, speed[0], speed[1], speed[2], why, sizeof(why));
    } else if (action == STOP) {
        what = "Stop";
        result = onvif_stop(c->onvif, why, sizeof(why));
    } else {
        what = "GotoPreset";
        result = go_to(c, preset, why, sizeof(why));
    }
    pthread_mutex_lock(&c->lock);
    if (action == MOVE && result == ONVIF_OK) {
        c->status.moving = true;
        c->status.moves++;
    } else if (action == STOP && result != ONVIF_TIMEOUT && result != ONVIF_AUTH &&
               result != ONVIF_NO_PTZ) {
        c->status.moving = false; /* a Stop the camera faults is not sent again and again */
        c->status.stops += result == ONVIF_OK;
        memset(c->sent, 0, sizeof(c->sent));
    } else if (action == PRESET && result == ONVIF_OK) {
        c->status.moving = false; /* GotoPreset replaced the move */
        c->status.presets++;
        memset(c->sent, 0, sizeof(c->sent));
    }
    report(c, what, result, why);
}

static void *worker(void *arg)
{
    struct ptz_control *c = arg;
    pthread_mutex_lock(&c->lock);
    while (!c->quit) {
        int64_t until;
        enum action action = next_action(c, now_ms(), &until);
        if (action == NOTHING) {
            wait_until(c, until);
        } else {
            run(c, action);
        }
    }
    if (c->status.moving && c->status.availability != PTZ_UNAVAILABLE) {
        run(c, STOP); /* the wall lets go of the camera: it must not turn on */
    }
    c->finished = true;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct ptz_control *ptz_control_start(const struct onvif_settings *settings, const char *label)
{
    struct ptz_control *c = calloc(1, sizeof(*c));
    if (!c) {
        goto fail;
    }
    c->label = strdup(label);
    c->onvif = onvif_open(settings);
    if (!c->label || !c->onvif) {
        goto fail_open;
    }
    c->timeout_ms = settings->timeout_ms > 0 ? settings->timeout_ms : ONVIF_DEFAULT_TIMEOUT_MS;
    c->move_timeout_ms = settings->move_timeout_ms;
    c->retry_after_ms = PTZ_RETRY_AFTER_MS;
    c->last_move_ms = INT64_MIN / 2;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        goto fail_open;
    }
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) {
        goto fail_mutex;
    }
    bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
              pthread_cond_init(&c->cond, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok) {
        goto fail_mutex;
    }
    if (pthread_create(&c->thread, NULL, worker, c) != 0) {
        goto fail_cond;
    }
    return c;
fail_cond:
    pthread_cond_destroy(&c->cond);
fail_mutex:
    pthread_mutex_destroy(&c->lock);
fail_open:
    onvif_close(c->onvif);
    free(c->label);
    free(c);
fail:
    log_error("ptz", "%s: cannot start the PTZ worker", label);
    return NULL;
}

void ptz_control_destroy(struct ptz_control *c)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    c->quit = true;
    pthread_cond_broadcast(&c->cond);
    /* The call in progress and the last Stop together get one call's time. */
    int64_t deadline = now_ms() + c->timeout_ms;
    while (!c->finished && wait_until(c, deadline)) {
    }
    bool finished = c->finished;
    pthread_mutex_unlock(&c->lock);
    if (!finished) {
        log_warn("ptz", "%s: the camera did not answer in %ld ms: not waited on", c->label,
                 c->timeout_ms);
        onvif_abort(c->onvif);
    }
    pthread_join(c->thread, NULL);
    onvif_close(c->onvif);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
    free(c->label);
    free(c);
}

/* Whether wishes are taken now. lock held. */
static bool accepting(struct ptz_control *c)
{
    return c->status.availability != PTZ_UNAVAILABLE ||
           now_ms() >= c->failed_at_ms + c->retry_after_ms;
}

bool ptz_control_move(struct ptz_control *c, double pan, double tilt, double zoom)
{
    pthread_mutex_lock(&c->lock);
    bool ok = accepting(c);
    if (ok) {
        c->want[0] = clamp(pan);
        c->want[1] = clamp(tilt);
        c->want[2] = clamp(zoom);
        c->wishes++;
        pthread_cond_broadcast(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

bool ptz_control_stop(struct ptz_control *c)
{
    return ptz_control_move(c, 0, 0, 0);
}

bool ptz_control_preset(struct ptz_control *c, int number)
{
    if (number < 1) {
        return false;
    }
    pthread_mutex_lock(&c->lock);
    bool ok = accepting(c);
    if (ok) {
        memset(c->want, 0, sizeof(c->want)); /* the preset cancels a held speed */
        c->preset = number;
        c->wishes++;
        pthread_cond_broadcast(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

void ptz_control_status(struct ptz_control *c, struct ptz_status *out)
{
    pthread_mutex_lock(&c->lock);
    *out = c->status;
    pthread_mutex_unlock(&c->lock);
}

void ptz_control_set_retry_after(struct ptz_control *c, long ms)
{
    pthread_mutex_lock(&c->lock);
    c->retry_after_ms = ms;
    pthread_mutex_unlock(&c->lock);
}
