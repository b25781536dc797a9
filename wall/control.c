#include "wall/control.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/log.h"

#define MAX_PENDING_REPLY (256 * 1024)

struct client {
    int fd;
    char in[CONTROL_MAX_LINE + 1];
    size_t in_len;
    bool discarding; /* inside a line that was too long */
    char *out;       /* replies not yet written */
    size_t out_len;
    uint64_t waiting; /* the ticket of a reply deferred (control_defer()); 0: none */
};

struct control {
    int fd;
    char *path;
    control_handler handler;
    void *opaque;
    struct client clients[CONTROL_MAX_CLIENTS];
    struct client *running; /* whose line the handler runs now; NULL between lines */
    uint64_t tickets;       /* the last ticket handed out */
};

/* Refuses to replace anything but our own socket: a wrong path must never
 * delete a file or take over another user's socket. */
static bool prepare_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return errno == ENOENT;
    }
    if (!S_ISSOCK(st.st_mode)) {
        log_error("control", "%s exists and is not a socket: not replacing it", path);
        return false;
    }
    if (st.st_uid != geteuid()) {
        log_error("control", "%s belongs to another user: not replacing it", path);
        return false;
    }
    return unlink(path) == 0;
}

struct control *control_create(const char *path, control_handler handler, void *opaque)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        log_error("control", "%s: socket path too long", path);
        return NULL;
    }
    if (!prepare_path(path)) {
        return NULL;
    }
    struct control *control = calloc(1, sizeof(*control));
    if (!control || !(control->path = strdup(path))) {
        free(control);
        return NULL;
    }
    control->handler = handler;
    control->opaque = opaque;
    for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
        control->clients[i].fd = -1;
    }
    strcpy(addr.sun_path, path);
    control->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    /* 0660 from the start: no moment where others could connect. */
    mode_t old = umask(0117);
    bool bound =
        control->fd >= 0 && bind(control->fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    umask(old);
    if (!bound || listen(control->fd, CONTROL_MAX_CLIENTS) != 0) {
        log_error("control", "%s: %s", path, strerror(errno));
        goto fail;
    }
    /* The umask made it 0660; say so explicitly, and never run with a
     * socket whose mode we could not set. */
    if (chmod(path, 0660) != 0) {
        log_error("control", "%s: cannot set mode 0660: %s", path, strerror(errno));
        goto fail;
    }
    log_info("control", "listening on %s", path);
    return control;

fail:
    if (control->fd >= 0) {
        close(control->fd);
    }
    if (bound) {
        unlink(path); /* ours: made just now */
    }
    free(control->path);
    free(control);
    return NULL;
}

static void drop_client(struct client *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c->out);
    *c = (struct client){.fd = -1};
}

void control_destroy(struct control *control)
{
    if (!control) {
        return;
    }
    for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
        drop_client(&control->clients[i]);
    }
    close(control->fd);
    unlink(control->path);
    free(control->path);
    free(control);
}

static void queue_reply(struct client *c, const char *text, size_t len)
{
    if (c->out_len + len + 1 > MAX_PENDING_REPLY) {
        log_warn("control", "a client does not read its replies: dropping it");
        drop_client(c);
        return;
    }
    char *grown = realloc(c->out, c->out_len + len + 1);
    if (!grown) {
        drop_client(c);
        return;
    }
    c->out = grown;
    memcpy(c->out + c->out_len, text, len);
    c->out_len += len;
    c->out[c->out_len++] = '\n';
}

