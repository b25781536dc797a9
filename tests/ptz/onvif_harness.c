#include "onvif_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Reads the "PORT <n>" line the server prints once it listens. */
static int read_port(int fd)
{
    FILE *in = fdopen(fd, "r");
    if (!in) {
        close(fd);
        return -1;
    }
    char line[64];
    int port = -1;
    if (!fgets(line, sizeof(line), in) || sscanf(line, "PORT %d", &port) != 1) {
        port = -1;
    }
    fclose(in);
    return port;
}

bool onvif_fake_start_presets(struct onvif_fake *f, const char *mode, const char *user,
                              const char *password, int skew_s, const char *presets)
{
    memset(f, 0, sizeof(*f));
    const char *root = getenv("WALL_SOURCE_ROOT");
    if (!root) {
        print_message("WALL_SOURCE_ROOT is not set: run the tests through meson\n");
        return false;
    }
    char script[512], skew[16];
    snprintf(script, sizeof(script), "%s/tests/onvif_server.py", root);
    snprintf(skew, sizeof(skew), "%d", skew_s);
    snprintf(f->record, sizeof(f->record), "/tmp/wall-onvif-XXXXXX");
    int record = mkstemp(f->record);
    int out[2];
    if (record < 0 || pipe2(out, O_CLOEXEC) != 0) {
        return false;
    }
    close(record);
    const char *argv[20] = {"/usr/bin/python3", script,   "--port", "0",      "--record",
                            f->record,          "--mode", mode,     "--skew", skew};
    int n = 10;
    if (user) {
        argv[n++] = "--user";
        argv[n++] = user;
        argv[n++] = "--password";
        argv[n++] = password ? password : "";
    }
    if (presets) {
        argv[n++] = "--presets";
        argv[n++] = presets;
    }
    f->pid = fork();
    if (f->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* a test killed or failed midway leaves no server */
        dup2(out[1], STDOUT_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    f->port = f->pid > 0 ? read_port(out[0]) : (close(out[0]), -1);
    if (f->port <= 0) {
        print_message("tests/onvif_server.py did not start\n");
        onvif_fake_stop(f);
        return false;
    }
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d/onvif/device_service", f->port);
    return true;
}

bool onvif_fake_start(struct onvif_fake *f, const char *mode, const char *user,
                      const char *password, int skew_s)
{
    return onvif_fake_start_presets(f, mode, user, password, skew_s, NULL);
}

void onvif_fake_stop(struct onvif_fake *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    if (f->record[0]) {
        unlink(f->record);
    }
    memset(f, 0, sizeof(*f));
}

static void copy_string(const cJSON *object, const char *name, char *buf, size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    snprintf(buf, size, "%s", cJSON_IsString(item) ? item->valuestring : "");
}

static double number(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

static bool parse(const char *line, struct onvif_fake_call *call)
{
    cJSON *object = cJSON_Parse(line);
    if (!object) {
        return false;
    }
    memset(call, 0, sizeof(*call));
    copy_string(object, "action", call->action, sizeof(call->action));
    copy_string(object, "auth", call->auth, sizeof(call->auth));
    copy_string(object, "preset", call->preset, sizeof(call->preset));
    copy_string(object, "profile", call->profile, sizeof(call->profile));
    copy_string(object, "timeout", call->timeout, sizeof(call->timeout));
    call->pan = number(object, "pan");
    call->tilt = number(object, "tilt");
    call->zoom = number(object, "zoom");
    cJSON_Delete(object);
    return true;
}

/* Visits the records with `action` (NULL: all) in order; returns how many. */
static int scan(const struct onvif_fake *f, const char *action,
                void (*visit)(int i, const struct onvif_fake_call *call, void *context),
                void *context)
{
    FILE *in = fopen(f->record, "r");
    if (!in) {
        return 0;
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int n = 0;
    struct onvif_fake_call call;
    while ((len = getline(&line, &size, in)) > 0) {
        if (line[len - 1] != '\n') {
            break; /* being written */
        }
        if (parse(line, &call) && (!action || strcmp(call.action, action) == 0)) {
            if (visit) {
                visit(n, &call, context);
            }
            n++;
        }
    }
    free(line);
    fclose(in);
    return n;
}

int onvif_fake_count(const struct onvif_fake *f, const char *action)
{
    return scan(f, action, NULL, NULL);
}

struct pick {
    int index;
    bool found;
    struct onvif_fake_call *out;
};

static void keep_one(int i, const struct onvif_fake_call *call, void *context)
{
    struct pick *p = context;
    if (p->index < 0 || p->index == i) {
        *p->out = *call;
        p->found = true;
    }
}

bool onvif_fake_call(const struct onvif_fake *f, const char *action, int index,
                     struct onvif_fake_call *out)
{
    struct pick p = {index, false, out};
    scan(f, action, keep_one, &p);
    return p.found;
}

struct all {
    struct onvif_fake_call *out;
    int max;
};

static void keep_all(int i, const struct onvif_fake_call *call, void *context)
{
    struct all *a = context;
    if (i < a->max) {
        a->out[i] = *call;
    }
}

int onvif_fake_calls(const struct onvif_fake *f, struct onvif_fake_call *out, int max)
{
    struct all a = {out, max};
    int n = scan(f, NULL, keep_all, &a);
    return n < max ? n : max;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool onvif_fake_wait(const struct onvif_fake *f, const char *action, int count)
{
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0 || inotify_add_watch(fd, f->record, IN_MODIFY) < 0) {
        fail_msg("inotify on %s", f->record);
    }
    int64_t deadline = now_ms() + ONVIF_FAKE_WAIT_MS;
    bool reached;
    while (!(reached = onvif_fake_count(f, action) >= count) && now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int64_t left = deadline - now_ms();
        poll(&p, 1, left > 0 ? (int)left : 0);
        char events[4096];
        while (read(fd, events, sizeof(events)) > 0) {
        }
    }
    close(fd);
    return reached;
}
