#include "wall/damage.h"

void damage_clear(struct damage *d)
{
    d->n = 0;
    d->all = false;
}

void damage_add(struct damage *d, struct layout_rect rect, bool background)
{
    if (d->all || rect.w <= 0 || rect.h <= 0) {
        return;
    }
    for (int i = 0; i < d->n; i++) {
        const struct layout_rect *r = &d->rects[i];
        if (r->x == rect.x && r->y == rect.y && r->w == rect.w && r->h == rect.h) {
            d->background[i] = d->background[i] || background;
            return;
        }
    }
    if (d->n == DAMAGE_MAX) {
        damage_all(d);
        return;
    }
    d->rects[d->n] = rect;
    d->background[d->n] = background;
    d->n++;
}

void damage_all(struct damage *d)
{
    d->all = true;
    d->n = 0;
}

bool damage_any(const struct damage *d)
{
    return d->all || d->n > 0;
}
