/*
 * Table-driven reading of libconfig groups, internal to layouts/.
 *
 * A group is described by a table of fields (its known settings, each with
 * a type, a range and where its value goes in a plain struct). Reading a
 * group checks every field, warns about settings the table does not know
 * (naming the nearest known one), and reports every problem with the file
 * and line of the offending setting. A new setting or a new group in the
 * layout format is a new table row or table, not new checking code.
 *
 * Values of string fields and group/list fields point into the config_t;
 * they live until config_destroy(). Threads: any; no shared state.
 */
#ifndef WALL_LAYOUTS_SCHEMA_H
#define WALL_LAYOUTS_SCHEMA_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "layouts/diag.h"
#include "layouts/files.h"

enum layout_field_kind {
    LAYOUT_FIELD_INT,     /* int in [min, max]; stored as int */
    LAYOUT_FIELD_NUMBER,  /* int or float in [fmin, fmax]; stored as double */
    LAYOUT_FIELD_TEXT,    /* non-empty string; stored as const char * */
    LAYOUT_FIELD_STRING,  /* any string, "" too; stored as const char * */
    LAYOUT_FIELD_NAME,    /* 1..64 of A-Z a-z 0-9 - _ and `also`; stored as const char * */
    LAYOUT_FIELD_COLOUR,  /* "#RRGGBB", any case; stored as uint32_t 0xRRGGBB */
    LAYOUT_FIELD_CHOICE,  /* one of choices[]; stored as int, the index */
    LAYOUT_FIELD_BOOL,    /* true or false (unquoted); stored as bool */
    LAYOUT_FIELD_GROUP,   /* { ... }; stored as const config_setting_t * */
    LAYOUT_FIELD_LIST,    /* ( ... ); stored as const config_setting_t * */
    LAYOUT_FIELD_INTS,    /* [a, b, ...]: `count` ints in [min, max]; stored as int[count] */
    LAYOUT_FIELD_NUMBERS, /* `count` numbers in [fmin, fmax]; stored as double[count] */
    LAYOUT_FIELD_VALUE,   /* anything; stored as const config_setting_t *, checked by the
                             caller */
};

struct layout_field {
    const char *key; /* NULL ends a table */
    enum layout_field_kind kind;
    bool required;
    bool secret;                /* never echo the value in a message, only its type */
    int min, max;               /* LAYOUT_FIELD_INT, LAYOUT_FIELD_INTS */
    double fmin, fmax;          /* LAYOUT_FIELD_NUMBER, LAYOUT_FIELD_NUMBERS */
    int count;                  /* LAYOUT_FIELD_INTS, LAYOUT_FIELD_NUMBERS */
    const char *shape;          /* ..._INTS, ..._NUMBERS: N_("[rows, columns]") for messages */
    const char *unit;           /* LAYOUT_FIELD_NUMBER: N_("seconds") for messages, or NULL */
    const char *also;           /* LAYOUT_FIELD_NAME: characters allowed besides - and _ */
    const char *const *choices; /* LAYOUT_FIELD_CHOICE, NULL-terminated */
    size_t offset;              /* of the value in the struct being filled */
};

/*
 * Shorthands that keep a table row on one line:
 *   {.key = "rows", LAYOUT_INT(1, 16), LAYOUT_REQUIRED, LAYOUT_AT(struct grid_values, rows)},
 */
#define LAYOUT_AT(type, member) .offset = offsetof(type, member)
#define LAYOUT_REQUIRED         .required = true
#define LAYOUT_INT(lo, hi)      .kind = LAYOUT_FIELD_INT, .min = (lo), .max = (hi)
#define LAYOUT_CHOICE(names)    .kind = LAYOUT_FIELD_CHOICE, .choices = (names)
#define LAYOUT_SECRET           .secret = true
#define LAYOUT_NUMBER(lo, hi)   .kind = LAYOUT_FIELD_NUMBER, .fmin = (lo), .fmax = (hi)
#define LAYOUT_INTS(n, lo, hi, what)                                                              \
    .kind = LAYOUT_FIELD_INTS, .count = (n), .min = (lo), .max = (hi), .shape = (what)
