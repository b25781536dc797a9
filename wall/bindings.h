/*
 * Bindings: which key or joystick button does which operator action, and
 * which operator request (wall/operator.h) each action makes. The built-in
 * table below, with the layout file's `keys` and `buttons`
 * (layouts/README.md) laid over it.
 *
 * Built-in keys (layouts/README.md's table, plus Keypad Enter). The entry
 * line's keys are not bindings: digits and keypad digits, Backspace, and
 * after digits M, Return and Keypad Enter (wall/input.c).
 *
 *   select_left/right/up/down  Left / Right / Up / Down
 *   next_output                Tab
 *   previous_output            Shift+Tab
 *   maximize                   Return, Keypad Enter
 *   next_page / previous_page  Page Down / Page Up
 *   tour / pause_tour          T / Space
 *   snapshot / zoom            S / Z
 *   replay / replay_pause      R / P
 *   replay_step                .
 *   replay_faster / _slower    ] / [
 *   export                     E
 *   preset                     G, Keypad *  (after digits: that PTZ preset)
 *   clear_entry                Escape
 *   page_1 ... page_12         F1 ... F12
 *   quit                       Ctrl+Q
 *
 * Built-in buttons. On a game controller (anything SDL has a mapping for)
 * the numbers are SDL's controller buttons, whatever the brand prints on
 * them; on a plain joystick they are the device's own button numbers:
 *
 *   action           controller                 plain joystick
 *   maximize         0  A                       0 (trigger)
 *   zoom             1  B                       1
 *   tour             2  X                       2
 *   pause_tour       3  Y                       3
 *   previous_page    9  left shoulder           4
 *   next_page        10 right shoulder          5
 *   previous_output  4  Back                    6
 *   next_output      6  Start                   7
 *   replay           7  left stick click        8
 *   replay_pause     8  right stick click       9
 *   preset_1..4      -                          10..13
 *   select_up/down/  11 / 12 / 13 / 14  d-pad   (the hat)
 *     left/right
 *
 * The file overrides per action: an action it gives keys to loses its
 * built-in keys (unless none of the file's key names is known: then it
 * keeps them, so a typo never leaves an action without a key); an action
 * it gives buttons to loses its built-in buttons on both kinds of device.
 * A key or button the file gives to one action is taken from whichever
 * action had it built in.
 *
 * Key names are SDL's ("Return", "Keypad +", "F1", "T"), compared without
 * regard to case; "Page Up" / "Page Down" (SDL spells them without the
 * space), "Enter" and "Esc" are accepted too, and a "Shift+", "Ctrl+" or
 * "Alt+" prefix asks for that modifier. A key matches only with exactly
 * its modifiers held (Shift, Ctrl, Alt; locks ignored). Unknown names are
 * logged once per load as warnings with the file and line of the binding.
 *
 * Ownership: a bindings struct owns its key table. Threads: render thread.
 */
#ifndef WALL_BINDINGS_H
#define WALL_BINDINGS_H

#include <stdbool.h>

#include <SDL.h>

#include "layouts/layout.h"
#include "wall/operator.h"

/* The layout file's actions (enum layout_action, whose names layouts/ owns)
 * under the wall's short names, and BINDING_NONE. */
