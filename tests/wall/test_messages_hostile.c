/* Messages: hostile payloads (bad JSON, wrong types, missing fields, huge
 * numbers, strings over their limits or outside their alphabet, NULs,
 * duplicate keys, deep nesting, oversized payloads, random mutations):
 * each refused with one line that never echoes the hostile text, and
 * nothing crashes (the suite also runs under AddressSanitizer). The round
 * trips are in test_messages.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wall/messages.h"

/* ---- hostile payloads ---- */

enum which { ONLINE, STATE, COMMAND, ACK };

/* Decodes len bytes as `which`; returns whether it was accepted, the error
 * line in err. */
static bool decode(enum which which, const char *payload, size_t len, char *err, size_t size)
{
    struct msg_online online;
    struct msg_state state;
    struct msg_command command;
    struct msg_ack ack;
    bool ok = false;
    err[0] = '\0';
    switch (which) {
    case ONLINE:
        ok = msg_decode_online(payload, len, &online, err, size);
        break;
    case STATE:
        ok = msg_decode_state(payload, len, &state, err, size);
        if (ok) {
            msg_state_finish(&state);
        } else {
            assert_null(state.tiles); /* nothing left to free */
        }
        break;
    case COMMAND:
        ok = msg_decode_command(payload, len, &command, err, size);
        break;
    case ACK:
        ok = msg_decode_ack(payload, len, &ack, err, size);
        break;
    }
    if (!ok) {
        assert_true(err[0] != '\0');
        assert_null(strchr(err, '\n'));
    }
    return ok;
}

#define PUT_HEAD                                                                                  \
    "{\"id\":\"ssc-42\",\"from\":\"ssc\",\"seq\":42,\"action\":\"put\",\"output\":\"g911-1\""
#define STATE_HEAD                                                                                \
    "{\"output\":\"g911-1\",\"station\":\"g911\",\"page\":1,\"maximized\":0,\"selected\":0"

