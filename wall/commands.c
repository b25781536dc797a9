/* Control-socket commands: one table row each, parsed here into requests
 * that the operator carries out (wall/operator.h), as it does the keyboard's;
 * the rest only read the wall. Replies: "OK ..." or "ERR reason", one line. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "wall/operator.h"
#include "wall/stats.h"
#include "wall/wall_impl.h"

#define MAX_ARGS 8

void reply_err(FILE *reply, const char *fmt, ...)
{
    fputs("ERR ", reply);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(reply, gettext(fmt), ap);
    va_end(ap);
}

struct command {
    const char *name;
    int min_args, max_args;
    const char *usage;
    void (*run)(struct wall *wall, int argc, char **argv, FILE *reply);
};

/* An output by id or by its number (from 1, as operators count them). */
static const struct screen *find_screen(struct wall *wall, const char *name, FILE *reply)
{
    for (int i = 0; i < wall->n_screens; i++) {
        if (strcmp(wall->screens[i].config->id, name) == 0) {
            return &wall->screens[i];
        }
    }
    char *end;
    long n = strtol(name, &end, 10);
    if (*end == '\0' && n >= 1 && n <= wall->n_screens) {
        return &wall->screens[n - 1];
    }
    reply_err(reply, "no output '%s'", name);
    return NULL;
}

static bool parse_index(const char *text, int count, const char *what, int *out, FILE *reply)
{
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || *end != '\0' || n < 1 || n > count) {
        /* TRANSLATORS: the first %s names the argument: "page", "tile"... */
        reply_err(reply, "%s must be 1 to %d (got '%s')", _(what), count, text);
        return false;
    }
    *out = (int)n - 1;
    return true;
}

static void cmd_stats(struct wall *wall, int argc, char **argv, FILE *reply)
{
    struct stats_wall figures;
    wall_stats_figures(wall, &figures);
    struct json j;
    json_init(&j, reply, true);
    fputs("OK ", reply);
    stats_write_json(&j, &wall->sources, &figures);
}

static void cmd_tiles(struct wall *wall, int argc, char **argv, FILE *reply)
{
    int64_t now = av_gettime_relative();
    struct json j;
    json_init(&j, reply, true);
    fputs("OK ", reply);
    json_begin_array(&j);
    for (int i = 0; i < wall->n_screens; i++) {
        const struct screen *s = &wall->screens[i];
        for (int t = 0; wall_screen_live(wall, i) && t < screen_visible_count(s); t++) {
            int index;
            struct layout_tile tile = screen_visible_tile(s, t, &index);
            int cam = screen_tile_camera(s, wall->layout, &tile, index, now);
            const struct source *replay = replay_source(wall, i, index);
            const struct source *src = replay ? replay : sources_get(&wall->sources, cam);
            json_begin_object(&j);
            json_field_string(&j, "output", s->config->id);
            json_field_int(&j, "page", s->page + 1);
            json_field_int(&j, "tile", index + 1);
            json_field_bool(&j, "maximized", s->maximized >= 0);
            json_field_bool(&j, "selected", i == wall->selected_output && index == s->selected);
            json_field_double(&j, "zoom",
                              index == s->selected && s->zoom.active ? s->zoom.factor : 1.0, 2);
            json_field_bool(&j, "alarm", index < 0);
            json_field_int(&j, "camera", src ? src->camera->number : 0);
            json_field_string(&j, "name", src ? src->camera->name : "");
            json_field_string(&j, "state", tile_state_name(tile_state(src, now)));
            json_field_string(&j, "stream",
                              src && src->feed ? sources_stream_name(src->stream) : "none");
            json_end_object(&j);
        }
    }
    json_end_array(&j);
}

static void cmd_snapshot(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const char *path = argc > 1 ? argv[1] : wall->options->snapshot;
    if (!path) {
        reply_err(reply, "no file given and no --snapshot default");
        return;
    }
    wall_draw(wall, av_gettime_relative(), true);
    if (wall_write_snapshot(wall, path)) {
        fprintf(reply, "OK %s", path);
    } else {
        reply_err(reply, "cannot write %s", path);
    }
}

static int screen_index(struct wall *wall, const struct screen *s)
{
    return (int)(s - wall->screens);
}

