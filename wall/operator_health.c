/* Picture health's one operator action: a camera turned on purpose learns
 * its new view (decode/health.h), instead of being called moved until
 * the view drifts back. Audited; changes nothing the wall shows. */
#include <stdio.h>

#include "decode/feed.h"
#include "wall/operator_impl.h"
#include "wall/wall_impl.h"

bool operator_health_reset(struct wall *wall, enum op_source source, int number, char *why,
                           size_t size)
{
    const struct layout_camera *camera = layout_find_camera(wall->layout, number);
    if (!camera) {
        return operator_refuse(why, size, "no camera %d", number);
    }
    if (!wall->layout->picture_health || !camera->picture_health) {
        return operator_refuse(why, size,
                               "camera %d: its picture is not watched (picture_health is off "
                               "in the layout file)",
                               number);
    }
    const struct source *src = sources_get(&wall->sources, (int)(camera - wall->layout->cameras));
    if (!src || !src->feed) {
        return operator_refuse(why, size, "camera %d is not open on this station", number);
    }
    feed_health_reset(src->feed);
    if (src->next) {
        feed_health_reset(src->next); /* the stream it is switching to */
    }
    char details[512];
    snprintf(details, sizeof(details), "camera=%d", camera->number);
    audit_quote(details, sizeof(details), "name", camera->name);
    audit_write(wall->audit, operator_source_name(source), "health-reset", details);
    return true;
}
