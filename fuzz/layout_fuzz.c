/* Fuzz target: the layout-file parser and validator (layout_load).
 *
 * The input is one to four files separated by a line "%%": the first is
 * the layout file (w.cfg), the others a.cfg, b.cfg and c.cfg beside it, so
 * that `@include "a.cfg"` reaches fuzzed text too. Each run writes them to
 * a private folder, loads, formats every message as `wall --check` would,
 * and, when the layout validated, follows every index the model holds the
 * way the wall does: an index the validator let through out of range is
 * then an out-of-bounds read that AddressSanitizer reports. Nothing else
 * is asserted; the sanitizers judge. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/sandbox.h"
#include "layouts/layout.h"

#define MAX_FILES 4

static const char separator[] = "\n%%\n";
static const char *const names[MAX_FILES] = {"w.cfg", "a.cfg", "b.cfg", "c.cfg"};
static char paths[MAX_FILES][96];
static FILE *sink; /* where messages are printed: /dev/null */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sandbox_no_network();
    static char dir[] = "/tmp/wall-layout-fuzz-XXXXXX";
    if (!mkdtemp(dir) || !(sink = fopen("/dev/null", "w"))) {
        perror("layout_fuzz: setting up");
        exit(1);
    }
    for (int i = 0; i < MAX_FILES; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
    }
    return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort(); /* the fuzzer's own machinery failed: stop, do not blame the input */
    }
}

/* Reads one byte at every index the model holds, as the wall's code does
 * without checking again (layouts/layout.h: what validation guarantees). */
static unsigned walk(const struct layout_wall *w)
{
    unsigned sum = 0;
    for (int i = 0; i < w->n_files; i++) {
        sum += (unsigned char)w->files[i][0];
    }
    for (int i = 0; i < w->n_cameras; i++) {
        const struct layout_camera *c = &w->cameras[i];
        sum += (unsigned char)c->name[0] + (unsigned char)c->url[0];
        sum += layout_find_camera(w, c->number) != NULL;
        for (int m = 0; m < c->n_masks; m++) {
            for (int p = 0; p < c->masks[m].n_points; p++) {
                sum += c->masks[m].points[p].x > 0.5;
            }
        }
        sum += (unsigned)strlen(layout_programme_name(c->programme));
    }
    for (int i = 0; i < w->n_cameras; i++) {
        sum += (unsigned)w->cameras[w->by_number[i]].number;
    }
    for (int i = 0; i < w->n_tours; i++) {
        for (int k = 0; k < w->tours[i].n_cameras; k++) {
            sum += (unsigned char)w->cameras[w->tours[i].cameras[k]].name[0];
        }
    }
    for (int i = 0; i < w->n_layouts; i++) {
        sum += (unsigned)w->layouts[i].n_slots + (unsigned char)w->layouts[i].name[0];
    }
    for (int o = 0; o < w->n_outputs; o++) {
        const struct layout_output *out = &w->outputs[o];
        const struct layout_zone *zone = &w->zones[out->zone];
        sum += (unsigned char)out->id[0] + (unsigned char)zone->id[0];
        for (int p = 0; p < out->n_pages; p++) {
            const struct layout_page *page = &out->pages[p];
            sum += (unsigned)w->layouts[page->layout].n_slots;
            for (int t = 0; t < page->n_tiles; t++) {
                const struct layout_tile *tile = &page->tiles[t];
                sum += (unsigned)tile->rect.w;
                if (tile->camera >= 0) {
                    sum += layout_zone_admits(zone, &w->cameras[tile->camera]);
                }
                if (tile->tour >= 0) {
                    sum += (unsigned)w->tours[tile->tour].n_cameras;
                }
            }
        }
    }
    /* A file with stations has a broker: url, host and wall_id are set. */
    for (int i = 0; i < w->n_stations; i++) {
        const struct layout_station *s = &w->stations[i];
        sum += (unsigned char)s->name[0] + (unsigned char)w->broker.url[0];
        sum += layout_find_station(w, s->name) == s;
        for (int k = 0; k < s->n_outputs; k++) {
            sum += (unsigned char)w->outputs[s->outputs[k]].id[0];
        }
        for (int k = 0; k < s->n_standby_for; k++) {
            sum += (unsigned)w->stations[s->standby_for[k]].n_outputs;
        }
    }
    if (w->broker.url) {
        sum += (unsigned char)w->broker.host[0] + (unsigned char)w->broker.wall_id[0];
        sum += (unsigned)w->broker.port;
    }
    for (int i = 0; i < w->n_bindings; i++) {
        const struct layout_binding *b = &w->bindings[i];
        sum += (unsigned char)b->action[0];
        for (int k = 0; k < b->n_keys; k++) {
            sum += (unsigned char)b->keys[k][0];
        }
        for (int k = 0; k < b->n_buttons; k++) {
            sum += (unsigned)b->buttons[k];
        }
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int i = 0; i < MAX_FILES; i++) {
        unlink(paths[i]);
    }
    const uint8_t *part = data;
    size_t left = size;
    for (int i = 0; i < MAX_FILES; i++) {
        const uint8_t *end =
            i + 1 < MAX_FILES ? memmem(part, left, separator, sizeof(separator) - 1) : NULL;
        size_t len = end ? (size_t)(end - part) : left;
        write_file(paths[i], part, len);
        if (!end) {
            break;
        }
        part = end + sizeof(separator) - 1;
        left -= len + sizeof(separator) - 1;
    }

    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *w = layout_load(paths[0], &diags);
    char line[1024];
    for (int i = 0; i < diags.count; i++) {
        diag_format(&diags.items[i], line, sizeof(line));
    }
    diag_list_print(&diags, sink);
    diag_list_finish(&diags);
    if (w) {
        volatile unsigned sum = walk(w);
        (void)sum;
    }
    layout_destroy(w);
    return 0;
}
