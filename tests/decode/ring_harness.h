/*
 * What the ring and replay-feed tests share (tests/decode/test_ring.c,
 * test_replay_feed.c): made-up packets with the arrival times a test
 * chooses, and short readers of a ring's statistics.
 */
#ifndef WALL_TESTS_DECODE_RING_HARNESS_H
#define WALL_TESTS_DECODE_RING_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/ring.h"

#define S           INT64_C(1000000)
#define HOUR        (3600 * S)
#define DEADLINE_US (30 * S) /* a failure guard, not a timing claim */
#define PAYLOAD     1000
#define WALL_OFFSET (INT64_C(1700000000) * S) /* made-up wall clock: arrival + this */

/* Packet `tag` (its payload is the byte `tag`), a key frame or not. Aborts
 * when out of memory: it also runs on threads where cmocka cannot fail. */
void ringtest_push(struct ring *ring, bool key, int tag, int64_t arrival_us);

/* Packets from..to-1, tagged with their index, a key frame every `gop`,
 * arriving `step_us` apart from 0. */
void ringtest_push_run(struct ring *ring, int from, int to, int gop, int64_t step_us);

/* A new H.264 segment of `width` x 360. */
void ringtest_begin(struct ring *ring, int width);

struct ring_stats ringtest_stats_of(struct ring *ring);
struct ring_pool_stats ringtest_pool_stats_of(struct ring_pool *pool);

/* The sequence number of the ring's first packet (-1: empty). */
int64_t ringtest_first_seq(struct ring *ring);

#endif
