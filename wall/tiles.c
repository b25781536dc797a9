#include "wall/tiles.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"

#include "wall/mask.h"

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

enum tile_state tile_state(const struct source *source, int64_t now_us)
{
    if (!source) {
        return TILE_EMPTY;
    }
    const struct feed_stats *st = &source->stats;
    if (st->state == FEED_NO_SIGNAL) {
        return st->reconnecting ? TILE_RECONNECTING : TILE_NO_SIGNAL;
    }
    if (!picture_valid(&source->picture)) {
        return TILE_CONNECTING;
    }
    if (mask_failed(source->camera, source->mask, source->mask_raster)) {
        return TILE_MASK_FAILED;
    }
    if (source->replay) {
        return TILE_REPLAY; /* paused or slow: never called stale */
    }
    if (feed_stats_stale(st, now_us)) {
        return TILE_STALE;
    }
    return st->decode == FEED_DECODE_KEYFRAMES ? TILE_REDUCED : TILE_LIVE;
}

const char *tile_state_name(enum tile_state state)
{
    static const char *const names[] = {
        [TILE_EMPTY] = "empty",
        [TILE_CONNECTING] = "connecting",
        [TILE_LIVE] = "live",
        [TILE_STALE] = "stale",
        [TILE_REDUCED] = "reduced",
        [TILE_NO_SIGNAL] = "no-signal",
        [TILE_RECONNECTING] = "reconnecting",
        [TILE_MASK_FAILED] = "mask-failed",
        [TILE_REPLAY] = "replay",
    };
    return names[state];
}

/* "4 s", "12 min", "3 h": ages as an operator reads them. */
static void format_age(char *buf, size_t size, int64_t us)
{
    int64_t s = us / 1000000;
    if (s < 120) {
        snprintf(buf, size, "%d s", (int)s);
    } else if (s < 7200) {
        snprintf(buf, size, "%d min", (int)(s / 60));
    } else {
        snprintf(buf, size, "%d h", (int)(s / 3600));
    }
}

/* Draws `label` with its top-left at (x, y), scaled down to max_w if wider. */
static int draw_label(const struct tile_context *ctx, const struct text_label *label, int x, int y,
                      int max_w)
{
    if (!label->texture || max_w <= 0) {
        return 0;
    }
    int w = label->width < max_w ? label->width : max_w;
    int h = label->width <= max_w ? label->height : label->height * max_w / label->width;
    renderer_draw_label(ctx->renderer, label, (struct layout_rect){x, y, w, h}, 1.0f);
    return h;
}

static int centred(const struct text_label *label, struct layout_rect r, int max_w)
{
    int w = label->width < max_w ? label->width : max_w;
    return r.x + (r.w - w) / 2;
}

static void draw_slate(const struct tile_context *ctx, struct tile_view *view,
                       const struct layout_tile *tile, const struct source *source,
                       enum tile_state state)
{
    struct layout_rect r = tile->rect;
    bool masks = state == TILE_MASK_FAILED;
    bool failed = state == TILE_NO_SIGNAL || state == TILE_RECONNECTING || masks;
    renderer_fill(ctx->renderer, r, failed ? TILE_SLATE_NO_SIGNAL : TILE_SLATE_CONNECTING, 1.0f);

