#include "wall/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "common/log.h"

struct audit {
    FILE *file;
    char *path;
};

struct audit *audit_open(const char *path)
{
    struct audit *audit = calloc(1, sizeof(*audit));
    if (!audit) {
        return NULL;
    }
    audit->file = fopen(path, "a");
    audit->path = strdup(path);
    if (!audit->file || !audit->path) {
        log_error("audit", "cannot append to %s: %s", path, strerror(errno));
        audit_close(audit);
        return NULL;
    }
    log_info("audit", "writing the audit trail to %s", path);
    return audit;
}

void audit_close(struct audit *audit)
{
    if (!audit) {
        return;
    }
    if (audit->file && fclose(audit->file) != 0) {
        log_warn("audit", "%s: closing failed: %s", audit->path, strerror(errno));
    }
    free(audit->path);
    free(audit);
}

void audit_quote(char *buf, size_t size, const char *key, const char *value)
{
    size_t len = strlen(buf);
    int n = snprintf(buf + len, size - len, " %s=\"", key);
    if (n < 0 || (size_t)n >= size - len) {
        return;
    }
    len += (size_t)n;
    for (const char *p = value; *p && len + 3 < size; p++) {
        if (*p == '"' || *p == '\\') {
            buf[len++] = '\\';
        }
        buf[len++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
    }
    if (len + 2 <= size) {
        buf[len++] = '"';
    }
    buf[len] = '\0';
}

void audit_write(struct audit *audit, const char *source, const char *action, const char *details)
{
    if (!audit) {
        return;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char when[64], zone[8];
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm);
    fprintf(audit->file, "%s.%03d%s source=%s action=%s%s%s\n", when, (int)(tv.tv_usec / 1000),
            zone, source, action, details && details[0] ? " " : "", details ? details : "");
    if (fflush(audit->file) != 0) {
        log_warn("audit", "%s: write failed: %s", audit->path, strerror(errno));
    }
}
