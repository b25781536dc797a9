#include "wall/pointer.h"

#include <math.h>
#include <stdlib.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "wall/operator.h"
#include "wall/wall_impl.h"

#define DRAG_PX       6.0   /* canvas pixels a press moves before it is a drag */
#define WHEEL_STEP    1.25  /* zoom per notch of the wheel */
#define UNZOOMED      1.001 /* zoomed out to this: zoom mode ends */
#define DOUBLE_TAP_MS 400   /* a second tap this soon after the first, */
#define DOUBLE_TAP_PX 30.0  /* and this near it, is a double tap */
#define MAX_FINGERS   10

/* What lies under a point of the canvas. */
struct hit {
    int output;              /* screen index; -1: no output */
    int tile;                /* tile index on the page; -1: none, or the alarm */
    double x, y;             /* the point in the output's picture */
    double off_x, off_y;     /* picture minus canvas coordinates on that monitor */
    struct layout_rect rect; /* where the tile's picture is drawn (picture pixels) */
};

enum press_mode {
    PRESS_NONE,  /* no button or finger held, or one that does nothing more */
    PRESS_CLICK, /* held on a tile, not moved yet */
    PRESS_PAN,   /* dragging the zoomed picture */
    PRESS_SWAP,  /* dragging the tile towards another */
};

struct press {
    enum press_mode mode;
    enum op_source source;
    struct hit at;         /* where it went down */
    double x, y;           /* canvas point where it went down */
    double last_x, last_y; /* canvas point the pan has reached */
};

struct finger {
    SDL_TouchID touch;
    SDL_FingerID id;
    double x, y; /* canvas */
};

struct pointer {
    struct press press;
    struct finger fingers[MAX_FINGERS];
    int n_fingers;
    bool gesture;            /* two fingers came down: no tap or drag until all are up */
    bool pinching;           /* the first two fingers pinch and pan */
    double mid_x, mid_y;     /* their midpoint (canvas) at the last step */
    double spread;           /* their distance at the last step */
    struct hit pinch_at;     /* the tile under their midpoint when they came down */
    bool tapped;             /* a tap that a second one may make a double tap */
    uint32_t tap_ms;         /* its SDL timestamp */
    double tap_x, tap_y;     /* and place */
    double mouse_x, mouse_y; /* the mouse's last place (window coordinates) */
    bool cursor;             /* shown: the mouse was used in a window */
};

struct pointer *pointer_create(void)
{
    return calloc(1, sizeof(struct pointer));
}

void pointer_destroy(struct pointer *pointer)
{
    free(pointer);
}

/* ---- Where: canvas point -> output -> picture point -> tile ---- */

