/* Pre-roll rings (decode/ring.h) with made-up packets, whose arrival times
 * the tests choose (no clock). Run under ASan/UBSan in CI: a reader that
 * outlives its ring must neither leak nor touch freed memory. Replays of
 * a ring are in test_replay_feed.c. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/time.h>

#include "decode/feed.h"
#include "decode/ring.h"
#include "ring_harness.h"

#define BIG_CAP (INT64_C(1) << 30)

/* Reads `seq` and checks it is packet `tag` of segment `segment_id`. */
static void expect_packet(struct ring *ring, int64_t seq, int tag, int segment_id)
{
    struct ring_packet out;
    assert_int_equal(ring_read(ring, seq, &out), RING_PACKET);
    assert_int_equal(out.seq, seq);
    assert_int_equal(out.packet->size, PAYLOAD);
    assert_int_equal(out.packet->data[0], tag & 0xff);
    assert_int_equal(out.packet->data[PAYLOAD - 1], tag & 0xff);
    assert_int_equal(out.wall_us - out.arrival_us, WALL_OFFSET);
    assert_int_equal(out.segment->id, segment_id);
    ring_packet_finish(&out);
    assert_null(out.packet);
    assert_null(out.segment);
}

/* What one packet of PAYLOAD bytes costs against the cap (its payload and
 * the ring's bookkeeping), learnt from a ring rather than assumed. */
static int64_t packet_cost(void)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "cost");
    ringtest_begin(ring, 640);
    ringtest_push(ring, true, 0, 0);
    int64_t cost = ringtest_stats_of(ring).bytes;
    assert_true(cost >= PAYLOAD);
    ring_unref(ring);
    ring_pool_destroy(pool);
    return cost;
}

