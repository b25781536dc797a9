#include "wall/screen.h"

#include <stdlib.h>

bool screen_init(struct screen *s, const struct layout_output *config, int page)
{
    *s = (struct screen){.config = config, .maximized = -1};
    return screen_set_page(s, page);
}

void screen_finish(struct screen *s)
{
    for (int t = 0; t < s->n_views; t++) {
        tile_view_finish(&s->views[t]);
    }
    free(s->views);
    text_label_finish(&s->banner);
    text_label_finish(&s->status);
    s->views = NULL;
    s->n_views = 0;
}

bool screen_set_page(struct screen *s, int page)
{
    if (page < 0 || page >= s->config->n_pages) {
        return false;
    }
    for (int t = 0; t < s->n_views; t++) {
        tile_view_finish(&s->views[t]);
    }
    free(s->views);
    s->page = page;
    s->maximized = -1;
    s->n_views = s->config->pages[page].n_tiles;
    s->views = calloc((size_t)s->n_views + 1, sizeof(*s->views));
    return s->views != NULL;
}

bool screen_maximize(struct screen *s, int tile)
{
    if (tile < -1 || tile >= s->config->pages[s->page].n_tiles) {
        return false;
    }
    s->maximized = tile;
    /* Text was rendered for the old size. */
    for (int t = 0; t < s->n_views; t++) {
        tile_view_finish(&s->views[t]);
    }
    return true;
}

int screen_visible_count(const struct screen *s)
{
    return s->maximized >= 0 ? 1 : s->config->pages[s->page].n_tiles;
}

struct layout_tile screen_visible_tile(const struct screen *s, int i, int *page_index)
{
    const struct layout_page *page = &s->config->pages[s->page];
    if (s->maximized < 0) {
        *page_index = i;
        return page->tiles[i];
    }
    *page_index = s->maximized;
    struct layout_tile tile = page->tiles[s->maximized];
    tile.rect = (struct layout_rect){0, 0, s->config->width, s->config->height};
    return tile;
}
