/*
 * Audit trail: every change of what the wall shows, one line each, appended
 * to a file and flushed as it is written, so the trail survives a crash:
 *
 *   2026-11-29T14:32:05.123-0500 source=keyboard action=put output=ssc-1
 *       tile=3 camera=101 name="Av. Tulum y Cobá" prev=<64 lowercase hex>
 *
 * (one line; shown folded here). Names are quoted with '"' and '\' escaped;
 * no URL or credential is ever written.
 *
 * The lines form a hash chain: each ends with " prev=" and the SHA-256 of
 * the line before it, all its bytes and its '\n' included; the first line
 * of a new or empty file carries 64 zeros. audit_open() on an existing file
 * hashes its last line to go on from there, lines of older versions without
 * prev= included. A last line without '\n' (the wall stopped while writing
 * it) is ended with a '\n' in the same write as the next line, and is
 * hashed with that '\n'. A failed write is logged, and the next one chains
 * onto whatever the file really ends with. Changing, removing or inserting a
 * line then shows at the next line (audit_verify.h); the chain cannot tell a
 * trail rewritten from some line to its end, unless the hash of its last
 * line is kept somewhere else.
 *
 * Ownership: owns the file; one writer per file (two walls appending to the
 * same file break each other's chain). Threads: render thread only.
 */
#ifndef WALL_AUDIT_H
#define WALL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit;
struct AVSHA;

/* SHA-256 as lowercase hex digits and a '\0'. */
#define AUDIT_HASH_HEX_SIZE 65

/* NULL when the file cannot be opened for appending, or its last line
 * cannot be read to continue the chain (logged). */
struct audit *audit_open(const char *path);
void audit_close(struct audit *audit);

/* Writes one line: source, action, and "key=value" details already
 * formatted by the caller (e.g. "output=ssc-1 tile=3"), then prev=. The
 * line goes out in one write and is flushed. NULL-safe. */
void audit_write(struct audit *audit, const char *source, const char *action, const char *details);

/* Lines written whole (and flushed) since audit_open(); 0 for NULL. For
 * the metrics (wall_audit_lines_total). */
uint64_t audit_lines(const struct audit *audit);

/* Appends ` name="..."` with the escaping audit lines use. */
void audit_quote(char *buf, size_t size, const char *key, const char *value);

/* Finishes a SHA-256 started with av_sha_init(sha, 256) into hex. */
void audit_hash_hex(struct AVSHA *sha, char hex[AUDIT_HASH_HEX_SIZE]);

#endif
