#include "common/hwaccel.h"

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

const char *hwaccel_name(enum hwaccel mode)
{
    return mode >= HWACCEL_AUTO && mode <= HWACCEL_NONE ? hwaccel_names[mode] : "auto";
}
