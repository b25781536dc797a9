/* The station's connection, what it knows of its peers and of every
 * output, failover, and the states it publishes (wall/station.h). */
#include "wall/station.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/station_impl.h"
#include "wall/wall_impl.h"

#define SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt" /* mqtts:// without broker_tls.ca */

int station_owner(const struct layout_wall *layout, int output)
{
    for (int s = 0; s < layout->n_stations; s++) {
        const struct layout_station *st = &layout->stations[s];
        for (int i = 0; i < st->n_outputs; i++) {
            if (st->outputs[i] == output) {
                return s;
            }
        }
    }
    return -1;
}

bool station_may_drive(const struct layout_wall *layout, const char *name, int output)
{
    const struct layout_station *me = name ? layout_find_station(layout, name) : NULL;
    if (!me) {
        return true;
    }
    int owner = station_owner(layout, output);
    if (owner < 0) {
        return false;
    }
    if (&layout->stations[owner] == me) {
        return true;
    }
    for (int i = 0; i < me->n_standby_for; i++) {
        if (me->standby_for[i] == owner) {
            return true;
        }
    }
    return false;
}

const struct peer *station_peer_of(const struct station *st, const char *name)
{
    for (int i = 0; st && i < st->n_peers; i++) {
        if (strcmp(st->peers[i].name, name) == 0) {
            return &st->peers[i];
        }
    }
    return NULL;
}

struct peer *station_peer(struct station *st, const char *name)
{
    return (struct peer *)station_peer_of(st, name);
}

bool station_drives(const struct station *st, int output)
{
    if (!st) {
        return true;
    }
    int owner = station_owner(st->layout, output);
    if (owner < 0) {
        return false;
    }
    const char *name = st->layout->stations[owner].name;
    if (strcmp(name, st->name) == 0) {
        return true;
    }
    const struct peer *p = station_peer_of(st, name);
    return p && p->taken;
}

const char *station_driver_name(const struct station *st, int output)
{
    if (!st) {
        return "";
    }
    int owner = station_owner(st->layout, output);
    if (owner < 0) {
        return "";
    }
    const char *name = st->layout->stations[owner].name;
    const struct peer *p = station_peer_of(st, name);
    if (station_drives(st, output) || !p || p->state == PEER_ONLINE) {
        return station_drives(st, output) ? st->name : name;
    }
    /* The owner is away: a standby that published the output since drives it. */
    const char *writer = st->outputs[output].writer;
    const struct peer *w = writer[0] ? station_peer_of(st, writer) : NULL;
    return w && w->state == PEER_ONLINE && strcmp(writer, name) != 0 ? writer : name;
}

/* The peers of the layout's stations (all but this one), keeping what was
 * known of those that stay. */
static bool set_peers(struct station *st, const struct layout_wall *layout)
{
    struct peer old[STATION_PEERS_MAX];
    int n_old = st->n_peers;
    memcpy(old, st->peers, sizeof(old));
    st->n_peers = 0;
    for (int s = 0; s < layout->n_stations; s++) {
        const char *name = layout->stations[s].name;
        if (strcmp(name, st->name) == 0) {
            continue;
        }
        if (st->n_peers == STATION_PEERS_MAX) {
            log_error("station", "more than %d stations: not supported", STATION_PEERS_MAX);
            return false;
        }
        struct peer *p = &st->peers[st->n_peers++];
        *p = (struct peer){.state = PEER_UNKNOWN};
        snprintf(p->name, sizeof(p->name), "%s", name);
        for (int i = 0; i < n_old; i++) {
            if (strcmp(old[i].name, name) == 0) {
                *p = old[i];
            }
        }
    }
    return true;
}

/* What is known of each output, by the layout's output index; carried over
 * by id from the previous layout. */
static bool set_outputs(struct station *st, const struct layout_wall *layout)
{
    struct output_known *fresh = calloc((size_t)layout->n_outputs + 1, sizeof(*fresh));
    if (!fresh) {
        return false;
    }
    for (int i = 0; i < layout->n_outputs; i++) {
        for (int j = 0; st->layout && j < st->n_outputs; j++) {
            if (strcmp(st->layout->outputs[j].id, layout->outputs[i].id) == 0) {
                fresh[i] = st->outputs[j];
                st->outputs[j] = (struct output_known){0};
            }
        }
    }
    for (int j = 0; j < st->n_outputs; j++) {
        free(st->outputs[j].published);
        msg_state_finish(&st->outputs[j].retained);
    }
    free(st->outputs);
    st->outputs = fresh;
    st->n_outputs = layout->n_outputs;
    st->layout = layout;
    return true;
}

