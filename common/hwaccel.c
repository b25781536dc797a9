#include "common/hwaccel.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"

const char *const hwaccel_names[] = {
    [HWACCEL_AUTO] = "auto",
    [HWACCEL_VAAPI] = "vaapi",
    [HWACCEL_NONE] = "none",
    NULL,
};

bool hwaccel_parse(const char *text, enum hwaccel *out)
{
    for (int i = 0; hwaccel_names[i]; i++) {
        if (strcmp(text, hwaccel_names[i]) == 0) {
            *out = (enum hwaccel)i;
            return true;
        }
    }
    return false;
}

const char *hwaccel_choices(void)
{
    static char text[64];
    if (!text[0]) {
        char first[48] = "";
        size_t len = 0;
        int last = 0;
        while (hwaccel_names[last + 1]) {
            last++;
        }
        for (int i = 0; i < last; i++) {
            len += (size_t)snprintf(first + len, sizeof(first) - len, "%s%s", i == 0 ? "" : ", ",
                                    hwaccel_names[i]);
        }
        /* TRANSLATORS: the last choice of a list: "auto, vaapi" or "none". */
        snprintf(text, sizeof(text), _("%s or %s"), first, hwaccel_names[last]);
    }
    return text;
}

const char *hwaccel_name(enum hwaccel mode)
{
    return mode >= HWACCEL_AUTO && mode <= HWACCEL_NONE ? hwaccel_names[mode] : "auto";
}
