#include "layouts/files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum scan_state {
    SCAN_CODE,
    SCAN_COMMENT, /* inside a block comment */
    SCAN_STRING,
};

static bool scan_text(struct layout_files *files, const char *from, const char *text, size_t len,
                      struct diag_list *diags);

void layout_files_init(struct layout_files *files)
{
    memset(files, 0, sizeof(*files));
}

void layout_files_finish(struct layout_files *files)
{
    if (!files) {
        return;
    }
    for (int i = 0; i < files->count; i++) {
        free(files->paths[i]);
    }
    free(files->paths);
    free(files->dir);
    layout_files_init(files);
}

char *layout_path_join(const char *dir, const char *rel)
{
    size_t dlen = strlen(dir);
    const char *sep = (dlen == 0 || dir[dlen - 1] == '/') ? "" : "/";
    size_t size = dlen + strlen(sep) + strlen(rel) + 1;
    char *out = malloc(size);
    if (out) {
        snprintf(out, size, "%s%s%s", dir, sep, rel);
    }
    return out;
}

char *layout_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return strdup("");
    }
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    return strndup(path, len);
}

static int find(const struct layout_files *files, const char *path)
{
    for (int i = 0; i < files->count; i++) {
        if (strcmp(files->paths[i], path) == 0) {
            return i;
        }
    }
    return -1;
}

int layout_files_rank(const struct layout_files *files, const char *path)
{
    return path ? find(files, path) : -1;
}

const char *layout_files_lookup(const struct layout_files *files, const char *name)
{
    if (files->count == 0) {
        return NULL;
    }
    if (!name || strcmp(name, files->paths[0]) == 0) {
        return files->paths[0];
    }
    char *path = layout_path_join(files->dir, name);
    int i = path ? find(files, path) : -1;
    free(path);
    return files->paths[i < 0 ? 0 : i];
}

/* Takes ownership of path. */
static bool record(struct layout_files *files, char *path)
{
    if (files->count == files->capacity) {
        int capacity = files->capacity ? files->capacity * 2 : 4;
        char **paths = realloc(files->paths, (size_t)capacity * sizeof(*paths));
        if (!paths) {
            free(path);
            return false;
        }
        files->paths = paths;
        files->capacity = capacity;
    }
    files->paths[files->count++] = path;
    return true;
}

static bool read_all(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return false;
    }
    size_t size = 0, capacity = 4096;
    char *buf = NULL;
    int err = 0;
    for (;;) {
        char *bigger = realloc(buf, capacity);
        if (!bigger) {
            err = ENOMEM;
            break;
        }
        buf = bigger;
        size += fread(buf + size, 1, capacity - size, f);
        if (size < capacity) {
            err = ferror(f) ? (errno ? errno : EIO) : 0;
            break;
        }
        capacity *= 2;
    }
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return false;
    }
    *text = buf;
    *len = size;
    return true;
}

/* Scans a file's text; reports a byte-order mark, which libconfig rejects
 * with a bare "syntax error" on a line that looks fine in any editor. */
static bool scan_file(struct layout_files *files, const char *path, const char *text, size_t len,
                      struct diag_list *diags)
{
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        diag_add(diags, DIAG_ERROR, path, 1,
                 "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM");
    }
    /* libconfig's scanner ends the whole process on some inputs with a NUL
     * byte: a text file never holds one, so such a file is refused here. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++) {
            line += *p == '\n';
        }
        diag_add(diags, DIAG_ERROR, path, line,
                 "the file holds a NUL byte: is it a text file? (not read further)");
        return true;
    }
    return scan_text(files, path, text, len, diags);
}

static bool follow_include(struct layout_files *files, const char *from, int line,
                           const char *name, struct diag_list *diags)
{
    char *path = layout_path_join(files->dir, name);
    if (!path) {
        return false;
    }
    int known = find(files, path);
    if (known >= 0) {
        /* Already scanned (or found missing): do not loop on cycles. */
        if (access(path, R_OK) != 0) {
            diag_add(diags, DIAG_ERROR, from, line, "cannot open include file '%s'", name);
        }
        free(path);
        return true;
    }
    if (!record(files, path)) {
        return false;
    }
    char *text;
    size_t len;
    if (!read_all(path, &text, &len)) {
        diag_add(diags, DIAG_ERROR, from, line, "cannot open include file '%s'", name);
        return true;
    }
    bool ok = scan_file(files, path, text, len, diags);
    free(text);
    return ok;
}