static void answer(struct wall *wall, enum op_result result, const char *why, FILE *reply,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "OK <fmt>" or "ERR <why>"; for a request sent to another station, the
 * reply waits for its answer (wall/station.h), "OK <fmt>" when it is done. */
static void answer(struct wall *wall, enum op_result result, const char *why, FILE *reply,
                   const char *fmt, ...)
{
    if (result == OP_REFUSED) {
        fprintf(reply, "ERR %s", why);
        return;
    }
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    uint64_t ticket = result == OP_SENT ? control_defer(wall->control) : 0;
    if (ticket) {
        station_await(wall->station, why, ticket, text);
    } else if (result == OP_SENT) {
        fprintf(reply, M_("OK sent as %s"), why); /* in-process: nobody to wait */
    } else {
        fprintf(reply, "OK %s", text);
    }
}

/* Carries out a request from the socket on tile `tile` (0-based; -1: none)
 * of output `s`. */
static enum op_result request(struct wall *wall, struct op_request req, const struct screen *s,
                              int tile, char *why, size_t size)
{
    req.output = screen_index(wall, s) + 1;
    req.tile = tile + 1;
    return operator_apply(wall, OP_SOCKET, &req, why, size);
}

static void cmd_page(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int page;
    char why[256];
    if (s && parse_index(argv[2], s->config->n_pages, N_("page"), &page, reply)) {
        enum op_result ok = request(wall, (struct op_request){.kind = OP_PAGE, .value = page}, s,
                                    -1, why, sizeof(why));
        answer(wall, ok, why, reply, M_("output %s page %d"), s->config->id, page + 1);
    }
}

static void cmd_maximize(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    char why[256];
    if (s && parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        enum op_result ok =
            request(wall, (struct op_request){.kind = OP_MAXIMIZE}, s, tile, why, sizeof(why));
        answer(wall, ok, why, reply, M_("output %s tile %d maximized"), s->config->id, tile + 1);
    }
}

/* snapshot-tile OUTPUT TILE: the tile as shown, into --snapshot-dir, named
 * as the S key names it; replies with the file. */
static void cmd_snapshot_tile(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    char why[4200];
    if (s && parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        enum op_result ok =
            request(wall, (struct op_request){.kind = OP_SNAPSHOT}, s, tile, why, sizeof(why));
        answer(wall, ok, why, reply, "%s", why);
    }
}

static void cmd_restore(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    char why[256];
    if (s) {
        enum op_result ok =
            request(wall, (struct op_request){.kind = OP_RESTORE}, s, -1, why, sizeof(why));
        answer(wall, ok, why, reply, M_("output %s restored"), s->config->id);
    }
}

static bool parse_number(const char *text, const char *what, long min, long max, long *out,
                         FILE *reply)
{
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || *end != '\0' || n < min || n > max) {
        /* TRANSLATORS: the first %s names the argument: "camera", "seconds"... */
        reply_err(reply, "%s must be %ld to %ld (got '%.32s')", _(what), min, max, text);
        return false;
    }
    *out = n;
    return true;
}

/* put CAMERA OUTPUT TILE: the camera number operators dial (0 empties). */
static void cmd_put(struct wall *wall, int argc, char **argv, FILE *reply)
{
    long number;
    int tile;
    char why[256];
    if (!parse_number(argv[1], N_("camera"), 0, 999999, &number, reply)) {
        return;
    }
    const struct screen *s = find_screen(wall, argv[2], reply);
    if (s && parse_index(argv[3], s->n_tiles, N_("tile"), &tile, reply)) {
        enum op_result ok =
            request(wall, (struct op_request){.kind = OP_PUT_CAMERA, .value = (int)number}, s,
                    tile, why, sizeof(why));
        answer(wall, ok, why, reply, M_("camera %ld on output %s tile %d"), number, s->config->id,
               tile + 1);
    }
}

/* swap OUTPUT TILE OUTPUT TILE: the two tiles exchange their cameras (or
 * tours), each admitted by the zone it lands in, or neither moves. */
static void cmd_swap(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *a = find_screen(wall, argv[1], reply);
    int ta, tb;
    if (!a || !parse_index(argv[2], a->n_tiles, N_("tile"), &ta, reply)) {
        return;
    }
    const struct screen *b = find_screen(wall, argv[3], reply);
    if (!b || !parse_index(argv[4], b->n_tiles, N_("tile"), &tb, reply)) {
        return;
    }
    struct op_request req = {
        .kind = OP_SWAP, .with_output = screen_index(wall, b) + 1, .with_tile = tb + 1};
    char why[256];
    enum op_result ok = request(wall, req, a, ta, why, sizeof(why));
    answer(wall, ok, why, reply, M_("output %s tile %d swapped with output %s tile %d"),
           a->config->id, ta + 1, b->config->id, tb + 1);
}

