/*
 * Text: UTF-8 strings rendered once into GL textures with SDL2_ttf,
 * white on a dark outline so they read over any picture.
 *
 * A text_label is re-rendered only when its string or size changes; drawing
 * it every frame costs one textured quad. Fonts are opened once per pixel
 * size and kept in the text_renderer.
 *
 * Font: $WALL_FONT, else the DejaVu Sans Bold bundled in assets/ or
 * installed by Debian's fonts-dejavu-core. Without any font the wall still
 * runs: labels stay empty and text_create() logs why once.
 *
 * Threads: render thread only (GL).
 */
#ifndef WALL_TEXT_H
#define WALL_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <GLES3/gl3.h>

struct text_renderer;

struct text_label {
    GLuint texture; /* 0 while empty */
    int width, height;
    uint8_t *pixels; /* the same picture, RGBA (straight alpha), width*4 a row:
                        what a CPU canvas blends (wall/render_cpu.h) */
    int size;        /* pixel size it was rendered at */
    char *text;      /* what it shows; owned */
    char *full;      /* text_label_fit(): the text asked for (`text` may be
                        shortened); NULL otherwise; owned */
    int fit_w;       /* text_label_fit(): the width it was fitted to */
};

/* NULL when SDL2_ttf or every font fails (logged); callers treat NULL as
 * "no text" and go on. */
struct text_renderer *text_create(void);
void text_destroy(struct text_renderer *text);

/* Makes `label` show `utf8` at `size` pixels. Cheap when nothing changed.
 * False when it cannot (no font, out of memory): the label is empty. */
bool text_label_set(struct text_renderer *text, struct text_label *label, const char *utf8,
                    int size);

/* Like text_label_set(), but never wider than max_w pixels: text that is
 * wider shows as its longest start, cut between characters, with "…"
 * after it (label->text is what shows, label->full what was asked for).
 * Cheap when text, size and max_w did not change. Plates use it: a text
 * that is longer in another language is shortened, never squeezed or
 * spilled onto its neighbours. */
bool text_label_fit(struct text_renderer *text, struct text_label *label, const char *utf8,
                    int size, int max_w);

/* The largest size from `size` down to `min_size` at which utf8 is at most
 * max_w pixels wide; min_size when none is (text_label_fit then shortens
 * it). */
int text_fit_size(struct text_renderer *text, const char *utf8, int size, int min_size, int max_w);

/* The width utf8 renders at, and the height of any text, at `size` pixels
 * (0 without a font): what a label of it will measure. */
int text_width(struct text_renderer *text, const char *utf8, int size);
int text_height(struct text_renderer *text, int size);

/* Frees the label's texture and string; the label is empty afterwards. */
void text_label_finish(struct text_label *label);

#endif
