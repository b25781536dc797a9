/* Mouse and touch on a headless wall driven in-process (wall/pointer.h):
 * SDL mouse and finger events pushed with SDL_PushEvent, with no window,
 * so their coordinates are canvas pixels (fingers: 0..1 of the canvas),
 * then wall_step() until the `tiles` reply, the audit trail, the `plates`
 * reply or the pixels of a snapshot show the effect. Loops are bounded by
 * a safety number of steps that fails the test; nothing sleeps, no timing
 * is asserted. The fixture (two outputs side by side: ssc-1 with cameras
 * 101 red, 102 green, 103 blue, 104 a red|blue|green band; g911-1 with the
 * guardians camera 5001 white and three empty tiles) is input_harness.h's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <cmocka.h>

#include "common/log.h"
#include "layouts/layout.h"
#include "wall/wall.h"

#include "input_harness.h"

#define CANVAS_W 1280.0 /* the two outputs of the test layout */
#define CANVAS_H 360.0

/* ---- Events ---- */

/* A point at (u, v), fractions of `r`. */
static void at(struct layout_rect r, double u, double v, int *x, int *y)
{
    *x = r.x + (int)(u * r.w);
    *y = r.y + (int)(v * r.h);
}

static void push(SDL_Event *e)
{
    assert_int_equal(SDL_PushEvent(e), 1);
}

static void mouse_button(Uint32 which, Uint8 button, bool down, int x, int y, Uint8 clicks)
{
    SDL_Event e = {.type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP};
    e.button.which = which;
    e.button.button = button;
    e.button.state = down ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = clicks;
    e.button.x = x;
    e.button.y = y;
    push(&e);
}

/* A click of `button` at (u, v) of `r`; `clicks` as SDL counts them. */
static void click(struct layout_rect r, double u, double v, Uint8 button, Uint8 clicks)
{
    int x, y;
    at(r, u, v, &x, &y);
    mouse_button(0, button, true, x, y, clicks);
    mouse_button(0, button, false, x, y, clicks);
}

static void motion(int x, int y, bool held)
{
    SDL_Event e = {.type = SDL_MOUSEMOTION};
    e.motion.state = held ? SDL_BUTTON_LMASK : 0;
    e.motion.x = x;
    e.motion.y = y;
    push(&e);
}

/* The left button pressed at (u0, v) of `from`, moved in steps to (u1, v)
 * of `to`, released there. */
static void drag(struct layout_rect from, double u0, struct layout_rect to, double u1, double v)
{
    int x0, y0, x1, y1;
    at(from, u0, v, &x0, &y0);
    at(to, u1, v, &x1, &y1);
    mouse_button(0, SDL_BUTTON_LEFT, true, x0, y0, 1);
    for (int i = 1; i <= 8; i++) {
        motion(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8, true);
    }
    mouse_button(0, SDL_BUTTON_LEFT, false, x1, y1, 1);
}

static void wheel(struct layout_rect r, double u, double v, int notches)
{
    SDL_Event e = {.type = SDL_MOUSEWHEEL};
    e.wheel.y = notches;
    e.wheel.preciseY = (float)notches;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    at(r, u, v, &e.wheel.mouseX, &e.wheel.mouseY);
    push(&e);
}

static void finger(Uint32 type, SDL_FingerID id, struct layout_rect r, double u, double v)
{
    int x, y;
    at(r, u, v, &x, &y);
    SDL_Event e = {.type = type};
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = id;
    e.tfinger.x = (float)(x / CANVAS_W);
    e.tfinger.y = (float)(y / CANVAS_H);
    e.tfinger.pressure = 1.0f;
    push(&e);
}

static void tap(struct layout_rect r, double u, double v)
{
    finger(SDL_FINGERDOWN, 7, r, u, v);
    finger(SDL_FINGERUP, 7, r, u, v);
}

/* ---- What the wall says ---- */

/* Whether the `plates` reply has a plate whose text holds `text`. */
static bool plate_says(struct fixture *fx, const char *text)
{
    static char reply[65536];
    harness_reply(fx, "plates", reply, sizeof(reply));
    assert_memory_equal(reply, "OK [", 4);
    return strstr(reply, text) != NULL;
}

/* The audit trail's last line with `action` (empty when none). */
static void audit_line(struct fixture *fx, const char *action, char *line, size_t size)
{
    FILE *f = fopen(fx->audit, "r");
    assert_non_null(f);
    char buf[1024], want[64];
    snprintf(want, sizeof(want), " action=%s ", action);
    line[0] = '\0';
    while (fgets(buf, sizeof(buf), f)) {
        if (strstr(buf, want)) {
            snprintf(line, size, "%s", buf);
        }
    }
    fclose(f);
}

