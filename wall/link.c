/* The link as its owner (the render thread) sees it: configuration,
 * creation and destruction, subscribing, publishing and the inbox. */
#include "wall/link.h"
#include "wall/link_impl.h"

#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/deadline.h"
#include "common/i18n.h"
#include "common/log.h"

#define DEFAULT_PORT      1883
#define DEFAULT_TLS_PORT  8883
#define DEFAULT_KEEPALIVE 5
#define DEFAULT_RECONNECT 1
#define DEFAULT_BACKOFF   30
#define DEFAULT_INBOX     256
#define INBOX_MAX         65536

static void set_reason(char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_reason(char *reason, size_t size, const char *fmt, ...)
{
    if (!reason || size == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, size, fmt, ap);
    va_end(ap);
}

/* Never asks for a key's passphrase (OpenSSL would prompt on the terminal,
 * blocking libmosquitto's thread): an encrypted key fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *userdata)
{
    return 0;
}

static bool config_valid(const struct link_config *c)
{
    const char *bad = NULL;
    if (!c->host || !c->host[0]) {
        bad = _("no broker host");
    } else if (c->port < 0 || c->port > 65535) {
        bad = _("the broker port must be 1 to 65535");
    } else if (!msg_name_valid(c->wall_id)) {
        bad = _("the wall id must be 1 to 64 letters, digits, '-' or '_'");
    } else if (!msg_name_valid(c->station)) {
        bad = _("the station name must be 1 to 64 letters, digits, '-' or '_'");
    } else if (c->client_id && (!c->client_id[0] || strpbrk(c->client_id, "+#/"))) {
        bad = _("the client id must be non-empty, without '+', '#' or '/'");
    } else if ((c->cert || c->key) && !(c->cert && c->key && c->ca)) {
        bad = _("a TLS client certificate needs its key and a CA file");
    } else if (c->keepalive_s != 0 && (c->keepalive_s < 5 || c->keepalive_s > 65535)) {
        bad = _("the keepalive must be 5 to 65535 seconds");
    } else if (c->reconnect_min_s < 0 || c->reconnect_max_s < 0 ||
               (c->reconnect_max_s && c->reconnect_max_s < c->reconnect_min_s)) {
        bad = _("the reconnect delays must be 0 or more, the longest not under the shortest");
    } else if (c->inbox_size < 0 || c->inbox_size > INBOX_MAX) {
        bad = _("the inbox must hold 1 to 65536 messages");
    }
    if (bad) {
        log_error("link", "station %s: %s", msg_name_valid(c->station) ? c->station : "?", bad);
        return false;
    }
    const char *files[] = {c->ca, c->cert, c->key};
    for (int i = 0; i < 3; i++) {
        if (files[i] && access(files[i], R_OK) != 0) {
            log_error("link", "station %s: cannot read the TLS file %s: %s", c->station, files[i],
                      strerror(errno));
            return false;
        }
    }
    return true;
}

/* The settings and strings of the link, copied; false when out of memory. */
static bool copy_config(struct link *link, const struct link_config *c)
{
    link->host = strdup(c->host);
    link->port = c->port ? c->port : c->ca ? DEFAULT_TLS_PORT : DEFAULT_PORT;
    link->station = strdup(c->station);
    size_t id_size = strlen(c->wall_id) + strlen(c->station) + 7;
    link->client_id = c->client_id ? strdup(c->client_id) : malloc(id_size);
    if (link->client_id && !c->client_id) {
        snprintf(link->client_id, id_size, "wall-%s-%s", c->wall_id, c->station);
    }
    link->backoff_max_s = c->reconnect_max_s ? c->reconnect_max_s : DEFAULT_BACKOFF;
    if (link->backoff_max_s < c->reconnect_min_s) {
        link->backoff_max_s = c->reconnect_min_s;
    }
    link->inbox_size = c->inbox_size ? c->inbox_size : DEFAULT_INBOX;
    link->inbox = calloc((size_t)link->inbox_size, sizeof(*link->inbox));
    msg_topic_build(link->online_topic, sizeof(link->online_topic), c->wall_id, MSG_TOPIC_ONLINE,
                    c->station);
    return link->host && link->station && link->client_id && link->inbox;
}

static bool init_sync(struct link *link)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) {
        return false;
    }
    bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
              pthread_cond_init(&link->changed, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (ok && pthread_mutex_init(&link->lock, NULL) != 0) {
        pthread_cond_destroy(&link->changed);
        ok = false;
    }
    return ok;
}

