/* Replays (decode/replay.c) of pre-roll rings: of the bundled H.264 clip
 * (25 fps, a key frame every second, no B-frames) as a live feed records
 * it, and of rings filled from the clip directly. Waits poll with a safety
 * deadline that fails the test; no timing is asserted beyond generous
 * bounds that say why. */
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
    int64_t want = ringtest_first_seq(ring) + ringtest_stats_of(ring).packets + packets;
    while (ringtest_first_seq(ring) + ringtest_stats_of(ring).packets < want) {
        check_deadline(until, "the camera's packets");
        ring_wait(ring, want - 1, until);
    }
}

static void wait_span(struct ring *ring, int64_t span_us)
{
    int64_t until = av_gettime_relative() + DEADLINE_US;
    while (ringtest_stats_of(ring).span_us < span_us) {
        check_deadline(until, "recording");
        if (ringtest_stats_of(ring).packets == 0) {
            pause_briefly(); /* no number to wait for yet */
        } else {
            ring_wait(ring, ringtest_first_seq(ring) + ringtest_stats_of(ring).packets, until);
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
    assert_int_equal(ringtest_pool_stats_of(pool).rings, 0);
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
        ringtest_push(ring, true, i, start + i * 40000);
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
        cmocka_unit_test(replay_plays_pauses_and_steps),
        cmocka_unit_test(replay_rests_at_the_end_of_a_closed_ring),
        cmocka_unit_test(replay_skips_a_segment_it_cannot_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
