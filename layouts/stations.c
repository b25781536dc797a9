#include "layouts/stations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

struct station_values {
    const char *name, *credentials;
    const config_setting_t *outputs, *standby_for;
};

#define STATION(member) LAYOUT_AT(struct station_values, member)
#define LABEL_MAX       128

/* clang-format off */
static const struct layout_field station_fields[] = {
    {.key = "name",        .kind = LAYOUT_FIELD_NAME,  LAYOUT_REQUIRED, STATION(name)},
    {.key = "outputs",     .kind = LAYOUT_FIELD_VALUE,                  STATION(outputs)},
    {.key = "standby_for", .kind = LAYOUT_FIELD_VALUE,                  STATION(standby_for)},
    {.key = "credentials", .kind = LAYOUT_FIELD_NAME,                   STATION(credentials)},
    {0},
};
/* clang-format on */

static const struct load_list station_list = {
    .named = N_("station %s"),
    .nth = N_("stations entry %d"),
    .name_key = "name",
    .shape = N_("name = ...; outputs = [...];"),
};

/* What a list of names in a station holds, as its messages say it (N_()
 * texts: translated where they are used). */
struct names_kind {
    const char *key;     /* "outputs" */
    const char *what;    /* N_("output ids") */
    const char *example; /* "[\"ssc-1\", \"ssc-2\"]" */
    const char *unknown; /* N_("no output named '%s'") */
    const char *twice;   /* N_("%s: output %s is listed twice") */
};

static const struct names_kind output_names = {
    "outputs",
    N_("output ids"),
    "[\"ssc-1\", \"ssc-2\"]",
    N_("no output named '%s'"),
    /* TRANSLATORS: the station ("station ssc"), then an output's id. */
    N_("%s: output %s is listed twice"),
};
static const struct names_kind standby_names = {
    "standby_for",
    N_("station names"),
    "[\"ssc\", \"g911\"]",
    N_("no station named '%s'"),
    /* TRANSLATORS: the station ("station spare"), then a station's name. */
    N_("%s: station %s is listed twice"),
};

/* The stations being read, beside the model. */
struct stations_read {
    struct load *load;
    const config_setting_t **entries; /* per station of the model: its entry */
    char (*labels)[LABEL_MAX];        /* per station: how messages name it */
    const config_setting_t **standby; /* per station: its standby_for, or NULL */
    int *driver;                      /* per output: the station driving it, or -1 */
    const config_setting_t **named;   /* per output: where its driver names it */
};

void layout_station_finish(struct layout_station *station)
{
    free(station->name);
    free(station->outputs);
    free(station->standby_for);
    free(station->username);
    free(station->password);
}

/* Whether `list` is an array or list whose every element is a non-empty
 * string; reports what is not. */
static bool names_valid(struct load *load, const config_setting_t *list, const char *label,
                        const struct names_kind *kind)
{
    int type = config_setting_type(list);
    char got[128];
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        layout_describe(list, got, sizeof(got));
        layout_report(&load->reader, DIAG_ERROR, list,
                      /* TRANSLATORS: the station ("station ssc"), the setting ("outputs"
                       * or "standby_for", as written), what it lists ("output ids"), an
                       * example and the value read. */
                      "%s: %s must be a list of %s like %s (got %s)", label, kind->key,
                      _(kind->what), kind->example, got);
        return false;
    }
    bool ok = true;
    int n = config_setting_length(list);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(s) != CONFIG_TYPE_STRING || !config_setting_get_string(s)[0]) {
            layout_describe(s, got, sizeof(got));
            /* TRANSLATORS: the station ("station ssc"), the setting
             * ("outputs" or "standby_for", as written), what it lists
             * ("output ids") and the value read. */
            layout_report(&load->reader, DIAG_ERROR, s, "%s: %s must be %s (got %s)", label,
                          kind->key, _(kind->what), got);
            ok = false;
        }
    }
    return ok;
}

static const char *name_at(const config_setting_t *list, int i)
{
    return config_setting_get_string(config_setting_get_elem(list, (unsigned)i));
}

/* Whether element i of `list` repeats an earlier one; reports it. */
static bool listed_before(struct load *load, const config_setting_t *list, int i,
                          const char *label, const struct names_kind *kind)
{
    for (int j = 0; j < i; j++) {
        if (strcmp(name_at(list, j), name_at(list, i)) == 0) {
            layout_report(&load->reader, DIAG_ERROR, config_setting_get_elem(list, (unsigned)i),
                          kind->twice, label, name_at(list, i));
            return true;
        }
    }
    return false;
}

/* Element i of a list of names (of `kind`, looked up in `index`): its
 * index, or -1 after reporting it unknown or repeated. */
