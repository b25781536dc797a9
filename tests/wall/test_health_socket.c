/*
 * Picture health on the wall's side (issue 22), on a headless wall
 * in-process (the input harness, whose clips are solid colours):
 * - `stats` gives every feed's `picture` and `picture_since_ms`;
 * - a flat picture is obstructed by design: once the cameras have learnt
 *   their reference and the condition has held, `health` lists the solid
 *   colours as obstructed, by number, and the log says so once per camera;
 * - `health reset N` makes camera N learn again (it leaves the list),
 *   audited as health-reset; no camera, one not open here, a bad number
 *   or a camera whose picture is not watched are refused with the reason,
 *   and not audited;
 * - wall.picture_health = false: every feed's picture is "off", also
 *   after a reload that says so to feeds already open.
 * Waits are STEP_UNTIL's failure guards (30 s and more), not timing
 * claims: learning and confirming take seconds of real time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "common/log.h"
#include "tests/wall/input_harness.h"

#define REPLY_SIZE (1 << 16)

/* The reply to `line`, which must be "OK " and JSON after it (free it). */
static cJSON *json_reply(struct fixture *fx, const char *line)
{
    static char reply[REPLY_SIZE];
    harness_reply(fx, line, reply, sizeof(reply));
    if (strncmp(reply, "OK ", 3) != 0) {
        fail_msg("%s: %s", line, reply);
    }
    cJSON *json = cJSON_Parse(reply + 3);
    if (!json) {
        fail_msg("%s: not JSON: %s", line, reply + 3);
    }
    return json;
}

/* Camera `number`'s entry in the `health` list, copied into `picture`
 * (empty when it is not listed). */
static void health_of(struct fixture *fx, int number, char *picture, size_t size)
{
    cJSON *list = json_reply(fx, "health");
    assert_true(cJSON_IsArray(list));
    picture[0] = '\0';
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        /* Every entry says who, what and since when. */
        const cJSON *n = cJSON_GetObjectItem(item, "camera");
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
        const char *what = cJSON_GetStringValue(cJSON_GetObjectItem(item, "picture"));
        const cJSON *since = cJSON_GetObjectItem(item, "since_ms");
        assert_true(cJSON_IsNumber(n) && name && what && cJSON_IsNumber(since));
        assert_true(since->valuedouble >= 0);
        /* Only conditions: never ok, learning or off. */
        assert_true(strcmp(what, "frozen") == 0 || strcmp(what, "obstructed") == 0 ||
                    strcmp(what, "blurred") == 0 || strcmp(what, "moved") == 0);
        if ((int)n->valuedouble == number) {
            snprintf(picture, size, "%s", what);
        }
    }
    cJSON_Delete(list);
}

static bool listed_as(struct fixture *fx, int number, const char *condition)
{
    char picture[32];
    health_of(fx, number, picture, sizeof(picture));
    return strcmp(picture, condition) == 0;
}

/* Camera `number`'s picture in `stats` (and its since, in ms); false when
 * no open feed shows it. */
static bool stats_picture(struct fixture *fx, int number, char *picture, size_t size,
                          long *since_ms)
{
    cJSON *stats = json_reply(fx, "stats");
    bool found = false;
    const cJSON *feed;
    cJSON_ArrayForEach(feed, cJSON_GetObjectItem(stats, "feeds"))
    {
        if ((int)cJSON_GetNumberValue(cJSON_GetObjectItem(feed, "camera")) != number) {
            continue;
        }
        const char *what = cJSON_GetStringValue(cJSON_GetObjectItem(feed, "picture"));
        const cJSON *since = cJSON_GetObjectItem(feed, "picture_since_ms");
        assert_true(what && cJSON_IsNumber(since));
        snprintf(picture, size, "%s", what);
        *since_ms = (long)since->valuedouble;
        found = true;
    }
    cJSON_Delete(stats);
    return found;
}

static bool is_live(struct fixture *fx, const char *output, int tile)
{
    return strcmp(harness_tile(fx, output, tile).state, "live") == 0;
}

