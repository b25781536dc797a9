#include "wall/watch.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <libavutil/time.h>

#include "common/log.h"

struct watched {
    int wd;     /* the directory's watch descriptor */
    char *name; /* the file's name within it */
};

struct watch {
    int fd;
    struct watched *files;
    int n_files;
    int64_t changed_us; /* last relevant event; 0: nothing pending */
};

static bool add_file(struct watch *watch, const char *path)
{
    char *dir_copy = strdup(path);
    char *base_copy = strdup(path);
    if (!dir_copy || !base_copy) {
        free(dir_copy);
        free(base_copy);
        return false;
    }
    const char *dir = dirname(dir_copy);
    int wd = inotify_add_watch(watch->fd, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY |
                                   IN_ATTRIB);
    struct watched *w = &watch->files[watch->n_files];
    w->name = strdup(basename(base_copy));
    free(dir_copy);
    free(base_copy);
    if (wd < 0 || !w->name) {
        log_warn("layout", "cannot watch %s: %s", path, strerror(errno));
        free(w->name);
        return false;
    }
    w->wd = wd;
    watch->n_files++;
    return true;
}

struct watch *watch_create(char *const *paths, int n_paths)
{
    struct watch *watch = calloc(1, sizeof(*watch));
    if (!watch) {
        return NULL;
    }
    watch->files = calloc((size_t)n_paths + 1, sizeof(*watch->files));
    watch->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (!watch->files || watch->fd < 0) {
        log_warn("layout", "cannot watch layout files (%s): live reload is off", strerror(errno));
        watch_destroy(watch);
        return NULL;
    }
    for (int i = 0; i < n_paths; i++) {
        add_file(watch, paths[i]);
    }
    return watch;
}

void watch_destroy(struct watch *watch)
{
    if (!watch) {
        return;
    }
    if (watch->fd >= 0) {
        close(watch->fd);
    }
    for (int i = 0; watch->files && i < watch->n_files; i++) {
        free(watch->files[i].name);
    }
    free(watch->files);
    free(watch);
}

static bool is_watched(const struct watch *watch, const struct inotify_event *ev)
{
    for (int i = 0; i < watch->n_files; i++) {
        if (watch->files[i].wd == ev->wd && ev->len > 0 &&
            strcmp(watch->files[i].name, ev->name) == 0) {
            return true;
        }
    }
    return false;
}

bool watch_poll(struct watch *watch, int settle_ms)
{
    if (!watch) {
        return false;
    }
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len;
    while ((len = read(watch->fd, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (is_watched(watch, ev)) {
                watch->changed_us = av_gettime_relative();
            }
            p += sizeof(*ev) + ev->len;
        }
    }
    if (watch->changed_us == 0 ||
        av_gettime_relative() - watch->changed_us < (int64_t)settle_ms * 1000) {
        return false;
    }
    watch->changed_us = 0;
    return true;
}
