/* libmosquitto's side of the link: the callbacks on its thread, and the
 * starting and stopping of that thread. See link.h and link_impl.h. */
#include "wall/link.h"
#include "wall/link_impl.h"

#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/deadline.h"
#include "common/i18n.h"
#include "common/log.h"

#define STOP_RETRY_MS 100 /* see link_stop_loop() */

struct timespec link_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static double seconds_since(struct timespec then)
{
    struct timespec t = link_now();
    return (double)(t.tv_sec - then.tv_sec) + (double)(t.tv_nsec - then.tv_nsec) / 1e9;
}

/* Call with the lock held. */
static void note_event(struct link *link)
{
    link->events++;
    pthread_cond_broadcast(&link->changed);
}

/* ---- libmosquitto's thread ---- */

/* mosquitto_loop_forever() returns for good on some errors (a failed TLS
 * handshake, a protocol error), sometimes without any callback saying so
 * (libmosquitto 2.0.11: a handshake failure of the first connect). Every
 * callback marks the thread it runs on; the mark's destructor runs when
 * that thread ends, whatever the reason. */
static void mark_loop_thread(struct link *link)
{
    if (!pthread_equal(pthread_self(), link->owner) && !pthread_getspecific(link->marker)) {
        pthread_setspecific(link->marker, link);
    }
}

void link_loop_ended(void *arg)
{
    struct link *link = arg;
    pthread_mutex_lock(&link->lock);
    link->loop_ended = true;
    link->ended_at = link_now();
    link->connected = false;
    if (link->error[0]) {
        snprintf(link->why, sizeof(link->why), "%s", link->error);
    }
    note_event(link);
    pthread_mutex_unlock(&link->lock);
}

char *link_online_payload(const struct link *link, bool online)
{
    struct msg_online m = {.online = online};
    snprintf(m.station, sizeof(m.station), "%s", link->station);
    if (online) {
        msg_format_time(time(NULL), m.since, sizeof(m.since));
    }
    return msg_encode_online(&m, NULL, 0);
}

static void publish_online(struct link *link)
{
    char *payload = link_online_payload(link, true);
    int rc = payload ? mosquitto_publish(link->mosq, NULL, link->online_topic,
                                         (int)strlen(payload), payload, QOS_RETAINED, true)
                     : MOSQ_ERR_NOMEM;
    if (rc != MOSQ_ERR_SUCCESS) {
        log_warn("link", "station %s: cannot publish that it is online: %s", link->station,
                 mosquitto_strerror(rc));
    }
    free(payload);
}

/* Subscribes to the filters from index `first` on; returns how many filters
 * there were. Filters are freed only by link_destroy(): the strings stay
 * valid outside the lock. */
static int subscribe_from(struct link *link, int first)
{
    pthread_mutex_lock(&link->lock);
    int n = link->n_filters;
    const char **filters = n > first ? malloc((size_t)(n - first) * sizeof(*filters)) : NULL;
    for (int i = first; filters && i < n; i++) {
        filters[i - first] = link->filters[i];
    }
    pthread_mutex_unlock(&link->lock);
    if (n > first && !filters) {
        log_warn("link", "station %s: out of memory: not subscribed again", link->station);
    }
    for (int i = 0; filters && i < n - first; i++) {
        int rc = mosquitto_subscribe(link->mosq, NULL, filters[i], QOS_RETAINED);
        if (rc != MOSQ_ERR_SUCCESS) {
            log_warn("link", "station %s: cannot subscribe again: %s", link->station,
                     mosquitto_strerror(rc));
        }
    }
    free(filters);
    return n;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct link *link = obj;
    mark_loop_thread(link);
    if (rc != 0) {
        pthread_mutex_lock(&link->lock);
        snprintf(link->why, sizeof(link->why), "%s", mosquitto_connack_string(rc));
        note_event(link);
        pthread_mutex_unlock(&link->lock);
        log_warn("link", "broker %s:%d refused station %s (client id %s): %s", link->host,
                 link->port, link->station, link->client_id, mosquitto_connack_string(rc));
        return;
    }
    publish_online(link);
    /* Subscribe before saying connected, so that what the render thread
     * publishes once it sees connected comes after the subscriptions; then
     * the filters link_subscribe() added meanwhile (it saw not connected).
     * libmosquitto is never called with the lock held: it calls on_log()
     * with its own lock held, and on_log() takes ours. */
    int done = subscribe_from(link, 0);
    pthread_mutex_lock(&link->lock);
    link->connected = true;
    link->connects++;
    link->why[0] = '\0';
    link->error[0] = '\0';
    note_event(link);
    pthread_mutex_unlock(&link->lock);
    subscribe_from(link, done);
    log_info("link", "station %s connected to broker %s:%d", link->station, link->host,
             link->port);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct link *link = obj;
    mark_loop_thread(link);
    char text[128];
    const char *what = rc == 0                ? _("disconnected")
                       : rc == MOSQ_ERR_ERRNO ? strerror_r(errno, text, sizeof(text))
                                              : mosquitto_strerror(rc);
    pthread_mutex_lock(&link->lock);
    bool was_connected = link->connected;
    link->connected = false;
    if (rc != MOSQ_ERR_CONN_REFUSED) { /* keep on_connect()'s reason, the broker's */
        snprintf(link->why, sizeof(link->why), "%s", what);
    }
    note_event(link);
    pthread_mutex_unlock(&link->lock);
    if (rc != 0 && was_connected) {
        log_warn("link", "station %s lost broker %s:%d, reconnecting: %s", link->station,
                 link->host, link->port, what);
    } else if (rc != 0) {
        log_debug("link", "station %s: broker %s:%d: %s", link->station, link->host, link->port,
                  what);
    }
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
    struct link *link = obj;
    mark_loop_thread(link);
    size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
    struct link_message m = {
        .topic = strdup(msg->topic),
        .payload = len <= LINK_PAYLOAD_MAX ? malloc(len + 1) : NULL,
        .payload_len = len,
        .retained = msg->retain,
    };
    if (!m.topic || (len <= LINK_PAYLOAD_MAX && !m.payload)) {
        link_message_finish(&m);
        log_warn("link", "station %s: out of memory: a message is lost", link->station);
        return;
    }
    if (m.payload) {
        if (len > 0) { /* an empty payload (a cleared retained message) may be NULL */
            memcpy(m.payload, msg->payload, len);
        }
        m.payload[len] = '\0';
    }
    struct link_message old = {0};
    pthread_mutex_lock(&link->lock);
    bool full = link->count == link->inbox_size;
    if (full) {
        old = link->inbox[link->head];
        link->head = (link->head + 1) % link->inbox_size;
        link->count--;
        link->dropped++;
    }
    link->inbox[(link->head + link->count) % link->inbox_size] = m;
    link->count++;
    bool first_drop = full && link->dropped == 1;
    note_event(link);
    pthread_mutex_unlock(&link->lock);
    link_message_finish(&old);
    if (first_drop) {
        log_warn("link", "station %s: inbox full (%d messages): the oldest are dropped",
                 link->station, link->inbox_size);
    }
}

