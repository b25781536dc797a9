/* Commands between stations (wall/station.h): those this station sends and
 * the answers it waits for; those it receives for the outputs it drives,
 * applied once each and answered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/station_impl.h"
#include "wall/wall_impl.h"

/* Callers translate `fmt` (_()): refuse() is no xgettext keyword. */
static enum op_result refuse(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum op_result refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return OP_REFUSED;
}

/* ---- sent ---- */

/* The command for a request of the operator's (output and tile 1-based). */
static bool to_command(const struct wall *wall, const struct op_request *req,
                       struct msg_command *c, char *why, size_t size)
{
    c->tile = req->tile;
    switch (req->kind) {
    case OP_PUT_CAMERA:
        c->action = MSG_ACTION_PUT;
        c->camera = req->value;
        return true;
    case OP_PAGE:
        c->action = MSG_ACTION_PAGE;
        c->page = req->value + 1;
        return true;
    case OP_MAXIMIZE:
        c->action = MSG_ACTION_MAXIMIZE;
        return true;
    case OP_RESTORE:
        c->action = MSG_ACTION_RESTORE;
        return true;
    case OP_SELECT_TILE:
        c->action = MSG_ACTION_SELECT;
        c->tile = req->value + 1;
        return true;
    case OP_TOUR_SET:
        c->action = MSG_ACTION_TOUR;
        if (req->value >= wall->layout->n_tours) {
            return refuse(why, size, _("no tour %d"), req->value + 1);
        }
        if (req->value >= 0) {
            snprintf(c->tour, sizeof(c->tour), "%s", wall->layout->tours[req->value].name);
        }
        return true;
    case OP_ALARM_PUSH:
        c->action = MSG_ACTION_ALARM;
        c->camera = req->value;
        c->seconds = (int)req->amount;
        return true;
    default:
        return refuse(why, size, _("that cannot be sent to another station"));
    }
}

enum op_result station_send(struct wall *wall, enum op_source source, const struct op_request *req,
                            char *why, size_t size)
{
    struct station *st = wall->station;
    int out = req->output - 1;
    const char *id = wall->layout->outputs[out].id;
    const char *driver = station_driver_name(st, out);
    if (!driver[0]) {
        return refuse(why, size, _("output %s is driven by no station"), id);
    }
    if (!link_connected(st->link)) {
        return refuse(why, size, _("no connection to the broker %s: station %s cannot be reached"),
                      st->broker, driver);
    }
    const struct peer *p = station_peer_of(st, driver);
    if (!p || p->state != PEER_ONLINE) {
        return refuse(why, size, _("station %s is offline"), driver);
    }
    struct pending *slot = NULL;
    for (int i = 0; i < STATION_PENDING_MAX && !slot; i++) {
        slot = st->pending[i].used ? NULL : &st->pending[i];
    }
    if (!slot) {
        return refuse(why, size, _("%d commands are waiting for an answer already"),
                      STATION_PENDING_MAX);
    }
    struct msg_command c = {.seq = st->seq + 1};
    snprintf(c.id, sizeof(c.id), "%s-%lld", st->name, c.seq);
    snprintf(c.from, sizeof(c.from), "%s", st->name);
    snprintf(c.output, sizeof(c.output), "%s", id);
    char err[MSG_ERROR_SIZE], topic[MSG_TOPIC_MAX], reason[LINK_REASON_SIZE];
    if (!to_command(wall, req, &c, why, size)) {
        return OP_REFUSED;
    }
    char *payload = msg_encode_command(&c, err, sizeof(err));
    if (!payload) {
        return refuse(why, size, "%s", err);
    }
    bool sent = msg_topic_build(topic, sizeof(topic), st->wall_id, MSG_TOPIC_COMMAND, id) &&
                link_publish(st->link, topic, payload, false, reason, sizeof(reason));
    free(payload);
    if (!sent) {
        return refuse(why, size, _("cannot send to station %s: %s"), driver, reason);
    }
    st->seq = c.seq;
    st->sent++;
    *slot = (struct pending){
        .used = true,
        .deadline = av_gettime_relative() + STATION_ANSWER_S * INT64_C(1000000),
        .source = source,
    };
    snprintf(slot->id, sizeof(slot->id), "%s", c.id);
    snprintf(slot->driver, sizeof(slot->driver), "%s", driver);
    snprintf(why, size, "%s", c.id);
    log_info("station", "sent %s %s for output %s to station %s", c.id, msg_action_name(c.action),
             id, driver);
    return OP_SENT;
}