static void commands_answer_and_refuse(void **state)
{
    struct fixture *fx = *state;
    char reply[512];
    harness_reply(fx, "help", reply, sizeof(reply));
    assert_non_null(strstr(reply, "health | health reset CAMERA"));
    STEP_UNTIL(fx, is_live(fx, "ssc-1", 1) && is_live(fx, "ssc-1", 2));

    /* Every open feed has its picture in the statistics. */
    char picture[32];
    long since = -1;
    assert_true(stats_picture(fx, 101, picture, sizeof(picture), &since));
    assert_true(since >= 0);
    assert_true(strcmp(picture, "learning") == 0 || strcmp(picture, "ok") == 0 ||
                strcmp(picture, "obstructed") == 0);
    health_of(fx, 101, picture, sizeof(picture)); /* the list is well formed */

    harness_reply(fx, "health reset 101", reply, sizeof(reply));
    assert_string_equal(reply, "OK camera 101 learns its picture again");
    assert_int_equal(harness_audited(fx, "socket", "health-reset"), 1);
    FILE *f = fopen(fx->audit, "r");
    assert_non_null(f);
    char line[1024];
    bool named = false;
    while (fgets(line, sizeof(line), f)) {
        named |= strstr(line, " action=health-reset camera=101 name=\"Rojo\" ") != NULL;
    }
    fclose(f);
    assert_true(named);

    static const struct {
        const char *command, *reply;
    } refused[] = {
        {"health reset 999", "ERR no camera 999"},
        {"health reset 105", "ERR camera 105 is not open on this station"}, /* page 2 */
        {"health reset 0", "ERR camera must be 1 to 999999 (got '0')"},
        {"health reset abc", "ERR camera must be 1 to 999999 (got 'abc')"},
        {"health reset", "ERR usage: health | health reset CAMERA"},
        {"health 101", "ERR usage: health | health reset CAMERA"},
        {"health reset 101 102", "ERR usage: health | health reset CAMERA"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        harness_reply(fx, refused[i].command, reply, sizeof(reply));
        assert_string_equal(reply, refused[i].reply);
    }
    assert_int_equal(harness_audited(fx, "socket", "health-reset"), 1);
}

static void flat_pictures_are_obstructed(void **state)
{
    struct fixture *fx = *state;
    harness_capture_start(fx);
    STEP_UNTIL(fx, listed_as(fx, 101, "obstructed") && listed_as(fx, 102, "obstructed") &&
                       listed_as(fx, 103, "obstructed"));
    char picture[32];
    long since = 0;
    assert_true(stats_picture(fx, 101, picture, sizeof(picture), &since));
    assert_string_equal(picture, "obstructed");

    /* Learning again: off the list until it has learnt and confirmed. */
    harness_command(fx, "health reset 101");
    STEP_UNTIL(fx, !listed_as(fx, 101, "obstructed"));
    assert_true(stats_picture(fx, 101, picture, sizeof(picture), &since));
    assert_string_equal(picture, "learning");
    assert_true(listed_as(fx, 102, "obstructed")); /* the others are left alone */
    STEP_UNTIL(fx, listed_as(fx, 101, "obstructed"));
    char *log = harness_capture_end(fx);

    /* Said once at its onset, for people; not again after relearning the
     * same flat view (it never was ok in between). */
    assert_int_equal(harness_count_of(log, "WARN  feed: camera 101 (Rojo): obstructed\n"), 1);
    assert_int_equal(harness_count_of(log, "WARN  feed: camera 102 (Verde): obstructed\n"), 1);
    assert_int_equal(harness_count_of(log, "picture ok again"), 0);
    free(log);
}

static void off_in_the_layout(void **state)
{
    struct fixture *fx = *state;
    wall_destroy(fx->wall);
    harness_write_layout(fx, "wall = { picture_health = false; };\n");
    fx->wall = wall_create(&fx->options, harness_load(fx->path));
    assert_non_null(fx->wall);
    STEP_UNTIL(fx, is_live(fx, "ssc-1", 1));
    char picture[32];
    long since = -1;
    assert_true(stats_picture(fx, 101, picture, sizeof(picture), &since));
    assert_string_equal(picture, "off");
    assert_int_equal(since, 0);
    char reply[256];
    harness_reply(fx, "health", reply, sizeof(reply));
    assert_string_equal(reply, "OK []");
    harness_reply(fx, "health reset 101", reply, sizeof(reply));
    assert_string_equal(reply, "ERR camera 101: its picture is not watched (picture_health is "
                               "off in the layout file)");
    assert_int_equal(harness_audited(fx, "socket", "health-reset"), 0);
}

static bool picture_is(struct fixture *fx, int number, const char *want)
{
    char picture[32];
    long since;
    return stats_picture(fx, number, picture, sizeof(picture), &since) &&
           strcmp(picture, want) == 0;
}

/* A reload that turns the watch off reaches the feeds it keeps open (their
 * tiles never flash), and one that turns it on again starts them learning. */
static void a_reload_turns_it_off_and_on(void **state)
{
    struct fixture *fx = *state;
    STEP_UNTIL(fx, is_live(fx, "ssc-1", 1));
    assert_false(picture_is(fx, 101, "off"));
    harness_write_layout(fx, "wall = { picture_health = false; };\n");
    STEP_UNTIL(fx, picture_is(fx, 101, "off") && picture_is(fx, 102, "off"));
    assert_true(is_live(fx, "ssc-1", 1));
    harness_write_layout(fx, "wall = { picture_thresholds = { frozen = 20; }; };\n");
    STEP_UNTIL(fx, picture_is(fx, 101, "learning"));
}

#define WITH_WALL(test) cmocka_unit_test_setup_teardown(test, harness_setup, harness_teardown)

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    unsetenv("LANGUAGE"); /* the replies and the log as written */
    setenv("LC_ALL", "C", 1);
    log_set_level(LOG_INFO);
    const struct CMUnitTest tests[] = {
        WITH_WALL(commands_answer_and_refuse),
        WITH_WALL(flat_pictures_are_obstructed),
        WITH_WALL(off_in_the_layout),
        WITH_WALL(a_reload_turns_it_off_and_on),
    };
    return cmocka_run_group_tests(tests, harness_make_clips, harness_remove_clips);
}
