#include "decode/colour.h"

#include <libavcodec/codec_id.h>
#include <libavutil/frame.h>

#include "decode/scale.h"

void colour_init(struct colour *c, enum colour_matrix matrix, enum colour_range range)
{
    *c = (struct colour){.matrix = matrix, .range = range};
}

/* A matrix the renderer knows (scale_colorspace keeps those as they are). */
static bool tagged(int colorspace)
{
    return scale_colorspace(colorspace, 0) == colorspace;
}

enum colour_from colour_tag(struct colour *c, AVFrame *frame, int codec_id)
{
    if (c->range != RANGE_AUTO) {
        frame->color_range = c->range == RANGE_FULL ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    } else if (frame->color_range == AVCOL_RANGE_UNSPECIFIED) {
        /* JPEG is full range by definition, tagged or not. */
        bool jpeg = codec_id == AV_CODEC_ID_MJPEG || scale_full_range(frame);
        frame->color_range = jpeg ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    }
    if (c->matrix != COLOUR_AUTO) {
        frame->colorspace = c->matrix == COLOUR_BT709 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
        return COLOUR_FROM_LAYOUT;
    }
    if (tagged(frame->colorspace)) {
        return COLOUR_FROM_STREAM;
    }
    if (!c->guess) {
        c->guess = codec_id == AV_CODEC_ID_MJPEG
                       ? AVCOL_SPC_SMPTE170M
                       : scale_colorspace(AVCOL_SPC_UNSPECIFIED, frame->height);
    }
    frame->colorspace = c->guess;
    return COLOUR_FROM_GUESS;
}

const char *colour_matrix_name(int colorspace)
{
    switch (colorspace) {
    case AVCOL_SPC_BT709:
        return "bt709";
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
        return "bt601";
    case AVCOL_SPC_SMPTE240M:
        return "smpte240m";
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return "bt2020";
    default:
        return "";
    }
}

const char *colour_from_name(enum colour_from from)
{
    switch (from) {
    case COLOUR_FROM_STREAM:
        return "stream";
    case COLOUR_FROM_GUESS:
        return "guess";
    case COLOUR_FROM_LAYOUT:
        return "layout";
    case COLOUR_FROM_NONE:
        break;
    }
    return "";
}