#define LAYOUT_NUMBERS(n, lo, hi, what)                                                           \
    .kind = LAYOUT_FIELD_NUMBERS, .count = (n), .fmin = (lo), .fmax = (hi), .shape = (what)

/* Where problems go: the list, and the files that name them. */
struct layout_reader {
    struct diag_list *diags;
    const struct layout_files *files;
};

/*
 * How messages name a group and its settings: label "grid" with sep "."
 * gives "grid.rows"; "camera 101" with ": " gives "camera 101: name".
 * A NULL label is the top level of the file.
 */
struct layout_scope {
    const char *label;
    const char *sep;
};

/*
 * Reads `group` by `fields` into `out`. A field that is absent keeps the
 * value `out` already holds (its default); a required one is reported
 * missing on the group's line. Returns false when it reported an error
 * (warnings about unknown settings do not count).
 */
bool layout_read_group(const struct layout_reader *reader, const config_setting_t *group,
                       struct layout_scope scope, const struct layout_field *fields, void *out);

/* Reports a problem at the file and line of `at` (or of the nearest setting
 * holding it that has a line). `fmt` is translated here (common/i18n.h):
 * pass a literal, or an N_() one; what %s puts in is translated by the
 * caller. */
void layout_report(const struct layout_reader *reader, enum diag_severity severity,
                   const config_setting_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like layout_report(), for a message already composed in the locale's
 * words: taken as it is. */
void layout_report_text(const struct layout_reader *reader, enum diag_severity severity,
                        const config_setting_t *at, const char *message);

/* Like layout_report(), with `fmt` already translated: ngettext()'s, for a
 * message whose words follow a number. */
void layout_report_translated(const struct layout_reader *reader, enum diag_severity severity,
                              const config_setting_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Reports that the setting s, `key` of the group `scope`, is not what it
 * must be: "SCOPE.KEY must be WANT (got ...)", WANT already in the
 * locale's words; `secret` shows the value's type only.
 */
void layout_report_invalid(const struct layout_reader *reader, const config_setting_t *s,
                           struct layout_scope scope, const char *key, const char *want,
                           bool secret);

/*
 * The choices items[0..n) (NULL-terminated when n < 0), each in quotes,
 * as messages list them: "a" or "b"; "a", "b" or "c" (the "or" in the
 * locale's words).
 */
void layout_or_list(const char *const *items, int n, char *buf, size_t size);

/*
 * The value of s as messages show it after "got": 0, 2.5, "red", [0, 2], a
 * group { ... }. A string holding "://" shows as "a URL", as it may carry a
 * password. The words are the locale's.
 */
void layout_describe(const config_setting_t *s, char *buf, size_t size);

/* Only the type of s, for values that must never be shown: "a string". */
void layout_describe_type(const config_setting_t *s, char *buf, size_t size);

/* Whether s is an integer setting (32 or 64 bits). */
bool layout_is_int(const config_setting_t *s);

/* The number s holds, int or float, into *out; false when it holds none. */
bool layout_number(const config_setting_t *s, double *out);

/*
 * Reads s, an array [ ... ] or a list ( ... ) of exactly n numbers (ints or
 * floats), into out[n]. Returns false, leaving out partly written, when s
 * is anything else.
 */
bool layout_numbers(const config_setting_t *s, int n, double *out);

/* Like layout_numbers(), for integers only. */
bool layout_ints(const config_setting_t *s, int n, int *out);

/*
 * Edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours each count one) between a and b, or limit + 1 when it is
 * more than limit.
 */
int layout_edit_distance(const char *a, const char *b, int limit);

/* The known key to suggest for the unknown `key`, or NULL if none is close. */
const char *layout_suggest_key(const char *key, const struct layout_field *fields);

/*
 * Whether `known` is close enough to the unknown `typed` to suggest, and how
 * close (*distance). Close means at most two edits, and at most one per
 * three letters, so that a short name is not "corrected" into another word.
 */
bool layout_is_close(const char *typed, const char *known, int *distance);

/* The name among names[0..n) (a NULL-terminated list when n < 0) to suggest
 * for the unknown `typed`, or NULL. */
const char *layout_suggest_name(const char *typed, const char *const *names, int n);

#endif
