#include "wall/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/i18n.h"
#include "common/log.h"
#include "wall/mask.h"
#include "shaders.h"

struct program {
    GLuint id;
    GLint rect, tex_rect, colour, alpha, matrix, offset, mask, masked, mask_colour, mask_rect;
    GLint planes[3];
};

struct renderer {
    int gles_major;
    GLuint quad;
    struct program solid, texture, planar, nv12, rgb;
    int width, height;            /* canvas of the current frame */
    struct profile *profile;      /* borrowed; NULL: off */
    struct layout_rect *measured; /* renderer_measure: where draws go; NULL: drawing */
    int measure_max, *measure_n;
    bool cpu;                 /* draws go to `canvas`, not GL */
    struct cpu_canvas canvas; /* of the monitor being drawn */
    struct cpu_view view;
    struct layout_rect region; /* the monitor's region of the canvas */
};

void renderer_set_view(struct renderer *r, const struct cpu_canvas *canvas,
                       struct layout_rect region, int pic_x, int pic_y)
{
    if (!r->cpu || !canvas) {
        return;
    }
    r->canvas = *canvas;
    r->region = region;
    r->view = (struct cpu_view){region.x - pic_x, region.y - pic_y, region};
}

void renderer_clip(struct renderer *r, const struct layout_rect *area)
{
    if (!r->cpu) {
        return;
    }
    r->view.clip = r->region;
    if (area) {
        struct layout_rect a = {area->x + r->view.ox, area->y + r->view.oy, area->w, area->h};
        r->view.clip = layout_rect_intersect(a, r->region);
    }
}

void renderer_measure(struct renderer *r, struct layout_rect *rects, int max, int *n)
{
    r->measured = rects;
    r->measure_max = max;
    r->measure_n = n;
    if (n) {
        *n = 0;
    }
}

/* True (and the rect noted) while measuring. */
static bool measuring(struct renderer *r, struct layout_rect rect)
{
    if (!r->measured) {
        return false;
    }
    if (*r->measure_n < r->measure_max) {
        r->measured[(*r->measure_n)++] = rect;
    }
    return true;
}

void renderer_set_profile(struct renderer *r, struct profile *profile)
{
    r->profile = profile;
}

static GLuint compile(GLenum type, const char *prelude, const char *source, const char *name)
{
    GLuint shader = glCreateShader(type);
    const char *parts[] = {prelude, source};
    glShaderSource(shader, 2, parts, NULL);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char info[1024] = "";
        glGetShaderInfoLog(shader, sizeof(info), NULL, info);
        log_error("render", "shader %s does not compile: %s", name, info);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

static bool link_program(struct program *p, const char *prelude, const char *frag,
                         const char *name)
{
    GLuint vs = compile(GL_VERTEX_SHADER, "", shader_quad_vert, "quad.vert");
    GLuint fs = compile(GL_FRAGMENT_SHADER, prelude, frag, name);
    if (!vs || !fs) {
        glDeleteShader(vs);
        glDeleteShader(fs);
        return false;
    }
    p->id = glCreateProgram();
    glAttachShader(p->id, vs);
    glAttachShader(p->id, fs);
    glBindAttribLocation(p->id, 0, "a_pos");
    glLinkProgram(p->id);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(p->id, GL_LINK_STATUS, &ok);
    if (!ok) {
        char info[1024] = "";
        glGetProgramInfoLog(p->id, sizeof(info), NULL, info);
        log_error("render", "program %s does not link: %s", name, info);
        return false;
    }
    p->rect = glGetUniformLocation(p->id, "u_rect");
    p->tex_rect = glGetUniformLocation(p->id, "u_tex_rect");
    p->colour = glGetUniformLocation(p->id, "u_colour");
    p->alpha = glGetUniformLocation(p->id, "u_alpha");
    p->matrix = glGetUniformLocation(p->id, "u_matrix");
    p->offset = glGetUniformLocation(p->id, "u_offset");
    p->mask = glGetUniformLocation(p->id, "u_mask");
    p->masked = glGetUniformLocation(p->id, "u_masked");
    p->mask_colour = glGetUniformLocation(p->id, "u_mask_colour");
    p->mask_rect = glGetUniformLocation(p->id, "u_mask_rect");
    glUseProgram(p->id);
    for (int i = 0; i < 3; i++) {
        char uniform[16];
        snprintf(uniform, sizeof(uniform), "u_plane%d", i);
        p->planes[i] = glGetUniformLocation(p->id, uniform);
        if (p->planes[i] >= 0) {
            glUniform1i(p->planes[i], i);
        }
    }
    if (p->mask >= 0) {
        glUniform1i(p->mask, 3);
    }
    return true;
}

struct renderer *renderer_create(int gles_major, bool cpu)
{
    struct renderer *r = calloc(1, sizeof(*r));
    if (!r) {
        return NULL;
    }
    r->gles_major = gles_major;
    r->cpu = cpu;
    /* GLSL, as written. */
    const char *nv12_prelude = gles_major >= 3 ? M_("#define NV12 1\n#define UV_SWIZZLE rg\n")
                                               : M_("#define NV12 1\n#define UV_SWIZZLE ra\n");
    if (!link_program(&r->solid, "", shader_solid_frag, "solid.frag") ||
        !link_program(&r->texture, "", shader_texture_frag, "texture.frag") ||
        !link_program(&r->planar, "", shader_yuv_frag, "yuv.frag") ||
        !link_program(&r->nv12, nv12_prelude, shader_yuv_frag, "yuv.frag (NV12)") ||
        !link_program(&r->rgb, M_("#define RGB 1\n"), shader_yuv_frag, "yuv.frag (RGB)")) {
        renderer_destroy(r);
        return NULL;
    }
    static const GLfloat quad[] = {0, 0, 1, 0, 0, 1, 1, 1};
    glGenBuffers(1, &r->quad);
    glBindBuffer(GL_ARRAY_BUFFER, r->quad);
    glBufferData(GL_ARRAY_BUFFER, sizeof(quad), quad, GL_STATIC_DRAW);
    return r;
}

void renderer_destroy(struct renderer *r)
{
    if (!r) {
        return;
    }
    struct program *programs[] = {&r->solid, &r->texture, &r->planar, &r->nv12, &r->rgb};
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        if (programs[i]->id) {
            glDeleteProgram(programs[i]->id);
        }
    }
    if (r->quad) {
        glDeleteBuffers(1, &r->quad);
    }
    free(r);
}

