#include "layouts/broker.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"
#include "layouts/urls.h"

#define LABEL    "wall.broker"
#define PORT_MAX 65535
#define WALL_ID  "wall" /* wall.id when not written */

static const char OUT_OF_MEMORY[] = N_("out of memory");

struct tls_values {
    const char *ca, *cert, *key;
};

#define TLS(member) LAYOUT_AT(struct tls_values, member)

/* clang-format off */
static const struct layout_field tls_fields[] = {
    {.key = "ca",   .kind = LAYOUT_FIELD_TEXT, LAYOUT_REQUIRED, TLS(ca)},
    {.key = "cert", .kind = LAYOUT_FIELD_TEXT,                  TLS(cert)},
    {.key = "key",  .kind = LAYOUT_FIELD_TEXT,                  TLS(key)},
    {0},
};
/* clang-format on */

/* The companions of `broker` in the wall group: nothing without it. */
static const char *const companions[] = {"broker_credentials", "broker_tls", "id", NULL};

void layout_broker_finish(struct layout_broker *broker)
{
    free(broker->url);
    free(broker->host);
    free(broker->username);
    free(broker->password);
    free(broker->ca);
    free(broker->cert);
    free(broker->key);
    free(broker->wall_id);
    memset(broker, 0, sizeof(*broker));
}

static void report_not_url(struct load *load, const config_setting_t *at)
{
    /* A text without "://" is shown, unless it looks like user@host. */
    char got[128];
    if (strchr(config_setting_get_string(at), '@')) {
        layout_describe_type(at, got, sizeof(got));
    } else {
        layout_describe(at, got, sizeof(got));
    }
    layout_report(&load->reader, DIAG_ERROR, at,
                  "wall.broker must be an address like \"mqtt://127.0.0.1:1883\" or "
                  "\"mqtts://HOST:8883\" (got %s)",
                  got);
}

/* Why the address was refused, into err; `fmt` already translated. */
static bool fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return false;
}

/* The port written after the host (digits, maybe none), or -1 with the
 * reason. Only digits: showing them shows no secret. */
static int parse_port(const char *label, const char *digits, size_t len, int fallback, char *err,
                      size_t size)
{
    if (!digits) {
        return fallback;
    }
    long port = 0;
    for (size_t i = 0; i < len && port <= PORT_MAX; i++) {
        port = port * 10 + (digits[i] - '0');
    }
    if (len > 0 && port >= 1 && port <= PORT_MAX) {
        return (int)port;
    }
    /* TRANSLATORS: %s is "wall.broker" or "--broker". */
    fail(err, size, _("%s: the port must be from 1 to %d (got '%.*s')"), label, PORT_MAX,
         (int)(len > 8 ? 8 : len), digits);
    return -1;
}

/*
 * mqtt[s]://HOST[:PORT][/] into broker->url, host, port and tls; `label`
 * starts the messages. They show the scheme and the port only: the rest may
 * be a mistyped password. err "" on a text without "://".
 */
static bool parse_url(const char *label, const char *text, struct layout_broker *broker, char *err,
                      size_t size)
{
    err[0] = '\0';
    const char *sep = strstr(text, "://");
    if (!sep) {
        return false;
    }
    size_t scheme = (size_t)(sep - text);
    bool tls = scheme == 5 && strncasecmp(text, "mqtts", 5) == 0;
    if (!tls && !(scheme == 4 && strncasecmp(text, "mqtt", 4) == 0)) {
        /* TRANSLATORS: %s is "wall.broker" or "--broker". */
        return fail(err, size, _("%s: unsupported URL scheme '%.*s' (use mqtt:// or mqtts://)"),
                    label, (int)(scheme > 16 ? 16 : scheme), text);
    }
    const char *rest = sep + 3;
    if (strchr(rest, '@')) {
        return fail(err, size,
                    /* TRANSLATORS: %s is "wall.broker" or "--broker". */
                    _("%s: credentials in the URL: put the user name and password in a "
                      "credentials entry and name it in wall.broker_credentials"),
                    label);
    }
    size_t host_len, end;
    if (!layout_url_authority(rest, &host_len, &end)) {
        /* TRANSLATORS: %s is "wall.broker" or "--broker". */
        return fail(err, size, _("%s has no host after '%.*s://'"), label, (int)scheme, text);
    }
    if (rest[end] != '\0' && strcmp(rest + end, "/") != 0) {
        return fail(err, size,
                    /* TRANSLATORS: the first %s is "wall.broker" or "--broker";
                     * the second the scheme, "mqtt" or "mqtts". */
                    _("%s: nothing may follow the host and port: write it as %s://HOST:PORT"),
                    label, tls ? "mqtts" : "mqtt");
    }
    const char *digits = rest[host_len] == ':' ? rest + host_len + 1 : NULL;
    int port = parse_port(label, digits, digits ? end - host_len - 1 : 0,
                          tls ? LAYOUT_BROKER_TLS_PORT : LAYOUT_BROKER_PORT, err, size);
    if (port < 0) {
        return false;
    }
    bool bracketed = rest[0] == '[';
    broker->host = strndup(rest + bracketed, host_len - 2 * bracketed);
    broker->url = strdup(text);
    if (!broker->host || !broker->url) {
        return fail(err, size, "%s", _(OUT_OF_MEMORY));
    }
    for (size_t i = 0; i < scheme; i++) {
        broker->url[i] = (char)(broker->url[i] | 0x20); /* letters only: checked above */
    }
    broker->port = port;
    broker->tls = tls;
    return true;
}

