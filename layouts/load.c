#include "layouts/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

#define PEEK_MAX 64 /* longest name peeked at for messages */

void load_out_of_memory(struct load *load)
{
    diag_add(load->reader.diags, DIAG_ERROR, load->wall ? load->wall->path : NULL, 0,
             "out of memory");
}

char *load_strdup(struct load *load, const char *text)
{
    if (!text) {
        return NULL;
    }
    char *copy = strdup(text);
    if (!copy) {
        load_out_of_memory(load);
    }
    return copy;
}

void *load_calloc(struct load *load, int n, size_t size)
{
    void *p = calloc(n > 0 ? (size_t)n : 1, size);
    if (!p) {
        load_out_of_memory(load);
    }
    return p;
}

const char *load_file_of(const struct load *load, const config_setting_t *at)
{
    return layout_files_lookup(&load->files, config_setting_source_file(at));
}

const char *load_where(const struct load *load, const config_setting_t *at, const char *file,
                       char *buf, size_t size)
{
    const char *other = load_file_of(load, at);
    int line = (int)config_setting_source_line(at);
    if (other == file || (other && file && strcmp(other, file) == 0)) {
        snprintf(buf, size, _("line %d"), line);
    } else {
        snprintf(buf, size, "%s:%d", other ? other : "?", line);
    }
    return buf;
}

bool load_index_add(struct load *load, struct load_index *index, const char *name, int at_index,
                    const config_setting_t *at)
{
    /* Grows by powers of two: count is a power of two when full. */
    int n = index->count;
    if (n == 0 || (n & (n - 1)) == 0) {
        int capacity = n ? n * 2 : 8;
        struct load_name *items = realloc(index->items, (size_t)capacity * sizeof(*items));
        if (!items) {
            load_out_of_memory(load);
            return false;
        }
        index->items = items;
    }
    index->items[index->count] = (struct load_name){name, at_index, at, index->count};
    index->count++;
    return true;
}

/* By name, then in reading order: the first use comes first. */
static int compare_names(const void *a, const void *b)
{
    const struct load_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

void load_index_sort(struct load *load, struct load_index *index, const char *twice)
{
    if (index->count > 1) {
        qsort(index->items, (size_t)index->count, sizeof(*index->items), compare_names);
    }
    const struct load_name *first = NULL;
    for (int i = 0; i < index->count; i++) {
        const struct load_name *n = &index->items[i];
        if (!first || strcmp(first->name, n->name) != 0) {
            first = n;
            continue;
        }
        char where[512];
        load_where(load, first->at, load_file_of(load, n->at), where, sizeof(where));
        layout_report(&load->reader, DIAG_ERROR, n->at, twice, n->name, where);
    }
}

int load_index_find(const struct load_index *index, const char *name)
{
    int lo = 0, hi = index->count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(index->items[mid].name, name) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < index->count && strcmp(index->items[lo].name, name) == 0) {
        return index->items[lo].index;
    }
    return -1;
}

const char *load_index_suggest(const struct load_index *index, const char *typed)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; i < index->count; i++) {
        int d;
        if (layout_is_close(typed, index->items[i].name, &d) && d < best_d) {
            best = index->items[i].name;
            best_d = d;
        }
    }
    return best;
}

void load_index_finish(struct load_index *index)
{
    free(index->items);
    index->items = NULL;
    index->count = 0;
}

void load_report_unknown(struct load *load, const config_setting_t *at, const char *prefix,
                         const char *unknown, const struct load_index *index, const char *name)
{
    char what[512];
    int n = snprintf(what, sizeof(what), "%s", prefix);
    if (n >= 0 && (size_t)n < sizeof(what)) {
        snprintf(what + n, sizeof(what) - (size_t)n, _(unknown), name);
    }
    const char *near = load_index_suggest(index, name);
    if (near) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s (did you mean '%s'?)", what, near);
    } else {
        layout_report_text(&load->reader, DIAG_ERROR, at, what);
    }
}

/* A name of an entry to refer to in messages: the value of `key` when it is
 * a short string, else NULL. */
static const char *peek_name(const config_setting_t *entry, const char *key)
{
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
        return NULL;
    }
    const config_setting_t *s = config_setting_get_member(entry, key);
    const char *text =
        s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
    if (!text || !text[0] || strlen(text) > PEEK_MAX || strstr(text, "://")) {
        return NULL;
    }
    return text;
}

bool load_begin_entry(struct load *load, const struct load_list *list,
                      const config_setting_t *entry, int index, char *label, size_t size)
{
    const char *name = peek_name(entry, list->name_key);
    if (name) {
        snprintf(label, size, _(list->named), name);
    } else {
        snprintf(label, size, _(list->nth), index + 1);
    }
    if (config_setting_type(entry) == CONFIG_TYPE_GROUP) {
        return true;
    }
    char got[128];
    if (list->secret) {
        layout_describe_type(entry, got, sizeof(got));
    } else {
        layout_describe(entry, got, sizeof(got));
    }
    /* TRANSLATORS: the first %s names the entry, like "zone ssc" or "zones
     * entry 3"; the second is what the group holds, like "id = ...;". */
    layout_report(&load->reader, DIAG_ERROR, entry, "%s must be a group { %s } (got %s)", label,
                  _(list->shape), got);
    return false;
}

bool load_read_subset(struct load *load, const config_setting_t *list,
                      const struct load_subset *subset, bool **out)
{
    *out = NULL;
    int type = config_setting_type(list);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        char got[128];
        layout_describe(list, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, list,
                      /* TRANSLATORS: the first %s is a setting, like "wall.ptz.zones";
                       * the second what its ids name, like "zone"; the third an id in
                       * quotes. */
                      "%s must be a list of %s ids like [%s] (got %s)", subset->setting,
                      _(subset->what), subset->example, got);
        return false;
    }
    if (subset->n == 0) {
        /* TRANSLATORS: the first %s is a setting, like "wall.ptz.zones";
         * the second what its ids name, like "zones"; the third what
         * leaving the setting out means. */
        layout_report(&load->reader, DIAG_ERROR, list, "%s: this file defines no %s: %s",
                      subset->setting, _(subset->whats), _(subset->if_empty));
        return false;
    }
    if (config_setting_length(list) == 0) {
        /* TRANSLATORS: the first %s is a setting, like "wall.ptz.zones";
         * the second what its ids name, like "zone"; the third what
         * leaving the setting out means. */
        layout_report(&load->reader, DIAG_ERROR, list, "%s is empty: name at least one %s, or %s",
                      subset->setting, _(subset->what), _(subset->if_empty));
        return false;
    }
    bool *named = load_calloc(load, subset->n, sizeof(*named));
    bool ok = named != NULL;
    char prefix[96];
    snprintf(prefix, sizeof(prefix), "%s: ", subset->setting);
    for (int i = 0; ok && i < config_setting_length(list); i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        const char *id = config_setting_get_string(s);
        int at = id ? load_index_find(subset->index, id) : -1;
        if (!id) {
            /* TRANSLATORS: the first %s is a setting, like "wall.ptz.zones";
             * the second what its ids name, like "zone"; the third an id in
             * quotes. */
            layout_report(&load->reader, DIAG_ERROR, s, "%s: each %s is its id in quotes, like %s",
                          subset->setting, _(subset->what), subset->example);
            ok = false;
        } else if (at < 0) {
            load_report_unknown(load, s, prefix, subset->unknown, subset->index, id);
            ok = false;
        } else {
            named[at] = true;
        }
    }
    if (!ok) {
        free(named);
        return false;
    }
    *out = named;
    return true;
}
