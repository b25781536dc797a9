#include "wall/evidence.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/words.h"
#include "decode/export.h"
#include "decode/ring.h"
#include "wall/wall_impl.h"

static struct evidence_set *set_of(const struct wall *wall)
{
    return (struct evidence_set *)&wall->evidence;
}

static struct evidence_job *find(const struct wall *wall, int screen, int tile)
{
    struct evidence_set *set = set_of(wall);
    for (int i = 0; i < set->n; i++) {
        if (set->items[i].screen == screen && set->items[i].tile == tile) {
            return &set->items[i];
        }
    }
    return NULL;
}

bool evidence_running(const struct wall *wall, int screen, int tile)
{
    return find(wall, screen, tile) != NULL;
}

static bool taken(const char *path)
{
    char part[PATH_MAX + 8], partial[PATH_MAX + 16];
    struct stat st;
    snprintf(part, sizeof(part), "%s.part", path);
    snprintf(partial, sizeof(partial), "%.*s-partial.mp4", (int)strlen(path) - 4, path);
    return stat(path, &st) == 0 || stat(part, &st) == 0 || stat(partial, &st) == 0;
}

/* DIR/101-Av-Tulum-20261206-221503.mp4, absolute: the audit trail names
 * files an investigator can find from anywhere. */
static void file_name(const struct layout_camera *camera, const char *dir, char *path, size_t size)
{
    char name[128], stamp[32], cwd[PATH_MAX] = "";
    words_slug(camera->name, name, sizeof(name));
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    if (dir[0] != '/' && !getcwd(cwd, sizeof(cwd))) {
        cwd[0] = '\0';
    }
    snprintf(path, size, "%s%s%s/%d-%s-%s.mp4", cwd, cwd[0] ? "/" : "", dir, camera->number, name,
             stamp);
    /* Two exports of one camera within a second get -2, -3... (one still
     * being written is a .part). */
    size_t base = strlen(path) - 4;
    for (int n = 2; taken(path) && n < 100; n++) {
        snprintf(path + base, size - base, "-%d.mp4", n);
    }
}

bool evidence_start(struct wall *wall, enum op_source source, int screen, int tile, double seconds,
                    double follow, char *why, size_t size)
{
    const struct layout_replay *settings = &wall->layout->replay;
    const struct screen *s = &wall->screens[screen];
    struct evidence_set *set = set_of(wall);
    int camera = screen_shown_camera(s, wall->layout, tile, av_gettime_relative(), NULL);
    const struct source *src = sources_get(&wall->sources, camera);
    if (settings->seconds <= 0) {
        snprintf(why, size, "%s",
                 _("no pre-roll is kept (wall.replay is not set): nothing to export"));
        return false;
    }
    if (!src) {
        snprintf(why, size, _("tile %d shows no camera"), tile + 1);
        return false;
    }
    if (find(wall, screen, tile)) {
        snprintf(why, size, _("tile %d is exporting already: stop it first"), tile + 1);
        return false;
    }
    struct ring *ring = sources_evidence_ring(src, (int64_t)(seconds * 1e6));
    struct ring_stats st = {0};
    if (ring) {
        ring_get_stats(ring, &st);
    }
    if (!ring || st.packets == 0) {
        snprintf(why, size, _("camera %d has no pre-roll yet (just opened, or no signal)"),
                 src->camera->number);
        return false;
    }
    if (set->n == EVIDENCE_MAX) {
        snprintf(why, size, _("%d exports run already: wait for one to end"), EVIDENCE_MAX);
        return false;
    }
    struct evidence_job *job = &set->items[set->n];
    *job = (struct evidence_job){
        .screen = screen, .tile = tile, .source = source, .camera = src->camera->number};
    snprintf(job->name, sizeof(job->name), "%s", src->camera->name);
    snprintf(job->output, sizeof(job->output), "%s", s->config->id);
    file_name(src->camera, settings->directory, job->path, sizeof(job->path));

    int64_t now = av_gettime_relative();
    char number[16];
    snprintf(number, sizeof(number), "%d", src->camera->number);
    int zone = s->config->zone;
    struct export_config config = {
        .ring = ring,
        .from_us = now - (int64_t)(seconds * 1e6),
        .until_us = follow < 0 ? INT64_MAX : now + (int64_t)(follow * 1e6),
        .limit_us = (int64_t)(settings->limit * 1e6),
        .silence_us =
            2 * (int64_t)(wall->options->io_timeout_ms > 0 ? wall->options->io_timeout_ms : 5000) *
            1000,
        .path = job->path,
        .tags = {{"camera", number},
                 {"name", src->camera->name},
                 {"zone", zone >= 0 ? wall->layout->zones[zone].id : ""},
                 {"station", wall->options->station ? wall->options->station : ""},
                 {"output", s->config->id}},
    };
    job->export = export_start(&config);
    if (!job->export) {
        snprintf(why, size, "%s", _("cannot start an export (out of resources)"));
        return false;
    }
    set->n++;
    /* Said at once too: should the wall stop before the end, the trail
     * still says an export was asked for, and of what. */
    char details[PATH_MAX + 512];
    snprintf(details, sizeof(details), "output=%s tile=%d camera=%d", job->output, tile + 1,
             job->camera);
    audit_quote(details, sizeof(details), "name", job->name);
    audit_quote(details, sizeof(details), "file", job->path);
    size_t len = strlen(details);
    if (follow < 0) {
        snprintf(details + len, sizeof(details) - len, " seconds=%g follow=until-stopped",
                 seconds);
    } else {
        snprintf(details + len, sizeof(details) - len, " seconds=%g follow=%g", seconds, follow);
    }
    audit_write(wall->audit, operator_source_name(source), "export-start", details);
    snprintf(why, size, "%s", job->path);
    return true;
}

