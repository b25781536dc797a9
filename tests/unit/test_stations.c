/* Stations and the MQTT broker read into the model: layout_wall.stations
 * and layout_wall.broker, the C5 example for several stations, and the
 * broker's address checked piece by piece (tests/unit/test_corpus.c has the
 * messages of the corpus files bad-stations*.cfg and bad-broker.cfg). */
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

#define WALL_LINE     3 /* the line of `wall = { ... }` in write_wall()'s files */
#define STATIONS_LINE 5 /* the line of `stations = ( ... )` in them */

static int output_index(const struct layout_wall *wall, const char *id)
{
    for (int i = 0; i < wall->n_outputs; i++) {
        if (strcmp(wall->outputs[i].id, id) == 0) {
            return i;
        }
    }
    fail_msg("no output %s", id);
    return -1;
}

static int station_index(const struct layout_wall *wall, const char *name)
{
    const struct layout_station *s = layout_find_station(wall, name);
    assert_non_null(s);
    return (int)(s - wall->stations);
}

static void stations_model(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-stations.cfg"));
    assert_int_equal(wall->n_stations, 3);
    const struct layout_station *g911 = &wall->stations[0], *ssc = &wall->stations[1];
    const struct layout_station *standby = &wall->stations[2];

    assert_string_equal(g911->name, "g911");
    assert_int_equal(g911->n_outputs, 1);
    assert_int_equal(g911->outputs[0], output_index(wall, "g911-1"));
    assert_int_equal(g911->n_standby_for, 0);
    assert_null(g911->standby_for);
    assert_string_equal(g911->file, corpus("valid-stations.cfg"));
    assert_int_equal(g911->line, 16);

    /* In the order listed, whatever the order of the outputs. */
    assert_int_equal(ssc->n_outputs, 2);
    assert_int_equal(ssc->outputs[0], output_index(wall, "ssc-2"));
    assert_int_equal(ssc->outputs[1], output_index(wall, "ssc-1"));

    assert_string_equal(standby->name, "standby");
    assert_int_equal(standby->n_outputs, 0);
    assert_int_equal(standby->n_standby_for, 2);
    assert_int_equal(standby->standby_for[0], 1);
    assert_int_equal(standby->standby_for[1], 0);
    assert_int_equal(standby->line, 18);

    assert_ptr_equal(layout_find_station(wall, "ssc"), ssc);
    assert_ptr_equal(layout_find_station(wall, "standby"), standby);
    assert_null(layout_find_station(wall, "nobody"));
    assert_null(layout_find_station(wall, NULL));
    assert_null(layout_find_station(NULL, "ssc"));
    layout_destroy(wall);
}

static void broker_model(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-stations.cfg"));
    const struct layout_broker *b = &wall->broker;
    assert_string_equal(b->url, "mqtts://[fd00::5]:8884/"); /* the scheme in lower case */
    assert_string_equal(b->host, "fd00::5");
    assert_int_equal(b->port, 8884);
    assert_true(b->tls);
    /* The entry's values, as written: inc-credentials.cfg. */
    assert_string_equal(b->username, "visor");
    assert_string_equal(b->password, "s3cret:@/%");
    /* Relative paths resolve against the file that names them. */
    assert_string_equal(b->ca, corpus("tls/ca.pem"));
    assert_string_equal(b->cert, "/etc/wall/station.pem");
    assert_string_equal(b->key, corpus("tls/station.key"));
    assert_string_equal(b->wall_id, "c5-norte");
    layout_destroy(wall);
}

