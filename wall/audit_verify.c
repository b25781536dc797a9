#include "wall/audit_verify.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "common/i18n.h"
#include "wall/audit.h"

#define HEX_DIGITS  (AUDIT_HASH_HEX_SIZE - 1)
#define PREV_KEY    " prev="
#define PREV_SUFFIX (sizeof(PREV_KEY) - 1 + HEX_DIGITS)

struct verifier {
    const char *path; /* the audit file, as named */
    FILE *out;
    struct AVSHA *sha;
    char prev[AUDIT_HASH_HEX_SIZE]; /* SHA-256 of the line before, its '\n' included */
    long line;                      /* the line being checked, from 1 */
    int evidence;                   /* evidence files that matched */
};

/* One key=value of a line; a quoted value keeps its quotes and escapes. */
struct field {
    const char *key, *value;
    size_t key_len, value_len;
};

static void report(struct verifier *v, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: what broke"; callers translate `format` (_()). */
static void report(struct verifier *v, const char *format, ...)
{
    fprintf(v->out, "%s:%ld: ", v->path, v->line);
    va_list args;
    va_start(args, format);
    vfprintf(v->out, format, args);
    va_end(args);
    fputc('\n', v->out);
}

static bool is_hex(const char *s, size_t n, bool lower_only)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isxdigit(c) || (lower_only && isupper(c))) {
            return false;
        }
    }
    return true;
}

/* The field at *pos, moving *pos past it; false at the end of the line or
 * where it stops reading as fields. */
static bool next_field(const char **pos, const char *end, struct field *f)
{
    const char *p = *pos;
    while (p < end && *p == ' ') {
        p++;
    }
    f->key = p;
    while (p < end && *p != '=' && *p != ' ' && *p != '"') {
        p++;
    }
    if (p == f->key || p >= end || *p != '=') {
        return false;
    }
    f->key_len = (size_t)(p - f->key);
    f->value = ++p;
    if (p < end && *p == '"') {
        for (p++; p < end && *p != '"'; p++) {
            p += *p == '\\' && p + 1 < end;
        }
        if (p >= end) {
            return false;
        }
        p++;
    } else {
        while (p < end && *p != ' ') {
            p++;
        }
    }
    f->value_len = (size_t)(p - f->value);
    *pos = p;
    return true;
}

static bool is_key(const struct field *f, const char *key)
{
    return f->key_len == strlen(key) && memcmp(f->key, key, f->key_len) == 0;
}

/* The value without its quotes and escapes (audit_quote's); malloc'ed. */
static char *field_text(const struct field *f)
{
    char *text = malloc(f->value_len + 1);
    if (!text) {
        return NULL;
    }
    bool quoted = f->value_len >= 2 && f->value[0] == '"';
    const char *p = f->value + quoted, *end = f->value + f->value_len - quoted;
    size_t n = 0;
    for (; p < end; p++) {
        p += quoted && *p == '\\' && p + 1 < end;
        text[n++] = *p;
    }
    text[n] = '\0';
    return text;
}

/* A name from the trail as a path: relative names start in the folder of
 * the audit file, as the wall's working folder may not be ours. */
static char *resolve(const char *audit_path, const char *name)
{
    const char *slash = strrchr(audit_path, '/');
    if (name[0] == '/' || !slash) {
        return strdup(name);
    }
    char *path = NULL;
    int folder = (int)(slash - audit_path) + 1;
    return asprintf(&path, "%.*s%s", folder, audit_path, name) < 0 ? NULL : path;
}

/* False with errno set when the file cannot be read. */
static bool hash_file(struct AVSHA *sha, const char *path, char hex[AUDIT_HASH_HEX_SIZE])
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return false;
    }
    av_sha_init(sha, 256);
    uint8_t block[16384];
    size_t n;
    while ((n = fread(block, 1, sizeof(block), f)) > 0) {
        av_sha_update(sha, block, n);
    }
    bool ok = !ferror(f);
    int error = errno;
    fclose(f);
    errno = error;
    if (ok) {
        audit_hash_hex(sha, hex);
    }
    return ok;
}

