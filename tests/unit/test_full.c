/* The full format read into the model: zones, outputs, pages, layouts with
 * spanning and free tiles, tours, bindings, and the examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout_test.h"

static int camera_index(const struct layout_wall *wall, int number)
{
    const struct layout_camera *c = layout_find_camera(wall, number);
    assert_non_null(c);
    return (int)(c - wall->cameras);
}

static void assert_tiles(const struct layout_page *page, const int *cameras, int n)
{
    assert_int_equal(page->n_tiles, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(page->tiles[i].camera, cameras[i]);
    }
}

static void zones_and_outputs(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    assert_int_equal(wall->n_files, 3);
    assert_string_equal(wall->files[1], corpus("inc-credentials.cfg"));
    assert_string_equal(wall->files[2], corpus("inc-registry.cfg"));
    assert_int_equal(wall->width, 3200);
    assert_int_equal(wall->height, 2160);

    assert_int_equal(wall->n_zones, 3);
    const struct layout_zone *ssc = &wall->zones[0], *g911 = &wall->zones[1];
    assert_string_equal(ssc->id, "ssc");
    assert_string_equal(ssc->title, "SSC · Seguridad Ciudadana");
    assert_int_equal(ssc->colour, 0x1e6fd9);
    assert_int_equal(ssc->admits, 1u << LAYOUT_PROGRAMME_SSC);
    assert_string_equal(g911->title, "g911"); /* the id when there is no title */
    assert_int_equal(g911->colour, 0x808080);
    assert_int_equal(g911->admits, 1u << LAYOUT_PROGRAMME_GUARDIANS);
    assert_int_equal(wall->zones[2].admits, 3u);

    assert_int_equal(wall->n_outputs, 3);
    const struct layout_output *a = &wall->outputs[0], *b = &wall->outputs[1];
    assert_string_equal(a->id, "ssc-1");
    assert_int_equal(a->n_monitors, 1);
    assert_int_equal(a->monitors[0].display, 0);
    assert_null(a->monitors[0].display_name);
    assert_rect_is(a->rect, 0, 0, 1920, 1080);
    assert_int_equal(a->zone, 0);
    assert_int_equal(a->background, 0x101418);
    assert_int_equal(a->bezel_x, 12);
    assert_int_equal(a->bezel_y, 10);
    assert_int_equal(b->monitors[0].display, -1);
    assert_string_equal(b->monitors[0].display_name, "HDMI-A-1");
    assert_rect_is(b->rect, 1920, 0, 1280, 720);
    assert_int_equal(b->width, 1280);
    assert_int_equal(b->height, 720);
    assert_int_equal(b->zone, 1);
    assert_int_equal(b->background, 0x000000);
    /* Without `display`, a monitor's display counts the monitors before it. */
    assert_int_equal(wall->outputs[2].monitors[0].display, 2);
    assert_int_equal(wall->outputs[2].zone, 2);
    layout_destroy(wall);
}

static void pages_and_tiles(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    const struct layout_output *a = &wall->outputs[0], *b = &wall->outputs[1];
    int c101 = camera_index(wall, 101), c102 = camera_index(wall, 102);
    assert_int_equal(a->n_pages, 2);
    assert_string_equal(a->pages[0].name, "Centro");
    assert_null(a->pages[1].name);
    assert_string_equal(wall->layouts[a->pages[0].layout].name, "quad");
    assert_string_equal(wall->layouts[a->pages[1].layout].name, "1+5");
    assert_int_equal(a->pages[0].n_tiles, 4);

    const struct layout_tile *t = a->pages[0].tiles;
    assert_int_equal(t[0].camera, c101);
    assert_int_equal(t[1].camera, c102);
    assert_int_equal(t[2].camera, -1);
    assert_int_equal(t[2].tour, 0);
    assert_int_equal(t[3].camera, -1);
    assert_int_equal(t[3].tour, -1);
    assert_rect_is(t[0].rect, 4, 4, 954, 534);
    assert_rect_is(t[3].rect, 962, 542, 954, 534);
    assert_tiles(&a->pages[1], (const int[]){c101, -1, c102, -1, -1, c101}, 6);

    /* 1280 x 720 with gap 4: tiles of 634 x 354. "" is an empty tile. */
    const struct layout_tile *g = b->pages[0].tiles;
    assert_rect_is(g[0].rect, 4, 4, 634, 354);
    assert_rect_is(g[3].rect, 642, 362, 634, 354);
    assert_tiles(&b->pages[0],
                 (const int[]){camera_index(wall, 2101), -1, camera_index(wall, 2102), -1}, 4);
    layout_destroy(wall);
}

