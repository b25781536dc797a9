/* Snapshots of one tile, named so an investigator finds them: camera
 * number, a plain-ASCII form of its name, and the local time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/words.h"
#include "wall/operator_impl.h"
#include "wall/snapshot.h"
#include "wall/wall_impl.h"

/* Writes the tile `r` (in the output's picture) as the wall shows it: the
 * part each monitor shows, from the canvas; what the bezels hide stays
 * black. */
static bool crop_and_write(struct wall *wall, const struct layout_output *out, const char *path,
                           struct layout_rect r)
{
    int cw = wall->layout->width, ch = wall->layout->height;
    uint8_t *canvas = malloc((size_t)cw * ch * 3);
    uint8_t *tile = calloc((size_t)r.w * r.h, 3);
    bool ok = canvas && tile && output_read_canvas(wall->output, canvas);
    for (int m = 0; ok && m < out->n_monitors; m++) {
        const struct layout_monitor *mon = &out->monitors[m];
        int x0 = r.x > mon->view.x ? r.x : mon->view.x;
        int y0 = r.y > mon->view.y ? r.y : mon->view.y;
        int x1 = r.x + r.w < mon->view.x + mon->view.w ? r.x + r.w : mon->view.x + mon->view.w;
        int y1 = r.y + r.h < mon->view.y + mon->view.h ? r.y + r.h : mon->view.y + mon->view.h;
        for (int y = y0; y < y1; y++) {
            int cx = mon->rect.x + x0 - mon->view.x, cy = mon->rect.y + y - mon->view.y;
            memcpy(tile + ((size_t)(y - r.y) * r.w + (x0 - r.x)) * 3,
                   canvas + ((size_t)cy * cw + cx) * 3, (size_t)(x1 - x0) * 3);
        }
    }
    ok = ok && snapshot_write_png(path, tile, r.w, r.h);
    free(canvas);
    free(tile);
    return ok;
}

bool operator_snapshot_tile(struct wall *wall, enum op_source source, int output, int tile,
                            char *why, size_t size)
{
    if (output < 0 || output >= wall->n_screens || tile < 0 ||
        tile >= wall->screens[output].n_tiles) {
        snprintf(why, size, "%s", _("no such tile"));
        return false;
    }
    const struct screen *s = &wall->screens[output];
    int64_t now = av_gettime_relative();
    struct layout_rect rect = {0};
    int shown = screen_shown_camera(s, wall->layout, tile, now, &rect);
    if (shown < 0) {
        snprintf(why, size, _("tile %d shows no camera"), tile + 1);
        return false;
    }
    const struct layout_camera *camera = &wall->layout->cameras[shown];
    char name[128], stamp[32], path[4096];
    words_slug(camera->name, name, sizeof(name));
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    const char *dir = wall->options->snapshot_dir ? wall->options->snapshot_dir : ".";
    snprintf(path, sizeof(path), "%s/%d-%s-%s.png", dir, camera->number, name, stamp);
    wall_draw(wall, now, true);
    if (!crop_and_write(wall, s->config, path, rect)) {
        snprintf(why, size, _("cannot write %s"), path);
        return false;
    }
    char details[4200];
    snprintf(details, sizeof(details), "output=%s tile=%d camera=%d", s->config->id, tile + 1,
             camera->number);
    audit_quote(details, sizeof(details), "file", path);
    audit_write(wall->audit, operator_source_name(source), "snapshot", details);
    snprintf(why, size, "%s", path);
    return true;
}
