#include "wall/input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/bindings.h"
#include "wall/operator.h"
#include "wall/pointer.h"

#define ENTRY_MAX         6    /* digits of a camera number (1..999999) */
#define MAX_DEVICES       16   /* joysticks open at once; more are ignored */
#define DEAD_ZONE         0.25 /* of full scale, for sticks and twist axes */
#define TRIGGER_DEAD_ZONE 0.10 /* triggers rest at 0 and need less */
#define AXIS_DOMINANCE    0.5  /* a diagonal needs both axes within 2:1 */
#define REPEAT_DELAY_US   400000
#define REPEAT_PERIOD_US  150000
#define REPEAT_NEVER      INT64_MAX /* held since before zoom mode: wait for release */
#define PAN_SPEED         1.0       /* views per second at full deflection */
#define ZOOM_RATE         2.0       /* zoom factor per second at full deflection */
#define MAX_FRAME_US      100000    /* a stalled frame moves no further than this */
#define TWIST_AXIS        3         /* plain joysticks: the stick's twist (rz) */
#define AXIS_FULL         32767.0

enum {
    PAD_LEFT = 1,
    PAD_RIGHT = 2,
    PAD_UP = 4,
    PAD_DOWN = 8,
};

struct device {
    SDL_JoystickID id;
    SDL_GameController *controller; /* a game controller, or NULL */
    SDL_Joystick *joystick;         /* a plain joystick (NULL for a controller) */
    char name[128];
    double x, y;         /* main stick, -1..1, right and down positive */
    double zoom_in;      /* controller: right trigger, 0..1 */
    double zoom_out;     /* controller: left trigger, 0..1 */
    double twist;        /* plain joystick: -1..1, clockwise zooms in */
    unsigned button_pad; /* PAD_* held on buttons bound to select_* */
    unsigned hat_pad;    /* PAD_* held on the first hat */
    double ptz[3];       /* pan, tilt, zoom last asked of a PTZ camera; all 0: none */
    int dir_x, dir_y;    /* the direction held and already acted on */
    int64_t repeat_at;   /* next auto-repeat; 0: schedule at the next tick */
};

struct input {
    struct bindings bindings;
    char entry[ENTRY_MAX + 1];
    int entry_len;
    struct device devices[MAX_DEVICES];
    int n_devices;
    int64_t last_tick_us; /* 0 before the first tick */
    bool scanned;         /* devices present before the first tick are open */
    /* Mouse and touch (wall/pointer.h). */
    struct pointer *pointer;
};

struct input *input_create(const struct layout_wall *layout)
{
    struct input *input = calloc(1, sizeof(*input));
    if (!input) {
        return NULL;
    }
    input->pointer = pointer_create();
    if (!input->pointer || !bindings_init(&input->bindings, layout)) {
        pointer_destroy(input->pointer);
        free(input);
        return NULL;
    }
    return input;
}

static void close_device(struct device *d)
{
    if (d->controller) {
        SDL_GameControllerClose(d->controller);
    }
    if (d->joystick) {
        SDL_JoystickClose(d->joystick);
    }
}

void input_destroy(struct input *input)
{
    if (!input) {
        return;
    }
    for (int i = 0; i < input->n_devices; i++) {
        close_device(&input->devices[i]);
    }
    bindings_finish(&input->bindings);
    pointer_destroy(input->pointer);
    free(input);
}

void input_set_layout(struct input *input, const struct layout_wall *layout)
{
    struct bindings fresh;
    if (!bindings_init(&fresh, layout)) {
        log_error("input", "out of memory: keeping the previous key bindings");
    } else {
        bindings_finish(&input->bindings);
        input->bindings = fresh;
    }
}

/* Carries out a request; when `tell`, a refusal is shown on the OSD, and so
 * is the file a snapshot went to (the operator leaves it in `why`). The
 * operator's own hands: the refusal is composed in the OSD's language. */
