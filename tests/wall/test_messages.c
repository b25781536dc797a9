/* Messages: topics and JSON payloads between stations: round trips of
 * every payload and the exact texts of the issue's examples. Hostile
 * payloads are in test_messages_hostile.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wall/messages.h"

/* ---- topics ---- */

static void topics_are_built(void **state)
{
    char buf[MSG_TOPIC_MAX];
    assert_true(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_ONLINE, "ssc"));
    assert_string_equal(buf, "wall/c5/station/ssc/online");
    assert_true(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_ACK, "g911"));
    assert_string_equal(buf, "wall/c5/station/g911/ack");
    assert_true(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_STATE, "g911-1"));
    assert_string_equal(buf, "wall/c5/output/g911-1/state");
    assert_true(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_COMMAND, "g911-1"));
    assert_string_equal(buf, "wall/c5/output/g911-1/command");
    /* NULL name: a subscription filter. */
    assert_true(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_ACK, NULL));
    assert_string_equal(buf, "wall/c5/station/+/ack");
}

static void longest_topic_fits(void **state)
{
    char name[MSG_NAME_MAX + 1];
    memset(name, 'n', MSG_NAME_MAX);
    name[MSG_NAME_MAX] = '\0';
    char buf[MSG_TOPIC_MAX];
    assert_true(msg_topic_build(buf, sizeof(buf), name, MSG_TOPIC_COMMAND, name));
    enum msg_topic_kind kind;
    char back[MSG_NAME_MAX + 1];
    assert_true(msg_topic_parse(buf, name, &kind, back));
    assert_int_equal(kind, MSG_TOPIC_COMMAND);
    assert_string_equal(back, name);
    /* A buffer too small is refused, and left empty. */
    char small[20];
    assert_false(msg_topic_build(small, sizeof(small), "c5", MSG_TOPIC_ONLINE, "ssc"));
    assert_string_equal(small, "");
}

static void topics_with_bad_names_are_not_built(void **state)
{
    char buf[MSG_TOPIC_MAX];
    const char *bad[] = {"", "g911/1", "+", "#", "a b", "s\xc3\xa9", "a.b"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_STATE, bad[i]));
        assert_false(msg_topic_build(buf, sizeof(buf), bad[i], MSG_TOPIC_STATE, "ssc-1"));
    }
    char long_name[MSG_NAME_MAX + 2];
    memset(long_name, 'n', MSG_NAME_MAX + 1);
    long_name[MSG_NAME_MAX + 1] = '\0';
    assert_false(msg_topic_build(buf, sizeof(buf), "c5", MSG_TOPIC_STATE, long_name));
    assert_false(msg_topic_build(buf, sizeof(buf), "c5", (enum msg_topic_kind)9, "ssc"));
}

static void topics_are_parsed(void **state)
{
    static const struct {
        const char *topic;
        enum msg_topic_kind kind;
        const char *name;
    } good[] = {
        {"wall/c5/station/ssc/online", MSG_TOPIC_ONLINE, "ssc"},
        {"wall/c5/station/g911/ack", MSG_TOPIC_ACK, "g911"},
        {"wall/c5/output/g911-1/state", MSG_TOPIC_STATE, "g911-1"},
        {"wall/c5/output/g911-1/command", MSG_TOPIC_COMMAND, "g911-1"},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        enum msg_topic_kind kind = good[(i + 1) % 4].kind; /* any other */
        char name[MSG_NAME_MAX + 1];
        assert_true(msg_topic_parse(good[i].topic, "c5", &kind, name));
        assert_int_equal(kind, good[i].kind);
        assert_string_equal(name, good[i].name);
    }
}

