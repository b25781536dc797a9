/*
 * The OSD in Spanish (issue 19), on a headless wall in-process (the input
 * harness), under the C locale as a kiosk session runs:
 * - wall.language = "es" puts SIN SEÑAL on a dead camera's slate, and the
 *   slate's pixels are that text as the wall's font renders it, Ñ and all
 *   (not SIN SENAL), while the process's own messages stay English;
 * - accented capitals and Ñ render with their marks above the letter;
 * - a text too long for its room is shortened with "…" and keeps its
 *   start; in a narrow tile every plate stays inside the tile and none
 *   overlaps another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <locale.h>

#include <cJSON.h>
#include <cmocka.h>

#include "common/i18n.h"
#include "tests/wall/input_harness.h"
#include "wall/text.h"
#include "wall/tiles.h"

#define NO_SIGNAL_ES "SIN SEÑAL"

struct found {
    struct layout_rect rect;
    char text[256];
};

/* The plates of output `output`, from the `plates` command; returns how
 * many (at most max). */
static int plates_of(struct fixture *fx, const char *output, struct found *out, int max)
{
    static char reply[1 << 18];
    harness_reply(fx, "plates", reply, sizeof(reply));
    assert_memory_equal(reply, "OK ", 3);
    cJSON *all = cJSON_Parse(reply + 3);
    assert_non_null(all);
    int n = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, all)
    {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(p, "output"));
        if (n == max || !id || strcmp(id, output) != 0) {
            continue;
        }
        out[n].rect = (struct layout_rect){
            (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "x")),
            (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "y")),
            (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "w")),
            (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "h")),
        };
        snprintf(out[n].text, sizeof(out[n].text), "%s",
                 cJSON_GetStringValue(cJSON_GetObjectItem(p, "text")));
        n++;
    }
    cJSON_Delete(all);
    return n;
}

static bool find_plate(struct fixture *fx, const char *output, const char *text,
                       struct found *plate)
{
    struct found all[64];
    int n = plates_of(fx, output, all, 64);
    for (int i = 0; i < n; i++) {
        if (strcmp(all[i].text, text) == 0) {
            *plate = all[i];
            return true;
        }
    }
    return false;
}

/* Renders `text` at the size whose label is w x h; fails when none is. */
static void render_at(struct text_renderer *tr, struct text_label *label, const char *text, int w,
                      int h)
{
    for (int size = 6; size <= 96; size++) {
        text_label_set(tr, label, text, size);
        if (label->width == w && label->height == h) {
            return;
        }
    }
    fail_msg("no size renders \"%s\" as %d x %d", text, w, h);
}

/* Pixels of `rect` in the snapshot that differ (more than 3 per channel)
 * from `label` drawn over `background`. */
static int differing(const struct harness_picture *pic, struct layout_rect rect,
                     const struct text_label *label, uint32_t background)
{
    assert_non_null(label->pixels);
    int bg[3] = {(int)(background >> 16) & 0xff, (int)(background >> 8) & 0xff,
                 (int)background & 0xff};
    int n = 0;
    for (int y = 0; y < rect.h; y++) {
        for (int x = 0; x < rect.w; x++) {
            const uint8_t *src = label->pixels + ((size_t)y * label->width + x) * 4;
            const uint8_t *got = pic->rgb + ((size_t)(rect.y + y) * pic->width + rect.x + x) * 3;
            for (int c = 0; c < 3; c++) {
                int want = (src[c] * src[3] + bg[c] * (255 - src[3]) + 127) / 255;
                if (abs(want - got[c]) > 3) {
                    n++;
                    break;
                }
            }
        }
    }
    return n;
}

/* A wall on the harness layout with `extra`, camera 101's clip missing
 * (red.mp4 is moved away until the teardown puts it back). */
static void start_wall(struct fixture *fx, const char *extra)
{
    wall_destroy(fx->wall);
    char clip[128], away[128];
    snprintf(clip, sizeof(clip), "%s/red.mp4", harness_clip_dir);
    snprintf(away, sizeof(away), "%s/red.away", harness_clip_dir);
    assert_int_equal(rename(clip, away), 0);
    harness_write_layout(fx, extra);
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);
}