    char name[512], detail[128] = "", age[32];
    snprintf(name, sizeof(name), "%d  %s", source->camera->number, source->camera->name);
    const char *title = masks ? O_("MASK FAILED") : failed ? O_("NO SIGNAL") : O_("CONNECTING");
    if (masks) {
        snprintf(detail, sizeof(detail), "%s", O_("privacy mask could not be built"));
    } else if (failed && source->stats.last_frame_us > 0) {
        format_age(age, sizeof(age), ctx->now_us - source->stats.last_frame_us);
        snprintf(detail, sizeof(detail),
                 state == TILE_RECONNECTING ? O_("last frame %s ago · reconnecting")
                                            : O_("last frame %s ago"),
                 age);
    } else if (failed) {
        snprintf(detail, sizeof(detail), "%s",
                 state == TILE_RECONNECTING ? O_("reconnecting") : O_("no picture yet"));
    }
    int max_w = r.w - 8;
    /* The state's word is set smaller, down to half, before it is cut. */
    int big = clamp(r.h / 7, 10, 72);
    big = text_fit_size(ctx->text, title, big, big / 2 < 10 ? 10 : big / 2, max_w);
    int small = clamp(r.h / 14, 9, 36);
    text_label_fit(ctx->text, &view->title, title, big, max_w);
    text_label_fit(ctx->text, &view->name, name, small, max_w);
    text_label_fit(ctx->text, &view->detail, detail, clamp(r.h / 18, 8, 28), max_w);

    int total = view->title.height + view->name.height + view->detail.height;
    int y = r.y + (r.h - total) / 2;
    const struct text_label *lines[] = {&view->title, &view->name, &view->detail};
    for (int i = 0; i < 3; i++) {
        int x = centred(lines[i], r, max_w);
        int h = draw_label(ctx, lines[i], x, y, max_w);
        if (h > 0) {
            int w = lines[i]->width < max_w ? lines[i]->width : max_w;
            plate_list_add(ctx->plates, (struct layout_rect){x, y, w, h}, lines[i]->text);
        }
        y += h;
    }
}

/* Fills what the picture leaves of the tile: every pixel is drawn once,
 * which matters on software GL where fill rate is the cost. */
static void fill_bars(const struct tile_context *ctx, struct layout_rect tile,
                      struct layout_rect pic)
{
    struct layout_rect bars[4] = {
        {tile.x, tile.y, tile.w, pic.y - tile.y},                           /* top */
        {tile.x, pic.y + pic.h, tile.w, tile.y + tile.h - (pic.y + pic.h)}, /* bottom */
        {tile.x, pic.y, pic.x - tile.x, pic.h},                             /* left */
        {pic.x + pic.w, pic.y, tile.x + tile.w - (pic.x + pic.w), pic.h},   /* right */
    };
    for (int i = 0; i < 4; i++) {
        if (bars[i].w > 0 && bars[i].h > 0) {
            renderer_fill(ctx->renderer, bars[i], TILE_BACKGROUND, 1.0f);
        }
    }
}

void plate_list_add(struct plate_list *list, struct layout_rect rect, const char *text)
{
    if (list && list->n < list->max) {
        struct plate *p = &list->items[list->n++];
        p->rect = rect;
        p->screen = list->screen;
        snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
        size_t n = strlen(p->text);
        if (text && text[n] != '\0') { /* cut: never half a character in the JSON */
            while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80) {
                n--;
            }
            p->text[n] = '\0';
        }
    }
}

#define PLATE_GAP 2

/* The plates a tile has drawn so far: the ones drawn after keep out. */
struct tile_plates {
    struct layout_rect rects[4];
    int n;
};

/* Keeps a tile's plate out of the output's plates and out of the tile's
 * own plates drawn before it: it gives up width on the side of the other
 * plate while it keeps half of its own, else it moves above (`up`) or below
 * it. */
static struct layout_rect keep_out(const struct tile_context *ctx, struct layout_rect plate,
                                   const struct tile_plates *own, bool right, bool up)
{
    for (int i = 0; i < ctx->n_keep_out + own->n; i++) {
        struct layout_rect k =
            i < ctx->n_keep_out ? ctx->keep_out[i] : own->rects[i - ctx->n_keep_out];
        if (!layout_rect_overlaps(plate, k)) {
            continue;
        }
        int room = right ? plate.x + plate.w - (k.x + k.w) - PLATE_GAP : k.x - plate.x - PLATE_GAP;
        if (room >= plate.w / 2) {
            plate.x = right ? k.x + k.w + PLATE_GAP : plate.x;
            plate.w = room;
        } else {
            plate.y = up ? k.y - plate.h - PLATE_GAP : k.y + k.h + PLATE_GAP;
        }
    }
    return plate;
}

