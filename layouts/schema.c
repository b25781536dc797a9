#include "layouts/schema.h"

#include "common/i18n.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY   64 /* longest key compared by the edit distance */
#define MAX_NAME  64 /* longest LAYOUT_FIELD_NAME value */
#define SHOW_TEXT 40 /* bytes of a string value shown in a message */
#define MAX_COUNT 8  /* longest LAYOUT_FIELD_INTS or LAYOUT_FIELD_NUMBERS array */

void layout_report_text(const struct layout_reader *reader, enum diag_severity severity,
                        const config_setting_t *at, const char *message)
{
    /* The root group has no line; report at the top of its file then. */
    while (config_setting_source_line(at) == 0 && config_setting_parent(at)) {
        at = config_setting_parent(at);
    }
    const char *file = layout_files_lookup(reader->files, config_setting_source_file(at));
    int line = (int)config_setting_source_line(at);
    diag_add_text(reader->diags, severity, file, line, message);
}

void layout_report(const struct layout_reader *reader, enum diag_severity severity,
                   const config_setting_t *at, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), gettext(fmt), ap); /* common/i18n.h */
    va_end(ap);
    layout_report_text(reader, severity, at, message);
}

void layout_report_translated(const struct layout_reader *reader, enum diag_severity severity,
                              const config_setting_t *at, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    layout_report_text(reader, severity, at, message);
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int layout_edit_distance(const char *a, const char *b, int limit)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (abs(la - lb) > limit || lb > MAX_KEY) {
        return limit + 1;
    }
    /* Rows i-2, i-1 and i of the optimal-string-alignment table. */
    int rows[3][MAX_KEY + 1];
    int *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (int j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (int i = 1; i <= la; i++) {
        cur[0] = i;
        for (int j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            bool swapped = i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1];
            if (swapped && before[j - 2] + 1 < cur[j]) {
                cur[j] = before[j - 2] + 1;
            }
        }
        int *spare = before;
        before = prev;
        prev = cur;
        cur = spare;
    }
    int d = prev[lb];
    return d > limit ? limit + 1 : d;
}

bool layout_is_close(const char *typed, const char *known, int *distance)
{
    int d = layout_edit_distance(typed, known, 2);
    size_t longest = strlen(typed) > strlen(known) ? strlen(typed) : strlen(known);
    *distance = d;
    return d <= 2 && (size_t)d * 3 <= longest;
}

const char *layout_suggest_key(const char *key, const struct layout_field *fields)
{
    const char *best = NULL;
    int best_d = 3;
    for (const struct layout_field *f = fields; f->key; f++) {
        int d;
        if (layout_is_close(key, f->key, &d) && d < best_d) {
            best = f->key;
            best_d = d;
        }
    }
    return best;
}

const char *layout_suggest_name(const char *typed, const char *const *names, int n)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; n < 0 ? names[i] != NULL : i < n; i++) {
        int d;
        if (layout_is_close(typed, names[i], &d) && d < best_d) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

static const struct layout_field *find_field(const struct layout_field *fields, const char *key)
{
    for (const struct layout_field *f = fields; f->key; f++) {
        if (strcmp(f->key, key) == 0) {
            return f;
        }
    }
    return NULL;
}

static void warn_unknown(const struct layout_reader *reader, const config_setting_t *group,
                         struct layout_scope scope, const struct layout_field *fields)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *key = config_setting_name(s);
        if (!key || find_field(fields, key)) {
            continue;
        }
        char what[512];
        if (scope.label) {
            /* TRANSLATORS: %s after "in" is the group, as messages name it:
             * "wall.replay", "camera 101", "output ssc-1, page 2". */
            snprintf(what, sizeof(what), _("unknown setting '%s' in %s"), key, scope.label);
        } else {
            snprintf(what, sizeof(what), _("unknown top-level setting '%s'"), key);
        }
        const char *hint = layout_suggest_key(key, fields);
        if (hint) {
            /* TRANSLATORS: the first %s is the problem, like "unknown
             * setting 'x' in grid" or "camera 101: no zone named 'x'"; the
             * second is the known name closest to what was written. */
            layout_report(reader, DIAG_WARNING, s, "%s (did you mean '%s'?)", what, hint);
        } else {
            layout_report_text(reader, DIAG_WARNING, s, what);
        }
    }
}

