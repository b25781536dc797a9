#include "wall/bindings.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/replay.h"

#define PAN_STEP 0.1 /* of the view, per select_* press in zoom mode */

/* F1..F12 are added in a loop after these. */
static const struct key_binding default_keys[] = {
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
    {SDLK_q, BINDING_CTRL, BINDING_QUIT},
};

#define N_DEFAULT_KEYS  ((int)(sizeof(default_keys) / sizeof(default_keys[0])))
#define N_FUNCTION_KEYS 12
_Static_assert(SDLK_F12 - SDLK_F1 == N_FUNCTION_KEYS - 1, M_("F1..F12 are consecutive"));

struct default_button {
    int button;
    enum binding_action action;
};

static const struct default_button controller_buttons[] = {
    {SDL_CONTROLLER_BUTTON_A, BINDING_MAXIMIZE},
    {SDL_CONTROLLER_BUTTON_B, BINDING_ZOOM},
    {SDL_CONTROLLER_BUTTON_X, BINDING_TOUR},
    {SDL_CONTROLLER_BUTTON_Y, BINDING_PAUSE_TOUR},
    {SDL_CONTROLLER_BUTTON_LEFTSHOULDER, BINDING_PREVIOUS_PAGE},
    {SDL_CONTROLLER_BUTTON_RIGHTSHOULDER, BINDING_NEXT_PAGE},
    {SDL_CONTROLLER_BUTTON_BACK, BINDING_PREVIOUS_OUTPUT},
    {SDL_CONTROLLER_BUTTON_START, BINDING_NEXT_OUTPUT},
    {SDL_CONTROLLER_BUTTON_LEFTSTICK, BINDING_REPLAY},
    {SDL_CONTROLLER_BUTTON_RIGHTSTICK, BINDING_REPLAY_PAUSE},
    {SDL_CONTROLLER_BUTTON_DPAD_UP, BINDING_SELECT_UP},
    {SDL_CONTROLLER_BUTTON_DPAD_DOWN, BINDING_SELECT_DOWN},
    {SDL_CONTROLLER_BUTTON_DPAD_LEFT, BINDING_SELECT_LEFT},
    {SDL_CONTROLLER_BUTTON_DPAD_RIGHT, BINDING_SELECT_RIGHT},
    {-1, BINDING_NONE},
};

static const struct default_button joystick_buttons[] = {
    {0, BINDING_MAXIMIZE},        {1, BINDING_ZOOM},          {2, BINDING_TOUR},
    {3, BINDING_PAUSE_TOUR},      {4, BINDING_PREVIOUS_PAGE}, {5, BINDING_NEXT_PAGE},
    {6, BINDING_PREVIOUS_OUTPUT}, {7, BINDING_NEXT_OUTPUT},   {8, BINDING_REPLAY},
    {9, BINDING_REPLAY_PAUSE},    {10, BINDING_PRESET_1},     {11, BINDING_PRESET_1 + 1},
    {12, BINDING_PRESET_1 + 2},   {13, BINDING_PRESET_1 + 3}, {-1, BINDING_NONE},
};

const char *bindings_action_name(enum binding_action action)
{
    const char *name = layout_action_name((enum layout_action)action);
    return name ? name : "none";
}

unsigned bindings_mods(Uint16 mod)
{
    return ((mod & KMOD_SHIFT) ? BINDING_SHIFT : 0u) | ((mod & KMOD_CTRL) ? BINDING_CTRL : 0u) |
           ((mod & KMOD_ALT) ? BINDING_ALT : 0u);
}

static int find_key(const struct bindings *b, SDL_Keycode key, unsigned mods)
{
    for (int i = 0; i < b->n_keys; i++) {
        if (b->keys[i].key == key && b->keys[i].mods == mods) {
            return i;
        }
    }
    return -1;
}

enum binding_action bindings_key(const struct bindings *b, SDL_Keycode key, unsigned mods)
{
    int i = find_key(b, key, mods);
    return i >= 0 ? b->keys[i].action : BINDING_NONE;
}

bool bindings_key_does(const struct bindings *b, SDL_Keycode key, enum binding_action action)
{
    for (int i = 0; i < b->n_keys; i++) {
        if (b->keys[i].key == key && b->keys[i].action == action) {
            return true;
        }
    }
    return false;
}

enum binding_action bindings_button(const struct bindings *b, bool controller, int button)
{
    if (button < 0 || button >= BINDINGS_BUTTONS) {
        return BINDING_NONE;
    }
    return (enum binding_action)(controller ? b->controller[button] : b->joystick[button]);
}

