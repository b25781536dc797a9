/*
 * Which colour matrix and range a feed's pictures are shown with.
 *
 * A camera's layout entry may set them (`color`, `range`): that wins, for
 * cameras whose streams lie. Otherwise the stream's own tags count. A
 * stream that does not tag its matrix gets one guessed from its first
 * picture (BT.601 below 720 lines, BT.709 from 720 up; JPEG is BT.601
 * whatever its size) and keeps that guess for the life of the feed: a
 * camera that changes resolution mid-stream does not change colour.
 *
 * Every picture leaves the feed tagged (AVFrame colorspace, color_range),
 * so that nothing downstream guesses again.
 */
#ifndef WALL_DECODE_COLOUR_H
#define WALL_DECODE_COLOUR_H

#include <stdbool.h>

struct AVFrame;

enum colour_matrix {
    COLOUR_AUTO, /* the stream's tag, or the first guess */
    COLOUR_BT601,
    COLOUR_BT709,
};

enum colour_range {
    RANGE_AUTO, /* the stream's tag; untagged: full for JPEG, else limited */
    RANGE_LIMITED,
    RANGE_FULL,
};

enum colour_from {
    COLOUR_FROM_NONE, /* no picture yet */
    COLOUR_FROM_STREAM,
    COLOUR_FROM_GUESS,
    COLOUR_FROM_LAYOUT,
};

struct colour {
    enum colour_matrix matrix; /* as configured */
    enum colour_range range;   /* as configured */
    int guess;                 /* AVColorSpace guessed first; 0: not yet */
};

void colour_init(struct colour *c, enum colour_matrix matrix, enum colour_range range);

/* Tags `frame` with what it is shown with; codec_id: its AVCodecID.
 * Returns where the matrix came from. */
enum colour_from colour_tag(struct colour *c, struct AVFrame *frame, int codec_id);

/* "bt601", "bt709", "bt2020", "smpte240m" for an AVColorSpace. */
const char *colour_matrix_name(int colorspace);
const char *colour_from_name(enum colour_from from);

#endif
