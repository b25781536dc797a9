/* Operator input on a headless wall driven in-process: keys pushed with
 * SDL_PushEvent, a virtual game controller and a virtual plain joystick
 * (SDL_JoystickAttachVirtual), each followed by wall_step() until the
 * wall's state (the control socket's `tiles` reply) or its pixels (the
 * `snapshot` command) show the effect. Loops are bounded by a safety
 * number of steps that fails the test; nothing sleeps, no timing is
 * asserted. Clips are solid colours made with the ffmpeg CLI. The fixture
 * and helpers are in input_harness.h. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <cmocka.h>

#include "common/i18n.h"
#include "common/log.h"
#include "layouts/layout.h"
#include "wall/bindings.h"
#include "wall/wall.h"

#include "input_harness.h"

/* ---- Keyboard ---- */

static void dial_camera_into_tile(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
    harness_type_digits("105");
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 105);
    assert_false(harness_tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(harness_audited(fx, "keyboard", "put"), 1);

    /* The keypad dials too, into the tile the arrow selected. */
    harness_press(SDLK_RIGHT, KMOD_NONE);
    harness_press(SDLK_KP_1, KMOD_NUM);
    harness_press(SDLK_KP_0, KMOD_NUM);
    harness_press(SDLK_KP_3, KMOD_NUM);
    harness_press(SDLK_KP_ENTER, KMOD_NUM);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 2).camera == 103);
    assert_int_equal(harness_selected(fx, "ssc-1"), 2);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 105);
}

static void enter_alone_maximizes_and_restores(void **state)
{
    struct fixture *fx = *state;
    struct tile_info tiles[MAX_TILES];
    harness_press(SDLK_DOWN, KMOD_NONE);
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 3).maximized);
    assert_int_equal(harness_tiles_of(fx, "ssc-1", tiles), 1);
    assert_int_equal(tiles[0].camera, 103);

    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tiles_of(fx, "ssc-1", tiles) == 4);
    for (int i = 0; i < 4; i++) {
        assert_false(tiles[i].maximized);
    }
}

static void page_keys_change_page(void **state)
{
    struct fixture *fx = *state;
    harness_press(SDLK_PAGEDOWN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).page == 2);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 105);
    harness_press(SDLK_PAGEUP, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).page == 1);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);

    harness_press(SDLK_F2, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).page == 2);
    harness_press(SDLK_F1, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).page == 1);
    /* The other monitor's page never moved. */
    assert_int_equal(harness_tile(fx, "g911-1", 1).page, 1);
}

static void cross_zone_camera_is_refused(void **state)
{
    struct fixture *fx = *state;
    harness_capture_start(fx);
    harness_type_digits("5001");
    harness_press(SDLK_RETURN, KMOD_NONE);
    harness_step(fx); /* reads every pushed key */
    harness_step(fx);
    char *log = harness_capture_end(fx);
    assert_non_null(strstr(log, "camera 5001"));
    free(log);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
    assert_false(harness_tile(fx, "ssc-1", 1).maximized);

    /* The refusal cleared the entry: Enter alone now maximizes. */
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, !harness_tile(fx, "ssc-1", 1).maximized);

    /* The same camera on the Guardians monitor (2 M) is admitted. */
    harness_type_digits("2");
    harness_press(SDLK_m, KMOD_NONE);
    harness_press(SDLK_RIGHT, KMOD_NONE);
    harness_type_digits("5001");
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "g911-1", 2).camera == 5001);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
}

static void escape_and_backspace_edit_the_entry(void **state)
{
    struct fixture *fx = *state;
    harness_type_digits("102");
    harness_press(SDLK_ESCAPE, KMOD_NONE);
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).maximized);
    assert_int_equal(harness_tile(fx, "ssc-1", 1).camera, 101);
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, !harness_tile(fx, "ssc-1", 1).maximized);

    harness_type_digits("1033");
    harness_press(SDLK_BACKSPACE, KMOD_NONE);
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 103);
    assert_false(harness_tile(fx, "ssc-1", 1).maximized);
}