/* Quotes text, cut after SHOW_TEXT bytes at a UTF-8 character boundary. */
static void show_text(const char *text, char *buf, size_t size)
{
    size_t len = strlen(text);
    if (len <= SHOW_TEXT) {
        snprintf(buf, size, "\"%s\"", text);
        return;
    }
    len = SHOW_TEXT;
    while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80) {
        len--;
    }
    snprintf(buf, size, "\"%.*s...\"", (int)len, text);
}

/* A short array of numbers as written: [0, 2.5]; false when s is not one. */
static bool show_numbers(const config_setting_t *s, char *buf, size_t size)
{
    int n = config_setting_length(s);
    if (n < 1 || n > 8) {
        return false;
    }
    size_t used = 0;
    for (int i = 0; i < n && used < size; i++) {
        double v;
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (!layout_number(e, &v)) {
            return false;
        }
        const char *fmt = layout_is_int(e) ? "%s%.0f" : v == floor(v) ? "%s%.1f" : "%s%g";
        used += (size_t)snprintf(buf + used, size - used, fmt, i ? ", " : "[", v);
    }
    if (used < size) {
        snprintf(buf + used, size - used, "]");
    }
    return true;
}

void layout_describe_type(const config_setting_t *s, char *buf, size_t size)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, size, "%s", _("a number"));
        return;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, size, "%s", _("a true/false value"));
        return;
    case CONFIG_TYPE_STRING:
        snprintf(buf, size, "%s",
                 config_setting_get_string(s)[0] ? _("a string") : _("an empty string"));
        return;
    default:
        layout_describe(s, buf, size);
        return;
    }
}

void layout_describe(const config_setting_t *s, char *buf, size_t size)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(buf, size, "%lld", config_setting_get_int64(s));
        return;
    case CONFIG_TYPE_FLOAT: {
        /* "2.0", not "2": the point is why an integer setting refused it. */
        double v = config_setting_get_float(s);
        if (fabs(v) < 1e15 && v == floor(v)) {
            snprintf(buf, size, "%.1f", v);
        } else {
            snprintf(buf, size, "%g", v);
        }
        return;
    }
    case CONFIG_TYPE_BOOL:
        snprintf(buf, size, "%s", config_setting_get_bool(s) ? M_("true") : M_("false"));
        return;
    case CONFIG_TYPE_STRING: {
        /* Strings that look like URLs may carry passwords: never echo them. */
        const char *text = config_setting_get_string(s);
        if (strstr(text, "://")) {
            snprintf(buf, size, "%s", _("a URL"));
        } else {
            show_text(text, buf, size);
        }
        return;
    }
    case CONFIG_TYPE_GROUP:
        snprintf(buf, size, "%s", _("a group { ... }"));
        return;
    case CONFIG_TYPE_LIST:
        snprintf(buf, size, "%s", _("a list ( ... )"));
        return;
    default:
        if (!show_numbers(s, buf, size)) {
            snprintf(buf, size, "%s", _("an array [ ... ]"));
        }
        return;
    }
}

