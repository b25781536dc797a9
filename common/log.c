#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static atomic_int max_level = -1;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

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

void log_msg(enum log_level level, const char *component, const char *fmt, ...)
{
    if (!log_enabled(level)) {
        return;
    }
    char line[1024];
    int n = snprintf(line, sizeof(line), "%-5s %s: ", level_names[level], component);
    if (n < 0 || (size_t)n >= sizeof(line)) {
        n = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
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

const char *log_redact_url(const char *url, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    snprintf(buf, size, "%s", url ? url : "");
    log_redact_text(buf);
    return buf;
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

void log_redact_text(char *text)
{
    redact_auth_headers(text);
    char *p = text;
    while ((p = strstr(p, "://")) != NULL) {
        char *auth = p + 3;
        size_t span = strcspn(auth, "/@ \t\n\"'?#");
        if (auth[span] == '@') {
            /* auth .. auth+span is "user[:pass]": replace with "***". */
            const char *mask = "***";
            size_t mlen = strlen(mask);
            if (span >= mlen) {
                memcpy(auth, mask, mlen);
                memmove(auth + mlen, auth + span, strlen(auth + span) + 1);
            } else {
                /* Shorter than the mask: keep the length, blank it out. */
                memset(auth, '*', span);
            }
        }
        p = auth;
    }
}
