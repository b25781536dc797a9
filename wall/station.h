/*
 * Station: this workstation's part in a wall driven by several. Every
 * station loads the same layout file; its `stations` section says which
 * outputs each one drives (layouts/layout.h). They share one state through
 * the wall's MQTT broker (wall/link.h, topics and payloads in
 * wall/messages.h):
 *
 * - Driving. A station draws, decodes for and changes only the outputs it
 *   drives: its own, and those of the stations it stands by for while they
 *   are offline. Every output it drives has its state (page, tiles'
 *   cameras and tours, maximized and selected tile) published retained on
 *   output/<id>/state whenever it changes, and again after every
 *   reconnect. The other outputs' screens mirror the states their drivers
 *   publish (operator_adopt(), silent), so that keys and the socket act on
 *   what those outputs show, and a standby has the state in hand when it
 *   takes over.
 *
 * - Commands. A request for an output another station drives (any source:
 *   keys, joystick, socket) is sent to it (station_send(), called by the
 *   operator) on output/<id>/command, with an id and this station's
 *   sequence number; its answer arrives as an ack on the driver's
 *   station/<name>/ack. The driver checks it with the same rules as a local
 *   request (operator_apply(), source station:<sender>, audited), publishes
 *   the output's new state, then acks, with the refusal's reason when
 *   refused. A command is never dropped without an answer: the sender
 *   refuses at once when the broker is unreachable or the driver is known
 *   to be offline, and answers "did not answer" after STATION_ANSWER_S.
 *   Sequence numbers start from the clock (milliseconds since 1970, times
 *   1000) so that they keep growing across restarts; the driver applies
 *   each (sender, seq) once and answers a repeat with the first answer.
 *   Commands from outside systems (a 911 CAD) are the same messages with
 *   their own `from`.
 *
 * - Start and reconnect. After each connect the station reads the retained
 *   states (it publishes a marker to its own station/<name>/sync and knows
 *   the broker has sent every retained message once the marker comes back)
 *   before it publishes any state: on the first connect it shows the
 *   retained state of its outputs (a workstation rebooted mid-shift comes
 *   back to the same wall); later, it takes the state a standby left while
 *   it was away, and otherwise keeps its own (it ran on while the broker
 *   was down) and publishes it.
 *
 * - Failover. A standby takes over the outputs of a station in its
 *   standby_for when that station's online state says offline (its last
 *   will: a crash, a cut cable) for STATION_TAKEOVER_S, provided the
 *   standby's own link stayed up meanwhile (a broker that stops publishes
 *   every will: that is not a station going down). An offline state the
 *   broker kept (retained, read on connecting: after a broker restart it
 *   may be the will of a station that is reconnecting) counts after
 *   STATION_RETAINED_WAIT_S. It hands them back when
 *   the station is online again; the station then starts from the state
 *   the standby left. Both are audited and logged.
 *
 * - Broker down. Local control keeps working; commands for other stations
 *   are refused with the reason; the link reconnects with back-off.
 *
 * Ownership: the wall owns the station (wall->station), the station owns
 * its link. NULL (no stations in the layout) is a valid station: it drives
 * every output and sends nothing.
 * Threads: render thread only, like the operator (libmosquitto's thread
 * stays inside wall/link.c).
 */
#ifndef WALL_STATION_H
#define WALL_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/json.h"
#include "wall/operator.h"

#define STATION_ANSWER_S   4 /* seconds a sender waits for an ack */
#define STATION_TAKEOVER_S 2 /* seconds a station is offline before its standby takes over */
/* The same, when the broker says so in a retained message (on connecting):
 * longer than a station's longest wait between reconnects (wall/link.h). */
#define STATION_RETAINED_WAIT_S 35

struct wall;
struct layout_wall;
struct station;

/* The station `name` of `layout`, connecting to its broker (`broker_url`
 * overrides the layout's when not NULL). NULL (logged, one line) when the
 * layout names no such station or the link cannot be made. The broker
 * being unreachable is no error: the station runs and keeps trying. */
struct station *station_create(const struct layout_wall *layout, const char *name,
                               const char *broker_url);
void station_destroy(struct station *station);

/* A reloaded layout comes into force (the operator calls it before it
 * swaps): false with the reason when it has no station of this name.
 * NULL station: true. */
bool station_relayout(struct station *station, const struct layout_wall *layout, char *why,
                      size_t why_size);

/* Whether output `output` (0-based) of the layout could be driven here:
 * the station's own, or those of the stations it stands by for. For
 * deciding which monitors get windows. True for every output without a
 * station (name NULL). */
bool station_may_drive(const struct layout_wall *layout, const char *name, int output);

/* Whether this station drives output `output` now. NULL: true. */
bool station_drives(const struct station *station, int output);

/* Who drives output `output` now, as far as this station knows ("" when
 * nobody does). */
const char *station_driver_name(const struct station *station, int output);

/* Once a frame, before the operator's tick: takes what arrived from the
 * broker (online states, output states, commands, acks), applies commands
 * for the outputs it drives, takes over or hands back outputs, answers
 * commands whose time ran out, and publishes the states that changed. */
void station_tick(struct wall *wall, int64_t now);

/* Sends `req` (its output and tile 1-based, resolved) to the station that
 * drives its output. OP_SENT with the command's id in `why`, or OP_REFUSED
 * with the reason (the broker unreachable, the driver offline). Called by
 * the operator only. */
enum op_result station_send(struct wall *wall, enum op_source source, const struct op_request *req,
                            char *why, size_t size);

/* Where the answer to command `id` goes: the control socket's deferred
 * reply `ticket` (wall/control.h): "OK <ok_text>" or "ERR <reason>". */
void station_await(struct station *station, const char *id, uint64_t ticket, const char *ok_text);

/* What the outputs it drives say about the wall across their top: the
 * broker unreachable, stations offline, outputs taken over, in the OSD's
 * language (O_()); "" when all is well. */
const char *station_banner(const struct station *station);

/* The "station" member of the statistics (wall/stats.h). NULL-safe (writes
 * nothing). */
void station_write_stats(const struct station *station, const struct layout_wall *layout,
                         struct json *j);

#endif
