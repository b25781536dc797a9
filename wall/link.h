/*
 * Link: one station's connection to the wall's MQTT broker (libmosquitto).
 *
 * link_create() connects in the background: libmosquitto runs its own
 * thread (mosquitto_loop_start) that reads, writes, keeps the connection
 * alive and reconnects after a loss, waiting reconnect_min_s, then longer
 * up to reconnect_max_s between tries (mosquitto_reconnect_delay_set,
 * exponential). A broker that is down at start is no error: the link keeps
 * trying, and the station keeps running. libmosquitto's thread stops for
 * good after some errors (a failed TLS handshake, a protocol error); the
 * link notices its end and starts it again reconnect_max_s later, from the
 * next link_* call, so that a broker whose certificate gets fixed is found.
 * The host name is resolved in link_create() and at each reconnect, blocking.
 *
 * Liveness: the broker holds the last will, {"online": false, "station":
 * NAME} retained on wall/<id>/station/NAME/online, and publishes it when the
 * connection dies without a clean disconnect (a crash, SIGKILL, a network
 * lost for 1.5 keepalives). A broker stopped cleanly (SIGTERM) publishes the
 * will of every client first: a broker restart looks like every station
 * going offline, then online again as each reconnects. On every (re)connect
 * the link publishes {"online": true, "station": NAME, "since": now} there,
 * retained, subscribes again to every filter given to link_subscribe()
 * (sessions are clean: the broker keeps nothing for a station while it is
 * away), and only then reports connected: what the owner publishes after
 * link_connected() turned true comes after both.
 * link_destroy() publishes "online": false itself before it disconnects.
 *
 * The client id is the station's ("wall-<wall id>-<station>" by default):
 * a restarted station takes its old session over, and the broker publishes
 * the old connection's will before the new one's online, never after (a
 * random client id would let the old will, sent 1.5 keepalives later, say
 * offline over the new online). Two live processes with one client id
 * throw each other off in turn: one station name, one process.
 *
 * Publishing: link_publish() sends now or fails with a reason (not
 * connected, refused by the broker...); nothing is kept to send later.
 * Retained messages go with QoS 1 (libmosquitto resends the last ones in
 * flight after a reconnect); others with QoS 0: a command or an ack lost
 * with the connection is lost, and the sender's own timeout answers for it.
 * The broker drops without a word a publish its ACL refuses.
 *
 * Receiving: libmosquitto's thread copies each message (topic, payload)
 * into a bounded inbox; when the inbox is full the oldest message is
 * dropped and counted (link_dropped()). A payload over LINK_PAYLOAD_MAX is
 * not copied: its message comes with payload NULL and its real length, so
 * that messages.h refuses it by size. A retained message may come twice
 * (a subscription made again), and messages of different senders come in
 * any order; those of one sender on one topic come in order.
 *
 * TLS: `ca` enables it (mqtts); `cert` and `key` add a client certificate
 * (both or neither). Keys with a passphrase fail at connect, never prompted
 * for. The broker's certificate must name `host` (a DNS name, or an IP
 * address in its subjectAltName).
 *
 * Logs name the broker, the station and the client id, never the password.
 * libmosquitto's own lines go to the log at debug level (errors and
 * warnings at warn).
 *
 * Ownership: copies the configuration; link_take() gives its strings to the
 * caller. Threads: every link_* call from one thread, the owner (the render
 * thread); libmosquitto's thread fills the inbox and the connection state
 * under the link's lock. mosquitto_new() sets SIGPIPE to SIG_IGN for the
 * whole process.
 */
#ifndef WALL_LINK_H
#define WALL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wall/messages.h"

#define LINK_PAYLOAD_MAX MSG_PAYLOAD_MAX
#define LINK_REASON_SIZE 160 /* a reason buffer this big is never cut */

struct link_config {
    const char *host; /* name or address of the broker */
    int port;         /* 0: 1883, or 8883 with TLS */
    const char *ca;   /* TLS: CA file that signs the broker; NULL: plain TCP */
    const char *cert; /* TLS client certificate, or NULL */
    const char *key;  /* its private key (no passphrase), or NULL */
    const char *username;
    const char *password;  /* NULL: no credentials */
    const char *wall_id;   /* topics are under wall/<wall_id>/ */
    const char *station;   /* this station's name */
    const char *client_id; /* NULL: "wall-<wall_id>-<station>" */
    int keepalive_s;       /* 0: 5 (the smallest libmosquitto accepts) */
    int reconnect_min_s;   /* 0: 1 */
    int reconnect_max_s;   /* 0: 30 */
    int inbox_size;        /* messages held for link_take(); 0: 256 */
};

/* A received message; link_take() gives the caller its strings. */
struct link_message {
    char *topic;
    char *payload;      /* payload_len bytes and a NUL; NULL when over LINK_PAYLOAD_MAX */
    size_t payload_len; /* the length as received */
    bool retained;      /* a retained message the broker sent on subscribing */
};

struct link;

/* Starts connecting. NULL (logged, one line) on an invalid configuration
 * (bad names, port, TLS files that cannot be read) or when libmosquitto
 * fails to start; never because the broker is unreachable. Calls
 * mosquitto_lib_init() (counted: one per link, undone by link_destroy()). */
struct link *link_create(const struct link_config *config);

/* Publishes "online": false (when connected), disconnects, stops
 * libmosquitto's thread and frees the messages still in the inbox.
 * NULL-safe. Waits for libmosquitto's thread: a reconnect in progress to a
 * host that does not answer delays it up to the system's TCP connect
 * timeout. */
void link_destroy(struct link *link);

/* True while the broker has accepted the connection. */
bool link_connected(struct link *link);

/* Subscribes to a topic filter (wildcards allowed, QoS 1) now if
 * connected, and on every reconnect. False (with reason) for an invalid
 * filter, or when the subscription cannot be sent now although connected
 * (it is still made again on the next reconnect). The broker's retained
 * messages under the filter follow the subscription. */
bool link_subscribe(struct link *link, const char *filter, char *reason, size_t reason_size);

/* Publishes payload (a NUL-terminated text; "" with retained clears the
 * topic's retained message). False with a reason when not connected
 * ("not connected to the broker HOST:PORT: connection refused"), for an
 * invalid topic, a payload over LINK_PAYLOAD_MAX, or when libmosquitto
 * refuses it. reason may be NULL. */
bool link_publish(struct link *link, const char *topic, const char *payload, bool retained,
                  char *reason, size_t reason_size);

/* Moves the oldest message of the inbox into *out; false when it is empty.
 * Free what it gives with link_message_finish(). Never blocks. */
bool link_take(struct link *link, struct link_message *out);
void link_message_finish(struct link_message *message);

/* Waits up to timeout_ms until something happened since the previous
 * link_wait() returned (or since link_create()): a message arrived, or the
 * connection was made, refused or lost. True when something did. For tests
 * and tools; the render thread polls link_take() instead. */
bool link_wait(struct link *link, int timeout_ms);

/* Messages dropped because the inbox was full, since link_create(). */
uint64_t link_dropped(struct link *link);

/* Times the broker accepted this link, since link_create(). */
uint64_t link_connects(struct link *link);

#endif