static const struct hostile {
    enum which which;
    const char *payload;
    const char *error; /* the whole line */
} hostile[] = {
    /* not JSON, or not one object */
    {COMMAND, "{\"id\":", "payload is not JSON (error at offset 5)"},
    {COMMAND, "{\"id\":\"ssc-42\"", "payload is not JSON (error at offset 13)"},
    {COMMAND, "{'id':'x'}", "payload is not JSON (error at offset 2)"},
    {COMMAND, "[1, 2]", "payload is not a JSON object"},
    {COMMAND, "\"put\"", "payload is not a JSON object"},
    {COMMAND, "42", "payload is not a JSON object"},
    {COMMAND, "null", "payload is not a JSON object"},
    {ONLINE, "{\"online\":true,\"station\":\"ssc\"} {}",
     "payload has bytes after its JSON value (at offset 32)"},
    {ONLINE, "   ", "payload is not JSON (error at offset 2)"},
    {ONLINE, "{\"online\":true,\"station\":\"ssc\",}", "payload is not JSON (error at offset 31)"},
    {ONLINE, "{\"online\":NaN,\"station\":\"ssc\"}", "payload is not JSON (error at offset 10)"},
    /* missing fields */
    {COMMAND, "{}", "\"id\" is missing"},
    {COMMAND, "{\"id\":\"ssc-42\",\"from\":\"ssc\",\"action\":\"put\"}", "\"seq\" is missing"},
    {COMMAND, PUT_HEAD ",\"tile\":1}", "\"camera\" is missing"},
    {COMMAND, PUT_HEAD ",\"camera\":1}", "\"tile\" is missing"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"output\":\"o\"}",
     "\"action\" is missing"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"action\":\"page\",\"output\":\"o\"}",
     "\"page\" is missing"},
    {COMMAND,
     "{\"id\":\"x\",\"from\":\"cad\",\"seq\":1,\"action\":\"alarm\",\"output\":\"o\","
     "\"camera\":2101}",
     "\"seconds\" is missing"},
    {COMMAND,
     "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"action\":\"tour\",\"output\":\"o\","
     "\"tile\":1}",
     "\"tour\" is missing"},
    {ACK, "{\"id\":\"ssc-42\",\"to\":\"ssc\",\"ok\":false}", "\"reason\" is missing"},
    {STATE, STATE_HEAD ",\"seq\":1}", "\"tiles\" is missing"},
    {ONLINE, "{\"station\":\"ssc\"}", "\"online\" is missing"},
    /* wrong types */
    {COMMAND, "{\"id\":\"ssc-42\",\"from\":\"ssc\",\"seq\":\"42\"}",
     "\"seq\" must be an integer from 0 to 9007199254740991"},
    {COMMAND, PUT_HEAD ",\"tile\":\"1\",\"camera\":1}",
     "\"tile\" must be an integer from 1 to 1024"},
    {COMMAND, PUT_HEAD ",\"tile\":1,\"camera\":true}",
     "\"camera\" must be an integer from 0 to 999999"},
    {COMMAND, PUT_HEAD ",\"tile\":[1],\"camera\":1}",
     "\"tile\" must be an integer from 1 to 1024"},
    {COMMAND, "{\"id\":42,\"from\":\"ssc\",\"seq\":1}",
     "\"id\" must be 1 to 64 letters, digits, '-', '_', '.' or ':'"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"action\":7,\"output\":\"o\"}",
     "\"action\" must be put, page, maximize, restore, select, tour or alarm"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"action\":\"PUT\",\"output\":\"o\"}",
     "\"action\" must be put, page, maximize, restore, select, tour or alarm"},
    {COMMAND,
     "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1,\"action\":\"tour\",\"output\":\"o\","
     "\"tile\":1,\"tour\":5}",
     "\"tour\" must be null or 1 to 64 letters, digits, '-' or '_'"},
    {ACK, "{\"id\":\"ssc-42\",\"to\":\"ssc\",\"ok\":\"yes\"}", "\"ok\" must be true or false"},
    {ACK, "{\"id\":\"ssc-42\",\"to\":\"ssc\",\"ok\":false,\"reason\":null}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ONLINE, "{\"online\":1,\"station\":\"ssc\"}", "\"online\" must be true or false"},
    {ONLINE, "{\"online\":true,\"station\":{}}",
     "\"station\" must be 1 to 64 letters, digits, '-' or '_'"},
    {STATE, STATE_HEAD ",\"tiles\":{},\"seq\":1}", "\"tiles\" must be an array"},
    {STATE, STATE_HEAD ",\"tiles\":[1],\"seq\":1}", "each of \"tiles\" must be an object"},
    {STATE, STATE_HEAD ",\"tiles\":[{\"tile\":1}],\"seq\":1}", "\"camera\" is missing"},
    /* numbers: huge, fractional, negative, out of range */
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":1e400}",
     "\"seq\" must be an integer from 0 to 9007199254740991"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":-1e400}",
     "\"seq\" must be an integer from 0 to 9007199254740991"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":9007199254740992}",
     "\"seq\" must be an integer from 0 to 9007199254740991"},
    {COMMAND, "{\"id\":\"x\",\"from\":\"ssc\",\"seq\":-1}",
     "\"seq\" must be an integer from 0 to 9007199254740991"},
    {COMMAND, PUT_HEAD ",\"tile\":1.5,\"camera\":1}",
     "\"tile\" must be an integer from 1 to 1024"},
    {COMMAND, PUT_HEAD ",\"tile\":0,\"camera\":1}", "\"tile\" must be an integer from 1 to 1024"},
    {COMMAND, PUT_HEAD ",\"tile\":1,\"camera\":1e9}",
     "\"camera\" must be an integer from 0 to 999999"},
    {COMMAND, PUT_HEAD ",\"tile\":1,\"camera\":4294967297}",
     "\"camera\" must be an integer from 0 to 999999"},
    {COMMAND,
     "{\"id\":\"x\",\"from\":\"cad\",\"seq\":1,\"action\":\"alarm\",\"output\":\"o\","
     "\"camera\":0,\"seconds\":60}",
     "\"camera\" must be an integer from 1 to 999999"},
    {COMMAND,
     "{\"id\":\"x\",\"from\":\"cad\",\"seq\":1,\"action\":\"alarm\",\"output\":\"o\","
     "\"camera\":1,\"seconds\":86401}",
     "\"seconds\" must be an integer from 1 to 86400"},
    {STATE, "{\"output\":\"o\",\"station\":\"s\",\"page\":0}",
     "\"page\" must be an integer from 1 to 1000"},
    /* names and texts over their limits or outside their alphabet */
    {COMMAND, PUT_HEAD ",\"tile\":1,\"camera\":1,\"output\":\"x\"}",
     "a key appears twice in one object"},
    {ONLINE, "{\"online\":true,\"station\":\"ssc/../g911\"}",
     "\"station\" must be 1 to 64 letters, digits, '-' or '_'"},
    {ONLINE, "{\"online\":true,\"station\":\"\"}",
     "\"station\" must be 1 to 64 letters, digits, '-' or '_'"},
    {ONLINE, "{\"online\":true,\"station\":\"<script>alert(1)</script>\"}",
     "\"station\" must be 1 to 64 letters, digits, '-' or '_'"},
    {ONLINE, "{\"online\":true,\"station\":\"s\\u00e9\"}",
     "\"station\" must be 1 to 64 letters, digits, '-' or '_'"},
    {ONLINE, "{\"online\":true,\"station\":\"a\",\"since\":\"\\n\"}",
     "\"since\" must be text of 1 to 32 bytes"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"line\\r\\nERR forged\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"bad \xff byte\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"overlong \xc0\xaf\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"surrogate \xed\xa0\x80\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"C1 \xc2\x85 control\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"cut \xe2\x80\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"past \xf4\x90\x80\x80\"}",
     "\"reason\" must be text of 1 to 256 bytes on one line"},
    {ACK, "{\"id\":\"a b\",\"to\":\"s\",\"ok\":true}",
     "\"id\" must be 1 to 64 letters, digits, '-', '_', '.' or ':'"},
    /* NULs: cJSON would end the string there */
    {ONLINE, "{\"online\":true,\"station\":\"ssc\\u0000g911\"}", "payload holds a NUL character"},
    {ACK, "{\"id\":\"a\",\"to\":\"s\",\"ok\":false,\"reason\":\"back\\\\u0000slash\"}", NULL},
    /* duplicate keys: which one would the sender mean? */
    {ONLINE, "{\"online\":true,\"online\":false,\"station\":\"ssc\"}",
     "a key appears twice in one object"},
    {STATE, STATE_HEAD ",\"tiles\":[{\"tile\":1,\"camera\":1,\"camera\":2}],\"seq\":1}",
     "a key appears twice in one object"},
    {STATE,
     STATE_HEAD ",\"tiles\":[{\"tile\":1,\"camera\":1},{\"tile\":1,\"camera\":2}],\"seq\":1}",
     "tile 1 appears twice in \"tiles\""},
    /* unknown keys are ignored */
    {ONLINE, "{\"online\":true,\"station\":\"ssc\",\"version\":2,\"extra\":{\"a\":[1,2]}}", NULL},
    {ACK, "{\"id\":\"ssc-42\",\"to\":\"ssc\",\"ok\":true,\"reason\":17}", NULL},
};

