#include "wall/picture.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>

#include "common/log.h"

void picture_init(struct picture *pic, int gles_major, const struct dmabuf_importer *dmabuf,
                  bool cpu)
{
    memset(pic, 0, sizeof(*pic));
    pic->gles_major = gles_major;
    pic->cpu = cpu;
    scaler_init(&pic->scaler, "picture");
    pic->dmabuf = dmabuf;
    pic->format = AV_PIX_FMT_NONE;
}

void picture_finish(struct picture *pic)
{
    av_frame_free(&pic->frame);
    scaler_finish(&pic->scaler);
    dmabuf_frame_release(pic->dmabuf, &pic->hw);
    if (pic->textures[0]) {
        glDeleteTextures(3, pic->textures);
    }
    free(pic->scratch);
    memset(pic, 0, sizeof(*pic));
}

bool picture_valid(const struct picture *pic)
{
    return pic->n_planes > 0;
}

void picture_colour_matrix(int colorspace, bool full_range, int height, float matrix[9],
                           float offset[3])
{
    double kr, kb;
    switch (colorspace) {
    case AVCOL_SPC_BT709:
        kr = 0.2126, kb = 0.0722;
        break;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
        kr = 0.299, kb = 0.114;
        break;
    case AVCOL_SPC_SMPTE240M:
        kr = 0.212, kb = 0.087;
        break;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        kr = 0.2627, kb = 0.0593;
        break;
    default:
        /* Untagged: HD pictures are BT.709 and SD ones BT.601 in practice. */
        if (height >= 720) {
            kr = 0.2126, kb = 0.0722;
        } else {
            kr = 0.299, kb = 0.114;
        }
        break;
    }
    double kg = 1.0 - kr - kb;
    double ys = full_range ? 1.0 : 255.0 / 219.0;
    double cs = full_range ? 1.0 : 255.0 / 224.0;
    /* Rows R, G, B; columns Y', Cb, Cr; stored column-major for GL. */
    double m[3][3] = {
        {ys, 0.0, cs * 2.0 * (1.0 - kr)},
        {ys, -cs * 2.0 * (1.0 - kb) * kb / kg, -cs * 2.0 * (1.0 - kr) * kr / kg},
        {ys, cs * 2.0 * (1.0 - kb), 0.0},
    };
    for (int row = 0; row < 3; row++) {
        for (int col = 0; col < 3; col++) {
            matrix[col * 3 + row] = (float)m[row][col];
        }
    }
    offset[0] = full_range ? 0.0f : 16.0f / 255.0f;
    offset[1] = 128.0f / 255.0f;
    offset[2] = 128.0f / 255.0f;
}

/* 1, 2 or 4 components a texel: luma, chroma pairs, or RGB(X). */
static void plane_format(const struct picture *pic, int components, GLint *internal,
                         GLenum *format)
{
    if (components == 4) {
        *internal = pic->gles_major >= 3 ? GL_RGBA8 : GL_RGBA;
        *format = GL_RGBA;
    } else if (pic->gles_major >= 3) {
        *internal = components == 2 ? GL_RG8 : GL_R8;
        *format = components == 2 ? GL_RG : GL_RED;
    } else {
        *internal = components == 2 ? GL_LUMINANCE_ALPHA : GL_LUMINANCE;
        *format = (GLenum)*internal;
    }
}

/* ES 2 has no GL_UNPACK_ROW_LENGTH: rows with padding go through scratch. */
static const void *tight_rows(struct picture *pic, const uint8_t *data, int linesize,
                              int row_bytes, int rows)
{
    if (linesize == row_bytes) {
        return data;
    }
    size_t need = (size_t)row_bytes * (size_t)rows;
    if (need > pic->scratch_size) {
        unsigned char *grown = realloc(pic->scratch, need);
        if (!grown) {
            return NULL;
        }
        pic->scratch = grown;
        pic->scratch_size = need;
    }
    for (int y = 0; y < rows; y++) {
        memcpy(pic->scratch + (size_t)y * row_bytes, data + (ptrdiff_t)y * linesize,
               (size_t)row_bytes);
    }
    return pic->scratch;
}

static void upload_plane(struct picture *pic, int i, const AVFrame *frame, int w, int h,
                         int components, bool realloc_tex)
{
    GLint internal;
    GLenum format;
    plane_format(pic, components, &internal, &format);
    glBindTexture(GL_TEXTURE_2D, pic->textures[i]);
    if (realloc_tex) {
        glTexImage2D(GL_TEXTURE_2D, 0, internal, w, h, 0, format, GL_UNSIGNED_BYTE, NULL);
        pic->tex_width[i] = w;
        pic->tex_height[i] = h;
    }
    int linesize = frame->linesize[i];
    const void *pixels = frame->data[i];
    if (pic->gles_major >= 3 && linesize > 0) {
        glPixelStorei(GL_UNPACK_ROW_LENGTH, linesize / components);
    } else {
        pixels = tight_rows(pic, frame->data[i], linesize, w * components, h);
    }
    if (pixels) {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, format, GL_UNSIGNED_BYTE, pixels);
    }
    if (pic->gles_major >= 3) {
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    }
}