static void foreign_topics_are_refused(void **state)
{
    const char *bad[] = {
        "wall/c4/station/ssc/online",     /* another wall */
        "wall/c5/station/ssc/state",      /* a station has no state */
        "wall/c5/output/ssc-1/online",    /* an output has no online */
        "wall/c5/output/ssc-1/command/x", /* one level too many */
        "wall/c5/output/ssc-1",           /* one too few */
        "wall/c5/output//command",        /* empty name */
        "wall/c5/output/+/command",       /* a wildcard */
        "wall/c5/output/#",               /* a wildcard */
        "/wall/c5/output/ssc-1/command",  /* leading slash */
        "wall/c5/output/ssc-1/command/",  /* trailing slash */
        "walls/c5/output/ssc-1/command",  /* not ours */
        "wall/c5/output/ssc 1/command",   /* bad name */
        "wall/c5/output/ssc-1/commandx",  /* leaf with a tail */
        "wall/c5x/output/ssc-1/command",  /* wall id with a tail */
        "wall/c/output/ssc-1/command",    /* wall id cut */
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum msg_topic_kind kind;
        char name[MSG_NAME_MAX + 1] = "x";
        assert_false(msg_topic_parse(bad[i], "c5", &kind, name));
        assert_string_equal(name, "");
    }
    char name[MSG_NAME_MAX + 1];
    enum msg_topic_kind kind;
    assert_false(msg_topic_parse(NULL, "c5", &kind, name));
    /* A name over the limit in a topic. */
    char topic[256];
    char long_name[MSG_NAME_MAX + 2];
    memset(long_name, 'n', MSG_NAME_MAX + 1);
    long_name[MSG_NAME_MAX + 1] = '\0';
    snprintf(topic, sizeof(topic), "wall/c5/output/%s/state", long_name);
    assert_false(msg_topic_parse(topic, "c5", &kind, name));
}

/* ---- payloads: round trips and the issue's examples ---- */

static void online_round_trip(void **state)
{
    struct msg_online m = {.online = true, .station = "ssc", .since = "2026-11-29T19:32:05Z"};
    char err[MSG_ERROR_SIZE];
    char *text = msg_encode_online(&m, err, sizeof(err));
    assert_non_null(text);
    assert_string_equal(
        text, "{\"online\":true,\"station\":\"ssc\",\"since\":\"2026-11-29T19:32:05Z\"}");
    struct msg_online back;
    assert_true(msg_decode_online(text, strlen(text), &back, err, sizeof(err)));
    assert_true(back.online);
    assert_string_equal(back.station, "ssc");
    assert_string_equal(back.since, "2026-11-29T19:32:05Z");
    free(text);

    /* The last will has no "since". */
    struct msg_online will = {.online = false, .station = "ssc"};
    text = msg_encode_online(&will, err, sizeof(err));
    assert_string_equal(text, "{\"online\":false,\"station\":\"ssc\"}");
    free(text);
    const char *issue = "{\"online\": false, \"station\": \"ssc\"}";
    assert_true(msg_decode_online(issue, strlen(issue), &back, err, sizeof(err)));
    assert_false(back.online);
    assert_string_equal(back.since, "");
}

