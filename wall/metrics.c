/* The metrics server: the listening socket, libmicrohttpd on its own
 * thread, and the two text buffers swapped between the render thread and
 * it. What the text says is written in wall/metrics_text.c. */
#include "wall/metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/deadline.h"
#include "common/i18n.h"
#include "common/log.h"
#include "wall/metrics_impl.h"

#define CONTENT_TYPE    M_("text/plain; version=0.0.4; charset=utf-8")
#define CONNECTIONS_MAX 16
#define IDLE_TIMEOUT_S  10u
#define LISTEN_BACKLOG  16

bool metrics_parse_address(const char *text, struct metrics_address *out, char *why, size_t size)
{
    *out = (struct metrics_address){.family = AF_INET};
    const char *port = text;
    if (text[0] == '[') { /* [IPv6]:PORT */
        const char *close = strchr(text, ']');
        size_t len = close ? (size_t)(close - text - 1) : 0;
        struct in6_addr ignored;
        if (!close || close[1] != ':' || len == 0 || len >= sizeof(out->host)) {
            snprintf(why, size, _("an IPv6 address goes in brackets: [::1]:9100 (got '%s')"),
                     text);
            return false;
        }
        memcpy(out->host, text + 1, len);
        out->host[len] = '\0';
        if (inet_pton(AF_INET6, out->host, &ignored) != 1) {
            snprintf(why, size, _("'%s' is not an IPv6 address"), out->host);
            return false;
        }
        out->family = AF_INET6;
        port = close + 2;
    } else if (strchr(text, ':')) { /* IPv4:PORT */
        const char *colon = strrchr(text, ':');
        size_t len = (size_t)(colon - text);
        struct in_addr ignored;
        if (len >= sizeof(out->host)) {
            len = sizeof(out->host) - 1;
        }
        memcpy(out->host, text, len);
        out->host[len] = '\0';
        if (inet_pton(AF_INET, out->host, &ignored) != 1) {
            snprintf(why, size,
                     _("'%s' is not an IPv4 address (write [ADDR]:PORT for IPv6; no host names)"),
                     out->host);
            return false;
        }
        port = colon + 1;
    } else {
        snprintf(out->host, sizeof(out->host), "127.0.0.1"); /* only this machine */
    }
    char *end = NULL;
    errno = 0;
    long n = strtol(port, &end, 10);
    if (errno != 0 || end == port || *end != '\0' || n < 0 || n > 65535) {
        snprintf(why, size, _("needs [ADDR:]PORT with a port from 0 to 65535 (got '%s')"), text);
        return false;
    }
    out->port = (int)n;
    return true;
}

/* "127.0.0.1:9100", "[::1]:9100". */
static void show_address(const struct metrics_address *a, int port, char *buf, size_t size)
{
    const char *open = a->family == AF_INET6 ? "[" : "";
    const char *close = a->family == AF_INET6 ? "]" : "";
    snprintf(buf, size, "%s%s%s:%d", open, a->host, close, port);
}

/* A socket listening on `a`; -1 when it cannot be (logged). Our own socket,
 * not libmicrohttpd's, to say exactly why, and which port 0 chose. */
static int listen_on(const struct metrics_address *a, int *port)
{
    struct sockaddr_storage addr = {0};
    socklen_t len;
    if (a->family == AF_INET6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)a->port);
        inet_pton(AF_INET6, a->host, &v6->sin6_addr);
        len = sizeof(*v6);
    } else {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)a->port);
        inet_pton(AF_INET, a->host, &v4->sin_addr);
        len = sizeof(*v4);
    }
    char shown[METRICS_ADDRESS_MAX + 16];
    show_address(a, a->port, shown, sizeof(shown));
    int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        (a->family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) != 0) ||
        bind(fd, (struct sockaddr *)&addr, len) != 0 || listen(fd, LISTEN_BACKLOG) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        log_error("metrics", "cannot listen on %s: %s", shown, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    *port = ntohs(a->family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                                        : ((struct sockaddr_in *)&addr)->sin_port);
    return fd;
}

static void mhd_log(void *cls, const char *format, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof(line), format, ap);
    line[strcspn(line, "\r\n")] = '\0';
    log_warn("metrics", "%s", line);
}

static enum MHD_Result reply(struct MHD_Connection *connection, unsigned status, const char *text)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!response) {
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            M_("text/plain; charset=utf-8"));
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, M_("GET, HEAD"));
    }
    enum MHD_Result queued = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return queued;
}

/* The newest text, as a response: asks the render thread for a text newer
 * than this scrape and waits for it at most METRICS_WAIT_MS (the render
 * thread may be slow, or stopping). NULL before the first text. */