static void c5_stations_example(void **state)
{
    struct layout_wall *wall = load_clean(example("c5-stations.cfg"));
    /* The C5 wall itself, included whole. */
    assert_int_equal(wall->n_files, 4);
    assert_string_equal(wall->files[1], example("c5-cancun.cfg"));
    assert_int_equal(wall->n_outputs, 6);
    assert_int_equal(wall->n_cameras, 4750);

    assert_int_equal(wall->n_stations, 3);
    const struct layout_station *ssc = layout_find_station(wall, "ssc");
    const struct layout_station *g911 = layout_find_station(wall, "g911");
    const struct layout_station *standby = layout_find_station(wall, "standby");
    assert_non_null(ssc);
    assert_non_null(g911);
    assert_non_null(standby);
    static const char *const ssc_outputs[] = {"ssc-1", "ssc-2", "ssc-3", "ssc-4"};
    assert_int_equal(ssc->n_outputs, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ssc->outputs[i], output_index(wall, ssc_outputs[i]));
    }
    assert_int_equal(g911->n_outputs, 2);
    assert_int_equal(g911->outputs[0], output_index(wall, "g911-1"));
    assert_int_equal(g911->outputs[1], output_index(wall, "g911-2"));
    assert_int_equal(standby->n_outputs, 0);
    assert_int_equal(standby->n_standby_for, 2);
    assert_int_equal(standby->standby_for[0], station_index(wall, "ssc"));
    assert_int_equal(standby->standby_for[1], station_index(wall, "g911"));

    /* Domes are steered from the SSC monitors, by the SSC and standby stations. */
    assert_true(wall->ptz.zones[0] && !wall->ptz.zones[1]); /* ssc, g911 */
    assert_true(wall->ptz.stations[station_index(wall, "ssc")]);
    assert_false(wall->ptz.stations[station_index(wall, "g911")]);
    assert_true(wall->ptz.stations[station_index(wall, "standby")]);
    const struct layout_camera *dome = layout_find_camera(wall, 1001);
    assert_non_null(dome->ptz);
    assert_non_null(strstr(dome->ptz->onvif, "/onvif/device_service"));
    assert_non_null(dome->ptz->username); /* the camera's own account */
    /* Each station its own broker account, named after it (the ACL's %u). */
    assert_string_equal(ssc->username, "ssc");
    assert_string_equal(g911->username, "g911");
    assert_string_equal(standby->username, "standby");
    assert_non_null(ssc->password);
    assert_non_null(g911->password);
    assert_non_null(standby->password);

    const struct layout_broker *b = &wall->broker;
    assert_string_equal(b->url, "mqtt://127.0.0.1:1883");
    assert_string_equal(b->host, "127.0.0.1");
    assert_int_equal(b->port, 1883);
    assert_false(b->tls);
    assert_null(b->username); /* every station names its own account */
    assert_null(b->password);
    assert_null(b->ca);
    assert_null(b->cert);
    assert_null(b->key);
    assert_string_equal(b->wall_id, "c5");
    layout_destroy(wall);
}

/* A file without stations is what it was: no broker, no stations. */
static void one_station_files(void **state)
{
    static const char *const files[] = {"valid-wall.cfg", "valid-minimal.cfg"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct layout_wall *wall = load_clean(corpus(files[i]));
        assert_int_equal(wall->n_stations, 0);
        assert_null(wall->stations);
        assert_null(wall->broker.url);
        assert_null(wall->broker.host);
        assert_null(wall->broker.wall_id);
        assert_int_equal(wall->broker.port, 0);
        layout_destroy(wall);
    }
    struct layout_wall *wall = load_clean(example("c5-cancun.cfg"));
    assert_int_equal(wall->n_stations, 0);
    assert_null(wall->broker.url);
    layout_destroy(wall);
}

/* A full-format file in a temporary folder (one at a time) with one output
 * "main", `wall = { <wall> };` on line WALL_LINE, then `stations` on line
 * STATIONS_LINE, unless NULL, and any `extra` lines. Credentials "mq" (user
 * "station", password "Pa55:w@rd") and "own" (user "main", password
 * "0wn:p@ss") are there to be named. Returns its path. */
static const char *write_wall(const char *wall, const char *stations, const char *extra)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/wall-stations-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(f,
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"main\"; rect = [0, 0, 640, 360];\n"
            "  pages = ( { layout = \"one\"; tiles = (0); } ); } ); wall = { %s };\n"
            "credentials = ( { id = \"mq\"; user = \"station\"; password = \"Pa55:w@rd\"; }, "
            "{ id = \"own\"; user = \"main\"; password = \"0wn:p@ss\"; } );\n"
            "%s%s%s\n%s\n",
            wall, stations ? "stations = ( " : "", stations ? stations : "", stations ? " );" : "",
            extra ? extra : "");
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *const one_station = "{ name = \"main\"; outputs = [\"main\"]; }";

/* Loads a write_wall() file whose only message is `want` at WALL_LINE (or
 * no message at all when want is NULL); returns the model (or NULL). */
static struct layout_wall *load_one(const char *path, const char *want)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(path, &diags);
    unlink(path);
    char got[1024] = "(nothing)", expected[1024] = "(nothing)";
    if (diags.count > 0) {
        diag_format(&diags.items[0], got, sizeof(got));
    }
    if (want) {
        snprintf(expected, sizeof(expected), "%s:%d: %s", path, WALL_LINE, want);
    }
    if (strcmp(got, expected) != 0 || diags.count > (want ? 1 : 0)) {
        diag_list_print(&diags, stderr);
        fail_msg("got %s\nwant %s", got, expected);
    }
    diag_list_finish(&diags);
    return wall;
}

