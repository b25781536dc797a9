#include "common/hwaccel.h"

#include <stdio.h>
#include <string.h>

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
        size_t len = 0;
        for (int i = 0; hwaccel_names[i]; i++) {
            const char *sep = i == 0 ? "" : hwaccel_names[i + 1] ? ", " : " or ";
            len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", sep, hwaccel_names[i]);
        }
    }
    return text;
}

const char *hwaccel_name(enum hwaccel mode)
{
    return mode >= HWACCEL_AUTO && mode <= HWACCEL_NONE ? hwaccel_names[mode] : "auto";
}