static int teardown(void **state)
{
    char clip[128], away[128];
    snprintf(clip, sizeof(clip), "%s/red.mp4", harness_clip_dir);
    snprintf(away, sizeof(away), "%s/red.away", harness_clip_dir);
    if (access(away, F_OK) == 0) {
        rename(away, clip);
    }
    char why[256];
    i18n_set_osd_language(NULL, why, sizeof(why));
    setlocale(LC_MESSAGES, "C");
    return harness_teardown(state);
}

/* The slate of camera 101 says SIN SEÑAL, in the pixels of that text as
 * the wall's font renders it, Ñ and all. */
static void expect_sin_senal(struct fixture *fx)
{
    struct found plate;
    STEP_UNTIL(fx, find_plate(fx, "ssc-1", NO_SIGNAL_ES, &plate));
    struct layout_rect tile = harness_tile_rect(fx, 0, 1);
    assert_true(plate.rect.x >= tile.x && plate.rect.x + plate.rect.w <= tile.x + tile.w);

    /* The slate's pixels are the text as the wall's font renders it. */
    struct harness_picture pic = harness_snapshot(fx);
    struct text_renderer *tr = text_create();
    assert_non_null(tr);
    struct text_label label = {0};
    render_at(tr, &label, NO_SIGNAL_ES, plate.rect.w, plate.rect.h);
    assert_int_equal(differing(&pic, plate.rect, &label, TILE_SLATE_NO_SIGNAL), 0);
    /* ... and not the same words without the tilde: the Ñ is drawn. */
    struct text_label plain = {0};
    text_label_set(tr, &plain, "SIN SENAL", label.size);
    assert_int_equal(plain.width, label.width);
    assert_true(differing(&pic, plate.rect, &plain, TILE_SLATE_NO_SIGNAL) > 10);
    text_label_finish(&plain);
    text_label_finish(&label);
    text_destroy(tr);
    free(pic.rgb);
}

static void no_signal_in_spanish(void **state)
{
    struct fixture *fx = *state;
    start_wall(fx, "wall = { language = \"es\"; };\n");
    expect_sin_senal(fx);

    /* The OSD's language only: the socket still answers in English. */
    char reply[256];
    harness_reply(fx, "page ssc-1 9", reply, sizeof(reply));
    assert_non_null(strstr(reply, "ERR "));
    assert_null(strstr(reply, "debe"));
}

/* Under LANG=es_MX.UTF-8 everything speaks Spanish, the socket too; and
 * wall.language = "en" keeps the OSD English there. */
static void locale_es_mx(void **state)
{
    struct fixture *fx = *state;
    assert_non_null(setlocale(LC_MESSAGES, "es_MX.UTF-8")); /* tools/install-deps.sh --tests */
    start_wall(fx, "");
    expect_sin_senal(fx);
    char reply[256];
    harness_reply(fx, "page ssc-1 9", reply, sizeof(reply));
    assert_non_null(strstr(reply, "ERR "));
    assert_non_null(strstr(reply, "(se leyó '9')"));

    wall_destroy(fx->wall);
    harness_write_layout(fx, "wall = { language = \"en\"; };\n");
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);
    struct found plate;
    STEP_UNTIL(fx, find_plate(fx, "ssc-1", "NO SIGNAL", &plate));
}

/* Without wall.language the OSD follows the locale: C, English. */
static void english_without_language(void **state)
{
    struct fixture *fx = *state;
    start_wall(fx, "");
    struct found plate;
    STEP_UNTIL(fx, find_plate(fx, "ssc-1", "NO SIGNAL", &plate));
    assert_false(find_plate(fx, "ssc-1", NO_SIGNAL_ES, &plate));
}

/* The topmost row of `label` with ink (alpha over half). */
static int top_ink(const struct text_label *label)
{
    for (int y = 0; y < label->height; y++) {
        for (int x = 0; x < label->width; x++) {
            if (label->pixels[((size_t)y * label->width + x) * 4 + 3] > 128) {
                return y;
            }
        }
    }
    return label->height;
}