static int listed_index(struct load *load, const config_setting_t *list, int i, const char *label,
                        const struct load_index *index, const struct names_kind *kind)
{
    const char *name = name_at(list, i);
    int found = load_index_find(index, name);
    if (found == -1) {
        char prefix[160];
        snprintf(prefix, sizeof(prefix), "%s: ", label);
        load_report_unknown(load, config_setting_get_elem(list, (unsigned)i), prefix,
                            kind->unknown, index, name);
    }
    return found < 0 || listed_before(load, list, i, label, kind) ? -1 : found;
}

/* Output i of the station's list: its index, or -1 after reporting why not. */
static int driven_output(struct stations_read *r, const config_setting_t *list, int i,
                         const char *label, int station)
{
    struct load *load = r->load;
    const config_setting_t *at = config_setting_get_elem(list, (unsigned)i);
    const char *id = name_at(list, i);
    int o = listed_index(load, list, i, label, &load->outputs, &output_names);
    if (o < 0) {
        return -1;
    }
    if (r->driver[o] >= 0) {
        char where[512];
        load_where(load, r->named[o], load_file_of(load, at), where, sizeof(where));
        layout_report(&load->reader, DIAG_ERROR, at,
                      "%s: output %s is already driven by station %s (%s)", label, id,
                      load->wall->stations[r->driver[o]].name, where);
        return -1;
    }
    r->driver[o] = station;
    r->named[o] = at;
    return o;
}

static void read_outputs(struct stations_read *r, const config_setting_t *list, const char *label,
                         int station)
{
    struct layout_station *s = &r->load->wall->stations[station];
    if (!names_valid(r->load, list, label, &output_names)) {
        return;
    }
    int n = config_setting_length(list);
    s->outputs = load_calloc(r->load, n, sizeof(*s->outputs));
    for (int i = 0; s->outputs && i < n; i++) {
        int o = driven_output(r, list, i, label, station);
        if (o >= 0) {
            s->outputs[s->n_outputs++] = o;
        }
    }
}

/* Checks the entry's shape: outputs or standby_for, one of them. */
static void check_role(struct load *load, const config_setting_t *entry, const char *label)
{
    const config_setting_t *outputs = config_setting_get_member(entry, "outputs");
    const config_setting_t *standby = config_setting_get_member(entry, "standby_for");
    bool no_outputs =
        !outputs || (config_setting_is_aggregate(outputs) && config_setting_length(outputs) == 0);
    if (outputs && standby) {
        layout_report(&load->reader, DIAG_ERROR, standby,
                      "%s has both outputs and standby_for: a station drives its outputs or "
                      "stands by for others, not both",
                      label);
    } else if (!standby && no_outputs) {
        layout_report(&load->reader, DIAG_ERROR, outputs ? outputs : entry,
                      "%s names no outputs and is no standby: list the outputs it drives "
                      "(outputs = [...]) or the stations it takes over (standby_for = [...])",
                      label);
    } else if (standby && config_setting_is_aggregate(standby) &&
               config_setting_length(standby) == 0) {
        layout_report(&load->reader, DIAG_ERROR, standby,
                      "%s: standby_for is empty: list the stations it takes over", label);
    }
}

/* The station's broker account: the entry `id` names, or the wall's when
 * it names none (the broker is read before the stations). */
static void read_account(struct load *load, const config_setting_t *entry, const char *label,
                         const char *id, struct layout_station *s)
{
    const char *user = load->wall->broker.username;
    const char *password = load->wall->broker.password;
    if (id) {
        int i = load_index_find(&load->credentials, id);
        if (i == -1) {
            char prefix[160];
            snprintf(prefix, sizeof(prefix), "%s: ", label);
            load_report_unknown(load, config_setting_get_member(entry, "credentials"), prefix,
                                N_("no credentials named '%s'"), &load->credentials, id);
        }
        if (i < 0) {
            return; /* unknown, or its entry had errors (reported there) */
        }
        user = load->credential_values[i].user;
        password = load->credential_values[i].password;
    }
    s->username = load_strdup(load, user);
    s->password = load_strdup(load, password);
}

static void read_station(struct stations_read *r, const config_setting_t *entry, int index)
{
    struct load *load = r->load;
    struct layout_wall *wall = load->wall;
    char *label = r->labels[wall->n_stations];
    if (!load_begin_entry(load, &station_list, entry, index, label, LABEL_MAX)) {
        return;
    }
    struct station_values v = {0};
    layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "}, station_fields,
                      &v);
    int station = wall->n_stations++;
    wall->stations[station] = (struct layout_station){
        .name = load_strdup(load, v.name),
        .file = load_file_of(load, entry),
        .line = (int)config_setting_source_line(entry),
    };
    r->entries[station] = entry;
    read_account(load, entry, label, v.credentials, &wall->stations[station]);
    check_role(load, entry, label);
    if (v.outputs) {
        read_outputs(r, v.outputs, label, station);
    }
    if (v.standby_for && names_valid(load, v.standby_for, label, &standby_names)) {
        r->standby[station] = v.standby_for;
    }
    if (v.name) {
        load_index_add(load, &load->stations, v.name, station, entry);
    }
}

