/* Pre-roll rings (decode/ring.h) with made-up packets, whose arrival times
 * the tests choose (no clock), and replays (decode/replay.c) of the bundled
 * H.264 clip (25 fps, a key frame every second, no B-frames). Waits poll
 * with a safety deadline that fails the test; no timing is asserted beyond
 * generous bounds that say why. Run under ASan/UBSan in CI: a reader that
 * outlives its ring must neither leak nor touch freed memory. */
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

#define S           INT64_C(1000000)
#define HOUR        (3600 * S)
#define DEADLINE_US (30 * S) /* a failure guard, not a timing claim */
#define PAYLOAD     1000
#define BIG_CAP     (INT64_C(1) << 30)
#define WALL_OFFSET (INT64_C(1700000000) * S) /* made-up wall clock: arrival + this */

/* Packet `tag` (its payload is the byte `tag`), a key frame or not. Aborts
 * when out of memory: it also runs on threads where cmocka cannot fail. */
static void push(struct ring *ring, bool key, int tag, int64_t arrival_us)
{
    AVPacket *packet = av_packet_alloc();
    if (!packet || av_new_packet(packet, PAYLOAD) < 0) {
        abort();
    }
    memset(packet->data, tag & 0xff, PAYLOAD);
    packet->flags = key ? AV_PKT_FLAG_KEY : 0;
    packet->pts = packet->dts = tag;
    ring_push(ring, packet, arrival_us, WALL_OFFSET + arrival_us);
    av_packet_free(&packet); /* the ring keeps its own reference */
}

/* Packets from..to-1, tagged with their index, a key frame every `gop`,
 * arriving `step_us` apart from 0. */
static void push_run(struct ring *ring, int from, int to, int gop, int64_t step_us)
{
    for (int i = from; i < to; i++) {
        push(ring, i % gop == 0, i, i * step_us);
    }
}

static void begin(struct ring *ring, int width)
{
    AVCodecParameters *par = avcodec_parameters_alloc();
    assert_non_null(par);
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->codec_id = AV_CODEC_ID_H264;
    par->width = width;
    par->height = 360;
    ring_begin(ring, par, (AVRational){1, 90000});
    avcodec_parameters_free(&par);
}

static struct ring_stats stats_of(struct ring *ring)
{
    struct ring_stats st;
    ring_get_stats(ring, &st);
    return st;
}

static struct ring_pool_stats pool_stats_of(struct ring_pool *pool)
{
    struct ring_pool_stats st;
    ring_pool_get_stats(pool, &st);
    return st;
}