/* 1+5 on a 3 x 3 grid with no gap: a 2 x 2 tile and five single cells. */
static void spanning_tiles(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    const struct layout_template *t = &wall->layouts[1];
    assert_int_equal(t->grid.rows, 3);
    assert_int_equal(t->grid.gap, 0);
    assert_int_equal(t->n_slots, 6);
    assert_int_equal(t->slots[0].row_span, 2);
    assert_int_equal(t->slots[0].column_span, 2);
    assert_int_equal(t->slots[0].fit, LAYOUT_FIT_LETTERBOX); /* its own fit */
    assert_int_equal(t->slots[1].fit, LAYOUT_FIT_FILL);      /* the layout's */
    const struct layout_tile *tiles = wall->outputs[0].pages[1].tiles;
    const int rects[6][4] = {{0, 0, 1280, 720},  {1280, 0, 640, 360},  {1280, 360, 640, 360},
                             {0, 720, 640, 360}, {640, 720, 640, 360}, {1280, 720, 640, 360}};
    for (int i = 0; i < 6; i++) {
        assert_rect_is(tiles[i].rect, rects[i][0], rects[i][1], rects[i][2], rects[i][3]);
        assert_false(tiles[i].free);
        assert_int_equal(tiles[i].fit, t->slots[i].fit);
    }
    layout_destroy(wall);
}

/* Free areas are slots after the grid ones, in output pixels per output. */
static void pip_tiles(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-no-zones.cfg"));
    const struct layout_template *t = &wall->layouts[0];
    assert_int_equal(t->n_slots, 3);
    assert_false(t->slots[0].free);
    assert_true(t->slots[1].free);
    assert_true(t->slots[1].area_origin.x == 0.7 && t->slots[1].area_size.y == 0.28);
    assert_int_equal(t->slots[1].fit, LAYOUT_FIT_FILL);
    assert_int_equal(t->slots[2].fit, LAYOUT_FIT_LETTERBOX);

    const struct layout_tile *left = wall->outputs[0].pages[0].tiles;
    assert_rect_is(left[0].rect, 0, 0, 1920, 1080);
    assert_rect_is(left[1].rect, 1344, 756, 538, 302);
    assert_rect_is(left[2].rect, 0, 0, 480, 270);
    assert_true(left[1].free && left[2].free);
    const struct layout_tile *right = wall->outputs[1].pages[0].tiles;
    assert_rect_is(right[0].rect, 0, 0, 1000, 500);
    assert_rect_is(right[1].rect, 700, 350, 280, 140);
    assert_rect_is(right[2].rect, 0, 0, 250, 125);
    assert_int_equal(right[0].camera, camera_index(wall, 2));
    layout_destroy(wall);
}

/* No zones in the file: the built-in zone "default" admits every programme. */
/* Two monitors side by side as one output: the picture is the monitors
 * plus the bezels between them, each monitor shows its part, and a tile
 * across the seam keeps the strip behind the bezels. */
static void monitor_group(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-monitors.cfg"));
    const struct layout_output *pair = &wall->outputs[0], *side = &wall->outputs[1];
    assert_int_equal(pair->n_monitors, 2);
    assert_int_equal(pair->rows, 1);
    assert_int_equal(pair->columns, 2);
    assert_int_equal(pair->width, 3840 + 2 * 20);
    assert_int_equal(pair->height, 1080);
    assert_int_equal(pair->monitor_width, 1920);
    assert_int_equal(pair->monitor_height, 1080);
    assert_string_equal(pair->monitors[0].display_name, "DP-1");
    assert_string_equal(pair->monitors[1].display_name, "DP-2");
    assert_rect_is(pair->monitors[0].rect, 0, 0, 1920, 1080);
    assert_rect_is(pair->monitors[1].rect, 1920, 0, 1920, 1080);
    assert_rect_is(pair->monitors[0].view, 0, 0, 1920, 1080);
    assert_rect_is(pair->monitors[1].view, 1960, 0, 1920, 1080);
    /* 4 columns of 970 on the 3880-pixel picture: the spanning tile runs
     * from 970 to 2910, across the hidden strip 1920..1960. */
    assert_rect_is(pair->pages[0].tiles[0].rect, 970, 0, 1940, 540);
    /* Monitors without `display` count on from the ones before. */
    assert_int_equal(side->n_monitors, 1);
    assert_int_equal(side->monitors[0].display, 2);
    assert_int_equal(side->width, 1920);
    assert_rect_is(side->monitors[0].view, 0, 0, 1920, 1080);
    assert_int_equal(wall->width, 5760);
    layout_destroy(wall);
}

