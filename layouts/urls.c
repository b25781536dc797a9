#include "layouts/urls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Schemes a feed can open; "file" is stripped to a path instead. */
static const char *const stream_schemes[] = {"rtsp", "rtsps", "http", "https", NULL};

void layout_stream_finish(struct layout_stream *stream)
{
    if (!stream) {
        return;
    }
    free(stream->url);
    free(stream->username);
    free(stream->password);
    memset(stream, 0, sizeof(*stream));
}

static bool is_scheme(const char *url, size_t len)
{
    if (len == 0 || !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z'))) {
        return false;
    }
    static const char chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-";
    for (size_t i = 0; i < len; i++) {
        if (!strchr(chars, url[i])) {
            return false;
        }
    }
    return true;
}

static bool known_scheme(const char *url, size_t len)
{
    for (int i = 0; stream_schemes[i]; i++) {
        if (strlen(stream_schemes[i]) == len && strncasecmp(url, stream_schemes[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* A path relative to the file naming it, as the feed will open it. */
static bool resolve_path(struct load *load, const config_setting_t *at, const char *label,
                         const char *path, const char *file, struct layout_stream *out)
{
    if (!path[0]) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: url \"file://\" names no file", label);
        return false;
    }
    char *dir = path[0] == '/' ? strdup("") : layout_path_dir(file);
    out->url = dir ? layout_path_join(dir, path) : NULL;
    free(dir);
    if (!out->url) {
        load_out_of_memory(load);
    }
    return out->url != NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        return (c | 0x20) - 'a' + 10;
    }
    return -1;
}

/* text[0..len) with %XX escapes decoded; a bad or NUL escape stays as written. */
static char *percent_decode(const char *text, size_t len)
{
    char *out = malloc(len + 1);
    if (!out) {
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int hi = i + 2 < len && text[i] == '%' ? hex_digit(text[i + 1]) : -1;
        int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
        if (lo >= 0 && (hi | lo)) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = text[i];
        }
    }
    out[n] = '\0';
    return out;
}

/* Takes user[:password] out of the URL's authority, if written there. */
static bool split_userinfo(const char *info, size_t len, struct layout_stream *out)
{
    const char *colon = memchr(info, ':', len);
    size_t user_len = colon ? (size_t)(colon - info) : len;
    out->username = percent_decode(info, user_len);
    if (colon) {
        out->password = percent_decode(colon + 1, len - user_len - 1);
    }
    return out->username && (!colon || out->password);
}

/* scheme://[user[:password]@]host...: the host must be there. */
static bool stream_url(struct load *load, const config_setting_t *at, const char *label,
                       const char *url, size_t scheme_len, struct layout_stream *out)
{
    const char *rest = url + scheme_len + 3;
    size_t authority = strcspn(rest, "/?#");
    const char *host = rest;
    for (size_t i = authority; i > 0; i--) {
        if (rest[i - 1] == '@') {
            host = rest + i;
            break;
        }
    }
    if (host == rest + authority) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: url has no host after '%.*s://'", label,
                      (int)scheme_len, url);
        return false;
    }
    size_t size = scheme_len + 3 + strlen(host) + 1;
    out->url = malloc(size);
    bool ok = out->url && (host == rest || split_userinfo(rest, (size_t)(host - rest - 1), out));
    if (!ok) {
        layout_stream_finish(out);
        load_out_of_memory(load);
        return false;
    }
    for (size_t i = 0; i < scheme_len; i++) {
        char c = url[i];
        out->url[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    snprintf(out->url + scheme_len, size - scheme_len, "://%s", host);
    return true;
}

bool layout_stream_resolve(struct load *load, const config_setting_t *at, const char *label,
                           const char *text, const char *file, struct layout_stream *out)
{
    memset(out, 0, sizeof(*out));
    const char *sep = strstr(text, "://");
    if (!sep || !is_scheme(text, (size_t)(sep - text))) {
        return resolve_path(load, at, label, text, file, out);
    }
    size_t len = (size_t)(sep - text);
    if (len == 4 && strncasecmp(text, "file", 4) == 0) {
        return resolve_path(load, at, label, sep + 3, file, out);
    }
    if (known_scheme(text, len)) {
        return stream_url(load, at, label, text, len, out);
    }
    layout_report(&load->reader, DIAG_ERROR, at,
                  "%s: unsupported URL scheme '%.*s' (use rtsp, rtsps, http, https or a file "
                  "path)",
                  label, (int)(len > 16 ? 16 : len), text);
    return false;
}