void layout_or_list(const char *const *items, int n, char *buf, size_t size)
{
    if (size == 0) {
        return;
    }
    buf[0] = '\0';
    if (n < 0) {
        for (n = 0; items[n]; n++) {
        }
    }
    if (n == 0) {
        return;
    }
    /* "a", "b", then the last one joined by the translated "or". */
    char head[512] = "";
    size_t used = 0;
    for (int i = 0; i < n - 1 && used < sizeof(head); i++) {
        used += (size_t)snprintf(head + used, sizeof(head) - used, "%s\"%s\"", i ? ", " : "",
                                 items[i]);
    }
    char last[128];
    snprintf(last, sizeof(last), "\"%s\"", items[n - 1]);
    if (n == 1) {
        snprintf(buf, size, "%s", last);
    } else {
        /* TRANSLATORS: the last of a list of choices, each in quotes: the
         * first %s is the others, like "auto", "vaapi"; the second the last
         * one, like "none". */
        snprintf(buf, size, _("%s or %s"), head, last);
    }
}

/* What a field must be, as the message says it. */
static void expectation(const struct layout_field *f, char *buf, size_t size)
{
    switch (f->kind) {
    case LAYOUT_FIELD_INT:
        snprintf(buf, size, _("an integer from %d to %d"), f->min, f->max);
        return;
    case LAYOUT_FIELD_NUMBER:
        if (f->unit) {
            /* TRANSLATORS: %s is a unit in the plural, like "seconds". */
            snprintf(buf, size, _("a number of %s from %g to %g"), _(f->unit), f->fmin, f->fmax);
        } else {
            snprintf(buf, size, _("a number from %g to %g"), f->fmin, f->fmax);
        }
        return;
    case LAYOUT_FIELD_INTS:
        /* TRANSLATORS: %s is what the array holds, like "[rows, columns]". */
        snprintf(buf, size, _("%s of integers from %d to %d"), _(f->shape), f->min, f->max);
        return;
    case LAYOUT_FIELD_NUMBERS:
        /* TRANSLATORS: %s is what the array holds, like "[x, y, w, h]". */
        snprintf(buf, size, _("%s of numbers from %g to %g"), _(f->shape), f->fmin, f->fmax);
        return;
    case LAYOUT_FIELD_TEXT:
        snprintf(buf, size, "%s", _("a non-empty string"));
        return;
    case LAYOUT_FIELD_STRING:
    case LAYOUT_FIELD_VALUE:
        snprintf(buf, size, "%s", _("a string"));
        return;
    case LAYOUT_FIELD_NAME:
        if (f->also) {
            /* TRANSLATORS: the last %s is one more character allowed, like "+". */
            snprintf(buf, size, _("a name of 1 to %d letters, digits, '-', '_' or '%s'"), MAX_NAME,
                     f->also);
        } else {
            snprintf(buf, size, _("a name of 1 to %d letters, digits, '-' or '_'"), MAX_NAME);
        }
        return;
    case LAYOUT_FIELD_COLOUR:
        snprintf(buf, size, "%s", _("a colour like \"#1a2b3c\""));
        return;
    case LAYOUT_FIELD_GROUP:
        snprintf(buf, size, "%s", _("a group { ... }"));
        return;
    case LAYOUT_FIELD_LIST:
        snprintf(buf, size, "%s", _("a list ( ... )"));
        return;
    case LAYOUT_FIELD_BOOL:
        snprintf(buf, size, "%s", _("true or false (without quotes)"));
        return;
    case LAYOUT_FIELD_CHOICE:
        break;
    }
    layout_or_list(f->choices, -1, buf, size);
}

bool layout_is_int(const config_setting_t *s)
{
    int type = config_setting_type(s);
    return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;
}

bool layout_number(const config_setting_t *s, double *out)
{
    if (layout_is_int(s)) {
        *out = (double)config_setting_get_int64(s);
        return true;
    }
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT) {
        *out = config_setting_get_float(s);
        return true;
    }
    return false;
}

static bool is_sequence(const config_setting_t *s, int n)
{
    int type = config_setting_type(s);
    return (type == CONFIG_TYPE_ARRAY || type == CONFIG_TYPE_LIST) &&
           config_setting_length(s) == n;
}