static void on_log(struct mosquitto *mosq, void *obj, int level, const char *text)
{
    struct link *link = obj;
    mark_loop_thread(link);
    if (level & MOSQ_LOG_ERR) {
        /* Said while not connected, it says why (a TLS failure, say). */
        pthread_mutex_lock(&link->lock);
        snprintf(link->error, sizeof(link->error), "%s", text);
        if (!link->connected) {
            snprintf(link->why, sizeof(link->why), "%s", text);
        }
        pthread_mutex_unlock(&link->lock);
    }
    if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) {
        log_warn("link", "libmosquitto: %s", text);
    } else {
        log_debug("link", "libmosquitto: %s", text);
    }
}

void link_set_callbacks(struct link *link)
{
    mosquitto_connect_callback_set(link->mosq, on_connect);
    mosquitto_disconnect_callback_set(link->mosq, on_disconnect);
    mosquitto_message_callback_set(link->mosq, on_message);
    mosquitto_log_callback_set(link->mosq, on_log);
}

/* mosquitto_disconnect() tells libmosquitto's thread to end, but if that
 * thread is between its check of the state and a reconnect, the reconnect
 * sets the state back and the thread runs on: mosquitto_loop_stop(false)
 * would wait forever. So the join runs on a helper thread while this one
 * says disconnect again until the join is done. */
static void *join_loop(void *arg)
{
    struct link *link = arg;
    mosquitto_loop_stop(link->mosq, false);
    pthread_mutex_lock(&link->lock);
    link->loop_running = false;
    pthread_cond_broadcast(&link->changed);
    pthread_mutex_unlock(&link->lock);
    return NULL;
}

void link_stop_loop(struct link *link)
{
    mosquitto_disconnect(link->mosq);
    pthread_t joiner;
    if (pthread_create(&joiner, NULL, join_loop, link) != 0) {
        mosquitto_loop_stop(link->mosq, false);
        link->loop_running = false;
        return;
    }
    pthread_mutex_lock(&link->lock);
    while (link->loop_running) {
        struct timespec until = deadline_after_ms(STOP_RETRY_MS);
        if (pthread_cond_timedwait(&link->changed, &link->lock, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&link->lock);
            mosquitto_disconnect(link->mosq);
            pthread_mutex_lock(&link->lock);
        }
    }
    pthread_mutex_unlock(&link->lock);
    pthread_join(joiner, NULL);
}

/* libmosquitto's thread returns for good after some errors (a failed TLS
 * handshake, a protocol error): after the longest back-off, start it again,
 * so that a broker that gets its certificate fixed is found again. */
void link_restart_ended_loop(struct link *link)
{
    pthread_mutex_lock(&link->lock);
    bool due = link->loop_ended && seconds_since(link->ended_at) >= link->backoff_max_s;
    char why[LINK_REASON_SIZE];
    snprintf(why, sizeof(why), "%s", link->why);
    pthread_mutex_unlock(&link->lock);
    if (!due || !link->loop_running) {
        return;
    }
    log_info("link", "station %s: connecting to broker %s:%d again after: %s", link->station,
             link->host, link->port, why);
    link_stop_loop(link);
    pthread_mutex_lock(&link->lock);
    link->loop_ended = false;
    pthread_mutex_unlock(&link->lock);
    mosquitto_reconnect_async(link->mosq); /* a failure is retried by the thread */
    if (mosquitto_loop_start(link->mosq) != MOSQ_ERR_SUCCESS) {
        log_error("link", "station %s: cannot start libmosquitto's thread", link->station);
        return;
    }
    link->loop_running = true;
}
