/*
 * Diagnostics: problems found in a layout file, each with its file and line,
 * printed as "FILE:LINE: message" (errors) or "FILE:LINE: warning: message".
 *
 * A diag_list owns its entries and their strings. Embedded: diag_list_init()
 * and diag_list_finish().
 */
#ifndef WALL_LAYOUTS_DIAG_H
#define WALL_LAYOUTS_DIAG_H

#include <stdbool.h>
#include <stdio.h>

enum diag_severity {
    DIAG_ERROR,
    DIAG_WARNING,
};

struct diag {
    enum diag_severity severity;
    char *file; /* may be NULL when no file is involved */
    int line;   /* 0 when unknown */
    char *message;
};

struct diag_list {
    struct diag *items;
    int count;
    int capacity;
    int errors; /* how many items are DIAG_ERROR */
};

void diag_list_init(struct diag_list *list);
void diag_list_finish(struct diag_list *list);

/* Adds a problem; `fmt` is translated (common/i18n.h), so pass it as a
 * literal: xgettext extracts it from here. */
void diag_add(struct diag_list *list, enum diag_severity severity, const char *file, int line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Adds a problem whose message is already composed in the locale's words
 * (layout_report(), a library's text): taken as it is, not translated. */
void diag_add_text(struct diag_list *list, enum diag_severity severity, const char *file, int line,
                   const char *message);

/* Formats entry i into buf as it is printed: "FILE:LINE: [warning: ]message". */
void diag_format(const struct diag *d, char *buf, size_t size);

/* Writes every entry, one line each, to `out`. */
void diag_list_print(const struct diag_list *list, FILE *out);

#endif