/* Credentials, TLS, last will and back-off on a new client. */
static const char *set_options(struct link *link, const struct link_config *c)
{
    if (c->username && mosquitto_username_pw_set(link->mosq, c->username, c->password)) {
        return _("cannot set the broker credentials");
    }
    if (c->ca && mosquitto_tls_set(link->mosq, c->ca, NULL, c->cert, c->key, no_passphrase)) {
        return _("cannot read the TLS files (ca, cert, key)");
    }
    char *payload = link_online_payload(link, false);
    int rc = payload ? mosquitto_will_set(link->mosq, link->online_topic, (int)strlen(payload),
                                          payload, QOS_RETAINED, true)
                     : MOSQ_ERR_NOMEM;
    free(payload);
    if (rc != MOSQ_ERR_SUCCESS) {
        return _("cannot set the last will");
    }
    unsigned min = c->reconnect_min_s ? (unsigned)c->reconnect_min_s : DEFAULT_RECONNECT;
    mosquitto_reconnect_delay_set(link->mosq, min, (unsigned)link->backoff_max_s, true);
    return NULL;
}

struct link *link_create(const struct link_config *c)
{
    if (!config_valid(c)) {
        return NULL;
    }
    struct link *link = calloc(1, sizeof(*link));
    if (!link) {
        return NULL;
    }
    if (!init_sync(link)) {
        free(link);
        return NULL;
    }
    link->owner = pthread_self();
    const char *error = _("out of memory");
    if (!copy_config(link, c)) {
        goto fail;
    }
    link->marker_made = pthread_key_create(&link->marker, link_loop_ended) == 0;
    if (!link->marker_made) {
        error = _("no thread-specific key left");
        goto fail;
    }
    if (mosquitto_lib_init() != MOSQ_ERR_SUCCESS) {
        error = _("cannot start libmosquitto");
        goto fail;
    }
    link->mosq = mosquitto_new(link->client_id, true, link);
    if (!link->mosq) {
        mosquitto_lib_cleanup();
        goto fail;
    }
    link_set_callbacks(link);
    error = set_options(link, c);
    if (error) {
        goto fail;
    }
    snprintf(link->why, sizeof(link->why), "%s", _("connecting"));
    int keepalive = c->keepalive_s ? c->keepalive_s : DEFAULT_KEEPALIVE;
    int rc = mosquitto_connect_async(link->mosq, link->host, link->port, keepalive);
    if (rc == MOSQ_ERR_INVAL) {
        error = _("invalid broker address");
        goto fail;
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        /* Not fatal: libmosquitto's thread tries again with back-off. */
        char text[128];
        const char *what =
            rc == MOSQ_ERR_ERRNO ? strerror_r(errno, text, sizeof(text)) : mosquitto_strerror(rc);
        snprintf(link->why, sizeof(link->why), "%s", what);
        log_warn("link", "station %s: broker %s:%d not reached yet, trying again: %s",
                 link->station, link->host, link->port, what);
    }
    if (mosquitto_loop_start(link->mosq) != MOSQ_ERR_SUCCESS) {
        error = _("cannot start libmosquitto's thread");
        goto fail;
    }
    link->loop_running = true;
    /* No user name either: credentials never reach a log. */
    log_info("link", "station %s: connecting to broker %s:%d%s %s (client id %s)", link->station,
             link->host, link->port, c->ca ? M_(" with TLS") : "",
             c->username ? M_("with its account") : "anonymously", link->client_id);
    return link;

fail:
    log_error("link", "station %s: broker %s:%d: %s", c->station, c->host, link->port, error);
    link_destroy(link);
    return NULL;
}

void link_destroy(struct link *link)
{
    if (!link) {
        return;
    }
    if (link->loop_running) {
        pthread_mutex_lock(&link->lock);
        bool connected = link->connected;
        pthread_mutex_unlock(&link->lock);
        if (connected) {
            /* A clean disconnect cancels the will: say it ourselves. The
             * packet is queued before the DISCONNECT and sent first. */
            char *payload = link_online_payload(link, false);
            if (payload) {
                mosquitto_publish(link->mosq, NULL, link->online_topic, (int)strlen(payload),
                                  payload, QOS_RETAINED, true);
            }
            free(payload);
        }
        link_stop_loop(link);
    }
    if (link->mosq) {
        mosquitto_destroy(link->mosq);
        mosquitto_lib_cleanup();
    }
    if (link->marker_made) {
        pthread_key_delete(link->marker);
    }
    for (int i = 0; link->inbox && i < link->count; i++) {
        link_message_finish(&link->inbox[(link->head + i) % link->inbox_size]);
    }
    for (int i = 0; i < link->n_filters; i++) {
        free(link->filters[i]);
    }
    free(link->filters);
    free(link->inbox);
    free(link->host);
    free(link->station);
    free(link->client_id);
    pthread_cond_destroy(&link->changed);
    pthread_mutex_destroy(&link->lock);
    free(link);
}