static void time_is_iso_utc(void **state)
{
    char buf[MSG_TIME_MAX + 1];
    msg_format_time(0, buf, sizeof(buf));
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    msg_format_time(1795980725, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-29T19:32:05Z");
}

static void state_from_the_issue(void **state)
{
    const char *issue = "{\"output\": \"g911-1\", \"station\": \"g911\", \"page\": 1, "
                        "\"maximized\": 0, \"selected\": 2, \"tiles\": [{\"tile\": 1, "
                        "\"camera\": 2101, \"tour\": null}, {\"tile\": 2, \"camera\": 0, "
                        "\"tour\": \"noche\"}], \"seq\": 17}";
    struct msg_state m;
    char err[MSG_ERROR_SIZE] = "";
    assert_true(msg_decode_state(issue, strlen(issue), &m, err, sizeof(err)));
    assert_string_equal(m.output, "g911-1");
    assert_string_equal(m.station, "g911");
    assert_int_equal(m.page, 1);
    assert_int_equal(m.maximized, 0);
    assert_int_equal(m.selected, 2);
    assert_int_equal(m.n_tiles, 2);
    assert_int_equal(m.tiles[0].tile, 1);
    assert_int_equal(m.tiles[0].camera, 2101);
    assert_string_equal(m.tiles[0].tour, "");
    assert_int_equal(m.tiles[1].camera, 0);
    assert_string_equal(m.tiles[1].tour, "noche");
    assert_int_equal(m.seq, 17);

    char *text = msg_encode_state(&m, err, sizeof(err));
    assert_string_equal(text, "{\"output\":\"g911-1\",\"station\":\"g911\",\"page\":1,"
                              "\"maximized\":0,\"selected\":2,\"tiles\":[{\"tile\":1,"
                              "\"camera\":2101,\"tour\":null},{\"tile\":2,\"camera\":0,"
                              "\"tour\":\"noche\"}],\"seq\":17}");
    free(text);
    msg_state_finish(&m);
    assert_null(m.tiles);
    msg_state_finish(NULL);
}

static void state_with_every_tile(void **state)
{
    struct msg_tile *tiles = calloc(MSG_TILES_MAX, sizeof(*tiles));
    for (int i = 0; i < MSG_TILES_MAX; i++) {
        tiles[i].tile = MSG_TILES_MAX - i;
        tiles[i].camera = i % 3 ? MSG_CAMERA_MAX - i : 0;
        if (i % 7 == 0) {
            snprintf(tiles[i].tour, sizeof(tiles[i].tour), "tour-%d", i);
        }
    }
    struct msg_state m = {
        .output = "ssc-4",
        .station = "standby",
        .page = MSG_PAGE_MAX,
        .maximized = MSG_TILES_MAX,
        .selected = 1,
        .tiles = tiles,
        .n_tiles = MSG_TILES_MAX,
        .seq = MSG_SEQ_MAX,
    };
    char err[MSG_ERROR_SIZE] = "";
    char *text = msg_encode_state(&m, err, sizeof(err));
    assert_non_null(text);
    assert_true(strlen(text) <= MSG_PAYLOAD_MAX);
    struct msg_state back;
    assert_true(msg_decode_state(text, strlen(text), &back, err, sizeof(err)));
    assert_int_equal(back.n_tiles, MSG_TILES_MAX);
    assert_true(back.seq == MSG_SEQ_MAX);
    for (int i = 0; i < MSG_TILES_MAX; i++) {
        assert_int_equal(back.tiles[i].tile, tiles[i].tile);
        assert_int_equal(back.tiles[i].camera, tiles[i].camera);
        assert_string_equal(back.tiles[i].tour, tiles[i].tour);
    }
    msg_state_finish(&back);
    free(text);
    free(tiles);
}

static void command_from_the_issue(void **state)
{
    const char *issue = "{\"id\": \"ssc-42\", \"from\": \"ssc\", \"seq\": 42, \"action\": "
                        "\"put\", \"output\": \"g911-1\", \"tile\": 1, \"camera\": 2101}";
    struct msg_command m;
    char err[MSG_ERROR_SIZE] = "";
    assert_true(msg_decode_command(issue, strlen(issue), &m, err, sizeof(err)));
    assert_string_equal(m.id, "ssc-42");
    assert_string_equal(m.from, "ssc");
    assert_int_equal(m.seq, 42);
    assert_int_equal(m.action, MSG_ACTION_PUT);
    assert_string_equal(m.output, "g911-1");
    assert_int_equal(m.tile, 1);
    assert_int_equal(m.camera, 2101);
    char *text = msg_encode_command(&m, err, sizeof(err));
    assert_string_equal(text, "{\"id\":\"ssc-42\",\"from\":\"ssc\",\"seq\":42,\"action\":\"put\","
                              "\"output\":\"g911-1\",\"tile\":1,\"camera\":2101}");
    free(text);
}

static void every_action_round_trips(void **state)
{
    const struct msg_command commands[] = {
        {.action = MSG_ACTION_PUT, .tile = 3, .camera = 0},
        {.action = MSG_ACTION_PAGE, .page = 2},
        {.action = MSG_ACTION_MAXIMIZE, .tile = 4},
        {.action = MSG_ACTION_RESTORE},
        {.action = MSG_ACTION_SELECT, .tile = 5},
        {.action = MSG_ACTION_TOUR, .tile = 6, .tour = "noche"},
        {.action = MSG_ACTION_TOUR, .tile = 6, .tour = ""},
        {.action = MSG_ACTION_ALARM, .camera = 2101, .seconds = 60},
    };
    const char *expected[] = {
        "\"tile\":3,\"camera\":0}",
        "\"page\":2}",
        "\"tile\":4}",
        "\"output\":\"g911-2\"}",
        "\"tile\":5}",
        "\"tile\":6,\"tour\":\"noche\"}",
        "\"tile\":6,\"tour\":null}",
        "\"camera\":2101,\"seconds\":60}",
    };
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        struct msg_command m = commands[i];
        snprintf(m.id, sizeof(m.id), "cad:2026.%zu", i);
        snprintf(m.from, sizeof(m.from), "cad");
        snprintf(m.output, sizeof(m.output), "g911-2");
        m.seq = (long long)i;
        char err[MSG_ERROR_SIZE] = "";
        char *text = msg_encode_command(&m, err, sizeof(err));
        assert_non_null(text);
        const char *tail = text + strlen(text) - strlen(expected[i]);
        assert_string_equal(tail, expected[i]);
        struct msg_command back;
        assert_true(msg_decode_command(text, strlen(text), &back, err, sizeof(err)));
        assert_memory_equal(&back, &m, sizeof(m));
        assert_string_equal(msg_action_name(back.action), msg_action_name(m.action));
        free(text);
    }
    assert_null(msg_action_name((enum msg_action)99));
}

