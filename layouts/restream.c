#include "layouts/restream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/i18n.h"

void layout_restream_finish(struct layout_restream *r)
{
    free(r->url);
    free(r->username);
    free(r->password);
    memset(r, 0, sizeof(*r));
}

/* What follows '{' in a template, when it is a placeholder it knows. */
static size_t placeholder(const char *at)
{
    static const char *const known[] = {"{number}", "{stream}"};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strncmp(at, known[i], strlen(known[i])) == 0) {
            return strlen(known[i]);
        }
    }
    return 0;
}

static bool template_valid(struct load *load, const config_setting_t *at, const char *url)
{
    if (strncasecmp(url, "rtsp://", 7) != 0 && strncasecmp(url, "rtsps://", 8) != 0) {
        layout_report(&load->reader, DIAG_ERROR, at,
                      "wall.restream must be an rtsp:// or rtsps:// address with {number} in it, "
                      "like \"rtsp://restreamer:8554/{number}_{stream}\"");
        return false;
    }
    if (strchr(url, '@')) {
        layout_report(&load->reader, DIAG_ERROR, at,
                      "wall.restream: credentials in the address: put them in a credentials entry "
                      "and name it in wall.restream_credentials");
        return false;
    }
    if (!strstr(url, "{number}")) {
        layout_report(&load->reader, DIAG_ERROR, at,
                      "wall.restream must hold {number}, where each camera's number goes");
        return false;
    }
    for (const char *p = strpbrk(url, "{}"); p; p = strpbrk(p, "{}")) {
        size_t n = *p == '{' ? placeholder(p) : 0;
        if (n == 0) {
            layout_report(&load->reader, DIAG_ERROR, at,
                          "wall.restream: '%c' at character %d: only {number} and {stream} "
                          "may be replaced",
                          *p, (int)(p - url) + 1);
            return false;
        }
        p += n;
    }
    return true;
}

void layout_restream_read(struct load *load, const config_setting_t *group, const char *url,
                          const char *credentials)
{
    struct layout_restream *r = &load->wall->restream;
    const config_setting_t *at = group ? config_setting_get_member(group, "restream") : NULL;
    if (!url) {
        if (credentials) {
            layout_report(&load->reader, DIAG_WARNING,
                          config_setting_get_member(group, "restream_credentials"),
                          "wall.restream_credentials does nothing without wall.restream");
        }
        return;
    }
    if (!template_valid(load, at, url)) {
        return;
    }
    r->url = load_strdup(load, url);
    if (credentials) {
        int i = load_index_find(&load->credentials, credentials);
        if (i == -1) {
            load_report_unknown(load, config_setting_get_member(group, "restream_credentials"),
                                "wall.restream_credentials: ", N_("no credentials named '%s'"),
                                &load->credentials, credentials);
        }
        if (i >= 0) {
            r->username = load_strdup(load, load->credential_values[i].user);
            r->password = load_strdup(load, load->credential_values[i].password);
        }
    }
}

/* The template with the camera's number and the stream's name. */
static char *expand(struct load *load, const char *template, int number, const char *stream)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) {
        load_out_of_memory(load);
        return NULL;
    }
    for (const char *p = template; *p; p++) {
        if (strncmp(p, "{number}", 8) == 0) {
            fprintf(f, "%d", number);
            p += 7;
        } else if (strncmp(p, "{stream}", 8) == 0) {
            fputs(stream, f);
            p += 7;
        } else {
            fputc(*p, f);
        }
    }
    if (fclose(f) != 0) {
        free(out);
        load_out_of_memory(load);
        return NULL;
    }
    return out;
}

static char *copy(struct load *load, const char *text)
{
    return text ? load_strdup(load, text) : NULL;
}

void layout_restream_apply(struct load *load)
{
    const struct layout_restream *r = &load->wall->restream;
    if (!r->url) {
        return;
    }
    for (int i = 0; i < load->wall->n_cameras; i++) {
        struct layout_camera *c = &load->wall->cameras[i];
        char *main = expand(load, r->url, c->number, "main");
        /* Without {stream} both would be the same address: main serves all. */
        char *sub = c->sub_url && strstr(r->url, "{stream}")
                        ? expand(load, r->url, c->number, "sub")
                        : NULL;
        free(c->url);
        free(c->sub_url);
        free(c->username);
        free(c->password);
        c->url = main;
        c->sub_url = sub;
        c->username = copy(load, r->username);
        c->password = copy(load, r->password);
    }
}
