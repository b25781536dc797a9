#include "decode/avlog.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/log.h>

#include "common/i18n.h"
#include "common/log.h"

static _Thread_local avlog_sink *bound_sink;
static _Thread_local void *bound_opaque;

void avlog_bind_thread(avlog_sink *sink, void *opaque)
{
    bound_sink = sink;
    bound_opaque = opaque;
}

static const char *context_name(void *avcl)
{
    const AVClass *class = avcl ? *(const AVClass **)avcl : NULL;
    return class && class->item_name ? class->item_name(avcl) : NULL;
}

/* Formats the message whole, into `line` when it fits, else into a block
 * of its own (returned, to be freed): cut here, a URL with a long password
 * ("Opening 'http://user:<token>@...'") would lose its '@' before
 * log_msg() redacts it. */
static char *format(void *avcl, int level, const char *fmt, va_list ap, char *line, size_t size,
                    bool prefix, char **text)
{
    int print_prefix = prefix;
    va_list again;
    va_copy(again, ap);
    int len = av_log_format_line2(avcl, level, fmt, ap, line, (int)size, &print_prefix);
    char *whole = NULL;
    *text = line;
    if (len >= (int)size) {
        whole = malloc((size_t)len + 1);
        if (whole) {
            print_prefix = prefix;
            av_log_format_line2(avcl, level, fmt, again, whole, len + 1, &print_prefix);
            *text = whole;
        } else {
            /* A feed's message is logged at WARN (decode/report.h). */
            snprintf(line, size,
                     log_words(prefix ? LOG_INFO : LOG_WARN,
                               N_("(%d bytes left out: no memory to redact them)")),
                     len);
        }
    }
    va_end(again);
    return whole;
}

/* A message of several lines becomes one: every log line starts with its
 * level and component. */
static void one_line(char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n' || text[i] == '\r') {
            text[i] = ' ';
        }
    }
}

static void callback(void *avcl, int level, const char *fmt, va_list ap)
{
    bool debug = log_enabled(LOG_DEBUG);
    bool feed = bound_sink && level <= AV_LOG_WARNING;
    if (!feed && level > AV_LOG_WARNING && !debug) {
        return;
    }
    char line[1024];
    char *text;
    char *whole = format(avcl, level, fmt, ap, line, sizeof(line), !feed, &text);
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
        n--;
    }
    one_line(text, n);
    if (feed) {
        const char *name = context_name(avcl);
        size_t size = n + (name ? strlen(name) : 0) + 3;
        char *message = malloc(size);
        if (message) {
            snprintf(message, size, "%s%s%.*s", name ? name : "", name ? ": " : "", (int)n, text);
            bound_sink(bound_opaque, message);
            free(message);
        }
    } else {
        /* Warnings are mostly damaged packets: useful when debugging a
         * camera, noise on a wall of hundreds. */
        log_msg(level <= AV_LOG_ERROR ? LOG_INFO : LOG_DEBUG, "ffmpeg", "%.*s", (int)n, text);
    }
    free(whole);
}

void avlog_install(void)
{
    av_log_set_callback(callback);
}
