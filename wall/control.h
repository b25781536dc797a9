/*
 * Control socket: a UNIX stream socket for automation and tests, one text
 * command per line, one reply per command ("OK ..." or "ERR reason"),
 * possibly several lines long for JSON answers (always one line here).
 *
 * The render thread polls it once per frame and never blocks on it: a
 * client that connects and sends nothing, sends a line longer than the
 * limit, or never reads its replies is dropped or refused without the wall
 * waiting for it. A reply may be deferred (control_defer()): the client
 * then waits for it, the wall does not. What the commands do is not this module's business: each
 * complete line is handed to the handler given at creation.
 *
 * The socket is made with mode 0660; an existing socket file is replaced
 * only when it is a socket owned by this user (never a regular file).
 *
 * Ownership: owns the listening socket, the clients and their buffers.
 * Threads: render thread only.
 */
#ifndef WALL_CONTROL_H
#define WALL_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONTROL_MAX_LINE    4096
#define CONTROL_MAX_CLIENTS 16

struct control;

/* Writes the reply to `reply` (without the final newline; it is added).
 * Returns nothing: a command always gets exactly one reply. */
typedef void (*control_handler)(void *opaque, const char *line, FILE *reply);

/* NULL when the socket cannot be made (logged with the path and why). */
struct control *control_create(const char *path, control_handler handler, void *opaque);
/* Closes every client and removes the socket file. NULL-safe. */
void control_destroy(struct control *control);

/* Accepts, reads and answers whatever is ready. Never blocks. */
void control_poll(struct control *control);

/* Called by the handler while it runs a line whose answer comes later (a
 * command that another station carries out): the handler writes nothing,
 * and the reply is the text given to control_answer() with the returned
 * ticket. Until then the client's next lines wait, unread, so replies
 * keep the order of the lines. 0 (and nothing deferred) outside a line
 * read from the socket, e.g. when the handler is called in-process. */
uint64_t control_defer(struct control *control);

/* The deferred reply of `ticket` (one line, no newline). Ignored when the
 * client has gone or the ticket was answered already: exactly one reply. */
void control_answer(struct control *control, uint64_t ticket, const char *reply);

#endif
