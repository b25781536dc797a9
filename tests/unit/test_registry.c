/* The camera registry: streams, credentials, privacy masks, and lookups by
 * number on many cameras. */
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
#include "layouts/urls.h"

static void assert_point(struct layout_point p, double x, double y)
{
    assert_true(p.x == x && p.y == y);
}

static void cameras_of_the_full_format(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    const struct layout_camera *c = layout_find_camera(wall, 101);
    assert_string_equal(c->name, "Av. Tulum y Cobá");
    assert_string_equal(c->url, "rtsp://10.20.1.11/Streaming/Channels/101");
    assert_string_equal(c->sub_url, "rtsp://10.20.1.11/Streaming/Channels/102");
    assert_string_equal(c->username, "visor");
    assert_string_equal(c->password, "s3cret:@/%"); /* as written, not URL-encoded */
    assert_ptr_equal(c->file, wall->files[2]);
    assert_int_equal(c->line, 3);

    c = layout_find_camera(wall, 102); /* url: a synonym of main; every default */
    assert_string_equal(c->url, corpus("clips/cam02.mp4"));
    assert_null(c->sub_url);
    assert_null(c->username);
    assert_int_equal(c->programme, LAYOUT_PROGRAMME_SSC);
    assert_int_equal(c->site, LAYOUT_SITE_STREET);
    assert_int_equal(c->status, LAYOUT_STATUS_ACTIVE);

    assert_int_equal(layout_find_camera(wall, 103)->status, LAYOUT_STATUS_SUSPENDED);
    assert_int_equal(layout_find_camera(wall, 2103)->status, LAYOUT_STATUS_REMOVED);
    c = layout_find_camera(wall, 2101);
    assert_int_equal(c->programme, LAYOUT_PROGRAMME_GUARDIANS);
    assert_int_equal(c->site, LAYOUT_SITE_BANK);
    assert_string_equal(c->url, "rtsp://10.40.1.11/cam/realmonitor?channel=1&subtype=0");
    assert_string_equal(c->username, "c5");
    assert_string_equal(c->password, ""); /* an empty password is a password */
    layout_destroy(wall);
}

static void privacy_masks(void **state)
{
    struct layout_wall *wall = load_clean(corpus("valid-wall.cfg"));
    const struct layout_camera *c = layout_find_camera(wall, 2102);
    assert_int_equal(c->site, LAYOUT_SITE_HOME);
    assert_int_equal(c->n_masks, 2);
    /* A rectangle [x, y, w, h] becomes its corners, clockwise from top-left. */
    assert_int_equal(c->masks[0].n_points, 4);
    assert_point(c->masks[0].points[0], 0.0, 0.0);
    assert_point(c->masks[0].points[1], 0.3, 0.0);
    assert_point(c->masks[0].points[2], 0.3, 1.0);
    assert_point(c->masks[0].points[3], 0.0, 1.0);
    assert_int_equal(c->masks[1].n_points, 3);
    assert_point(c->masks[1].points[0], 0.5, 0.1);
    assert_point(c->masks[1].points[2], 0.7, 0.6);
    assert_int_equal(layout_find_camera(wall, 101)->n_masks, 0);
    assert_null(layout_find_camera(wall, 101)->masks);
    layout_destroy(wall);
}

/* Credentials written in a URL are taken out of it (with a warning), decoded;
 * a credentials entry wins over them. */
static void credentials_in_urls(void **state)
{
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(corpus("warn-credentials-url.cfg"), &diags);
    assert_non_null(wall);
    assert_int_equal(diags.errors, 0);
    assert_int_equal(diags.count, 3);
    const struct layout_camera *c = layout_find_camera(wall, 101);
    assert_string_equal(c->url, "rtsp://10.20.1.11/Streaming/Channels/101");
    assert_string_equal(c->username, "admin");
    assert_string_equal(c->password, "Sup3r@secreto");
    c = layout_find_camera(wall, 102);
    assert_string_equal(c->url, "rtsp://10.20.1.12/a");
    assert_string_equal(c->sub_url, "rtsp://10.20.1.12/b");
    assert_string_equal(c->username, "viewer");
    assert_null(c->password);
    c = layout_find_camera(wall, 103);
    assert_string_equal(c->url, "rtsp://10.20.1.13/a");
    assert_string_equal(c->username, "visor");
    assert_string_equal(c->password, "entry-password");
    layout_destroy(wall);
    diag_list_finish(&diags);
}

