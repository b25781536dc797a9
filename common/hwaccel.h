/*
 * Hardware decoding, as the command line (--hwaccel) and the layout file
 * (`wall = { hwaccel = "..."; }`) both spell it: one enum, one table of
 * words. The command line wins over the file; neither: auto.
 */
#ifndef WALL_COMMON_HWACCEL_H
#define WALL_COMMON_HWACCEL_H

#include <stdbool.h>

enum hwaccel {
    HWACCEL_AUTO,  /* VA-API when a device works, else software (default) */
    HWACCEL_VAAPI, /* VA-API asked for: its absence is a warning */
    HWACCEL_NONE,  /* software only: no device is even probed */
};

/* "auto", "vaapi", "none", NULL: indexed by enum hwaccel. */
extern const char *const hwaccel_names[];

/* False when `text` is none of hwaccel_names. */
bool hwaccel_parse(const char *text, enum hwaccel *out);
const char *hwaccel_name(enum hwaccel mode);

/* "auto, vaapi or none": the words, for messages (the command line's
 * first: not thread-safe before its first call). */
const char *hwaccel_choices(void);

#endif