static void hostile_payloads_are_refused(void **state)
{
    int wrong = 0;
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        const struct hostile *h = &hostile[i];
        char err[MSG_ERROR_SIZE];
        bool ok = decode(h->which, h->payload, strlen(h->payload), err, sizeof(err));
        if (!h->error && !ok) {
            print_error("payload %zu refused: %s\n", i, err);
            wrong++;
        } else if (h->error && ok) {
            print_error("payload %zu accepted: %s\n", i, h->payload);
            wrong++;
        } else if (h->error && strcmp(err, h->error) != 0) {
            print_error("payload %zu: \"%s\", expected \"%s\"\n", i, err, h->error);
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
}

static void raw_nul_is_refused(void **state)
{
    const char payload[] = "{\"online\":true,\"station\":\"ssc\0g911\"}";
    char err[MSG_ERROR_SIZE];
    assert_false(decode(ONLINE, payload, sizeof(payload) - 1, err, sizeof(err)));
    assert_string_equal(err, "payload holds a NUL character");
}

static void sizes_are_refused_unread(void **state)
{
    char err[MSG_ERROR_SIZE];
    /* Oversized: refused by its length, even when the pointer is NULL (an
     * oversized message from link.h). */
    assert_false(decode(COMMAND, NULL, MSG_PAYLOAD_MAX + 1, err, sizeof(err)));
    assert_string_equal(err, "payload of 65537 bytes is over the 65536-byte limit");
    assert_false(decode(STATE, NULL, 256u << 20, err, sizeof(err)));
    assert_false(decode(ACK, NULL, 0, err, sizeof(err)));
    assert_string_equal(err, "empty payload");
    assert_false(decode(ACK, "", 0, err, sizeof(err)));
    assert_string_equal(err, "empty payload");

    /* A real payload just over the limit: valid JSON with padding. */
    static char big[MSG_PAYLOAD_MAX + 2];
    const char head[] = "{\"online\":true,\"station\":\"ssc\",\"pad\":\"";
    size_t n = sizeof(head) - 1;
    memcpy(big, head, n);
    memset(big + n, 'x', MSG_PAYLOAD_MAX + 1 - n - 2);
    memcpy(big + MSG_PAYLOAD_MAX + 1 - 2, "\"}", 3);
    assert_int_equal(strlen(big), MSG_PAYLOAD_MAX + 1);
    assert_false(decode(ONLINE, big, strlen(big), err, sizeof(err)));
    /* One byte less fits. */
    memcpy(big + MSG_PAYLOAD_MAX - 2, "\"}", 3);
    assert_true(decode(ONLINE, big, strlen(big), err, sizeof(err)));
}

static void deep_and_wide_payloads(void **state)
{
    char err[MSG_ERROR_SIZE];
    /* 30,000 nested arrays: past cJSON's nesting limit of 1000. */
    size_t depth = 30000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    assert_false(decode(STATE, deep, 2 * depth, err, sizeof(err)));
    free(deep);
    /* Nesting inside an ignored key. */
    const char *nested = "{\"online\":true,\"station\":\"a\",\"x\":[[[[[[[[[[{}]]]]]]]]]]}";
    assert_true(decode(ONLINE, nested, strlen(nested), err, sizeof(err)));

    /* More keys than any message has. */
    char wide[4096] = "{";
    for (int i = 0; i < 70; i++) {
        char key[16];
        snprintf(key, sizeof(key), "\"k%d\":0,", i);
        strcat(wide, key);
    }
    strcat(wide, "\"online\":true,\"station\":\"a\"}");
    assert_false(decode(ONLINE, wide, strlen(wide), err, sizeof(err)));
    assert_string_equal(err, "an object has more than 64 keys");

    /* More tiles than a state may hold. */
    size_t size = 64 * 1024;
    char *many = malloc(size);
    int len = snprintf(many, size, STATE_HEAD ",\"tiles\":[");
    for (int i = 1; i <= MSG_TILES_MAX + 1; i++) {
        len += snprintf(many + len, size - (size_t)len, "%s{\"tile\":%d,\"camera\":1}",
                        i > 1 ? "," : "", i);
    }
    len += snprintf(many + len, size - (size_t)len, "],\"seq\":1}");
    assert_true((size_t)len < size);
    assert_false(decode(STATE, many, (size_t)len, err, sizeof(err)));
    assert_string_equal(err, "\"tiles\" holds more than 1024 tiles");
    free(many);
}

/* Errors name the field and the rule, never the hostile value. */
static void errors_never_echo_the_payload(void **state)
{
    const char *evil = "{\"online\":true,\"station\":\"EVIL\\nINJECTED %s %n\"}";
    char err[MSG_ERROR_SIZE];
    assert_false(decode(ONLINE, evil, strlen(evil), err, sizeof(err)));
    assert_null(strstr(err, "EVIL"));
    assert_null(strstr(err, "INJECTED"));
    /* A NULL or short err buffer is fine. */
    struct msg_online m;
    assert_false(msg_decode_online(evil, strlen(evil), &m, NULL, 0));
    char tiny[8];
    assert_false(msg_decode_online(evil, strlen(evil), &m, tiny, sizeof(tiny)));
    assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

/* Mutations of valid payloads (bytes flipped, cut, duplicated): whatever
 * happens, the decoders return, and what they accept encodes again. */
static void mutated_payloads_never_crash(void **state)
{
    const char *seeds[] = {
        "{\"online\": true, \"station\": \"ssc\", \"since\": \"2026-11-29T19:32:05Z\"}",
        "{\"output\": \"g911-1\", \"station\": \"g911\", \"page\": 1, \"maximized\": 0, "
        "\"selected\": 2, \"tiles\": [{\"tile\": 1, \"camera\": 2101, \"tour\": null}, "
        "{\"tile\": 2, \"camera\": 0, \"tour\": \"noche\"}], \"seq\": 17}",
        "{\"id\": \"ssc-42\", \"from\": \"ssc\", \"seq\": 42, \"action\": \"put\", "
        "\"output\": \"g911-1\", \"tile\": 1, \"camera\": 2101}",
        "{\"id\": \"ssc-42\", \"to\": \"ssc\", \"ok\": false, \"reason\": \"no\"}",
    };
    const char alphabet[] = "{}[]\":,\\u0 tfn1-e.x\xc3\xff";
    uint32_t rng = 12345;
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        enum which which = (enum which)(round % 4);
        size_t len = strlen(seeds[which]);
        memcpy(buf, seeds[which], len);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            rng = rng * 1103515245u + 12345u;
            size_t at = (rng >> 8) % len;
            switch ((rng >> 4) % 3) {
            case 0:
                buf[at] = alphabet[(rng >> 16) % (sizeof(alphabet) - 1)];
                break;
            case 1:
                len = at + 1; /* cut */
                break;
            default:
                if (len + 8 < sizeof(buf)) {
                    memmove(buf + at + 8, buf + at, len - at);
                    memcpy(buf + at, buf + at + 8, 8);
                    len += 8;
                }
            }
        }
        char err[MSG_ERROR_SIZE];
        if (decode(which, buf, len, err, sizeof(err)) && which == COMMAND) {
            struct msg_command m;
            assert_true(msg_decode_command(buf, len, &m, err, sizeof(err)));
            char *again = msg_encode_command(&m, err, sizeof(err));
            assert_non_null(again);
            free(again);
        }
    }
}