static bool inside(struct layout_rect r, double x, double y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* Where tile `tile` draws its picture: letterboxed or filling, as drawn;
 * the tile's rect while it has no picture. */
static struct layout_rect picture_rect(const struct wall *wall, int output,
                                       const struct layout_tile *tile, int index)
{
    const struct screen *s = &wall->screens[output];
    int camera = screen_tile_camera(s, wall->layout, tile, index, av_gettime_relative());
    const struct source *src = replay_source(wall, output, index);
    src = src ? src : sources_get(&wall->sources, camera);
    if (!src || !(src->picture.aspect > 0)) {
        return tile->rect;
    }
    struct layout_rect dst;
    struct crop crop;
    tile_place_picture(tile, src->picture.aspect, NULL, &dst, &crop);
    return dst.w > 0 && dst.h > 0 ? dst : tile->rect;
}

/* The visible tile under the hit's picture point: free (picture in
 * picture) tiles first, drawn last over the grid; an alarm covers all. */
static void find_tile(const struct wall *wall, struct hit *hit)
{
    const struct screen *s = &wall->screens[hit->output];
    int n = screen_visible_count(s);
    for (int pass = 0; pass < 2; pass++) {
        for (int t = n - 1; t >= 0; t--) {
            int index;
            struct layout_tile tile = screen_visible_tile(s, t, &index);
            if (tile.free == (pass == 1) || !inside(tile.rect, hit->x, hit->y)) {
                continue;
            }
            hit->tile = index;
            if (index >= 0) {
                hit->rect = picture_rect(wall, hit->output, &tile, index);
            }
            return;
        }
    }
}

static bool locate(const struct wall *wall, double x, double y, struct hit *hit)
{
    *hit = (struct hit){.output = -1, .tile = -1};
    const struct layout_wall *layout = wall->layout;
    for (int i = 0; i < layout->n_outputs && i < wall->n_screens; i++) {
        const struct layout_output *o = &layout->outputs[i];
        for (int k = 0; k < o->n_monitors; k++) {
            const struct layout_monitor *m = &o->monitors[k];
            if (!inside(m->rect, x, y)) {
                continue;
            }
            hit->output = i;
            hit->off_x = m->view.x - m->rect.x;
            hit->off_y = m->view.y - m->rect.y;
            hit->x = x + hit->off_x;
            hit->y = y + hit->off_y;
            find_tile(wall, hit);
            return true;
        }
    }
    return false;
}

/* ---- Requests ---- */

/* Carries out a request; a refusal shows on the OSD, in its language (the
 * operator's own hands: mouse, touch). */
static bool request(struct wall *wall, enum op_source source, struct op_request req)
{
    char why[512] = "";
    locale_t before = i18n_osd_enter();
    bool ok = operator_apply(wall, source, &req, why, sizeof(why)) != OP_REFUSED;
    i18n_osd_leave(before);
    if (!ok && why[0]) {
        operator_notify(wall, why);
    }
    return ok;
}

static bool select_hit(struct wall *wall, enum op_source source, const struct hit *hit)
{
    return request(wall, source,
                   (struct op_request){
                       .kind = OP_SELECT_TILE, .output = hit->output + 1, .value = hit->tile});
}

/* Whether the hit's tile is the selected, zoomed one. */
static bool zoomed_on(const struct wall *wall, const struct hit *hit)
{
    if (hit->tile < 0 || hit->output != wall->selected_output || hit->output >= wall->n_screens) {
        return false; /* a reload may have left fewer outputs since the hit */
    }
    const struct screen *s = &wall->screens[hit->output];
    return s->selected == hit->tile && s->zoom.active;
}

static double unit(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Zooms the hit's tile `times` about picture point (x, y): entering zoom
 * on it when zooming in, leaving zoom when back at 1x. */
static void zoom_at(struct wall *wall, enum op_source source, const struct hit *hit, double x,
                    double y, double times)
{
    if (hit->tile < 0 || times == 1.0 || !(times > 0)) {
        return;
    }
    struct op_request req = {
        .kind = OP_ZOOM,
        .output = hit->output + 1,
        .amount = times,
        .anchored = true,
        .anchor_x = unit((x - hit->rect.x) / hit->rect.w),
        .anchor_y = unit((y - hit->rect.y) / hit->rect.h),
    };
    if (!zoomed_on(wall, hit)) {
        if (times < 1.0 || !select_hit(wall, source, hit)) {
            return;
        }
        req.kind = OP_ZOOM_TOGGLE;
    }
    if (request(wall, source, req) && wall->screens[hit->output].zoom.factor < UNZOOMED) {
        request(wall, source, (struct op_request){.kind = OP_ZOOM_TOGGLE, .output = req.output});
    }
}

/* Moves the zoomed picture by (dx, dy) canvas pixels: it follows the
 * pointer. */
static void pan(struct wall *wall, enum op_source source, const struct hit *hit, double dx,
                double dy)
{
    if ((dx == 0 && dy == 0) || hit->rect.w <= 0 || hit->rect.h <= 0) {
        return;
    }
    request(wall, source,
            (struct op_request){.kind = OP_PAN,
                                .output = hit->output + 1,
                                .dx = -dx / hit->rect.w,
                                .dy = -dy / hit->rect.h});
}

/* ---- Press, drag, release: the left button or one finger ---- */

/* A click (or tap) selects; the second of a double click maximizes or
 * restores. On an alarm it selects the output only. */
static void press(struct pointer *p, struct wall *wall, enum op_source source, double x, double y,
                  int clicks)
{
    p->press = (struct press){.source = source, .x = x, .y = y, .last_x = x, .last_y = y};
    struct hit hit;
    if (!locate(wall, x, y, &hit)) {
        return;
    }
    if (hit.tile < 0) {
        request(wall, source, (struct op_request){.kind = OP_SELECT_OUTPUT, .value = hit.output});
        return;
    }
    if (!select_hit(wall, source, &hit)) {
        return;
    }
    if (clicks >= 2 && clicks % 2 == 0) {
        /* The tile's place changes: no drag from here. */
        request(wall, source,
                (struct op_request){
                    .kind = OP_MAXIMIZE_TOGGLE, .output = hit.output + 1, .tile = hit.tile + 1});
        return;
    }
    p->press.mode = PRESS_CLICK;
    p->press.at = hit;
}

static void move(struct pointer *p, struct wall *wall, double x, double y)
{
    struct press *pr = &p->press;
    if (pr->mode == PRESS_CLICK && hypot(x - pr->x, y - pr->y) > DRAG_PX) {
        pr->mode = zoomed_on(wall, &pr->at) ? PRESS_PAN : PRESS_SWAP;
    }
    if (pr->mode == PRESS_PAN) {
        pan(wall, pr->source, &pr->at, x - pr->last_x, y - pr->last_y);
        pr->last_x = x;
        pr->last_y = y;
    }
}

/* Ends the press at (x, y) (`on`: a point on the canvas); a tile dragged
 * onto another swaps with it. True when it was a click. */
static bool release(struct pointer *p, struct wall *wall, double x, double y, bool on)
{
    struct press pr = p->press;
    p->press.mode = PRESS_NONE;
    struct hit to;
    if (pr.mode != PRESS_SWAP || !on || !locate(wall, x, y, &to) || to.tile < 0 ||
        (to.output == pr.at.output && to.tile == pr.at.tile)) {
        return pr.mode == PRESS_CLICK;
    }
    request(wall, pr.source,
            (struct op_request){.kind = OP_SWAP,
                                .output = pr.at.output + 1,
                                .tile = pr.at.tile + 1,
                                .with_output = to.output + 1,
                                .with_tile = to.tile + 1});
    return false;
}

/* ---- Mouse ---- */

static void show_details(struct wall *wall, double x, double y)
{
    struct hit hit;
    if (locate(wall, x, y, &hit) && hit.tile >= 0) {
        operator_show_info(wall, hit.output, hit.tile);
    }
}

/* The output hides the cursor on the wall's windows; once the mouse is
 * used in one it shows (until a touch), so operators see what they point
 * at. Events of no window (headless) change nothing. */
static void show_cursor(struct pointer *p, uint32_t window_id, bool show)
{
    if (window_id != 0 && show != p->cursor) {
        p->cursor = show;
        SDL_ShowCursor(show ? SDL_ENABLE : SDL_DISABLE);
    }
}

static void mouse_button(struct pointer *p, struct wall *wall, const SDL_MouseButtonEvent *e)
{
    double x, y;
    bool on = output_map_point(wall->output, e->windowID, e->x, e->y, false, &x, &y);
    p->mouse_x = e->x;
    p->mouse_y = e->y;
    show_cursor(p, e->windowID, true);
    if (e->state == SDL_PRESSED) {
        operator_show_info(wall, -1, -1); /* any click ends the details */
        if (on && e->button == SDL_BUTTON_LEFT) {
            press(p, wall, OP_MOUSE, x, y, e->clicks);
        } else if (on && e->button == SDL_BUTTON_RIGHT) {
            show_details(wall, x, y);
        }
    } else if (e->button == SDL_BUTTON_LEFT && p->press.source == OP_MOUSE) {
        release(p, wall, x, y, on);
    }
}

static void mouse_motion(struct pointer *p, struct wall *wall, const SDL_MouseMotionEvent *e)
{
    p->mouse_x = e->x;
    p->mouse_y = e->y;
    show_cursor(p, e->windowID, true);
    double x, y;
    if (p->press.source == OP_MOUSE &&
        output_map_point(wall->output, e->windowID, e->x, e->y, false, &x, &y)) {
        move(p, wall, x, y);
    }
}

static void mouse_wheel(struct pointer *p, struct wall *wall, const SDL_MouseWheelEvent *e)
{
    double wx = p->mouse_x, wy = p->mouse_y;
#if SDL_VERSION_ATLEAST(2, 26, 0)
    wx = e->mouseX;
    wy = e->mouseY;
#endif
    double notches = e->preciseY != 0 ? e->preciseY : e->y;
    notches = e->direction == SDL_MOUSEWHEEL_FLIPPED ? -notches : notches;
    double x, y;
    struct hit hit;
    if (notches != 0 && output_map_point(wall->output, e->windowID, wx, wy, false, &x, &y) &&
        locate(wall, x, y, &hit)) {
        zoom_at(wall, OP_MOUSE, &hit, hit.x, hit.y, pow(WHEEL_STEP, notches));
    }
}

/* ---- Touch ---- */

static struct finger *find_finger(struct pointer *p, const SDL_TouchFingerEvent *e)
{
    for (int i = 0; i < p->n_fingers; i++) {
        if (p->fingers[i].touch == e->touchId && p->fingers[i].id == e->fingerId) {
            return &p->fingers[i];
        }
    }
    return NULL;
}

/* The first two fingers: their midpoint and distance. */
static void pinch_shape(const struct pointer *p, double *mx, double *my, double *spread)
{
    const struct finger *a = &p->fingers[0], *b = &p->fingers[1];
    *mx = (a->x + b->x) / 2;
    *my = (a->y + b->y) / 2;
    *spread = hypot(a->x - b->x, a->y - b->y);
}

static void finger_down(struct pointer *p, struct wall *wall, const SDL_TouchFingerEvent *e,
                        double x, double y)
{
    if (p->n_fingers == MAX_FINGERS || find_finger(p, e)) {
        return;
    }
    p->fingers[p->n_fingers++] = (struct finger){e->touchId, e->fingerId, x, y};
    if (p->n_fingers == 1) {
        operator_show_info(wall, -1, -1);
        bool twice = p->tapped && e->timestamp - p->tap_ms <= DOUBLE_TAP_MS &&
                     hypot(x - p->tap_x, y - p->tap_y) <= DOUBLE_TAP_PX;
        p->tapped = false; /* a third tap is a first one again */
        press(p, wall, OP_TOUCH, x, y, twice ? 2 : 1);
    } else if (p->n_fingers == 2) {
        /* Not a tap nor a drag any more: a pinch about the tile under the
         * midpoint (already selected if the first finger was on it). */
        p->press.mode = PRESS_NONE;
        p->gesture = true;
        pinch_shape(p, &p->mid_x, &p->mid_y, &p->spread);
        p->pinching = locate(wall, p->mid_x, p->mid_y, &p->pinch_at);
    }
}

/* The pinch's step: zoom about the last midpoint by how much the fingers
 * spread, then pan by how far the midpoint moved. */
static void pinch(struct pointer *p, struct wall *wall)
{
    double mx, my, spread;
    pinch_shape(p, &mx, &my, &spread);
    const struct hit *at = &p->pinch_at;
    if (at->tile >= 0 && p->spread > 1 && spread > 1) {
        zoom_at(wall, OP_TOUCH, at, p->mid_x + at->off_x, p->mid_y + at->off_y,
                spread / p->spread);
        if (zoomed_on(wall, at)) {
            pan(wall, OP_TOUCH, at, mx - p->mid_x, my - p->mid_y);
        }
    }
    p->mid_x = mx;
    p->mid_y = my;
    p->spread = spread;
}

static void finger_up(struct pointer *p, struct wall *wall, struct finger *f,
                      const SDL_TouchFingerEvent *e, double x, double y, bool on)
{
    int index = (int)(f - p->fingers);
    struct finger gone = *f;
    for (int i = index; i + 1 < p->n_fingers; i++) {
        p->fingers[i] = p->fingers[i + 1];
    }
    p->n_fingers--;
    if (index < 2) {
        p->pinching = false; /* one of the pair left */
    }
    if (p->n_fingers == 0 && !p->gesture && p->press.source == OP_TOUCH &&
        release(p, wall, on ? x : gone.x, on ? y : gone.y, true)) {
        p->tapped = true;
        p->tap_ms = e->timestamp;
        p->tap_x = gone.x;
        p->tap_y = gone.y;
    }
    if (p->n_fingers == 0) {
        p->gesture = false;
    }
}

static void touch(struct pointer *p, struct wall *wall, const SDL_TouchFingerEvent *e)
{
    double x, y;
    bool on = output_map_point(wall->output, e->windowID, e->x, e->y, true, &x, &y);
    struct finger *f = find_finger(p, e);
    show_cursor(p, e->windowID, false);
    if (e->type == SDL_FINGERDOWN) {
        if (on) {
            finger_down(p, wall, e, x, y);
        }
    } else if (f && e->type == SDL_FINGERUP) {
        finger_up(p, wall, f, e, x, y, on);
    } else if (f && on) {
        f->x = x;
        f->y = y;
        if (p->pinching && f - p->fingers < 2) {
            pinch(p, wall);
        } else if (p->n_fingers == 1 && !p->gesture && p->press.source == OP_TOUCH) {
            move(p, wall, x, y);
        }
    }
}

bool pointer_handle_event(struct pointer *p, struct wall *wall, const SDL_Event *event)
{
    switch (event->type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (event->button.which != SDL_TOUCH_MOUSEID) {
            mouse_button(p, wall, &event->button);
        }
        return true;
    case SDL_MOUSEMOTION:
        if (event->motion.which != SDL_TOUCH_MOUSEID) {
            mouse_motion(p, wall, &event->motion);
        }
        return true;
    case SDL_MOUSEWHEEL:
        if (event->wheel.which != SDL_TOUCH_MOUSEID) {
            mouse_wheel(p, wall, &event->wheel);
        }
        return true;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        touch(p, wall, &event->tfinger);
        return true;
    default:
        return false;
    }
}