/*
 * Matches libconfig's directive, ^[ \t]*@include[ \t]+"name", at text.
 * Returns the length consumed (0: no directive) and the name, unescaped.
 */
static size_t match_include(const char *text, size_t len, char **name)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t')) {
        i++;
    }
    static const char directive[] = "@include";
    size_t dlen = sizeof(directive) - 1;
    if (len - i < dlen || memcmp(text + i, directive, dlen) != 0) {
        return 0;
    }
    i += dlen;
    size_t blanks = i;
    while (i < len && (text[i] == ' ' || text[i] == '\t')) {
        i++;
    }
    if (i == blanks || i >= len || text[i] != '"') {
        return 0;
    }
    size_t start = ++i;
    while (i < len && text[i] != '"' && text[i] != '\n') {
        i += (text[i] == '\\' && i + 1 < len) ? 2 : 1;
    }
    if (i >= len || text[i] != '"') {
        return 0; /* unterminated: libconfig reports it */
    }
    char *out = malloc(i - start + 1);
    if (!out) {
        return 0;
    }
    size_t n = 0;
    for (size_t k = start; k < i; k++) {
        if (text[k] == '\\' && k + 1 < i) {
            k++;
        }
        out[n++] = text[k];
    }
    out[n] = '\0';
    *name = out;
    return i + 1;
}

/* Index of the last character of the line that text[i] is on. */
static size_t line_end(const char *text, size_t len, size_t i)
{
    while (i + 1 < len && text[i + 1] != '\n') {
        i++;
    }
    return i;
}

static size_t step_code(const char *text, size_t len, size_t i, enum scan_state *state)
{
    char c = text[i];
    char next = i + 1 < len ? text[i + 1] : '\0';
    if (c == '#' || (c == '/' && next == '/')) {
        return line_end(text, len, i);
    }
    if (c == '/' && next == '*') {
        *state = SCAN_COMMENT;
        return i + 1;
    }
    if (c == '"') {
        *state = SCAN_STRING;
    }
    return i;
}

/* Advances past text[i]; returns the index of the last character consumed. */
static size_t step(const char *text, size_t len, size_t i, enum scan_state *state)
{
    char next = i + 1 < len ? text[i + 1] : '\0';
    switch (*state) {
    case SCAN_CODE:
        return step_code(text, len, i, state);
    case SCAN_COMMENT:
        if (text[i] == '*' && next == '/') {
            *state = SCAN_CODE;
            return i + 1;
        }
        return i;
    case SCAN_STRING:
        if (text[i] == '\\' && next != '\n' && next != '\0') {
            return i + 1;
        }
        if (text[i] == '"') {
            *state = SCAN_CODE;
        }
        return i;
    }
    return i;
}

static bool scan_text(struct layout_files *files, const char *from, const char *text, size_t len,
                      struct diag_list *diags)
{
    enum scan_state state = SCAN_CODE;
    int line = 1;
    bool ok = true;
    bool line_start = true;
    for (size_t i = 0; i < len && ok; i++) {
        if (line_start && state == SCAN_CODE) {
            char *name = NULL;
            size_t used = match_include(text + i, len - i, &name);
            if (used > 0) {
                ok = follow_include(files, from, line, name, diags);
                free(name);
                i += used;
                if (i >= len) {
                    break;
                }
            }
        }
        line_start = text[i] == '\n';
        if (line_start) {
            line++;
            continue;
        }
        i = step(text, len, i, &state);
    }
    return ok;
}

bool layout_files_scan(struct layout_files *files, const char *path, struct diag_list *diags)
{
    int errors = diags->errors;
    files->dir = layout_path_dir(path);
    char *copy = strdup(path);
    if (!files->dir || !copy) {
        free(copy);
        return false;
    }
    if (!record(files, copy)) {
        return false;
    }
    char *text;
    size_t len;
    if (!read_all(path, &text, &len)) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read the layout file (%s)", strerror(errno));
        return false;
    }
    bool ok = scan_file(files, path, text, len, diags);
    free(text);
    return ok && diags->errors == errors;
}
