/*
 * Checks an audit trail (wall/audit.h), for `wall --verify-audit FILE`:
 * that each line ends with prev= and the SHA-256 of the line before it (its
 * '\n' included; 64 zeros on the first line), and that each file a line
 * names with file="..." and sha256=<64 hex> is there and still has that
 * SHA-256. Relative file names are taken from the audit file's folder.
 *
 * Prints one line on `out`, in the process's language: at the first break
 * "FILE:LINE: what broke", in plain words; otherwise a summary, "FILE: 42
 * lines, chain intact, 3 evidence files match; SHA-256 of the last line:
 * <hex>" (that hash, kept elsewhere, shows later whether the trail was
 * rewritten to its end).
 * Reads the files only, and holds no state: any thread.
 */
#ifndef WALL_AUDIT_VERIFY_H
#define WALL_AUDIT_VERIFY_H

#include <stdio.h>

/* The exit status of `wall --verify-audit`. */
enum audit_verdict {
    AUDIT_INTACT = 0,     /* every line chains, every evidence file matches */
    AUDIT_BROKEN = 1,     /* reported: the first line where it breaks */
    AUDIT_UNREADABLE = 2, /* reported: the audit file cannot be read */
};

enum audit_verdict audit_verify(const char *path, FILE *out);

#endif