static void broker_addresses(void **state)
{
    static const struct {
        const char *broker;
        const char *host;
        int port;
        bool tls;
    } good[] = {
        {"mqtt://127.0.0.1:1883", "127.0.0.1", 1883, false},
        {"mqtt://broker.c5.local", "broker.c5.local", 1883, false},
        {"mqtts://broker.c5.local", "broker.c5.local", 8883, true},
        {"Mqtt://Broker:65535/", "Broker", 65535, false},
        {"mqtt://[::1]:1", "::1", 1, false},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char settings[256];
        snprintf(settings, sizeof(settings), "broker = \"%s\";", good[i].broker);
        struct layout_wall *wall = load_one(write_wall(settings, one_station, NULL), NULL);
        assert_non_null(wall);
        assert_string_equal(wall->broker.host, good[i].host);
        assert_int_equal(wall->broker.port, good[i].port);
        assert_int_equal(wall->broker.tls, good[i].tls);
        assert_string_equal(wall->broker.wall_id, "wall"); /* the default */
        assert_null(wall->broker.username);                /* anonymous */
        assert_null(wall->broker.password);
        assert_null(wall->broker.ca);
        layout_destroy(wall);
    }
}

static void broker_address_mistakes(void **state)
{
    static const char *const usage = "wall.broker must be an address like "
                                     "\"mqtt://127.0.0.1:1883\" or \"mqtts://HOST:8883\" (got ";
    static const char *const cases[][2] = {
        {"127.0.0.1:1883", "\"127.0.0.1:1883\")"},
        {"station@broker", "a string)"}, /* may be a user name: not shown */
        {"ssl://broker:8883",
         "wall.broker: unsupported URL scheme 'ssl' (use mqtt:// or mqtts://)"},
        {"mqtt://", "wall.broker has no host after 'mqtt://'"},
        {"mqtts://:8883", "wall.broker has no host after 'mqtts://'"},
        {"mqtt://broker:0", "wall.broker: the port must be from 1 to 65535 (got '0')"},
        {"mqtt://broker:65536", "wall.broker: the port must be from 1 to 65535 (got '65536')"},
        {"mqtt://broker:", "wall.broker: the port must be from 1 to 65535 (got '')"},
        {"mqtt://broker:123456789012", "wall.broker: the port must be from 1 to 65535 (got "
                                       "'12345678')"},
        {"mqtt://broker:1883/c5", "wall.broker: nothing may follow the host and port: write it "
                                  "as mqtt://HOST:PORT"},
        {"mqtts://broker?x", "wall.broker: nothing may follow the host and port: write it as "
                             "mqtts://HOST:PORT"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char settings[256], want[512];
        snprintf(settings, sizeof(settings), "broker = \"%s\";", cases[i][0]);
        if (strstr(cases[i][0], "://")) {
            snprintf(want, sizeof(want), "%s", cases[i][1]);
        } else {
            snprintf(want, sizeof(want), "%s%s", usage, cases[i][1]);
        }
        assert_null(load_one(write_wall(settings, one_station, NULL), want));
    }
}

/* A user name and password belong in a credentials entry; in the address
 * they are refused without being shown, however they are typed. */
static void broker_credentials_in_url(void **state)
{
    static const char *const urls[] = {
        "mqtt://station:Pa55w0rd@broker:1883",
        "mqtt://station:Pa55/w0rd@broker",
        "mqtts://station:Pa55@w0rd@[::1]:8883",
        "mqtt://Pa55w0rd@",
    };
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        char settings[256];
        snprintf(settings, sizeof(settings), "broker = \"%s\";", urls[i]);
        assert_null(load_one(write_wall(settings, one_station, NULL),
                             "wall.broker: credentials in the URL: put the user name and "
                             "password in a credentials entry and name it in "
                             "wall.broker_credentials"));
    }
}

static void broker_credentials_entry(void **state)
{
    struct layout_wall *wall = load_one(
        write_wall("broker = \"mqtt://b\"; broker_credentials = \"mq\";", one_station, NULL),
        NULL);
    assert_non_null(wall);
    assert_string_equal(wall->broker.username, "station");
    assert_string_equal(wall->broker.password, "Pa55:w@rd");
    layout_destroy(wall);

    assert_null(load_one(
        write_wall("broker = \"mqtt://b\"; broker_credentials = \"mqt\";", one_station, NULL),
        "wall.broker_credentials: no credentials named 'mqt' (did you mean "
        "'mq'?)"));
}

