/* The ONVIF PTZ client (ptz/onvif.h) against the fake camera
 * tests/onvif_server.py: what goes on the wire (read back from the
 * server's record), WS-Security, and how failures are told apart. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "onvif_harness.h"
#include "ptz/onvif.h"

#define USER     "operator"
#define PASSWORD "pw-Zebra#42"
#define WRONG    "Wrong-Secret-77"
#define PROFILE  "ptz_main" /* the fake's second profile, the one with PTZ */

static struct onvif *open_session(const char *url, const char *user, const char *password,
                                  long timeout_ms)
{
    struct onvif_settings settings = {
        .device_url = url,
        .username = user,
        .password = password,
        .timeout_ms = timeout_ms,
        .move_timeout_ms = 5000,
    };
    struct onvif *o = onvif_open(&settings);
    assert_non_null(o);
    return o;
}

static void start(struct onvif_fake *f, const char *mode, int skew_s)
{
    assert_true(onvif_fake_start(f, mode, USER, PASSWORD, skew_s));
}

static void connect_takes_the_first_profile_with_ptz(void **state)
{
    struct onvif_fake f;
    start(&f, "normal", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160] = "x";
    assert_int_equal(onvif_connect(o, why, sizeof(why)), ONVIF_OK);
    assert_string_equal(why, "");
    assert_int_equal(onvif_fake_count(&f, "GetSystemDateAndTime"), 1);
    assert_int_equal(onvif_fake_count(&f, "GetCapabilities"), 1);
    assert_int_equal(onvif_fake_count(&f, "GetProfiles"), 1);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call call;
    assert_true(onvif_fake_call(&f, "Stop", -1, &call));
    assert_string_equal(call.profile, PROFILE);
    assert_int_equal(onvif_fake_count(&f, "GetProfiles"), 1); /* connected once */
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void continuous_move_carries_signed_speeds_and_the_timeout(void **state)
{
    struct onvif_fake f;
    start(&f, "normal", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, -0.5, 0.25, -1.0, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_continuous_move(o, 2.0, -3.0, 0.125, why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call call;
    assert_true(onvif_fake_call(&f, "ContinuousMove", 0, &call));
    assert_string_equal(call.auth, "ok");
    assert_string_equal(call.profile, PROFILE);
    assert_float_equal(call.pan, -0.5, 1e-9);
    assert_float_equal(call.tilt, 0.25, 1e-9);
    assert_float_equal(call.zoom, -1.0, 1e-9);
    assert_string_equal(call.timeout, "PT5S");
    assert_true(onvif_fake_call(&f, "ContinuousMove", 1, &call));
    assert_float_equal(call.pan, 1.0, 1e-9); /* clamped to ONVIF's -1..1 */
    assert_float_equal(call.tilt, -1.0, 1e-9);
    assert_float_equal(call.zoom, 0.125, 1e-9);
    onvif_close(o);

    /* 1.5 s of move timeout is PT1.5S; none is no Timeout element. */
    struct onvif_settings settings = {
        .device_url = f.url, .username = USER, .password = PASSWORD, .move_timeout_ms = 1500};
    o = onvif_open(&settings);
    assert_int_equal(onvif_continuous_move(o, 0.1, 0, 0, why, sizeof(why)), ONVIF_OK);
    assert_true(onvif_fake_call(&f, "ContinuousMove", -1, &call));
    assert_string_equal(call.timeout, "PT1.5S");
    onvif_close(o);
    settings.move_timeout_ms = 0;
    o = onvif_open(&settings);
    assert_int_equal(onvif_continuous_move(o, 0.1, 0, 0, why, sizeof(why)), ONVIF_OK);
    assert_true(onvif_fake_call(&f, "ContinuousMove", -1, &call));
    assert_string_equal(call.timeout, "");
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void stop_is_sent(void **state)
{
    struct onvif_fake f;
    start(&f, "normal", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_fake_count(&f, "Stop"), 1);
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 0);
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void presets_are_listed_and_gone_to_by_token(void **state)
{
    struct onvif_fake f;
    assert_true(
        onvif_fake_start_presets(&f, "normal", USER, PASSWORD, 0, "1:Home,2:Gate,7:Bridge"));
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    struct onvif_preset presets[8];
    int n = -1;
    assert_int_equal(onvif_get_presets(o, presets, 8, &n, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(n, 3);
    assert_string_equal(presets[0].token, "1");
    assert_string_equal(presets[0].name, "Home");
    assert_string_equal(presets[1].token, "2");
    assert_string_equal(presets[1].name, "Gate");
    assert_string_equal(presets[2].token, "7");
    assert_string_equal(presets[2].name, "Bridge");
    assert_int_equal(onvif_get_presets(o, presets, 2, &n, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(n, 2); /* no more than asked for */

    assert_int_equal(onvif_goto_preset(o, "7", why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call call;
    assert_true(onvif_fake_call(&f, "GotoPreset", -1, &call));
    assert_string_equal(call.preset, "7");
    assert_string_equal(call.profile, PROFILE);
    /* A token the camera does not know: its NoToken fault. */
    assert_int_equal(onvif_goto_preset(o, "9", why, sizeof(why)), ONVIF_NO_PTZ);
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void every_call_but_the_clock_is_signed(void **state)
{
    struct onvif_fake f;
    start(&f, "normal", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    struct onvif_preset presets[8];
    int n;
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_get_presets(o, presets, 8, &n, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_goto_preset(o, "1", why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call calls[16];
    n = onvif_fake_calls(&f, calls, 16);
    assert_int_equal(n, 7);
    assert_string_equal(calls[0].action, "GetSystemDateAndTime");
    assert_string_equal(calls[0].auth, "missing");
    for (int i = 1; i < n; i++) {
        assert_string_equal(calls[i].auth, "ok");
    }
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void without_a_user_nothing_is_signed(void **state)
{
    struct onvif_fake f;
    assert_true(onvif_fake_start(&f, "normal", NULL, NULL, 0));
    struct onvif *o = open_session(f.url, NULL, NULL, 0);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call calls[8];
    int n = onvif_fake_calls(&f, calls, 8);
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++) {
        assert_string_equal(calls[i].auth, "missing");
    }
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void http_digest_is_answered_when_asked(void **state)
{
    struct onvif_fake f;
    start(&f, "digest", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_OK);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_OK);
    struct onvif_fake_call calls[8];
    int n = onvif_fake_calls(&f, calls, 8); /* only requests with a right digest */
    assert_int_equal(n, 5);
    assert_string_equal(calls[3].action, "ContinuousMove");
    assert_string_equal(calls[3].auth, "ok");
    onvif_close(o);

    o = open_session(f.url, USER, WRONG, 0);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_AUTH);
    assert_null(strstr(why, WRONG));
    assert_int_equal(onvif_fake_count(&f, NULL), n);
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void a_camera_clock_far_off_still_authenticates(void **state)
{
    int skews[] = {3600, -7200};
    for (int i = 0; i < 2; i++) {
        struct onvif_fake f;
        start(&f, "normal", skews[i]);
        struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
        char why[160];
        assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_OK);
        struct onvif_fake_call call;
        assert_true(onvif_fake_call(&f, "ContinuousMove", -1, &call));
        assert_string_equal(call.auth, "ok");
        onvif_close(o);
        onvif_fake_stop(&f);
    }
}

static void a_wrong_password_is_refused_without_saying_it(void **state)
{
    struct onvif_fake f;
    start(&f, "normal", 0);
    struct onvif *o = open_session(f.url, USER, WRONG, 0);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_AUTH);
    assert_non_null(strstr(why, "authentication refused"));
    assert_null(strstr(why, WRONG));
    assert_null(strstr(why, PASSWORD));
    struct onvif_fake_call call;
    assert_true(onvif_fake_call(&f, "GetCapabilities", -1, &call));
    assert_string_equal(call.auth, "bad");
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 0);
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void a_refusing_camera_is_an_authentication_failure(void **state)
{
    struct onvif_fake f;
    start(&f, "refuse", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    assert_int_equal(onvif_connect(o, why, sizeof(why)), ONVIF_AUTH);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_AUTH); /* connects again */
    assert_int_equal(onvif_fake_count(&f, "GetCapabilities"), 2);
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void a_camera_without_ptz_says_so(void **state)
{
    struct onvif_fake f;
    start(&f, "no-ptz", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 0);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_NO_PTZ);
    assert_non_null(strstr(why, "PTZ"));
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 0);
    onvif_close(o);
    onvif_fake_stop(&f);

    /* A profile the camera does not have: its NoProfile fault. */
    start(&f, "normal", 0);
    struct onvif_settings settings = {
        .device_url = f.url, .username = USER, .password = PASSWORD, .profile = "no_such_profile"};
    o = onvif_open(&settings);
    assert_int_equal(onvif_stop(o, why, sizeof(why)), ONVIF_NO_PTZ);
    assert_int_equal(onvif_fake_count(&f, "GetProfiles"), 0); /* the settings named one */
    onvif_close(o);
    onvif_fake_stop(&f);
}

static void a_hanging_camera_times_out(void **state)
{
    struct onvif_fake f;
    start(&f, "hang", 0);
    struct onvif *o = open_session(f.url, USER, PASSWORD, 300);
    char why[160];
    assert_int_equal(onvif_continuous_move(o, 0.3, 0, 0, why, sizeof(why)), ONVIF_TIMEOUT);
    assert_non_null(strstr(why, "timeout"));
    assert_int_equal(onvif_fake_count(&f, "ContinuousMove"), 1);
    onvif_close(o);
    onvif_fake_stop(&f);
}

struct hung_call {
    struct onvif *o;
    enum onvif_status result;
};

static void *move_on(void *arg)
{
    struct hung_call *call = arg;
    char why[160];
    call->result = onvif_continuous_move(call->o, 0.3, 0, 0, why, sizeof(why));
    return NULL;
}

static void abort_ends_a_hanging_call(void **state)
{
    struct onvif_fake f;
    start(&f, "hang", 0);
    struct hung_call call = {open_session(f.url, USER, PASSWORD, 600000), ONVIF_OK};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, move_on, &call), 0);
    assert_true(onvif_fake_wait(&f, "ContinuousMove", 1)); /* the call is in flight */
    onvif_abort(call.o);
    pthread_join(thread, NULL);
    assert_int_equal(call.result, ONVIF_ABORTED);
    char why[160];
    assert_int_equal(onvif_stop(call.o, why, sizeof(why)),
                     ONVIF_ABORTED); /* and every later one */
    assert_int_equal(onvif_fake_count(&f, "Stop"), 0);
    onvif_close(call.o);
    onvif_fake_stop(&f);
}

static void nothing_listening_is_a_timeout(void **state)
{
    /* A port just bound and closed: nothing listens there. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    char url[160];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/onvif/device_service", ntohs(addr.sin_port));
    struct onvif *o = open_session(url, USER, PASSWORD, 300);
    char why[160];
    assert_int_equal(onvif_connect(o, why, sizeof(why)), ONVIF_TIMEOUT);
    assert_non_null(strstr(why, "timeout"));
    onvif_close(o);
}

int main(void)
{
    onvif_global_init();
    onvif_global_init(); /* idempotent */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_takes_the_first_profile_with_ptz),
        cmocka_unit_test(continuous_move_carries_signed_speeds_and_the_timeout),
        cmocka_unit_test(stop_is_sent),
        cmocka_unit_test(presets_are_listed_and_gone_to_by_token),
        cmocka_unit_test(every_call_but_the_clock_is_signed),
        cmocka_unit_test(without_a_user_nothing_is_signed),
        cmocka_unit_test(http_digest_is_answered_when_asked),
        cmocka_unit_test(a_camera_clock_far_off_still_authenticates),
        cmocka_unit_test(a_wrong_password_is_refused_without_saying_it),
        cmocka_unit_test(a_refusing_camera_is_an_authentication_failure),
        cmocka_unit_test(a_camera_without_ptz_says_so),
        cmocka_unit_test(a_hanging_camera_times_out),
        cmocka_unit_test(abort_ends_a_hanging_call),
        cmocka_unit_test(nothing_listening_is_a_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