/* The digits being typed show on a plate at the selected output's top left;
 * once the entry is cleared the plate is gone, also where nothing else
 * would redraw it (an empty tile: drawing redraws only what changed). */
static void entry_plate_goes_away(void **state)
{
    struct fixture *fx = *state;
    harness_command(fx, "put 0 ssc-1 1");
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 0);
    const struct layout_rect where = {12, 12, 130, 50}; /* inside the selection frame */
    harness_step(fx);
    int before = harness_white_pixels(fx, where);
    harness_type_digits("12");
    STEP_UNTIL(fx, harness_white_pixels(fx, where) > before + 20);
    harness_press(SDLK_ESCAPE, KMOD_NONE);
    STEP_UNTIL(fx, harness_white_pixels(fx, where) == before);
}

static void monitor_keys_select_outputs(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);
    harness_type_digits("2");
    harness_press(SDLK_m, KMOD_NONE);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 1);
    assert_int_equal(harness_selected(fx, "ssc-1"), 0);

    harness_press(SDLK_TAB, KMOD_LSHIFT);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 1);
    harness_press(SDLK_TAB, KMOD_NONE);
    STEP_UNTIL(fx, harness_selected(fx, "g911-1") == 1);

    harness_capture_start(fx);
    harness_type_digits("9");
    harness_press(SDLK_m, KMOD_NONE);
    harness_step(fx); /* reads every pushed key */
    char *log = harness_capture_end(fx);
    assert_non_null(strstr(log, "monitor 9"));
    free(log);
    assert_int_equal(harness_selected(fx, "g911-1"), 1);
}

static void tour_pause_and_snapshot_keys(void **state)
{
    struct fixture *fx = *state;
    harness_type_digits("1"); /* tour 1, then T */
    harness_press(SDLK_t, KMOD_NONE);
    STEP_UNTIL(fx, harness_audited(fx, "keyboard", "tour-start") == 1);
    harness_press(SDLK_SPACE, KMOD_NONE);
    STEP_UNTIL(fx, harness_audited(fx, "keyboard", "tour-pause") == 1);
    harness_press(SDLK_SPACE, KMOD_NONE);
    STEP_UNTIL(fx, harness_audited(fx, "keyboard", "tour-resume") == 1);
    harness_press(SDLK_t, KMOD_NONE);
    STEP_UNTIL(fx, harness_audited(fx, "keyboard", "tour-stop") == 1);

    harness_capture_start(fx);
    harness_press(SDLK_s, KMOD_NONE);
    harness_step(fx);
    char *log = harness_capture_end(fx);
    char notice[96];
    snprintf(notice, sizeof(notice), "operator: %s/", harness_clip_dir);
    const char *shown = strstr(log, notice); /* the notice names the file */
    assert_non_null(shown);
    char path[256];
    assert_int_equal(sscanf(shown + strlen("operator: "), "%255[^ \n]", path), 1);
    assert_non_null(strstr(path, "/101-"));
    assert_int_equal(access(path, R_OK), 0);
    free(log);
}

/* keys and buttons in the file: rebinding, take-overs, unknown names. */
static const char bindings_text[] = "keys = {\n"
                                    "  tour = \"Tabb\";\n"
                                    "  maximize = [\"Retrun\", \"X\"];\n"
                                    "  snapshot = \"Page Down\";\n"
                                    "  previous_output = \"Shift + F9\";\n"
                                    "};\n"
                                    "buttons = { zoom = 7; };\n";