void station_await(struct station *st, const char *id, uint64_t ticket, const char *ok_text)
{
    for (int i = 0; st && i < STATION_PENDING_MAX; i++) {
        struct pending *p = &st->pending[i];
        if (p->used && strcmp(p->id, id) == 0) {
            p->ticket = ticket;
            snprintf(p->ok_text, sizeof(p->ok_text), "%s", ok_text);
        }
    }
}

/* The operator's own hands (not the socket, not another station): what
 * is refused is said on the monitor, in the OSD's language. */
static bool by_hand(enum op_source source)
{
    return source == OP_KEYBOARD || source == OP_JOYSTICK || source == OP_MOUSE ||
           source == OP_TOUCH;
}

void station_answer(struct wall *wall, struct pending *p, bool ok, const char *reason)
{
    char text[STATION_OK_TEXT + MSG_REASON_MAX + 16];
    if (ok) {
        snprintf(text, sizeof(text), "OK %s", p->ok_text[0] ? p->ok_text : p->id);
    } else {
        snprintf(text, sizeof(text), "ERR %s", reason);
    }
    if (p->ticket) {
        control_answer(wall->control, p->ticket, text);
    } else if (!ok && by_hand(p->source)) {
        char notice[sizeof(text) + MSG_NAME_MAX + 16];
        /* TRANSLATORS: a station's name, then why it refused a command */
        snprintf(notice, sizeof(notice), O_("station %s: %s"), p->driver, reason);
        operator_notify(wall, notice);
    }
    log_info("station", "%s: %s", p->id, text);
    p->used = false;
}

void station_take_ack(struct wall *wall, const char *payload, size_t len)
{
    struct station *st = wall->station;
    struct msg_ack ack;
    char err[MSG_ERROR_SIZE];
    if (!msg_decode_ack(payload, len, &ack, err, sizeof(err))) {
        log_warn("station", "ignored an ack: %s", err);
        return;
    }
    if (strcmp(ack.to, st->name) != 0) {
        return; /* for another station or system */
    }
    for (int i = 0; i < STATION_PENDING_MAX; i++) {
        struct pending *p = &st->pending[i];
        if (p->used && strcmp(p->id, ack.id) == 0) {
            station_answer(wall, p, ack.ok, ack.reason);
            return;
        }
    }
    log_info("station", "an answer to %s came after its time (%s)", ack.id,
             ack.ok ? "done" : ack.reason);
}

void station_expire(struct wall *wall, int64_t now)
{
    struct station *st = wall->station;
    for (int i = 0; i < STATION_PENDING_MAX; i++) {
        struct pending *p = &st->pending[i];
        if (p->used && now >= p->deadline) {
            char reason[MSG_NAME_MAX + 128];
            /* Said on the monitor when the operator's hands sent it. */
            locale_t before = !p->ticket && by_hand(p->source) ? i18n_osd_enter() : (locale_t)0;
            snprintf(reason, sizeof(reason), _("station %s did not answer within %d s"), p->driver,
                     STATION_ANSWER_S);
            i18n_osd_leave(before);
            st->timed_out++;
            station_answer(wall, p, false, reason);
        }
    }
}

/* ---- received ---- */

/* At most MSG_REASON_MAX bytes of `reason`, cut at a character's start: a
 * reason is UTF-8 (camera names). */
static void clip_reason(char out[MSG_REASON_MAX + 1], const char *reason)
{
    size_t n = strlen(reason) > MSG_REASON_MAX ? MSG_REASON_MAX : strlen(reason);
    while (n > 0 && ((unsigned char)reason[n] & 0xC0) == 0x80) {
        n--;
    }
    memcpy(out, reason, n);
    out[n] = '\0';
}