static bool apply(struct wall *wall, enum op_source source, const struct op_request *req,
                  bool tell)
{
    char why[4096] = "";
    locale_t before = i18n_osd_enter();
    bool ok = operator_apply(wall, source, req, why, sizeof(why));
    i18n_osd_leave(before);
    if ((!ok || req->kind == OP_SNAPSHOT) && tell && why[0]) {
        operator_notify(wall, why);
    }
    return ok;
}

/* ---- The entry line: digits typed, then Enter (camera) or M (monitor) ---- */

static void set_entry(struct input *input, struct wall *wall, int len)
{
    input->entry_len = len;
    input->entry[len] = '\0';
    operator_set_entry(wall, input->entry);
}

/* The entry as a number for a request, cleared before the request runs so
 * that a refusal shows alone. Outputs, cameras and tours are checked by the
 * operator ("no camera 999", "no monitor 9 (1 to 6)"). */
static void entry_request(struct input *input, struct wall *wall, enum op_kind kind, int offset)
{
    struct op_request req = {.kind = kind, .value = atoi(input->entry) + offset};
    set_entry(input, wall, 0);
    apply(wall, OP_KEYBOARD, &req, true);
}

static int digit_of(SDL_Keycode key)
{
    if (key >= SDLK_0 && key <= SDLK_9) {
        return (int)(key - SDLK_0);
    }
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
        return (int)(key - SDLK_KP_1) + 1;
    }
    return key == SDLK_KP_0 ? 0 : -1;
}

/* ---- Actions ---- */

static bool is_select(enum binding_action action)
{
    return action >= BINDING_SELECT_LEFT && action <= BINDING_SELECT_DOWN;
}

static void run_action(struct input *input, struct wall *wall, enum op_source source,
                       enum binding_action action)
{
    if (action == BINDING_QUIT) {
        SDL_PushEvent(&(SDL_Event){.type = SDL_QUIT}); /* the loop quits on it */
        return;
    }
    if (action == BINDING_CLEAR_ENTRY) {
        set_entry(input, wall, 0);
        return;
    }
    if (action == BINDING_PRESET) {
        if (input->entry_len > 0) {
            entry_request(input, wall, OP_PTZ_PRESET, 0);
        } else {
            operator_notify(wall, O_("dial a preset number first, then the preset key"));
        }
        return;
    }
    struct op_request req;
    if (bindings_request(action, operator_zooming(wall), &req)) {
        apply(wall, source, &req, true);
    }
}

/* ---- Keyboard ---- */

static bool commits_entry(const struct input *input, SDL_Keycode key)
{
    return key == SDLK_RETURN || key == SDLK_KP_ENTER ||
           bindings_key_does(&input->bindings, key, BINDING_MAXIMIZE);
}

/* Digits typed, then: M selects that monitor, Enter (or a maximize key)
 * puts that camera, the tour key starts that tour. False: not such a key. */
static bool entry_key(struct input *input, struct wall *wall, SDL_Keycode key, unsigned mods)
{
    if (mods == 0 && key == SDLK_m) {
        entry_request(input, wall, OP_SELECT_OUTPUT, -1); /* monitors count from 1 */
    } else if (mods == 0 && commits_entry(input, key)) {
        entry_request(input, wall, OP_PUT_CAMERA, 0);
    } else if (bindings_key(&input->bindings, key, mods) == BINDING_TOUR) {
        entry_request(input, wall, OP_TOUR_TOGGLE, 0); /* tours count from 1 */
    } else if (bindings_key(&input->bindings, key, mods) == BINDING_PRESET) {
        entry_request(input, wall, OP_PTZ_PRESET, 0); /* presets count from 1 */
    } else {
        return false;
    }
    return true;
}