/* tour OUTPUT TILE NAME|stop */
static void cmd_tour(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    char why[256];
    if (!s || !parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        return;
    }
    int tour = -1;
    if (strcmp(argv[3], "stop") != 0) {
        for (int i = 0; i < wall->layout->n_tours && tour < 0; i++) {
            tour = strcmp(wall->layout->tours[i].name, argv[3]) == 0 ? i : -1;
        }
        if (tour < 0) {
            reply_err(reply, "no tour '%.64s'", argv[3]);
            return;
        }
    }
    enum op_result ok = request(wall, (struct op_request){.kind = OP_TOUR_SET, .value = tour}, s,
                                tile, why, sizeof(why));
    answer(wall, ok, why, reply, M_("output %s tile %d tour %s"), s->config->id, tile + 1,
           tour >= 0 ? wall->layout->tours[tour].name : "stopped");
}

/* alarm CAMERA OUTPUT SECONDS */
static void cmd_alarm(struct wall *wall, int argc, char **argv, FILE *reply)
{
    long number, seconds;
    char why[256];
    if (!parse_number(argv[1], N_("camera"), 1, 999999, &number, reply)) {
        return;
    }
    const struct screen *s = find_screen(wall, argv[2], reply);
    if (s && parse_number(argv[3], N_("seconds"), 1, 3600, &seconds, reply)) {
        struct op_request req = {.kind = OP_ALARM_PUSH, .value = (int)number, .amount = seconds};
        enum op_result ok = request(wall, req, s, -1, why, sizeof(why));
        answer(wall, ok, why, reply, M_("alarm camera %ld on output %s for %ld s"), number,
               s->config->id, seconds);
    }
}

/* select OUTPUT [TILE]: where keyboard and joystick act; the same request
 * as the keyboard's, so the same state follows (a new tile starts unzoomed). */
static void cmd_select(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile = s ? s->selected : 0;
    char why[256];
    if (!s || (argc > 2 && !parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply))) {
        return;
    }
    enum op_result ok = request(wall, (struct op_request){.kind = OP_SELECT_TILE, .value = tile},
                                s, -1, why, sizeof(why));
    answer(wall, ok, why, reply, M_("output %s tile %d selected"), s->config->id, tile + 1);
}

/* plates: every text plate on the canvas now, with its output, rectangle
 * (output picture pixels) and text: what tests check for overlaps. */
static void cmd_plates(struct wall *wall, int argc, char **argv, FILE *reply)
{
    enum { MAX_PLATES = 1024 };
    struct plate *plates = calloc(MAX_PLATES, sizeof(*plates));
    if (!plates) {
        reply_err(reply, "out of memory");
        return;
    }
    int n = wall_list_plates(wall, plates, MAX_PLATES);
    struct json j;
    json_init(&j, reply, true);
    fputs("OK ", reply);
    json_begin_array(&j);
    for (int i = 0; i < n; i++) {
        const struct plate *p = &plates[i];
        json_begin_object(&j);
        json_field_string(&j, "output", wall->screens[p->screen].config->id);
        json_field_int(&j, "x", p->rect.x);
        json_field_int(&j, "y", p->rect.y);
        json_field_int(&j, "w", p->rect.w);
        json_field_int(&j, "h", p->rect.h);
        json_field_string(&j, "text", p->text);
        json_end_object(&j);
    }
    json_end_array(&j);
    free(plates);
}

/* replay OUTPUT TILE SECONDS|pause|play|step|faster|slower|live */
static void cmd_replay(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    long seconds = 0;
    char why[256];
    if (!s || !parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        return;
    }
    int control = replay_control_named(argv[3]);
    if (control < 0 || control == REPLAY_START) {
        if (!parse_number(argv[3], N_("seconds (or pause, play, step, faster, slower, live)"), 1,
                          3600, &seconds, reply)) {
            return;
        }
        control = REPLAY_START;
    }
    struct op_request req = {.kind = OP_REPLAY, .value = control, .amount = (double)seconds};
    enum op_result ok = request(wall, req, s, tile, why, sizeof(why));
    answer(wall, ok, why, reply, "%s output=%s tile=%d %s",
           control == REPLAY_LIVE ? "live" : "replay", s->config->id, tile + 1, why);
}