/* A new temporary full-format file (path: a mkstemp template) with one
 * output showing camera `shown`, open at the start of its camera list,
 * which begins on line 4. */
static FILE *open_cameras_file(char *path, int shown)
{
    FILE *f = temp_file(path);
    fprintf(f,
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"main\"; rect = [0, 0, 1920, 1080];\n"
            "  pages = ( { layout = \"one\"; tiles = (%d); } ); } );\n"
            "cameras = (\n",
            shown);
    return f;
}

/* A full-format file with the given camera entries (one per line, from line 4),
 * in a temporary file whose path is returned (static: one at a time). */
static const char *write_cameras(const char *const *cameras, int n)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/wall-raw-urls-XXXXXX");
    FILE *f = open_cameras_file(path, 101);
    for (int i = 0; i < n; i++) {
        fprintf(f, "  %s%s\n", cameras[i], i + 1 < n ? "," : "");
    }
    fprintf(f, ");\n");
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Whether diags holds "path:line: text" exactly. */
static bool said(const struct diag_list *diags, const char *path, int line, const char *text)
{
    char want[1024];
    snprintf(want, sizeof(want), "%s:%d: %s", path, line, text);
    return has_exact_message(diags, want);
}

/* No message may show any of `secrets`. */
static void assert_no_secret(const struct diag_list *diags, const char *const *secrets)
{
    for (int i = 0; i < diags->count; i++) {
        char got[1024];
        diag_format(&diags->items[i], got, sizeof(got));
        for (int k = 0; secrets[k]; k++) {
            if (strstr(got, secrets[k])) {
                fail_msg("a message shows '%s': %s", secrets[k], got);
            }
        }
    }
}

#define RAW_WARNING(label, what)                                                                  \
    "warning: " label ": the " what " in the URL holds characters a URL reserves (/ ? # @ [ ]): " \
    "it is read as written, up to the last '@'; keep it in a credentials entry instead"

/* What the wall puts into a feed URL (layout_url_with_credentials) is what
 * the layout reader takes out of it again, whatever the credentials hold. */
static void credentials_round_trip(void **state)
{
    static const struct {
        const char *user, *password, *url;
    } cases[] = {
        {"visor", "p@ss:w/rd 1", "rtsp://visor:p%40ss%3Aw%2Frd%201@127.0.0.1:554/cam?x=1"},
        {"dom:ain\\op", "Raw#Passw0rd/x?y'z@:q",
         "rtsp://dom%3Aain%5Cop:Raw%23Passw0rd%2Fx%3Fy'z%40%3Aq@127.0.0.1:554/cam?x=1"},
        {"a%41", "100%", "rtsp://a%2541:100%25@127.0.0.1:554/cam?x=1"},
        {"jos\xc3\xa9", "[\"::1\"]", "rtsp://jos%C3%A9:%5B%22%3A%3A1%22%5D@127.0.0.1:554/cam?x=1"},
        {"guest", NULL, "rtsp://guest@127.0.0.1:554/cam?x=1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *url = layout_url_with_credentials("rtsp://127.0.0.1:554/cam?x=1", cases[i].user,
                                                cases[i].password);
        assert_string_equal(url, cases[i].url);
        char entry[512];
        snprintf(entry, sizeof(entry), "{ number = 101; name = \"Uno\"; main = \"%s\"; }", url);
        free(url);
        const char *const cameras[] = {entry};
        const char *path = write_cameras(cameras, 1);
        struct diag_list diags;
        diag_list_init(&diags);
        struct layout_wall *wall = layout_load(path, &diags);
        assert_non_null(wall);
        const struct layout_camera *c = layout_find_camera(wall, 101);
        assert_string_equal(c->url, "rtsp://127.0.0.1:554/cam?x=1");
        assert_string_equal(c->username, cases[i].user);
        if (cases[i].password) {
            assert_string_equal(c->password, cases[i].password);
        } else {
            assert_null(c->password);
        }
        /* Only "credentials in the URL": nothing was typed raw. */
        assert_int_equal(diags.count, 1);
        layout_destroy(wall);
        diag_list_finish(&diags);
        unlink(path);
    }
    /* Without a user name, or for a file, the address stays as it is. */
    char *plain = layout_url_with_credentials("rtsp://127.0.0.1/x", NULL, "ignored");
    assert_string_equal(plain, "rtsp://127.0.0.1/x");
    free(plain);
    char *file = layout_url_with_credentials("/var/lib/wall/a.mp4", "u", "p");
    assert_string_equal(file, "/var/lib/wall/a.mp4");
    free(file);
}