static void file_bindings_override_defaults(void **state)
{
    struct fixture *fx = *state;
    int first = harness_write_layout(fx, bindings_text); /* lines before the bindings */
    struct layout_wall *layout = harness_load(fx->path);

    harness_capture_start(fx);
    struct bindings b;
    assert_true(bindings_init(&b, layout));
    char *log = harness_capture_end(fx);
    char want[256];
    snprintf(want, sizeof(want), "%s:%d: unknown key name 'Tabb' for tour", fx->path, first + 2);
    assert_int_equal(harness_count_of(log, want), 1);
    snprintf(want, sizeof(want), "%s:%d: unknown key name 'Retrun' for maximize", fx->path,
             first + 3);
    assert_int_equal(harness_count_of(log, want), 1);
    free(log);

    assert_int_equal(bindings_key(&b, SDLK_t, 0), BINDING_TOUR); /* no known name: built-in kept */
    assert_int_equal(bindings_key(&b, SDLK_x, 0), BINDING_MAXIMIZE);
    assert_int_equal(bindings_key(&b, SDLK_RETURN, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_KP_ENTER, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_PAGEDOWN, 0), BINDING_SNAPSHOT); /* taken over */
    assert_int_equal(bindings_key(&b, SDLK_s, 0), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_F9, BINDING_SHIFT), BINDING_PREVIOUS_OUTPUT);
    assert_int_equal(bindings_key(&b, SDLK_F9, 0), BINDING_PAGE_1 + 8);
    assert_int_equal(bindings_key(&b, SDLK_TAB, BINDING_SHIFT), BINDING_NONE);
    assert_int_equal(bindings_key(&b, SDLK_TAB, 0), BINDING_NEXT_OUTPUT);
    assert_int_equal(bindings_key(&b, SDLK_PAGEUP, 0), BINDING_PREVIOUS_PAGE);
    assert_int_equal(bindings_button(&b, true, 7), BINDING_ZOOM);
    assert_int_equal(bindings_button(&b, false, 7), BINDING_ZOOM);
    assert_int_equal(bindings_button(&b, true, SDL_CONTROLLER_BUTTON_B), BINDING_NONE);
    assert_int_equal(bindings_button(&b, false, 1), BINDING_NONE);
    assert_int_equal(bindings_button(&b, true, SDL_CONTROLLER_BUTTON_A), BINDING_MAXIMIZE);
    assert_int_equal(bindings_button(&b, false, 200), BINDING_NONE);
    bindings_finish(&b);
    layout_destroy(layout);
}

static void defaults_match_the_readme(void **state)
{
    struct bindings b;
    assert_true(bindings_init(&b, NULL));
    static const struct {
        SDL_Keycode key;
        unsigned mods;
        enum binding_action action;
    } table[] = {
        {SDLK_LEFT, 0, BINDING_SELECT_LEFT},
        {SDLK_RIGHT, 0, BINDING_SELECT_RIGHT},
        {SDLK_UP, 0, BINDING_SELECT_UP},
        {SDLK_DOWN, 0, BINDING_SELECT_DOWN},
        {SDLK_TAB, 0, BINDING_NEXT_OUTPUT},
        {SDLK_TAB, BINDING_SHIFT, BINDING_PREVIOUS_OUTPUT},
        {SDLK_RETURN, 0, BINDING_MAXIMIZE},
        {SDLK_KP_ENTER, 0, BINDING_MAXIMIZE},
        {SDLK_PAGEDOWN, 0, BINDING_NEXT_PAGE},
        {SDLK_PAGEUP, 0, BINDING_PREVIOUS_PAGE},
        {SDLK_t, 0, BINDING_TOUR},
        {SDLK_SPACE, 0, BINDING_PAUSE_TOUR},
        {SDLK_s, 0, BINDING_SNAPSHOT},
        {SDLK_z, 0, BINDING_ZOOM},
        {SDLK_r, 0, BINDING_REPLAY},
        {SDLK_p, 0, BINDING_REPLAY_PAUSE},
        {SDLK_PERIOD, 0, BINDING_REPLAY_STEP},
        {SDLK_RIGHTBRACKET, 0, BINDING_REPLAY_FASTER},
        {SDLK_LEFTBRACKET, 0, BINDING_REPLAY_SLOWER},
        {SDLK_e, 0, BINDING_EXPORT},
        {SDLK_g, 0, BINDING_PRESET},
        {SDLK_KP_MULTIPLY, 0, BINDING_PRESET},
        {SDLK_ESCAPE, 0, BINDING_CLEAR_ENTRY},
        {SDLK_F1, 0, BINDING_PAGE_1},
        {SDLK_F12, 0, BINDING_PAGE_12},
        {SDLK_m, 0, BINDING_NONE},
        {SDLK_1, 0, BINDING_NONE},
        {SDLK_t, BINDING_CTRL, BINDING_NONE},
        {SDLK_q, BINDING_CTRL, BINDING_QUIT},
        {SDLK_q, 0, BINDING_NONE},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        assert_int_equal(bindings_key(&b, table[i].key, table[i].mods), table[i].action);
    }
    assert_string_equal(bindings_action_name(BINDING_PAGE_12), "page_12");
    assert_string_equal(bindings_action_name(BINDING_PREVIOUS_OUTPUT), "previous_output");
    assert_string_equal(bindings_action_name(BINDING_QUIT), "quit");
    assert_string_equal(bindings_action_name(BINDING_NONE), "none");
    bindings_finish(&b);
}