bool station_relayout(struct station *st, const struct layout_wall *layout, char *why, size_t size)
{
    if (!st) {
        return true;
    }
    if (!layout_find_station(layout, st->name)) {
        snprintf(why, size, _("the new layout has no station %s (this station)"), st->name);
        return false;
    }
    if (!set_peers(st, layout) || !set_outputs(st, layout)) {
        snprintf(why, size, "%s", _("out of memory"));
        return false;
    }
    return true;
}

/* Subscribes to `filter` now and at every reconnect. A subscription that
 * cannot be sent now is made again at the next reconnect: said, not fatal. */
static void subscribe(struct station *st, const char *filter)
{
    char reason[LINK_REASON_SIZE];
    if (!link_subscribe(st->link, filter, reason, sizeof(reason))) {
        log_warn("station", "cannot subscribe to %s: %s", filter, reason);
    }
}

static struct link *connect_link(struct station *st, const struct layout_wall *layout,
                                 const struct layout_station *me, const char *url)
{
    struct layout_broker broker = {0};
    char err[256];
    if (url && !layout_broker_parse_url(url, &broker, err, sizeof(err))) {
        log_error("station", "--broker: %s", err);
        return NULL;
    }
    const struct layout_broker *b = url ? &broker : &layout->broker;
    st->broker = strdup(b->url);
    struct link_config config = {
        .host = b->host,
        .port = b->port,
        .ca = b->tls ? (layout->broker.ca ? layout->broker.ca : SYSTEM_CA) : NULL,
        .cert = b->tls ? layout->broker.cert : NULL,
        .key = b->tls ? layout->broker.key : NULL,
        .username = me->username,
        .password = me->password,
        .wall_id = st->wall_id,
        .station = st->name,
    };
    struct link *link = st->broker ? link_create(&config) : NULL;
    layout_broker_finish(&broker);
    return link;
}

struct station *station_create(const struct layout_wall *layout, const char *name,
                               const char *broker_url)
{
    const struct layout_station *me = layout_find_station(layout, name);
    if (!me || !layout->broker.url) {
        if (layout->n_stations) {
            log_error("station", "the layout %s has no station '%s'", layout->path, name);
        } else {
            log_error("station",
                      "the layout %s has no station '%s' (it names no stations: run it without "
                      "--station)",
                      layout->path, name);
        }
        return NULL;
    }
    struct station *st = calloc(1, sizeof(*st));
    if (!st || !(st->name = strdup(name)) || !(st->wall_id = strdup(layout->broker.wall_id)) ||
        !set_peers(st, layout) || !set_outputs(st, layout)) {
        station_destroy(st);
        return NULL;
    }
    /* Growing across restarts: a restarted sender's commands are new. */
    st->seq = (long long)time(NULL) * 1000 * 1000;
    snprintf(st->sync_topic, sizeof(st->sync_topic), "wall/%s/station/%s/sync", st->wall_id,
             st->name);
    if (!(st->link = connect_link(st, layout, me, broker_url))) {
        station_destroy(st);
        return NULL;
    }
    static const enum msg_topic_kind kinds[] = {MSG_TOPIC_ONLINE, MSG_TOPIC_ACK, MSG_TOPIC_STATE,
                                                MSG_TOPIC_COMMAND};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        char filter[MSG_TOPIC_MAX];
        if (!msg_topic_build(filter, sizeof(filter), st->wall_id, kinds[i], NULL)) {
            station_destroy(st); /* names are checked by the layout: never */
            return NULL;
        }
        subscribe(st, filter);
    }
    subscribe(st, st->sync_topic);
    log_info("station", "station %s of wall %s, broker %s", st->name, st->wall_id, st->broker);
    return st;
}