static void default_zone(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-no-zones.cfg"));
    assert_int_equal(wall->n_zones, 1);
    assert_string_equal(wall->zones[0].id, "default");
    assert_int_equal(wall->outputs[0].zone, 0);
    assert_int_equal(wall->outputs[1].zone, 0);
    assert_string_equal(wall->outputs[1].monitors[0].display_name, "DP-2");
    assert_int_equal(wall->width, 2930);
    assert_true(layout_zone_admits(&wall->zones[0], layout_find_camera(wall, 2)));
    layout_destroy(wall);
}

static void zone_admits(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    const struct layout_zone *ssc = &wall->zones[0], *g911 = &wall->zones[1];
    const struct layout_zone *both = &wall->zones[2];
    const struct layout_camera *street = layout_find_camera(wall, 101);
    const struct layout_camera *bank = layout_find_camera(wall, 2101);
    const struct layout_camera *suspended = layout_find_camera(wall, 103);
    const struct layout_camera *removed = layout_find_camera(wall, 2103);
    assert_true(layout_zone_admits(ssc, street));
    assert_false(layout_zone_admits(ssc, bank));
    assert_true(layout_zone_admits(g911, bank));
    assert_false(layout_zone_admits(g911, street));
    assert_true(layout_zone_admits(both, street) && layout_zone_admits(both, bank));
    assert_false(layout_zone_admits(both, suspended));
    assert_false(layout_zone_admits(both, removed));
    assert_false(layout_zone_admits(NULL, street));
    assert_false(layout_zone_admits(ssc, NULL));
    assert_string_equal(layout_programme_name(LAYOUT_PROGRAMME_SSC), "ssc");
    assert_string_equal(layout_programme_name(LAYOUT_PROGRAMME_GUARDIANS), "guardians");
    layout_destroy(wall);
}

static void tours(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    assert_int_equal(wall->n_tours, 1);
    const struct layout_tour *t = &wall->tours[0];
    assert_string_equal(t->name, "centro");
    assert_true(t->dwell == 10.0);
    assert_int_equal(t->n_cameras, 2);
    assert_int_equal(t->cameras[0], camera_index(wall, 101));
    assert_int_equal(t->cameras[1], camera_index(wall, 102));
    layout_destroy(wall);
}

static void bindings_and_settings(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-keys.cfg"));
    assert_int_equal(wall->hwaccel, HWACCEL_NONE);
    assert_true(wall->hwaccel_set);
    /* In the order of the actions' table, only those the file sets. */
    assert_int_equal(wall->n_bindings, 4);
    const struct layout_binding *b = wall->bindings;
    assert_string_equal(b[0].action, "maximize");
    assert_int_equal(b[0].id, LAYOUT_ACTION_MAXIMIZE);
    assert_int_equal(b[0].n_keys, 1);
    assert_string_equal(b[0].keys[0], "Return");
    assert_int_equal(b[0].n_buttons, 1);
    assert_int_equal(b[0].buttons[0], 0);
    assert_int_equal(b[0].line, 7);
    assert_ptr_equal(b[0].file, wall->files[0]);
    assert_string_equal(b[1].action, "next_page");
    assert_int_equal(b[1].n_keys, 2);
    assert_string_equal(b[1].keys[1], "Keypad +");
    assert_int_equal(b[1].n_buttons, 0);
    assert_string_equal(b[2].action, "zoom");
    assert_int_equal(b[2].n_keys, 0);
    assert_int_equal(b[2].n_buttons, 2);
    assert_int_equal(b[2].buttons[1], 7);
    assert_int_equal(b[2].line, 12);
    assert_string_equal(b[3].action, "page_12");
    assert_int_equal(b[3].id, LAYOUT_ACTION_PAGE_12);
    assert_string_equal(b[3].keys[0], "F12");
    layout_destroy(wall);
}

/* One name per action, the one the file spells; quit is one of them. */
static void action_names(void **state)
{
    for (int a = 0; a < LAYOUT_ACTION_COUNT; a++) {
        const char *name = layout_action_name((enum layout_action)a);
        assert_non_null(name);
        for (int b = 0; b < a; b++) {
            assert_string_not_equal(name, layout_action_name((enum layout_action)b));
        }
    }
    assert_string_equal(layout_action_name(LAYOUT_ACTION_PAGE_1 + 2), "page_3");
    assert_string_equal(layout_action_name(LAYOUT_ACTION_QUIT), "quit");
    assert_null(layout_action_name(LAYOUT_ACTION_COUNT));
    assert_null(layout_action_name((enum layout_action) - 1));

    char path[] = "/tmp/wall-quit-XXXXXX";
    FILE *f = temp_file(path);
    fputs("layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
          "outputs = ( { id = \"main\"; rect = [0, 0, 1920, 1080];\n"
          "  pages = ( { layout = \"one\"; tiles = (0); } ); } );\n"
          "keys = { quit = \"Ctrl+X\"; };\n"
          "buttons = { quit = 9; };\n",
          f);
    assert_int_equal(fclose(f), 0);
    struct layout_wall *wall = load_clean(path);
    unlink(path);
    assert_int_equal(wall->n_bindings, 1);
    assert_int_equal(wall->bindings[0].id, LAYOUT_ACTION_QUIT);
    assert_string_equal(wall->bindings[0].action, "quit");
    assert_string_equal(wall->bindings[0].keys[0], "Ctrl+X");
    assert_int_equal(wall->bindings[0].buttons[0], 9);
    layout_destroy(wall);
}