/* Quit is a binding like the others: a file that gives it other keys and
 * a button takes Ctrl+Q from it. */
static void quit_is_a_binding(void **state)
{
    char *keys[] = {"Ctrl+X"};
    int buttons[] = {9};
    struct layout_binding quit = {.id = LAYOUT_ACTION_QUIT,
                                  .action = "quit",
                                  .keys = keys,
                                  .n_keys = 1,
                                  .buttons = buttons,
                                  .n_buttons = 1};
    struct layout_wall layout = {.bindings = &quit, .n_bindings = 1};
    struct bindings b;
    assert_true(bindings_init(&b, &layout));
    assert_int_equal(bindings_key(&b, SDLK_x, BINDING_CTRL), BINDING_QUIT);
    assert_int_equal(bindings_key(&b, SDLK_q, BINDING_CTRL), BINDING_NONE);
    assert_int_equal(bindings_button(&b, true, 9), BINDING_QUIT);
    assert_int_equal(bindings_button(&b, false, 9), BINDING_QUIT);
    assert_int_equal(bindings_key(&b, SDLK_RETURN, 0), BINDING_MAXIMIZE); /* others kept */
    bindings_finish(&b);
}

/* The wall itself: a rebound key works, the built-in one no longer. */
static void file_bindings_drive_the_wall(void **state)
{
    struct fixture *fx = *state;
    wall_destroy(fx->wall);
    harness_write_layout(fx, "keys = { maximize = \"X\"; };\n");
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);

    harness_press(SDLK_RETURN, KMOD_NONE);
    harness_step(fx); /* reads every pushed key */
    assert_false(harness_tile(fx, "ssc-1", 1).maximized);
    harness_press(SDLK_x, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).maximized);
    /* Enter still puts a dialled camera. */
    harness_type_digits("104");
    harness_press(SDLK_RETURN, KMOD_NONE);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).camera == 104);
}

/* Quit is a binding: the file's key stops the wall, Ctrl+Q then does not. */
static void rebound_quit_key_stops_the_wall(void **state)
{
    struct fixture *fx = *state;
    wall_destroy(fx->wall);
    harness_write_layout(fx, "keys = { quit = \"Ctrl+X\"; };\n");
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);
    harness_press(SDLK_q, KMOD_LCTRL);
    harness_step(fx); /* fails if the wall stops */
    harness_press(SDLK_x, KMOD_LCTRL);
    harness_step(fx); /* reads the key; the quit comes with the next step's events */
    assert_false(wall_step(fx->wall));
}

/* ---- Joysticks ---- */