void station_destroy(struct station *st)
{
    if (!st) {
        return;
    }
    link_destroy(st->link);
    for (int i = 0; i < st->n_outputs; i++) {
        free(st->outputs[i].published);
        msg_state_finish(&st->outputs[i].retained);
    }
    free(st->outputs);
    free(st->name);
    free(st->wall_id);
    free(st->broker);
    free(st);
}

static int output_index(const struct layout_wall *layout, const char *id)
{
    for (int i = 0; i < layout->n_outputs; i++) {
        if (strcmp(layout->outputs[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

/* Whether `writer` may publish the state of output `output`: its owner by
 * the file, or a standby of its owner. */
static bool may_write(const struct layout_wall *layout, const char *writer, int output)
{
    int owner = station_owner(layout, output);
    const struct layout_station *w = layout_find_station(layout, writer);
    if (owner < 0 || !w) {
        return false;
    }
    if (w == &layout->stations[owner]) {
        return true;
    }
    for (int i = 0; i < w->n_standby_for; i++) {
        if (w->standby_for[i] == owner) {
            return true;
        }
    }
    return false;
}

static void audit_output(struct wall *wall, const char *action, int output, const char *key,
                         const char *who)
{
    char source[MSG_NAME_MAX + 16], details[256];
    snprintf(source, sizeof(source), "station:%s", wall->station->name);
    snprintf(details, sizeof(details), "output=%s %s=%s", wall->layout->outputs[output].id, key,
             who);
    audit_write(wall->audit, source, action, details);
}

/* Shows a state on an output this station drives (a restore at start, or
 * what a standby left), audited. */
static void restore(struct wall *wall, int output, const struct msg_state *state)
{
    char why[512];
    bool ok = operator_adopt(wall, output, state, why, sizeof(why));
    const char *id = wall->layout->outputs[output].id;
    if (ok) {
        audit_output(wall, "restore", output, "from", state->station);
        log_info("station", "output %s shows again what station %s published%s%s", id,
                 state->station, why[0] ? " except: " : "", why);
    } else {
        log_warn("station", "output %s: the state station %s published cannot be shown: %s", id,
                 state->station, why);
    }
}

static void take_state(struct wall *wall, const char *name, const struct link_message *m)
{
    struct station *st = wall->station;
    int output = output_index(wall->layout, name);
    struct msg_state state;
    char err[MSG_ERROR_SIZE], why[512];
    if (output < 0 || !m->payload || m->payload_len == 0) {
        return; /* another layout's output, or a retained state cleared */
    }
    if (!msg_decode_state(m->payload, m->payload_len, &state, err, sizeof(err))) {
        log_warn("station", "ignored the state of output %s: %s", name, err);
        return;
    }
    struct output_known *known = &st->outputs[output];
    if (strcmp(state.output, name) != 0 || !may_write(wall->layout, state.station, output)) {
        log_warn("station",
                 "ignored a state of output %s written as station %s, which does not "
                 "drive it by the layout file",
                 name, state.station);
    } else if (strcmp(state.station, st->name) == 0) {
        /* Our own, as the broker holds it. */
    } else if (!station_drives(st, output)) {
        snprintf(known->writer, sizeof(known->writer), "%s", state.station);
        if (!operator_adopt(wall, output, &state, why, sizeof(why)) || why[0]) {
            log_debug("station", "output %s as %s shows it: %s", name, state.station, why);
        }
    } else if (!st->synced) {
        snprintf(known->writer, sizeof(known->writer), "%s", state.station);
        msg_state_finish(&known->retained);
        known->retained = state; /* shown once every retained state is in */
        known->has_retained = true;
        return;
    }
    msg_state_finish(&state);
}

static void take_online(struct wall *wall, const char *name, const struct link_message *m,
                        int64_t now)
{
    struct station *st = wall->station;
    struct msg_online online;
    char err[MSG_ERROR_SIZE];
    struct peer *p = station_peer(st, name);
    if (!p || !m->payload || m->payload_len == 0) {
        return; /* ourselves, or not a station of this layout */
    }
    if (!msg_decode_online(m->payload, m->payload_len, &online, err, sizeof(err)) ||
        strcmp(online.station, name) != 0) {
        log_warn("station", "ignored the online state of station %s: %s", name,
                 err[0] ? err : _("it names another station"));
        return;
    }
    enum peer_state state = online.online ? PEER_ONLINE : PEER_OFFLINE;
    if (state == p->state) {
        return;
    }
    if (state == PEER_OFFLINE) {
        /* A retained offline is as old as anyone's guess: after a broker
         * restart it may be the will of a station reconnecting now. */
        p->offline_at = now + (m->retained ? STATION_RETAINED_WAIT_S - STATION_TAKEOVER_S : 0) *
                                  INT64_C(1000000);
        p->offline_connects = st->connects;
        log_warn("station", "station %s is offline", name);
    } else {
        log_info("station", "station %s is online%s%s%s", name, online.since[0] ? " (since " : "",
                 online.since, online.since[0] ? ")" : "");
    }
    p->state = state;
}

/* The retained states are in: show them on the outputs this station drives
 * (see station.h), then publish every one. */
static void synced(struct wall *wall)
{
    struct station *st = wall->station;
    st->synced = true;
    for (int i = 0; i < st->n_outputs; i++) {
        struct output_known *known = &st->outputs[i];
        if (known->has_retained && station_drives(st, i) &&
            (!known->ever_published || strcmp(known->retained.station, st->name) != 0)) {
            restore(wall, i, &known->retained);
        }
        msg_state_finish(&known->retained);
        known->has_retained = false;
    }
    log_info("station", "in step with the broker %s", st->broker);
    station_publish_states(wall, true);
}

/* A new connection: nothing known of the peers until the broker says; the
 * retained states are read again before publishing (the sync marker). */
static void connected(struct station *st)
{
    st->connects = link_connects(st->link);
    st->synced = false;
    st->sync_token[0] = '\0';
    for (int i = 0; i < st->n_peers; i++) {
        st->peers[i].state = PEER_UNKNOWN;
    }
}

static void send_sync(struct station *st)
{
    char token[sizeof(st->sync_token)];
    snprintf(token, sizeof(token), "%llu-%lld", (unsigned long long)st->connects,
             (long long)time(NULL));
    if (link_publish(st->link, st->sync_topic, token, false, NULL, 0)) {
        snprintf(st->sync_token, sizeof(st->sync_token), "%s", token);
    }
}

static void dispatch(struct wall *wall, const struct link_message *m, int64_t now)
{
    struct station *st = wall->station;
    enum msg_topic_kind kind;
    char name[MSG_NAME_MAX + 1];
    if (strcmp(m->topic, st->sync_topic) == 0) {
        if (!st->synced && st->sync_token[0] && m->payload &&
            strcmp(m->payload, st->sync_token) == 0) {
            synced(wall);
        }
        return;
    }
    if (!msg_topic_parse(m->topic, st->wall_id, &kind, name)) {
        return;
    }
    switch (kind) {
    case MSG_TOPIC_ONLINE:
        take_online(wall, name, m, now);
        break;
    case MSG_TOPIC_STATE:
        take_state(wall, name, m);
        break;
    case MSG_TOPIC_COMMAND:
        if (st->synced) {
            station_take_command(wall, name, m->payload, m->payload_len);
        }
        break;
    case MSG_TOPIC_ACK:
        station_take_ack(wall, m->payload, m->payload_len);
        break;
    }
}

/* The outputs of station `owner` (a layout index), as "a, b". */
static void outputs_of(const struct layout_wall *layout, int owner, char *buf, size_t size)
{
    buf[0] = '\0';
    const struct layout_station *s = &layout->stations[owner];
    for (int i = 0; i < s->n_outputs; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ", " : "", layout->outputs[s->outputs[i]].id);
    }
}

/* A standby takes over the outputs of a station offline long enough, with
 * its own link up all along, and hands them back once it is online. */
static void fail_over(struct wall *wall, int64_t now)
{
    struct station *st = wall->station;
    const struct layout_station *me = layout_find_station(wall->layout, st->name);
    for (int k = 0; me && k < me->n_standby_for; k++) {
        int owner = me->standby_for[k];
        const struct layout_station *o = &wall->layout->stations[owner];
        struct peer *p = station_peer(st, o->name);
        bool take = !p->taken && p->state == PEER_OFFLINE && st->synced &&
                    p->offline_connects == st->connects &&
                    now - p->offline_at >= STATION_TAKEOVER_S * INT64_C(1000000);
        bool give = p->taken && p->state == PEER_ONLINE;
        if (!take && !give) {
            continue;
        }
        p->taken = take;
        char list[512];
        outputs_of(wall->layout, owner, list, sizeof(list));
        for (int i = 0; i < o->n_outputs; i++) {
            audit_output(wall, take ? "takeover" : "handback", o->outputs[i], take ? "from" : "to",
                         o->name);
            free(st->outputs[o->outputs[i]].published);
            st->outputs[o->outputs[i]].published = NULL;
        }
        st->unpublished = true; /* outputs driven now whose state is not out yet */
        if (take) {
            log_warn("station", "station %s is offline: taking over %s", o->name, list);
        } else {
            log_info("station", "station %s is back: handing %s back", o->name, list);
        }
    }
}

static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len > 0 && len + 5 < size) {
        len += (size_t)snprintf(buf + len, size - len, "  |  ");
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static void make_banner(struct wall *wall)
{
    struct station *st = wall->station;
    st->banner[0] = '\0';
    if (!link_connected(st->link)) {
        append(st->banner, sizeof(st->banner),
               O_("BROKER %s UNREACHABLE: other stations cannot be commanded"), st->broker);
        return;
    }
    for (int i = 0; i < st->n_peers; i++) {
        const struct peer *p = &st->peers[i];
        if (p->state == PEER_OFFLINE) {
            append(st->banner, sizeof(st->banner), O_("STATION %s OFFLINE"), p->name);
        }
        if (p->taken) {
            /* TRANSLATORS: this standby station shows the outputs of station %s */
            append(st->banner, sizeof(st->banner), O_("standing in for %s"), p->name);
        }
    }
}

void station_tick(struct wall *wall, int64_t now)
{
    struct station *st = wall->station;
    if (!st) {
        return;
    }
    st->layout = wall->layout;
    if (link_connects(st->link) != st->connects) {
        connected(st);
    }
    if (!st->synced && !st->sync_token[0] && link_connected(st->link)) {
        send_sync(st);
    }
    struct link_message m;
    for (int budget = 0; budget < 1024 && link_take(st->link, &m); budget++) {
        dispatch(wall, &m, now);
        link_message_finish(&m);
    }
    fail_over(wall, now);
    station_expire(wall, now);
    if (st->synced && link_connected(st->link)) {
        station_publish_states(wall, false);
    }
    make_banner(wall);
}

const char *station_banner(const struct station *st)
{
    return st ? st->banner : "";
}

static const char *peer_state_name(enum peer_state state)
{
    return state == PEER_ONLINE ? "online" : state == PEER_OFFLINE ? "offline" : "unknown";
}

void station_write_stats(const struct station *st, const struct layout_wall *layout,
                         struct json *j)
{
    if (!st) {
        return;
    }
    json_key(j, "station");
    json_begin_object(j);
    json_field_string(j, "name", st->name);
    json_field_string(j, "broker", st->broker);
    json_field_bool(j, "connected", link_connected(st->link));
    json_field_bool(j, "synced", st->synced);
    json_field_uint(j, "connects", link_connects(st->link));
    json_key(j, "drives");
    json_begin_array(j);
    for (int i = 0; i < layout->n_outputs; i++) {
        if (station_drives(st, i)) {
            json_string(j, layout->outputs[i].id);
        }
    }
    json_end_array(j);
    json_key(j, "drivers"); /* who drives each output, as far as this station knows */
    json_begin_object(j);
    for (int i = 0; i < layout->n_outputs; i++) {
        json_field_string(j, layout->outputs[i].id, station_driver_name(st, i));
    }
    json_end_object(j);
    json_key(j, "peers");
    json_begin_object(j);
    for (int i = 0; i < st->n_peers; i++) {
        json_field_string(j, st->peers[i].name, peer_state_name(st->peers[i].state));
    }
    json_end_object(j);
    json_field_uint(j, "commands_sent", st->sent);
    json_field_uint(j, "commands_applied", st->applied);
    json_field_uint(j, "commands_refused", st->refused);
    json_field_uint(j, "duplicates", st->duplicates);
    json_field_uint(j, "answers_timed_out", st->timed_out);
    json_field_uint(j, "messages_dropped", link_dropped(st->link));
    json_end_object(j);
}
