#include "wall/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "common/assets.h"
#include "common/log.h"

#define MAX_FONTS 64 /* 32 sizes, each plain and outlined */

struct text_renderer {
    char *font_path;
    /* The font file, read once: every size opens from it, so the cache
     * holds no file descriptors (a wall that runs for months should have
     * as many open files as when it started). */
    void *font_data;
    size_t font_size;
    struct {
        int size, outline;
        TTF_Font *font;
    } fonts[MAX_FONTS];
    int n_fonts;
};

/* The font's path: in buf when it is the assets' own, else a constant. */
static const char *find_font(char *buf, size_t size)
{
    const char *env = getenv("WALL_FONT");
    if (env && access(env, R_OK) == 0) {
        return env;
    }
    if (assets_path("fonts/DejaVuSans-Bold.ttf", buf, size) && access(buf, R_OK) == 0) {
        return buf;
    }
    static const char *const candidates[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    };
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        if (access(candidates[i], R_OK) == 0) {
            return candidates[i];
        }
    }
    return NULL;
}

struct text_renderer *text_create(void)
{
    char own[PATH_MAX];
    const char *path = find_font(own, sizeof(own));
    if (!path) {
        log_warn("text", "no font found (install fonts-dejavu-core or set WALL_FONT): "
                         "tiles show no text");
        return NULL;
    }
    if (TTF_Init() != 0) {
        log_warn("text", "SDL2_ttf: %s: tiles show no text", TTF_GetError());
        return NULL;
    }
    struct text_renderer *text = calloc(1, sizeof(*text));
    if (!text || !(text->font_path = strdup(path)) ||
        !(text->font_data = SDL_LoadFile(path, &text->font_size))) {
        log_warn("text", "cannot read %s: tiles show no text", path);
        if (text) {
            free(text->font_path);
        }
        free(text);
        TTF_Quit();
        return NULL;
    }
    log_debug("text", "font %s", path);
    return text;
}

void text_destroy(struct text_renderer *text)
{
    if (!text) {
        return;
    }
    for (int i = 0; i < text->n_fonts; i++) {
        TTF_CloseFont(text->fonts[i].font);
    }
    free(text->font_path);
    SDL_free(text->font_data);
    free(text);
    TTF_Quit();
}

static int outline_for(int size)
{
    return size >= 24 ? 2 : 1;
}

/* The font at `size` pixels, outlined by `outline` pixels (0: the glyphs
 * themselves). Each outline is a font of its own: switching a font's
 * outline empties its glyph cache, and plates are measured every frame
 * they are drawn. */
static TTF_Font *font_for(struct text_renderer *text, int size, int outline)
{
    for (int i = 0; i < text->n_fonts; i++) {
        if (text->fonts[i].size == size && text->fonts[i].outline == outline) {
            return text->fonts[i].font;
        }
    }
    SDL_RWops *rw = SDL_RWFromConstMem(text->font_data, (int)text->font_size);
    TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, size) : NULL;
    if (!font) {
        log_warn("text", "cannot open %s: %s", text->font_path, TTF_GetError());
        return NULL;
    }
    TTF_SetFontOutline(font, outline);
    if (text->n_fonts == MAX_FONTS) {
        /* Sizes follow tile sizes, so few are ever used; recycle the oldest. */
        TTF_CloseFont(text->fonts[0].font);
        memmove(&text->fonts[0], &text->fonts[1], sizeof(text->fonts[0]) * (MAX_FONTS - 1));
        text->n_fonts--;
    }
    text->fonts[text->n_fonts].size = size;
    text->fonts[text->n_fonts].outline = outline;
    text->fonts[text->n_fonts].font = font;
    text->n_fonts++;
    return font;
}

/* The font a label's outline is drawn with: what measures it. */
static TTF_Font *outline_font(struct text_renderer *text, int size)
{
    return text ? font_for(text, size, outline_for(size)) : NULL;
}

/* Width of utf8 as rendered (outline included); -1 when it cannot say. */
static int measure(TTF_Font *outlined, const char *utf8)
{
    int w = 0, h = 0;
    return TTF_SizeUTF8(outlined, utf8, &w, &h) ? -1 : w;
}

/* The longest start of utf8, cut between characters, that fits max_w with
 * "…" after it, into out (size bytes). */
static void ellipsize(TTF_Font *outlined, const char *utf8, int max_w, char *out, size_t out_size)
{
    static const char dots[] = "\u2026";
    size_t len = strlen(utf8);
    /* Binary search over character starts: lo fits (maybe empty), hi not. */
    size_t lo = 0, hi = len;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && ((unsigned char)utf8[mid] & 0xc0) == 0x80) {
            mid--; /* back to the start of its character */
        }
        if (mid == lo) {
            mid = lo + 1;
            while (mid < hi && ((unsigned char)utf8[mid] & 0xc0) == 0x80) {
                mid++;
            }
            if (mid == hi) {
                break;
            }
        }
        int n = snprintf(out, out_size, "%.*s%s", (int)mid, utf8, dots);
        int w = n > 0 && (size_t)n < out_size ? measure(outlined, out) : -1;
        if (w >= 0 && w <= max_w) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    while (lo > 0 && utf8[lo - 1] == ' ') {
        lo--; /* "page 2/5 …" reads as cut; "page 2/5…" as shortened */
    }
    snprintf(out, out_size, "%.*s%s", (int)lo, utf8, dots);
}

