#include "wall/audit.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "common/i18n.h"
#include "common/log.h"

struct audit {
    FILE *file;
    char *path;
    struct AVSHA *sha;
    char prev[AUDIT_HASH_HEX_SIZE]; /* SHA-256 of the file's last line and its '\n' */
    bool cut;       /* the file ends without '\n': the next write ends that line first */
    bool resync;    /* a write failed: find where the file really ends before the next */
    uint64_t lines; /* written whole since audit_open() */
};

void audit_hash_hex(struct AVSHA *sha, char hex[AUDIT_HASH_HEX_SIZE])
{
    uint8_t digest[32];
    av_sha_final(sha, digest);
    for (int i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
}

/* Where the last line of f (size bytes) starts, looking back a block at a
 * time, however long the file; -1 when it cannot be read. */
static off_t last_line_start(FILE *f, off_t size, bool *ends_with_newline)
{
    char block[4096];
    off_t end = size;
    bool last_block = true;
    while (end > 0) {
        off_t start = end > (off_t)sizeof(block) ? end - (off_t)sizeof(block) : 0;
        size_t n = (size_t)(end - start);
        if (fseeko(f, start, SEEK_SET) != 0 || fread(block, 1, n, f) != n) {
            return -1;
        }
        if (last_block) {
            /* The file's final '\n' ends the last line; it does not start it. */
            *ends_with_newline = block[n - 1] == '\n';
            n -= *ends_with_newline;
            last_block = false;
        }
        const char *newline = memrchr(block, '\n', n);
        if (newline) {
            return start + (newline - block) + 1;
        }
        end = start;
    }
    return 0;
}

/* Sets prev and cut from the end of the file as it is now. */
static bool chain_from_tail(struct audit *audit)
{
    FILE *f = fopen(audit->path, "r");
    if (!f) {
        log_error("audit", "cannot read the end of %s to continue its chain: %s", audit->path,
                  strerror(errno));
        return false;
    }
    bool ok = false, ends_with_newline = true;
    off_t size, start;
    errno = 0;
    if (fseeko(f, 0, SEEK_END) != 0 || (size = ftello(f)) < 0) {
        goto out;
    }
    if (size == 0) {
        memset(audit->prev, '0', AUDIT_HASH_HEX_SIZE - 1);
        audit->prev[AUDIT_HASH_HEX_SIZE - 1] = '\0';
        audit->cut = false;
        ok = true;
        goto out;
    }
    if ((start = last_line_start(f, size, &ends_with_newline)) < 0 ||
        fseeko(f, start, SEEK_SET) != 0) {
        goto out;
    }
    av_sha_init(audit->sha, 256);
    char block[4096];
    for (off_t left = size - start; left > 0;) {
        size_t n = left > (off_t)sizeof(block) ? sizeof(block) : (size_t)left;
        if (fread(block, 1, n, f) != n) {
            goto out;
        }
        av_sha_update(audit->sha, (const uint8_t *)block, n);
        left -= (off_t)n;
    }
    if (!ends_with_newline) {
        /* The line the next write ends: hashed as it will read then. */
        av_sha_update(audit->sha, (const uint8_t *)"\n", 1);
        log_warn("audit", "%s ends in a cut line: the next line starts on a fresh one",
                 audit->path);
    }
    audit_hash_hex(audit->sha, audit->prev);
    audit->cut = !ends_with_newline;
    ok = true;
out:
    if (!ok) {
        log_error("audit", "cannot read the end of %s to continue its chain: %s", audit->path,
                  errno ? strerror(errno) : _("it was cut while being read"));
    }
    fclose(f);
    return ok;
}

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
    if (!(audit->sha = av_sha_alloc()) || !chain_from_tail(audit)) {
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
    av_free(audit->sha);
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

/* The line as written, with the '\n' that ends a cut last line before it;
 * malloc'ed, NULL when out of memory. */
static char *format_line(const struct audit *audit, const char *source, const char *action,
                         const char *details, size_t *len)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char when[64], zone[8];
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm);
    const char *format = "%s%s.%03d%s source=%s action=%s%s%s prev=%s\n";
    const char *fresh = audit->cut ? "\n" : "", *space = details && details[0] ? " " : "";
    int ms = (int)(tv.tv_usec / 1000);
    details = details ? details : "";
    int n = snprintf(NULL, 0, format, fresh, when, ms, zone, source, action, space, details,
                     audit->prev);
    char *line = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (line) {
        snprintf(line, (size_t)n + 1, format, fresh, when, ms, zone, source, action, space,
                 details, audit->prev);
        *len = (size_t)n;
    }
    return line;
}

void audit_write(struct audit *audit, const char *source, const char *action, const char *details)
{
    if (!audit) {
        return;
    }
    if (audit->resync && chain_from_tail(audit)) {
        audit->resync = false;
    }
    size_t len;
    char *line = format_line(audit, source, action, details, &len);
    if (!line) {
        log_warn("audit", "%s: no memory for a line: source=%s action=%s is lost", audit->path,
                 source, action);
        return;
    }
    bool written = fwrite(line, 1, len, audit->file) == len;
    if (fflush(audit->file) != 0) {
        written = false;
    }
    if (written) {
        size_t fresh = audit->cut ? 1 : 0;
        av_sha_init(audit->sha, 256);
        av_sha_update(audit->sha, (const uint8_t *)line + fresh, len - fresh);
        audit_hash_hex(audit->sha, audit->prev);
        audit->cut = false;
        audit->lines++;
    } else {
        /* Whatever part of the line reached the file, the next one chains onto it. */
        log_warn("audit", "%s: write failed: %s", audit->path, strerror(errno));
        clearerr(audit->file);
        audit->resync = true;
    }
    free(line);
}

uint64_t audit_lines(const struct audit *audit)
{
    return audit ? audit->lines : 0;
}