/* A password typed raw, with characters a URL reserves: the user name and
 * password run to the last '@' that a host follows, kept as written, and
 * each such URL gets a warning (that never shows them). */
static void raw_passwords_in_urls(void **state)
{
    static const char *const cameras[] = {
        "{ number = 101; name = \"Uno\"; "
        "main = \"rtsp://rawUser6:Raw#Passw0rd/x?y'z@127.0.0.1:8554/cam3\"; }",
        "{ number = 102; name = \"Dos\"; main = "
        "\"rtsp://u2:p@ss:w/rd?#'x@[fe80::1%25eth0]:554/a\";"
        " sub = \"RTSP://u3:a%41#b@cam.local/s?q=1#f\"; }",
        "{ number = 103; name = \"Tres\"; main = \"rtsp://u4:Sup3r%40secreto@10.0.0.4/x?a@\"; }",
        "{ number = 104; name = \"Cuatro\"; main = "
        "\"http://127.0.0.1/snap?mail=ops@example.com\"; "
        "}",
        "{ number = 105; name = \"Cinco\"; main = \"https://u6:p@ss@10.0.0.6:8443/v\"; }",
        "{ number = 106; name = \"Seis\"; main = \"rtsp://u7:clave7@10.0.0.7/x?e=a@b.com\"; }",
    };
    const char *path = write_cameras(cameras, 6);
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(path, &diags);
    if (!wall) {
        diag_list_print(&diags, stderr);
    }
    assert_non_null(wall);

    const struct layout_camera *c = layout_find_camera(wall, 101);
    assert_string_equal(c->url, "rtsp://127.0.0.1:8554/cam3");
    assert_string_equal(c->username, "rawUser6");
    assert_string_equal(c->password, "Raw#Passw0rd/x?y'z");
    assert_true(said(&diags, path, 5, RAW_WARNING("camera 101", "password")));

    c = layout_find_camera(wall, 102); /* '@' and ':' too; an IPv6 host with a zone */
    assert_string_equal(c->url, "rtsp://[fe80::1%25eth0]:554/a");
    assert_string_equal(c->username, "u2");
    assert_string_equal(c->password, "p@ss:w/rd?#'x");
    assert_true(said(&diags, path, 6, RAW_WARNING("camera 102", "password")));
    /* Typed raw, so %41 stays as written; the host ends at its path. */
    assert_string_equal(c->sub_url, "rtsp://cam.local/s?q=1#f");
    assert_true(said(&diags, path, 6, RAW_WARNING("camera 102: sub", "password")));

    c = layout_find_camera(wall, 103); /* encoded as a URL wants: decoded, no warning */
    assert_string_equal(c->url, "rtsp://10.0.0.4/x?a@");
    assert_string_equal(c->username, "u4");
    assert_string_equal(c->password, "Sup3r@secreto");

    c = layout_find_camera(wall, 104); /* an '@' in a query is no userinfo */
    assert_string_equal(c->url, "http://127.0.0.1/snap?mail=ops@example.com");
    assert_null(c->username);
    assert_null(c->password);

    c = layout_find_camera(wall, 105); /* a raw '@' in the authority */
    assert_string_equal(c->url, "https://10.0.0.6:8443/v");
    assert_string_equal(c->username, "u6");
    assert_string_equal(c->password, "p@ss");
    assert_true(said(&diags, path, 9, RAW_WARNING("camera 105", "password")));

    c = layout_find_camera(wall, 106); /* written as a URL wants, an '@' in its query */
    assert_string_equal(c->url, "rtsp://10.0.0.7/x?e=a@b.com");
    assert_string_equal(c->username, "u7");
    assert_string_equal(c->password, "clave7");

    /* 4 raw warnings, and "credentials in the URL" for 101, 102, 103, 105, 106. */
    assert_int_equal(diags.errors, 0);
    assert_int_equal(diags.count, 9);
    static const char *const secrets[] = {"rawUser6", "Passw0rd", "u2:",  "w/rd",   "a%41",
                                          "Sup3r",    "secreto",  "p@ss", "clave7", NULL};
    assert_no_secret(&diags, secrets);
    layout_destroy(wall);
    diag_list_finish(&diags);
    unlink(path);
}

