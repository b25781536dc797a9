/*
 * Inside the operator: what operator.c, operator_snapshot.c,
 * operator_state.c, operator_replay.c, operator_swap.c and
 * operator_health.c share. No other file includes this: every change goes
 * through operator_apply().
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_IMPL_H
#define WALL_OPERATOR_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/i18n.h"
#include "wall/operator.h"

#include "wall/wall_impl.h"

/* The operator's way to a screen it changes: everyone else reads them
 * through the wall's const array. */
static inline struct screen *screen_of(struct wall *wall, int index)
{
    return (struct screen *)&wall->screens[index];
}

/* The zone rule, whoever asks: what the zone admits, and only active
 * cameras. False with the reason in `why`. */
bool operator_admitted(const struct wall *wall, const struct screen *s,
                       const struct layout_camera *camera, char *why, size_t size);

/* Writes the tile as shown (masks applied) to the snapshot folder; `why`
 * holds the file name on success. */
bool operator_snapshot_tile(struct wall *wall, enum op_source source, int output, int tile,
                            char *why, size_t size);

/* Writes the reason into `why` and returns false: how requests refuse.
 * `fmt` is translated (_(): the process's language, or the OSD's within
 * i18n_osd_enter()); an xgettext keyword, so callers pass literals. */
bool operator_refuse(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One audit line about tile `tile` (-1: the output) showing camera
 * `camera` (an index; -1: none), with `extra` details (or NULL). */
void operator_audit_tile(struct wall *wall, enum op_source source, const char *action,
                         const struct screen *s, int tile, int camera, const char *extra);

/* OP_REPLAY and OP_EXPORT on a checked target (wall/operator_replay.c). */
bool operator_replay(struct wall *wall, enum op_source source, int out, int tile,
                     const struct op_request *req, char *why, size_t size);
bool operator_export(struct wall *wall, enum op_source source, int out, int tile,
                     const struct op_request *req, char *why, size_t size);

/* OP_PTZ_MOVE and OP_PTZ_PRESET on a checked target (wall/operator_ptz.c). */
bool operator_ptz(struct wall *wall, enum op_source source, int out, int tile,
                  const struct op_request *req, char *why, size_t size);

/* Stops what PTZ steers, reports what became unavailable (operator_tick). */
void operator_ptz_tick(struct wall *wall, int64_t now);

/* OP_SWAP of a checked target with req->with_output, req->with_tile
 * (wall/operator_swap.c). */
bool operator_swap(struct wall *wall, enum op_source source, int out, int tile,
                   const struct op_request *req, char *why, size_t size);

#endif
