#include "layouts/zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

struct zone_values {
    const char *id, *title;
    uint32_t colour;
    const config_setting_t *admits;
};

#define ZONE(member) LAYOUT_AT(struct zone_values, member)

/* clang-format off */
static const struct layout_field zone_fields[] = {
    {.key = "id",         .kind = LAYOUT_FIELD_NAME,  LAYOUT_REQUIRED, ZONE(id)},
    {.key = "title",      .kind = LAYOUT_FIELD_TEXT,                   ZONE(title)},
    {.key = "colour",     .kind = LAYOUT_FIELD_COLOUR,                 ZONE(colour)},
    {.key = "color",      .kind = LAYOUT_FIELD_COLOUR,                 ZONE(colour)},
    {.key = "admits",     .kind = LAYOUT_FIELD_VALUE, LAYOUT_REQUIRED, ZONE(admits)},
    {0},
};
/* clang-format on */

void layout_zone_describe_admits(const struct layout_zone *zone, char *buf, size_t size)
{
    const char *names[LAYOUT_PROGRAMME_COUNT];
    int n = 0;
    for (int p = 0; p < LAYOUT_PROGRAMME_COUNT; p++) {
        if (zone->admits & (1u << p)) {
            names[n++] = layout_programme_name((enum layout_programme)p);
        }
    }
    buf[0] = '\0';
    if (n == 1) {
        /* TRANSLATORS: %s is a programme, "ssc" or "guardians", as written. */
        snprintf(buf, size, _("%s only"), names[0]);
        return;
    }
    /* "a, b", then the last one joined by the translated "and". */
    char head[64] = "";
    size_t used = 0;
    for (int i = 0; i < n - 1 && used < sizeof(head); i++) {
        used +=
            (size_t)snprintf(head + used, sizeof(head) - used, "%s%s", i ? ", " : "", names[i]);
    }
    if (n > 1) {
        /* TRANSLATORS: joins the last programme of a list to the others:
         * "ssc and guardians". */
        snprintf(buf, size, _("%s and %s"), head, names[n - 1]);
    }
}

/* One programme name into *bits; false after reporting. */
static bool admit_one(struct load *load, const config_setting_t *s, const char *label,
                      unsigned *bits)
{
    const char *names[LAYOUT_PROGRAMME_COUNT + 1] = {0};
    for (int p = 0; p < LAYOUT_PROGRAMME_COUNT; p++) {
        names[p] = layout_programme_name((enum layout_programme)p);
        if (config_setting_type(s) == CONFIG_TYPE_STRING &&
            strcmp(config_setting_get_string(s), names[p]) == 0) {
            *bits |= 1u << p;
            return true;
        }
    }
    char got[128];
    layout_describe(s, got, sizeof(got));
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: admits must be \"ssc\", \"guardians\" or a list of them like "
                      "[\"ssc\", \"guardians\"] (got %s)",
                      label, got);
        return false;
    }
    const char *near = layout_suggest_name(config_setting_get_string(s), names, -1);
    if (near) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: unknown programme %s in admits (did you mean \"%s\"?)", label, got,
                      near);
    } else {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: unknown programme %s in admits (use \"ssc\" or \"guardians\")", label,
                      got);
    }
    return false;
}

static bool read_admits(struct load *load, const config_setting_t *s, const char *label,
                        unsigned *bits)
{
    int type = config_setting_type(s);
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
        return admit_one(load, s, label, bits);
    }
    bool ok = true;
    for (int i = 0; i < config_setting_length(s); i++) {
        ok = admit_one(load, config_setting_get_elem(s, (unsigned)i), label, bits) && ok;
    }
    if (ok && *bits == 0) {
        layout_report(&load->reader, DIAG_ERROR, s,
                      "%s: admits no programme: list at least one of \"ssc\", \"guardians\"",
                      label);
        ok = false;
    }
    return ok;
}

static const struct load_list zone_list = {
    .named = N_("zone %s"),
    .nth = N_("zones entry %d"),
    .name_key = "id",
    .shape = N_("id = ...; title = ...; admits = [...];"),
};

static void read_zone(struct load *load, const config_setting_t *entry, int index)
{
    char label[128];
    if (!load_begin_entry(load, &zone_list, entry, index, label, sizeof(label))) {
        return;
    }
    struct zone_values v = {.colour = 0x808080};
    bool ok = layout_read_group(&load->reader, entry, (struct layout_scope){label, ": "},
                                zone_fields, &v);
    unsigned bits = 0;
    ok = v.admits && read_admits(load, v.admits, label, &bits) && ok;
    struct layout_wall *wall = load->wall;
    int at = LOAD_BROKEN;
    if (ok) {
        struct layout_zone *z = &wall->zones[wall->n_zones];
        *z = (struct layout_zone){.id = load_strdup(load, v.id),
                                  .title = load_strdup(load, v.title ? v.title : v.id),
                                  .colour = v.colour,
                                  .admits = bits};
        at = wall->n_zones++;
    }
    if (v.id) {
        load_index_add(load, &load->zones, v.id, at, entry);
    }
}

void layout_zones_read(struct load *load, const config_setting_t *list)
{
    int n = list ? config_setting_length(list) : 0;
    load->wall->zones = load_calloc(load, n, sizeof(*load->wall->zones));
    for (int i = 0; load->wall->zones && i < n; i++) {
        read_zone(load, config_setting_get_elem(list, (unsigned)i), i);
    }
    load_index_sort(load, &load->zones, N_("zone id '%s' is already used at %s"));
}

int layout_zone_add_default(struct load *load)
{
    struct layout_wall *wall = load->wall;
    free(wall->zones);
    wall->zones = load_calloc(load, 1, sizeof(*wall->zones));
    if (!wall->zones) {
        return -1;
    }
    wall->zones[0] = (struct layout_zone){
        .id = load_strdup(load, LAYOUT_DEFAULT_ZONE),
        .title = load_strdup(load, ""),
        .colour = 0x808080,
        .admits = (1u << LAYOUT_PROGRAMME_COUNT) - 1,
    };
    wall->n_zones = 1;
    return wall->zones[0].id && wall->zones[0].title ? 0 : -1;
}
