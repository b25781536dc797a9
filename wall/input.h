/*
 * Input: the operator's keyboard and joysticks, turned into operator
 * requests (wall/operator.h), the way CCTV matrix keyboards work:
 *
 *   digits + Enter   put that camera number into the selected tile
 *   digits + M       select that monitor (output)
 *   Enter alone      maximize the selected tile / restore it
 *   arrows           move the selection; Tab / Shift+Tab: next / previous output
 *   PgUp / PgDn      previous / next page; F1..F12 recall pages 1..12
 *   T / Space        start or stop a tour in the tile / pause it
 *   S                snapshot of the selected tile; Z: digital zoom on/off
 *   Esc              clear the entry line
 *
 * Every binding can be overridden by the layout file's `keys` and `buttons`
 * (layouts/README.md); these are the defaults. Key names in the file that
 * SDL does not know are reported once at start-up with their file and line.
 *
 * Joysticks and game controllers are opened when plugged in and closed when
 * unplugged. The stick moves the selection (dead zone, auto-repeat while
 * held); in zoom mode it pans, and the triggers or a twist axis zoom in and
 * out smoothly (up to 8x).
 *
 * Mouse and touch events go to the pointer module it owns (wall/pointer.h).
 *
 * Ownership: owns its open joysticks and the entry buffer; borrows the
 * layout (bindings) until the next input_set_layout().
 * Threads: render thread only (SDL events are read there).
 */
#ifndef WALL_INPUT_H
#define WALL_INPUT_H

#include <stdint.h>

#include <SDL.h>

#include "layouts/layout.h"

struct input;
struct wall;

/* NULL only when out of memory. */
struct input *input_create(const struct layout_wall *layout);
void input_destroy(struct input *input);

/* Takes the bindings of a reloaded layout. */
void input_set_layout(struct input *input, const struct layout_wall *layout);

/* Keys, joystick and controller buttons, axes and hot-plug events. */
void input_handle_event(struct input *input, struct wall *wall, const SDL_Event *event);

/* Auto-repeat of a held stick and continuous zoom and pan; once a frame. */
void input_tick(struct input *input, struct wall *wall, int64_t now_us);

#endif