static void wait_live(struct fixture *fx, const char *output, int tile)
{
    STEP_UNTIL(fx, strcmp(harness_tile(fx, output, tile).state, "live") == 0);
}

static int visible(struct fixture *fx, const char *output)
{
    struct tile_info tiles[MAX_TILES];
    return harness_tiles_of(fx, output, tiles);
}

/* ---- Mouse ---- */

static void click_selects_a_tile_on_another_output(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);
    click(harness_tile_rect(fx, 1, 3), 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 3);
    assert_int_equal(harness_selected(fx, "ssc-1"), 0); /* not the selected output now */

    click(harness_tile_rect(fx, 0, 2), 0.3, 0.7, SDL_BUTTON_LEFT, 1);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 2);
    assert_int_equal(harness_selected(fx, "g911-1"), 0);
    assert_int_equal(harness_audited(fx, "mouse", "maximize"), 0);
}

static void double_click_maximizes_and_restores(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect r = harness_tile_rect(fx, 0, 3);
    click(r, 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    click(r, 0.5, 0.5, SDL_BUTTON_LEFT, 2);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(visible(fx, "ssc-1"), 1);
    assert_int_equal(harness_audited(fx, "mouse", "maximize"), 1);

    /* The maximized tile covers the output: a double click anywhere on it. */
    r = harness_tile_rect(fx, 0, 2);
    click(r, 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    click(r, 0.5, 0.5, SDL_BUTTON_LEFT, 2);
    STEP_UNTIL(fx, visible(fx, "ssc-1") == 4);
    assert_false(harness_tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(harness_selected(fx, "ssc-1"), 3);
    assert_int_equal(harness_audited(fx, "mouse", "restore"), 1);
}

static void wheel_zooms_at_the_pointer(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect band = fx->band_tile;
    wait_live(fx, "ssc-1", 4);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, BLUE, GREEN));

    /* Over the green right of the band tile, which is not selected: it is
     * selected and zoomed. */
    wheel(band, 0.85, 0.5, 1);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom > 1.2);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom < 1.3);
    for (int i = 0; i < 6; i++) {
        wheel(band, 0.85, 0.5, 1);
    }
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom > 4.5);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom < 5.0);
    /* At the pointer: the green under it fills the tile (zoomed at the
     * centre, the blue band would). */
    STEP_UNTIL(fx, harness_band_tile_shows(fx, GREEN, GREEN, GREEN));

    /* Back out to 1x ends zoom mode, and the whole picture shows again. */
    wheel(band, 0.85, 0.5, -7);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom < 1.01);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, BLUE, GREEN));
    wheel(band, 0.5, 0.5, -1); /* zooming out of an unzoomed tile: nothing */
    harness_step(fx);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom < 1.01);
}

static void drag_pans_while_zoomed(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect band = fx->band_tile;
    wait_live(fx, "ssc-1", 4);
    for (int i = 0; i < 6; i++) {
        wheel(band, 0.5, 0.5, 1); /* 3.8x at the centre */
    }
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom > 3.5);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, BLUE, BLUE, BLUE));

    /* The picture follows the pointer: dragged right, its red left shows. */
    drag(band, 0.2, band, 0.8, 0.5);
    drag(band, 0.2, band, 0.8, 0.5);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, RED, RED));
    assert_true(harness_tile(fx, "ssc-1", 4).zoom > 3.5);
    assert_int_equal(harness_tile(fx, "ssc-1", 4).camera, 104);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
    assert_int_equal(harness_audited(fx, "mouse", "swap"), 0);
}

static void drag_swaps_cameras(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect one = harness_tile_rect(fx, 0, 1), two = harness_tile_rect(fx, 0, 2);
    wait_live(fx, "ssc-1", 1);
    wait_live(fx, "ssc-1", 2);
    STEP_UNTIL(fx, harness_rect_shows(fx, one, RED, RED, RED));

    drag(one, 0.5, two, 0.5, 0.5);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 102);
    assert_int_equal(harness_tile(fx, "ssc-1", 2).camera, 101);
    assert_int_equal(harness_audited(fx, "mouse", "swap"), 1);
    char line[1024];
    audit_line(fx, "swap", line, sizeof(line));
    assert_non_null(strstr(line, "output=ssc-1 tile=1 camera=102 name=\"Verde\""));
    assert_non_null(strstr(line, "with_output=ssc-1 with_tile=2 with_camera=101"));
    assert_non_null(strstr(line, "with_name=\"Rojo\""));
    STEP_UNTIL(fx, harness_rect_shows(fx, one, GREEN, GREEN, GREEN));
    STEP_UNTIL(fx, harness_rect_shows(fx, two, RED, RED, RED));

    /* A press that does not move is a click, not a swap. */
    drag(two, 0.5, two, 0.51, 0.5);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 2);
    assert_int_equal(harness_audited(fx, "mouse", "swap"), 1);
}