static void handle_key(struct input *input, struct wall *wall, const SDL_KeyboardEvent *event)
{
    SDL_Keycode key = event->keysym.sym;
    unsigned mods = bindings_mods(event->keysym.mod);
    if (input->entry_len > 0 && !event->repeat && entry_key(input, wall, key, mods)) {
        return;
    }
    if (key == SDLK_BACKSPACE && mods == 0 && input->entry_len > 0) {
        set_entry(input, wall, input->entry_len - 1);
        return;
    }
    enum binding_action action = bindings_key(&input->bindings, key, mods);
    if (action != BINDING_NONE) {
        /* Held keys repeat moves only: a held Enter must not flicker. */
        if (!event->repeat || is_select(action)) {
            run_action(input, wall, OP_KEYBOARD, action);
        }
        return;
    }
    int digit = digit_of(key);
    if (digit >= 0 && (mods & (BINDING_CTRL | BINDING_ALT)) == 0 && input->entry_len < ENTRY_MAX) {
        input->entry[input->entry_len] = (char)('0' + digit);
        set_entry(input, wall, input->entry_len + 1);
    }
}

/* ---- Joysticks: hot-plug ---- */

static struct device *find_device(struct input *input, SDL_JoystickID id)
{
    for (int i = 0; i < input->n_devices; i++) {
        if (input->devices[i].id == id) {
            return &input->devices[i];
        }
    }
    return NULL;
}

/* Game controllers announce themselves twice (as a controller and as a
 * joystick): whichever comes first opens the device, the other finds it. */
static void device_added(struct input *input, int index)
{
    SDL_JoystickID id = SDL_JoystickGetDeviceInstanceID(index);
    if (id < 0 || find_device(input, id)) {
        return;
    }
    if (input->n_devices == MAX_DEVICES) {
        const char *name = SDL_JoystickNameForIndex(index);
        if (name) {
            log_warn("input", "%d joysticks open already: ignoring %s", MAX_DEVICES, name);
        } else {
            log_warn("input", "%d joysticks open already: ignoring another", MAX_DEVICES);
        }
        return;
    }
    struct device *d = &input->devices[input->n_devices];
    *d = (struct device){.id = id};
    const char *name;
    if (SDL_IsGameController(index)) {
        d->controller = SDL_GameControllerOpen(index);
        name = d->controller ? SDL_GameControllerName(d->controller) : NULL;
    } else {
        d->joystick = SDL_JoystickOpen(index);
        name = d->joystick ? SDL_JoystickName(d->joystick) : NULL;
    }
    if (!d->controller && !d->joystick) {
        log_warn("input", "cannot open joystick %d: %s", index, SDL_GetError());
        return;
    }
    snprintf(d->name, sizeof(d->name), "%s", name ? name : "unnamed");
    input->n_devices++;
    log_info("input", "%s connected: %s", d->controller ? M_("game controller") : "joystick",
             d->name);
}

/* Stops a dome the device steers: it was unplugged, or the wall lost
 * focus (its releases would go elsewhere). */
static void release_ptz(struct wall *wall, struct device *d, const char *reason)
{
    if (d->ptz[0] != 0.0 || d->ptz[1] != 0.0 || d->ptz[2] != 0.0) {
        operator_ptz_halt(wall, reason);
    }
    d->ptz[0] = d->ptz[1] = d->ptz[2] = 0.0;
}

static void device_removed(struct input *input, struct wall *wall, SDL_JoystickID id)
{
    struct device *d = find_device(input, id);
    if (!d) {
        return;
    }
    release_ptz(wall, d, M_("joystick unplugged")); /* audit words */
    log_info("input", "%s disconnected: %s", d->controller ? M_("game controller") : "joystick",
             d->name);
    close_device(d);
    *d = input->devices[--input->n_devices];
}

/* ---- Joysticks: the stick, the pad and buttons ---- */

static double axis_value(Sint16 raw)
{
    double v = raw / AXIS_FULL;
    return v < -1.0 ? -1.0 : v > 1.0 ? 1.0 : v;
}

/* How far beyond the dead zone, 0..1, with the sign of v. */
static double beyond(double v, double dead_zone)
{
    double a = fabs(v);
    if (a <= dead_zone) {
        return 0.0;
    }
    double s = (a - dead_zone) / (1.0 - dead_zone);
    return v < 0 ? -s : s;
}

