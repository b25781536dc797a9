#include "log.h"

#include "i18n.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

static atomic_int max_level = -1;
/* Whether stderr is the journal's stream: -1 not looked yet, 0 no, 1 yes. */
static atomic_int to_journal = -1;

/* As written in every language: the journal's readers and WALL_LOG. */
static const char *const level_names[] = {M_("ERROR"), M_("WARN"), M_("INFO"), M_("DEBUG")};
static const char *const level_priorities[] = {SD_ERR, SD_WARNING, SD_INFO, SD_DEBUG};

static int level_from_env(void)
{
    const char *env = getenv("WALL_LOG");
    if (!env) {
        return LOG_INFO;
    }
    for (int i = LOG_ERROR; i <= LOG_DEBUG; i++) {
        if (strcasecmp(env, level_names[i]) == 0) {
            return i;
        }
    }
    if (strcasecmp(env, "warning") == 0) {
        return LOG_WARN;
    }
    return LOG_INFO;
}

void log_set_level(enum log_level level)
{
    atomic_store(&max_level, (int)level);
}

bool log_enabled(enum log_level level)
{
    int max = atomic_load(&max_level);
    if (max < 0) {
        int want = level_from_env();
        /* Only the first caller installs the default; later set_level wins. */
        atomic_compare_exchange_strong(&max_level, &max, want);
        max = atomic_load(&max_level);
    }
    return (int)level <= max;
}

/* systemd sets JOURNAL_STREAM to the device and inode of the stream it
 * connected stdout and stderr to; a stderr redirected since (a pipe, a
 * file) has another inode, and gets no priority prefixes. */
static bool stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    char end;
    if (!env || sscanf(env, "%llu:%llu%c", &dev, &ino, &end) != 2) {
        return false;
    }
    struct stat st;
    if (fstat(STDERR_FILENO, &st) != 0) {
        return false;
    }
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_detect_journal(void)
{
    atomic_store(&to_journal, stderr_is_journal() ? 1 : 0);
}

static const char *priority_prefix(enum log_level level)
{
    int journal = atomic_load(&to_journal);
    if (journal < 0) {
        journal = stderr_is_journal() ? 1 : 0;
        int unknown = -1; /* a log_detect_journal() in between wins */
        atomic_compare_exchange_strong(&to_journal, &unknown, journal);
        journal = atomic_load(&to_journal);
    }
    return journal ? level_priorities[level] : "";
}

/* The message whole, redacted, then cut to fit `line`: cut first, a URL
 * could lose its '@' and keep its password. */
static void put_long_message(enum log_level level, char *line, size_t size, int len,
                             const char *fmt, va_list ap)
{
    char *whole = malloc((size_t)len + 1);
    if (!whole) {
        snprintf(line, size, log_words(level, N_("(%d bytes left out: no memory to redact them)")),
                 len);
        return;
    }
    vsnprintf(whole, (size_t)len + 1, fmt, ap);
    log_redact_text(whole);
    snprintf(line, size, "%s", whole);
    free(whole);
}

const char *log_words(enum log_level level, const char *msgid)
{
    return level <= LOG_WARN ? gettext(msgid) : msgid;
}

void log_msg(enum log_level level, const char *component, const char *fmt, ...)
{
    if (!log_enabled(level)) {
        return;
    }
    if (level <= LOG_WARN) {
        fmt = gettext(fmt); /* common/i18n.h: WARN and above speak the locale */
    }
    char line[1024];
    int n = snprintf(line, sizeof(line), "%s%-5s %s: ", priority_prefix(level), level_names[level],
                     component);
    if (n < 0 || (size_t)n >= sizeof(line)) {
        n = 0;
    }
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (m > 0 && (size_t)m >= sizeof(line) - (size_t)n) {
        put_long_message(level, line + n, sizeof(line) - (size_t)n, m, fmt, again);
    }
    va_end(again);
    size_t len = strlen(line);
    if (len > sizeof(line) - 2) {
        len = sizeof(line) - 2;
    }
    while (len > 0 && line[len - 1] == '\n') {
        len--;
    }
    line[len] = '\0';
    log_redact_text(line);
    len = strlen(line);
    line[len++] = '\n';
    /* One write per line: lines from concurrent threads stay whole. */
    ssize_t unused = write(STDERR_FILENO, line, len);
    (void)unused;
}

/* HTTP and RTSP authentication headers carry credentials in base64 or as
 * digest fields: everything after the header name goes. */
static void redact_auth_headers(char *text)
{
    static const char *const names[] = {"authorization:", "www-authenticate:"};
    for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
        size_t len = strlen(names[n]);
        for (char *p = text; (p = strcasestr(p, names[n])) != NULL; p += len) {
            char *value = p + len;
            size_t span = strcspn(value, "\r\n");
            if (span > 4) {
                memcpy(value, " ***", 4);
                memmove(value + 4, value + span, strlen(value + span) + 1);
            }
        }
    }
}

/* Whether c ends a URL in free text. Only white space and control
 * characters do: a password typed raw may hold quotes, brackets, commas... */
static bool ends_url(char c)
{
    return c == '\0' || c == ' ' || (unsigned char)c < 0x20 || c == 0x7f;
}

/*
 * Copies src into dst (size bytes, size > 0) with the userinfo of every
 * "scheme://" masked: what lies between "://" and the last '@' before the
 * URL ends. The last, not the first before '/', '?' or '#': a password
 * typed raw may hold those and '@' (rtsp://u:a#b/c?d@e@host/x); an '@' of
 * a path or query masks too much, which is the safe side. The copy is never
 * longer than src, so dst may be src.
 */
static void redact_copy(const char *src, char *dst, size_t size)
{
    size_t out = 0;
    const char *p = src;
    while (*p && out + 1 < size) {
        if (strncmp(p, "://", 3) != 0) {
            dst[out++] = *p++;
            continue;
        }
        const char *auth = p + 3;
        const char *at = NULL;
        for (const char *q = auth; !ends_url(*q); q++) {
            if (*q == '@') {
                at = q;
            }
        }
        for (int i = 0; i < 3 && out + 1 < size; i++) {
            dst[out++] = *p++;
        }
        if (!at) {
            continue;
        }
        /* "***", or as many '*' as the userinfo has characters when fewer. */
        size_t span = (size_t)(at - auth);
        for (size_t i = 0; i < (span < 3 ? span : 3) && out + 1 < size; i++) {
            dst[out++] = '*';
        }
        p = at;
    }
    dst[out] = '\0';
}

const char *log_redact_url(const char *url, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    redact_copy(url ? url : "", buf, size);
    redact_auth_headers(buf);
    return buf;
}

void log_redact_text(char *text)
{
    redact_auth_headers(text);
    redact_copy(text, text, strlen(text) + 1);
}