static void ring_starts_at_a_key_frame(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    assert_non_null(pool);
    struct ring *ring = ring_create(pool, "camera 1");
    assert_non_null(ring);
    ringtest_push(ring, true, 0, 0); /* before any segment began: not kept */
    assert_int_equal(ringtest_stats_of(ring).packets, 0);
    ringtest_begin(ring, 640);
    for (int i = 1; i <= 3; i++) {
        ringtest_push(ring, false, i, i * 1000);
    }
    assert_int_equal(ringtest_stats_of(ring).packets, 0);
    assert_int_equal(ringtest_stats_of(ring).bytes, 0);
    assert_int_equal(ringtest_first_seq(ring), -1);
    ringtest_push(ring, true, 4, 4000);
    ringtest_push(ring, false, 5, 5000);
    struct ring_stats st = ringtest_stats_of(ring);
    assert_int_equal(st.packets, 2);
    assert_int_equal(st.span_us, 1000);
    assert_int_equal(ringtest_pool_stats_of(pool).bytes, st.bytes);
    assert_int_equal(ringtest_first_seq(ring), 0); /* dropped packets take no number */
    struct ring_packet out;
    assert_int_equal(ring_read(ring, 0, &out), RING_PACKET);
    assert_true(out.packet->flags & AV_PKT_FLAG_KEY);
    ring_packet_finish(&out);
    expect_packet(ring, 0, 4, 1);
    expect_packet(ring, 1, 5, 1);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void age_drops_a_gop_once_the_next_covers_keep(void **state)
{
    /* GOPs of 5 packets 100 ms apart (0.5 s); keep 1 s. */
    struct ring_pool *pool = ring_pool_create(BIG_CAP, S);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    for (int i = 0; i < 40; i++) {
        ringtest_push(ring, i % 5 == 0, i, i * 100000);
        /* The GOP at key k goes once key k+5 arrived at or before the
         * newest packet minus 1 s: i >= k + 5 + 10. */
        int first = i < 10 ? 0 : (i - 10) / 5 * 5;
        int64_t arrival = -1;
        assert_int_equal(ring_find_key(ring, INT64_MIN, &arrival), first);
        assert_int_equal(arrival, first * 100000);
        struct ring_stats st = ringtest_stats_of(ring);
        assert_int_equal(st.packets, i - first + 1);
        assert_int_equal(st.span_us, (i - first) * 100000);
        if (i >= 10) {
            assert_true(st.span_us >= S); /* never less than keep */
        }
        if (first > 0) {
            struct ring_packet out;
            assert_int_equal(ring_read(ring, first - 1, &out), RING_DROPPED);
            assert_int_equal(out.seq, first);
            assert_null(out.packet);
        }
    }
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 0); /* age is not the cap */
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void a_gop_being_received_is_not_dropped_by_age(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, S);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    ringtest_push_run(ring, 0, 51, 1000, 100000); /* one GOP of 5 s */
    assert_int_equal(ringtest_stats_of(ring).packets, 51);
    assert_int_equal(ringtest_stats_of(ring).span_us, 5 * S);
    ringtest_push(ring, true, 51, 51 * 100000); /* the next GOP alone covers nothing yet */
    assert_int_equal(ringtest_stats_of(ring).packets, 52);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

/* Pushes one packet and checks the cap and the pool's accounting. */
static void push_capped(struct ring_pool *pool, struct ring *a, struct ring *b, struct ring *to,
                        bool key, int64_t arrival_us)
{
    ringtest_push(to, key, (int)arrival_us, arrival_us);
    struct ring_pool_stats ps = ringtest_pool_stats_of(pool);
    assert_true(ps.bytes <= ps.cap);
    assert_int_equal(ps.bytes, ringtest_stats_of(a).bytes + ringtest_stats_of(b).bytes);
}

static void cap_evicts_the_oldest_gop_of_the_pool(void **state)
{
    int64_t cost = packet_cost();
    struct ring_pool *pool = ring_pool_create(10 * cost, HOUR);
    struct ring *a = ring_create(pool, "camera A");
    struct ring *b = ring_create(pool, "camera B");
    ringtest_begin(a, 640);
    ringtest_begin(b, 640);
    /* A: GOP 0-3 and GOP 4-5; B, newer: GOP 10-12 and GOP 13. */
    int64_t a_times[] = {0, 1, 2, 3, 4, 5}, b_times[] = {10, 11, 12, 13};
    for (int i = 0; i < 6; i++) {
        push_capped(pool, a, b, a, i == 0 || i == 4, a_times[i]);
    }
    for (int i = 0; i < 4; i++) {
        push_capped(pool, a, b, b, i == 0 || i == 3, b_times[i]);
    }
    assert_int_equal(ringtest_pool_stats_of(pool).bytes, 10 * cost);
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 0);

    /* Over the cap by B's packet: A's first GOP is the pool's oldest. */
    push_capped(pool, a, b, b, false, 14);
    assert_int_equal(ringtest_stats_of(a).packets, 2);
    assert_int_equal(ringtest_stats_of(b).packets, 5);
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 4);
    struct ring_packet out;
    assert_int_equal(ring_read(a, 0, &out), RING_DROPPED);
    assert_int_equal(out.seq, 4);

    /* A (from 4) is still older than B (from 10): its last GOP goes whole,
     * and it keeps nothing more until its next key frame. */
    for (int64_t t = 15; t <= 18; t++) {
        push_capped(pool, a, b, b, false, t);
    }
    assert_int_equal(ringtest_stats_of(a).packets, 0);
    assert_int_equal(ringtest_stats_of(b).packets, 9);
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 6);
    push_capped(pool, a, b, a, false, 19);
    assert_int_equal(ringtest_stats_of(a).packets, 0);
    push_capped(pool, a, b, a, true, 20);
    assert_int_equal(ringtest_stats_of(a).packets, 1);

    /* Now B (from 10) is the oldest: it loses its first GOP, A nothing. */
    push_capped(pool, a, b, b, false, 21);
    assert_int_equal(ringtest_stats_of(a).packets, 1);
    assert_int_equal(ringtest_stats_of(b).packets, 7);
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 9);
    int64_t arrival = 0;
    assert_int_equal(ring_find_key(b, INT64_MIN, &arrival), 3);
    assert_int_equal(arrival, 13);
    assert_int_equal(ringtest_pool_stats_of(pool).rings, 2);
    ring_unref(a);
    ring_unref(b);
    assert_int_equal(ringtest_pool_stats_of(pool).rings, 0);
    assert_int_equal(ringtest_pool_stats_of(pool).bytes, 0);
    ring_pool_destroy(pool);
}

