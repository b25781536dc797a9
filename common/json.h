/*
 * JSON writer: objects, arrays and values written straight to a stdio
 * stream, commas and escapes done here, so that no caller formats JSON
 * with printf.
 *
 * Strings: quotes, backslashes and control characters are escaped; valid
 * UTF-8 passes through as it is; each ill-formed UTF-8 sequence (a stray
 * byte, a truncated or overlong sequence, a surrogate, a code point past
 * U+10FFFF) becomes one U+FFFD. Whatever bytes a camera name holds, the
 * output is valid UTF-8 and valid JSON. A NULL string is written as null.
 * Numbers: integers as they are; doubles with a fixed number of decimals,
 * and null when not finite (JSON has no NaN or infinity).
 * Layout: ", " between members and ": " after keys; json_break() starts a
 * new line there, unless the writer was made for one line (a control
 * socket reply is one line).
 *
 * The caller pairs every begin with its end and gives a key before every
 * member of an object; nesting deeper than JSON_MAX_DEPTH is not tracked.
 *
 * Ownership: a writer borrows its stream; write errors are the stream's
 * (ferror). Threads: a writer is used by one thread at a time.
 */
#ifndef WALL_COMMON_JSON_H
#define WALL_COMMON_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
    FILE *out;
    bool one_line;   /* json_break() writes nothing */
    int depth;       /* containers open */
    uint32_t filled; /* bit d: the container at depth d has a member */
    bool after_key;  /* a key was written: its value comes next, no comma */
    bool line_break; /* json_break() was called: a new line before what comes next */
};

void json_init(struct json *j, FILE *out, bool one_line);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);

/* The key of the next object member. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* A new line before the next member or closing bracket (one_line: none). */
void json_break(struct json *j);

/* A key and its value. */
void json_field_string(struct json *j, const char *key, const char *s);
void json_field_int(struct json *j, const char *key, long long v);
void json_field_uint(struct json *j, const char *key, unsigned long long v);
void json_field_double(struct json *j, const char *key, double v, int decimals);
void json_field_bool(struct json *j, const char *key, bool v);

/* `s` as a JSON string (quotes included), escaped and made valid UTF-8 as
 * above; NULL as null. */
void json_write_string(FILE *out, const char *s);

/* How many bytes of `s` make one well-formed UTF-8 character (RFC 3629),
 * or 0 when they do not; *bad then says how many bytes the ill-formed
 * part spans (the maximal subpart: one U+FFFD replaces them). Also for
 * other text formats that must be valid UTF-8 (wall/metrics.h). */
int json_utf8_length(const unsigned char *s, int *bad);

#endif