static bool parse_speed(const char *text, const char *what, double *out, FILE *reply)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !(v >= -1.0 && v <= 1.0)) {
        /* TRANSLATORS: %s is "pan", "tilt" or "zoom" (translated) */
        reply_err(reply, "%s speed must be -1 to 1 (got '%.32s')", _(what), text);
        return false;
    }
    *out = v;
    return true;
}

/* ptz OUTPUT TILE PAN TILT ZOOM | ptz OUTPUT TILE stop | ptz OUTPUT TILE preset N:
 * the tile's dome moves at those speeds (pan right +, tilt up +, zoom in +)
 * until stopped, as the stick moves it. */
static void cmd_ptz(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    char why[256];
    if (!s || !parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        return;
    }
    struct op_request req = {.kind = OP_PTZ_MOVE};
    long preset = 0;
    if (argc == 4 && strcmp(argv[3], "stop") == 0) {
        req.kind = OP_PTZ_MOVE;
    } else if (argc == 5 && strcmp(argv[3], "preset") == 0) {
        if (!parse_number(argv[4], N_("preset"), 1, 999, &preset, reply)) {
            return;
        }
        req = (struct op_request){.kind = OP_PTZ_PRESET, .value = (int)preset};
    } else if (argc != 6 || !parse_speed(argv[3], N_("pan"), &req.dx, reply) ||
               !parse_speed(argv[4], N_("tilt"), &req.dy, reply) ||
               !parse_speed(argv[5], N_("zoom"), &req.amount, reply)) {
        if (argc != 6) {
            reply_err(reply, "usage: %s", M_("ptz OUTPUT TILE PAN TILT ZOOM | stop | preset N"));
        }
        return;
    }
    enum op_result ok = request(wall, req, s, tile, why, sizeof(why));
    if (req.kind == OP_PTZ_PRESET) {
        answer(wall, ok, why, reply, M_("ptz output=%s tile=%d preset=%ld"), s->config->id,
               tile + 1, preset);
    } else {
        answer(wall, ok, why, reply, M_("ptz output=%s tile=%d pan=%.2f tilt=%.2f zoom=%.2f"),
               s->config->id, tile + 1, req.dx, req.dy, req.amount);
    }
}

/* export OUTPUT TILE SECONDS [FOLLOW|on] | export OUTPUT TILE stop */
static void cmd_export(struct wall *wall, int argc, char **argv, FILE *reply)
{
    const struct screen *s = find_screen(wall, argv[1], reply);
    int tile;
    long seconds = 0, follow = 0;
    char why[4200];
    if (!s || !parse_index(argv[2], s->n_tiles, N_("tile"), &tile, reply)) {
        return;
    }
    struct op_request req = {.kind = OP_EXPORT};
    if (strcmp(argv[3], "stop") == 0) {
        req.value = 1;
    } else if (!parse_number(argv[3], N_("seconds (or stop)"), 1, 86400, &seconds, reply)) {
        return;
    } else if (argc > 4 && strcmp(argv[4], "on") != 0 &&
               !parse_number(argv[4], N_("seconds to follow (or on)"), 0, 86400, &follow, reply)) {
        return;
    }
    req.amount = (double)seconds;
    req.dx = argc > 4 && strcmp(argv[4], "on") == 0 ? -1.0 : (double)follow;
    enum op_result ok = request(wall, req, s, tile, why, sizeof(why));
    answer(wall, ok, why, reply, "%s file=%s", req.value ? M_("export stopping") : "export", why);
}

static bool picture_problem(enum picture_condition c)
{
    return c == PICTURE_FROZEN || c == PICTURE_OBSTRUCTED || c == PICTURE_BLURRED ||
           c == PICTURE_MOVED;
}

/* The live cameras open on this station whose picture has a condition now
 * (decode/health.h), by number: what needs someone to look. */
