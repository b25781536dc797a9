#include "common/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/assets.h"
#include "config.h"

#define DOMAIN "wall"

/* (locale_t)0: the OSD follows the process's locale. Locales made for the
 * OSD are kept for the program's life (one per language asked for), so a
 * thread in i18n_osd() never holds one that was freed. */
static _Atomic(locale_t) osd_locale;

static bool holds_catalogue(const char *dir)
{
    /* WALL_LINGUAS: "es" or "es fr", from po/LINGUAS. */
    char languages[] = WALL_LINGUAS;
    char *save = NULL;
    for (char *lang = strtok_r(languages, " ", &save); lang; lang = strtok_r(NULL, " ", &save)) {
        char probe[PATH_MAX];
        int n = snprintf(probe, sizeof(probe), "%s/%s/LC_MESSAGES/" DOMAIN ".mo", dir, lang);
        if (n > 0 && (size_t)n < sizeof(probe) && access(probe, R_OK) == 0) {
            return true;
        }
    }
    return false;
}

static bool find_dir(char *dir, size_t size)
{
    const char *env = getenv("WALL_LOCALE_DIR");
    if (env && env[0] != '\0') {
        int n = snprintf(dir, size, "%s", env);
        return n > 0 && (size_t)n < size;
    }
    if (assets_beside_binary(WALL_LOCALE_FROM_BINDIR, dir, size) && holds_catalogue(dir)) {
        return true;
    }
    static const char *const fixed[] = {WALL_BUILD_LOCALE_DIR, WALL_LOCALE_DIR};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (holds_catalogue(fixed[i])) {
            int n = snprintf(dir, size, "%s", fixed[i]);
            return n > 0 && (size_t)n < size;
        }
    }
    return false;
}

void i18n_init(void)
{
    /* Not LC_ALL: LC_NUMERIC would turn 2.5 into "2,5" in JSON and layout
     * values under some locales. */
    setlocale(LC_MESSAGES, "");
    setlocale(LC_CTYPE, "");
    char dir[PATH_MAX];
    if (find_dir(dir, sizeof(dir))) {
        bindtextdomain(DOMAIN, dir);
    }
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    textdomain(DOMAIN);
}

const char *i18n_osd(const char *msgid)
{
    locale_t osd = atomic_load(&osd_locale);
    if (osd == (locale_t)0) {
        return gettext(msgid);
    }
    locale_t before = uselocale(osd);
    const char *text = gettext(msgid);
    uselocale(before);
    return text;
}

locale_t i18n_osd_enter(void)
{
    locale_t osd = atomic_load(&osd_locale);
    return osd == (locale_t)0 ? (locale_t)0 : uselocale(osd);
}

void i18n_osd_leave(locale_t before)
{
    if (before != (locale_t)0) {
        uselocale(before);
    }
}

bool i18n_known_language(const char *language)
{
    if (strcmp(language, "en") == 0) {
        return true;
    }
    char languages[] = WALL_LINGUAS;
    char *save = NULL;
    for (char *lang = strtok_r(languages, " ", &save); lang; lang = strtok_r(NULL, " ", &save)) {
        if (strcmp(lang, language) == 0) {
            return true;
        }
    }
    return false;
}

const char *i18n_languages(void)
{
    return WALL_LANGUAGE_LIST;
}

/* The locales made so far, by the name they were made for. */
static struct {
    char name[32];
    locale_t locale;
} made[8];
static int made_count;

static locale_t make_locale(const char *name)
{
    for (int i = 0; i < made_count; i++) {
        if (strcmp(made[i].name, name) == 0) {
            return made[i].locale;
        }
    }
    if (made_count == (int)(sizeof(made) / sizeof(made[0])) ||
        strlen(name) >= sizeof(made[0].name)) {
        return (locale_t)0;
    }
    locale_t loc = newlocale(LC_MESSAGES_MASK, name, (locale_t)0);
    if (loc != (locale_t)0) {
        snprintf(made[made_count].name, sizeof(made[0].name), "%s", name);
        made[made_count++].locale = loc;
    }
    return loc;
}

/* A locale of `language` installed on this machine: its Mexican one first
 * (the wall's home), then the other usual regions. */
static locale_t installed_locale(const char *language)
{
    static const char *const regions[] = {"MX", "US", "ES", "AR", "CO", "CL", "PE"};
    char name[32];
    snprintf(name, sizeof(name), "%s.UTF-8", language);
    locale_t loc = make_locale(name);
    for (size_t i = 0; loc == (locale_t)0 && i < sizeof(regions) / sizeof(regions[0]); i++) {
        snprintf(name, sizeof(name), "%s_%s.UTF-8", language, regions[i]);
        loc = make_locale(name);
    }
    return loc;
}

static bool process_is_c(void)
{
    const char *now = setlocale(LC_MESSAGES, NULL);
    return !now || strcmp(now, "C") == 0 || strcmp(now, M_("POSIX")) == 0;
}

bool i18n_set_osd_language(const char *language, char *why, size_t size)
{
    if (!language || language[0] == '\0') {
        atomic_store(&osd_locale, (locale_t)0);
        return true;
    }
    if (!i18n_known_language(language)) {
        snprintf(why, size, _("no language '%s' (the wall speaks %s)"), language,
                 i18n_languages());
        return false;
    }
    /* English is the messages as written: the C locale never translates. */
    locale_t loc = strcmp(language, "en") == 0 ? make_locale("C") : installed_locale(language);
    if (loc == (locale_t)0 && process_is_c()) {
        /* A kiosk under LANG=C with no locale of the language generated:
         * under C.UTF-8 gettext reads LANGUAGE, which it ignores under C,
         * so only the OSD (in C.UTF-8) changes language. Set once for the
         * program's life in practice; changed only when the layout asks
         * for another language. */
        loc = make_locale("C.UTF-8");
        const char *now = getenv(M_("LANGUAGE"));
        if (loc != (locale_t)0 && (!now || strcmp(now, language) != 0)) {
            setenv(M_("LANGUAGE"), language, 1);
        }
    }
    if (loc == (locale_t)0) {
        snprintf(why, size,
                 _("no %s locale is installed (generate one, like %s_MX.UTF-8, with "
                   "locale-gen or localedef)"),
                 language, language);
        return false;
    }
    atomic_store(&osd_locale, loc);
    return true;
}