static void controller_moves_selection_and_maximizes(void **state)
{
    struct fixture *fx = *state;
    harness_capture_start(fx);
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
    assert_true(SDL_IsGameController(fx->joystick_index));

    harness_set_axis(fx, LEFT_X, 6000); /* inside the dead zone */
    harness_step(fx);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);

    harness_set_axis(fx, LEFT_X, 32767);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 2); /* at once, one tile */
    harness_set_axis(fx, LEFT_X, 0);
    harness_set_axis(fx, LEFT_Y, 32767);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
    harness_set_axis(fx, LEFT_Y, 0);
    harness_step(fx);

    harness_click(fx, BUTTON_A);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).maximized);
    assert_int_equal(harness_tile(fx, "ssc-1", 4).camera, 104);
    assert_int_equal(harness_audited(fx, "joystick", "maximize"), 1);

    harness_detach(fx);
    harness_step(fx);
    char *log = harness_capture_end(fx);
    assert_int_equal(harness_count_of(log, "game controller connected: "), 1);
    assert_int_equal(harness_count_of(log, "game controller disconnected: "), 1);
    free(log);
}

static void held_stick_repeats(void **state)
{
    struct fixture *fx = *state;
    harness_press(SDLK_PAGEDOWN, KMOD_NONE); /* one row of four tiles */
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).page == 2);
    assert_int_equal(harness_selected(fx, "ssc-1"), 1);
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);

    harness_set_axis(fx, LEFT_X, 32767);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 2);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 4);
    harness_set_axis(fx, LEFT_X, 0);
    harness_step(fx);

    /* A flick: pushed and let go between two frames still moves once. */
    harness_set_axis(fx, LEFT_X, -32768);
    SDL_JoystickUpdate();
    harness_set_axis(fx, LEFT_X, 0);
    harness_step(fx);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 3);
}

static void trigger_zooms_and_stick_pans(void **state)
{
    struct fixture *fx = *state;
    STEP_UNTIL(fx, strcmp(harness_tile(fx, "ssc-1", 4).state, "live") == 0);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, BLUE, GREEN));

    harness_press(SDLK_RIGHT, KMOD_NONE);
    harness_press(SDLK_DOWN, KMOD_NONE);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 4);
    harness_attach(fx, SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);

    harness_set_axis(fx, RIGHT_TRIGGER, 32767); /* not in zoom mode: nothing */
    harness_step(fx);
    harness_step(fx);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom < 1.01);
    harness_set_axis(fx, RIGHT_TRIGGER, -32768);
    harness_step(fx);

    harness_click(fx, BUTTON_B);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom > 1.5);
    harness_set_axis(fx, RIGHT_TRIGGER, 32767);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 4).zoom >= 4.0);
    harness_set_axis(fx, RIGHT_TRIGGER, -32768);
    harness_step(fx);
    /* At 4x on the centre, the blue band fills the tile. */
    assert_true(harness_band_tile_shows(fx, BLUE, BLUE, BLUE));

    harness_set_axis(fx, LEFT_X, -32768);
    STEP_UNTIL(fx, harness_band_tile_shows(fx, RED, RED, RED)); /* panned into the red left */
    harness_set_axis(fx, LEFT_X, 0);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 4);
    assert_true(harness_tile(fx, "ssc-1", 4).zoom <= 8.0);
}

static void plain_joystick_hat_buttons_and_twist(void **state)
{
    struct fixture *fx = *state;
    harness_capture_start(fx);
    harness_attach(fx, SDL_JOYSTICK_TYPE_FLIGHT_STICK, 4, 8, 1);
    assert_false(SDL_IsGameController(fx->joystick_index));

    assert_int_equal(SDL_JoystickSetVirtualHat(fx->joystick, 0, SDL_HAT_RIGHT), 0);
    harness_step(fx);
    assert_int_equal(harness_selected(fx, "ssc-1"), 2);
    assert_int_equal(SDL_JoystickSetVirtualHat(fx->joystick, 0, SDL_HAT_CENTERED), 0);
    harness_step(fx);

    harness_click(fx, 1); /* zoom */
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 2).zoom > 1.5);
    harness_set_axis(fx, 3, 32767); /* twist clockwise */
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 2).zoom >= 3.0);
    harness_set_axis(fx, 3, 0);
    harness_click(fx, 1);
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 2).zoom < 1.01);

    harness_click(fx, 0); /* maximize */
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 2).maximized);
    harness_detach(fx);
    harness_step(fx);
    char *log = harness_capture_end(fx);
    assert_int_equal(harness_count_of(log, "joystick connected: "), 1);
    assert_int_equal(harness_count_of(log, "joystick disconnected: "), 1);
    free(log);
}

