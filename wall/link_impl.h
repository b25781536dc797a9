/*
 * Inside the link: what link.c (the owner's calls) and link_loop.c
 * (libmosquitto's thread) share. No other file includes this.
 *
 * Locks: libmosquitto is never called with link->lock held. libmosquitto
 * calls on_log() with its own log lock held, from either thread, and
 * on_log() takes link->lock: holding ours while calling it could deadlock.
 */
#ifndef WALL_LINK_IMPL_H
#define WALL_LINK_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "wall/link.h"
#include "wall/messages.h"

#define QOS_RETAINED  1 /* retained messages: resent after a reconnect */
#define QOS_TRANSIENT 0 /* commands and acks: the sender's timeout answers */

struct link {
    struct mosquitto *mosq;
    char *host;
    int port;
    char *station;
    char *client_id;
    char online_topic[MSG_TOPIC_MAX];
    int backoff_max_s;
    int inbox_size;
    pthread_t owner;      /* the thread that calls link_* (render thread) */
    pthread_key_t marker; /* set on libmosquitto's thread: its end calls link_loop_ended() */
    bool marker_made;
    /* libmosquitto's thread was started and not joined: the owner's; the
     * joiner of link_stop_loop() clears it under the lock while the owner
     * waits for it there. */
    bool loop_running;

    pthread_mutex_t lock;   /* guards every field below */
    pthread_cond_t changed; /* an event: a message, a connect, a disconnect */
    bool connected;
    char why[LINK_REASON_SIZE];   /* why not connected, for link_publish() */
    char error[LINK_REASON_SIZE]; /* libmosquitto's last error line */
    bool loop_ended;              /* libmosquitto's thread returned */
    struct timespec ended_at;
    char **filters;
    int n_filters;
    struct link_message *inbox; /* ring of inbox_size */
    int head, count;
    uint64_t dropped, connects;
    uint64_t events, events_waited; /* link_wait() returns when they differ */
};

struct timespec link_now(void); /* CLOCK_MONOTONIC */

/* Installs on_connect, on_disconnect, on_message and on_log. */
void link_set_callbacks(struct link *link);

/* The payload of the station's online topic (online: with "since" now), from
 * malloc(); NULL when out of memory. */
char *link_online_payload(const struct link *link, bool online);

/* The destructor of link->marker: libmosquitto's thread has ended. */
void link_loop_ended(void *arg);

/* Ends libmosquitto's thread (it says disconnect first) and joins it. */
void link_stop_loop(struct link *link);

/* Starts libmosquitto's thread again when it ended on an error it does not
 * retry, once the longest back-off has passed since. */
void link_restart_ended_loop(struct link *link);

#endif