/* A refused command keeps its id and sender when those decoded, so that
 * the refusal can be answered; nothing else of it, and nothing of a
 * command whose id or sender is bad. */
static void refused_commands_keep_who_to_answer(void **state)
{
    char err[MSG_ERROR_SIZE];
    struct msg_command m;
    const char *bad_camera = PUT_HEAD ",\"tile\":1,\"camera\":\"2101\"}";
    assert_false(msg_decode_command(bad_camera, strlen(bad_camera), &m, err, sizeof(err)));
    assert_string_equal(m.id, "ssc-42");
    assert_string_equal(m.from, "ssc");
    assert_int_equal(m.seq, 0);
    assert_string_equal(m.output, "");
    assert_int_equal(m.tile, 0);

    static const char *const anonymous[] = {
        "{\"id\":\"ssc-42\",\"from\":\"ssc 1\",\"seq\":1}",
        "{\"id\":\"ssc 42\",\"from\":\"ssc\",\"seq\":1}",
        "{\"from\":\"ssc\",\"seq\":1}",
        "{\"id\":",
    };
    for (size_t i = 0; i < sizeof(anonymous) / sizeof(anonymous[0]); i++) {
        assert_false(msg_decode_command(anonymous[i], strlen(anonymous[i]), &m, err, sizeof(err)));
        assert_string_equal(m.id, "");
        assert_string_equal(m.from, "");
    }
    assert_false(msg_decode_command(NULL, MSG_PAYLOAD_MAX + 1, &m, err, sizeof(err)));
    assert_string_equal(m.from, "");
}

