/* PTZ settings: a camera's `ptz` group and `wall.ptz` (layouts/ptz.h),
 * read into the model, and every mistake named at its file and line. */
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

#define WALL_LINE   7 /* the line of `wall = { ptz = { ... }; }` in write_file()'s files */
#define CAMERA_LINE 8 /* the line of camera 101, whose ptz group is written there */

/* A full-format file with two zones, two stations, and the PTZ settings. */
static const char *write_file(char path[64], const char *camera_ptz, const char *wall_ptz)
{
    snprintf(path, 64, "/tmp/wall-ptz-XXXXXX");
    FILE *f = temp_file(path);
    fprintf(f,
            "zones = ( { id = \"ssc\"; title = \"SSC\"; admits = [\"ssc\"]; },\n"
            "  { id = \"g911\"; title = \"G911\"; admits = [\"guardians\"]; } );\n"
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"a\"; rect = [0, 0, 640, 360]; zone = \"ssc\"; pages = ( { "
            "layout = \"one\"; tiles = (101); } ); },\n"
            "  { id = \"b\"; rect = [640, 0, 640, 360]; zone = \"g911\"; pages = ( { layout = "
            "\"one\"; tiles = (5001); } ); } );\n"
            "wall = { broker = \"mqtt://127.0.0.1:1883\";\n"
            "  ptz = { %s }; };\n"
            "cameras = ( { number = 101; name = \"Uno\"; main = \"rtsp://192.0.2.1/m\"; "
            "credentials = \"cam\"; %s },\n"
            "  { number = 5001; name = \"G\"; main = \"rtsp://192.0.2.2/m\"; programme = "
            "\"guardians\"; } );\n"
            "credentials = ( { id = \"cam\"; user = \"viewer\"; password = \"v-pass\"; },\n"
            "  { id = \"ptz\"; user = \"operator\"; password = \"o-pass\"; } );\n"
            "stations = ( { name = \"desk-1\"; outputs = [\"a\"]; },\n"
            "  { name = \"desk-2\"; outputs = [\"b\"]; } );\n",
            wall_ptz, camera_ptz);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void settings_are_read(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(write_file(
        path,
        "ptz = { onvif = \"http://192.0.2.1/onvif/device_service\"; profile = \"P2\"; "
        "credentials = \"ptz\"; locked = true; };",
        "zones = [\"g911\"]; stations = [\"desk-2\"]; timeout = 0.5; move_timeout = 3;"));
    const struct layout_camera *c = layout_find_camera(wall, 101);
    assert_non_null(c->ptz);
    assert_string_equal(c->ptz->onvif, "http://192.0.2.1/onvif/device_service");
    assert_string_equal(c->ptz->profile, "P2");
    assert_string_equal(c->ptz->username, "operator");
    assert_string_equal(c->ptz->password, "o-pass");
    assert_true(c->ptz->locked);
    assert_null(layout_find_camera(wall, 5001)->ptz);
    const struct layout_ptz_rules *r = &wall->ptz;
    assert_false(r->zones[0]); /* ssc */
    assert_true(r->zones[1]);  /* g911 */
    assert_false(r->stations[0]);
    assert_true(r->stations[1]);
    assert_true(r->timeout == 0.5);
    assert_true(r->move_timeout == 3);
    layout_destroy(wall);
    unlink(path);
}

static void defaults(void **state)
{
    char path[64];
    struct layout_wall *wall = load_clean(
        write_file(path, "ptz = { onvif = \"https://192.0.2.1/onvif/device_service\"; };", ""));
    const struct layout_camera *c = layout_find_camera(wall, 101);
    assert_non_null(c->ptz);
    assert_null(c->ptz->profile);
    /* The camera's own account. */
    assert_string_equal(c->ptz->username, "viewer");
    assert_string_equal(c->ptz->password, "v-pass");
    assert_false(c->ptz->locked);
    assert_null(wall->ptz.zones); /* every zone */
    assert_null(wall->ptz.stations);
    assert_true(wall->ptz.timeout == 2);
    assert_true(wall->ptz.move_timeout == 5);
    layout_destroy(wall);
    unlink(path);
}

static void mistakes_are_named_at_their_line(void **state)
{
    static const struct {
        const char *camera, *wall;
        int line;
        const char *message;
    } cases[] = {
        {"ptz = \"http://192.0.2.1/onvif\";", "", CAMERA_LINE,
         "camera 101: ptz must be a group { onvif = \"http://.../onvif/device_service\"; } (got "
         "a URL)"},
        {"ptz = { profile = \"P\"; };", "", CAMERA_LINE,
         "camera 101: ptz: missing required setting 'onvif'"},
        {"ptz = { onvif = \"rtsp://192.0.2.1/\"; };", "", CAMERA_LINE,
         "camera 101: ptz.onvif must be the camera's ONVIF device service, like "
         "\"http://10.20.0.11/onvif/device_service\" (it does not start with http:// or "
         "https://)"},
        {"ptz = { onvif = \"http://admin:o-pass@192.0.2.1/onvif/device_service\"; };", "",
         CAMERA_LINE,
         "camera 101: ptz.onvif: credentials in the address: put them in a credentials entry "
         "and name it in ptz.credentials"},
        {"ptz = { onvif = \"http://192.0.2.1/\"; locked = \"yes\"; };", "", CAMERA_LINE,
         "camera 101: ptz.locked must be true or false (without quotes) (got \"yes\")"},
        {"ptz = { onvif = \"http://192.0.2.1/\"; credentials = \"ptx\"; };", "", CAMERA_LINE,
         "camera 101: ptz: no credentials named 'ptx' (did you mean 'ptz'?)"},
        {"", "zones = [\"sc\"];", WALL_LINE,
         "wall.ptz.zones: no zone named 'sc' (did you mean 'ssc'?)"},
        {"", "stations = [\"desk-3\"];", WALL_LINE,
         "wall.ptz.stations: no station named 'desk-3' (did you mean 'desk-1'?)"},
        {"", "stations = [];", WALL_LINE,
         "wall.ptz.stations is empty: name at least one station, or leave stations out and "
         "every station steers PTZ cameras"},
        {"", "timeout = 60;", WALL_LINE,
         "wall.ptz.timeout must be a number of seconds from 0.2 to 30 (got 60)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];
        write_file(path, cases[i].camera, cases[i].wall);
        assert_load_fails_with(path, cases[i].line, cases[i].message);
        unlink(path);
    }
}

/* No message shows the ONVIF password, whatever is wrong around it. */
static void passwords_stay_out_of_messages(void **state)
{
    char path[64];
    write_file(path, "ptz = { onvif = \"ftp://192.0.2.1/\"; credentials = \"ptz\"; };",
               "zones = 1;");
    struct diag_list diags;
    assert_false(load_messages(path, &diags));
    assert_true(diags.count >= 2);
    for (int k = 0; k < diags.count; k++) {
        char text[1024];
        diag_format(&diags.items[k], text, sizeof(text));
        assert_null(strstr(text, "o-pass"));
        assert_null(strstr(text, "v-pass"));
    }
    diag_list_finish(&diags);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settings_are_read),
        cmocka_unit_test(defaults),
        cmocka_unit_test(mistakes_are_named_at_their_line),
        cmocka_unit_test(passwords_stay_out_of_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