static void acks_round_trip(void **state)
{
    struct msg_ack ok = {.id = "ssc-42", .to = "ssc", .ok = true};
    char err[MSG_ERROR_SIZE] = "";
    char *text = msg_encode_ack(&ok, err, sizeof(err));
    assert_string_equal(text, "{\"id\":\"ssc-42\",\"to\":\"ssc\",\"ok\":true}");
    free(text);

    const char *issue = "{\"id\": \"ssc-42\", \"to\": \"ssc\", \"ok\": false, \"reason\": "
                        "\"camera 5101 cannot be shown in zone ssc\"}";
    struct msg_ack m;
    assert_true(msg_decode_ack(issue, strlen(issue), &m, err, sizeof(err)));
    assert_false(m.ok);
    assert_string_equal(m.reason, "camera 5101 cannot be shown in zone ssc");
    /* UTF-8 in a reason is fine. */
    struct msg_ack accents = {.id = "ssc-43",
                              .to = "ssc",
                              .ok = false,
                              .reason =
                                  "c\xc3\xa1mara 5101 \xe2\x80\x94 zona ssc \xf0\x9f\x9a\xa8"};
    text = msg_encode_ack(&accents, err, sizeof(err));
    assert_non_null(text);
    assert_true(msg_decode_ack(text, strlen(text), &m, err, sizeof(err)));
    assert_string_equal(m.reason, accents.reason);
    free(text);
}

static void payloads_need_no_nul(void **state)
{
    /* A payload from MQTT is not NUL-terminated: only len bytes count. */
    const char buf[] = "{\"online\":true,\"station\":\"ssc\"}GARBAGE";
    size_t len = strlen("{\"online\":true,\"station\":\"ssc\"}");
    struct msg_online m;
    char err[MSG_ERROR_SIZE] = "";
    assert_true(msg_decode_online(buf, len, &m, err, sizeof(err)));
    assert_string_equal(m.station, "ssc");
    /* White space around the object is fine. */
    const char *spaced = " \n\t{\"online\":true,\"station\":\"ssc\"}\r\n ";
    assert_true(msg_decode_online(spaced, strlen(spaced), &m, err, sizeof(err)));
}

static void seq_is_exact_to_2_pow_53(void **state)
{
    struct msg_command m = {.id = "ssc-1",
                            .from = "ssc",
                            .seq = MSG_SEQ_MAX,
                            .action = MSG_ACTION_RESTORE,
                            .output = "ssc-1"};
    char err[MSG_ERROR_SIZE] = "";
    char *text = msg_encode_command(&m, err, sizeof(err));
    assert_non_null(strstr(text, "\"seq\":9007199254740991,"));
    struct msg_command back;
    assert_true(msg_decode_command(text, strlen(text), &back, err, sizeof(err)));
    assert_true(back.seq == MSG_SEQ_MAX);
    free(text);
    m.seq = MSG_SEQ_MAX + 1;
    assert_null(msg_encode_command(&m, err, sizeof(err)));
    assert_string_equal(err, "\"seq\" must be an integer from 0 to 9007199254740991");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(topics_are_built),
        cmocka_unit_test(longest_topic_fits),
        cmocka_unit_test(topics_with_bad_names_are_not_built),
        cmocka_unit_test(topics_are_parsed),
        cmocka_unit_test(foreign_topics_are_refused),
        cmocka_unit_test(online_round_trip),
        cmocka_unit_test(time_is_iso_utc),
        cmocka_unit_test(state_from_the_issue),
        cmocka_unit_test(state_with_every_tile),
        cmocka_unit_test(command_from_the_issue),
        cmocka_unit_test(every_action_round_trips),
        cmocka_unit_test(acks_round_trip),
        cmocka_unit_test(payloads_need_no_nul),
        cmocka_unit_test(seq_is_exact_to_2_pow_53),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
