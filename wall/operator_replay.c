/* Replay and evidence requests (OP_REPLAY, OP_EXPORT): the operator's
 * side of wall/replay.h and wall/evidence.h. */
#include <stdio.h>

#include "wall/operator_impl.h"

/* Replays and their controls: what the tile shows, so audited like the
 * rest; the camera is the one replayed. */
bool operator_replay(struct wall *wall, enum op_source source, int out, int tile,
                     const struct op_request *req, char *why, size_t size)
{
    enum replay_control control = (enum replay_control)req->value;
    if (control == REPLAY_TOGGLE) {
        control = replay_source(wall, out, tile) ? REPLAY_LIVE : REPLAY_START;
        if (control == REPLAY_START && wall->layout->replay.seconds <= 0) {
            return operator_refuse(why, size, "no pre-roll is kept (wall.replay is not set)");
        }
        struct op_request start = *req;
        start.value = control;
        start.amount = wall->layout->replay.seconds;
        return operator_replay(wall, source, out, tile, &start, why, size);
    }
    if (control == REPLAY_START && !(req->amount > 0 && req->amount <= 3600)) {
        return operator_refuse(why, size, "replay from 1 to 3600 seconds back (got %g)",
                               req->amount);
    }
    const struct source *was = replay_source(wall, out, tile);
    int camera = was ? (int)(was->camera - wall->layout->cameras) : -1;
    if (!replay_control(wall, out, tile, control, req->amount, why, size)) {
        return false;
    }
    const struct source *now = replay_source(wall, out, tile);
    camera = now ? (int)(now->camera - wall->layout->cameras) : camera;
    char extra[64];
    snprintf(extra, sizeof(extra), "control=%s", replay_control_name(control));
    if (control == REPLAY_START) {
        snprintf(extra, sizeof(extra), M_("control=start from=-%.0fs"),
                 replay_from(wall, out, tile));
    }
    operator_audit_tile(wall, source, "replay", &wall->screens[out], tile, camera, extra);
    return true;
}

/* Evidence exports; the export's own line comes when it ends
 * (wall/evidence.h), with the file's hash. */
bool operator_export(struct wall *wall, enum op_source source, int out, int tile,
                     const struct op_request *req, char *why, size_t size)
{
    if (req->value == 1 || (req->value == 2 && evidence_running(wall, out, tile))) {
        return evidence_stop(wall, out, tile, why, size);
    }
    if (req->value == 2) { /* the key: the pre-roll, then on until stopped */
        return evidence_start(wall, source, out, tile, wall->layout->replay.seconds, -1.0, why,
                              size);
    }
    if (!(req->amount > 0 && req->amount <= 86400)) {
        return operator_refuse(why, size, "export from 1 second back on (got %g)", req->amount);
    }
    return evidence_start(wall, source, out, tile, req->amount, req->dx, why, size);
}
