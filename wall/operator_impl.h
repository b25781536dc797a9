/*
 * Inside the operator: what operator.c, operator_snapshot.c and
 * operator_state.c share. No
 * other file includes this: every change goes through operator_apply().
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_IMPL_H
#define WALL_OPERATOR_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif
