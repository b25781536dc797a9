/* Feeds against real inputs: a bundled H.264 clip, a refused port, a
 * missing file, a listener that never answers. Waits poll the feed's own
 * state with a safety limit that fails the test; no timing is asserted. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "decode/feed.h"

#define SAFETY_POLLS 4000 /* x 5 ms: a failure guard, not a timing claim */

static void pause_briefly(void)
{
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static AVFrame *wait_frame(struct feed *feed)
{
    for (int i = 0; i < SAFETY_POLLS; i++) {
        AVFrame *frame = feed_take_frame(feed);
        if (frame) {
            return frame;
        }
        pause_briefly();
    }
    fail_msg("no frame arrived");
    return NULL;
}

static void wait_state(struct feed *feed, enum feed_state want)
{
    struct feed_stats st;
    for (int i = 0; i < SAFETY_POLLS; i++) {
        feed_get_stats(feed, &st);
        if (st.state == want) {
            return;
        }
        pause_briefly();
    }
    fail_msg("feed stayed %s, expected %s", feed_state_name(st.state), feed_state_name(want));
}

static const char *clip(void)
{
    const char *root = getenv("WALL_SOURCE_ROOT");
    static char path[4096];
    snprintf(path, sizeof(path), "%s/assets/clips/cam01.mp4", root ? root : ".");
    return path;
}

static void file_feed_decodes(void **state)
{
    struct feed_config config = {.url = clip(), .label = "test"};
    struct feed *feed = feed_create(&config);
    assert_non_null(feed);
    AVFrame *frame = wait_frame(feed);
    assert_int_equal(frame->format, AV_PIX_FMT_YUV420P);
    assert_int_equal(frame->width, 640);
    assert_int_equal(frame->height, 360);
    av_frame_free(&frame);
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.state, FEED_LIVE);
    assert_true(st.frames_decoded >= 1);
    assert_true(st.packets >= 1);
    assert_string_equal(st.codec, "h264");
    assert_false(st.hardware);
    feed_destroy(feed);
}

static void keyframe_mode_delivers_only_key_frames(void **state)
{
    struct feed_config config = {.url = clip(), .label = "test"};
    struct feed *feed = feed_create(&config);
    assert_non_null(feed);
    av_frame_free(&(AVFrame *){wait_frame(feed)});
    feed_set_decode(feed, FEED_DECODE_KEYFRAMES);
    /* The frame already waiting may predate the switch; the two after it
     * cannot (the clip has a key frame every 25 frames). */
    av_frame_free(&(AVFrame *){wait_frame(feed)});
    for (int i = 0; i < 2; i++) {
        AVFrame *frame = wait_frame(feed);
        assert_int_equal(frame->key_frame, 1);
        av_frame_free(&frame);
    }
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.decode, FEED_DECODE_KEYFRAMES);
    feed_destroy(feed);
}

static void refused_camera_has_no_signal(void **state)
{
    struct feed_config config = {.url = "rtsp://user:secret@127.0.0.1:1/x", .label = "test"};
    struct feed *feed = feed_create(&config);
    wait_state(feed, FEED_NO_SIGNAL);
    feed_destroy(feed);
}

static void missing_file_has_no_signal(void **state)
{
    struct feed_config config = {.url = "/nonexistent/clip.mp4", .label = "test"};
    struct feed *feed = feed_create(&config);
    wait_state(feed, FEED_NO_SIGNAL);
    feed_destroy(feed);
}

static void destroy_interrupts_a_silent_server(void **state)
{
    /* A listener that never accepts: the kernel completes the handshake,
     * then nobody answers. Destroying the feed must not wait for the
     * timeout (an hour here). */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd, (struct sockaddr *)&addr, &len);
    char url[64];
    snprintf(url, sizeof(url), "rtsp://127.0.0.1:%d/x", ntohs(addr.sin_port));
    struct feed_config config = {.url = url, .label = "test", .io_timeout_ms = 3600 * 1000};
    struct feed *feed = feed_create(&config);
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.state, FEED_CONNECTING);
    feed_destroy(feed); /* hangs (and the test times out) if not interrupted */
    close(fd);
}

