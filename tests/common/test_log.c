/* The logger under systemd: the sd-daemon priority prefix ("<3>" error,
 * "<4>" warning, "<6>" info, "<7>" debug) on every line when stderr is the
 * journal's stream (JOURNAL_STREAM names stderr's device and inode), none
 * otherwise; still one write per line, still redacted.
 *
 * stderr is replaced by one end of a datagram socket pair: each write()
 * arrives as one datagram, so a line split over two writes would show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"

/* stderr replaced by a datagram socket; the writes made to it are taken,
 * and stderr restored, before anything is asserted: cmocka reports a
 * failure on stderr. */
struct captured {
    int saved;   /* the real stderr */
    int reader;  /* our end of the pair */
    int writer;  /* the end that becomes stderr */
    char id[64]; /* "DEVICE:INODE" of the writer */
    char writes[8][2048];
    int n_writes;
};

static void resume(struct captured *c)
{
    assert_int_equal(dup2(c->writer, STDERR_FILENO), STDERR_FILENO);
}

/* The writes made since resume(), each whole; stderr is the real one again. */
static void take(struct captured *c)
{
    c->n_writes = 0;
    ssize_t n;
    char buf[sizeof(c->writes[0])];
    while ((n = recv(c->reader, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
        if (c->n_writes < 8) {
            memcpy(c->writes[c->n_writes], buf, (size_t)n);
            c->writes[c->n_writes][n] = '\0';
        }
        c->n_writes++;
    }
    dup2(c->saved, STDERR_FILENO);
}

static int capture(void **state)
{
    struct captured *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    int pair[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, pair), 0);
    c->reader = pair[0];
    c->writer = pair[1];
    c->saved = dup(STDERR_FILENO);
    assert_true(c->saved >= 0);
    struct stat st;
    assert_int_equal(fstat(c->writer, &st), 0);
    snprintf(c->id, sizeof(c->id), "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    log_set_level(LOG_DEBUG);
    resume(c);
    *state = c;
    return 0;
}

static int restore(void **state)
{
    struct captured *c = *state;
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    close(c->reader);
    close(c->writer);
    unsetenv("JOURNAL_STREAM");
    log_detect_journal();
    free(c);
    return 0;
}

/* Takes the writes and checks them: exactly `expected`, one write each. */
static void assert_lines(struct captured *c, const char *const *expected, int count)
{
    take(c);
    assert_int_equal(c->n_writes, count);
    for (int i = 0; i < count; i++) {
        assert_string_equal(c->writes[i], expected[i]);
    }
}

static void log_each_level(void)
{
    log_error("test", "one");
    log_warn("test", "two");
    log_info("test", "three");
    log_debug("test", "four");
}

static const char *const prefixed[] = {
    "<3>ERROR test: one\n",
    "<4>WARN  test: two\n",
    "<6>INFO  test: three\n",
    "<7>DEBUG test: four\n",
};

static const char *const plain[] = {
    "ERROR test: one\n",
    "WARN  test: two\n",
    "INFO  test: three\n",
    "DEBUG test: four\n",
};

/* Runs first: nothing has been logged yet, so the first line looks by
 * itself, without log_detect_journal(). */
static void first_line_looks_by_itself(void **state)
{
    struct captured *c = *state;
    setenv("JOURNAL_STREAM", c->id, 1);
    log_each_level();
    assert_lines(c, prefixed, 4);
}

static void journal_gets_priorities(void **state)
{
    struct captured *c = *state;
    setenv("JOURNAL_STREAM", c->id, 1);
    log_detect_journal();
    log_each_level();
    assert_lines(c, prefixed, 4);
}

/* A stream systemd set up, but stderr is no longer it (redirected). */
static void other_stream_gets_plain_lines(void **state)
{
    struct captured *c = *state;
    struct stat st;
    assert_int_equal(fstat(c->saved, &st), 0);
    char other[64];
    snprintf(other, sizeof(other), "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    setenv("JOURNAL_STREAM", other, 1);
    log_detect_journal();
    log_each_level();
    assert_lines(c, plain, 4);
}

static void no_journal_gets_plain_lines(void **state)
{
    struct captured *c = *state;
    unsetenv("JOURNAL_STREAM");
    log_detect_journal();
    log_each_level();
    assert_lines(c, plain, 4);

    static const char *const malformed[] = {"", "12", "12:", ":34", "x:y", "12:34:56"};
    char almost[80];
    snprintf(almost, sizeof(almost), "%s0", c->id); /* another inode */
    resume(c);
    setenv("JOURNAL_STREAM", almost, 1);
    log_detect_journal();
    log_error("test", "one");
    assert_lines(c, plain, 1);
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        resume(c);
        setenv("JOURNAL_STREAM", malformed[i], 1);
        log_detect_journal();
        log_error("test", "one");
        assert_lines(c, plain, 1);
    }
}

/* Redaction and the one-write, one-line cut hold with the prefix too. */
static void prefixed_lines_stay_whole_and_redacted(void **state)
{
    struct captured *c = *state;
    setenv("JOURNAL_STREAM", c->id, 1);
    log_detect_journal();
    log_warn("feed", "rtsp://admin:s3cret@10.0.0.7/ch1 failed\n");
    const char *const redacted[] = {"<4>WARN  feed: rtsp://***@10.0.0.7/ch1 failed\n"};
    assert_lines(c, redacted, 1);

    char *big = malloc(5000);
    assert_non_null(big);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    resume(c);
    log_error("test", "%s", big);
    free(big);
    take(c);
    assert_int_equal(c->n_writes, 1);
    const char *line = c->writes[0];
    size_t len = strlen(line);
    assert_true(len <= 1024);
    assert_int_equal(strncmp(line, "<3>ERROR test: xxx", 18), 0);
    assert_ptr_equal(strchr(line, '\n'), line + len - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_line_looks_by_itself, capture, restore),
        cmocka_unit_test_setup_teardown(journal_gets_priorities, capture, restore),
        cmocka_unit_test_setup_teardown(other_stream_gets_plain_lines, capture, restore),
        cmocka_unit_test_setup_teardown(no_journal_gets_plain_lines, capture, restore),
        cmocka_unit_test_setup_teardown(prefixed_lines_stay_whole_and_redacted, capture, restore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
