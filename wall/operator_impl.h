/*
 * Operator actions on explicit targets (output and tile indices, 0-based),
 * for the control socket, alarms and the request API in operator.c. Each
 * checks the zone rules, changes the screen, and writes the audit line;
 * a refusal changes nothing and says why.
 * Threads: render thread only.
 */
#ifndef WALL_OPERATOR_IMPL_H
#define WALL_OPERATOR_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wall/operator.h"

struct screen;

/* number 0 empties the tile. */
bool operator_put(struct wall *wall, enum op_source source, int output, int tile, int number,
                  char *why, size_t size);
bool operator_page(struct wall *wall, enum op_source source, int output, int page, char *why,
                   size_t size);
/* tile -1 restores. */
bool operator_maximize(struct wall *wall, enum op_source source, int output, int tile, char *why,
                       size_t size);
/* tour: index, or -1 to stop the tile's tour (it stays on its camera). */
bool operator_tour(struct wall *wall, enum op_source source, int output, int tile, int tour,
                   char *why, size_t size);
bool operator_pause(struct wall *wall, enum op_source source, int output, int tile, char *why,
                    size_t size);
bool operator_alarm(struct wall *wall, enum op_source source, int number, int output,
                    double seconds, char *why, size_t size);
/* Writes what changed by itself since the last frame to the audit trail:
 * a tour moving to its next camera (source tour), an alarm showing or
 * ending (source alarm). Called once a frame per screen. */
void operator_note_automatic(struct wall *wall, struct screen *s, int64_t now);

/* Writes the tile as shown (masks applied) to the snapshot folder; `why`
 * holds the file name on success. */
bool operator_snapshot_tile(struct wall *wall, enum op_source source, int output, int tile,
                            char *why, size_t size);

#endif