static void swap_across_zones_is_refused(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect ssc = harness_tile_rect(fx, 0, 1);
    wait_live(fx, "ssc-1", 1);
    wait_live(fx, "g911-1", 1);

    /* 101 (ssc) onto 5001 (guardians), then onto an empty guardians tile. */
    drag(ssc, 0.5, harness_tile_rect(fx, 1, 1), 0.5, 0.5);
    STEP_UNTIL(fx, plate_says(fx, "not allowed on output g911-1"));
    drag(ssc, 0.5, harness_tile_rect(fx, 1, 2), 0.5, 0.5);
    harness_step(fx);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
    assert_int_equal(harness_tile(fx, "g911-1", 1).camera, 5001);
    assert_int_equal(harness_tile(fx, "g911-1", 2).camera, 0);
    assert_int_equal(harness_audited(fx, "mouse", "swap"), 0);
    STEP_UNTIL(fx, harness_rect_shows(fx, ssc, RED, RED, RED));
}

static void right_click_shows_details_until_the_next_click(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect one = harness_tile_rect(fx, 0, 1);
    wait_live(fx, "ssc-1", 1);
    /* The tile's top left inside its frame: red picture, no text yet. */
    struct layout_rect corner = {one.x + 10, one.y + 10, one.w / 2, one.h / 4};
    STEP_UNTIL(fx, harness_rect_shows(fx, one, RED, RED, RED));
    int before = harness_white_pixels(fx, corner);

    click(one, 0.5, 0.5, SDL_BUTTON_RIGHT, 1);
    STEP_UNTIL(fx, plate_says(fx, "101  Rojo   live   main 160x90"));
    STEP_UNTIL(fx, harness_white_pixels(fx, corner) > before + 40);
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);

    click(harness_tile_rect(fx, 0, 4), 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    STEP_UNTIL(fx, !plate_says(fx, "Rojo   live"));
    STEP_UNTIL(fx, harness_white_pixels(fx, corner) <= before);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
}

static void synthetic_touch_mouse_is_ignored(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect three = harness_tile_rect(fx, 0, 3);
    int x, y;
    at(harness_tile_rect(fx, 1, 2), 0.5, 0.5, &x, &y);
    mouse_button(SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, true, x, y, 1);
    mouse_button(SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, false, x, y, 1);
    /* A tap, and the mouse SDL makes of it: as a second click it would
     * maximize the tile. */
    at(three, 0.5, 0.5, &x, &y);
    tap(three, 0.5, 0.5);
    mouse_button(SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, true, x, y, 2);
    mouse_button(SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, false, x, y, 2);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 3);
    harness_step(fx);
    assert_false(harness_tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(harness_selected(fx, "g911-1"), 0);
    assert_int_equal(harness_audited(fx, "mouse", "maximize"), 0);
}

static void click_on_an_alarm_selects_the_output_only(void **state)
{
    struct fixture *fx = *state;
    click(harness_tile_rect(fx, 1, 2), 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 2);
    harness_command(fx, "alarm 102 ssc-1 600");
    STEP_UNTIL(fx, visible(fx, "ssc-1") == 1);

    /* Over where tile 3 was: the alarm is no tile to maximize, zoom or
     * describe; the output is selected. */
    struct layout_rect three = harness_tile_rect(fx, 0, 3);
    click(three, 0.5, 0.5, SDL_BUTTON_LEFT, 1);
    click(three, 0.5, 0.5, SDL_BUTTON_LEFT, 2);
    wheel(three, 0.5, 0.5, 3);
    click(three, 0.5, 0.5, SDL_BUTTON_RIGHT, 1);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 0);
    harness_step(fx);
    assert_int_equal(visible(fx, "ssc-1"), 1);
    assert_true(harness_tile(fx, "ssc-1", 0).zoom < 1.01); /* the alarm: tile 0 */
    assert_false(plate_says(fx, "main 160x90"));
    assert_int_equal(harness_audited(fx, "mouse", "maximize"), 0);
    assert_int_equal(harness_audited(fx, "mouse", "restore"), 0);
}

/* ---- Touch ---- */

static void tap_selects_and_double_tap_maximizes(void **state)
{
    struct fixture *fx = *state;
    tap(harness_tile_rect(fx, 1, 2), 0.5, 0.5);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 2);

    struct layout_rect three = harness_tile_rect(fx, 0, 3);
    tap(three, 0.4, 0.5);
    tap(three, 0.42, 0.5);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(harness_audited(fx, "touch", "maximize"), 1);
    tap(three, 0.4, 0.5);
    tap(three, 0.42, 0.5);
    STEP_UNTIL(fx, visible(fx, "ssc-1") == 4);
    assert_int_equal(harness_audited(fx, "touch", "restore"), 1);
    assert_int_equal(harness_selected(fx, "ssc-1"), 3);
}

