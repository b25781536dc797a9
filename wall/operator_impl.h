/*
 * Inside the operator: what operator.c and operator_snapshot.c share. No
 * other file includes this: every change goes through operator_apply().
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_IMPL_H
#define WALL_OPERATOR_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wall/operator.h"

struct screen;

/* Writes the tile as shown (masks applied) to the snapshot folder; `why`
 * holds the file name on success. */
bool operator_snapshot_tile(struct wall *wall, enum op_source source, int output, int tile,
                            char *why, size_t size);

#endif
