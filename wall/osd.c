#include "wall/osd.h"

#include <stdio.h>

#include "common/i18n.h"

void osd_draw_frame(const struct osd_context *ctx, struct layout_rect r, uint32_t colour,
                    int weight)
{
    int w = OSD_FRAME_WIDTH * weight;
    if (r.w <= 2 * w || r.h <= 2 * w) {
        return;
    }
    struct layout_rect sides[4] = {
        {r.x, r.y, r.w, w},
        {r.x, r.y + r.h - w, r.w, w},
        {r.x, r.y + w, w, r.h - 2 * w},
        {r.x + r.w - w, r.y + w, w, r.h - 2 * w},
    };
    for (int i = 0; i < 4; i++) {
        renderer_fill(ctx->renderer, sides[i], colour, 1.0f);
    }
}

/* The gap around the page's grid, which frames the output. */
static int wall_margin(const struct layout_output *cfg, int page,
                       const struct layout_template *layouts)
{
    return layouts ? layouts[cfg->pages[page].layout].grid.gap : 0;
}

/* `text` into `label` within `room` pixels: set smaller first, down to two
 * thirds of `size` (never under 10 px), then shortened with "…". An OSD
 * plate says something whole (a banner, an alarm, the clock): smaller type
 * keeps it whole where a longer language would not fit. */
static bool fit_label(const struct osd_context *ctx, struct text_label *label, const char *text,
                      int size, int room)
{
    int least = size * 2 / 3 < 10 ? 10 : size * 2 / 3;
    return text_label_fit(ctx->text, label, text,
                          text_fit_size(ctx->text, text, size, least, room), room);
}

int osd_draw_plate(const struct osd_context *ctx, struct text_label *label, const char *text,
                   int size, int x, int y, int max_w, enum osd_anchor anchor, uint32_t colour)
{
    int pad = size / 3;
    fit_label(ctx, label, text, size, max_w - 2 * pad);
    if (!label->texture) {
        return 0;
    }
    struct layout_rect plate = {x, y, label->width + 2 * pad, label->height + 2 * pad};
    if (anchor == OSD_ANCHOR_TOP_CENTRE) {
        plate.x -= plate.w / 2;
    }
    plate_list_add(ctx->plates, plate, label->text);
    renderer_fill(ctx->renderer, plate, colour, 0.9f);
    renderer_draw_label(
        ctx->renderer, label,
        (struct layout_rect){plate.x + pad, plate.y + pad, label->width, label->height}, 1.0f);
    return plate.h;
}

void osd_draw_status(const struct osd_context *ctx, const struct screen *s,
                     const struct layout_zone *zone, const struct layout_template *layouts,
                     time_t now)
{
    const struct layout_output *cfg = s->config;
    const struct layout_page *page = &cfg->pages[s->page];
    struct tm tm;
    char clock[32], page_text[160], text[512];
    localtime_r(&now, &tm);
    strftime(clock, sizeof(clock), "%d/%m/%Y %H:%M:%S", &tm);
    if (cfg->n_pages > 1 || page->name) {
        /* TRANSLATORS: the status plate: page 2 of 5 */
        int n =
            snprintf(page_text, sizeof(page_text), O_("page %d/%d"), s->page + 1, cfg->n_pages);
        if (n > 0 && (size_t)n < sizeof(page_text)) {
            snprintf(page_text + n, sizeof(page_text) - (size_t)n, "%s%s   ",
                     page->name ? " " : "", page->name ? page->name : "");
        }
    } else {
        page_text[0] = '\0';
    }
    snprintf(text, sizeof(text), "%s%s%s%s", zone && zone->title ? zone->title : "",
             zone && zone->title ? "   " : "", page_text, clock);
    /* Sized for one monitor, and kept on the bottom-right one of a group. */
    int size = cfg->monitor_height / 54 < 12 ? 12 : cfg->monitor_height / 54;
    /* Inside the outer margin: the gaps between tiles stay the background. */
    int margin = wall_margin(cfg, s->page, layouts);
    int pad = size / 3;
    int room = cfg->monitor_width - 2 * margin - 2 * pad;
    fit_label(ctx, &s->look->status, text, size, room);
    if (!s->look->status.texture) {
        return;
    }
    int w = s->look->status.width < room ? s->look->status.width : room;
    struct layout_rect plate = {cfg->width - margin - w - 2 * pad,
                                cfg->height - margin - s->look->status.height - 2 * pad,
                                w + 2 * pad, s->look->status.height + 2 * pad};
    plate_list_add(ctx->plates, plate, s->look->status.text);
    renderer_fill(ctx->renderer, plate, 0x000000, 0.7f);
    if (zone) {
        /* The zone's colour along the plate's top: who the output is for. */
        renderer_fill(ctx->renderer, (struct layout_rect){plate.x, plate.y, plate.w, 3},
                      zone->colour, 1.0f);
    }
    renderer_draw_label(
        ctx->renderer, &s->look->status,
        (struct layout_rect){plate.x + pad, plate.y + pad, w, s->look->status.height}, 1.0f);
}

void osd_draw_info(const struct osd_context *ctx, const struct screen *s, struct layout_rect rect,
                   const char *text)
{
    const struct layout_output *cfg = s->config;
    int size = cfg->monitor_height / 30 < 14 ? 14 : cfg->monitor_height / 30;
    int inset = 3 * OSD_FRAME_WIDTH; /* inside the thickest frame */
    int pad = size / 3;
    if (!fit_label(ctx, &s->look->info, text, size, cfg->width - 2 * pad)) {
        return;
    }
    /* Its width is known once rendered: a tile at the right edge has it
     * moved left rather than cut by the output's edge. */
    int w = s->look->info.width + 2 * pad;
    int x = rect.x + inset + w <= cfg->width ? rect.x + inset : cfg->width - w;
    osd_draw_plate(ctx, &s->look->info, text, size, x < 0 ? 0 : x, rect.y + inset, cfg->width,
                   OSD_ANCHOR_TOP_LEFT, 0x000000);
}

void osd_draw_banner(const struct osd_context *ctx, const struct screen *s, const char *text)
{
    const struct layout_output *cfg = s->config;
    int size = cfg->monitor_height / 40 < 14 ? 14 : cfg->monitor_height / 40;
    int pad = size / 3;
    int room = cfg->monitor_width - 2 * pad; /* on the first monitor */
    fit_label(ctx, &s->look->banner, text, size, room);
    int h = (s->look->banner.texture ? s->look->banner.height : size) + 2 * pad;
    plate_list_add(ctx->plates, (struct layout_rect){0, 0, cfg->width, h}, s->look->banner.text);
    renderer_fill(ctx->renderer, (struct layout_rect){0, 0, cfg->width, h}, OSD_BANNER_COLOUR,
                  0.9f);
    if (s->look->banner.texture) {
        int w = s->look->banner.width < room ? s->look->banner.width : room;
        renderer_draw_label(ctx->renderer, &s->look->banner,
                            (struct layout_rect){pad, pad, w, s->look->banner.height}, 1.0f);
    }
}