/* "ERR " and `reason` (translated by the caller): the protocol word stays. */
static void queue_err(struct client *c, const char *reason)
{
    char text[256];
    int n = snprintf(text, sizeof(text), "ERR %s", reason);
    queue_reply(c, text, n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

static void run_line(struct control *control, struct client *c, const char *line)
{
    char *reply = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&reply, &len);
    if (!f) {
        queue_err(c, _("out of memory"));
        return;
    }
    control->running = c;
    control->handler(control->opaque, line, f);
    control->running = NULL;
    if (c->waiting) {
        /* Deferred: the reply comes through control_answer(). */
        fclose(f);
        free(reply);
        return;
    }
    if (fclose(f) != 0 || !reply) {
        free(reply);
        queue_err(c, _("out of memory"));
        return;
    }
    while (len > 0 && reply[len - 1] == '\n') {
        len--;
    }
    queue_reply(c, reply, len);
    free(reply);
}

/* Runs the complete lines that arrived, in order, up to one whose reply
 * is deferred: the lines after it wait for its answer. */
static void run_lines(struct control *control, struct client *c)
{
    char *start = c->in, *nl;
    while (c->fd >= 0 && !c->waiting &&
           (nl = memchr(start, '\n', c->in_len - (size_t)(start - c->in)))) {
        *nl = '\0';
        bool has_nul = memchr(start, '\0', (size_t)(nl - start)) != NULL;
        if (nl > start && nl[-1] == '\r') {
            nl[-1] = '\0';
        }
        if (c->discarding) {
            c->discarding = false;
        } else if (has_nul) {
            /* A NUL would cut the line short: refuse it whole. */
            queue_err(c, _("line holds a NUL byte"));
        } else {
            run_line(control, c, start);
        }
        start = nl + 1;
    }
    if (c->fd >= 0) {
        c->in_len -= (size_t)(start - c->in);
        memmove(c->in, start, c->in_len);
    }
}

/* Splits what arrived into lines; an over-long line is refused whole.
 * Nothing is read while a reply is deferred. */
static void read_client(struct control *control, struct client *c)
{
    while (c->fd >= 0 && !c->waiting) {
        ssize_t n = read(c->fd, c->in + c->in_len, CONTROL_MAX_LINE - c->in_len);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            drop_client(c);
            return;
        }
        if (n < 0) {
            return;
        }
        c->in_len += (size_t)n;
        run_lines(control, c);
        if (c->fd >= 0 && !c->waiting && c->in_len == CONTROL_MAX_LINE) {
            if (!c->discarding) {
                queue_err(c, _("line too long"));
            }
            c->discarding = true;
            c->in_len = 0;
        }
    }
}

static void write_client(struct client *c)
{
    while (c->fd >= 0 && c->out_len > 0) {
        ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                drop_client(c);
            }
            return;
        }
        memmove(c->out, c->out + n, c->out_len - (size_t)n);
        c->out_len -= (size_t)n;
    }
}

void control_poll(struct control *control)
{
    if (!control) {
        return;
    }
    int fd;
    while ((fd = accept4(control->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        int slot = -1;
        for (int i = 0; i < CONTROL_MAX_CLIENTS && slot < 0; i++) {
            slot = control->clients[i].fd < 0 ? i : -1;
        }
        if (slot < 0) {
            char busy[128];
            int n = snprintf(busy, sizeof(busy), "ERR %s\n", _("too many clients"));
            size_t len = n < 0 ? 0 : (size_t)n < sizeof(busy) ? (size_t)n : sizeof(busy) - 1;
            ssize_t unused = send(fd, busy, len, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)unused;
            close(fd);
            continue;
        }
        control->clients[slot] = (struct client){.fd = fd};
    }
    for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
        struct client *c = &control->clients[i];
        if (c->fd >= 0 && !c->waiting) {
            run_lines(control, c); /* those that waited for a deferred reply */
        }
        if (c->fd >= 0) {
            read_client(control, c);
        }
        if (c->fd >= 0) {
            write_client(c);
        }
    }
}

uint64_t control_defer(struct control *control)
{
    if (!control || !control->running || control->running->waiting) {
        return 0;
    }
    control->running->waiting = ++control->tickets;
    return control->running->waiting;
}

void control_answer(struct control *control, uint64_t ticket, const char *reply)
{
    for (int i = 0; control && ticket && i < CONTROL_MAX_CLIENTS; i++) {
        struct client *c = &control->clients[i];
        if (c->fd >= 0 && c->waiting == ticket) {
            c->waiting = 0;
            queue_reply(c, reply, strlen(reply));
            if (c->fd >= 0) {
                write_client(c);
            }
            return;
        }
    }
}
