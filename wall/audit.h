/*
 * Audit trail: every change of what the wall shows, one line each, appended
 * to a file and flushed as it is written, so the trail survives a crash:
 *
 *   2026-11-29T14:32:05.123-0500 source=keyboard action=put output=ssc-1
 *       tile=3 camera=101 name="Av. Tulum y Cobá"
 *
 * (one line; shown folded here). Names are quoted with '"' and '\' escaped;
 * no URL or credential is ever written.
 *
 * Ownership: owns the file. Threads: render thread only.
 */
#ifndef WALL_AUDIT_H
#define WALL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

struct audit;

/* NULL when the file cannot be opened for appending (logged). */
struct audit *audit_open(const char *path);
void audit_close(struct audit *audit);

/* Writes one line: source, action, and "key=value" details already
 * formatted by the caller (e.g. "output=ssc-1 tile=3"). NULL-safe. */
void audit_write(struct audit *audit, const char *source, const char *action, const char *details);

/* Appends ` name="..."` with the escaping audit lines use. */
void audit_quote(char *buf, size_t size, const char *key, const char *value);

#endif
