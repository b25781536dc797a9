/*
 * One load of a layout file in progress, shared by the readers of
 * layouts/ (simple.c, registry.c, templates.c, outputs.c, controls.c,
 * broker.c, stations.c).
 * Internal to layouts/.
 *
 * The readers fill `wall` part by part; each reports every problem it finds
 * through `reader` and keeps going, so that one run lists them all. An
 * entry with errors is left out of the model but keeps its name in the
 * index as LOAD_BROKEN, so that what refers to it gets no second message.
 *
 * Lookups: names are found through sorted indexes (O(log n)); nothing here
 * is quadratic in the number of cameras. Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_LOAD_H
#define WALL_LAYOUTS_LOAD_H

#include <libconfig.h>
#include <stdbool.h>

#include "layouts/files.h"
#include "layouts/layout.h"
#include "layouts/schema.h"

#define LOAD_BROKEN (-2) /* a known name whose entry had errors */

/* A sorted index of names: each name with the index of its entry. */
struct load_name {
    const char *name;
    int index;                  /* in the model's array, or LOAD_BROKEN */
    const config_setting_t *at; /* the entry, for "already used at line N" */
    int seq;                    /* order added: reading order */
};

struct load_index {
    struct load_name *items;
    int count;
};

/* A credentials entry: kept in the load only, copied into its cameras. */
struct load_credentials {
    const char *id, *user, *password; /* point into the config_t */
};

struct load {
    struct layout_reader reader;
    struct layout_files files;
    struct layout_wall *wall;
    struct load_index zones, layouts, tours, credentials, outputs, stations;
    struct load_credentials *credential_values;
    int n_credentials;
    const config_setting_t **camera_entries; /* per camera, its entry */
};

/* Reports that memory ran out, once per load, at the top file. */
void load_out_of_memory(struct load *load);

/* strdup() that reports running out; NULL in, NULL out. */
char *load_strdup(struct load *load, const char *text);

/* calloc() of n (at least one) items that reports running out. */
void *load_calloc(struct load *load, int n, size_t size);

/* The file of `at` as messages name it (a path in load->files). */
const char *load_file_of(const struct load *load, const config_setting_t *at);

/*
 * "line 12" when `at` is in `file`, else "other.cfg:12": how a message
 * points at an earlier setting. Writes into buf, in the locale's words.
 */
const char *load_where(const struct load *load, const config_setting_t *at, const char *file,
                       char *buf, size_t size);

/* Adds a name (not copied) to an index being built, in reading order. */
bool load_index_add(struct load *load, struct load_index *index, const char *name, int at_index,
                    const config_setting_t *at);

/*
 * Sorts the index; reports every name used more than once, at the later
 * use, by `twice`, an N_() sentence with the name and where its first use
 * is: N_("zone id '%s' is already used at %s") gives "zone id 'ssc' is
 * already used at line 12". Call once, after the last load_index_add().
 */
void load_index_sort(struct load *load, struct load_index *index, const char *twice);

/* The index of the first entry called name, LOAD_BROKEN, or -1. O(log n). */
int load_index_find(const struct load_index *index, const char *name);

/* The name in the index closest to `typed`, to suggest; or NULL. O(n). */
const char *load_index_suggest(const struct load_index *index, const char *typed);

void load_index_finish(struct load_index *index);

/* Reports that `name` names nothing: "<prefix><unknown> (did you mean
 * '<near>'?)", `unknown` an N_() sentence like N_("no zone named '%s'"),
 * `prefix` like "camera 101: " (or ""). */
void load_report_unknown(struct load *load, const config_setting_t *at, const char *prefix,
                         const char *unknown, const struct load_index *index, const char *name);

/* A list of groups in the file (tours, outputs, credentials, layouts,
 * zones, stations) as its messages name an entry. The texts for people are
 * N_() literals: whole phrases, translated where they are used. */
struct load_list {
    const char *named;    /* N_("tour %s"): the entry named night is "tour night" */
    const char *nth;      /* N_("tours entry %d"): an entry without a name, by its place */
    const char *name_key; /* the member that names an entry: "name" or "id" */
    const char *shape;    /* N_(): what "must be a group { ... }" shows */
    bool secret;          /* a wrong entry is shown by its type only, never its value */
};

/*
 * The prologue of reading entry `index` (0-based) of `list`: writes the
 * entry's label into `label` (its name when `name_key` holds a short string
 * that is no URL, else its place), then checks that it is a group. When it
 * is not, reports "<label> must be a group { <shape> } (got ...)" and
 * returns false: the caller skips the entry.
 */
bool load_begin_entry(struct load *load, const struct load_list *list,
                      const config_setting_t *entry, int index, char *label, size_t size);

/* What a setting like `zones = ["ssc", "g911"]` names. The texts for
 * people are N_() literals, translated where they are used. */
struct load_subset {
    const char *setting;  /* "wall.replay.zones", as messages name it */
    const char *what;     /* N_("zone"): what each id names */
    const char *whats;    /* N_("zones"): the same, more than one */
    const char *unknown;  /* N_("no zone named '%s'"): an id that names nothing */
    const char *example;  /* "\"ssc\"": how one is written */
    const char *if_empty; /* N_(): the hint after "is empty: ": what leaving it out means */
    const struct load_index *index;
    int n; /* entries of that kind in the wall */
};

/*
 * Reads a list of ids into *out, one bool per entry of the kind (calloc'd,
 * the caller frees it): true for each entry named. Reports at FILE:LINE a
 * setting that is no list, an empty list, an element that is no string, an
 * id that names nothing (with a suggestion), and a wall that has no such
 * entries at all. False after any of them (*out is then NULL).
 */
bool load_read_subset(struct load *load, const config_setting_t *list,
                      const struct load_subset *subset, bool **out);

#endif
