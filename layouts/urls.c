#include "layouts/urls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"
#include "layouts/load.h"

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

/* What a userinfo holds as it is: RFC 3986's unreserved and sub-delims
 * characters; everything else is %-encoded. */
static bool userinfo_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,;=", c));
}

/* Appends text to out at *len, %-encoded; out has room for 3 bytes each. */
static void percent_encode(char *out, size_t *len, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (userinfo_char(*p)) {
            out[(*len)++] = (char)*p;
        } else {
            out[(*len)++] = '%';
            out[(*len)++] = hex[*p >> 4];
            out[(*len)++] = hex[*p & 0x0f];
        }
    }
}

char *layout_url_with_credentials(const char *url, const char *username, const char *password)
{
    const char *rest = strstr(url, "://");
    if (!username || !rest) {
        return strdup(url);
    }
    rest += 3;
    size_t secrets = strlen(username) + (password ? strlen(password) : 0);
    size_t size = strlen(url) + 3 * secrets + sizeof(":@");
    char *out = malloc(size);
    if (!out) {
        return NULL;
    }
    size_t len = (size_t)(rest - url);
    memcpy(out, url, len);
    percent_encode(out, &len, username);
    if (password) {
        out[len++] = ':';
        percent_encode(out, &len, password);
    }
    out[len++] = '@';
    memcpy(out + len, rest, strlen(rest) + 1);
    return out;
}

/* Characters that split a URL where they stand: a user name or password
 * holding one was typed raw (':' only separates the user from the password). */
static const char url_reserved[] = "/?#@[]";

/* Takes user[:password] out of the URL's authority. Written raw, it is taken
 * as written; otherwise its %XX escapes are decoded. */
static bool split_userinfo(const char *info, size_t len, bool raw, struct layout_stream *out)
{
    const char *colon = memchr(info, ':', len);
    size_t user_len = colon ? (size_t)(colon - info) : len;
    out->username = raw ? strndup(info, user_len) : percent_decode(info, user_len);
    if (colon) {
        const char *password = colon + 1;
        size_t password_len = len - user_len - 1;
        out->password =
            raw ? strndup(password, password_len) : percent_decode(password, password_len);
    }
    return out->username && (!colon || out->password);
}

static bool is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~%", c));
}

bool layout_url_authority(const char *host, size_t *host_len, size_t *end)
{
    size_t len = 0;
    if (host[0] == '[') { /* an IPv6 address, maybe with a zone */
        while (is_host_char(host[len + 1]) || host[len + 1] == ':') {
            len++;
        }
        if (len == 0 || host[len + 1] != ']') {
            return false;
        }
        len += 2;
    } else {
        while (is_host_char(host[len])) {
            len++;
        }
        if (len == 0) {
            return false;
        }
    }
    *host_len = len;
    if (host[len] == ':') {
        len += 1 + strspn(host + len + 1, "0123456789");
    }
    *end = len;
    return true;
}

/* host[:port] up to the end or the path, query or fragment: what a
 * userinfo's '@' must be followed by. */
static bool plausible_host(const char *host)
{
    size_t host_len, len;
    if (!layout_url_authority(host, &host_len, &len)) {
        return false;
    }
    return host[len] == '\0' || host[len] == '/' || host[len] == '?' || host[len] == '#';
}

/*
 * The '@' ending the userinfo of `rest` (what follows "scheme://"), or NULL.
 * As RFC 3986 reads it, the userinfo ends at the last '@' before the first
 * '/', '?' or '#'; taken when a plausible host[:port] follows that '@'
 * ("rtsp://u:p@cam/x?mail=a@b" keeps its query). Otherwise a password typed
 * raw may hold '/', '?', '#' or '@': the userinfo runs to the last '@' of
 * the whole URL when a host follows it (or nothing does, and the authority
 * has no '@') and the user name ends at a ':' before the first '/', '?' or
 * '#' (else "http://cam/a?mail=x@y" would lose its host). Both readings fit
 * some URLs; the log redaction masks up to the last '@' whichever is meant.
 */
static const char *userinfo_end(const char *rest)
{
    size_t authority = strcspn(rest, "/?#");
    const char *rfc = NULL;
    for (size_t i = authority; i > 0 && !rfc; i--) {
        rfc = rest[i - 1] == '@' ? rest + i - 1 : NULL;
    }
    if (rfc && plausible_host(rfc + 1)) {
        return rfc;
    }
    const char *last = strrchr(rest, '@');
    /* Nothing after it, when the authority has no '@' either, is "no host",
     * not a host made of the password. */
    bool hostless = last && strcspn(last + 1, "/?#") == 0 && !rfc;
    if (last && (plausible_host(last + 1) || hostless) && rest[strcspn(rest, ":/?#")] == ':') {
        return last;
    }
    return rfc;
}

/* Whether text[0..len) holds one of url_reserved. */
static bool holds_reserved(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\0' && strchr(url_reserved, text[i])) {
            return true;
        }
    }
    return false;
}

/* scheme://[user[:password]@]host...: the host must be there. */
static bool stream_url(struct load *load, const config_setting_t *at, const char *label,
                       const char *url, size_t scheme_len, struct layout_stream *out)
{
    const char *rest = url + scheme_len + 3;
    const char *at_sign = userinfo_end(rest);
    const char *host = at_sign ? at_sign + 1 : rest;
    if (strcspn(host, "/?#") == 0) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: url has no host after '%.*s://'", label,
                      (int)scheme_len, url);
        return false;
    }
    size_t info_len = at_sign ? (size_t)(at_sign - rest) : 0;
    bool raw = holds_reserved(rest, info_len);
    size_t size = scheme_len + 3 + strlen(host) + 1;
    out->url = malloc(size);
    bool ok = out->url && (!at_sign || split_userinfo(rest, info_len, raw, out));
    if (!ok) {
        layout_stream_finish(out);
        load_out_of_memory(load);
        return false;
    }
    if (raw) {
        /* Messages never show credentials: say which part, not what. */
        const char *colon = memchr(rest, ':', info_len);
        bool in_user = holds_reserved(rest, colon ? (size_t)(colon - rest) : info_len);
        const char *fmt = in_user ? N_("%s: the user name in the URL holds characters a URL "
                                       "reserves (/ ? # @ [ ]): it is read as written, up to the "
                                       "last '@'; keep it in a credentials entry instead")
                                  : N_("%s: the password in the URL holds characters a URL "
                                       "reserves (/ ? # @ [ ]): it is read as written, up to the "
                                       "last '@'; keep it in a credentials entry instead");
        layout_report(&load->reader, DIAG_WARNING, at, fmt, label);
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
