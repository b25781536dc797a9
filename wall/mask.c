#include "wall/mask.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"

/* The test hook of wall/mask.h: every allocation of masks fails. */
static void *allocate(size_t size)
{
    const char *fail = getenv("WALL_TEST_FAIL_MASK_ALLOC");
    return fail && *fail ? NULL : malloc(size);
}

/* Even-odd scanline fill of one polygon, XOR-ed into `out`, so that masks
 * overlapping each other still mask (the union is taken afterwards). */
static bool fill_polygon(const struct layout_mask *m, uint8_t *out, int size)
{
    double *xs = allocate(sizeof(double) * (size_t)(m->n_points + 1));
    if (!xs) {
        return false;
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
    return true;
}

bool mask_rasterise(const struct layout_mask *masks, int n_masks, uint8_t *out, int size)
{
    size_t n = (size_t)size * size;
    memset(out, 0, n);
    uint8_t *one = allocate(n);
    bool ok = one != NULL;
    for (int k = 0; ok && k < n_masks; k++) {
        memset(one, 0, n);
        ok = fill_polygon(&masks[k], one, size);
        for (size_t i = 0; ok && i < n; i++) {
            out[i] |= one[i] ? 255 : 0;
        }
    }
    free(one);
    if (!ok) {
        memset(out, 255, n); /* a polygon left out would fail open */
    }
    return ok;
}

static void log_failure(const struct layout_camera *camera, const char *why)
{
    log_error("mask",
              "camera %d: its privacy masks cannot be built (%s): showing a slate "
              "instead of its picture",
              camera->number, why);
}

/* The camera's masks rasterised, or NULL (logged). */
static uint8_t *rasterise_camera(const struct layout_camera *camera)
{
    uint8_t *raster = allocate((size_t)MASK_SIZE * MASK_SIZE);
    if (raster && !mask_rasterise(camera->masks, camera->n_masks, raster, MASK_SIZE)) {
        free(raster);
        raster = NULL;
    }
    if (!raster) {
        log_failure(camera, _("out of memory"));
    }
    return raster;
}

uint8_t *mask_raster_create(const struct layout_camera *camera)
{
    return camera->n_masks > 0 ? rasterise_camera(camera) : NULL;
}

GLuint mask_texture_create(const struct layout_camera *camera)
{
    if (camera->n_masks == 0) {
        return 0;
    }
    uint8_t *texels = rasterise_camera(camera);
    if (!texels) {
        return 0;
    }
    while (glGetError() != GL_NO_ERROR) {
        /* earlier errors are not this texture's */
    }
    GLuint tex = 0;
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
    GLenum error = glGetError();
    if (tex == 0 || error != GL_NO_ERROR) {
        char why[32];
        snprintf(why, sizeof(why), _("GL error 0x%x"), error);
        log_failure(camera, why);
        glDeleteTextures(1, &tex);
        return 0;
    }
    return tex;
}

bool mask_failed(const struct layout_camera *camera, GLuint texture, const uint8_t *raster)
{
    return camera->n_masks > 0 && texture == 0 && raster == NULL;
}

const char *mask_status_name(const struct layout_camera *camera, GLuint texture,
                             const uint8_t *raster)
{
    if (camera->n_masks == 0) {
        return "none";
    }
    return mask_failed(camera, texture, raster) ? "failed" : "applied";
}