/* The direction the device asks for: the stick when pushed, else the pad. */
static void device_direction(const struct device *d, int *dx, int *dy)
{
    double ax = fabs(d->x), ay = fabs(d->y);
    *dx = ax > DEAD_ZONE && ax >= AXIS_DOMINANCE * ay ? (d->x > 0 ? 1 : -1) : 0;
    *dy = ay > DEAD_ZONE && ay >= AXIS_DOMINANCE * ax ? (d->y > 0 ? 1 : -1) : 0;
    if (*dx || *dy) {
        return;
    }
    unsigned pad = d->button_pad | d->hat_pad;
    *dx = ((pad & PAD_RIGHT) ? 1 : 0) - ((pad & PAD_LEFT) ? 1 : 0);
    *dy = ((pad & PAD_DOWN) ? 1 : 0) - ((pad & PAD_UP) ? 1 : 0);
}

static void move_selection(struct wall *wall, int dx, int dy)
{
    struct op_request req = {.kind = OP_SELECT_MOVE, .dx = dx, .dy = dy};
    apply(wall, OP_JOYSTICK, &req, false);
}

/* The device's zoom speed, -1..1 (in positive): triggers or twist. */
static double device_zoom(const struct device *d)
{
    return d->controller
               ? beyond(d->zoom_in, TRIGGER_DEAD_ZONE) - beyond(d->zoom_out, TRIGGER_DEAD_ZONE)
               : beyond(d->twist, DEAD_ZONE);
}

/* With a PTZ camera selected (and no digital zoom), the stick steers it:
 * pan and tilt proportional to the deflection beyond the dead zone, zoom
 * by twist or triggers; back in the dead zone, it stops. The speeds go out
 * when they change (the PTZ worker rate-limits them). False when the
 * selected tile is not steerable: the stick moves the selection. */
static bool steer_ptz(struct wall *wall, struct device *d)
{
    bool was = d->ptz[0] != 0.0 || d->ptz[1] != 0.0 || d->ptz[2] != 0.0;
    if (operator_zooming(wall) || !operator_ptz_steerable(wall)) {
        d->ptz[0] = d->ptz[1] = d->ptz[2] = 0.0;
        return false;
    }
    double speed[3] = {beyond(d->x, DEAD_ZONE), -beyond(d->y, DEAD_ZONE), device_zoom(d)};
    if (memcmp(speed, d->ptz, sizeof(speed)) == 0 ||
        (!was && speed[0] == 0.0 && speed[1] == 0.0 && speed[2] == 0.0)) {
        return true;
    }
    memcpy(d->ptz, speed, sizeof(speed));
    struct op_request req = {
        .kind = OP_PTZ_MOVE, .dx = speed[0], .dy = speed[1], .amount = speed[2]};
    apply(wall, OP_JOYSTICK, &req, false);
    return true;
}

/* After the stick or pad changed: a push from the centre moves at once;
 * the tick repeats it while held. In zoom mode the tick pans instead. A
 * PTZ camera selected takes the stick (the pad still moves). */
static void steer(struct wall *wall, struct device *d)
{
    if (d->button_pad == 0 && d->hat_pad == 0 && steer_ptz(wall, d)) {
        d->dir_x = d->dir_y = 0;
        d->repeat_at = REPEAT_NEVER;
        return;
    }
    int dx, dy;
    device_direction(d, &dx, &dy);
    bool was_centred = d->dir_x == 0 && d->dir_y == 0;
    d->dir_x = dx;
    d->dir_y = dy;
    if (dx == 0 && dy == 0) {
        d->repeat_at = 0;
    } else if (was_centred) {
        bool zooming = operator_zooming(wall);
        d->repeat_at = zooming ? REPEAT_NEVER : 0;
        if (!zooming) {
            move_selection(wall, dx, dy);
        }
    }
}

static unsigned pad_bit(enum binding_action action)
{
    static const unsigned bits[] = {PAD_LEFT, PAD_RIGHT, PAD_UP, PAD_DOWN};
    return bits[action - BINDING_SELECT_LEFT];
}

