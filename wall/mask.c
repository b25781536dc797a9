#include "wall/mask.h"

#include <stdlib.h>
#include <string.h>

/* Even-odd scanline fill of one polygon, XOR-ed into `out`, so that masks
 * overlapping each other still mask (the union is taken afterwards). */
static void fill_polygon(const struct layout_mask *m, uint8_t *out, int size)
{
    double *xs = malloc(sizeof(double) * (size_t)(m->n_points + 1));
    if (!xs) {
        return;
    }
    for (int row = 0; row < size; row++) {
        double y = (row + 0.5) / size;
        int n = 0;
        for (int i = 0; i < m->n_points; i++) {
            struct layout_point a = m->points[i];
            struct layout_point b = m->points[(i + 1) % m->n_points];
            if ((a.y <= y && b.y > y) || (b.y <= y && a.y > y)) {
                xs[n++] = a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x);
            }
        }
        /* Sort the few crossings (insertion sort: polygons are small). */
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
                double t = xs[j];
                xs[j] = xs[j - 1];
                xs[j - 1] = t;
            }
        }
        for (int i = 0; i + 1 < n; i += 2) {
            int x0 = (int)(xs[i] * size + 0.5), x1 = (int)(xs[i + 1] * size + 0.5);
            x0 = x0 < 0 ? 0 : x0;
            x1 = x1 > size ? size : x1;
            for (int x = x0; x < x1; x++) {
                out[(size_t)row * size + x] ^= 1;
            }
        }
    }
    free(xs);
}

void mask_rasterise(const struct layout_mask *masks, int n_masks, uint8_t *out, int size)
{
    memset(out, 0, (size_t)size * size);
    uint8_t *one = calloc((size_t)size * size, 1);
    if (!one) {
        /* Without scratch memory, fail closed: mask the whole picture. */
        memset(out, 255, (size_t)size * size);
        return;
    }
    for (int k = 0; k < n_masks; k++) {
        memset(one, 0, (size_t)size * size);
        fill_polygon(&masks[k], one, size);
        for (size_t i = 0; i < (size_t)size * size; i++) {
            out[i] |= one[i] ? 255 : 0;
        }
    }
    free(one);
}

uint8_t *mask_raster_create(const struct layout_camera *camera)
{
    if (camera->n_masks == 0) {
        return NULL;
    }
    uint8_t *raster = malloc((size_t)MASK_SIZE * MASK_SIZE);
    if (raster) {
        mask_rasterise(camera->masks, camera->n_masks, raster, MASK_SIZE);
    }
    return raster;
}

GLuint mask_texture_create(const struct layout_camera *camera)
{
    if (camera->n_masks == 0) {
        return 0;
    }
    uint8_t *texels = malloc((size_t)MASK_SIZE * MASK_SIZE);
    GLuint tex = 0;
    if (!texels) {
        return 0;
    }
    mask_rasterise(camera->masks, camera->n_masks, texels, MASK_SIZE);
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    /* Nearest: a fragment is masked or not, never half-blended. */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_LUMINANCE, MASK_SIZE, MASK_SIZE, 0, GL_LUMINANCE,
                 GL_UNSIGNED_BYTE, texels);
    free(texels);
    return tex;
}