bool layout_numbers(const config_setting_t *s, int n, double *out)
{
    if (!is_sequence(s, n)) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (!layout_number(config_setting_get_elem(s, (unsigned)i), &out[i])) {
            return false;
        }
    }
    return true;
}

bool layout_ints(const config_setting_t *s, int n, int *out)
{
    if (!is_sequence(s, n)) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        long long v = layout_is_int(e) ? config_setting_get_int64(e) : 0;
        if (!layout_is_int(e) || v < INT32_MIN || v > INT32_MAX) {
            return false;
        }
        out[i] = (int)v;
    }
    return true;
}

static const char *text_of(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
}

static bool parse_name(const char *text, const char *also)
{
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > MAX_NAME) {
        return false;
    }
    static const char base[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    for (size_t i = 0; i < len; i++) {
        if (!strchr(base, text[i]) && !(also && strchr(also, text[i]))) {
            return false;
        }
    }
    return true;
}

static bool parse_colour(const char *text, uint32_t *out)
{
    if (!text || text[0] != '#' || strlen(text) != 7 ||
        strspn(text + 1, "0123456789abcdefABCDEF") != 6) {
        return false;
    }
    *out = (uint32_t)strtoul(text + 1, NULL, 16);
    return true;
}

static bool parse_choice(const char *text, const char *const *choices, int *out)
{
    for (int i = 0; text && choices[i]; i++) {
        if (strcmp(text, choices[i]) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

/* Arrays are read whole or not at all: dst keeps its default on failure. */
static bool parse_ints(const config_setting_t *s, const struct layout_field *f, int *dst)
{
    int v[MAX_COUNT];
    if (f->count > MAX_COUNT || !layout_ints(s, f->count, v)) {
        return false;
    }
    for (int i = 0; i < f->count; i++) {
        if (v[i] < f->min || v[i] > f->max) {
            return false;
        }
    }
    memcpy(dst, v, (size_t)f->count * sizeof(*v));
    return true;
}

static bool parse_numbers(const config_setting_t *s, const struct layout_field *f, double *dst)
{
    double v[MAX_COUNT];
    if (f->count > MAX_COUNT || !layout_numbers(s, f->count, v)) {
        return false;
    }
    for (int i = 0; i < f->count; i++) {
        if (!(v[i] >= f->fmin && v[i] <= f->fmax)) {
            return false;
        }
    }
    memcpy(dst, v, (size_t)f->count * sizeof(*v));
    return true;
}

static bool parse_scalar(const config_setting_t *s, const struct layout_field *f, void *dst)
{
    switch (f->kind) {
    case LAYOUT_FIELD_INT: {
        long long v = layout_is_int(s) ? config_setting_get_int64(s) : (long long)f->min - 1;
        if (v < f->min || v > f->max) {
            return false;
        }
        *(int *)dst = (int)v;
        return true;
    }
    case LAYOUT_FIELD_NUMBER: {
        double v;
        if (!layout_number(s, &v) || !(v >= f->fmin && v <= f->fmax)) {
            return false;
        }
        *(double *)dst = v;
        return true;
    }
    case LAYOUT_FIELD_COLOUR:
        return parse_colour(text_of(s), dst);
    case LAYOUT_FIELD_CHOICE:
        return parse_choice(text_of(s), f->choices, dst);
    case LAYOUT_FIELD_BOOL:
        if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
            return false;
        }
        *(bool *)dst = config_setting_get_bool(s) != 0;
        return true;
    default:
        return false;
    }
}

/* Stores the value of s at dst when it is what f wants. */
static bool parse_field(const config_setting_t *s, const struct layout_field *f, void *dst)
{
    const char *text = text_of(s);
    switch (f->kind) {
    case LAYOUT_FIELD_TEXT:
    case LAYOUT_FIELD_STRING:
        if (!text || (!text[0] && f->kind == LAYOUT_FIELD_TEXT)) {
            return false;
        }
        *(const char **)dst = text;
        return true;
    case LAYOUT_FIELD_NAME:
        if (!parse_name(text, f->also)) {
            return false;
        }
        *(const char **)dst = text;
        return true;
    case LAYOUT_FIELD_GROUP:
    case LAYOUT_FIELD_LIST:
        if (config_setting_type(s) !=
            (f->kind == LAYOUT_FIELD_GROUP ? CONFIG_TYPE_GROUP : CONFIG_TYPE_LIST)) {
            return false;
        }
        /* fall through */
    case LAYOUT_FIELD_VALUE:
        *(const config_setting_t **)dst = s;
        return true;
    case LAYOUT_FIELD_INTS:
        return parse_ints(s, f, dst);
    case LAYOUT_FIELD_NUMBERS:
        return parse_numbers(s, f, dst);
    default:
        return parse_scalar(s, f, dst);
    }
}

static void report_missing(const struct layout_reader *reader, const config_setting_t *group,
                           struct layout_scope scope, const struct layout_field *f)
{
    /* One sentence each, with and without the group holding it: a setting,
     * a group and a list are not all of one gender in every language. */
    static const char *const missing[][2] = {
        /* TRANSLATORS: the first %s names the group holding it, like "camera
         * 101" or "wall.replay"; the second is a group's name, as written. */
        {N_("%s: missing required group '%s'"), N_("missing required group '%s'")},
        /* TRANSLATORS: the first %s names the group holding it, like "camera
         * 101" or "wall.replay"; the second is a list's name, as written. */
        {N_("%s: missing required list '%s'"), N_("missing required list '%s'")},
        /* TRANSLATORS: the first %s names the group holding it, like "camera
         * 101" or "wall.replay"; the second is a setting's name, as written. */
        {N_("%s: missing required setting '%s'"), N_("missing required setting '%s'")},
    };
    int kind = f->kind == LAYOUT_FIELD_GROUP ? 0 : f->kind == LAYOUT_FIELD_LIST ? 1 : 2;
    const char *fmt = missing[kind][scope.label ? 0 : 1];
    if (scope.label) {
        layout_report(reader, DIAG_ERROR, group, fmt, scope.label, f->key);
    } else {
        layout_report(reader, DIAG_ERROR, group, fmt, f->key);
    }
}

void layout_report_invalid(const struct layout_reader *reader, const config_setting_t *s,
                           struct layout_scope scope, const char *key, const char *want,
                           bool secret)
{
    char got[128];
    if (secret) {
        layout_describe_type(s, got, sizeof(got));
    } else {
        layout_describe(s, got, sizeof(got));
    }
    /* TRANSLATORS: the first three %s make the setting's name, like
     * "wall.freshness" or "camera 101: name"; then what it must be, like
     * "an integer from 1 to 16"; then the value read, like "0" or "a URL". */
    layout_report(reader, DIAG_ERROR, s, "%s%s%s must be %s (got %s)",
                  scope.label ? scope.label : "", scope.label ? scope.sep : "", key, want, got);
}

static void report_invalid(const struct layout_reader *reader, const config_setting_t *s,
                           struct layout_scope scope, const struct layout_field *f)
{
    char want[256];
    expectation(f, want, sizeof(want));
    layout_report_invalid(reader, s, scope, f->key, want, f->secret);
}

bool layout_read_group(const struct layout_reader *reader, const config_setting_t *group,
                       struct layout_scope scope, const struct layout_field *fields, void *out)
{
    int errors = reader->diags->errors;
    warn_unknown(reader, group, scope, fields);
    for (const struct layout_field *f = fields; f->key; f++) {
        const config_setting_t *s = config_setting_get_member(group, f->key);
        if (!s) {
            if (f->required) {
                report_missing(reader, group, scope, f);
            }
        } else if (!parse_field(s, f, (char *)out + f->offset)) {
            report_invalid(reader, s, scope, f);
        }
    }
    return reader->diags->errors == errors;
}