bool layout_broker_parse_url(const char *text, struct layout_broker *broker, char *err,
                             size_t size)
{
    if (!parse_url("--broker", text, broker, err, size) && !err[0]) {
        fail(err, size, "%s",
             _("--broker must be an address like mqtt://127.0.0.1:1883 or "
               "mqtts://HOST:8883"));
    }
    return !err[0];
}

static bool read_url(struct load *load, const config_setting_t *at, const char *text,
                     struct layout_broker *broker)
{
    char err[256];
    if (parse_url(LABEL, text, broker, err, sizeof(err))) {
        return true;
    }
    if (!err[0]) {
        report_not_url(load, at);
    } else {
        layout_report_text(&load->reader, DIAG_ERROR, at, err);
    }
    if (err[0] && strcmp(err, _(OUT_OF_MEMORY)) == 0) {
        load_out_of_memory(load);
    }
    return false;
}

/* The user name and password of the entry `id` names; false when none. */
static bool read_credentials(struct load *load, const config_setting_t *group, const char *id,
                             struct layout_broker *broker)
{
    int i = load_index_find(&load->credentials, id);
    if (i == -1) {
        load_report_unknown(load, config_setting_get_member(group, "broker_credentials"),
                            "wall.broker_credentials: ", N_("no credentials named '%s'"),
                            &load->credentials, id);
    }
    if (i < 0) {
        return false; /* unknown, or its entry had errors (reported there) */
    }
    broker->username = load_strdup(load, load->credential_values[i].user);
    broker->password = load_strdup(load, load->credential_values[i].password);
    return broker->username && broker->password;
}

/* A path of broker_tls, relative to the file that names it. */
static char *resolve(struct load *load, const config_setting_t *at, const char *path)
{
    if (!path) {
        return NULL;
    }
    char *dir = path[0] == '/' ? strdup("") : layout_path_dir(load_file_of(load, at));
    char *resolved = dir ? layout_path_join(dir, path) : NULL;
    free(dir);
    if (!resolved) {
        load_out_of_memory(load);
    }
    return resolved;
}

/* broker_tls; `url_ok`: whether the address was read (and broker->tls set). */
static bool read_tls(struct load *load, const config_setting_t *tls, bool url_ok,
                     struct layout_broker *broker)
{
    struct tls_values v = {0};
    bool ok = layout_read_group(&load->reader, tls, (struct layout_scope){"wall.broker_tls", "."},
                                tls_fields, &v);
    if (url_ok && !broker->tls) {
        layout_report(&load->reader, DIAG_ERROR, tls,
                      "wall.broker_tls needs a TLS broker: write wall.broker as mqtts://HOST:PORT "
                      "(it is mqtt://)");
        ok = false;
    }
    if (!v.cert != !v.key) {
        layout_report(&load->reader, DIAG_ERROR, tls,
                      "wall.broker_tls: cert and key go together: give both or neither");
        ok = false;
    }
    if (!ok) {
        return false;
    }
    broker->ca = resolve(load, config_setting_get_member(tls, "ca"), v.ca);
    broker->cert = resolve(load, config_setting_get_member(tls, "cert"), v.cert);
    broker->key = resolve(load, config_setting_get_member(tls, "key"), v.key);
    return broker->ca && !v.cert == !broker->cert && !v.key == !broker->key;
}

static void warn_alone(struct load *load, const config_setting_t *group)
{
    for (int i = 0; group && companions[i]; i++) {
        const config_setting_t *s = config_setting_get_member(group, companions[i]);
        if (s) {
            layout_report(&load->reader, DIAG_WARNING, s,
                          "wall.%s does nothing without wall.broker", companions[i]);
        }
    }
}

void layout_broker_read(struct load *load, const config_setting_t *group,
                        const struct layout_broker_values *v)
{
    struct layout_broker *broker = &load->wall->broker;
    const config_setting_t *at = group ? config_setting_get_member(group, "broker") : NULL;
    if (!at) {
        warn_alone(load, group);
        return;
    }
    /* Every part is checked, so that one run lists every mistake (v->url is
     * NULL when it is no string: reported); the load fails on any of them. */
    bool url_ok = v->url && read_url(load, at, v->url, broker);
    bool ok = !v->credentials || read_credentials(load, group, v->credentials, broker);
    ok = (!v->tls || read_tls(load, v->tls, url_ok, broker)) && ok && url_ok;
    broker->wall_id = load_strdup(load, v->wall_id ? v->wall_id : WALL_ID);
    if (!ok || !broker->wall_id) {
        layout_broker_finish(broker);
    }
}