/* Where a tile's plate goes and how it looks. */
struct plate_style {
    bool bottom; /* the tile's bottom edge, else its top */
    bool right;  /* its right edge, else its left */
    bool state;  /* names a state: smaller type before "…" */
    uint32_t colour;
    float alpha;
};

/* `text` on a translucent plate in a corner of tile r. It gives way to the
 * output's plates and to the tile's own plates drawn before it (upwards
 * from the bottom, downwards from the top), and is added to them. It fits
 * the room it gets: a state's word is set smaller (to half its size), then
 * any text is shortened with "…". Never squeezed, never over another
 * plate. */
static void draw_plate(const struct tile_context *ctx, struct text_label *label, const char *text,
                       int size, struct layout_rect r, struct tile_plates *own,
                       struct plate_style style)
{
    bool bottom = style.bottom, right = style.right;
    if (style.state) {
        int pad = size / 6 + 2;
        size = text_fit_size(ctx->text, text, size, size / 2 < 9 ? 9 : size / 2, r.w - 2 * pad);
    }
    int width = text_width(ctx->text, text, size);
    int height = text_height(ctx->text, size);
    if (width <= 0 || height <= 0) {
        return;
    }
    int pad = height / 6 + 2;
    int max_w = r.w - 2 * pad;
    int w = width < max_w ? width : max_w;
    int x = right ? r.x + r.w - w - 2 * pad : r.x;
    int y = bottom ? r.y + r.h - height - 2 * pad : r.y;
    struct layout_rect plate = {x, y, w + 2 * pad, height + 2 * pad};
    plate = keep_out(ctx, plate, own, right, bottom);
    if (plate.w <= 2 * pad || !text_label_fit(ctx->text, label, text, size, plate.w - 2 * pad)) {
        return;
    }
    if (label->width + 2 * pad < plate.w) { /* shortened: "…" ends the plate */
        if (right) {
            plate.x += plate.w - (label->width + 2 * pad);
        }
        plate.w = label->width + 2 * pad;
    }
    plate_list_add(ctx->plates, plate, label->text);
    renderer_fill(ctx->renderer, plate, style.colour, style.alpha);
    draw_label(ctx, label, plate.x + pad, plate.y + pad, plate.w - 2 * pad);
    if (own->n < (int)(sizeof(own->rects) / sizeof(own->rects[0]))) {
        own->rects[own->n++] = plate;
    }
}

/* The badge of a picture in doubt (decode/health.h), or NULL. */
static const char *health_badge(const struct source *source)
{
    switch (source->stats.picture) {
    case PICTURE_FROZEN:
        return O_("FROZEN");
    case PICTURE_OBSTRUCTED:
        return O_("OBSTRUCTED");
    case PICTURE_BLURRED:
        return O_("BLURRED");
    case PICTURE_MOVED:
        return O_("MOVED");
    default:
        return NULL; /* ok, learning, off */
    }
}

void tile_place_picture(const struct layout_tile *tile, double aspect,
                        const struct tile_zoom *zoom, struct layout_rect *dst, struct crop *src)
{
    renderer_fit(tile->rect, aspect, tile->fit == LAYOUT_FIT_FILL, dst, src);
    if (zoom && zoom->factor > 1.0) {
        /* Zoom within what the tile shows; masks follow (same coordinates). */
        src->x += (zoom->cx - 0.5 / zoom->factor) * src->w;
        src->y += (zoom->cy - 0.5 / zoom->factor) * src->h;
        src->w /= zoom->factor;
        src->h /= zoom->factor;
    }
}

/* The picture, its name plate and its badges: the state's (STALE,
 * REDUCED, REPLAY) at the top right, then the picture's health beside or
 * below it; each added to `own`. */
