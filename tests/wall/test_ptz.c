/* PTZ from the wall (wall/ptz.h, ptz/control.h) against the fake ONVIF
 * service (tests/onvif_server.py): a virtual joystick deflected and let go
 * makes ContinuousMove with the right signs and speeds, then Stop; presets
 * reach the camera; what takes the dome out of the operator's hands stops
 * it; a camera that hangs leaves the wall rendering with PTZ UNAVAILABLE
 * on its tile. Checked through the service's records, the audit trail,
 * the `plates` and `tiles` replies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input_harness.h"
#include "ptz/onvif_harness.h"

#define USER     "operator"
#define PASSWORD "s3cret-ptz"

static struct onvif_fake fake_ok, fake_hang;

/* 101 and 103 are domes (103 never answers), 102 has none, 104 is locked;
 * 5001 is a dome in the Guardians zone, where wall.ptz does not steer. */
static void write_ptz_layout(struct fixture *fx)
{
    FILE *f = fopen(fx->path, "w");
    assert_non_null(f);
    fprintf(
        f,
        "zones = ( { id = \"ssc\"; admits = \"ssc\"; },\n"
        "          { id = \"g911\"; admits = \"guardians\"; } );\n"
        "layouts = ( { name = \"quad\"; grid = [2, 2]; gap = 4; fit = \"fill\"; },\n"
        "            { name = \"row\"; grid = [1, 4]; gap = 4; fit = \"fill\"; } );\n"
        "credentials = ( { id = \"ptz\"; user = \"" USER "\"; password = \"" PASSWORD "\"; } );\n"
        "cameras = (\n"
        "  { number = 101; name = \"Rojo\"; main = \"red.mp4\";\n"
        "    ptz = { onvif = \"%s\"; credentials = \"ptz\"; }; },\n"
        "  { number = 102; name = \"Verde\"; main = \"green.mp4\"; },\n"
        "  { number = 103; name = \"Azul\"; main = \"blue.mp4\";\n"
        "    ptz = { onvif = \"%s\"; credentials = \"ptz\"; }; },\n"
        "  { number = 104; name = \"Banda\"; main = \"band.mp4\";\n"
        "    ptz = { onvif = \"%s\"; credentials = \"ptz\"; locked = true; }; },\n"
        "  { number = 105; name = \"Amarillo\"; main = \"yellow.mp4\"; },\n"
        "  { number = 5001; name = \"Banco\"; programme = \"guardians\"; main = \"white.mp4\";\n"
        "    ptz = { onvif = \"%s\"; credentials = \"ptz\"; }; }\n"
        ");\n"
        "wall = { ptz = { zones = [\"ssc\"]; timeout = 0.5; move_timeout = 4; }; };\n"
        "outputs = (\n"
        "  { id = \"ssc-1\"; rect = [0, 0, 640, 360]; zone = \"ssc\";\n"
        "    pages = ( { layout = \"quad\"; tiles = (101, 102, 103, 104); },\n"
        "              { layout = \"row\"; tiles = (105, 0, 0, 0); } ); },\n"
        "  { id = \"g911-1\"; rect = [640, 0, 640, 360]; zone = \"g911\";\n"
        "    pages = ( { layout = \"quad\"; tiles = (5001, 0, 0, 0); } ); }\n"
        ");\n",
        fake_ok.url, fake_hang.url, fake_ok.url, fake_ok.url);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    assert_true(onvif_fake_start(&fake_ok, "normal", USER, PASSWORD, 0));
    assert_true(onvif_fake_start(&fake_hang, "hang", USER, PASSWORD, 0));
    harness_setup(state);
    struct fixture *fx = *state;
    wall_destroy(fx->wall);
    write_ptz_layout(fx);
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    return 0;
}

static int teardown(void **state)
{
    int rc = harness_teardown(state);
    onvif_fake_stop(&fake_ok);
    onvif_fake_stop(&fake_hang);
    return rc;
}

static bool plate_shown(struct fixture *fx, const char *text)
{
    static char reply[65536];
    char quoted[64];
    harness_reply(fx, "plates", reply, sizeof(reply));
    snprintf(quoted, sizeof(quoted), "\"text\": \"%s\"", text);
    return strstr(reply, quoted) != NULL;
}

/* Output frames so far, from `stats`. */
static long long frames_rendered(struct fixture *fx)
{
    static char reply[65536];
    harness_reply(fx, "stats", reply, sizeof(reply));
    const char *p = strstr(reply, "\"frames_rendered\": ");
    assert_non_null(p);
    return atoll(p + strlen("\"frames_rendered\": "));
}