static void device_button(struct input *input, struct wall *wall, struct device *d, int button,
                          bool down)
{
    enum binding_action action = bindings_button(&input->bindings, d->controller != NULL, button);
    if (action == BINDING_NONE) {
        return;
    }
    if (is_select(action)) {
        unsigned bit = pad_bit(action);
        d->button_pad = down ? d->button_pad | bit : d->button_pad & ~bit;
        steer(wall, d);
    } else if (down) {
        run_action(input, wall, OP_JOYSTICK, action);
    }
}

static unsigned hat_bits(Uint8 hat)
{
    return ((hat & SDL_HAT_LEFT) ? PAD_LEFT : 0u) | ((hat & SDL_HAT_RIGHT) ? PAD_RIGHT : 0u) |
           ((hat & SDL_HAT_UP) ? PAD_UP : 0u) | ((hat & SDL_HAT_DOWN) ? PAD_DOWN : 0u);
}

static void controller_axis(struct wall *wall, struct device *d, const SDL_ControllerAxisEvent *e)
{
    double v = axis_value(e->value);
    switch (e->axis) {
    case SDL_CONTROLLER_AXIS_LEFTX:
        d->x = v;
        steer(wall, d);
        break;
    case SDL_CONTROLLER_AXIS_LEFTY:
        d->y = v;
        steer(wall, d);
        break;
    case SDL_CONTROLLER_AXIS_TRIGGERLEFT:
        d->zoom_out = v < 0 ? 0 : v;
        steer_ptz(wall, d);
        break;
    case SDL_CONTROLLER_AXIS_TRIGGERRIGHT:
        d->zoom_in = v < 0 ? 0 : v;
        steer_ptz(wall, d);
        break;
    default:
        break;
    }
}

static void joystick_axis(struct wall *wall, struct device *d, const SDL_JoyAxisEvent *e)
{
    double v = axis_value(e->value);
    if (e->axis == 0 || e->axis == 1) {
        *(e->axis == 0 ? &d->x : &d->y) = v;
        steer(wall, d);
    } else if (e->axis == TWIST_AXIS) {
        d->twist = v;
        steer_ptz(wall, d);
    }
}

/* Joystick events of a device opened as a game controller are ignored:
 * its controller events say the same with a known meaning. */
static struct device *plain(struct input *input, SDL_JoystickID id)
{
    struct device *d = find_device(input, id);
    return d && !d->controller ? d : NULL;
}

static struct device *controller(struct input *input, SDL_JoystickID id)
{
    struct device *d = find_device(input, id);
    return d && d->controller ? d : NULL;
}

static void handle_device_event(struct input *input, struct wall *wall, const SDL_Event *e)
{
    struct device *d;
    switch (e->type) {
    case SDL_CONTROLLERAXISMOTION:
        if ((d = controller(input, e->caxis.which))) {
            controller_axis(wall, d, &e->caxis);
        }
        break;
    case SDL_CONTROLLERBUTTONDOWN:
    case SDL_CONTROLLERBUTTONUP:
        if ((d = controller(input, e->cbutton.which))) {
            device_button(input, wall, d, e->cbutton.button, e->cbutton.state == SDL_PRESSED);
        }
        break;
    case SDL_JOYAXISMOTION:
        if ((d = plain(input, e->jaxis.which))) {
            joystick_axis(wall, d, &e->jaxis);
        }
        break;
    case SDL_JOYHATMOTION:
        if ((d = plain(input, e->jhat.which)) && e->jhat.hat == 0) {
            d->hat_pad = hat_bits(e->jhat.value);
            steer(wall, d);
        }
        break;
    case SDL_JOYBUTTONDOWN:
    case SDL_JOYBUTTONUP:
        if ((d = plain(input, e->jbutton.which))) {
            device_button(input, wall, d, e->jbutton.button, e->jbutton.state == SDL_PRESSED);
        }
        break;
    default:
        break;
    }
}

