#include "layouts/ptz.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"

struct camera_ptz_values {
    const char *onvif, *profile, *credentials;
    bool locked;
};

struct rules_values {
    const config_setting_t *zones, *stations;
    double timeout, move_timeout;
};

#define CAMERA_PTZ(member) LAYOUT_AT(struct camera_ptz_values, member)
#define RULES(member)      LAYOUT_AT(struct rules_values, member)

/* clang-format off */
static const struct layout_field camera_ptz_fields[] = {
    {.key = "onvif",       .kind = LAYOUT_FIELD_TEXT, LAYOUT_REQUIRED, CAMERA_PTZ(onvif)},
    {.key = "profile",     .kind = LAYOUT_FIELD_TEXT,                  CAMERA_PTZ(profile)},
    {.key = "credentials", .kind = LAYOUT_FIELD_NAME,                  CAMERA_PTZ(credentials)},
    {.key = "locked",      .kind = LAYOUT_FIELD_BOOL,                  CAMERA_PTZ(locked)},
    {0},
};

static const struct layout_field rules_fields[] = {
    {.key = "zones",        .kind = LAYOUT_FIELD_VALUE, RULES(zones)},
    {.key = "stations",     .kind = LAYOUT_FIELD_VALUE, RULES(stations)},
    {.key = "timeout",      LAYOUT_NUMBER(0.2, 30), .unit = N_("seconds"), RULES(timeout)},
    {.key = "move_timeout", LAYOUT_NUMBER(1, 60),   .unit = N_("seconds"), RULES(move_timeout)},
    {0},
};
/* clang-format on */

void layout_ptz_free(struct layout_ptz *ptz)
{
    if (!ptz) {
        return;
    }
    free(ptz->onvif);
    free(ptz->profile);
    free(ptz->username);
    free(ptz->password);
    free(ptz);
}

static bool is_http(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* The account of ptz.credentials, else the camera's own. */
static bool set_account(struct load *load, const config_setting_t *setting, const char *label,
                        const char *id, const struct layout_camera *c, struct layout_ptz *ptz)
{
    const char *user = c->username, *password = c->password;
    if (id) {
        int i = load_index_find(&load->credentials, id);
        if (i < 0) {
            char prefix[96];
            snprintf(prefix, sizeof(prefix), "%s: ptz: ", label);
            if (i == -1) {
                load_report_unknown(load, config_setting_get_member(setting, "credentials"),
                                    prefix, N_("no credentials named '%s'"), &load->credentials,
                                    id);
            }
            return false;
        }
        user = load->credential_values[i].user;
        password = load->credential_values[i].password;
    }
    ptz->username = load_strdup(load, user);
    ptz->password = load_strdup(load, password);
    return (!user || ptz->username) && (!password || ptz->password);
}

void layout_ptz_read_camera(struct load *load, const config_setting_t *setting, const char *label,
                            struct layout_camera *c)
{
    if (!setting) {
        return;
    }
    char scope[80];
    snprintf(scope, sizeof(scope), "%s: ptz", label);
    if (config_setting_type(setting) != CONFIG_TYPE_GROUP) {
        char got[128];
        layout_describe(setting, got, sizeof(got));
        layout_report(
            &load->reader, DIAG_ERROR, setting,
            "%s must be a group { onvif = \"http://.../onvif/device_service\"; } (got %s)", scope,
            got);
        return;
    }
    struct camera_ptz_values v = {0};
    if (!layout_read_group(&load->reader, setting, (struct layout_scope){scope, "."},
                           camera_ptz_fields, &v)) {
        return;
    }
    const config_setting_t *at = config_setting_get_member(setting, "onvif");
    if (!is_http(v.onvif)) {
        /* Not echoed: an address may carry a password. */
        layout_report(&load->reader, DIAG_ERROR, at,
                      "%s.onvif must be the camera's ONVIF device service, like "
                      "\"http://10.20.0.11/onvif/device_service\" (it does not start with "
                      "http:// or https://)",
                      scope);
        return;
    }
    const char *host = strstr(v.onvif, "//") + 2;
    const char *at_sign = strchr(host, '@');
    if (at_sign && at_sign < host + strcspn(host, "/?#")) {
        layout_report(&load->reader, DIAG_ERROR, at,
                      "%s.onvif: credentials in the address: put them in a credentials entry "
                      "and name it in ptz.credentials",
                      scope);
        return;
    }
    struct layout_ptz *ptz = calloc(1, sizeof(*ptz));
    if (!ptz) {
        load_out_of_memory(load);
        return;
    }
    ptz->onvif = load_strdup(load, v.onvif);
    ptz->profile = load_strdup(load, v.profile);
    ptz->locked = v.locked;
    if (!ptz->onvif || (v.profile && !ptz->profile) ||
        !set_account(load, setting, label, v.credentials, c, ptz)) {
        layout_ptz_free(ptz);
        return;
    }
    c->ptz = ptz;
}

void layout_ptz_read(struct load *load, const config_setting_t *group)
{
    struct layout_ptz_rules *rules = &load->wall->ptz;
    rules->timeout = 2.0;
    rules->move_timeout = 5.0;
    const config_setting_t *setting = group ? config_setting_get_member(group, "ptz") : NULL;
    if (!setting) {
        return;
    }
    struct rules_values v = {.timeout = rules->timeout, .move_timeout = rules->move_timeout};
    if (!layout_read_group(&load->reader, setting, (struct layout_scope){"wall.ptz", "."},
                           rules_fields, &v)) {
        return;
    }
    rules->timeout = v.timeout;
    rules->move_timeout = v.move_timeout;
    const struct load_subset zones = {
        .setting = "wall.ptz.zones",
        .what = N_("zone"),
        .whats = N_("zones"),
        .unknown = N_("no zone named '%s'"),
        .example = "\"ssc\"",
        .if_empty = N_("leave zones out and every zone steers PTZ cameras"),
        .index = &load->zones,
        .n = load->wall->n_zones,
    };
    const struct load_subset stations = {
        .setting = "wall.ptz.stations",
        .what = N_("station"),
        .whats = N_("stations"),
        .unknown = N_("no station named '%s'"),
        .example = "\"desk-1\"",
        .if_empty = N_("leave stations out and every station steers PTZ cameras"),
        .index = &load->stations,
        .n = load->wall->n_stations,
    };
    if (v.zones) {
        load_read_subset(load, v.zones, &zones, &rules->zones);
    }
    if (v.stations) {
        load_read_subset(load, v.stations, &stations, &rules->stations);
    }
}