/* Two fingers down at u0, u1 of `r`, moved to u2, u3 in steps (one finger,
 * then the other, as events come), then lifted. */
static void two_fingers(struct layout_rect r, double u0, double u1, double u2, double u3)
{
    finger(SDL_FINGERDOWN, 1, r, u0, 0.5);
    finger(SDL_FINGERDOWN, 2, r, u1, 0.5);
    for (int i = 1; i <= 12; i++) {
        finger(SDL_FINGERMOTION, 1, r, u0 + (u2 - u0) * i / 12, 0.5);
        finger(SDL_FINGERMOTION, 2, r, u1 + (u3 - u1) * i / 12, 0.5);
    }
    finger(SDL_FINGERUP, 1, r, u2, 0.5);
    finger(SDL_FINGERUP, 2, r, u3, 0.5);
}

static void pinch_zooms_and_two_fingers_pan(void **state)
{
    struct fixture *fx = *state;
    struct layout_rect band = fx->band_tile;
    wait_live(fx, "ssc-1", 4);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, BLUE, GREEN));

    /* Spread four times apart about the centre. */
    two_fingers(band, 0.4, 0.6, 0.1, 0.9);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom > 3.9);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom < 4.1);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, BLUE, BLUE, BLUE));

    /* Moved right together, four times: the picture follows to its red
     * left; the zoom stays. */
    for (int i = 0; i < 4; i++) {
        two_fingers(band, 0.1, 0.5, 0.4, 0.8);
    }
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, RED, RED));
    assert_true(harness_tile(fx, "ssc-1", 4).zoom > 3.9);
    assert_int_equal(harness_tile(fx, "ssc-1", 4).camera, 104);
    assert_int_equal(harness_audited(fx, "touch", "swap"), 0);
}

/* ---- The control socket ---- */

static void socket_swaps_as_the_mouse_does(void **state)
{
    struct fixture *fx = *state;
    char reply[512];
    harness_reply(fx, "swap ssc-1 1 ssc-1 3", reply, sizeof(reply));
    assert_string_equal(reply, "OK output ssc-1 tile 1 swapped with output ssc-1 tile 3");
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 103);
    assert_int_equal(harness_tile(fx, "ssc-1", 3).camera, 101);
    assert_int_equal(harness_audited(fx, "socket", "swap"), 1);

    /* An empty guardians tile and an ssc one: the camera may not go. */
    harness_reply(fx, "swap g911-1 2 1 1", reply, sizeof(reply));
    assert_string_equal(reply, "ERR camera 103 (ssc) is not allowed on output g911-1 (zone g911)");
    harness_reply(fx, "swap ssc-1 2 ssc-1 2", reply, sizeof(reply));
    assert_memory_equal(reply, "ERR ", 4);
    harness_reply(fx, "swap ssc-1 5 g911-1 1", reply, sizeof(reply));
    assert_string_equal(reply, "ERR tile must be 1 to 4 (got '5')");
    harness_reply(fx, "swap ssc-1 1", reply, sizeof(reply));
    assert_string_equal(reply, "ERR usage: swap OUTPUT TILE OUTPUT TILE");
    harness_step(fx);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 103);
    assert_int_equal(harness_tile(fx, "g911-1", 2).camera, 0);
    assert_int_equal(harness_audited(fx, "socket", "swap"), 1);
}

/* A test on a fresh wall: the fixture's setup and teardown around it. */
#define WITH_WALL(test) cmocka_unit_test_setup_teardown(test, harness_setup, harness_teardown)

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    log_set_level(LOG_INFO);
    const struct CMUnitTest tests[] = {
        WITH_WALL(click_selects_a_tile_on_another_output),
        WITH_WALL(double_click_maximizes_and_restores),
        WITH_WALL(wheel_zooms_at_the_pointer),
        WITH_WALL(drag_pans_while_zoomed),
        WITH_WALL(drag_swaps_cameras),
        WITH_WALL(swap_across_zones_is_refused),
        WITH_WALL(right_click_shows_details_until_the_next_click),
        WITH_WALL(synthetic_touch_mouse_is_ignored),
        WITH_WALL(click_on_an_alarm_selects_the_output_only),
        WITH_WALL(tap_selects_and_double_tap_maximizes),
        WITH_WALL(pinch_zooms_and_two_fingers_pan),
        WITH_WALL(socket_swaps_as_the_mouse_does),
    };
    return cmocka_run_group_tests(tests, harness_make_clips, harness_remove_clips);
}
