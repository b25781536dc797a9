/*
 * Convert: brings decoded frames into a format the renderer draws directly
 * (YUV420P, YUVJ420P, NV12). Frames already in one of those pass through
 * untouched (no copy); anything else (4:2:2, 4:4:4, 10-bit, RGB) is scaled
 * once here with libswscale, keeping its range and matrix tags.
 *
 * Embedded in a feed and used only by that feed's thread.
 */
#ifndef WALL_DECODE_CONVERT_H
#define WALL_DECODE_CONVERT_H

#include <stdbool.h>

struct AVFrame;
struct SwsContext;

struct convert {
    struct SwsContext *sws;
    int src_format, src_width, src_height; /* what `sws` was made for */
    const char *label;                     /* borrowed, for logs */
    bool warned;                           /* said once which format converts */
    bool failed;                           /* said once that converting failed */
};

void convert_init(struct convert *conv, const char *label);
void convert_finish(struct convert *conv);

/* Whether the renderer takes this AVPixelFormat as it is. */
bool convert_is_native(int format);

/* A new frame (caller owns) holding `src`'s picture in a native format:
 * a new reference to `src` itself when it already is. NULL on failure. */
struct AVFrame *convert_frame(struct convert *conv, const struct AVFrame *src);

#endif
