/* wall.restream: every camera through a restreamer, in one line
 * (layouts/restream.h); and --broker's address, checked as wall.broker. */
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

#define WALL_LINE 4 /* the line of `wall = { ... }` in write_file()'s files */

/* A full-format file with three cameras (101 with a sub stream and
 * credentials, 102 without either, 103 with a sub stream) and `wall`. */
static const char *write_file(char path[64], const char *wall)
{
    snprintf(path, 64, "/tmp/wall-restream-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(f,
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"main\"; rect = [0, 0, 640, 360];\n"
            "  pages = ( { layout = \"one\"; tiles = (101); } ); } );\n"
            "wall = { %s };\n"
            "credentials = ( { id = \"cam\"; user = \"admin\"; password = \"c4m:s3cret\"; },\n"
            "  { id = \"relay\"; user = \"wall\"; password = \"r3lay\"; } );\n"
            "cameras = (\n"
            "  { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/main\";\n"
            "    sub = \"rtsp://192.0.2.1/sub\"; credentials = \"cam\"; },\n"
            "  { number = 102; name = \"Dos\"; main = \"rtsp://192.0.2.2/live\"; },\n"
            "  { number = 103; name = \"Tres\"; main = \"rtsp://192.0.2.3/a\"; sub = "
            "\"rtsp://192.0.2.3/b\"; }\n"
            ");\n",
            wall);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const struct layout_camera *camera(const struct layout_wall *wall, int number)
{
    const struct layout_camera *c = layout_find_camera(wall, number);
    assert_non_null(c);
    return c;
}

static void cameras_go_through_the_restreamer(void **state)
{
    char path[64];
    struct layout_wall *wall =
        load_clean(write_file(path, "restream = \"rtsp://relay.c5:8554/cam{number}_{stream}\"; "
                                    "restream_credentials = \"relay\";"));
    assert_string_equal(wall->restream.url, "rtsp://relay.c5:8554/cam{number}_{stream}");
    const struct layout_camera *c = camera(wall, 101);
    assert_string_equal(c->url, "rtsp://relay.c5:8554/cam101_main");
    assert_string_equal(c->sub_url, "rtsp://relay.c5:8554/cam101_sub");
    /* The restreamer's account, not the camera's. */
    assert_string_equal(c->username, "wall");
    assert_string_equal(c->password, "r3lay");
    c = camera(wall, 102);
    assert_string_equal(c->url, "rtsp://relay.c5:8554/cam102_main");
    assert_null(c->sub_url); /* it has none: main serves every size */
    assert_string_equal(c->username, "wall");
    layout_destroy(wall);
    unlink(path);
}

static void without_stream_or_credentials(void **state)
{
    char path[64];
    struct layout_wall *wall =
        load_clean(write_file(path, "restream = \"rtsps://relay:8322/{number}\";"));
    const struct layout_camera *c = camera(wall, 103);
    assert_string_equal(c->url, "rtsps://relay:8322/103");
    assert_null(c->sub_url); /* one address for both: main serves every size */
    c = camera(wall, 101);
    assert_null(c->username); /* anonymous to the restreamer */
    assert_null(c->password);
    layout_destroy(wall);
    unlink(path);

    /* Without restream, the cameras keep their own addresses. */
    wall = load_clean(write_file(path, "hwaccel = \"none\";"));
    assert_null(wall->restream.url);
    assert_string_equal(camera(wall, 101)->url, "rtsp://192.0.2.1/main");
    assert_string_equal(camera(wall, 101)->username, "admin");
    layout_destroy(wall);
    unlink(path);
}

static void bad_templates_are_refused_at_their_line(void **state)
{
    static const struct {
        const char *wall;
        const char *message;
    } cases[] = {
        {"restream = \"http://relay/{number}\";",
         "wall.restream must be an rtsp:// or rtsps:// address with {number} in it, like "
         "\"rtsp://restreamer:8554/{number}_{stream}\""},
        {"restream = \"rtsp://relay/cam\";",
         "wall.restream must hold {number}, where each camera's number goes"},
        {"restream = \"rtsp://relay/{number}/{name}\";",
         "wall.restream: '{' at character 23: only {number} and {stream} may be replaced"},
        {"restream = \"rtsp://relay/{number}}\";",
         "wall.restream: '}' at character 22: only {number} and {stream} may be replaced"},
        {"restream = \"rtsp://u:p@relay/{number}\";",
         "wall.restream: credentials in the address: put them in a credentials entry and name "
         "it in wall.restream_credentials"},
        {"restream = \"rtsp://relay/{number}\"; restream_credentials = \"nobody\";",
         "wall.restream_credentials: no credentials named 'nobody'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64], want[512];
        write_file(path, cases[i].wall);
        struct diag_list diags;
        assert_false(load_messages(path, &diags));
        snprintf(want, sizeof(want), "%s:%d: %s", path, WALL_LINE, cases[i].message);
        if (!has_exact_message(&diags, want)) {
            for (int k = 0; k < diags.count; k++) {
                char line[1024];
                diag_format(&diags.items[k], line, sizeof(line));
                print_message("got: %s\n", line);
            }
            fail_msg("missing: %s", want);
        }
        diag_list_finish(&diags);
        unlink(path);
    }
}

/* --broker on the command line: the checks of wall.broker, in words. */
static void broker_address_from_the_command_line(void **state)
{
    struct layout_broker b = {0};
    char err[256];
    assert_true(layout_broker_parse_url("MQTT://127.0.0.1:2883", &b, err, sizeof(err)));
    assert_string_equal(b.url, "mqtt://127.0.0.1:2883");
    assert_string_equal(b.host, "127.0.0.1");
    assert_int_equal(b.port, 2883);
    assert_false(b.tls);
    layout_broker_finish(&b);
    assert_true(layout_broker_parse_url("mqtts://broker.c5", &b, err, sizeof(err)));
    assert_int_equal(b.port, 8883);
    assert_true(b.tls);
    layout_broker_finish(&b);

    static const struct {
        const char *url, *err;
    } bad[] = {
        {"127.0.0.1:1883", "--broker must be an address like mqtt://127.0.0.1:1883 or "
                           "mqtts://HOST:8883"},
        {"http://h:1", "--broker: unsupported URL scheme 'http' (use mqtt:// or mqtts://)"},
        {"mqtt://u:s3cret@h:1",
         "--broker: credentials in the URL: put the user name and password in a credentials "
         "entry and name it in wall.broker_credentials"},
        {"mqtt://h:99999", "--broker: the port must be from 1 to 65535 (got '99999')"},
        {"mqtt://h:1/topic", "--broker: nothing may follow the host and port: write it as "
                             "mqtt://HOST:PORT"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(layout_broker_parse_url(bad[i].url, &b, err, sizeof(err)));
        assert_string_equal(err, bad[i].err);
        assert_null(strstr(err, "s3cret"));
        layout_broker_finish(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cameras_go_through_the_restreamer),
        cmocka_unit_test(without_stream_or_credentials),
        cmocka_unit_test(bad_templates_are_refused_at_their_line),
        cmocka_unit_test(broker_address_from_the_command_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
