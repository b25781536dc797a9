/* Credentials stay out of layout URLs and logs; the feed URL gets them
 * percent-encoded, and redaction removes them again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common/log.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_credentials_keeps_url),
        cmocka_unit_test(credentials_are_joined_and_encoded),
        cmocka_unit_test(user_without_password),
        cmocka_unit_test(files_take_no_credentials),
        cmocka_unit_test(redaction_in_free_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
