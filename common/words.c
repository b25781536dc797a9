#include "common/words.h"

#include <stddef.h>

#include <string.h>

bool words_contain(const char *list, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = list; p && (p = strstr(p, word)) != NULL; p += len) {
        if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0')) {
            return true;
        }
    }
    return false;
}

void words_slug(const char *name, char *out, size_t size)
{
    static const struct {
        const char *utf8;
        char ascii;
    } accents[] = {
        {"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ó", 'o'}, {"ú", 'u'}, {"ü", 'u'}, {"ñ", 'n'},
        {"Á", 'A'}, {"É", 'E'}, {"Í", 'I'}, {"Ó", 'O'}, {"Ú", 'U'}, {"Ü", 'U'}, {"Ñ", 'N'},
    };
    size_t len = 0;
    bool dash = false;
    for (const char *p = name; *p && len + 2 < size;) {
        char c = 0;
        for (size_t i = 0; i < sizeof(accents) / sizeof(accents[0]) && !c; i++) {
            size_t n = strlen(accents[i].utf8);
            if (strncmp(p, accents[i].utf8, n) == 0) {
                c = accents[i].ascii;
                p += n;
            }
        }
        if (!c) {
            c = *p++;
        }
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (keep) {
            out[len++] = c;
            dash = false;
        } else if (!dash && len > 0) {
            out[len++] = '-';
            dash = true;
        }
    }
    while (len > 0 && out[len - 1] == '-') {
        len--;
    }
    out[len] = '\0';
}