static void set_colour(GLfloat out[3], uint32_t rgb)
{
    out[0] = (GLfloat)((rgb >> 16) & 0xff) / 255.0f;
    out[1] = (GLfloat)((rgb >> 8) & 0xff) / 255.0f;
    out[2] = (GLfloat)(rgb & 0xff) / 255.0f;
}

void renderer_begin(struct renderer *r, int width, int height, uint32_t background, bool clear)
{
    r->width = width;
    r->height = height;
    if (r->cpu) {
        if (clear) {
            cpu_fill(&r->canvas, &r->view, (struct layout_rect){0, 0, width, height}, background,
                     1.0f);
        }
        return;
    }
    GLfloat c[3];
    set_colour(c, background);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    if (clear) {
        glClearColor(c[0], c[1], c[2], 1.0f);
        int64_t t0 = profile_start(r->profile);
        glClear(GL_COLOR_BUFFER_BIT);
        profile_stop(r->profile, PROFILE_CLEAR, t0);
    }
    glBindBuffer(GL_ARRAY_BUFFER, r->quad);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, NULL);
}

/* Uses `p` with its rectangle (canvas pixels) and texture window set. */
static void use(struct renderer *r, const struct program *p, struct layout_rect rect,
                struct crop src)
{
    glUseProgram(p->id);
    GLfloat x0 = 2.0f * rect.x / r->width - 1.0f;
    GLfloat y0 = 1.0f - 2.0f * (rect.y + rect.h) / r->height;
    glUniform4f(p->rect, x0, y0, 2.0f * rect.w / r->width, 2.0f * rect.h / r->height);
    if (p->tex_rect >= 0) {
        /* Textures hold the top row first: the quad's bottom samples y+h. */
        glUniform4f(p->tex_rect, (GLfloat)src.x, (GLfloat)(src.y + src.h), (GLfloat)src.w,
                    (GLfloat)-src.h);
    }
}

void renderer_fill(struct renderer *r, struct layout_rect rect, uint32_t rgb, float alpha)
{
    if (measuring(r, rect)) {
        return;
    }
    if (r->cpu) {
        int64_t t0 = profile_start(r->profile);
        cpu_fill(&r->canvas, &r->view, rect, rgb, alpha);
        profile_stop(r->profile, alpha < 1.0f ? PROFILE_BLEND : PROFILE_FILL, t0);
        return;
    }
    GLfloat c[3];
    set_colour(c, rgb);
    use(r, &r->solid, rect, (struct crop){0, 0, 1, 1});
    glUniform4f(r->solid.colour, c[0], c[1], c[2], alpha);
    if (alpha < 1.0f) {
        glEnable(GL_BLEND);
        glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    }
    int64_t t0 = profile_start(r->profile);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    profile_stop(r->profile, alpha < 1.0f ? PROFILE_BLEND : PROFILE_FILL, t0);
    glDisable(GL_BLEND);
}