/* A raw password with nothing after its last '@' names no host: an error,
 * not a host made of the password. */
static void raw_password_without_host(void **state)
{
    static const char *const cameras[] = {
        "{ number = 101; name = \"Uno\"; main = \"rtsp://rawUser6:Raw#Passw0rd@\"; }",
        "{ number = 102; name = \"Dos\"; main = \"rtsp://u:p/x?y@/cam\"; }",
    };
    const char *path = write_cameras(cameras, 2);
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(path, &diags);
    assert_null(wall);
    assert_true(said(&diags, path, 5, "camera 101: url has no host after 'rtsp://'"));
    assert_true(said(&diags, path, 6, "camera 102: url has no host after 'rtsp://'"));
    static const char *const secrets[] = {"rawUser6", "Passw0rd", "p/x", NULL};
    assert_no_secret(&diags, secrets);
    diag_list_finish(&diags);
    unlink(path);
}

/* A file of n cameras in a scrambled order of numbers 3, 6, 9, ... */
static char *write_many(int n)
{
    static char path[] = "/tmp/wall-many-cameras-XXXXXX";
    FILE *f = open_cameras_file(path, 3);
    for (int i = 0; i < n; i++) {
        int k = (int)(((long long)i * 7919) % n); /* 7919 is prime: a permutation */
        fprintf(f, "  { number = %d; name = \"Cámara %d\"; main = \"rtsp://10.0.%d.%d/a\"; }%s\n",
                3 * (k + 1), k, k / 250, k % 250, i + 1 < n ? "," : "");
    }
    fprintf(f, ");\n");
    assert_int_equal(fclose(f), 0);
    return path;
}

static void find_camera_among_many(void **state)
{
    const int n = 20000;
    char *path = write_many(n);
    struct layout_wall *wall = load_clean(path);
    unlink(path);
    assert_int_equal(wall->n_cameras, n);
    for (int i = 1; i < n; i++) {
        int a = wall->cameras[wall->by_number[i - 1]].number;
        int b = wall->cameras[wall->by_number[i]].number;
        assert_true(a < b);
    }
    for (int number = 0; number <= 3 * n + 3; number++) {
        const struct layout_camera *c = layout_find_camera(wall, number);
        if (number > 0 && number % 3 == 0 && number <= 3 * n) {
            assert_non_null(c);
            assert_int_equal(c->number, number);
        } else {
            assert_null(c);
        }
    }
    assert_null(layout_find_camera(wall, -3));
    assert_int_equal(wall->outputs[0].pages[0].tiles[0].camera,
                     (int)(layout_find_camera(wall, 3) - wall->cameras));
    layout_destroy(wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cameras_of_the_full_format), cmocka_unit_test(privacy_masks),
        cmocka_unit_test(credentials_in_urls),        cmocka_unit_test(credentials_round_trip),
        cmocka_unit_test(raw_passwords_in_urls),      cmocka_unit_test(raw_password_without_host),
        cmocka_unit_test(find_camera_among_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