/* A station's broker account: its own entry, else the wall's, else none. */
static void station_accounts(void **state)
{
    static const char *const stations =
        "{ name = \"main\"; outputs = [\"main\"]; credentials = \"own\"; }, "
        "{ name = \"standby\"; standby_for = [\"main\"]; }";
    struct layout_wall *wall = load_one(
        write_wall("broker = \"mqtt://b\"; broker_credentials = \"mq\";", stations, NULL), NULL);
    assert_non_null(wall);
    const struct layout_station *own = layout_find_station(wall, "main");
    const struct layout_station *standby = layout_find_station(wall, "standby");
    assert_string_equal(own->username, "main");
    assert_string_equal(own->password, "0wn:p@ss");
    /* Naming none: copies of the wall's account, which stays as it was. */
    assert_string_equal(standby->username, "station");
    assert_string_equal(standby->password, "Pa55:w@rd");
    assert_ptr_not_equal(standby->username, wall->broker.username);
    assert_ptr_not_equal(standby->password, wall->broker.password);
    assert_string_equal(wall->broker.username, "station");
    layout_destroy(wall);

    /* No account for the wall: its own, or anonymous. */
    wall = load_one(write_wall("broker = \"mqtt://b\";", stations, NULL), NULL);
    assert_non_null(wall);
    assert_string_equal(layout_find_station(wall, "main")->username, "main");
    assert_string_equal(layout_find_station(wall, "main")->password, "0wn:p@ss");
    assert_null(layout_find_station(wall, "standby")->username);
    assert_null(layout_find_station(wall, "standby")->password);
    assert_null(wall->broker.username);
    layout_destroy(wall);
}

/* A station naming no credentials entry is told so at its line, as a camera
 * is; no message shows a user name or password. */
static void station_account_unknown(void **state)
{
    static const char *const cases[][2] = {
        {"onw", "station main: no credentials named 'onw' (did you mean 'own'?)"},
        {"broker-main", "station main: no credentials named 'broker-main'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char stations[128], want[512];
        snprintf(stations, sizeof(stations),
                 "{ name = \"main\"; outputs = [\"main\"]; credentials = \"%s\"; }", cases[i][0]);
        const char *path =
            write_wall("broker = \"mqtt://b\"; broker_credentials = \"mq\";", stations, NULL);
        snprintf(want, sizeof(want), "%s:%d: %s", path, STATIONS_LINE, cases[i][1]);
        struct diag_list diags;
        assert_false(load_messages(path, &diags));
        unlink(path);
        if (diags.count != 1 || !has_exact_message(&diags, want)) {
            diag_list_print(&diags, stderr);
            fail_msg("want only %s", want);
        }
        char line[1024];
        diag_format(&diags.items[0], line, sizeof(line));
        assert_null(strstr(line, "0wn"));
        assert_null(strstr(line, "Pa55"));
        diag_list_finish(&diags);
    }
}

static void broker_tls(void **state)
{
    /* mqtts:// alone: the system's CAs. A CA without a client certificate. */
    struct layout_wall *wall =
        load_one(write_wall("broker = \"mqtts://b\";", one_station, NULL), NULL);
    assert_true(wall->broker.tls);
    assert_null(wall->broker.ca);
    layout_destroy(wall);
    wall =
        load_one(write_wall("broker = \"mqtts://b\"; broker_tls = { ca = \"/etc/ssl/c5.pem\"; };",
                            one_station, NULL),
                 NULL);
    assert_string_equal(wall->broker.ca, "/etc/ssl/c5.pem");
    assert_null(wall->broker.cert);
    assert_null(wall->broker.key);
    layout_destroy(wall);

    assert_null(load_one(
        write_wall("broker = \"mqtt://b\"; broker_tls = { ca = \"ca.pem\"; };", one_station, NULL),
        "wall.broker_tls needs a TLS broker: write wall.broker as "
        "mqtts://HOST:PORT (it is mqtt://)"));
    assert_null(load_one(write_wall("broker = \"mqtts://b\"; broker_tls = { ca = \"ca.pem\"; "
                                    "key = \"k.pem\"; };",
                                    one_station, NULL),
                         "wall.broker_tls: cert and key go together: give both or neither"));
    assert_null(
        load_one(write_wall("broker = \"mqtts://b\"; broker_tls = \"ca.pem\";", one_station, NULL),
                 "wall.broker_tls must be a group { ... } (got \"ca.pem\")"));
}

/* broker's companions do nothing alone; a broker without stations serves
 * nobody: warnings, the file loads. */
static void broker_warnings(void **state)
{
    struct layout_wall *wall =
        load_one(write_wall("broker = \"mqtt://b\"; id = \"c5\";", NULL, NULL),
                 "warning: wall.broker is set but the file has no stations: nothing uses it");
    assert_non_null(wall);
    assert_string_equal(wall->broker.url, "mqtt://b");
    assert_string_equal(wall->broker.wall_id, "c5");
    assert_int_equal(wall->n_stations, 0);
    layout_destroy(wall);

    static const char *const alone[] = {"broker_credentials = \"mq\";",
                                        "broker_tls = { ca = \"ca.pem\"; };", "id = \"c5\";"};
    static const char *const names[] = {"broker_credentials", "broker_tls", "id"};
    for (int i = 0; i < 3; i++) {
        char want[128];
        snprintf(want, sizeof(want), "warning: wall.%s does nothing without wall.broker",
                 names[i]);
        wall = load_one(write_wall(alone[i], NULL, NULL), want);
        assert_non_null(wall);
        assert_null(wall->broker.url);
        assert_null(wall->broker.wall_id);
        layout_destroy(wall);
    }
}

/* No message about the broker ever shows its user name or password, from
 * the address or from the credentials entry. */
static void broker_secrets_never_shown(void **state)
{
    static const char *const settings[] = {
        "broker = \"mqtt://station:Pa55w0rd@b\"; broker_credentials = \"mq\";",
        "broker = \"station:Pa55w0rd@b\"; broker_credentials = \"mq\"; id = 5;",
        "broker = 1883; broker_credentials = \"mq\"; broker_tls = { ca = 5; };",
        "broker = \"mqtt://b:0\"; broker_credentials = \"mq\"; brokr_tls = 1;",
    };
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        const char *path = write_wall(settings[i], one_station, NULL);
        struct diag_list diags;
        assert_false(load_messages(path, &diags));
        unlink(path);
        assert_true(diags.errors > 0);
        for (int k = 0; k < diags.count; k++) {
            char line[1024];
            diag_format(&diags.items[k], line, sizeof(line));
            assert_null(strstr(line, "Pa55"));
            assert_null(strstr(line, "station:"));
            assert_null(strstr(line, "w@rd"));
        }
        diag_list_finish(&diags);
    }
}

