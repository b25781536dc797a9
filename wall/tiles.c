#include "wall/tiles.h"

#include <stdio.h>

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Draws `label` with its top-left at (x, y), clipped to the tile's width. */
static void draw_label(const struct tile_context *ctx, const struct text_label *label, int x,
                       int y, int max_w)
{
    if (!label->texture) {
        return;
    }
    int w = label->width < max_w ? label->width : max_w;
    /* Scale down to fit rather than spill over the neighbouring tile. */
    int h = label->width <= max_w ? label->height : label->height * max_w / label->width;
    renderer_draw_texture(ctx->renderer, label->texture, (struct layout_rect){x, y, w, h}, 1.0f);
}

static void draw_slate(const struct tile_context *ctx, struct tile_view *view,
                       const struct layout_tile *tile, const struct layout_camera *camera,
                       uint32_t colour, const char *title)
{
    struct layout_rect r = tile->rect;
    renderer_fill(ctx->renderer, r, colour, 1.0f);
    char name[512];
    snprintf(name, sizeof(name), "%d  %s", camera->number, camera->name);
    int big = clamp(r.h / 7, 10, 72);
    int small = clamp(r.h / 14, 9, 36);
    text_label_set(ctx->text, &view->title, title, big);
    text_label_set(ctx->text, &view->name, name, small);
    int max_w = r.w - 8;
    int total = view->title.height + view->name.height;
    int y = r.y + (r.h - total) / 2;
    int tw = view->title.width < max_w ? view->title.width : max_w;
    int nw = view->name.width < max_w ? view->name.width : max_w;
    draw_label(ctx, &view->title, r.x + (r.w - tw) / 2, y, max_w);
    draw_label(ctx, &view->name, r.x + (r.w - nw) / 2, y + view->title.height, max_w);
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

static void draw_picture(const struct tile_context *ctx, struct tile_view *view,
                         const struct layout_tile *tile, struct source *source)
{
    struct layout_rect r = tile->rect;
    struct layout_rect dst;
    struct crop src;
    renderer_fit(r, source->picture.aspect, tile->fit == LAYOUT_FIT_FILL, &dst, &src);
    fill_bars(ctx, r, dst);
    renderer_draw_picture(ctx->renderer, &source->picture, dst, src);

    char text[512];
    snprintf(text, sizeof(text), "%d  %s", source->camera->number, source->camera->name);
    text_label_set(ctx->text, &view->label, text, clamp(r.h / 16, 9, 28));
    if (view->label.texture) {
        int pad = view->label.height / 6 + 2;
        int max_w = r.w - 2 * pad;
        int lw = view->label.width < max_w ? view->label.width : max_w;
        struct layout_rect plate = {r.x, r.y + r.h - view->label.height - 2 * pad, lw + 2 * pad,
                                    view->label.height + 2 * pad};
        renderer_fill(ctx->renderer, plate, 0x000000, 0.55f);
        draw_label(ctx, &view->label, plate.x + pad, plate.y + pad, max_w);
    }
}

void tile_draw(const struct tile_context *ctx, struct tile_view *view,
               const struct layout_tile *tile, struct source *source)
{
    if (!source) {
        renderer_fill(ctx->renderer, tile->rect, TILE_BACKGROUND, 1.0f);
        return;
    }
    if (source->stats.state == FEED_NO_SIGNAL) {
        draw_slate(ctx, view, tile, source->camera, TILE_SLATE_NO_SIGNAL, "NO SIGNAL");
    } else if (picture_valid(&source->picture)) {
        draw_picture(ctx, view, tile, source);
    } else {
        draw_slate(ctx, view, tile, source->camera, TILE_SLATE_CONNECTING, "CONNECTING");
    }
}

void tile_view_finish(struct tile_view *view)
{
    text_label_finish(&view->label);
    text_label_finish(&view->title);
    text_label_finish(&view->name);
}
