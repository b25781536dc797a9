/* The PTZ worker (ptz/control.h) against the fake camera
 * tests/onvif_server.py: what the operator's wishes become on the wire,
 * read back from the server's record. Nothing here asserts a time: a
 * wait is for an event, with a bound that only guards against a hang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "onvif_harness.h"
#include "ptz/control.h"

#define USER     "operator"
#define PASSWORD "pw-Zebra#42"
#define WISHES   1000

static struct ptz_control *start_control(const struct onvif_fake *f, long timeout_ms)
{
    struct onvif_settings settings = {
        .device_url = f->url,
        .username = USER,
        .password = PASSWORD,
        .timeout_ms = timeout_ms,
        .move_timeout_ms = 60000, /* no keep-alive resend within a test */
    };
    struct ptz_control *c = ptz_control_start(&settings, "camera 101");
    assert_non_null(c);
    return c;
}

static struct ptz_status status_of(struct ptz_control *c)
{
    struct ptz_status st;
    ptz_control_status(c, &st);
    return st;
}

/* Polls the status until pred() holds; fails after ONVIF_FAKE_WAIT_MS. */
static struct ptz_status wait_status(struct ptz_control *c,
                                     bool (*pred)(const struct ptz_status *st))
{
    const struct timespec tick = {0, 5 * 1000 * 1000};
    for (int i = 0; i < ONVIF_FAKE_WAIT_MS / 5; i++) {
        struct ptz_status st = status_of(c);
        if (pred(&st)) {
            return st;
        }
        nanosleep(&tick, NULL);
    }
    fail_msg("the PTZ status never got there");
    return status_of(c);
}

static bool unavailable(const struct ptz_status *st)
{
    return st->availability == PTZ_UNAVAILABLE;
}

static bool moved(const struct ptz_status *st)
{
    return st->moves >= 1;
}

static void expect_move(const struct onvif_fake_call *call, double pan, double tilt, double zoom)
{
    assert_string_equal(call->action, "ContinuousMove");
    assert_float_equal(call->pan, pan, 1e-9);
    assert_float_equal(call->tilt, tilt, 1e-9);
    assert_float_equal(call->zoom, zoom, 1e-9);
}

static void a_move_then_a_stop_go_out_in_order(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    assert_int_equal(status_of(c).availability, PTZ_UNKNOWN);
    assert_true(ptz_control_move(c, 0.5, -0.25, 0.1));
    assert_true(onvif_fake_wait(&f, "ContinuousMove", 1));
    wait_status(c, moved);
    assert_true(ptz_control_stop(c));
    assert_true(onvif_fake_wait(&f, "Stop", 1));
    ptz_control_destroy(c);

    struct onvif_fake_call calls[16];
    int n = onvif_fake_calls(&f, calls, 16);
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 1);
    assert_int_equal(onvif_fake_count(&f, "Stop"), 1); /* not again at destroy: not moving */
    expect_move(&calls[n - 2], 0.5, -0.25, 0.1);
    assert_string_equal(calls[n - 1].action, "Stop");
    onvif_fake_stop(&f);
}

static void a_burst_of_wishes_is_coalesced(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    for (int i = 0; i < WISHES - 1; i++) {
        double sign = i % 2 ? 1 : -1; /* each wish differs from the one before */
        assert_true(ptz_control_move(c, 0.5 * sign, 0.3 * sign, 0));
    }
    assert_true(ptz_control_move(c, 0.25, -0.75, 0.5));
    /* Wait for the last wish on the wire: it goes out, however late. */
    struct onvif_fake_call last = {0};
    for (int seen = 1; onvif_fake_wait(&f, "ContinuousMove", seen); seen++) {
        assert_true(onvif_fake_call(&f, "ContinuousMove", seen - 1, &last));
        if (last.pan == 0.25) {
            break;
        }
    }
    expect_move(&last, 0.25, -0.75, 0.5);
    ptz_control_destroy(c);

    int moves = onvif_fake_count(&f, "ContinuousMove");
    assert_true(moves >= 1);
    assert_true(moves <= WISHES / 10); /* at most one a PTZ_MOVE_INTERVAL_MS */
    assert_true(onvif_fake_call(&f, "ContinuousMove", -1, &last));
    expect_move(&last, 0.25, -0.75, 0.5);              /* nothing after the last wish */
    assert_int_equal(onvif_fake_count(&f, "Stop"), 1); /* destroy's: it was moving */
    onvif_fake_stop(&f);
}

static void a_zero_wish_with_nothing_moving_sends_nothing(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    assert_true(ptz_control_stop(c));
    assert_true(ptz_control_move(c, 0, 0, 0));
    assert_true(ptz_control_preset(c, 1)); /* a marker: the worker got past the zeros */
    assert_true(onvif_fake_wait(&f, "GotoPreset", 1));
    ptz_control_destroy(c);
    assert_int_equal(onvif_fake_count(&f, "Stop"), 0);
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 0);
    onvif_fake_stop(&f);
}

