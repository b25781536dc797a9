/*
 * Pointer: the mouse at an operator's desk and touch monitors, turned into
 * the operator requests the keyboard makes (wall/operator.h):
 *
 *   click               select that tile (and its output)
 *   double-click        maximize the tile / restore the output
 *   wheel               digital zoom at the pointer: the picture point under
 *                       it stays there; entering zoom on that tile if needed,
 *                       leaving it when zoomed back out to 1x
 *   drag (left button)  on the zoomed tile: pan, the picture following the
 *                       pointer; from any other tile onto another tile (this
 *                       output or another): swap their cameras (OP_SWAP,
 *                       audited; a zone that refuses one of them leaves both
 *                       as they were and the OSD says why)
 *   right-click         the tile's camera number, name, state and stream on
 *                       a plate at its top left, until the next click or a
 *                       few seconds (operator_show_info)
 *
 * Touch: a tap is a click, a double tap a double-click, one finger drags
 * as the left button does; two fingers pinch to zoom at their midpoint and
 * pan as their midpoint moves. Fingers are tracked here from SDL's finger
 * events (not SDL_MULTIGESTURE). The mouse events SDL makes up from touches
 * (`which` SDL_TOUCH_MOUSEID) are ignored, so a tap acts once.
 *
 * Where: a window's coordinates are mapped to the canvas by the output
 * (output_map_point; headless, or an event of no window of ours: canvas
 * pixels), the canvas point to the layout output and monitor whose rect
 * holds it, then to that output's picture (behind bezels too), and to the
 * visible tile under it; picture-in-picture tiles, drawn over the grid,
 * are hit first. While an alarm covers an output, a click there selects
 * the output only (the alarm is no tile: no zoom, drag, swap or details;
 * its own plate names its camera), as does a click between tiles.
 *
 * The output hides the cursor; it shows once the mouse moves or clicks in
 * a window of the wall, and hides again at a touch.
 *
 * Requests are audited as source mouse or touch; refusals show on the OSD.
 *
 * Ownership: the pointer owns its gesture state only; it reads the wall's
 * screens and layout (const) and changes nothing but through the operator.
 * Threads: render thread only (SDL events are read there).
 */
#ifndef WALL_POINTER_H
#define WALL_POINTER_H

#include <stdbool.h>

#include <SDL.h>

struct pointer;
struct wall;

/* NULL only when out of memory. */
struct pointer *pointer_create(void);
void pointer_destroy(struct pointer *pointer);

/* Mouse buttons, motion and wheel, and finger events: true when `event` is
 * one of those (acted on, or ignored as SDL's mouse made from a touch);
 * false: not the pointer's. */
bool pointer_handle_event(struct pointer *pointer, struct wall *wall, const SDL_Event *event);

#endif
