#include "wall/replay.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/ring.h"
#include "wall/wall_impl.h"

static const char *const control_names[] = {
    [REPLAY_START] = "start", [REPLAY_PAUSE] = "pause",   [REPLAY_PLAY] = "play",
    [REPLAY_STEP] = "step",   [REPLAY_FASTER] = "faster", [REPLAY_SLOWER] = "slower",
    [REPLAY_LIVE] = "live",   [REPLAY_TOGGLE] = "toggle",
};

const char *replay_control_name(enum replay_control control)
{
    return control_names[control];
}

int replay_control_named(const char *name)
{
    for (size_t i = 0; i < sizeof(control_names) / sizeof(control_names[0]); i++) {
        if (strcmp(control_names[i], name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static struct replay_set *set_of(const struct wall *wall)
{
    return (struct replay_set *)&wall->replays;
}

static struct tile_replay *find(const struct wall *wall, int screen, int tile)
{
    struct replay_set *set = set_of(wall);
    for (int i = 0; i < set->n; i++) {
        if (set->items[i].screen == screen && set->items[i].tile == tile) {
            return &set->items[i];
        }
    }
    return NULL;
}

static void end(struct replay_set *set, struct tile_replay *r)
{
    sources_close_replay(&r->source);
    *r = set->items[--set->n];
}

static int shown_camera(const struct wall *wall, int screen, int tile, int64_t now)
{
    return screen_shown_camera(&wall->screens[screen], wall->layout, tile, now, NULL);
}

static void describe(const struct tile_replay *r, char *why, size_t size)
{
    const struct feed_replay *p = &r->play;
    snprintf(why, size, M_("camera=%d from=-%.0fs speed=%g paused=%s"), r->source.camera->number,
             r->seconds, p->speed / 1000.0, p->paused ? "yes" : "no");
}

static bool start(struct wall *wall, int screen, int tile, double seconds, char *why, size_t size)
{
    struct replay_set *set = set_of(wall);
    int64_t now = av_gettime_relative();
    int camera = shown_camera(wall, screen, tile, now);
    if (camera < 0) {
        snprintf(why, size, _("tile %d shows no camera"), tile + 1);
        return false;
    }
    struct tile_replay *r = find(wall, screen, tile);
    if (r) {
        end(set, r); /* a new start point replaces the replay under way */
    }
    if (set->n == REPLAYS_MAX) {
        snprintf(why, size, _("%d replays run already: return one to live first"), REPLAYS_MAX);
        return false;
    }
    /* Further back than the pre-roll goes: from its start, said in the
     * reply, rather than nothing. */
    const struct source *live = sources_get(&wall->sources, camera);
    struct ring_stats kept = {0};
    if (live->ring) {
        ring_get_stats(live->ring, &kept);
    }
    bool all = kept.packets > 0 && kept.span_us < (int64_t)(seconds * 1e6);
    if (all) {
        seconds = (double)(kept.span_us / 1000000);
    }
    r = &set->items[set->n];
    *r = (struct tile_replay){.screen = screen, .tile = tile, .camera = camera};
    int64_t from = now - (int64_t)(seconds * 1e6);
    if (!sources_open_replay(&wall->sources, camera, from, &r->source, why, size)) {
        return false;
    }
    set->n++;
    r->seconds = seconds;
    r->play = (struct feed_replay){.speed = 1000};
    describe(r, why, size);
    if (all) {
        size_t len = strlen(why);
        snprintf(why + len, size - len, M_(" (all the pre-roll kept)"));
    }
    log_info("replay", "output %s tile %d: replaying camera %d from %.0f s ago",
             wall->screens[screen].config->id, tile + 1, r->source.camera->number, seconds);
    return true;
}

bool replay_control(struct wall *wall, int screen, int tile, enum replay_control control,
                    double seconds, char *why, size_t size)
{
    struct tile_replay *r = find(wall, screen, tile);
    if (control == REPLAY_TOGGLE) {
        control = r ? REPLAY_LIVE : REPLAY_START;
        seconds = wall->layout->replay.seconds;
    }
    if (control == REPLAY_START && wall->layout->replay.seconds <= 0) {
        snprintf(why, size, "%s",
                 _("no pre-roll is kept (wall.replay is not set): nothing to replay"));
        return false;
    }
    if (control == REPLAY_START && seconds <= 0) {
        snprintf(why, size, "%s",
                 _("no pre-roll is kept (wall.replay is not set): nothing to replay"));
        return false;
    }
    if (control == REPLAY_START) {
        return start(wall, screen, tile, seconds, why, size);
    }
    if (!r) {
        snprintf(why, size, _("tile %d is live, not replaying"), tile + 1);
        return false;
    }
    int steps = 0;
    switch (control) {
    case REPLAY_PAUSE:
        r->play.paused = !r->play.paused;
        break;
    case REPLAY_PLAY:
        r->play = (struct feed_replay){.speed = 1000};
        break;
    case REPLAY_STEP:
        r->play.paused = true;
        steps = 1;
        break;
    case REPLAY_FASTER:
        r->play.speed = r->play.speed >= 8000 ? 8000 : r->play.speed * 2;
        break;
    case REPLAY_SLOWER:
        r->play.speed = r->play.speed <= 125 ? 125 : r->play.speed / 2;
        break;
    case REPLAY_LIVE:
        snprintf(why, size, "camera=%d", r->source.camera->number);
        end(set_of(wall), r);
        return true;
    case REPLAY_START:
    case REPLAY_TOGGLE:
        break;
    }
    feed_replay_control(r->source.feed, &r->play, steps);
    describe(r, why, size);
    return true;
}

/* "REPLAY -00:12 21:54:51", with PAUSED or the speed when not 1x. */
static void badge(struct tile_replay *r)
{
    struct source *src = &r->source;
    int64_t recorded = src->stats.replay_wall_us;
    if (recorded <= 0) {
        snprintf(src->badge, sizeof(src->badge), "%s", O_("REPLAY"));
        return;
    }
    int64_t behind = (av_gettime() - recorded) / 1000000;
    behind = behind < 0 ? 0 : behind;
    time_t when = (time_t)(recorded / 1000000);
    struct tm tm;
    localtime_r(&when, &tm);
    char clock[16], extra[16] = "";
    strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
    if (r->play.paused) {
        /* TRANSLATORS: after the replay badge's clock; short */
        snprintf(extra, sizeof(extra), "  %s", O_("PAUSED"));
    } else if (r->play.speed != 1000) {
        snprintf(extra, sizeof(extra), r->play.speed > 1000 ? "  x%d" : "  x1/%d",
                 r->play.speed > 1000 ? r->play.speed / 1000 : 1000 / r->play.speed);
    }
    /* TRANSLATORS: the badge of a tile replaying: how far back (minutes and
     * seconds), the clock time of the picture, then PAUSED or the speed */
    snprintf(src->badge, sizeof(src->badge), O_("REPLAY -%02d:%02d %s%s"), (int)(behind / 60),
             (int)(behind % 60), clock, extra);
}

void replay_update(struct wall *wall, int64_t now)
{
    struct replay_set *set = set_of(wall);
    for (int i = 0; i < set->n;) {
        struct tile_replay *r = &set->items[i];
        if (!wall_screen_live(wall, r->screen) ||
            shown_camera(wall, r->screen, r->tile, now) != r->camera) {
            log_info("replay", "output %s tile %d: back to live (the tile changed)",
                     wall->screens[r->screen].config->id, r->tile + 1);
            char details[320];
            snprintf(details, sizeof(details), "output=%s tile=%d camera=%d control=end",
                     wall->screens[r->screen].config->id, r->tile + 1, r->source.camera->number);
            audit_quote(details, sizeof(details), "reason",
                        M_("the tile shows something else now: back to live"));
            audit_write(wall->audit, "wall", "replay", details);
            end(set, r);
            continue;
        }
        sources_update_replay(&wall->sources, &r->source);
        badge(r);
        i++;
    }
}

double replay_from(const struct wall *wall, int screen, int tile)
{
    const struct tile_replay *r = find(wall, screen, tile);
    return r ? r->seconds : 0;
}

const struct source *replay_source(const struct wall *wall, int screen, int tile)
{
    const struct tile_replay *r = find(wall, screen, tile);
    return r ? &r->source : NULL;
}

void replay_adopt(struct wall *wall)
{
    struct replay_set *set = set_of(wall);
    for (int i = 0; i < set->n;) {
        struct tile_replay *r = &set->items[i];
        const struct layout_camera *c = layout_find_camera(wall->layout, r->source.camera->number);
        if (!c || r->screen >= wall->n_screens || r->tile >= wall->screens[r->screen].n_tiles) {
            end(set, r);
            continue;
        }
        sources_readopt_replay(&wall->sources, &r->source, c);
        r->camera = (int)(c - wall->layout->cameras);
        i++;
    }
}

void replay_finish_all(struct replay_set *set)
{
    while (set->n > 0) {
        end(set, &set->items[set->n - 1]);
    }
}
