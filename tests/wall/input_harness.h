/* Fixture for tests/wall/test_input.c: a headless wall (SDL offscreen,
 * software decoding) driven in-process. Tests push keys with
 * SDL_PushEvent or move a virtual joystick, then call harness_step() (one
 * wall_step()) until the wall's state (the control socket's `tiles` reply)
 * or its pixels (the `snapshot` command) show the effect.
 *
 * Contract:
 * - harness_make_clips / harness_remove_clips are the group setup and
 *   teardown: they make solid-colour clips with the ffmpeg CLI (libx264) in
 *   harness_clip_dir, and remove that folder.
 * - harness_setup / harness_teardown are each test's setup and teardown:
 *   they write the two-zone layout (ssc-1 with a quad page and a row page,
 *   g911-1 for guardians) and create, then destroy, a wall on it; *state is
 *   the struct fixture. Teardown also ends a stderr capture and detaches a
 *   virtual joystick left open.
 * - Every helper fails the running test (cmocka) rather than returning an
 *   error. STEP_UNTIL's bound is a failure guard, not a timing claim;
 *   nothing sleeps.
 * Functions and globals carry the harness_ prefix; types and constants keep
 * short names. */
#ifndef TESTS_WALL_INPUT_HARNESS_H
#define TESTS_WALL_INPUT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <cmocka.h>

#include "layouts/layout.h"
#include "wall/wall.h"

/* A failure guard, not a timing claim: steps are paced like the wall's own
 * frame loop (harness_step), since a frame with nothing new now costs
 * almost nothing and feeds, tours and stick repeats run on real time. */
#define SAFETY_STEPS 3000
#define MAX_TILES    16

/* Colours of the clips, as 0xRRGGBB. */
#define RED   0xff0000u
#define GREEN 0x00ff00u
#define BLUE  0x0000ffu

/* Axes and buttons of SDL's mapping for virtual game controllers. */
enum { LEFT_X = 0, LEFT_Y = 1, RIGHT_TRIGGER = 5 };
enum { BUTTON_A = 0, BUTTON_B = 1 };

struct fixture {
    char path[128];     /* the layout file */
    char snapshot[128]; /* snapshot PNG */
    char log[128];      /* captured stderr */
    char audit[128];    /* the audit trail */
    struct wall_options options;
    struct wall *wall;
    struct layout_rect band_tile; /* ssc-1, page 1, tile 4 (camera 104) */
    int joystick_index;           /* attached virtual device, or -1 */
    SDL_Joystick *joystick;
    int saved_stderr; /* -1: not capturing */
};

/* One tile of the `tiles` reply. */
struct tile_info {
    char output[32];
    int page, tile, camera;
    bool maximized, selected;
    double zoom;
    char state[24];
};

/* The folder of the clips, the layout file and the snapshots. */
extern char harness_clip_dir[64];

/* Group setup and teardown (cmocka_run_group_tests). */
int harness_make_clips(void **state);
int harness_remove_clips(void **state);

/* Per-test setup and teardown; *state is a struct fixture. */
int harness_setup(void **state);
int harness_teardown(void **state);

/* Writes the test layout followed by `extra` (more settings) to fx->path;
 * returns the number of lines before `extra`. */
int harness_write_layout(struct fixture *fx, const char *extra);
/* Loads a layout file, printing its diagnostics; fails if it does not load. */
struct layout_wall *harness_load(const char *path);

/* Captures stderr into fx->log until harness_capture_end, which returns what
 * was logged (free it) and echoes it. */
void harness_capture_start(struct fixture *fx);
char *harness_capture_end(struct fixture *fx);
/* How many times `needle` occurs in `text`. */
int harness_count_of(const char *text, const char *needle);

/* One wall_step(), then the rest of a 10 ms frame period; fails if the
 * wall stops. */
void harness_step(struct fixture *fx);

#define STEP_UNTIL(fx, condition)                                                                 \
    do {                                                                                          \
        int steps_ = 0;                                                                           \
        while (!(condition)) {                                                                    \
            if (++steps_ > SAFETY_STEPS) {                                                        \
                fail_msg("after %d steps still not: %s", SAFETY_STEPS, #condition);               \
            }                                                                                     \
            harness_step(fx);                                                                     \
        }                                                                                         \
    } while (0)

/* The visible tiles of `output` (at most MAX_TILES); returns how many. */
int harness_tiles_of(struct fixture *fx, const char *output, struct tile_info *out);
/* Tile `number` (1-based) of `output` as shown, or a zeroed one. */
struct tile_info harness_tile(struct fixture *fx, const char *output, int number);
/* The selected tile of `output` (1-based), 0 when it is not the selected output. */
int harness_selected(struct fixture *fx, const char *output);

/* Pushes a key press and release; the wall reads them on its next step. */
void harness_press(SDL_Keycode key, Uint16 mod);
/* Presses the digit keys of `digits`. */
void harness_type_digits(const char *digits);

/* Whether the band tile shows `left`, `centre`, `right` at 10%, 50%, 90% of
 * its width (from a fresh snapshot). */
bool harness_band_tile_shows(struct fixture *fx, uint32_t left, uint32_t centre, uint32_t right);

/* Whether `rect` (canvas) shows `left`, `centre`, `right` at 10%, 50%, 90%
 * of its width, half way down (from a fresh snapshot). */
bool harness_rect_shows(struct fixture *fx, struct layout_rect rect, uint32_t left,
                        uint32_t centre, uint32_t right);

/* Tile `tile` (1-based) of page 1 of output `output` (0-based) of the
 * layout file, in canvas pixels. */
struct layout_rect harness_tile_rect(struct fixture *fx, int output, int tile);

/* Runs a control-socket command line in-process; its reply in `reply`. */
void harness_reply(struct fixture *fx, const char *line, char *reply, size_t size);

/* The canvas as the `snapshot` command writes it, RGB; free(pic.rgb). */
struct harness_picture {
    uint8_t *rgb;
    int width, height;
};
struct harness_picture harness_snapshot(struct fixture *fx);

/* How many pixels of `rect` (canvas) are near white (a fresh snapshot). */
int harness_white_pixels(struct fixture *fx, struct layout_rect rect);

/* Runs a control-socket command line in-process; asserts it answered OK. */
void harness_command(struct fixture *fx, const char *line);

/* Attaches and opens a virtual joystick, then steps once so the wall opens it. */
void harness_attach(struct fixture *fx, SDL_JoystickType type, int axes, int buttons, int hats);
/* Closes and detaches the virtual joystick, if any. */
void harness_detach(struct fixture *fx);
void harness_set_axis(struct fixture *fx, int axis, Sint16 value);
/* A button pressed and released, a step after each. */
void harness_click(struct fixture *fx, int button);

/* Lines of the audit trail with this source and action. */
int harness_audited(struct fixture *fx, const char *source, const char *action);

#endif