/* The sequence number of the ring's first packet (-1: empty). */
static int64_t first_seq(struct ring *ring)
{
    return ring_find_key(ring, INT64_MIN, NULL);
}

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
    begin(ring, 640);
    push(ring, true, 0, 0);
    int64_t cost = stats_of(ring).bytes;
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
    push(ring, true, 0, 0); /* before any segment began: not kept */
    assert_int_equal(stats_of(ring).packets, 0);
    begin(ring, 640);
    for (int i = 1; i <= 3; i++) {
        push(ring, false, i, i * 1000);
    }
    assert_int_equal(stats_of(ring).packets, 0);
    assert_int_equal(stats_of(ring).bytes, 0);
    assert_int_equal(first_seq(ring), -1);
    push(ring, true, 4, 4000);
    push(ring, false, 5, 5000);
    struct ring_stats st = stats_of(ring);
    assert_int_equal(st.packets, 2);
    assert_int_equal(st.span_us, 1000);
    assert_int_equal(pool_stats_of(pool).bytes, st.bytes);
    assert_int_equal(first_seq(ring), 0); /* dropped packets take no number */
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
    begin(ring, 640);
    for (int i = 0; i < 40; i++) {
        push(ring, i % 5 == 0, i, i * 100000);
        /* The GOP at key k goes once key k+5 arrived at or before the
         * newest packet minus 1 s: i >= k + 5 + 10. */
        int first = i < 10 ? 0 : (i - 10) / 5 * 5;
        int64_t arrival = -1;
        assert_int_equal(ring_find_key(ring, INT64_MIN, &arrival), first);
        assert_int_equal(arrival, first * 100000);
        struct ring_stats st = stats_of(ring);
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
    assert_int_equal(pool_stats_of(pool).evicted, 0); /* age is not the cap */
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void a_gop_being_received_is_not_dropped_by_age(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, S);
    struct ring *ring = ring_create(pool, "camera 1");
    begin(ring, 640);
    push_run(ring, 0, 51, 1000, 100000); /* one GOP of 5 s */
    assert_int_equal(stats_of(ring).packets, 51);
    assert_int_equal(stats_of(ring).span_us, 5 * S);
    push(ring, true, 51, 51 * 100000); /* the next GOP alone covers nothing yet */
    assert_int_equal(stats_of(ring).packets, 52);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

/* Pushes one packet and checks the cap and the pool's accounting. */
static void push_capped(struct ring_pool *pool, struct ring *a, struct ring *b, struct ring *to,
                        bool key, int64_t arrival_us)
{
    push(to, key, (int)arrival_us, arrival_us);
    struct ring_pool_stats ps = pool_stats_of(pool);
    assert_true(ps.bytes <= ps.cap);
    assert_int_equal(ps.bytes, stats_of(a).bytes + stats_of(b).bytes);
}

static void cap_evicts_the_oldest_gop_of_the_pool(void **state)
{
    int64_t cost = packet_cost();
    struct ring_pool *pool = ring_pool_create(10 * cost, HOUR);
    struct ring *a = ring_create(pool, "camera A");
    struct ring *b = ring_create(pool, "camera B");
    begin(a, 640);
    begin(b, 640);
    /* A: GOP 0-3 and GOP 4-5; B, newer: GOP 10-12 and GOP 13. */
    int64_t a_times[] = {0, 1, 2, 3, 4, 5}, b_times[] = {10, 11, 12, 13};
    for (int i = 0; i < 6; i++) {
        push_capped(pool, a, b, a, i == 0 || i == 4, a_times[i]);
    }
    for (int i = 0; i < 4; i++) {
        push_capped(pool, a, b, b, i == 0 || i == 3, b_times[i]);
    }
    assert_int_equal(pool_stats_of(pool).bytes, 10 * cost);
    assert_int_equal(pool_stats_of(pool).evicted, 0);

    /* Over the cap by B's packet: A's first GOP is the pool's oldest. */
    push_capped(pool, a, b, b, false, 14);
    assert_int_equal(stats_of(a).packets, 2);
    assert_int_equal(stats_of(b).packets, 5);
    assert_int_equal(pool_stats_of(pool).evicted, 4);
    struct ring_packet out;
    assert_int_equal(ring_read(a, 0, &out), RING_DROPPED);
    assert_int_equal(out.seq, 4);

    /* A (from 4) is still older than B (from 10): its last GOP goes whole,
     * and it keeps nothing more until its next key frame. */
    for (int64_t t = 15; t <= 18; t++) {
        push_capped(pool, a, b, b, false, t);
    }
    assert_int_equal(stats_of(a).packets, 0);
    assert_int_equal(stats_of(b).packets, 9);
    assert_int_equal(pool_stats_of(pool).evicted, 6);
    push_capped(pool, a, b, a, false, 19);
    assert_int_equal(stats_of(a).packets, 0);
    push_capped(pool, a, b, a, true, 20);
    assert_int_equal(stats_of(a).packets, 1);

    /* Now B (from 10) is the oldest: it loses its first GOP, A nothing. */
    push_capped(pool, a, b, b, false, 21);
    assert_int_equal(stats_of(a).packets, 1);
    assert_int_equal(stats_of(b).packets, 7);
    assert_int_equal(pool_stats_of(pool).evicted, 9);
    int64_t arrival = 0;
    assert_int_equal(ring_find_key(b, INT64_MIN, &arrival), 3);
    assert_int_equal(arrival, 13);
    assert_int_equal(pool_stats_of(pool).rings, 2);
    ring_unref(a);
    ring_unref(b);
    assert_int_equal(pool_stats_of(pool).rings, 0);
    assert_int_equal(pool_stats_of(pool).bytes, 0);
    ring_pool_destroy(pool);
}

static void find_key_returns_the_last_key_at_or_before(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    begin(ring, 640);
    assert_int_equal(ring_find_key(ring, 0, NULL), -1);
    push_run(ring, 0, 23, 5, 100000); /* keys 0, 5, 10, 15, 20 at 0.1 s x index */
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
    begin(ring, 640);
    push_run(ring, 0, 8, 4, 40000);
    expect_packet(ring, 5, 5, 1);
    struct ring_packet out;
    assert_int_equal(ring_read(ring, 8, &out), RING_WAIT);
    assert_null(out.packet);
    assert_false(stats_of(ring).ended);
    ring_end(ring);
    assert_true(stats_of(ring).ended);
    assert_int_equal(ring_read(ring, 8, &out), RING_ENDED);
    expect_packet(ring, 7, 7, 1);                     /* what it holds can still be read */
    ring_wait(ring, 8, av_gettime_relative() + HOUR); /* ended: returns at once */
    begin(ring, 640);                                 /* a writer again */
    assert_int_equal(ring_read(ring, 8, &out), RING_WAIT);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void a_new_segment_waits_for_its_key_frame(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    begin(ring, 640);
    push(ring, true, 0, 0);
    push(ring, false, 1, 1);
    push(ring, false, 2, 2);
    begin(ring, 1280);       /* a reconnect, to the main stream */
    push(ring, false, 3, 3); /* the rest of a GOP: useless without its key frame */
    push(ring, false, 4, 4);
    push(ring, true, 5, 5);
    push(ring, false, 6, 6);
    assert_int_equal(stats_of(ring).packets, 5);
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
    begin(ring, 640);
    push_run(ring, 0, 3, 3, 1000);
    struct ring_packet out;
    assert_int_equal(ring_read(ring, 1, &out), RING_PACKET);
    const struct ring_segment *kept = ring_segment_ref(out.segment);
    begin(ring, 320); /* the ring lets go of segment 1 as its current one */
    ring_unref(ring); /* the last reference: the ring and its packets go */
    assert_int_equal(pool_stats_of(pool).rings, 0);
    assert_int_equal(pool_stats_of(pool).bytes, 0);
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
    begin(ring, 640);
    push_run(ring, 0, 50, 5, 100000); /* 10 GOPs, 4.9 s */
    assert_int_equal(stats_of(ring).packets, 50);
    /* keep 1 s: from the last key at or before 3.9 s (key 35) */
    ring_pool_set_limits(pool, BIG_CAP, S);
    assert_int_equal(first_seq(ring), 35);
    assert_int_equal(stats_of(ring).packets, 15);
    assert_int_equal(pool_stats_of(pool).evicted, 0);
    /* A cap of 6 packets leaves the last GOP, counted as evicted. */
    ring_pool_set_limits(pool, 6 * cost, S);
    assert_int_equal(first_seq(ring), 45);
    assert_int_equal(stats_of(ring).packets, 5);
    struct ring_pool_stats ps = pool_stats_of(pool);
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
    push_run(p->ring, 0, p->packets, 5, 1000);
    return NULL;
}

static void wait_returns_when_a_packet_is_pushed(void **state)
{
    struct ring_pool *pool = ring_pool_create(BIG_CAP, HOUR);
    struct ring *ring = ring_create(pool, "camera 1");
    begin(ring, 640);
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
    begin(ring, 640);
    struct waiter w = {.ring = ring};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, wait_for_next, &w), 0);
    ring_end(ring); /* lasts: whenever the waiter looks, the ring has ended */
    pthread_join(thread, NULL);
    assert_int_equal(w.got, RING_ENDED);

    begin(ring, 640);
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

/* Replays of the bundled clip. */

static const char *clip(void)
{
    const char *root = getenv("WALL_SOURCE_ROOT");
    static char path[4096];
    snprintf(path, sizeof(path), "%s/assets/clips/cam01.mp4", root ? root : ".");
    return path;
}

static void pause_briefly(void)
{
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void check_deadline(int64_t until_us, const char *what)
{
    if (av_gettime_relative() > until_us) {
        fail_msg("%s did not happen within %d s", what, (int)(DEADLINE_US / S));
    }
}

static AVFrame *wait_frame(struct feed *feed)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    AVFrame *frame;
    while (!(frame = feed_take_frame(feed))) {
        check_deadline(until, "a frame");
        pause_briefly();
    }
    return frame;
}

/* Takes what is waiting; returns the stats after. */
static struct feed_stats drain(struct feed *feed)
{
    AVFrame *frame;
    while ((frame = feed_take_frame(feed))) {
        av_frame_free(&frame);
    }
    struct feed_stats st;
    feed_get_stats(feed, &st);
    return st;
}

static void wait_decoded(struct feed *feed, uint64_t frames)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    struct feed_stats st;
    for (feed_get_stats(feed, &st); st.frames_decoded < frames; feed_get_stats(feed, &st)) {
        check_deadline(until, "decoding");
        pause_briefly();
    }
}

