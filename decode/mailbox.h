/*
 * Mailbox: hands the newest decoded frame from a feed thread to the render
 * thread. Latest wins: posting a frame while an older one is still waiting
 * frees the older one and counts it as dropped. Nothing ever queues.
 *
 * Ownership: mailbox_put() takes the caller's AVFrame reference; the
 * mailbox holds at most one frame; mailbox_take() hands that reference to
 * the caller, who frees it with av_frame_free(). Together with the frame
 * the renderer is showing, a feed keeps at most two frames alive.
 *
 * Threads: one producer and one consumer, any threads. `lock` guards
 * `frame`; the counters are atomic so statistics can be read lock-free.
 */
#ifndef WALL_DECODE_MAILBOX_H
#define WALL_DECODE_MAILBOX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct AVFrame;

struct mailbox {
    pthread_mutex_t lock;
    struct AVFrame *frame;        /* guarded by lock */
    atomic_uint_fast64_t posted;  /* frames put */
    atomic_uint_fast64_t taken;   /* frames handed to the consumer */
    atomic_uint_fast64_t dropped; /* frames replaced before anyone took them */
};

/* False when its lock cannot be made: the mailbox is then unusable and
 * must not be finished. */
bool mailbox_init(struct mailbox *box);
/* Frees a frame still waiting. */
void mailbox_finish(struct mailbox *box);

/* Takes ownership of `frame` (NULL is ignored). */
void mailbox_put(struct mailbox *box, struct AVFrame *frame);

/* The newest frame not yet taken, now owned by the caller, or NULL. */
struct AVFrame *mailbox_take(struct mailbox *box);

#endif
