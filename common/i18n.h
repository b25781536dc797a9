/*
 * The operators' language: GNU gettext, text domain "wall", catalogues
 * built from po/ (po/LINGUAS lists the languages, po/es.po is Mexican
 * Spanish).
 *
 * Four marks, each a keyword of xgettext (po/meson.build):
 *   _("...")  a message for a person, in the process's language
 *             (LC_MESSAGES, from LANG or LC_ALL): --check, --help, log
 *             lines at WARN and above, the control socket's ERR reasons;
 *   O_("...") text on the glass (OSD states, badges, banners, plates):
 *             the layout's wall.language when it sets one, else as _();
 *   N_("...") a string kept in a table, translated where it is used, by
 *             _() or O_() of the entry;
 *   M_("...") a string that stays as written because a program reads it
 *             (JSON, audit keys, protocol text, metric help): no-op, but
 *             it tells tests/i18n/check_marked.py that it was decided.
 * Functions that translate their own format are keywords too, so that
 * their callers pass plain literals: log_warn() and log_error(),
 * diag_add(), layout_report(), operator_refuse(), reply_err() and the
 * others po/meson.build lists. Log lines at INFO and DEBUG stay English.
 *
 * Machine words never change with the language: JSON keys, the state
 * names of `stats` and `tiles`, audit keys, socket command names.
 *
 * Translations come out in UTF-8 whatever LC_CTYPE says (the OSD font and
 * the journal take UTF-8). Only LC_MESSAGES and LC_CTYPE follow the
 * environment: numbers keep the '.' decimal point everywhere.
 *
 * The catalogue folder is the first of these that holds a catalogue
 * (LANG/LC_MESSAGES/wall.mo):
 *   1. $WALL_LOCALE_DIR, for a test or an unusual install;
 *   2. BINDIR/../DATADIR/locale from the running binary (--destdir, an
 *      unpacked .deb, a moved prefix);
 *   3. the build tree's po/ (a binary run from its build folder);
 *   4. PREFIX/DATADIR/locale, where `meson install` puts them.
 *
 * Threads: i18n_init() first, from main(), before any thread starts; the
 * rest from any thread.
 */
#ifndef WALL_COMMON_I18N_H
#define WALL_COMMON_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s)  gettext(s)
#define N_(s) s
#define M_(s) s
#define O_(s) i18n_osd(s)

/* Sets LC_MESSAGES and LC_CTYPE from the environment and binds the text
 * domain to the catalogue folder above. */
void i18n_init(void);

/* msgid in the OSD's language (see i18n_set_osd_language()). */
const char *i18n_osd(const char *msgid) __attribute__((format_arg(1)));

/* Until i18n_osd_leave(), _() on this thread speaks the OSD's language:
 * for messages composed for the glass by code that also answers the
 * socket (an operator's refused request shown on the monitor). */
locale_t i18n_osd_enter(void);
void i18n_osd_leave(locale_t before);

/*
 * The OSD's language, from the layout's wall.language: "en" (English,
 * whatever the locale), a language of po/LINGUAS such as "es", or NULL or
 * "" to follow the process's locale like everything else. The language
 * needs a locale of it on the machine (es_MX.UTF-8, or another es_*); a
 * machine running under the C locale without one still shows the OSD in
 * it, through C.UTF-8 and LANGUAGE. False, with the reason in `why` and
 * the OSD as it was, when neither is there.
 */
bool i18n_set_osd_language(const char *language, char *why, size_t size);

/* Whether `language` is one the wall ships ("en" or a po/LINGUAS entry). */
bool i18n_known_language(const char *language);

/* The languages i18n_known_language() accepts, for messages: "en, es". */
const char *i18n_languages(void);

#endif