static void wait_error(struct feed *feed, const char *words)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    struct feed_stats st;
    for (feed_get_stats(feed, &st); !strstr(st.last_error, words); feed_get_stats(feed, &st)) {
        check_deadline(until, words);
        pause_briefly();
    }
}

/* Waits until the camera sent `packets` more packets to its ring: the
 * camera's own time passing, at 25 packets a second. */
static void wait_camera(struct ring *ring, int packets)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    int64_t want = first_seq(ring) + stats_of(ring).packets + packets;
    while (first_seq(ring) + stats_of(ring).packets < want) {
        check_deadline(until, "the camera's packets");
        ring_wait(ring, want - 1, until);
    }
}

static void wait_span(struct ring *ring, int64_t span_us)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    while (stats_of(ring).span_us < span_us) {
        check_deadline(until, "recording");
        if (stats_of(ring).packets == 0) {
            pause_briefly(); /* no number to wait for yet */
        } else {
            ring_wait(ring, first_seq(ring) + stats_of(ring).packets, until);
        }
    }
}

/* How far behind the wall clock the replay's newest picture was taken. */
static void check_behind(struct feed *replay)
{
    struct feed_stats st;
    feed_get_stats(replay, &st);
    int64_t behind = av_gettime() - st.replay_wall_us;
    /* 1.5 s asked for. It cannot be much less: a packet plays 1.5 s plus
     * the replay's start-up after it arrived (0.5 s leaves ample room for
     * the first packet after the asked time, 40 ms later). At most 3 s:
     * start-up includes decoding, unshown, from the key frame before the
     * asked time (a GOP, 1 s of this clip), and a slow machine may lag. */
    if (behind < S / 2 || behind > 3 * S) {
        fail_msg("the replay is %.3f s behind, expected about 1.5 s", (double)behind / S);
    }
}