enum binding_action {
    BINDING_NONE = -1,
    BINDING_SELECT_LEFT = LAYOUT_ACTION_SELECT_LEFT,
    BINDING_SELECT_RIGHT = LAYOUT_ACTION_SELECT_RIGHT,
    BINDING_SELECT_UP = LAYOUT_ACTION_SELECT_UP,
    BINDING_SELECT_DOWN = LAYOUT_ACTION_SELECT_DOWN,
    BINDING_NEXT_OUTPUT = LAYOUT_ACTION_NEXT_OUTPUT,
    BINDING_PREVIOUS_OUTPUT = LAYOUT_ACTION_PREVIOUS_OUTPUT,
    BINDING_MAXIMIZE = LAYOUT_ACTION_MAXIMIZE,
    BINDING_NEXT_PAGE = LAYOUT_ACTION_NEXT_PAGE,
    BINDING_PREVIOUS_PAGE = LAYOUT_ACTION_PREVIOUS_PAGE,
    BINDING_TOUR = LAYOUT_ACTION_TOUR,
    BINDING_PAUSE_TOUR = LAYOUT_ACTION_PAUSE_TOUR,
    BINDING_SNAPSHOT = LAYOUT_ACTION_SNAPSHOT,
    BINDING_ZOOM = LAYOUT_ACTION_ZOOM,
    BINDING_REPLAY = LAYOUT_ACTION_REPLAY,
    BINDING_REPLAY_PAUSE = LAYOUT_ACTION_REPLAY_PAUSE,
    BINDING_REPLAY_STEP = LAYOUT_ACTION_REPLAY_STEP,
    BINDING_REPLAY_FASTER = LAYOUT_ACTION_REPLAY_FASTER,
    BINDING_REPLAY_SLOWER = LAYOUT_ACTION_REPLAY_SLOWER,
    BINDING_EXPORT = LAYOUT_ACTION_EXPORT,
    BINDING_PRESET = LAYOUT_ACTION_PRESET,
    BINDING_PRESET_1 = LAYOUT_ACTION_PRESET_1,
    BINDING_PRESET_8 = LAYOUT_ACTION_PRESET_8,
    BINDING_CLEAR_ENTRY = LAYOUT_ACTION_CLEAR_ENTRY,
    BINDING_PAGE_1 = LAYOUT_ACTION_PAGE_1,
    BINDING_PAGE_12 = LAYOUT_ACTION_PAGE_12,
    BINDING_QUIT = LAYOUT_ACTION_QUIT,
    BINDING_COUNT = LAYOUT_ACTION_COUNT,
};

#define BINDINGS_BUTTONS 128 /* buttons 0..127, as the layout file allows */

/* Modifier bits of a key binding. */
#define BINDING_SHIFT 1u
#define BINDING_CTRL  2u
#define BINDING_ALT   4u

struct key_binding {
    SDL_Keycode key;
    unsigned mods; /* BINDING_SHIFT | BINDING_CTRL | BINDING_ALT */
    enum binding_action action;
};

struct bindings {
    struct key_binding *keys;
    int n_keys;
    signed char controller[BINDINGS_BUTTONS]; /* action of each button, or BINDING_NONE */
    signed char joystick[BINDINGS_BUTTONS];
};

/* Builds the table from the built-in one and `layout`'s bindings (layout
 * may be NULL: built-in only). False only when out of memory. */
bool bindings_init(struct bindings *b, const struct layout_wall *layout);
void bindings_finish(struct bindings *b);

/* The modifier bits of SDL's `mod` (KMOD_*). */
unsigned bindings_mods(Uint16 mod);

/* The action of a key with modifier bits `mods`, or BINDING_NONE. */
enum binding_action bindings_key(const struct bindings *b, SDL_Keycode key, unsigned mods);

/* Whether `key` does `action` with any modifiers. */
bool bindings_key_does(const struct bindings *b, SDL_Keycode key, enum binding_action action);

/* The action of a button of a game controller or of a plain joystick. */
enum binding_action bindings_button(const struct bindings *b, bool controller, int button);

/* The action's name in the layout file ("maximize", "page_3"; "none" for
 * BINDING_NONE): layout_action_name()'s. */
const char *bindings_action_name(enum binding_action action);

/* The operator request an action makes (`zooming`: the selected tile is in
 * digital zoom, so select_* pans by a tenth of the view). False for an
 * action that makes none: BINDING_NONE, clear_entry (the entry line's own,
 * wall/input.c), or any value this function does not know. Pure. */
bool bindings_request(enum binding_action action, bool zooming, struct op_request *req);

#endif
