/* The metrics' view of the wall (wall/metrics.h): after every presented
 * frame, the freshness of each tile showing a picture; when a text is
 * due, the figures `stats` gives, from the same functions. Render thread;
 * reads the wall, changes nothing of it. */
#include "wall/metrics.h"
#include "wall/replay.h"
#include "wall/wall_impl.h"

/* Every visible tile that shows its camera's picture (live, stale or
 * reduced; not a slate, not a replay, which is old on purpose): how old
 * that picture is. The source's statistics were sampled when its newest
 * frame was taken this frame, so the age is the picture's, to within one
 * of the camera's frame intervals. */
static void observe_tiles(struct wall *wall, int64_t now)
{
    int over = 0, with_picture = 0;
    int64_t objective = (int64_t)(wall->layout->freshness * 1e6);
    for (int i = 0; i < wall->n_screens; i++) {
        const struct screen *s = &wall->screens[i];
        if (!wall_screen_live(wall, i)) {
            continue;
        }
        for (int t = 0; t < screen_visible_count(s); t++) {
            int index;
            struct layout_tile tile = screen_visible_tile(s, t, &index);
            if (replay_source(wall, i, index)) {
                continue;
            }
            int camera = screen_tile_camera(s, wall->layout, &tile, index, now);
            const struct source *src = sources_get(&wall->sources, camera);
            enum tile_state state = tile_state(src, now);
            if ((state != TILE_LIVE && state != TILE_STALE && state != TILE_REDUCED) ||
                src->stats.last_frame_us == 0) {
                continue;
            }
            int64_t age = now - src->stats.last_frame_us;
            metrics_observe_freshness(wall->metrics, (double)age / 1e6);
            with_picture++;
            over += age > objective;
        }
    }
    metrics_tiles_seen(wall->metrics, over, with_picture);
}

void wall_metrics_presented(struct wall *wall, int64_t now)
{
    if (!wall->metrics) {
        return;
    }
    observe_tiles(wall, now);
    if (!metrics_due(wall->metrics, now)) {
        return;
    }
    struct stats_wall figures;
    wall_stats_figures(wall, &figures);
    struct metrics_wall more = {.freshness = wall->layout->freshness};
    for (int i = 0; i < wall->n_screens && more.n_outputs < METRICS_OUTPUTS_MAX; i++) {
        if (wall_screen_live(wall, i)) {
            more.outputs[more.n_outputs++] = wall->screens[i].config->id;
        }
    }
    metrics_publish(wall->metrics, &wall->sources, &figures, &more, now);
}