/* ---- encoding refuses what would not decode ---- */

static void bad_structs_do_not_encode(void **state)
{
    char err[MSG_ERROR_SIZE];
    struct msg_online online = {.online = true, .station = "ssc 1"};
    assert_null(msg_encode_online(&online, err, sizeof(err)));
    assert_string_equal(err, "\"station\" must be 1 to 64 letters, digits, '-' or '_'");

    struct msg_ack ack = {.id = "ssc-42", .to = "ssc", .ok = false};
    assert_null(msg_encode_ack(&ack, err, sizeof(err)));
    assert_string_equal(err, "\"reason\" must be text of 1 to 256 bytes on one line");
    snprintf(ack.reason, sizeof(ack.reason), "two\nlines");
    assert_null(msg_encode_ack(&ack, err, sizeof(err)));

    struct msg_tile tiles[] = {{.tile = 1, .camera = 1}, {.tile = 1, .camera = 2}};
    struct msg_state st = {.output = "o", .station = "s", .page = 1, .tiles = tiles, .n_tiles = 2};
    assert_null(msg_encode_state(&st, err, sizeof(err)));
    assert_string_equal(err, "tile 1 appears twice in \"tiles\"");
    st.n_tiles = 1;
    st.page = 0;
    assert_null(msg_encode_state(&st, err, sizeof(err)));
    assert_string_equal(err, "\"page\" must be an integer from 1 to 1000");

    struct msg_command cmd = {.id = "x",
                              .from = "ssc",
                              .action = MSG_ACTION_ALARM,
                              .output = "o",
                              .camera = 0,
                              .seconds = 5};
    assert_null(msg_encode_command(&cmd, err, sizeof(err)));
    assert_string_equal(err, "\"camera\" must be an integer from 1 to 999999");
    cmd.action = (enum msg_action)42;
    assert_null(msg_encode_command(&cmd, err, sizeof(err)));
    assert_string_equal(err,
                        "\"action\" must be put, page, maximize, restore, select, tour or alarm");
    /* err may be NULL. */
    assert_null(msg_encode_command(&cmd, NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_payloads_are_refused),
        cmocka_unit_test(raw_nul_is_refused),
        cmocka_unit_test(sizes_are_refused_unread),
        cmocka_unit_test(deep_and_wide_payloads),
        cmocka_unit_test(errors_never_echo_the_payload),
        cmocka_unit_test(mutated_payloads_never_crash),
        cmocka_unit_test(bad_structs_do_not_encode),
        cmocka_unit_test(refused_commands_keep_who_to_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