void input_handle_event(struct input *input, struct wall *wall, const SDL_Event *event)
{
    if (pointer_handle_event(input->pointer, wall, event)) {
        return;
    }
    switch (event->type) {
    case SDL_KEYDOWN:
        handle_key(input, wall, &event->key);
        break;
    case SDL_CONTROLLERDEVICEADDED:
        device_added(input, event->cdevice.which);
        break;
    case SDL_JOYDEVICEADDED:
        device_added(input, event->jdevice.which);
        break;
    case SDL_CONTROLLERDEVICEREMOVED:
        device_removed(input, wall, event->cdevice.which);
        break;
    case SDL_JOYDEVICEREMOVED:
        device_removed(input, wall, event->jdevice.which);
        break;
    case SDL_WINDOWEVENT:
        if (event->window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
            operator_ptz_halt(wall, M_("focus lost")); /* audit words */
            for (int i = 0; i < input->n_devices; i++) {
                release_ptz(wall, &input->devices[i], M_("focus lost"));
            }
        }
        break;
    default:
        handle_device_event(input, wall, event);
        break;
    }
}

/* ---- Once a frame: auto-repeat, pan and zoom ---- */

static void repeat(struct wall *wall, struct device *d, int64_t now)
{
    int dx, dy;
    device_direction(d, &dx, &dy);
    if (dx == 0 && dy == 0) {
        d->dir_x = d->dir_y = 0;
        return;
    }
    if (d->dir_x == 0 && d->dir_y == 0) {
        /* Pushed while its events went elsewhere (zoom mode ended). */
        d->dir_x = dx;
        d->dir_y = dy;
        d->repeat_at = REPEAT_NEVER;
        return;
    }
    d->dir_x = dx;
    d->dir_y = dy;
    if (d->repeat_at == 0) {
        d->repeat_at = now + REPEAT_DELAY_US;
    } else if (now >= d->repeat_at) {
        move_selection(wall, dx, dy);
        d->repeat_at += REPEAT_PERIOD_US;
        if (d->repeat_at <= now) {
            d->repeat_at = now + REPEAT_PERIOD_US; /* after a stall: no burst */
        }
    }
}

static void pan_and_zoom(struct wall *wall, struct device *d, double seconds)
{
    double px = beyond(d->x, DEAD_ZONE), py = beyond(d->y, DEAD_ZONE);
    if (px == 0.0 && py == 0.0) {
        int dx, dy;
        device_direction(d, &dx, &dy);
        px = dx;
        py = dy;
    }
    if (px != 0.0 || py != 0.0) {
        struct op_request req = {
            .kind = OP_PAN, .dx = px * PAN_SPEED * seconds, .dy = py * PAN_SPEED * seconds};
        apply(wall, OP_JOYSTICK, &req, false);
    }
    double z = device_zoom(d);
    if (z != 0.0) {
        struct op_request req = {.kind = OP_ZOOM, .amount = pow(ZOOM_RATE, z * seconds)};
        apply(wall, OP_JOYSTICK, &req, false);
    }
}

void input_tick(struct input *input, struct wall *wall, int64_t now_us)
{
    int64_t elapsed = input->last_tick_us ? now_us - input->last_tick_us : 0;
    elapsed = elapsed < 0 ? 0 : elapsed > MAX_FRAME_US ? MAX_FRAME_US : elapsed;
    input->last_tick_us = now_us;
    if (!input->scanned) {
        /* SDL announces devices when its joystick subsystem starts; one
         * started before this module existed announced them to no one. */
        input->scanned = true;
        for (int i = 0; i < SDL_NumJoysticks(); i++) {
            device_added(input, i);
        }
    }
    if (input->n_devices == 0) {
        return;
    }
    bool zooming = operator_zooming(wall);
    for (int i = 0; i < input->n_devices; i++) {
        struct device *d = &input->devices[i];
        if (zooming) {
            device_direction(d, &d->dir_x, &d->dir_y);
            d->repeat_at = REPEAT_NEVER;
            pan_and_zoom(wall, d, (double)elapsed / 1e6);
        } else {
            repeat(wall, d, now_us);
        }
    }
}