static struct MHD_Response *fresh_text(struct metrics *m)
{
    struct timespec until = deadline_after_ms(METRICS_WAIT_MS);
    pthread_mutex_lock(&m->lock);
    uint64_t asked = m->generation;
    atomic_store(&m->wanted, true);
    while (m->generation == asked && !m->stopping) {
        if (pthread_cond_timedwait(&m->fresh, &m->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    struct MHD_Response *response = NULL;
    if (m->served.len > 0) {
        response =
            MHD_create_response_from_buffer(m->served.len, m->served.data, MHD_RESPMEM_MUST_COPY);
    }
    pthread_mutex_unlock(&m->lock);
    return response;
}

/* libmicrohttpd's handler, on its thread: never touches the wall. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    struct metrics *m = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        /* HTTP bodies stay as written: scrapers and curl read them. */
        return reply(connection, MHD_HTTP_METHOD_NOT_ALLOWED, M_("only GET and HEAD\n"));
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* a GET with a body: ignore it */
        return MHD_YES;
    }
    if (strcmp(url, "/metrics") != 0) {
        return reply(connection, MHD_HTTP_NOT_FOUND,
                     M_("not found: the metrics are at /metrics\n"));
    }
    struct MHD_Response *response = fresh_text(m);
    if (!response) {
        return reply(connection, MHD_HTTP_SERVICE_UNAVAILABLE, M_("no metrics yet\n"));
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE);
    enum MHD_Result queued = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return queued;
}

struct metrics *metrics_create(const struct metrics_address *address)
{
    struct metrics *m = calloc(1, sizeof(*m));
    if (!m) {
        return NULL;
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&m->fresh, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&m->wanted, true); /* a first text at the first frame */
    int fd = listen_on(address, &m->port);
    if (fd < 0) {
        goto fail;
    }
    /* libmicrohttpd closes the socket it is given, also when it fails to
     * start (or not: versions differ): it gets a duplicate, and this one
     * is closed here either way. */
    int given = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (given >= 0) {
        m->daemon = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
            answer, m, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, given,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX, MHD_OPTION_CONNECTION_TIMEOUT,
            IDLE_TIMEOUT_S, MHD_OPTION_END);
    }
    close(fd);
    char shown[METRICS_ADDRESS_MAX + 16];
    show_address(address, m->port, shown, sizeof(shown));
    if (!m->daemon) {
        log_error("metrics", "cannot serve the metrics on %s: the HTTP server did not start",
                  shown);
        goto fail;
    }
    log_info("metrics", "serving http://%s/metrics", shown);
    return m;

fail:
    metrics_destroy(m);
    return NULL;
}

void metrics_destroy(struct metrics *m)
{
    if (!m) {
        return;
    }
    /* A scrape waiting for a text stops waiting, then the thread ends. */
    pthread_mutex_lock(&m->lock);
    m->stopping = true;
    pthread_cond_broadcast(&m->fresh);
    pthread_mutex_unlock(&m->lock);
    if (m->daemon) {
        MHD_stop_daemon(m->daemon);
    }
    pthread_cond_destroy(&m->fresh);
    pthread_mutex_destroy(&m->lock);
    free(m->served.data);
    free(m->building.data);
    free(m->feeds);
    free(m);
}

int metrics_port(const struct metrics *m)
{
    return m->port;
}

bool metrics_due(const struct metrics *m, int64_t now_us)
{
    return atomic_load(&m->wanted) || now_us - m->built_us >= METRICS_PERIOD_US;
}

void metrics_swap(struct metrics *m, int64_t now_us)
{
    pthread_mutex_lock(&m->lock);
    struct metrics_text served = m->served;
    m->served = m->building;
    m->building = served;
    m->generation++;
    atomic_store(&m->wanted, false);
    pthread_cond_broadcast(&m->fresh);
    pthread_mutex_unlock(&m->lock);
    m->building.len = 0;
    m->built_us = now_us;
}

static const double freshness_bounds[METRICS_BUCKETS] = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30};

void metrics_observe_freshness(struct metrics *m, double seconds)
{
    int b = 0;
    while (b < METRICS_BUCKETS && seconds > freshness_bounds[b]) {
        b++;
    }
    m->freshness.counts[b]++; /* b == METRICS_BUCKETS: only +Inf */
    m->freshness.sum += seconds;
    m->freshness.count++;
}

const double *metrics_bucket_bounds(void)
{
    return freshness_bounds;
}

void metrics_tiles_seen(struct metrics *m, int over_objective, int with_picture)
{
    m->tiles_over = over_objective;
    m->tiles_with_picture = with_picture;
}
