/* The JSON writer: shapes, numbers and strings, hostile camera names
 * above all (quotes, backslashes, control characters, non-ASCII, invalid
 * UTF-8), compared byte for byte with what a JSON parser must accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "common/json.h"

/* A writer into memory; done() closes it and returns the text (free it). */
struct sink {
    char *text;
    size_t len;
    FILE *f;
};

static void open_sink(struct sink *s)
{
    s->text = NULL;
    s->len = 0;
    s->f = open_memstream(&s->text, &s->len);
    assert_non_null(s->f);
}

static char *done(struct sink *s)
{
    assert_int_equal(fclose(s->f), 0);
    return s->text;
}

/* A writer into `s`. */
static void open_writer(struct sink *s, struct json *j, bool one_line)
{
    open_sink(s);
    json_init(j, s->f, one_line);
}

/* Closes `s` and checks what was written. */
static void assert_written(struct sink *s, const char *expected)
{
    char *text = done(s);
    assert_string_equal(text, expected);
    free(text);
}

/* `name` as json_write_string writes it. */
static char *escaped(const char *name)
{
    struct sink s;
    open_sink(&s);
    json_write_string(s.f, name);
    return done(&s);
}

static void assert_escapes(const char *name, const char *expected)
{
    char *got = escaped(name);
    assert_string_equal(got, expected);
    free(got);
}

static void plain_text_is_quoted(void **state)
{
    assert_escapes("", "\"\"");
    assert_escapes("Av. Tulum 101", "\"Av. Tulum 101\"");
    assert_escapes(NULL, "null");
}

static void quotes_and_backslashes_are_escaped(void **state)
{
    assert_escapes("say \"hi\"", "\"say \\\"hi\\\"\"");
    assert_escapes("C:\\cams\\", "\"C:\\\\cams\\\\\"");
    assert_escapes("\\\"", "\"\\\\\\\"\"");
    /* A name that tries to close the string and add a member. */
    assert_escapes("x\", \"admin\": true, \"y", "\"x\\\", \\\"admin\\\": true, \\\"y\"");
}

static void control_characters_are_escaped(void **state)
{
    assert_escapes("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
    assert_escapes("\b\f", "\"\\b\\f\"");
    assert_escapes("\x01\x1f\x1b[31m", "\"\\u0001\\u001f\\u001b[31m\"");
    /* DEL is no control character for JSON: it may stay. */
    assert_escapes("\x7f", "\"\x7f\"");
}

static void valid_utf8_passes_through(void **state)
{
    assert_escapes("Cámara Cobá", "\"Cámara Cobá\"");
    assert_escapes("監視カメラ", "\"監視カメラ\"");
    assert_escapes("\xf0\x9f\x93\xb7 cam", "\"\xf0\x9f\x93\xb7 cam\""); /* U+1F4F7 */
    assert_escapes("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");         /* U+10FFFF */
    assert_escapes("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");                 /* U+D7FF */
}

#define FFFD "\xef\xbf\xbd"

static void invalid_utf8_is_replaced(void **state)
{
    assert_escapes("\xff", "\"" FFFD "\"");
    assert_escapes("a\x80z", "\"a" FFFD "z\"");                        /* continuation alone */
    assert_escapes("C\xe1mara", "\"C" FFFD "mara\"");                  /* Latin-1 á */
    assert_escapes("\xc3", "\"" FFFD "\"");                            /* cut at the end */
    assert_escapes("\xe2\x82", "\"" FFFD "\"");                        /* cut: one subpart */
    assert_escapes("\xe2\x82z", "\"" FFFD "z\"");                      /* cut mid-string */
    assert_escapes("\xc0\xaf", "\"" FFFD FFFD "\"");                   /* overlong '/' */
    assert_escapes("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");          /* overlong, 3 bytes */
    assert_escapes("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");          /* a surrogate */
    assert_escapes("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* past U+10FFFF */
    assert_escapes("\xf5\x80", "\"" FFFD FFFD "\"");
    /* A bad byte cannot swallow a quote that follows it. */
    assert_escapes("\xc3\"", "\"" FFFD "\\\"\"");
}

static void objects_and_arrays(void **state)
{
    struct sink s;
    struct json j;
    open_writer(&s, &j, true);
    json_begin_object(&j);
    json_field_int(&j, "camera", -7);
    json_field_uint(&j, "bytes", 18446744073709551615ULL);
    json_field_double(&j, "fps", 24.96, 1);
    json_field_double(&j, "nan", NAN, 2);
    json_field_bool(&j, "live", true);
    json_field_string(&j, "name", "a\"b");
    json_key(&j, "empty");
    json_begin_array(&j);
    json_end_array(&j);
    json_key(&j, "list");
    json_begin_array(&j);
    json_int(&j, 1);
    json_begin_object(&j);
    json_end_object(&j);
    json_null(&j);
    json_break(&j); /* one line: nothing */
    json_bool(&j, false);
    json_end_array(&j);
    json_end_object(&j);
    assert_written(&s, "{\"camera\": -7, \"bytes\": 18446744073709551615, "
                       "\"fps\": 25.0, \"nan\": null, \"live\": true, "
                       "\"name\": \"a\\\"b\", \"empty\": [], "
                       "\"list\": [1, {}, null, false]}");
}

static void breaks_start_lines(void **state)
{
    struct sink s;
    struct json j;
    open_writer(&s, &j, false);
    json_begin_object(&j);
    json_key(&j, "feeds");
    json_begin_array(&j);
    for (int i = 1; i <= 2; i++) {
        json_break(&j);
        json_begin_object(&j);
        json_field_int(&j, "camera", i);
        json_end_object(&j);
    }
    json_break(&j);
    json_end_array(&j);
    json_field_int(&j, "n", 2);
    json_end_object(&j);
    assert_written(&s, "{\"feeds\": [\n{\"camera\": 1},\n{\"camera\": 2}\n], \"n\": 2}");
}

static void keys_are_escaped_too(void **state)
{
    struct sink s;
    struct json j;
    open_writer(&s, &j, true);
    json_begin_object(&j);
    json_field_string(&j, "k\"\n\xff", "v");
    json_end_object(&j);
    assert_written(&s, "{\"k\\\"\\n" FFFD "\": \"v\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_is_quoted),
        cmocka_unit_test(quotes_and_backslashes_are_escaped),
        cmocka_unit_test(control_characters_are_escaped),
        cmocka_unit_test(valid_utf8_passes_through),
        cmocka_unit_test(invalid_utf8_is_replaced),
        cmocka_unit_test(objects_and_arrays),
        cmocka_unit_test(breaks_start_lines),
        cmocka_unit_test(keys_are_escaped_too),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
