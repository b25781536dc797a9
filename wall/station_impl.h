/*
 * Inside the station: what station.c (connection, liveness, failover,
 * states) and station_commands.c (commands sent and received) share.
 * Nothing else includes this. Threads: render thread only.
 */
#ifndef WALL_STATION_IMPL_H
#define WALL_STATION_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "wall/link.h"
#include "wall/messages.h"
#include "wall/station.h"

#define STATION_PEERS_MAX   64  /* stations of one wall */
#define STATION_PENDING_MAX 64  /* commands sent and not answered yet */
#define STATION_SENDERS_MAX 64  /* senders whose sequence numbers are remembered */
#define STATION_RECENT      16  /* answers remembered per sender, for repeats */
#define STATION_OK_TEXT     256 /* the socket's "OK ..." text of a command sent */

enum peer_state {
    PEER_UNKNOWN, /* nothing heard since this station connected */
    PEER_ONLINE,
    PEER_OFFLINE,
};

struct peer {
    char name[MSG_NAME_MAX + 1];
    enum peer_state state;
    int64_t offline_at;        /* when the offline state arrived */
    uint64_t offline_connects; /* link_connects() then: the link stayed up since? */
    bool taken;                /* this standby drives its outputs now */
};

/* A command this station sent, waiting for its answer. */
struct pending {
    bool used;
    char id[MSG_NAME_MAX + 1];
    char driver[MSG_NAME_MAX + 1];
    int64_t deadline;
    enum op_source source;
    uint64_t ticket; /* the control socket's deferred reply; 0: none */
    char ok_text[STATION_OK_TEXT];
};

/* The answer given to one command of a sender. */
struct answer {
    long long seq;
    bool ok;
    char reason[MSG_REASON_MAX + 1];
};

/* What this station remembers of a sender's commands. */
struct sender {
    char name[MSG_NAME_MAX + 1]; /* "": free */
    long long last_seq;          /* the highest applied */
    struct answer recent[STATION_RECENT];
    int next; /* where the next answer goes in `recent` */
    int64_t used_at;
};

/* What this station knows of one output (by layout output index). */
struct output_known {
    char writer[MSG_NAME_MAX + 1]; /* the station of its last state; "" none */
    char *published;               /* its state as this station last published it */
    struct msg_state retained;     /* held until the sync (driven outputs only) */
    bool has_retained;
    bool ever_published; /* by this station, since it started */
};

struct station {
    char *name;
    char *wall_id;
    char *broker; /* the URL, for messages and statistics */
    struct link *link;
    uint64_t connects; /* link_connects() when last seen */
    bool synced;       /* the retained states since the last connect are in */
    char sync_topic[MSG_TOPIC_MAX];
    char sync_token[32];
    struct peer peers[STATION_PEERS_MAX];
    int n_peers;
    struct output_known *outputs;
    int n_outputs;
    const struct layout_wall *layout; /* the layout in force when last ticked */
    long long seq;                    /* the last command's */
    long long state_seq;              /* the last published state's */
    uint64_t published_changes;       /* wall->screen_changes when all was published */
    bool unpublished;                 /* an output to publish whatever the changes say */
    struct pending pending[STATION_PENDING_MAX];
    struct sender senders[STATION_SENDERS_MAX];
    char banner[512];
    uint64_t sent, applied, refused, duplicates, timed_out;
};

/* The peer called `name`, or NULL. */
struct peer *station_peer(struct station *st, const char *name);
const struct peer *station_peer_of(const struct station *st, const char *name);

/* Index of the station of the layout that drives output `output` by the
 * file (-1: none). */
int station_owner(const struct layout_wall *layout, int output);

/* Takes a command from the broker (topic output/<name>/command) and, when
 * this station answers for that output, applies it and acks. */
void station_take_command(struct wall *wall, const char *output, const char *payload, size_t len);

/* Takes an ack (topic station/<name>/ack) meant for this station. */
void station_take_ack(struct wall *wall, const char *payload, size_t len);

/* Answers the commands whose time ran out. */
void station_expire(struct wall *wall, int64_t now);

/* Publishes the state of every driven output that changed since it was
 * last published (all of them with `force`). */
void station_publish_states(struct wall *wall, bool force);

/* Answers a command sent from here: to the socket, or on the OSD. */
void station_answer(struct wall *wall, struct pending *p, bool ok, const char *reason);

#endif
