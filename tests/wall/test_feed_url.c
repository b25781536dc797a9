/* Credentials stay out of layout URLs and logs; the feed URL gets them
 * percent-encoded, and redaction removes them again. The feed's picture
 * health thresholds come from the layout, the defaults where it says
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavformat/avformat.h>

#include "common/log.h"
#include "layouts/layout.h"
#include "wall/sources.h"

static void no_credentials_keeps_url(void **state)
{
    struct layout_camera cam = {.url = "rtsp://10.20.1.11/Streaming/Channels/102"};
    char *url = sources_feed_url(&cam, SOURCE_MAIN);
    assert_string_equal(url, "rtsp://10.20.1.11/Streaming/Channels/102");
    free(url);
}

static void credentials_are_joined_and_encoded(void **state)
{
    struct layout_camera cam = {
        .url = "rtsp://10.20.1.11:554/Streaming/Channels/101",
        .username = "visor",
        .password = "p@ss:w/rd 1",
    };
    char *url = sources_feed_url(&cam, SOURCE_MAIN);
    assert_string_equal(url,
                        "rtsp://visor:p%40ss%3Aw%2Frd%201@10.20.1.11:554/Streaming/Channels/101");
    char safe[256];
    log_redact_url(url, safe, sizeof(safe));
    assert_string_equal(safe, "rtsp://***@10.20.1.11:554/Streaming/Channels/101");
    free(url);
}

static void user_without_password(void **state)
{
    struct layout_camera cam = {.url = "http://cam.example.mx/video", .username = "guest"};
    char *url = sources_feed_url(&cam, SOURCE_MAIN);
    assert_string_equal(url, "http://guest@cam.example.mx/video");
    free(url);
}

static void files_take_no_credentials(void **state)
{
    struct layout_camera cam = {
        .url = "/var/lib/wall/clips/a.mp4", .username = "x", .password = "y"};
    char *url = sources_feed_url(&cam, SOURCE_MAIN);
    assert_string_equal(url, "/var/lib/wall/clips/a.mp4");
    free(url);
}

static void redaction_in_free_text(void **state)
{
    char text[] = "Connection to rtsp://admin:12345@10.0.0.5:554/x failed; "
                  "retry http://u:p@h/y and ftp://u@h";
    log_redact_text(text);
    assert_string_equal(text, "Connection to rtsp://***@10.0.0.5:554/x failed; "
                              "retry http://***@h/y and ftp://*@h");
}

/* A camera URL as typed, its password raw: # / ? ' @ : in it. */
#define RAW_URL      "rtsp://rawUser6:Raw#Passw0rd/x?y'z@:q@127.0.0.1:8554/cam3"
#define RAW_PASSWORD "Raw#Passw0rd/x?y'z@:q"

/* The camera 101 of a one-camera layout whose main stream is `url`. */
static struct layout_wall *load_camera(const char *url)
{
    char path[] = "/tmp/wall-feed-url-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f,
            "layouts = ( { name = \"one\"; grid = [1, 1]; } );\n"
            "outputs = ( { id = \"main\"; rect = [0, 0, 640, 360];\n"
            "  pages = ( { layout = \"one\"; tiles = (101); } ); } );\n"
            "cameras = ( { number = 101; name = \"Uno\"; main = \"%s\"; } );\n",
            url);
    assert_int_equal(fclose(f), 0);
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *wall = layout_load(path, &diags);
    unlink(path);
    assert_non_null(wall);
    assert_int_equal(diags.errors, 0);
    diag_list_finish(&diags);
    return wall;
}

/* text with its %XX escapes decoded (as FFmpeg decodes a URL's userinfo). */
static void decode(const char *text, char *out)
{
    for (; *text; out++) {
        unsigned byte;
        if (text[0] == '%' && sscanf(text + 1, "%2x", &byte) == 1) {
            *out = (char)byte;
            text += 3;
        } else {
            *out = *text++;
        }
    }
    *out = '\0';
}

/* The raw password from the layout goes back into the feed URL encoded, so
 * that FFmpeg splits it where we did and gets the password back; redacted,
 * it shows neither. */
static void raw_password_round_trip(void **state)
{
    struct layout_wall *wall = load_camera(RAW_URL);
    const struct layout_camera *cam = layout_find_camera(wall, 101);
    assert_string_equal(cam->url, "rtsp://127.0.0.1:8554/cam3");
    assert_string_equal(cam->password, RAW_PASSWORD);
    char *url = sources_feed_url(cam, SOURCE_MAIN);
    assert_string_equal(url,
                        "rtsp://rawUser6:Raw%23Passw0rd%2Fx%3Fy'z%40%3Aq@127.0.0.1:8554/cam3");

    char auth[256], host[256], path[256], user[256], password[256];
    int port = -1;
    av_url_split(NULL, 0, auth, sizeof(auth), host, sizeof(host), &port, path, sizeof(path), url);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8554);
    assert_string_equal(path, "/cam3");
    char *colon = strchr(auth, ':');
    assert_non_null(colon);
    *colon = '\0';
    decode(auth, user);
    decode(colon + 1, password);
    assert_string_equal(user, "rawUser6");
    assert_string_equal(password, RAW_PASSWORD);

    char safe[256];
    assert_string_equal(log_redact_url(url, safe, sizeof(safe)), "rtsp://***@127.0.0.1:8554/cam3");
    free(url);
    layout_destroy(wall);
}