bool link_connected(struct link *link)
{
    link_restart_ended_loop(link);
    pthread_mutex_lock(&link->lock);
    bool connected = link->connected;
    pthread_mutex_unlock(&link->lock);
    return connected;
}

bool link_subscribe(struct link *link, const char *filter, char *reason, size_t reason_size)
{
    if (!filter || mosquitto_sub_topic_check(filter) != MOSQ_ERR_SUCCESS) {
        set_reason(reason, reason_size, _("invalid topic filter"));
        return false;
    }
    char *copy = strdup(filter);
    pthread_mutex_lock(&link->lock);
    char **filters =
        copy ? realloc(link->filters, (size_t)(link->n_filters + 1) * sizeof(*link->filters))
             : NULL;
    if (filters) {
        link->filters = filters;
        link->filters[link->n_filters++] = copy;
    }
    bool connected = link->connected;
    pthread_mutex_unlock(&link->lock);
    if (!filters) {
        free(copy);
        set_reason(reason, reason_size, _("out of memory"));
        return false;
    }
    int rc =
        connected ? mosquitto_subscribe(link->mosq, NULL, filter, QOS_RETAINED) : MOSQ_ERR_SUCCESS;
    if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
        set_reason(reason, reason_size, "broker %s:%d: %s", link->host, link->port,
                   mosquitto_strerror(rc));
        return false;
    }
    return true; /* NO_CONN: the next connect subscribes */
}

bool link_publish(struct link *link, const char *topic, const char *payload, bool retained,
                  char *reason, size_t reason_size)
{
    if (!topic || mosquitto_pub_topic_check(topic) != MOSQ_ERR_SUCCESS) {
        set_reason(reason, reason_size, _("invalid topic"));
        return false;
    }
    if (!payload) {
        set_reason(reason, reason_size, _("no payload"));
        return false;
    }
    size_t len = strlen(payload);
    if (len > LINK_PAYLOAD_MAX) {
        set_reason(reason, reason_size, _("payload of %zu bytes is over the %d-byte limit"), len,
                   LINK_PAYLOAD_MAX);
        return false;
    }
    link_restart_ended_loop(link);
    pthread_mutex_lock(&link->lock);
    bool connected = link->connected;
    char why[LINK_REASON_SIZE];
    snprintf(why, sizeof(why), "%s", link->why);
    pthread_mutex_unlock(&link->lock);
    if (!connected) {
        set_reason(reason, reason_size, _("not connected to the broker %s:%d: %s"), link->host,
                   link->port, why);
        return false;
    }
    int rc = mosquitto_publish(link->mosq, NULL, topic, (int)len, payload,
                               retained ? QOS_RETAINED : QOS_TRANSIENT, retained);
    if (rc != MOSQ_ERR_SUCCESS) {
        set_reason(reason, reason_size, "broker %s:%d: %s", link->host, link->port,
                   mosquitto_strerror(rc));
        return false;
    }
    return true;
}

bool link_take(struct link *link, struct link_message *out)
{
    link_restart_ended_loop(link);
    pthread_mutex_lock(&link->lock);
    bool any = link->count > 0;
    if (any) {
        *out = link->inbox[link->head];
        link->inbox[link->head] = (struct link_message){0};
        link->head = (link->head + 1) % link->inbox_size;
        link->count--;
    }
    pthread_mutex_unlock(&link->lock);
    return any;
}

void link_message_finish(struct link_message *message)
{
    if (!message) {
        return;
    }
    free(message->topic);
    free(message->payload);
    *message = (struct link_message){0};
}

bool link_wait(struct link *link, int timeout_ms)
{
    link_restart_ended_loop(link);
    struct timespec until = deadline_after_ms(timeout_ms);
    pthread_mutex_lock(&link->lock);
    while (link->events == link->events_waited) {
        if (pthread_cond_timedwait(&link->changed, &link->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    bool woken = link->events != link->events_waited;
    link->events_waited = link->events;
    pthread_mutex_unlock(&link->lock);
    return woken;
}

uint64_t link_dropped(struct link *link)
{
    pthread_mutex_lock(&link->lock);
    uint64_t n = link->dropped;
    pthread_mutex_unlock(&link->lock);
    return n;
}

uint64_t link_connects(struct link *link)
{
    pthread_mutex_lock(&link->lock);
    uint64_t n = link->connects;
    pthread_mutex_unlock(&link->lock);
    return n;
}