/* The file named by file="..." when the line also holds sha256=<hex>. */
static enum audit_verdict check_evidence(struct verifier *v, const char *line, const char *end)
{
    struct field f, file = {0}, sha256 = {0};
    const char *p = memchr(line, ' ', (size_t)(end - line)); /* past the time */
    while (p && next_field(&p, end, &f)) {
        if (!file.key && is_key(&f, "file")) {
            file = f;
        } else if (!sha256.key && is_key(&f, "sha256")) {
            sha256 = f;
        }
    }
    if (!file.key || !sha256.key) {
        return AUDIT_INTACT;
    }
    char *name = field_text(&file);
    char *path = name ? resolve(v->path, name) : NULL;
    char hex[AUDIT_HASH_HEX_SIZE];
    enum audit_verdict verdict = AUDIT_BROKEN;
    if (!path) {
        report(v, _("out of memory"));
        verdict = AUDIT_UNREADABLE;
    } else if (sha256.value_len != HEX_DIGITS || !is_hex(sha256.value, HEX_DIGITS, false)) {
        report(v, _("evidence file %s: its sha256= is not 64 hex digits"), path);
    } else if (!hash_file(v->sha, path, hex)) {
        if (errno == ENOENT) {
            report(v, _("evidence file %s is missing"), path);
        } else {
            report(v, _("evidence file %s cannot be read: %s"), path, strerror(errno));
        }
    } else if (strncasecmp(hex, sha256.value, HEX_DIGITS) != 0) {
        report(v, _("evidence file %s: its SHA-256 is %s but the audit says %.64s"), path, hex,
               sha256.value);
    } else {
        v->evidence++;
        verdict = AUDIT_INTACT;
    }
    free(path);
    free(name);
    return verdict;
}

static enum audit_verdict check_line(struct verifier *v, const char *line, size_t len)
{
    bool ended = line[len - 1] == '\n';
    size_t body = len - ended;
    if (body < PREV_SUFFIX ||
        memcmp(line + body - PREV_SUFFIX, PREV_KEY, sizeof(PREV_KEY) - 1) != 0 ||
        !is_hex(line + body - HEX_DIGITS, HEX_DIGITS, true)) {
        if (!ended) {
            report(v, _("the last line is cut short, without prev=<64 hex> and without a line "
                        "end: the wall stopped while writing it"));
        } else {
            report(v, _("the line has no prev=<64 hex> at its end: it was changed, cut short "
                        "when the wall stopped while writing it, or written before the audit "
                        "trail was chained"));
        }
        return AUDIT_BROKEN;
    }
    if (memcmp(line + body - HEX_DIGITS, v->prev, HEX_DIGITS) != 0) {
        if (v->line == 1) {
            report(v, _("the chain breaks here: the first line of a trail carries prev= of 64 "
                        "zeros and this one does not: lines were removed from the start of the "
                        "file, or this one was changed"));
        } else {
            report(v,
                   _("the chain breaks here: line %ld was changed, or lines were removed or "
                     "inserted before this one (this line's prev= is not line %ld's SHA-256)"),
                   v->line - 1, v->line - 1);
        }
        return AUDIT_BROKEN;
    }
    enum audit_verdict verdict = check_evidence(v, line, line + body - PREV_SUFFIX);
    /* As the wall hashes it: a last line cut before its '\n' gets one. */
    av_sha_init(v->sha, 256);
    av_sha_update(v->sha, (const uint8_t *)line, body);
    av_sha_update(v->sha, (const uint8_t *)"\n", 1);
    audit_hash_hex(v->sha, v->prev);
    return verdict;
}

enum audit_verdict audit_verify(const char *path, FILE *out)
{
    struct verifier v = {.path = path, .out = out};
    memset(v.prev, '0', HEX_DIGITS);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(out, _("%s: cannot read the audit trail: %s\n"), path, strerror(errno));
        return AUDIT_UNREADABLE;
    }
    enum audit_verdict verdict = AUDIT_INTACT;
    if (!(v.sha = av_sha_alloc())) {
        fprintf(out, _("%s: out of memory\n"), path);
        verdict = AUDIT_UNREADABLE;
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t n;
    while (verdict == AUDIT_INTACT && (n = getline(&line, &size, f)) > 0) {
        v.line++;
        verdict = check_line(&v, line, (size_t)n);
    }
    if (verdict == AUDIT_INTACT && ferror(f)) {
        fprintf(out, _("%s: cannot read the audit trail: %s\n"), path, strerror(errno));
        verdict = AUDIT_UNREADABLE;
    } else if (verdict == AUDIT_INTACT) {
        char lines[64], files[96];
        snprintf(lines, sizeof(lines), ngettext("%ld line", "%ld lines", (unsigned long)v.line),
                 v.line);
        snprintf(files, sizeof(files),
                 ngettext("%d evidence file matches", "%d evidence files match",
                          (unsigned long)v.evidence),
                 v.evidence);
        /* TRANSLATORS: the audit file, "42 lines", then "3 evidence files match" */
        fprintf(out, _("%s: %s, chain intact, %s"), path, lines, files);
        if (v.line > 0) {
            fprintf(out, _("; SHA-256 of the last line: %s"), v.prev);
        }
        fputc('\n', out);
    }
    free(line);
    av_free(v.sha);
    fclose(f);
    return verdict;
}