/* Adds a key unless it is bound already (the file's bindings come first). */
static bool add_key(struct bindings *b, int *cap, struct key_binding k)
{
    if (find_key(b, k.key, k.mods) >= 0) {
        return true;
    }
    if (b->n_keys == *cap) {
        int grown = *cap ? *cap * 2 : 32;
        struct key_binding *keys = realloc(b->keys, (size_t)grown * sizeof(*keys));
        if (!keys) {
            return false;
        }
        b->keys = keys;
        *cap = grown;
    }
    b->keys[b->n_keys++] = k;
    return true;
}

/* Strips a leading "Shift+", "Ctrl+", "Control+" or "Alt+" (spaces around
 * the '+' allowed) into *mods; returns the rest, or NULL when none. */
static const char *strip_modifier(const char *name, unsigned *mods)
{
    static const struct {
        const char *word;
        unsigned bit;
    } words[] = {{"shift", BINDING_SHIFT},
                 {"ctrl", BINDING_CTRL},
                 {"control", BINDING_CTRL},
                 {"alt", BINDING_ALT}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = strlen(words[i].word);
        if (strncasecmp(name, words[i].word, n) != 0) {
            continue;
        }
        const char *p = name + n;
        while (*p == ' ') {
            p++;
        }
        if (*p != '+') {
            continue;
        }
        p++;
        while (*p == ' ') {
            p++;
        }
        if (*p) {
            *mods |= words[i].bit;
            return p;
        }
    }
    return NULL;
}

/* SDL's key for a name as people write it, or SDLK_UNKNOWN. */
static SDL_Keycode key_from_name(const char *name)
{
    SDL_Keycode key = SDL_GetKeyFromName(name);
    if (key != SDLK_UNKNOWN) {
        return key;
    }
    if (strcasecmp(name, "Enter") == 0) {
        return SDLK_RETURN;
    }
    if (strcasecmp(name, "Esc") == 0) {
        return SDLK_ESCAPE;
    }
    char packed[64];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof(packed); p++) {
        if (*p != ' ') {
            packed[n++] = *p;
        }
    }
    packed[n] = '\0';
    return strcmp(packed, name) != 0 ? SDL_GetKeyFromName(packed) : SDLK_UNKNOWN;
}

static bool parse_key(const char *name, struct key_binding *out)
{
    unsigned mods = 0;
    const char *rest;
    while ((rest = strip_modifier(name, &mods))) {
        name = rest;
    }
    out->key = key_from_name(name);
    out->mods = mods;
    return out->key != SDLK_UNKNOWN;
}

/* The file's keys of one action; *known: whether any name was known. */
static bool add_file_keys(struct bindings *b, int *cap, const struct layout_binding *lb,
                          enum binding_action action, bool *known)
{
    *known = false;
    for (int k = 0; k < lb->n_keys; k++) {
        struct key_binding kb = {.action = action};
        if (!parse_key(lb->keys[k], &kb)) {
            log_warn("input", "%s:%d: unknown key name '%s' for %s", lb->file ? lb->file : "?",
                     lb->line, lb->keys[k], lb->action);
            continue;
        }
        *known = true;
        if (!add_key(b, cap, kb)) {
            return false;
        }
    }
    return true;
}

static bool add_default_keys(struct bindings *b, int *cap, const bool *file_keys)
{
    for (int i = 0; i < N_DEFAULT_KEYS; i++) {
        if (!file_keys[default_keys[i].action] && !add_key(b, cap, default_keys[i])) {
            return false;
        }
    }
    for (int f = 0; f < N_FUNCTION_KEYS; f++) {
        struct key_binding k = {SDLK_F1 + f, 0, BINDING_PAGE_1 + f};
        if (!file_keys[k.action] && !add_key(b, cap, k)) {
            return false;
        }
    }
    return true;
}

static void set_file_buttons(struct bindings *b, const struct layout_binding *lb,
                             enum binding_action action)
{
    for (int i = 0; i < lb->n_buttons; i++) {
        int button = lb->buttons[i];
        if (button >= 0 && button < BINDINGS_BUTTONS) {
            b->controller[button] = (signed char)action;
            b->joystick[button] = (signed char)action;
        }
    }
}

static void set_default_buttons(signed char *table, const struct default_button *defaults,
                                const bool *file_buttons)
{
    for (int i = 0; defaults[i].button >= 0; i++) {
        const struct default_button *d = &defaults[i];
        if (!file_buttons[d->action] && table[d->button] == BINDING_NONE) {
            table[d->button] = (signed char)d->action;
        }
    }
}