static void draw_picture(const struct tile_context *ctx, struct tile_view *view,
                         const struct layout_tile *tile, const struct source *source,
                         enum tile_state state, const struct tile_zoom *zoom,
                         struct tile_plates *own)
{
    struct layout_rect r = tile->rect;
    struct layout_rect dst;
    struct crop src;
    tile_place_picture(tile, source->picture.aspect, zoom, &dst, &src);
    fill_bars(ctx, r, dst);
    renderer_draw_picture(ctx->renderer, &source->picture, dst, src, source->mask,
                          source->mask_raster);

    char text[512];
    snprintf(text, sizeof(text), "%d  %s", source->camera->number, source->camera->name);
    int size = clamp(r.h / 16, 9, 28);
    draw_plate(ctx, &view->label, text, size, r, own,
               (struct plate_style){.bottom = true, .colour = 0x000000, .alpha = 0.55f});

    struct plate_style badge = {.right = true, .state = true, .alpha = 0.9f};
    if (state == TILE_STALE) {
        char age[32], text[64];
        format_age(age, sizeof(age), ctx->now_us - source->stats.last_frame_us);
        snprintf(text, sizeof(text), O_("STALE %s"), age);
        badge.colour = TILE_BADGE_STALE;
        draw_plate(ctx, &view->badge, text, size, r, own, badge);
        return; /* no new pictures: nothing to judge their health by */
    } else if (state == TILE_REDUCED) {
        badge.colour = TILE_BADGE_REDUCED;
        draw_plate(ctx, &view->badge, O_("REDUCED"), size, r, own, badge);
    } else if (state == TILE_REPLAY) {
        /* Larger than the other badges: nobody may take it for live. */
        badge.colour = TILE_BADGE_REPLAY;
        badge.alpha = 1.0f;
        draw_plate(ctx, &view->badge, source->badge, clamp(r.h / 11, 12, 40), r, own, badge);
        return; /* the past: the live picture's health is not its */
    }
    const char *doubt = health_badge(source);
    if (doubt) {
        badge.colour = TILE_BADGE_HEALTH;
        badge.alpha = 0.95f;
        draw_plate(ctx, &view->health, doubt, size, r, own, badge);
    }
}

void tile_draw(const struct tile_context *ctx, struct tile_view *view,
               const struct layout_tile *tile, const struct source *source,
               const struct tile_zoom *zoom, const struct tile_badge *badge)
{
    enum tile_state state = tile_state(source, ctx->now_us);
    struct tile_plates own = {.n = 0};
    switch (state) {
    case TILE_EMPTY:
        renderer_fill(ctx->renderer, tile->rect, TILE_BACKGROUND, 1.0f);
        break;
    case TILE_CONNECTING:
    case TILE_NO_SIGNAL:
    case TILE_RECONNECTING:
    case TILE_MASK_FAILED:
        draw_slate(ctx, view, tile, source, state);
        break;
    case TILE_LIVE:
    case TILE_STALE:
    case TILE_REDUCED:
    case TILE_REPLAY:
        draw_picture(ctx, view, tile, source, state, zoom, &own);
        break;
    }
    if (badge && badge->text && state != TILE_EMPTY) {
        /* Top left; beside the tile's badges while all fit, else below. */
        draw_plate(ctx, &view->extra, badge->text, clamp(tile->rect.h / 16, 9, 28), tile->rect,
                   &own,
                   (struct plate_style){.state = true, .colour = badge->colour, .alpha = 0.95f});
    }
}

void tile_view_finish(struct tile_view *view)
{
    text_label_finish(&view->label);
    text_label_finish(&view->badge);
    text_label_finish(&view->title);
    text_label_finish(&view->name);
    text_label_finish(&view->detail);
    text_label_finish(&view->extra);
    text_label_finish(&view->health);
}