static void replay_plays_pauses_and_steps(void **state)
{
    struct ring_pool *pool = ring_pool_create(64 << 20, 30 * S);
    struct ring *ring = ring_create(pool, "camera 1");
    struct feed_config live_config = {.url = clip(), .label = "camera 1", .ring = ring};
    struct feed *live = feed_create(&live_config);
    assert_non_null(live);
    wait_span(ring, 2 * S);

    /* 1.5 s back: the ring has just reached 2 s, so a key frame (one a
     * second) came now, and the moment asked for is half a GOP after the
     * key frame before it: decoding starts 0.5 s before what is shown. */
    int64_t back = 3 * S / 2;
    int64_t wall_from = av_gettime() - back; /* the moment asked for, on the wall clock */
    struct feed_config config = {.url = "replay",
                                 .label = "replay of camera 1",
                                 .replay = ring,
                                 .replay_from_us = av_gettime_relative() - back};
    struct feed *replay = feed_create(&config);
    assert_non_null(replay);
    AVFrame *frame = wait_frame(replay);
    assert_int_equal(frame->width, 640);
    assert_int_equal(frame->height, 360);
    av_frame_free(&frame);
    struct feed_stats st;
    feed_get_stats(replay, &st);
    /* Nothing before the moment asked for is shown, though decoding starts
     * at the key frame before it (up to a GOP earlier); 5 ms for the two
     * clocks read one after the other. */
    if (st.replay_wall_us < wall_from - 5000) {
        fail_msg("the replay showed a picture %.3f s before the moment asked for",
                 (double)(wall_from - st.replay_wall_us) / S);
    }
    assert_int_equal(st.state, FEED_LIVE);
    assert_string_equal(st.codec, "h264");
    check_behind(replay);
    wait_camera(ring, 50); /* at 1x it neither catches up nor falls behind */
    check_behind(replay);

    struct feed_replay paused = {.speed = 1000, .paused = true};
    feed_replay_control(replay, &paused, 0);
    /* The packet being decoded when the pause came may still come out. */
    wait_camera(ring, 13);
    struct feed_stats before = drain(replay);
    wait_camera(ring, 25);
    feed_get_stats(replay, &st);
    assert_int_equal(st.frames_decoded, before.frames_decoded);
    assert_int_equal(st.replay_wall_us, before.replay_wall_us);
    assert_null(feed_take_frame(replay));

    feed_replay_control(replay, &paused, 1); /* one step: exactly one picture */
    av_frame_free(&(AVFrame *){wait_frame(replay)});
    wait_camera(ring, 25);
    feed_get_stats(replay, &st);
    assert_int_equal(st.frames_decoded, before.frames_decoded + 1);
    assert_int_equal(st.frames_taken, before.frames_taken + 1);
    assert_int_equal(st.frames_dropped, before.frames_dropped);
    assert_true(st.replay_wall_us > before.replay_wall_us);
    assert_null(feed_take_frame(replay));

    before = st;
    feed_replay_control(replay, &paused, 3); /* three: the mailbox may drop some */
    wait_decoded(replay, before.frames_decoded + 3);
    wait_camera(ring, 25);
    st = drain(replay);
    assert_int_equal(st.frames_decoded, before.frames_decoded + 3);
    assert_int_equal(st.frames_taken + st.frames_dropped,
                     before.frames_taken + before.frames_dropped + 3);

    feed_replay_control(replay, &(struct feed_replay){.speed = 1000}, 0);
    wait_decoded(replay, st.frames_decoded + 25);

    feed_destroy(replay);
    feed_destroy(live);
    ring_unref(ring);
    assert_int_equal(pool_stats_of(pool).rings, 0);
    ring_pool_destroy(pool);
}