static void a_preset_is_its_token_else_the_nth(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    struct onvif_fake_call call;
    assert_true(ptz_control_preset(c, 2));
    assert_true(onvif_fake_wait(&f, "GotoPreset", 1));
    assert_true(onvif_fake_call(&f, "GotoPreset", -1, &call));
    assert_string_equal(call.preset, "2");
    ptz_control_destroy(c);
    onvif_fake_stop(&f);

    assert_true(
        onvif_fake_start_presets(&f, "normal", USER, PASSWORD, 0, "1:Home,2:Gate,7:Bridge"));
    c = start_control(&f, 0);
    assert_true(ptz_control_preset(c, 3)); /* no token "3": the third, "7" */
    assert_true(onvif_fake_wait(&f, "GotoPreset", 1));
    assert_true(onvif_fake_call(&f, "GotoPreset", -1, &call));
    assert_string_equal(call.preset, "7");
    assert_true(ptz_control_preset(c, 7)); /* token "7" itself */
    assert_true(onvif_fake_wait(&f, "GotoPreset", 2));
    assert_true(onvif_fake_call(&f, "GotoPreset", -1, &call));
    assert_string_equal(call.preset, "7");
    assert_int_equal(status_of(c).availability, PTZ_AVAILABLE);
    ptz_control_destroy(c);
    onvif_fake_stop(&f);
}

static void a_hanging_camera_becomes_unavailable(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "hang", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 300);
    uint64_t generation = status_of(c).generation;
    assert_true(ptz_control_move(c, 0.5, 0, 0));
    struct ptz_status st = wait_status(c, unavailable);
    assert_true(st.generation > generation);
    assert_non_null(strstr(st.why, "timeout"));
    assert_false(st.moving);
    assert_false(ptz_control_move(c, 0.1, 0, 0)); /* dropped for PTZ_RETRY_AFTER_MS */
    assert_false(ptz_control_preset(c, 1));
    assert_int_equal(status_of(c).generation, st.generation); /* said once */
    ptz_control_destroy(c); /* returns: the hung camera is not waited on */
    assert_int_equal(onvif_fake_count(&f, "Stop"), 0);
    onvif_fake_stop(&f);
}

static void after_the_retry_time_a_wish_tries_again(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "refuse", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    assert_true(ptz_control_move(c, 0.5, 0, 0));
    struct ptz_status st = wait_status(c, unavailable);
    assert_non_null(strstr(st.why, "authentication refused"));
    assert_null(strstr(st.why, PASSWORD));
    assert_false(ptz_control_move(c, 0.5, 0, 0));
    int tries = onvif_fake_count(&f, "GetCapabilities");
    ptz_control_set_retry_after(c, 0);
    assert_true(ptz_control_move(c, 0.5, 0, 0)); /* taken: it connects again */
    assert_true(onvif_fake_wait(&f, "GetCapabilities", tries + 1));
    assert_int_equal(status_of(c).generation, st.generation); /* still unavailable */
    ptz_control_destroy(c);
    onvif_fake_stop(&f);
}

static void a_held_speed_is_sent_again_before_the_camera_times_out(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct onvif_settings settings = {
        .device_url = f.url, .username = USER, .password = PASSWORD, .move_timeout_ms = 400};
    struct ptz_control *c = ptz_control_start(&settings, "camera 102");
    assert_non_null(c);
    assert_true(ptz_control_move(c, 0.2, 0.1, 0));
    assert_true(onvif_fake_wait(&f, "ContinuousMove", 3)); /* one wish, kept alive */
    ptz_control_destroy(c);
    struct onvif_fake_call call;
    for (int i = 0; i < 3; i++) {
        assert_true(onvif_fake_call(&f, "ContinuousMove", i, &call));
        expect_move(&call, 0.2, 0.1, 0);
        assert_string_equal(call.timeout, "PT0.4S");
    }
    onvif_fake_stop(&f);
}

static void destroy_while_moving_stops_the_camera(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", USER, PASSWORD, 0));
    struct ptz_control *c = start_control(&f, 0);
    assert_true(ptz_control_move(c, -0.4, 0.2, 0));
    struct ptz_status st = wait_status(c, moved);
    assert_true(st.moving);
    assert_int_equal(st.availability, PTZ_AVAILABLE);
    ptz_control_destroy(c);
    assert_int_equal(onvif_fake_count(&f, "Stop"), 1);
    struct onvif_fake_call call;
    assert_true(onvif_fake_call(&f, NULL, -1, &call));
    assert_string_equal(call.action, "Stop");
    onvif_fake_stop(&f);
    ptz_control_destroy(NULL);
}

int main(void)
{
    onvif_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_move_then_a_stop_go_out_in_order),
        cmocka_unit_test(a_burst_of_wishes_is_coalesced),
        cmocka_unit_test(a_zero_wish_with_nothing_moving_sends_nothing),
        cmocka_unit_test(a_preset_is_its_token_else_the_nth),
        cmocka_unit_test(a_hanging_camera_becomes_unavailable),
        cmocka_unit_test(after_the_retry_time_a_wish_tries_again),
        cmocka_unit_test(a_held_speed_is_sent_again_before_the_camera_times_out),
        cmocka_unit_test(destroy_while_moving_stops_the_camera),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
