#include "layouts/diag.h"

#include "common/i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *list)
{
    memset(list, 0, sizeof(*list));
}

void diag_list_finish(struct diag_list *list)
{
    if (!list) {
        return;
    }
    for (int i = 0; i < list->count; i++) {
        free(list->items[i].file);
        free(list->items[i].message);
    }
    free(list->items);
    diag_list_init(list);
}

static bool grow(struct diag_list *list)
{
    if (list->count < list->capacity) {
        return true;
    }
    int capacity = list->capacity ? list->capacity * 2 : 16;
    struct diag *items = realloc(list->items, (size_t)capacity * sizeof(*items));
    if (!items) {
        return false;
    }
    list->items = items;
    list->capacity = capacity;
    return true;
}

static char *format_message(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len < 0) {
        return NULL;
    }
    char *text = malloc((size_t)len + 1);
    if (text) {
        vsnprintf(text, (size_t)len + 1, fmt, ap);
    }
    return text;
}

/* Takes `message` (malloc'd, or NULL when memory ran out). */
static void add(struct diag_list *list, enum diag_severity severity, const char *file, int line,
                char *message)
{
    /* An error is counted even when there is no memory left to record it, so
     * that a load that found a problem can never look successful. */
    if (severity == DIAG_ERROR) {
        list->errors++;
    }
    char *file_copy = file ? strdup(file) : NULL;
    if (!message || (file && !file_copy) || !grow(list)) {
        free(message);
        free(file_copy);
        return;
    }
    list->items[list->count++] = (struct diag){
        .severity = severity,
        .file = file_copy,
        .line = line,
        .message = message,
    };
}

void diag_add(struct diag_list *list, enum diag_severity severity, const char *file, int line,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = format_message(gettext(fmt), ap); /* common/i18n.h: the locale's words */
    va_end(ap);
    add(list, severity, file, line, message);
}

void diag_add_text(struct diag_list *list, enum diag_severity severity, const char *file, int line,
                   const char *message)
{
    add(list, severity, file, line, strdup(message));
}

static int format_prefix(const struct diag *d, char *buf, size_t size)
{
    const char *level = d->severity == DIAG_WARNING ? _("warning: ") : "";
    if (d->file && d->line > 0) {
        return snprintf(buf, size, "%s:%d: %s", d->file, d->line, level);
    }
    if (d->file) {
        return snprintf(buf, size, "%s: %s", d->file, level);
    }
    return snprintf(buf, size, "%s", level);
}

void diag_format(const struct diag *d, char *buf, size_t size)
{
    if (size == 0) {
        return;
    }
    int n = format_prefix(d, buf, size);
    if (n >= 0 && (size_t)n < size) {
        snprintf(buf + n, size - (size_t)n, "%s", d->message);
    }
}

void diag_list_print(const struct diag_list *list, FILE *out)
{
    for (int i = 0; i < list->count; i++) {
        const struct diag *d = &list->items[i];
        int prefix = format_prefix(d, NULL, 0);
        size_t size = (size_t)(prefix > 0 ? prefix : 0) + strlen(d->message) + 1;
        char *line = malloc(size);
        if (line) {
            diag_format(d, line, size);
        }
        fprintf(out, "%s\n", line ? line : d->message);
        free(line);
    }
}