static struct onvif_fake_call last_call(const struct onvif_fake *fake)
{
    struct onvif_fake_call calls[256];
    int n = onvif_fake_calls(fake, calls, 256);
    assert_true(n > 0);
    return calls[n - 1];
}

static bool near(double a, double b)
{
    return fabs(a - b) < 0.01;
}

/* Stick right and up, twist in with the trigger: ContinuousMove with pan
 * and tilt and zoom positive, in proportion beyond the dead zone; let go:
 * Stop, last. Audited once each way; the tile wears PTZ meanwhile. */
static void stick_steers_and_letting_go_stops(void **state)
{
    struct fixture *fx = *state;
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    assert_int_equal(harness_selected(fx, "ssc-1"), 1); /* camera 101, a dome */

    harness_set_axis(fx, LEFT_X, 24575);  /* 0.75: (0.75 - 0.25) / 0.75 = 2/3 of full speed */
    harness_set_axis(fx, LEFT_Y, -32767); /* full up */
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") > 0 &&
                       last_call(&fake_ok).tilt > 0.99);
    struct onvif_fake_call move = last_call(&fake_ok);
    assert_string_equal(move.action, "ContinuousMove");
    assert_string_equal(move.auth, "ok");
    assert_true(near(move.pan, 2.0 / 3.0));
    assert_true(near(move.tilt, 1.0));
    assert_true(near(move.zoom, 0.0));
    assert_string_equal(move.timeout, "PT4S");
    /* The selection stayed: the stick steers the dome, not the wall. */
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);
    STEP_UNTIL(fx, plate_shown(fx, "PTZ"));

    harness_set_axis(fx, RIGHT_TRIGGER, 32767);
    STEP_UNTIL(fx, last_call(&fake_ok).zoom > 0.99);
    assert_true(near(last_call(&fake_ok).pan, 2.0 / 3.0));

    harness_set_axis(fx, LEFT_X, 0);
    harness_set_axis(fx, LEFT_Y, 0);
    harness_set_axis(fx, RIGHT_TRIGGER, -32768);
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "Stop") == 1);
    assert_string_equal(last_call(&fake_ok).action, "Stop");
    assert_int_equal(harness_audited(fx, "joystick", "ptz-move"), 1);
    assert_int_equal(harness_audited(fx, "joystick", "ptz-stop"), 1);
    /* The badge goes a moment after the last action. */
    STEP_UNTIL(fx, !plate_shown(fx, "PTZ"));
    assert_int_equal(onvif_fake_count(&fake_ok, "Stop"), 1);
}

/* Moving the selection away (the pad, a key, a page) stops the dome. */
static void deselecting_stops_the_dome(void **state)
{
    struct fixture *fx = *state;
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    harness_set_axis(fx, LEFT_X, -32767); /* full left */
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") == 1);
    assert_true(near(last_call(&fake_ok).pan, -1.0));

    harness_press(SDLK_RIGHT, KMOD_NONE); /* tile 2 */
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "Stop") == 1);
    assert_int_equal(harness_selected(fx, "ssc-1"), 2);
    harness_press(SDLK_LEFT, KMOD_NONE);
    harness_set_axis(fx, LEFT_X, 0);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 1);
    harness_set_axis(fx, LEFT_X, -32767);
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") == 2);

    harness_press(SDLK_PAGEDOWN, KMOD_NONE);
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "Stop") == 2);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).page, 2);
    assert_int_equal(harness_audited(fx, "joystick", "ptz-stop"), 2);
    /* On the row page, camera 105 has no PTZ: the stick moves the selection. */
    harness_set_axis(fx, LEFT_X, 0);
    harness_step(fx);
    harness_set_axis(fx, LEFT_X, 32767);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 2);
    assert_int_equal(onvif_fake_count(&fake_ok, "Stop"), 2);
}

/* Losing focus, and the wall's end, stop a dome being steered. */
static void focus_loss_and_exit_stop_the_dome(void **state)
{
    struct fixture *fx = *state;
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    harness_set_axis(fx, LEFT_Y, 32767); /* down */
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") == 1);
    assert_true(near(last_call(&fake_ok).tilt, -1.0));
    SDL_Event focus = {.type = SDL_WINDOWEVENT};
    focus.window.event = SDL_WINDOWEVENT_FOCUS_LOST;
    SDL_PushEvent(&focus);
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "Stop") == 1);

    harness_command(fx, "ptz ssc-1 1 0 0 -0.5"); /* zoom out, from the socket */
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") == 2);
    assert_true(near(last_call(&fake_ok).zoom, -0.5));
    harness_detach(fx);
    wall_destroy(fx->wall);
    fx->wall = NULL;
    /* wall_destroy waited for the last Stop (or its timeout). */
    assert_int_equal(onvif_fake_count(&fake_ok, "Stop"), 2);
    assert_string_equal(last_call(&fake_ok).action, "Stop");
}