/* The feed's picture condition once it is `want` (or, with `leave`, once
 * it is anything but `want`); the frames are taken as they come, as the
 * wall would. */
static enum picture_condition wait_picture(struct feed *feed, enum picture_condition want,
                                           bool leave)
{
    struct feed_stats st;
    for (int i = 0; i < SAFETY_POLLS; i++) {
        av_frame_free(&(AVFrame *){feed_take_frame(feed)});
        feed_get_stats(feed, &st);
        if ((st.picture == want) != leave) {
            return st.picture;
        }
        pause_briefly();
    }
    fail_msg("picture stayed %s", picture_condition_name(st.picture));
    return st.picture;
}

/* Quick thresholds: the condition moves within a second, not ten. */
static struct health_settings quick_health(void)
{
    struct health_settings h;
    health_settings_default(&h);
    h.learn_s = 0.5;
    h.confirm_s = 0.3;
    h.sample_ms = 20;
    return h;
}

static void picture_health_learns_and_learns_again(void **state)
{
    struct feed_config config = {
        .url = clip(), .label = "test", .picture_health = true, .health = quick_health()};
    struct feed *feed = feed_create(&config);
    assert_non_null(feed);
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.picture, PICTURE_LEARNING); /* from the start: nothing seen yet */
    enum picture_condition c = wait_picture(feed, PICTURE_LEARNING, true);
    assert_int_not_equal(c, PICTURE_OFF); /* software frames are judged */
    feed_get_stats(feed, &st);
    assert_true(st.picture_since_us > 0);
    feed_health_reset(feed);
    wait_picture(feed, PICTURE_LEARNING, false);
    wait_picture(feed, PICTURE_LEARNING, true);
    feed_destroy(feed);
}

static void picture_health_off_is_off(void **state)
{
    struct feed_config config = {.url = clip(), .label = "test", .health = quick_health()};
    struct feed *feed = feed_create(&config);
    assert_non_null(feed);
    av_frame_free(&(AVFrame *){wait_frame(feed)});
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.picture, PICTURE_OFF);
    assert_int_equal(st.picture_since_us, 0);
    feed_health_reset(feed); /* nothing to reset: harmless */
    av_frame_free(&(AVFrame *){wait_frame(feed)});
    feed_get_stats(feed, &st);
    assert_int_equal(st.picture, PICTURE_OFF);
    assert_string_equal(picture_condition_name(PICTURE_OFF), "off");
    feed_destroy(feed);
}

/* A reload turns a feed's watch off and on again (feed_set_health). */
static void picture_health_follows_new_settings(void **state)
{
    struct health_settings quick = quick_health();
    struct feed_config config = {
        .url = clip(), .label = "test", .picture_health = true, .health = quick};
    struct feed *feed = feed_create(&config);
    assert_non_null(feed);
    wait_picture(feed, PICTURE_LEARNING, true);
    feed_set_health(feed, false, &quick);
    wait_picture(feed, PICTURE_OFF, false);
    feed_set_health(feed, true, &quick);
    wait_picture(feed, PICTURE_LEARNING, false);
    enum picture_condition c = wait_picture(feed, PICTURE_LEARNING, true);
    assert_int_not_equal(c, PICTURE_OFF);
    feed_destroy(feed);

    /* A feed that never judges (record-only) stays off whatever it is told. */
    config = (struct feed_config){.url = clip(), .label = "test", .record_only = true};
    feed = feed_create(&config);
    assert_non_null(feed);
    feed_set_health(feed, true, &quick);
    wait_state(feed, FEED_LIVE);
    struct feed_stats st;
    feed_get_stats(feed, &st);
    assert_int_equal(st.picture, PICTURE_OFF);
    feed_destroy(feed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_feed_decodes),
        cmocka_unit_test(keyframe_mode_delivers_only_key_frames),
        cmocka_unit_test(refused_camera_has_no_signal),
        cmocka_unit_test(missing_file_has_no_signal),
        cmocka_unit_test(destroy_interrupts_a_silent_server),
        cmocka_unit_test(picture_health_learns_and_learns_again),
        cmocka_unit_test(picture_health_off_is_off),
        cmocka_unit_test(picture_health_follows_new_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
