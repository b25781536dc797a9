/*
 * Logging: one line per message on stderr, "LEVEL component: text".
 *
 * The logger is the program's only global state. Any thread may log; each
 * line is written with a single write so lines from different threads never
 * interleave. Nothing per frame is logged above LOG_DEBUG.
 *
 * Camera URLs may carry credentials (rtsp://user:pass@host/...). Anything
 * that prints a URL passes it through log_redact_url() first; FFmpeg's own
 * log lines are redacted the same way (see log_redact_text()). log_msg()
 * redacts a message whole before cutting it to one line's length.
 *
 * Under systemd, when stderr is the journal's stream (JOURNAL_STREAM holds
 * "DEVICE:INODE" of stderr, as systemd sets it for a service whose
 * StandardError= is the journal), each line starts with the sd-daemon
 * priority prefix: "<3>" error, "<4>" warning, "<6>" info, "<7>" debug
 * (SD_ERR... of <systemd/sd-daemon.h>); journald strips it and records the
 * priority. Anywhere else (a terminal, a file, a pipe, stderr redirected
 * away from the journal) lines are as above, without a prefix.
 */
#ifndef WALL_COMMON_LOG_H
#define WALL_COMMON_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
    LOG_ERROR,
    LOG_WARN,
    LOG_INFO,
    LOG_DEBUG,
};

/* Sets the most verbose level printed. Default LOG_INFO; the environment
 * variable WALL_LOG=error|warn|info|debug overrides it at the first call. */
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);

/* Looks again whether stderr is the journal (the first line looks by
 * itself): for whoever redirected stderr, and for tests. Any thread. */
void log_detect_journal(void);

void log_msg(enum log_level level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `msgid` as a line at `level` says it: in the locale's language at WARN
 * and above (common/i18n.h), as written at INFO and DEBUG. For words put
 * into a line whose level is chosen at run time; mark the literal N_(). */
const char *log_words(enum log_level level, const char *msgid) __attribute__((format_arg(2)));

#define log_error(comp, ...) log_msg(LOG_ERROR, comp, __VA_ARGS__)
#define log_warn(comp, ...)  log_msg(LOG_WARN, comp, __VA_ARGS__)
#define log_info(comp, ...)  log_msg(LOG_INFO, comp, __VA_ARGS__)
#define log_debug(comp, ...) log_msg(LOG_DEBUG, comp, __VA_ARGS__)

/* Copies url into buf (always NUL-terminated, truncated to size) with the
 * userinfo part ("user:pass@") replaced by "***@" ("*@", "**@" when
 * shorter): never longer than url. The userinfo runs to the LAST '@' of the
 * URL, not to the first '/', '?' or '#': a password typed raw may hold
 * those, '@' and quotes: all of "u:a#b/c?d'e" in rtsp://u:a#b/c?d'e@host/x.
 * An '@' in a path or query masks more than the userinfo: the safe side.
 * Redacted whole before it is cut to size. Returns buf. */
const char *log_redact_url(const char *url, char *buf, size_t size);

/* Redacts every "scheme://user:pass@" found anywhere in text, in place, as
 * log_redact_url() does; in text a URL ends at white space or a control
 * character only (not at a quote, which a raw password may hold), and its
 * userinfo at the last '@' before that. Also masks the values of
 * Authorization and WWW-Authenticate headers. Never lengthens text. Used
 * on lines whose content we do not control (FFmpeg's log). */
void log_redact_text(char *text);

#endif