/* Every tile of `output` as the `tiles` reply shows it. */
struct tiles_state {
    struct tile_info tiles[MAX_TILES];
    int n;
};

static struct tiles_state tiles_state(struct fixture *fx, const char *output)
{
    struct tiles_state st;
    memset(&st, 0, sizeof(st));
    st.n = harness_tiles_of(fx, output, st.tiles);
    return st;
}

static void assert_same_tiles(const struct tiles_state *a, const struct tiles_state *b)
{
    assert_int_equal(a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        assert_int_equal(a->tiles[i].tile, b->tiles[i].tile);
        assert_int_equal(a->tiles[i].camera, b->tiles[i].camera);
        assert_int_equal(a->tiles[i].selected, b->tiles[i].selected);
        assert_int_equal(a->tiles[i].maximized, b->tiles[i].maximized);
        assert_true(fabs(a->tiles[i].zoom - b->tiles[i].zoom) < 1e-9);
    }
}

/* Equal requests give equal results whatever their source: selecting a
 * tile from the socket leaves the state that the keyboard leaves. With a
 * tile maximized, the maximized view follows the selection (the output
 * never shows one tile maximized while another is selected). */
static void socket_and_keyboard_select_alike(void **state)
{
    struct fixture *fx = *state;
    harness_press(SDLK_RETURN, KMOD_NONE); /* maximize tile 1 */
    STEP_UNTIL(fx, harness_tile(fx, "ssc-1", 1).maximized);
    harness_press(SDLK_RIGHT, KMOD_NONE);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 2);
    struct tiles_state keyboard = tiles_state(fx, "ssc-1");
    assert_int_equal(keyboard.n, 1);
    assert_true(keyboard.tiles[0].maximized && keyboard.tiles[0].tile == 2);

    harness_press(SDLK_LEFT, KMOD_NONE);
    STEP_UNTIL(fx, harness_selected(fx, "ssc-1") == 1);
    harness_command(fx, "select ssc-1 2");
    harness_step(fx);
    struct tiles_state socket = tiles_state(fx, "ssc-1");
    assert_same_tiles(&keyboard, &socket);
}

/* ---- Languages (common/i18n.h) ---- */

/* A refusal of the operator's own keys is composed in the OSD's language,
 * since it shows on the monitor; the same refusal over the socket stays in
 * the process's (here English). Skipped where the catalogue (po/es.po, or
 * $WALL_LOCALE_DIR) does not translate it, or no Spanish can be had. */
static void keyboard_refusal_speaks_the_osd_language(void **state)
{
    struct fixture *fx = *state;
    i18n_init();
    setlocale(LC_MESSAGES, "C"); /* the process in English, whatever LANG says */
    char why[256];
    if (!i18n_set_osd_language("es", why, sizeof(why))) {
        print_message("no Spanish here (%s): skipped\n", why);
        skip();
    }
    const char *spanish = i18n_osd("no camera %d");
    if (strcmp(spanish, "no camera %d") == 0) {
        i18n_set_osd_language(NULL, why, sizeof(why));
        print_message("the catalogue does not translate \"no camera %%d\" yet: skipped\n");
        skip();
    }
    char expected[128];
    snprintf(expected, sizeof(expected), spanish, 999);

    harness_capture_start(fx);
    harness_type_digits("999");
    harness_press(SDLK_RETURN, KMOD_NONE);
    harness_step(fx);
    char *log = harness_capture_end(fx);
    char reply[256];
    harness_reply(fx, "put 999 ssc-1 1", reply, sizeof(reply));
    i18n_set_osd_language(NULL, why, sizeof(why));
    unsetenv("LANGUAGE");

    char notice[160];
    snprintf(notice, sizeof(notice), "operator: %s", expected);
    assert_non_null(strstr(log, notice));
    free(log);
    assert_string_equal(reply, "ERR no camera 999");
}