/* stations belongs to the full format like every other part. */
static void stations_in_simple_file(void **state)
{
    char path[] = "/tmp/wall-stations-simple-XXXXXX";
    FILE *f = temp_file(path);
    fputs("output = { width = 640; height = 360; };\n"
          "grid = { rows = 1; columns = 1; };\n"
          "cameras = ();\n"
          "stations = ( { name = \"main\"; outputs = [\"main\"]; } );\n",
          f);
    assert_int_equal(fclose(f), 0);
    struct diag_list diags;
    assert_false(load_messages(path, &diags));
    char want[512];
    snprintf(want, sizeof(want),
             "%s:4: 'stations' belongs to the full format, but 'output' (line 1) makes this "
             "file the simple format: use one format per file (see layouts/README.md)",
             path);
    unlink(path);
    assert_true(has_exact_message(&diags, want));
    diag_list_finish(&diags);
}

static void empty_stations(void **state)
{
    const char *path = write_wall("broker = \"mqtt://b\";", "", NULL);
    char want[256];
    snprintf(want, sizeof(want),
             "%s:%d: stations is empty: list the wall's stations, or remove stations and "
             "wall.broker",
             path, STATIONS_LINE);
    struct diag_list diags;
    assert_false(load_messages(path, &diags));
    unlink(path);
    assert_int_equal(diags.count, 1);
    assert_true(has_exact_message(&diags, want));
    diag_list_finish(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stations_model),
        cmocka_unit_test(broker_model),
        cmocka_unit_test(c5_stations_example),
        cmocka_unit_test(one_station_files),
        cmocka_unit_test(broker_addresses),
        cmocka_unit_test(broker_address_mistakes),
        cmocka_unit_test(broker_credentials_in_url),
        cmocka_unit_test(broker_credentials_entry),
        cmocka_unit_test(station_accounts),
        cmocka_unit_test(station_account_unknown),
        cmocka_unit_test(broker_tls),
        cmocka_unit_test(broker_warnings),
        cmocka_unit_test(broker_secrets_never_shown),
        cmocka_unit_test(stations_in_simple_file),
        cmocka_unit_test(empty_stations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