/* Pushes the clip's first `n` video packets as one segment, as if they had
 * arrived 40 ms apart from `arrival_us` on (no pacing: at once). */
static void push_clip(struct ring *ring, int n, int64_t arrival_us)
{
    AVFormatContext *format = NULL;
    assert_int_equal(avformat_open_input(&format, clip(), NULL, NULL), 0);
    assert_true(avformat_find_stream_info(format, NULL) >= 0);
    int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    assert_true(index >= 0);
    const AVStream *stream = format->streams[index];
    ring_begin(ring, stream->codecpar, stream->time_base);
    AVPacket *packet = av_packet_alloc();
    assert_non_null(packet);
    int64_t wall_offset = av_gettime() - av_gettime_relative();
    int pushed = 0;
    while (pushed < n && av_read_frame(format, packet) >= 0) {
        if (packet->stream_index == index) {
            int64_t arrival = arrival_us + pushed * 40000;
            ring_push(ring, packet, arrival, arrival + wall_offset);
            pushed++;
        }
        av_packet_unref(packet);
    }
    assert_int_equal(pushed, n);
    av_packet_free(&packet);
    avformat_close_input(&format);
}

/* A replay of the whole ring at 8x. */
static struct feed *replay_all(struct ring *ring)
{
    struct feed_config config = {.url = "replay", .label = "replay", .replay = ring};
    struct feed *replay = feed_create(&config);
    assert_non_null(replay);
    feed_replay_control(replay, &(struct feed_replay){.speed = 8000}, 0);
    return replay;
}

static int64_t process_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * S + ts.tv_nsec / 1000;
}

static void replay_rests_at_the_end_of_a_closed_ring(void **state)
{
    struct ring_pool *pool = ring_pool_create(64 << 20, 30 * S);
    struct ring *ring = ring_create(pool, "camera 1");
    push_clip(ring, 50, av_gettime_relative() - 10 * S);
    ring_end(ring);
    struct feed *replay = replay_all(ring);
    wait_error(replay, "stream closed");
    struct feed_stats st;
    feed_get_stats(replay, &st);
    assert_int_equal(st.frames_decoded, 50); /* every packet, one picture each */
    /* At the end it waits for a writer or for the operator, not in a loop:
     * over a second (a measuring window, not a wait for anything) the
     * process, whose only other thread sleeps, uses far less than a core. */
    int64_t cpu = process_cpu_us(), wall = av_gettime_relative();
    nanosleep(&(struct timespec){1, 0}, NULL);
    cpu = process_cpu_us() - cpu;
    wall = av_gettime_relative() - wall;
    if (cpu > wall / 2) {
        fail_msg("the ended replay used %.2f s of CPU in %.2f s", (double)cpu / S,
                 (double)wall / S);
    }
    feed_destroy(replay);
    ring_unref(ring);
    ring_pool_destroy(pool);
}

static void replay_skips_a_segment_it_cannot_decode(void **state)
{
    struct ring_pool *pool = ring_pool_create(64 << 20, 30 * S);
    struct ring *ring = ring_create(pool, "camera 1");
    /* Raw video of no pixel format: a decoder exists, but will not open. */
    AVCodecParameters *par = avcodec_parameters_alloc();
    assert_non_null(par);
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->codec_id = AV_CODEC_ID_RAWVIDEO;
    par->format = AV_PIX_FMT_NONE;
    par->width = 64;
    par->height = 64;
    ring_begin(ring, par, (AVRational){1, 25});
    avcodec_parameters_free(&par);
    int64_t start = av_gettime_relative() - 10 * S;
    for (int i = 0; i < 3; i++) {
        push(ring, true, i, start + i * 40000);
    }
    push_clip(ring, 50, start + S);
    ring_end(ring);
    struct feed *replay = replay_all(ring);
    wait_error(replay, "stream closed");
    struct feed_stats st = drain(replay);
    assert_int_equal(st.frames_decoded, 50); /* segment 2, whole */
    assert_int_equal(st.width, 640);
    assert_int_equal(st.frames_taken + st.frames_dropped, 50);
    feed_destroy(replay);
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
        cmocka_unit_test(replay_plays_pauses_and_steps),
        cmocka_unit_test(replay_rests_at_the_end_of_a_closed_ring),
        cmocka_unit_test(replay_skips_a_segment_it_cannot_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