/* ---- What actions ask of the operator (bindings_request, pure) ---- */

static void actions_make_their_requests(void **state)
{
    struct op_request req;
    assert_true(bindings_request(BINDING_PAGE_1, false, &req));
    assert_int_equal(req.kind, OP_PAGE);
    assert_false(req.relative);
    assert_int_equal(req.value, 0);
    assert_true(bindings_request(BINDING_PAGE_12, false, &req));
    assert_int_equal(req.value, 11);
    assert_true(bindings_request(BINDING_PREVIOUS_PAGE, false, &req));
    assert_true(req.kind == OP_PAGE && req.relative && req.value == -1);
    assert_true(bindings_request(BINDING_SELECT_RIGHT, false, &req));
    assert_true(req.kind == OP_SELECT_MOVE && req.dx == 1 && req.dy == 0);
    assert_true(bindings_request(BINDING_SELECT_UP, true, &req)); /* zoom: pans */
    assert_true(req.kind == OP_PAN && req.dx == 0 && req.dy < 0);
    assert_true(bindings_request(BINDING_ZOOM, false, &req));
    assert_int_equal(req.kind, OP_ZOOM_TOGGLE);
}

/* An action the mapping does not handle makes no request: it used to fall
 * through to "page (action - page_1)", a negative page. */
static void unhandled_actions_make_no_request(void **state)
{
    const int none[] = {BINDING_NONE, BINDING_CLEAR_ENTRY, BINDING_COUNT, BINDING_COUNT + 7, -42};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        struct op_request req = {.kind = OP_SNAPSHOT};
        assert_false(bindings_request((enum binding_action)none[i], false, &req));
    }
    for (int a = BINDING_NONE - 8; a <= BINDING_COUNT + 8; a++) {
        struct op_request req;
        if (bindings_request((enum binding_action)a, false, &req) && req.kind == OP_PAGE &&
            !req.relative) {
            assert_in_range(req.value, 0, 11);
        }
    }
}

/* A test on a fresh wall: the fixture's setup and teardown around it. */
#define WITH_WALL(test) cmocka_unit_test_setup_teardown(test, harness_setup, harness_teardown)

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    log_set_level(LOG_INFO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_match_the_readme),
        cmocka_unit_test(quit_is_a_binding),
        cmocka_unit_test(actions_make_their_requests),
        cmocka_unit_test(unhandled_actions_make_no_request),
        WITH_WALL(dial_camera_into_tile),
        WITH_WALL(enter_alone_maximizes_and_restores),
        WITH_WALL(page_keys_change_page),
        WITH_WALL(cross_zone_camera_is_refused),
        WITH_WALL(escape_and_backspace_edit_the_entry),
        WITH_WALL(entry_plate_goes_away),
        WITH_WALL(monitor_keys_select_outputs),
        WITH_WALL(tour_pause_and_snapshot_keys),
        WITH_WALL(file_bindings_override_defaults),
        WITH_WALL(file_bindings_drive_the_wall),
        WITH_WALL(rebound_quit_key_stops_the_wall),
        WITH_WALL(controller_moves_selection_and_maximizes),
        WITH_WALL(held_stick_repeats),
        WITH_WALL(trigger_zooms_and_stick_pans),
        WITH_WALL(plain_joystick_hat_buttons_and_twist),
        WITH_WALL(socket_and_keyboard_select_alike),
        WITH_WALL(keyboard_refusal_speaks_the_osd_language),
    };
    return cmocka_run_group_tests(tests, harness_make_clips, harness_remove_clips);
}