/* As typed, a raw URL is redacted up to its last '@': a quote, '#', '/',
 * '?' or '@' in the password does not end the userinfo. */
static void redaction_of_raw_passwords(void **state)
{
    char safe[256];
    assert_string_equal(log_redact_url(RAW_URL, safe, sizeof(safe)),
                        "rtsp://***@127.0.0.1:8554/cam3");
    assert_string_equal(log_redact_url("http://u:p\"q#r@h/x", safe, sizeof(safe)),
                        "http://***@h/x");
    assert_string_equal(log_redact_url("rtsp://a#@h", safe, sizeof(safe)), "rtsp://**@h");
    /* An '@' in a query masks more than the userinfo: the safe side. */
    assert_string_equal(log_redact_url("rtsp://h/x?mail=a@b", safe, sizeof(safe)), "rtsp://***@b");
    assert_string_equal(log_redact_url("rtsp://h/x?a=1#b", safe, sizeof(safe)),
                        "rtsp://h/x?a=1#b");

    char text[] = "open 'rtsp://rawUser6:Raw#Passw0rd/x?y'z@127.0.0.1:8554/cam3' failed; "
                  "\"url\": \"http://u:a\"b,c@h2/y\"\tnext rtsp://v:w#x@h3\n"
                  "plain rtsp://h4/z?q#f and ftp://u@h";
    log_redact_text(text);
    assert_string_equal(text, "open 'rtsp://***@127.0.0.1:8554/cam3' failed; "
                              "\"url\": \"http://***@h2/y\"\tnext rtsp://***@h3\n"
                              "plain rtsp://h4/z?q#f and ftp://*@h");
}

/* Cut to a small buffer, the URL is redacted whole first: the part that
 * is kept shows no piece of the password. */
static void redaction_before_cutting(void **state)
{
    char safe[16];
    assert_string_equal(log_redact_url(RAW_URL, safe, sizeof(safe)), "rtsp://***@127.");
    char tiny[9];
    assert_string_equal(log_redact_url(RAW_URL, tiny, sizeof(tiny)), "rtsp://*");
}

/* A log line longer than a line may be: redacted before it is cut. */
static void long_log_line(void **state)
{
    char before[901], inside[1001];
    memset(before, 'x', sizeof(before) - 1);
    before[sizeof(before) - 1] = '\0';
    memset(inside, 'y', sizeof(inside) - 1);
    inside[sizeof(inside) - 1] = '\0';
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(pipe_fds[1], STDERR_FILENO) >= 0);
    log_set_level(LOG_INFO);
    /* The URL begins before the cut (about 1024 bytes), its '@' lies past it. */
    log_info("test", "%s rtsp://rawUser6:Raw#Passw0rd/x?y'z%s@127.0.0.1/cam3", before, inside);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    close(pipe_fds[1]);
    char line[4096];
    ssize_t n = read(pipe_fds[0], line, sizeof(line) - 1);
    close(pipe_fds[0]);
    assert_true(n > 900 && n < 1025);
    line[n] = '\0';
    assert_int_equal(line[n - 1], '\n');
    assert_non_null(strstr(line, " rtsp://***@127.0.0.1/cam3"));
    assert_null(strstr(line, "rawUser6"));
    assert_null(strstr(line, "Passw0rd"));
}

static void health_settings_follow_the_layout(void **state)
{
    struct health_settings want, got;
    health_settings_default(&want);
    struct layout_wall layout = {.picture_health = true}; /* thresholds not set: all 0 */
    sources_health_settings(&layout, &got);
    assert_true(got.frozen_s == want.frozen_s && got.obstructed == want.obstructed &&
                got.blurred == want.blurred && got.moved == want.moved);

    layout.picture_thresholds = (struct layout_picture_thresholds){.frozen = 30, .moved = 0.2};
    sources_health_settings(&layout, &got);
    assert_true(got.frozen_s == 30 && got.moved == 0.2);
    assert_true(got.obstructed == want.obstructed && got.blurred == want.blurred);
    assert_true(got.confirm_s == want.confirm_s && got.learn_s == want.learn_s &&
                got.sample_ms == want.sample_ms);

    layout.picture_thresholds = (struct layout_picture_thresholds){
        .frozen = 5, .obstructed = 0.9, .blurred = 0.3, .moved = 0.6};
    sources_health_settings(&layout, &got);
    assert_true(got.frozen_s == 5 && got.obstructed == 0.9 && got.blurred == 0.3 &&
                got.moved == 0.6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_credentials_keeps_url),
        cmocka_unit_test(credentials_are_joined_and_encoded),
        cmocka_unit_test(user_without_password),
        cmocka_unit_test(files_take_no_credentials),
        cmocka_unit_test(redaction_in_free_text),
        cmocka_unit_test(raw_password_round_trip),
        cmocka_unit_test(redaction_of_raw_passwords),
        cmocka_unit_test(redaction_before_cutting),
        cmocka_unit_test(long_log_line),
        cmocka_unit_test(health_settings_follow_the_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