static void create_textures(struct picture *pic)
{
    glGenTextures(3, pic->textures);
    for (int i = 0; i < 3; i++) {
        glBindTexture(GL_TEXTURE_2D, pic->textures[i]);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
}

/* One RGBA texture; filtering is chosen per draw (wall/render.c). */
static void upload_rgb(struct picture *pic, const AVFrame *frame)
{
    bool realloc_tex = frame->width != pic->width || frame->height != pic->height ||
                       frame->format != pic->format || pic->hw.n_images > 0;
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_plane(pic, 0, frame, frame->width, frame->height, 4, realloc_tex);
    /* Only now has the texture storage of its own: the surface may go. */
    dmabuf_frame_release(pic->dmabuf, &pic->hw);
    pic->n_planes = 1;
}

static bool upload_software(struct picture *pic, const AVFrame *frame)
{
    bool nv12 = frame->format == AV_PIX_FMT_NV12;
    if (!nv12 && frame->format != AV_PIX_FMT_YUV420P && frame->format != AV_PIX_FMT_YUVJ420P) {
        log_warn("render", "cannot draw %s frames", av_get_pix_fmt_name(frame->format));
        return false;
    }
    /* Textures that showed an imported surface get storage of their own. */
    bool realloc_tex = frame->width != pic->width || frame->height != pic->height ||
                       frame->format != pic->format || pic->hw.n_images > 0;
    int cw = (frame->width + 1) / 2, ch = (frame->height + 1) / 2;
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_plane(pic, 0, frame, frame->width, frame->height, 1, realloc_tex);
    if (nv12) {
        upload_plane(pic, 1, frame, cw, ch, 2, realloc_tex);
    } else {
        upload_plane(pic, 1, frame, cw, ch, 1, realloc_tex);
        upload_plane(pic, 2, frame, cw, ch, 1, realloc_tex);
    }
    dmabuf_frame_release(pic->dmabuf, &pic->hw); /* as in upload_rgb() */
    pic->n_planes = nv12 ? 2 : 3;
    return true;
}

/* Cpu: a reference to an RGB frame, or the frame converted whole. */
static bool keep_in_memory(struct picture *pic, const AVFrame *frame)
{
    struct scale_target shows;
    AVFrame *rgb = NULL;
    if (scale_frame_target(frame, &shows)) {
        rgb = av_frame_clone(frame);
    } else if (frame->format != AV_PIX_FMT_VAAPI) {
        struct scale_target whole = {frame->width, frame->height, 0, 0, 1, 1};
        rgb = scaler_frame(&pic->scaler, frame, &whole);
    }
    if (!rgb) {
        return false;
    }
    av_frame_free(&pic->frame);
    pic->frame = rgb;
    pic->n_planes = 1;
    return true;
}

bool picture_upload(struct picture *pic, const AVFrame *frame)
{
    if (pic->cpu) {
        if (!keep_in_memory(pic, frame)) {
            return false;
        }
        frame = pic->frame;
    } else if (!pic->textures[0]) {
        create_textures(pic);
    }
    struct scale_target shows;
    bool rgb = scale_frame_target(frame, &shows);
    if (pic->cpu) {
        /* in memory already */
    } else if (rgb) {
        upload_rgb(pic, frame);
    } else if (frame->format == AV_PIX_FMT_VAAPI) {
        if (!dmabuf_import(pic->dmabuf, frame, &pic->hw, pic->textures)) {
            return false;
        }
        pic->n_planes = 2; /* NV12: luma R8 + chroma GR88, sampled .rg */
    } else if (!upload_software(pic, frame)) {
        return false;
    }
    pic->format = frame->format;
    pic->width = frame->width;
    pic->height = frame->height;
    double sar = frame->sample_aspect_ratio.num > 0 && frame->sample_aspect_ratio.den > 0
                     ? av_q2d(frame->sample_aspect_ratio)
                     : 1.0;
    pic->aspect = (double)frame->width * sar / frame->height;
    if (rgb) {
        /* It shows a part of the picture: the whole one's aspect. */
        pic->aspect *= shows.h / shows.w;
        pic->shows = shows;
    } else {
        pic->shows = (struct scale_target){frame->width, frame->height, 0, 0, 1, 1};
    }
    bool full = scale_full_range(frame);
    picture_colour_matrix(frame->colorspace, full, frame->height, pic->matrix, pic->offset);
    return true;
}