static void list_health(struct wall *wall, FILE *reply)
{
    const struct source_set *set = &wall->sources;
    int64_t now = av_gettime_relative();
    struct json j;
    json_init(&j, reply, true);
    fputs("OK ", reply);
    json_begin_array(&j);
    for (int k = 0; k < set->n; k++) {
        const struct source *src = sources_get(set, set->layout->by_number[k]);
        if (!src || !src->feed) {
            continue;
        }
        struct feed_stats st;
        feed_get_stats(src->feed, &st);
        if (st.state != FEED_LIVE || !picture_problem(st.picture)) {
            continue;
        }
        json_begin_object(&j);
        json_field_int(&j, "camera", src->camera->number);
        json_field_string(&j, "name", src->camera->name);
        json_field_string(&j, "picture", picture_condition_name(st.picture));
        json_field_int(&j, "since_ms",
                       st.picture_since_us > 0 ? (now - st.picture_since_us) / 1000 : 0);
        json_end_object(&j);
    }
    json_end_array(&j);
}

/* health: the cameras whose picture is frozen, obstructed, blurred or
 * moved; health reset CAMERA: it learns its view again (audited). */
static void cmd_health(struct wall *wall, int argc, char **argv, FILE *reply)
{
    if (argc == 1) {
        list_health(wall, reply);
        return;
    }
    if (argc != 3 || strcmp(argv[1], "reset") != 0) {
        reply_err(reply, "usage: %s", M_("health | health reset CAMERA"));
        return;
    }
    long number;
    char why[256];
    if (!parse_number(argv[2], N_("camera"), 1, 999999, &number, reply)) {
        return;
    }
    if (operator_health_reset(wall, OP_SOCKET, (int)number, why, sizeof(why))) {
        fprintf(reply, M_("OK camera %ld learns its picture again"), number);
    } else {
        fprintf(reply, "ERR %s", why);
    }
}

static void cmd_help(struct wall *wall, int argc, char **argv, FILE *reply);

static const struct command commands[] = {
    {"help", 0, 0, M_("help"), cmd_help},
    {"stats", 0, 0, M_("stats"), cmd_stats},
    {"tiles", 0, 0, M_("tiles"), cmd_tiles},
    {"plates", 0, 0, M_("plates"), cmd_plates},
    {"snapshot", 0, 1, M_("snapshot [FILE.png]"), cmd_snapshot},
    {"snapshot-tile", 2, 2, M_("snapshot-tile OUTPUT TILE"), cmd_snapshot_tile},
    {"page", 2, 2, M_("page OUTPUT N"), cmd_page},
    {"maximize", 2, 2, M_("maximize OUTPUT TILE"), cmd_maximize},
    {"restore", 1, 1, M_("restore OUTPUT"), cmd_restore},
    {"put", 3, 3, M_("put CAMERA OUTPUT TILE"), cmd_put},
    {"swap", 4, 4, M_("swap OUTPUT TILE OUTPUT TILE"), cmd_swap},
    {"tour", 3, 3, M_("tour OUTPUT TILE NAME|stop"), cmd_tour},
    {"alarm", 3, 3, M_("alarm CAMERA OUTPUT SECONDS"), cmd_alarm},
    {"select", 1, 2, M_("select OUTPUT [TILE]"), cmd_select},
    {"replay", 3, 3, M_("replay OUTPUT TILE SECONDS|pause|play|step|faster|slower|live"),
     cmd_replay},
    {"ptz", 3, 5, M_("ptz OUTPUT TILE PAN TILT ZOOM | ptz OUTPUT TILE stop|preset N"), cmd_ptz},
    {"export", 3, 4, M_("export OUTPUT TILE SECONDS [FOLLOW|on] | export OUTPUT TILE stop"),
     cmd_export},
    {"health", 0, 2, M_("health | health reset CAMERA"), cmd_health},
};

static void cmd_help(struct wall *wall, int argc, char **argv, FILE *reply)
{
    fputs("OK", reply);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(reply, "%s%s", i ? ", " : " ", commands[i].usage);
    }
}

void wall_command(void *opaque, const char *line, FILE *reply)
{
    char buf[CONTROL_MAX_LINE + 1];
    snprintf(buf, sizeof(buf), "%s", line);
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (argc == MAX_ARGS) {
            reply_err(reply, "too many arguments");
            return;
        }
        argv[argc++] = tok;
    }
    if (argc == 0) {
        reply_err(reply, "empty command");
        return;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const struct command *c = &commands[i];
        if (strcmp(argv[0], c->name) != 0) {
            continue;
        }
        if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
            reply_err(reply, "usage: %s", c->usage);
            return;
        }
        c->run(opaque, argc, argv, reply);
        return;
    }
    /* Never echo the line whole: it may be anything a client sent. */
    reply_err(reply, "unknown command '%.32s' (try help)", argv[0]);
}