/* Station i of a standby's list: its index, or -1 after reporting why not. */
static int taken_over(struct stations_read *r, const config_setting_t *list, int i,
                      const char *label, int standby)
{
    struct load *load = r->load;
    const config_setting_t *at = config_setting_get_elem(list, (unsigned)i);
    const char *name = name_at(list, i);
    int s = listed_index(load, list, i, label, &load->stations, &standby_names);
    if (s < 0) {
        return -1;
    }
    if (s == standby) {
        layout_report(&load->reader, DIAG_ERROR, at, "%s: standby_for names itself", label);
        return -1;
    }
    if (config_setting_get_member(r->entries[s], "standby_for")) {
        layout_report(&load->reader, DIAG_ERROR, at,
                      "%s: station %s is a standby itself: a standby takes over stations that "
                      "drive outputs",
                      label, name);
        return -1;
    }
    return s;
}

/* Resolves every standby_for, once every station's name is known. */
static void read_standbys(struct stations_read *r)
{
    struct layout_wall *wall = r->load->wall;
    for (int i = 0; i < wall->n_stations; i++) {
        const config_setting_t *list = r->standby[i];
        if (!list) {
            continue;
        }
        struct layout_station *s = &wall->stations[i];
        int n = config_setting_length(list);
        s->standby_for = load_calloc(r->load, n, sizeof(*s->standby_for));
        for (int k = 0; s->standby_for && k < n; k++) {
            int t = taken_over(r, list, k, r->labels[i], i);
            if (t >= 0) {
                s->standby_for[s->n_standby_for++] = t;
            }
        }
    }
}

/* Outputs nobody drives are allowed (a spare monitor), but worth a word. */
static void warn_undriven(struct stations_read *r)
{
    const struct load_index *outputs = &r->load->outputs;
    for (int i = 0; i < outputs->count; i++) {
        const struct load_name *o = &outputs->items[i];
        if (o->index >= 0 && r->driver[o->index] < 0) {
            layout_report(&r->load->reader, DIAG_WARNING, o->at,
                          "output %s is driven by no station: nobody shows it", o->name);
        }
    }
}

/* Stations need the broker; a broker without stations serves nobody. */
static bool check_broker(struct load *load, const config_setting_t *list,
                         const config_setting_t *wall)
{
    const config_setting_t *broker = wall ? config_setting_get_member(wall, "broker") : NULL;
    if (list && !broker) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "stations need wall.broker: the stations talk through an MQTT broker "
                      "(wall = { broker = \"mqtt://HOST:1883\"; };)");
        return false;
    }
    if (!list && broker) {
        layout_report(&load->reader, DIAG_WARNING, broker,
                      "wall.broker is set but the file has no stations: nothing uses it");
    }
    return true;
}

void layout_stations_read(struct load *load, const config_setting_t *list,
                          const config_setting_t *wall)
{
    if (!check_broker(load, list, wall) || !list) {
        return;
    }
    int n = config_setting_length(list);
    if (n == 0) {
        layout_report(&load->reader, DIAG_ERROR, list,
                      "stations is empty: list the wall's stations, or remove stations and "
                      "wall.broker");
        return;
    }
    int n_outputs = load->wall->n_outputs;
    struct stations_read r = {
        .load = load,
        .entries = load_calloc(load, n, sizeof(*r.entries)),
        .labels = load_calloc(load, n, sizeof(*r.labels)),
        .standby = load_calloc(load, n, sizeof(*r.standby)),
        .driver = load_calloc(load, n_outputs, sizeof(*r.driver)),
        .named = load_calloc(load, n_outputs, sizeof(*r.named)),
    };
    load->wall->stations = load_calloc(load, n, sizeof(*load->wall->stations));
    if (r.entries && r.labels && r.standby && r.driver && r.named && load->wall->stations) {
        for (int o = 0; o < n_outputs; o++) {
            r.driver[o] = -1;
        }
        for (int i = 0; i < n; i++) {
            read_station(&r, config_setting_get_elem(list, (unsigned)i), i);
        }
        load_index_sort(load, &load->stations, N_("station name '%s' is already used at %s"));
        read_standbys(&r);
        warn_undriven(&r);
    }
    free(r.entries);
    free(r.labels);
    free(r.standby);
    free(r.driver);
    free(r.named);
}