static void ack(struct wall *wall, const char *id, const char *to, bool ok, const char *reason)
{
    struct station *st = wall->station;
    struct msg_ack a = {.ok = ok};
    snprintf(a.id, sizeof(a.id), "%s", id);
    snprintf(a.to, sizeof(a.to), "%s", to);
    if (!ok) {
        clip_reason(a.reason, reason);
    }
    char err[MSG_ERROR_SIZE], topic[MSG_TOPIC_MAX], why[LINK_REASON_SIZE];
    char *payload = msg_encode_ack(&a, err, sizeof(err));
    if (!payload || !msg_topic_build(topic, sizeof(topic), st->wall_id, MSG_TOPIC_ACK, st->name) ||
        !link_publish(st->link, topic, payload, false, why, sizeof(why))) {
        log_warn("station", "cannot answer %s from %s: %s", id, to, payload ? why : err);
    }
    free(payload);
}

/* Whether this station answers commands for output `name`: the one that
 * drives it; for an output the layout does not have, the first station of
 * the file that is online (so that exactly one answers). */
static bool answers_for(const struct wall *wall, int output)
{
    struct station *st = wall->station;
    if (output >= 0) {
        return station_drives(st, output);
    }
    for (int s = 0; s < wall->layout->n_stations; s++) {
        const char *name = wall->layout->stations[s].name;
        if (strcmp(name, st->name) == 0) {
            return true;
        }
        const struct peer *p = station_peer_of(st, name);
        if (p && p->state == PEER_ONLINE) {
            return false;
        }
    }
    return false;
}

static struct sender *sender_of(struct station *st, const char *name, int64_t now)
{
    struct sender *oldest = &st->senders[0];
    for (int i = 0; i < STATION_SENDERS_MAX; i++) {
        struct sender *s = &st->senders[i];
        if (strcmp(s->name, name) == 0) {
            s->used_at = now;
            return s;
        }
        oldest = s->used_at < oldest->used_at ? s : oldest;
    }
    *oldest = (struct sender){.last_seq = -1, .used_at = now};
    snprintf(oldest->name, sizeof(oldest->name), "%s", name);
    return oldest;
}

/* The operator's request for a command to output `output`; false with the
 * reason when the layout cannot have it. */
static bool to_request(const struct wall *wall, const struct msg_command *c, int output,
                       struct op_request *req, char *why, size_t size)
{
    *req = (struct op_request){.output = output + 1, .tile = c->tile, .from = c->from};
    switch (c->action) {
    case MSG_ACTION_PUT:
        req->kind = OP_PUT_CAMERA;
        req->value = c->camera;
        return true;
    case MSG_ACTION_PAGE:
        req->kind = OP_PAGE;
        req->value = c->page - 1;
        return true;
    case MSG_ACTION_MAXIMIZE:
        req->kind = OP_MAXIMIZE;
        return true;
    case MSG_ACTION_RESTORE:
        req->kind = OP_RESTORE;
        return true;
    case MSG_ACTION_SELECT:
        req->kind = OP_SELECT_TILE;
        req->value = c->tile - 1;
        return true;
    case MSG_ACTION_TOUR:
        req->kind = OP_TOUR_SET;
        req->value = -1;
        if (!c->tour[0]) {
            return true; /* null: stop the tile's tour */
        }
        for (int i = 0; i < wall->layout->n_tours && req->value < 0; i++) {
            req->value = strcmp(wall->layout->tours[i].name, c->tour) == 0 ? i : -1;
        }
        if (req->value < 0) {
            refuse(why, size, _("no tour '%s'"), c->tour);
            return false;
        }
        return true;
    case MSG_ACTION_ALARM:
        req->kind = OP_ALARM_PUSH;
        req->value = c->camera;
        req->amount = c->seconds;
        return true;
    }
    refuse(why, size, _("unknown action"));
    return false;
}

/* Applies a command once: a repeat of one applied (a resend after a
 * reconnect) gets the first answer again; an older number is refused. */
