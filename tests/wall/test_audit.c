/* The audit trail's hash chain (wall/audit.h) and its verifier
 * (wall/audit_verify.h): lines written through audit_open/audit_write, on
 * one open or across several, verify; changing, removing or cutting a line
 * and changing or removing an evidence file is reported at the line where
 * it shows. prev= is checked here against SHA-256 computed independently
 * of the verifier, and evidence against the standard test vectors. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavutil/mem.h>
#include <libavutil/sha.h>

#include "wall/audit.h"
#include "wall/audit_verify.h"

#define ZEROS      "0000000000000000000000000000000000000000000000000000000000000000"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_NIL "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct trail {
    char dir[64];
    char path[128]; /* dir/audit.log */
};

static int setup(void **state)
{
    struct trail *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    snprintf(t->dir, sizeof(t->dir), "/tmp/test_audit.XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/audit.log", t->dir);
    *state = t;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int teardown(void **state)
{
    struct trail *t = *state;
    nftw(t->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

/* `count` lines through one audit_open, cameras from `camera` on. */
static void append(const char *path, int camera, int count)
{
    struct audit *audit = audit_open(path);
    assert_non_null(audit);
    for (int i = 0; i < count; i++) {
        char details[64];
        snprintf(details, sizeof(details), "output=ssc-1 tile=1 camera=%d", camera + i);
        audit_write(audit, "socket", "put", details);
    }
    audit_close(audit);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *data = NULL;
    size_t size = 0;
    FILE *copy = open_memstream(&data, &size);
    int c;
    while ((c = fgetc(f)) != EOF) {
        fputc(c, copy);
    }
    fclose(copy);
    fclose(f);
    *len = size;
    return data;
}

static void spill(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Where line n (from 1) starts, and its length with its '\n'. */
static const char *line_at(const char *data, int n, size_t *len)
{
    for (int i = 1; i < n; i++) {
        data = strchr(data, '\n');
        assert_non_null(data);
        data++;
    }
    const char *end = strchr(data, '\n');
    *len = end ? (size_t)(end - data) + 1 : strlen(data);
    return data;
}

/* Line n's prev= must be the SHA-256 of these bytes. */
static void expect_prev(const char *data, int n, const char *bytes, size_t len)
{
    struct AVSHA *sha = av_sha_alloc();
    assert_non_null(sha);
    av_sha_init(sha, 256);
    av_sha_update(sha, (const uint8_t *)bytes, len);
    char hex[AUDIT_HASH_HEX_SIZE];
    audit_hash_hex(sha, hex);
    av_free(sha);
    size_t line_len;
    const char *line = line_at(data, n, &line_len);
    assert_true(line_len > 71);
    assert_memory_equal(line + line_len - 71, " prev=", 6);
    assert_memory_equal(line + line_len - 65, hex, 64);
}

/* audit_verify's verdict, and what it printed must start with `start`
 * and hold `holds`. */
static void expect_verify(const char *path, enum audit_verdict want, const char *start,
                          const char *holds)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    enum audit_verdict got = audit_verify(path, out);
    fclose(out);
    if (got != want || strncmp(text, start, strlen(start)) != 0 || !strstr(text, holds) ||
        strchr(text, '\n') != text + size - 1) {
        print_error("verdict %d (expected %d), printed: %s", got, want, text);
        fail();
    }
    free(text);
}

static void chain_continues_across_reopen(void **state)
{
    struct trail *t = *state;
    append(t->path, 101, 3);
    append(t->path, 104, 2);
    size_t len, line_len;
    char *data = slurp(t->path, &len);
    const char *first = line_at(data, 1, &line_len);
    assert_memory_equal(first + line_len - 71, " prev=" ZEROS "\n", 71);
    for (int n = 2; n <= 5; n++) {
        const char *before = line_at(data, n - 1, &line_len);
        expect_prev(data, n, before, line_len);
    }
    char start[512];
    snprintf(start, sizeof(start), "%s: 5 lines, chain intact, 0 evidence files match; ", t->path);
    expect_verify(t->path, AUDIT_INTACT, start, "SHA-256 of the last line: ");
    free(data);
}

static void changed_line_breaks_the_next(void **state)
{
    struct trail *t = *state;
    append(t->path, 101, 6);
    size_t len;
    char *data = slurp(t->path, &len);
    char *camera = strstr(data, "camera=103 ");
    assert_non_null(camera);
    camera[7] = '9'; /* line 3 now says camera=903 */
    spill(t->path, data, len);
    char start[512];
    snprintf(start, sizeof(start), "%s:4: the chain breaks here: ", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "line 3 was changed");
    free(data);
}

static void removed_lines_break_the_chain(void **state)
{
    struct trail *t = *state;
    append(t->path, 101, 4);
    size_t len, line_len;
    char *data = slurp(t->path, &len);
    const char *second = line_at(data, 2, &line_len);
    size_t offset = (size_t)(second - data);
    char *without = malloc(len);
    assert_non_null(without);
    memcpy(without, data, offset);
    memcpy(without + offset, second + line_len, len - offset - line_len);
    spill(t->path, without, len - line_len);
    char start[512];
    snprintf(start, sizeof(start), "%s:2: the chain breaks here: ", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "line 1 was changed, or lines were removed");

    const char *first = line_at(data, 1, &line_len);
    spill(t->path, first + line_len, len - line_len);
    snprintf(start, sizeof(start), "%s:1: the chain breaks here: ", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "removed from the start");
    free(without);
    free(data);
}

static void evidence_files_are_checked(void **state)
{
    struct trail *t = *state;
    char snap[192], empty[192], details[512] = "output=ssc-1 tile=1 camera=101";
    snprintf(snap, sizeof(snap), "%s/snap \"1\" \\.png", t->dir);
    snprintf(empty, sizeof(empty), "%s/empty.png", t->dir);
    spill(snap, "abc", 3);
    spill(empty, "", 0);
    struct audit *audit = audit_open(t->path);
    assert_non_null(audit);
    audit_write(audit, "socket", "put", details);
    audit_quote(details, sizeof(details), "file", "snap \"1\" \\.png"); /* relative */
    strcat(details, " sha256=" SHA256_ABC);
    audit_write(audit, "socket", "snapshot", details);
    snprintf(details, sizeof(details), "output=ssc-1 tile=2 camera=102");
    audit_quote(details, sizeof(details), "file", empty);
    strcat(details, " sha256=" SHA256_NIL);
    audit_write(audit, "socket", "snapshot", details);
    audit_close(audit);

    char start[512];
    snprintf(start, sizeof(start), "%s: 3 lines, chain intact, 2 evidence files match", t->path);
    expect_verify(t->path, AUDIT_INTACT, start, "");

    spill(snap, "abd", 3);
    snprintf(start, sizeof(start), "%s:2: evidence file %s: its SHA-256 is ", t->path, snap);
    expect_verify(t->path, AUDIT_BROKEN, start, "but the audit says " SHA256_ABC);

    assert_int_equal(unlink(snap), 0);
    snprintf(start, sizeof(start), "%s:2: evidence file %s is missing", t->path, snap);
    expect_verify(t->path, AUDIT_BROKEN, start, "");
}

/* A last line cut before its '\n' is ended and hashed with it when the
 * trail is opened again; a line cut before its prev= is reported, and the
 * next line still chains onto it as it is. */
static void cut_lines(void **state)
{
    struct trail *t = *state;
    append(t->path, 101, 3);
    size_t len, line_len;
    char *data = slurp(t->path, &len);
    spill(t->path, data, len - 1); /* line 3 loses its '\n' */
    append(t->path, 104, 1);
    free(data);
    data = slurp(t->path, &len);
    const char *third = line_at(data, 3, &line_len);
    assert_int_equal(third[line_len - 1], '\n');
    expect_prev(data, 4, third, line_len);
    char start[512];
    snprintf(start, sizeof(start), "%s: 4 lines, chain intact", t->path);
    expect_verify(t->path, AUDIT_INTACT, start, "");

    spill(t->path, data, len - 20); /* line 4 loses the end of its prev= */
    snprintf(start, sizeof(start), "%s:4: the last line is cut short", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "stopped while writing it");
    append(t->path, 105, 1);
    free(data);
    data = slurp(t->path, &len);
    const char *fourth = line_at(data, 4, &line_len);
    expect_prev(data, 5, fourth, line_len);
    int lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += data[i] == '\n';
    }
    assert_int_equal(lines, 5);
    snprintf(start, sizeof(start), "%s:4: the line has no prev=<64 hex> at its end", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "cut short");
    free(data);
}

static void long_last_line(void **state)
{
    struct trail *t = *state;
    append(t->path, 101, 1);
    char *details = malloc(10001);
    assert_non_null(details);
    memset(details, 'x', 10000);
    memcpy(details, "note=", 5);
    details[10000] = '\0';
    struct audit *audit = audit_open(t->path);
    assert_non_null(audit);
    audit_write(audit, "socket", "note", details);
    audit_close(audit);
    append(t->path, 102, 1);
    char start[512];
    snprintf(start, sizeof(start), "%s: 3 lines, chain intact", t->path);
    expect_verify(t->path, AUDIT_INTACT, start, "");
    free(details);
}

static void unchained_line(void **state)
{
    struct trail *t = *state;
    const char *older = "2026-12-01T10:00:00.000-0500 source=keyboard action=put camera=101\n";
    spill(t->path, older, strlen(older));
    append(t->path, 102, 1);
    size_t len;
    char *data = slurp(t->path, &len);
    expect_prev(data, 2, older, strlen(older));
    char start[512];
    snprintf(start, sizeof(start), "%s:1: the line has no prev=<64 hex> at its end", t->path);
    expect_verify(t->path, AUDIT_BROKEN, start, "");
    free(data);
}

/* A disk that is full: each write fails, is logged, and the next one
 * reads where the file ends again; nothing is left half-done. */
static void failed_writes(void **state)
{
    if (access("/dev/full", W_OK) != 0) {
        skip();
    }
    struct audit *audit = audit_open("/dev/full");
    assert_non_null(audit);
    audit_write(audit, "socket", "put", "output=ssc-1 tile=1 camera=101");
    audit_write(audit, "socket", "put", "output=ssc-1 tile=1 camera=102");
    audit_close(audit);
}

static void unreadable_trail(void **state)
{
    struct trail *t = *state;
    char start[512];
    snprintf(start, sizeof(start), "%s: cannot read the audit trail: ", t->path);
    expect_verify(t->path, AUDIT_UNREADABLE, start, "No such file");
    snprintf(start, sizeof(start), "%s: cannot read the audit trail: ", t->dir);
    expect_verify(t->dir, AUDIT_UNREADABLE, start, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(chain_continues_across_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(changed_line_breaks_the_next, setup, teardown),
        cmocka_unit_test_setup_teardown(removed_lines_break_the_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(evidence_files_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(cut_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(long_last_line, setup, teardown),
        cmocka_unit_test_setup_teardown(unchained_line, setup, teardown),
        cmocka_unit_test(failed_writes),
        cmocka_unit_test_setup_teardown(unreadable_trail, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