bool bindings_init(struct bindings *b, const struct layout_wall *layout)
{
    *b = (struct bindings){0};
    memset(b->controller, BINDING_NONE, sizeof(b->controller));
    memset(b->joystick, BINDING_NONE, sizeof(b->joystick));
    bool file_keys[BINDING_COUNT] = {false}, file_buttons[BINDING_COUNT] = {false};
    int cap = 0;
    for (int i = 0; layout && i < layout->n_bindings; i++) {
        const struct layout_binding *lb = &layout->bindings[i];
        enum binding_action action = (enum binding_action)lb->id;
        if (!add_file_keys(b, &cap, lb, action, &file_keys[action])) {
            goto fail;
        }
        if (lb->n_buttons > 0) {
            set_file_buttons(b, lb, action);
            file_buttons[action] = true;
        }
    }
    if (!add_default_keys(b, &cap, file_keys)) {
        goto fail;
    }
    set_default_buttons(b->controller, controller_buttons, file_buttons);
    set_default_buttons(b->joystick, joystick_buttons, file_buttons);
    return true;

fail:
    bindings_finish(b);
    return false;
}

void bindings_finish(struct bindings *b)
{
    free(b->keys);
    b->keys = NULL;
    b->n_keys = 0;
}

/* ---- What an action asks of the operator ---- */

static void select_step(enum binding_action action, int *dx, int *dy)
{
    *dx = action == BINDING_SELECT_RIGHT ? 1 : action == BINDING_SELECT_LEFT ? -1 : 0;
    *dy = action == BINDING_SELECT_DOWN ? 1 : action == BINDING_SELECT_UP ? -1 : 0;
}

/* Sets *req, for the one-line cases of bindings_request(). */
static bool request(struct op_request *req, struct op_request value)
{
    *req = value;
    return true;
}

/* A relative request: one forward, or one back. */
static bool step(struct op_request *req, enum op_kind kind, bool forward)
{
    return request(req,
                   (struct op_request){.kind = kind, .relative = true, .value = forward ? 1 : -1});
}

bool bindings_request(enum binding_action action, bool zooming, struct op_request *req)
{
    int dx, dy;
    switch (action) {
    case BINDING_SELECT_LEFT:
    case BINDING_SELECT_RIGHT:
    case BINDING_SELECT_UP:
    case BINDING_SELECT_DOWN:
        select_step(action, &dx, &dy);
        if (zooming) {
            return request(req, (struct op_request){
                                    .kind = OP_PAN, .dx = dx * PAN_STEP, .dy = dy * PAN_STEP});
        }
        return request(req, (struct op_request){.kind = OP_SELECT_MOVE, .dx = dx, .dy = dy});
    case BINDING_NEXT_OUTPUT:
    case BINDING_PREVIOUS_OUTPUT:
        return step(req, OP_SELECT_OUTPUT, action == BINDING_NEXT_OUTPUT);
    case BINDING_MAXIMIZE:
        return request(req, (struct op_request){.kind = OP_MAXIMIZE_TOGGLE});
    case BINDING_NEXT_PAGE:
    case BINDING_PREVIOUS_PAGE:
        return step(req, OP_PAGE, action == BINDING_NEXT_PAGE);
    case BINDING_TOUR:
        return request(req, (struct op_request){.kind = OP_TOUR_TOGGLE});
    case BINDING_PAUSE_TOUR:
        return request(req, (struct op_request){.kind = OP_TOUR_PAUSE});
    case BINDING_SNAPSHOT:
        return request(req, (struct op_request){.kind = OP_SNAPSHOT});
    case BINDING_ZOOM:
        return request(req, (struct op_request){.kind = OP_ZOOM_TOGGLE});
    case BINDING_REPLAY:
    case BINDING_REPLAY_PAUSE:
    case BINDING_REPLAY_STEP:
    case BINDING_REPLAY_FASTER:
    case BINDING_REPLAY_SLOWER: {
        static const enum replay_control controls[] = {REPLAY_TOGGLE, REPLAY_PAUSE, REPLAY_STEP,
                                                       REPLAY_FASTER, REPLAY_SLOWER};
        return request(req, (struct op_request){.kind = OP_REPLAY,
                                                .value = controls[action - BINDING_REPLAY]});
    }
    case BINDING_EXPORT:
        return request(req, (struct op_request){.kind = OP_EXPORT, .value = 2});
    default:
        break;
    }
    if (action >= BINDING_PRESET_1 && action <= BINDING_PRESET_8) {
        return request(req, (struct op_request){.kind = OP_PTZ_PRESET,
                                                .value = action - BINDING_PRESET_1 + 1});
    }
    if (action < BINDING_PAGE_1 || action > BINDING_PAGE_12) {
        return false; /* BINDING_NONE, clear_entry, or one unknown here: never page -1 */
    }
    return request(req, (struct op_request){.kind = OP_PAGE, .value = action - BINDING_PAGE_1});
}