static void find_key_returns_the_last_key_at_or_before(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    assert_int_equal(ring_find_key(ring, 0, NULL), -1);
    ringtest_push_run(ring, 0, 23, 5, 100000); /* keys 0, 5, 10, 15, 20 at 0.1 s x index */
    int64_t arrival = -1;
    assert_int_equal(ring_find_key(ring, -1, &arrival), 0); /* before it all: the first */
    assert_int_equal(arrival, 0);
    assert_int_equal(ring_find_key(ring, 1000000, &arrival), 10); /* key 10, exactly */
    assert_int_equal(arrival, 1000000);
    assert_int_equal(ring_find_key(ring, 999999, NULL), 5);
    assert_int_equal(ring_find_key(ring, 1400000, NULL), 10);
    assert_int_equal(ring_find_key(ring, INT64_MAX, &arrival), 20);
    assert_int_equal(arrival, 2000000);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void read_says_packet_wait_and_ended(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    ringtest_push_run(ring, 0, 8, 4, 40000);
    expect_packet(ring, 5, 5, 1);
    struct ring_packet out;
    assert_int_equal(ring_read(ring, 8, &out), RING_WAIT);
    assert_null(out.packet);
    assert_false(ringtest_stats_of(ring).ended);
    ring_end(ring);
    assert_true(ringtest_stats_of(ring).ended);
    assert_int_equal(ring_read(ring, 8, &out), RING_ENDED);
    expect_packet(ring, 7, 7, 1);                     /* what it holds can still be read */
    ring_wait(ring, 8, av_gettime_relative() + HOUR); /* ended: returns at once */
    ringtest_begin(ring, 640);                        /* a writer again */
    assert_int_equal(ring_read(ring, 8, &out), RING_WAIT);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void a_new_segment_waits_for_its_key_frame(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    ringtest_push(ring, true, 0, 0);
    ringtest_push(ring, false, 1, 1);
    ringtest_push(ring, false, 2, 2);
    ringtest_begin(ring, 1280);       /* a reconnect, to the main stream */
    ringtest_push(ring, false, 3, 3); /* the rest of a GOP: useless without its key frame */
    ringtest_push(ring, false, 4, 4);
    ringtest_push(ring, true, 5, 5);
    ringtest_push(ring, false, 6, 6);
    assert_int_equal(ringtest_stats_of(ring).packets, 5);
    int tags[] = {0, 1, 2, 5, 6}, ids[] = {1, 1, 1, 2, 2};
    for (int seq = 0; seq < 5; seq++) {
        expect_packet(ring, seq, tags[seq], ids[seq]);
    }
    struct ring_packet first, second;
    assert_int_equal(ring_read(ring, 0, &first), RING_PACKET);
    assert_int_equal(ring_read(ring, 3, &second), RING_PACKET);
    assert_int_equal(first.segment->par->width, 640);
    assert_int_equal(second.segment->par->width, 1280);
    assert_int_equal(second.segment->time_base.den, 90000);
    assert_true(second.packet->flags & AV_PKT_FLAG_KEY);
    ring_packet_finish(&first);
    ring_packet_finish(&second);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void a_reader_outlives_the_ring(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    ringtest_push_run(ring, 0, 3, 3, 1000);
    struct ring_packet out;
    assert_int_equal(ring_read(ring, 1, &out), RING_PACKET);
    const struct ring_segment *kept = ring_segment_ref(out.segment);
    ringtest_begin(ring, 320); /* the ring lets go of segment 1 as its current one */
    ring_unref(ring);          /* the last reference: the ring and its packets go */
    assert_int_equal(ringtest_pool_stats_of(pool).rings, 0);
    assert_int_equal(ringtest_pool_stats_of(pool).bytes, 0);
    ring_pool_destroy(pool);
    /* The reader's packet and segment are its own. */
    assert_int_equal(out.packet->size, PAYLOAD);
    assert_int_equal(out.packet->data[PAYLOAD - 1], 1);
    ring_packet_finish(&out);
    assert_int_equal(kept->id, 1);
    assert_int_equal(kept->par->width, 640);
    assert_int_equal(kept->par->codec_id, AV_CODEC_ID_H264);
    ring_segment_unref(kept);
}

static void shrinking_limits_trims_at_once(void **state)
{
    int64_t cost = packet_cost();
    struct ring_pool *pool = ring_pool_create(BIG_CAP, 10 * S);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    ringtest_push_run(ring, 0, 50, 5, 100000); /* 10 GOPs, 4.9 s */
    assert_int_equal(ringtest_stats_of(ring).packets, 50);
    /* keep 1 s: from the last key at or before 3.9 s (key 35) */
    ring_pool_set_limits(pool, BIG_CAP, S);
    assert_int_equal(ringtest_first_seq(ring), 35);
    assert_int_equal(ringtest_stats_of(ring).packets, 15);
    assert_int_equal(ringtest_pool_stats_of(pool).evicted, 0);
    /* A cap of 6 packets leaves the last GOP, counted as evicted. */
    ring_pool_set_limits(pool, 6 * cost, S);
    assert_int_equal(ringtest_first_seq(ring), 45);
    assert_int_equal(ringtest_stats_of(ring).packets, 5);
    struct ring_pool_stats ps = ringtest_pool_stats_of(pool);
    assert_int_equal(ps.evicted, 10);
    assert_int_equal(ps.cap, 6 * cost);
    assert_int_equal(ps.keep_us, S);
    assert_int_equal(ps.bytes, 5 * cost);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

struct pusher {
    struct ring *ring;
    int packets;
};

static void *push_packets(void *opaque)
{
    struct pusher *p = opaque;
    ringtest_push_run(p->ring, 0, p->packets, 5, 1000);
    return NULL;
}

static void wait_returns_when_a_packet_is_pushed(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    struct pusher p = {ring, 20};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, push_packets, &p), 0);
    /* Returns when packet 19 is there (or never, and the test times out):
     * every push before it wakes this wait, which must wait on. */
    ring_wait(ring, 19, av_gettime_relative() + HOUR);
    expect_packet(ring, 19, 19, 1);
    pthread_join(thread, NULL);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

struct waiter {
    struct ring *ring;
    enum ring_read got; /* what the ring said after the wait */
    atomic_bool done;
};

static void *wait_for_next(void *opaque)
{
    struct waiter *w = opaque;
    ring_wait(w->ring, 0, av_gettime_relative() + HOUR);
    struct ring_packet out;
    w->got = ring_read(w->ring, 0, &out);
    ring_packet_finish(&out);
    atomic_store(&w->done, true);
    return NULL;
}

static void wait_returns_on_end_and_on_wake(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    ringtest_begin(ring, 640);
    struct waiter w = {.ring = ring};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, wait_for_next, &w), 0);
    ring_end(ring); /* lasts: whenever the waiter looks, the ring has ended */
    pthread_join(thread, NULL);
    assert_int_equal(w.got, RING_ENDED);

    ringtest_begin(ring, 640);
    w = (struct waiter){.ring = ring};
    assert_int_equal(pthread_create(&thread, NULL, wait_for_next, &w), 0);
    /* A wake reaches only those already waiting: repeat until it has. */
    while (!atomic_load(&w.done)) {
        ring_wake(ring);
        sched_yield();
    }
    pthread_join(thread, NULL);
    assert_int_equal(w.got, RING_WAIT); /* woken, with nothing to read */
    ring_unref(ring);
    ring_pool_destroy(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ring_starts_at_a_key_frame),
        cmocka_unit_test(age_drops_a_gop_once_the_next_covers_keep),
        cmocka_unit_test(a_gop_being_received_is_not_dropped_by_age),
        cmocka_unit_test(cap_evicts_the_oldest_gop_of_the_pool),
        cmocka_unit_test(find_key_returns_the_last_key_at_or_before),
        cmocka_unit_test(read_says_packet_wait_and_ended),
        cmocka_unit_test(a_new_segment_waits_for_its_key_frame),
        cmocka_unit_test(a_reader_outlives_the_ring),
        cmocka_unit_test(shrinking_limits_trims_at_once),
        cmocka_unit_test(wait_returns_when_a_packet_is_pushed),
        cmocka_unit_test(wait_returns_on_end_and_on_wake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