static void apply(struct wall *wall, const struct msg_command *c, int output)
{
    struct station *st = wall->station;
    struct sender *s = sender_of(st, c->from, av_gettime_relative());
    if (c->seq <= s->last_seq) {
        for (int i = 0; i < STATION_RECENT; i++) {
            const struct answer *a = &s->recent[i];
            if (a->seq == c->seq) {
                st->duplicates++;
                log_info("station", "%s from %s came again: answered again, not applied", c->id,
                         c->from);
                ack(wall, c->id, c->from, a->ok, a->reason);
                return;
            }
        }
        char reason[MSG_REASON_MAX + 1];
        snprintf(reason, sizeof(reason),
                 _("sequence number %lld of %s is not new (the last was %lld): not applied"),
                 c->seq, c->from, s->last_seq);
        st->refused++;
        log_warn("station", "%s: %s", c->id, reason);
        ack(wall, c->id, c->from, false, reason);
        return;
    }
    struct op_request req;
    char why[512];
    bool ok = to_request(wall, c, output, &req, why, sizeof(why)) &&
              operator_apply(wall, OP_STATION, &req, why, sizeof(why)) != OP_REFUSED;
    struct answer *a = &s->recent[s->next];
    s->next = (s->next + 1) % STATION_RECENT;
    *a = (struct answer){.seq = c->seq, .ok = ok};
    clip_reason(a->reason, ok ? "" : why);
    s->last_seq = c->seq;
    if (ok) {
        st->applied++;
        station_publish_states(wall, false); /* the state before the answer */
    } else {
        st->refused++;
        log_info("station", "refused %s from %s: %s", c->id, c->from, why);
    }
    ack(wall, c->id, c->from, ok, why);
}

void station_take_command(struct wall *wall, const char *name, const char *payload, size_t len)
{
    struct station *st = wall->station;
    int output = -1;
    for (int i = 0; i < wall->layout->n_outputs && output < 0; i++) {
        output = strcmp(wall->layout->outputs[i].id, name) == 0 ? i : -1;
    }
    if (!answers_for(wall, output)) {
        return;
    }
    struct msg_command c;
    char err[MSG_ERROR_SIZE];
    if (!msg_decode_command(payload, len, &c, err, sizeof(err))) {
        st->refused++;
        if (c.from[0]) {
            log_warn("station", "refused a command for output %s from %s: %s", name, c.from, err);
        } else {
            log_warn("station", "refused a command for output %s: %s", name, err);
        }
        if (c.from[0]) {
            ack(wall, c.id, c.from, false, err);
        }
        return;
    }
    char reason[MSG_REASON_MAX];
    if (strcmp(c.output, name) != 0 || output < 0) {
        snprintf(reason, sizeof(reason),
                 output < 0 ? _("no output %s on this wall")
                            : _("the command names output %s but was sent to another"),
                 c.output);
        st->refused++;
        log_warn("station", "refused %s from %s: %s", c.id, c.from, reason);
        ack(wall, c.id, c.from, false, reason);
        return;
    }
    apply(wall, &c, output);
}

void station_publish_states(struct wall *wall, bool force)
{
    struct station *st = wall->station;
    if (!force && !st->unpublished && wall->screen_changes == st->published_changes) {
        return; /* nothing the operator changed since: no state to encode */
    }
    static struct msg_tile tiles[MSG_TILES_MAX];
    bool all = true;
    for (int i = 0; i < wall->n_screens && i < st->n_outputs; i++) {
        struct output_known *known = &st->outputs[i];
        if (!station_drives(st, i)) {
            continue;
        }
        struct msg_state m;
        char err[MSG_ERROR_SIZE], topic[MSG_TOPIC_MAX], reason[LINK_REASON_SIZE];
        operator_state(wall, i, &m, tiles);
        snprintf(m.station, sizeof(m.station), "%s", st->name);
        char *text = msg_encode_state(&m, err, sizeof(err)); /* seq 0: to compare */
        if (!text || (!force && known->published && strcmp(text, known->published) == 0)) {
            free(text);
            continue;
        }
        m.seq = st->state_seq + 1;
        char *payload = msg_encode_state(&m, err, sizeof(err));
        if (payload &&
            msg_topic_build(topic, sizeof(topic), st->wall_id, MSG_TOPIC_STATE, m.output) &&
            link_publish(st->link, topic, payload, true, reason, sizeof(reason))) {
            st->state_seq = m.seq;
            free(known->published);
            known->published = text;
            known->ever_published = true;
            text = NULL;
        } else {
            log_warn("station", "cannot publish the state of output %s: %s", m.output,
                     payload ? reason : err);
            all = false; /* tried again next frame */
        }
        free(payload);
        free(text);
    }
    if (all) {
        st->published_changes = wall->screen_changes;
        st->unpublished = false;
    }
}