/* Digits then G, and a socket command, reach the camera's presets. */
static void presets_reach_the_camera(void **state)
{
    struct fixture *fx = *state;
    harness_type_digits("2");
    harness_press(SDLK_g, KMOD_NONE);
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "GotoPreset") == 1);
    struct onvif_fake_call call = last_call(&fake_ok);
    assert_string_equal(call.preset, "2");
    assert_string_equal(call.auth, "ok");
    assert_int_equal(harness_audited(fx, "keyboard", "ptz-preset"), 1);

    harness_command(fx, "ptz ssc-1 1 preset 1");
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "GotoPreset") == 2);
    assert_string_equal(last_call(&fake_ok).preset, "1");
    assert_int_equal(harness_audited(fx, "socket", "ptz-preset"), 1);
}

/* What may not be steered is refused with the reason, and nothing is sent. */
static void refusals_say_why(void **state)
{
    struct fixture *fx = *state;
    char reply[512];
    harness_reply(fx, "ptz ssc-1 2 0.5 0 0", reply, sizeof(reply));
    assert_string_equal(reply, "ERR camera 102 has no PTZ (Z zooms digitally)");
    harness_reply(fx, "ptz ssc-1 4 0.5 0 0", reply, sizeof(reply));
    assert_string_equal(reply, "ERR camera 104 is PTZ-locked");
    harness_reply(fx, "ptz g911-1 1 preset 1", reply, sizeof(reply));
    assert_string_equal(reply, "ERR PTZ is not steered from zone g911");
    harness_reply(fx, "ptz ssc-1 1 2 0 0", reply, sizeof(reply));
    assert_string_equal(reply, "ERR pan speed must be -1 to 1 (got '2')");
    harness_step(fx);
    assert_int_equal(onvif_fake_count(&fake_ok, "ContinuousMove"), 0);
    assert_int_equal(onvif_fake_count(&fake_ok, "GotoPreset"), 0);
    assert_int_equal(harness_audited(fx, "socket", "ptz-move"), 0);
}

/* A camera that never answers: the wall goes on drawing, the tile says
 * PTZ UNAVAILABLE, once, and further moves are refused at once. */
static void a_hanging_camera_leaves_the_wall_running(void **state)
{
    struct fixture *fx = *state;
    harness_command(fx, "select ssc-1 3"); /* camera 103 */
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    harness_capture_start(fx);
    harness_set_axis(fx, LEFT_X, 32767);
    long long frames = frames_rendered(fx);
    STEP_UNTIL(fx, plate_shown(fx, "PTZ UNAVAILABLE"));
    /* Drawn while the camera hung: the step loop never waited on it. */
    assert_true(frames_rendered(fx) > frames);
    assert_true(onvif_fake_count(&fake_hang, "ContinuousMove") +
                    onvif_fake_count(&fake_hang, "GetProfiles") >=
                1);
    char reply[512];
    harness_reply(fx, "ptz ssc-1 3 0 0.5 0", reply, sizeof(reply));
    assert_memory_equal(reply, "ERR camera 103: PTZ unavailable (", 33);
    /* Said once, however many moves were tried. */
    harness_set_axis(fx, LEFT_X, 0);
    harness_step(fx);
    harness_step(fx);
    char *log = harness_capture_end(fx);
    assert_int_equal(harness_count_of(log, "WARN  ptz: camera 103: PTZ unavailable"), 1);
    assert_int_equal(harness_count_of(log, "operator: camera 103: PTZ unavailable"), 1);
    assert_null(strstr(log, PASSWORD));
    free(log);
    /* The other dome is not held up by it. */
    harness_command(fx, "ptz ssc-1 1 0.25 0 0");
    STEP_UNTIL(fx, onvif_fake_count(&fake_ok, "ContinuousMove") == 1);
}

#define WITH_PTZ(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_PTZ(stick_steers_and_letting_go_stops),
        WITH_PTZ(deselecting_stops_the_dome),
        WITH_PTZ(focus_loss_and_exit_stop_the_dome),
        WITH_PTZ(presets_reach_the_camera),
        WITH_PTZ(refusals_say_why),
        WITH_PTZ(a_hanging_camera_leaves_the_wall_running),
    };
    return cmocka_run_group_tests(tests, harness_make_clips, harness_remove_clips);
}