static void accented_capitals_render(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"Á", "A"}, {"É", "E"}, {"Í", "I"}, {"Ó", "O"}, {"Ú", "U"}, {"Ü", "U"}, {"Ñ", "N"},
    };
    struct text_renderer *tr = text_create();
    assert_non_null(tr);
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        struct text_label accented = {0}, plain = {0};
        assert_true(text_label_set(tr, &accented, pairs[i][0], 48));
        assert_true(text_label_set(tr, &plain, pairs[i][1], 48));
        /* Its mark stands above the capital's top: ink where the plain
         * letter has none. */
        if (top_ink(&accented) + 4 > top_ink(&plain)) {
            fail_msg("%s: ink from row %d, %s from row %d: no mark above it", pairs[i][0],
                     top_ink(&accented), pairs[i][1], top_ink(&plain));
        }
        text_label_finish(&accented);
        text_label_finish(&plain);
    }
    text_destroy(tr);
}

static void long_text_is_shortened(void **state)
{
    (void)state;
    struct text_renderer *tr = text_create();
    assert_non_null(tr);
    struct text_label label = {0};
    const char *text = "último cuadro hace 12 min · reconectando";
    assert_true(text_label_fit(tr, &label, text, 20, 120));
    assert_true(label.width <= 120);
    size_t n = strlen(label.text);
    assert_true(n > 3 && strcmp(label.text + n - 3, "…") == 0);
    assert_memory_equal(label.text, text, n - 3); /* its start, whole characters */
    assert_string_equal(label.full, text);
    /* What fits is left as it is. */
    assert_true(text_label_fit(tr, &label, "SIN SEÑAL", 20, 400));
    assert_string_equal(label.text, "SIN SEÑAL");
    text_label_finish(&label);
    text_destroy(tr);
}

static bool overlaps(struct layout_rect a, struct layout_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The row page's tiles are a quarter of 640 pixels wide: the Spanish
 * slate of camera 101 there keeps every plate inside and apart. */
static void narrow_tile_keeps_its_plates(void **state)
{
    struct fixture *fx = *state;
    start_wall(fx, "wall = { language = \"es\"; };\n");
    harness_command(fx, "page ssc-1 2");
    harness_command(fx, "put 101 ssc-1 2");
    struct found plate;
    STEP_UNTIL(fx, find_plate(fx, "ssc-1", "101  Rojo", &plate) &&
                       !find_plate(fx, "ssc-1", "CONECTANDO", &plate));
    struct found all[64];
    int n = plates_of(fx, "ssc-1", all, 64);
    struct layout_wall *layout = harness_load(fx->path);
    struct layout_rect tile = layout->outputs[0].pages[1].tiles[1].rect; /* page 2, tile 2 */
    layout_destroy(layout);
    int inside = 0;
    for (int i = 0; i < n; i++) {
        struct layout_rect r = all[i].rect;
        if (!overlaps(r, tile)) {
            continue;
        }
        inside++;
        if (r.x < tile.x || r.y < tile.y || r.x + r.w > tile.x + tile.w ||
            r.y + r.h > tile.y + tile.h) {
            fail_msg("plate \"%s\" at %d,%d %dx%d leaves its tile %d,%d %dx%d", all[i].text, r.x,
                     r.y, r.w, r.h, tile.x, tile.y, tile.w, tile.h);
        }
        for (int j = 0; j < i; j++) {
            if (overlaps(r, all[j].rect)) {
                fail_msg("plates \"%s\" and \"%s\" overlap", all[i].text, all[j].text);
            }
        }
    }
    assert_true(inside >= 2);
}

int main(void)
{
    /* A kiosk session: the C locale, whatever the test runner has. */
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    unsetenv("LANGUAGE");
    setenv("LANG", "C", 1);
    i18n_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_signal_in_spanish, harness_setup, teardown),
        cmocka_unit_test_setup_teardown(locale_es_mx, harness_setup, teardown),
        cmocka_unit_test_setup_teardown(english_without_language, harness_setup, teardown),
        cmocka_unit_test_setup_teardown(accented_capitals_render, harness_setup, teardown),
        cmocka_unit_test_setup_teardown(long_text_is_shortened, harness_setup, teardown),
        cmocka_unit_test_setup_teardown(narrow_tile_keeps_its_plates, harness_setup, teardown),
    };
    return cmocka_run_group_tests(tests, harness_make_clips, harness_remove_clips);
}
