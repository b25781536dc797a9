#include "common/json.h"

#include <math.h>

void json_init(struct json *j, FILE *out, bool one_line)
{
    *j = (struct json){.out = out, .one_line = one_line};
}

static void pending_break(struct json *j)
{
    if (j->line_break) {
        fputc('\n', j->out);
        j->line_break = false;
    }
}

/* Before a key, or a value that is not an object member's. */
static void separate(struct json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    bool comma = false;
    if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
        uint32_t bit = 1u << (j->depth - 1);
        comma = (j->filled & bit) != 0;
        j->filled |= bit;
    }
    if (comma) {
        fputc(',', j->out);
    }
    if (j->line_break) {
        pending_break(j);
    } else if (comma) {
        fputc(' ', j->out);
    }
}

static void begin(struct json *j, char bracket)
{
    separate(j);
    fputc(bracket, j->out);
    j->depth++;
    if (j->depth <= JSON_MAX_DEPTH) {
        j->filled &= ~(1u << (j->depth - 1));
    }
}

static void end(struct json *j, char bracket)
{
    pending_break(j);
    fputc(bracket, j->out);
    if (j->depth > 0) {
        j->depth--;
    }
}

void json_begin_object(struct json *j)
{
    begin(j, '{');
}

void json_end_object(struct json *j)
{
    end(j, '}');
}

void json_begin_array(struct json *j)
{
    begin(j, '[');
}

void json_end_array(struct json *j)
{
    end(j, ']');
}

void json_break(struct json *j)
{
    j->line_break = !j->one_line;
}

int json_utf8_length(const unsigned char *s, int *bad)
{
    unsigned char c = s[0];
    int n;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong forms */
        hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
    } else {
        *bad = 1; /* a continuation byte alone, C0, C1, F5..FF */
        return 0;
    }
    for (int i = 1; i < n; i++) {
        bool ok = i == 1 ? s[i] >= lo && s[i] <= hi : s[i] >= 0x80 && s[i] <= 0xbf;
        if (!ok) {
            *bad = i; /* the NUL at the end is never a continuation byte */
            return 0;
        }
    }
    return n;
}

void json_write_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            p++;
        } else if (c < 0x20) {
            const char *named = c == '\n'   ? "\\n"
                                : c == '\r' ? "\\r"
                                : c == '\t' ? "\\t"
                                : c == '\b' ? "\\b"
                                : c == '\f' ? "\\f"
                                            : NULL;
            if (named) {
                fputs(named, out);
            } else {
                fprintf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            }
            p++;
        } else if (c < 0x80) {
            fputc(c, out);
            p++;
        } else {
            int bad = 0;
            int n = json_utf8_length(p, &bad);
            if (n > 0) {
                fwrite(p, 1, (size_t)n, out);
                p += n;
            } else {
                fputs("\xef\xbf\xbd", out); /* U+FFFD */
                p += bad;
            }
        }
    }
    fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
    separate(j);
    json_write_string(j->out, key);
    fputs(": ", j->out);
    j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
    separate(j);
    json_write_string(j->out, s);
}

void json_int(struct json *j, long long v)
{
    separate(j);
    fprintf(j->out, "%lld", v);
}

void json_uint(struct json *j, unsigned long long v)
{
    separate(j);
    fprintf(j->out, "%llu", v);
}

void json_double(struct json *j, double v, int decimals)
{
    separate(j);
    if (isfinite(v)) {
        fprintf(j->out, "%.*f", decimals, v);
    } else {
        fputs("null", j->out);
    }
}

void json_bool(struct json *j, bool v)
{
    separate(j);
    fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
    separate(j);
    fputs("null", j->out);
}

void json_field_string(struct json *j, const char *key, const char *s)
{
    json_key(j, key);
    json_string(j, s);
}

void json_field_int(struct json *j, const char *key, long long v)
{
    json_key(j, key);
    json_int(j, v);
}

void json_field_uint(struct json *j, const char *key, unsigned long long v)
{
    json_key(j, key);
    json_uint(j, v);
}

void json_field_double(struct json *j, const char *key, double v, int decimals)
{
    json_key(j, key);
    json_double(j, v, decimals);
}

void json_field_bool(struct json *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}