bool evidence_stop(struct wall *wall, int screen, int tile, char *why, size_t size)
{
    struct evidence_job *job = find(wall, screen, tile);
    if (!job) {
        snprintf(why, size, _("tile %d is not exporting"), tile + 1);
        return false;
    }
    export_stop(job->export);
    snprintf(why, size, "%s", job->path);
    return true;
}

static void audit_result(struct wall *wall, const struct evidence_job *job,
                         const struct export_result *r)
{
    char details[PATH_MAX + 1024];
    snprintf(details, sizeof(details), "output=%s tile=%d camera=%d", job->output, job->tile + 1,
             job->camera);
    audit_quote(details, sizeof(details), "name", job->name);
    if (r->path[0]) {
        audit_quote(details, sizeof(details), "file", r->path);
        size_t len = strlen(details);
        snprintf(details + len, sizeof(details) - len, M_(" seconds=%.2f bytes=%lld sha256=%s"),
                 r->seconds, (long long)r->bytes, r->sha256);
    } else {
        audit_quote(details, sizeof(details), "file", job->path);
    }
    size_t len = strlen(details);
    snprintf(details + len, sizeof(details) - len, " result=%s", r->ok ? "done" : "failed");
    if (r->reason[0]) {
        audit_quote(details, sizeof(details), r->ok ? "note" : "reason", r->reason);
    }
    audit_write(wall->audit, operator_source_name(job->source), "export", details);
    char notice[160];
    snprintf(notice, sizeof(notice),
             r->ok ? O_("export done: camera %d") : O_("export failed: camera %d"), job->camera);
    operator_notify(wall, notice);
}

void evidence_poll(struct wall *wall)
{
    struct evidence_set *set = set_of(wall);
    for (int i = 0; i < set->n;) {
        struct export_result r;
        if (!export_finished(set->items[i].export, &r)) {
            i++;
            continue;
        }
        audit_result(wall, &set->items[i], &r);
        export_destroy(set->items[i].export);
        set->items[i] = set->items[--set->n];
    }
}

void evidence_finish_all(struct wall *wall)
{
    struct evidence_set *set = set_of(wall);
    for (int i = 0; i < set->n; i++) {
        export_stop(set->items[i].export);
    }
    for (int i = 0; i < set->n; i++) {
        export_wait(set->items[i].export); /* the file is finished and hashed */
    }
    evidence_poll(wall);
}