void renderer_draw_picture(struct renderer *r, const struct picture *pic, struct layout_rect dst,
                           struct crop src, GLuint mask, const uint8_t *mask_raster)
{
    if (!picture_valid(pic) || measuring(r, dst)) {
        return;
    }
    if (r->cpu) {
        int64_t t0 = profile_start(r->profile);
        cpu_draw_picture(&r->canvas, &r->view, pic->frame, &pic->shows, dst, src.x, src.y, src.w,
                         src.h, mask_raster);
        profile_stop(r->profile, mask_raster ? PROFILE_MASKED : PROFILE_PICTURE, t0);
        return;
    }
    const struct program *p = pic->n_planes == 1   ? &r->rgb
                              : pic->n_planes == 2 ? &r->nv12
                                                   : &r->planar;
    /* An RGB picture holds the part `shows` of the picture: sample `src`
     * within it, texel for texel (nearest) when it was made for this draw. */
    const struct scale_target *t = &pic->shows;
    struct crop within = {(src.x - t->x) / t->w, (src.y - t->y) / t->h, src.w / t->w,
                          src.h / t->h};
    use(r, p, dst, within);
    if (pic->n_planes == 1) {
        /* Made for this draw: a texture rounded up to even sizes counts. */
        double eps_x = 0.5 / t->width, eps_y = 0.5 / t->height;
        bool exact = abs(dst.w - t->width) <= 1 && abs(dst.h - t->height) <= 1 &&
                     fabs(within.x) < eps_x && fabs(within.y) < eps_y &&
                     fabs(within.w - 1) < eps_x && fabs(within.h - 1) < eps_y;
        GLint filter = exact ? GL_NEAREST : GL_LINEAR;
        glBindTexture(GL_TEXTURE_2D, pic->textures[0]);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    } else {
        glUniformMatrix3fv(p->matrix, 1, GL_FALSE, pic->matrix);
        glUniform3fv(p->offset, 1, pic->offset);
    }
    glUniform4f(p->mask_rect, (GLfloat)t->x, (GLfloat)t->y, (GLfloat)t->w, (GLfloat)t->h);
    glUniform1f(p->masked, mask ? 1.0f : 0.0f);
    if (mask) {
        GLfloat c[3];
        set_colour(c, MASK_COLOUR);
        glUniform3fv(p->mask_colour, 1, c);
        glActiveTexture(GL_TEXTURE3);
        glBindTexture(GL_TEXTURE_2D, mask);
    }
    for (int i = 0; i < pic->n_planes; i++) {
        glActiveTexture(GL_TEXTURE0 + (GLenum)i);
        glBindTexture(GL_TEXTURE_2D, pic->textures[i]);
    }
    int64_t t0 = profile_start(r->profile);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    profile_stop(r->profile, mask ? PROFILE_MASKED : PROFILE_PICTURE, t0);
    glActiveTexture(GL_TEXTURE0);
}

void renderer_draw_label(struct renderer *r, const struct text_label *label,
                         struct layout_rect dst, float alpha)
{
    if (!label->texture || measuring(r, dst)) {
        return;
    }
    GLuint texture = label->texture;
    if (r->cpu) {
        int64_t t0 = profile_start(r->profile);
        cpu_blend_rgba(&r->canvas, &r->view, label->pixels, label->width, label->height, dst,
                       alpha);
        profile_stop(r->profile, PROFILE_TEXT, t0);
        return;
    }
    use(r, &r->texture, dst, (struct crop){0, 0, 1, 1});
    glUniform1f(r->texture.alpha, alpha);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture);
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    int64_t t0 = profile_start(r->profile);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    profile_stop(r->profile, PROFILE_TEXT, t0);
    glDisable(GL_BLEND);
}

void renderer_fit(struct layout_rect tile, double aspect, bool fill, struct layout_rect *dst,
                  struct crop *src)
{
    *src = (struct crop){0, 0, 1, 1};
    if (aspect <= 0 || tile.w <= 0 || tile.h <= 0) {
        *dst = tile;
        return;
    }
    if (!fill) {
        *dst = layout_fit_rect(tile, aspect, 1.0);
        return;
    }
    *dst = tile;
    double tile_aspect = (double)tile.w / tile.h;
    if (aspect > tile_aspect) {
        src->w = tile_aspect / aspect; /* wider picture: crop the sides */
        src->x = (1.0 - src->w) / 2;
    } else {
        src->h = aspect / tile_aspect; /* taller picture: crop top and bottom */
        src->y = (1.0 - src->h) / 2;
    }
}