/* Every tile of every page shows what its zone admits. */
static void assert_pages_admitted(const struct layout_wall *wall)
{
    for (int o = 0; o < wall->n_outputs; o++) {
        const struct layout_output *out = &wall->outputs[o];
        const struct layout_zone *zone = &wall->zones[out->zone];
        for (int p = 0; p < out->n_pages; p++) {
            const struct layout_page *page = &out->pages[p];
            assert_int_equal(page->n_tiles, wall->layouts[page->layout].n_slots);
            for (int t = 0; t < page->n_tiles; t++) {
                const struct layout_tile *tile = &page->tiles[t];
                if (tile->camera >= 0) {
                    assert_true(layout_zone_admits(zone, &wall->cameras[tile->camera]));
                }
                for (int k = 0; tile->tour >= 0 && k < wall->tours[tile->tour].n_cameras; k++) {
                    int c = wall->tours[tile->tour].cameras[k];
                    assert_true(layout_zone_admits(zone, &wall->cameras[c]));
                }
            }
        }
    }
}

static void c5_example(void **state)
{
    struct layout_wall *wall = load_clean(example("c5-cancun.cfg"));
    assert_int_equal(wall->n_files, 3);
    assert_int_equal(wall->width, 5760);
    assert_int_equal(wall->height, 2160);
    assert_int_equal(wall->n_zones, 2);
    assert_int_equal(wall->n_outputs, 6);
    int per_zone[2] = {0, 0};
    for (int o = 0; o < wall->n_outputs; o++) {
        assert_rect_is(wall->outputs[o].rect, wall->outputs[o].rect.x, wall->outputs[o].rect.y,
                       1920, 1080);
        per_zone[wall->outputs[o].zone]++;
    }
    assert_int_equal(per_zone[0], 4);
    assert_int_equal(per_zone[1], 2);
    assert_true(wall->n_tours >= 1);
    assert_true(wall->n_bindings >= 1);
    assert_pages_admitted(wall);

    int programmes[2] = {0, 0}, inactive = 0, homes = 0;
    for (int i = 0; i < wall->n_cameras; i++) {
        const struct layout_camera *c = &wall->cameras[i];
        programmes[c->programme]++;
        inactive += c->status != LAYOUT_STATUS_ACTIVE;
        if (c->site == LAYOUT_SITE_HOME) {
            homes++;
            assert_true(c->n_masks >= 1); /* privacy masks on every home camera */
        }
        assert_non_null(c->username);
        assert_null(strchr(c->url, '@'));
        assert_ptr_equal(layout_find_camera(wall, c->number), c);
    }
    assert_int_equal(programmes[LAYOUT_PROGRAMME_SSC], 2900);
    assert_int_equal(programmes[LAYOUT_PROGRAMME_GUARDIANS], 1850);
    assert_true(inactive > 0 && homes > 0);
    layout_destroy(wall);
}

/* Each layout of the example with spanning tiles or pip is used somewhere. */
static void c5_example_layouts(void **state)
{
    struct layout_wall *wall = load_clean(example("c5-cancun.cfg"));
    bool spanning = false, pip = false;
    for (int l = 0; l < wall->n_layouts; l++) {
        for (int s = 0; s < wall->layouts[l].n_slots; s++) {
            const struct layout_slot *slot = &wall->layouts[l].slots[s];
            spanning = spanning || (!slot->free && slot->row_span > 1);
            pip = pip || slot->free;
        }
    }
    assert_true(spanning && pip);
    layout_destroy(wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zones_and_outputs),
        cmocka_unit_test(pages_and_tiles),
        cmocka_unit_test(spanning_tiles),
        cmocka_unit_test(pip_tiles),
        cmocka_unit_test(monitor_group),
        cmocka_unit_test(default_zone),
        cmocka_unit_test(zone_admits),
        cmocka_unit_test(tours),
        cmocka_unit_test(bindings_and_settings),
        cmocka_unit_test(action_names),
        cmocka_unit_test(c5_example),
        cmocka_unit_test(c5_example_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