/* White glyphs over a black outline, as one RGBA surface. */
static SDL_Surface *render_outlined(TTF_Font *outlined, TTF_Font *plain, const char *utf8,
                                    int outline)
{
    SDL_Color white = {255, 255, 255, 255};
    SDL_Color black = {0, 0, 0, 255};
    SDL_Surface *back = TTF_RenderUTF8_Blended(outlined, utf8, black);
    SDL_Surface *front = TTF_RenderUTF8_Blended(plain, utf8, white);
    SDL_Surface *out = NULL;
    if (back && front) {
        out = SDL_ConvertSurfaceFormat(back, SDL_PIXELFORMAT_ABGR8888, 0);
    }
    if (out) {
        SDL_Rect at = {outline, outline, front->w, front->h};
        SDL_SetSurfaceBlendMode(front, SDL_BLENDMODE_BLEND);
        SDL_BlitSurface(front, NULL, out, &at);
    }
    SDL_FreeSurface(back);
    SDL_FreeSurface(front);
    return out;
}

bool text_label_set(struct text_renderer *text, struct text_label *label, const char *utf8,
                    int size)
{
    if (label->text && label->size == size && strcmp(label->text, utf8) == 0) {
        return label->texture != 0;
    }
    text_label_finish(label);
    label->text = strdup(utf8);
    label->size = size;
    if (!text || !label->text || utf8[0] == '\0') {
        return false;
    }
    int outline = outline_for(size);
    TTF_Font *outlined = font_for(text, size, outline);
    TTF_Font *plain = font_for(text, size, 0);
    if (!outlined || !plain) {
        return false;
    }
    SDL_Surface *surface = render_outlined(outlined, plain, utf8, outline);
    if (!surface) {
        log_warn("text", "cannot render text: %s", TTF_GetError());
        return false;
    }
    glGenTextures(1, &label->texture);
    glBindTexture(GL_TEXTURE_2D, label->texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    /* ABGR8888 is R,G,B,A in memory: GL_RGBA bytes; pitch is a multiple of 4. */
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, surface->w, surface->h, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 surface->pixels);
    label->width = surface->w;
    label->height = surface->h;
    label->pixels = malloc((size_t)surface->w * surface->h * 4);
    if (label->pixels) {
        for (int y = 0; y < surface->h; y++) {
            memcpy(label->pixels + (size_t)y * surface->w * 4,
                   (const uint8_t *)surface->pixels + (size_t)y * surface->pitch,
                   (size_t)surface->w * 4);
        }
    }
    SDL_FreeSurface(surface);
    return true;
}

bool text_label_fit(struct text_renderer *text, struct text_label *label, const char *utf8,
                    int size, int max_w)
{
    if (label->full && label->size == size && label->fit_w == max_w &&
        strcmp(label->full, utf8) == 0) {
        return label->texture != 0;
    }
    TTF_Font *outlined = outline_font(text, size);
    int w = outlined && max_w > 0 ? measure(outlined, utf8) : -1;
    bool ok;
    if (w > max_w) {
        char shown[1024];
        ellipsize(outlined, utf8, max_w, shown, sizeof(shown));
        ok = text_label_set(text, label, shown, size);
    } else {
        ok = text_label_set(text, label, utf8, size);
    }
    free(label->full);
    label->full = strdup(utf8);
    label->fit_w = max_w;
    return ok;
}

int text_width(struct text_renderer *text, const char *utf8, int size)
{
    TTF_Font *outlined = outline_font(text, size);
    int w = outlined ? measure(outlined, utf8) : -1;
    return w < 0 ? 0 : w;
}

int text_fit_size(struct text_renderer *text, const char *utf8, int size, int min_size, int max_w)
{
    int w = text_width(text, utf8, size);
    if (w <= max_w || w <= 0 || size <= min_size) {
        return size;
    }
    /* Widths grow about in step with the size: start there, then step down. */
    int s = (int)((long)size * max_w / w);
    s = s > size - 1 ? size - 1 : s;
    while (s > min_size && text_width(text, utf8, s) > max_w) {
        s--;
    }
    return s < min_size ? min_size : s;
}

int text_height(struct text_renderer *text, int size)
{
    TTF_Font *outlined = outline_font(text, size);
    /* What TTF_SizeUTF8 says is what a render measures, outline included;
     * a line's height does not depend on its text. */
    int w = 0, h = 0;
    return outlined && TTF_SizeUTF8(outlined, "\u00c1y", &w, &h) == 0 ? h : 0;
}

void text_label_finish(struct text_label *label)
{
    if (label->texture) {
        glDeleteTextures(1, &label->texture);
    }
    free(label->full);
    free(label->text);
    free(label->pixels);
    *label = (struct text_label){0};
}
