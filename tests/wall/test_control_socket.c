/* Control socket: the real module in-process, with real client sockets.
 * Lines are answered in order; a deferred reply holds the client's later
 * lines until control_answer(), while other clients are served; stale,
 * zero and orphaned tickets change nothing.
 *
 * Everything runs in this one process over UNIX sockets, which move the
 * bytes during the send() itself: whatever the module will answer is in
 * the client's socket by the time control_poll() returns. The bounded
 * loops below are failure guards against a hang, not waits for a clock. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "wall/control.h"

#define POLL_ROUNDS    1000 /* guard: a reply that never comes fails, not hangs */
#define SILENT_ROUNDS  50   /* control_poll() calls that must bring no reply */
#define MAX_RUN_LINES  32
#define MAX_READ_BYTES 16384
#define BULK_LINES     600 /* 6000 bytes of lines: more than CONTROL_MAX_LINE */

struct fixture {
    char dir[64];
    char path[96]; /* fits sockaddr_un.sun_path */
    struct control *control;
    /* What the handler saw: every line it ran, and its last deferral. */
    char lines[MAX_RUN_LINES][64];
    int runs;
    uint64_t ticket;
    uint64_t second_ticket; /* a second control_defer() on the same line */
};

/* "later X" is deferred (and answered by the test); "twice X" too, but
 * asks for a second ticket on the same line; anything else is echoed. */
static void handle(void *opaque, const char *line, FILE *reply)
{
    struct fixture *f = opaque;
    if (f->runs < MAX_RUN_LINES) {
        snprintf(f->lines[f->runs], sizeof(f->lines[0]), "%s", line);
    }
    f->runs++;
    if (strncmp(line, "later ", 6) == 0) {
        f->ticket = control_defer(f->control);
        return;
    }
    if (strncmp(line, "twice ", 6) == 0) {
        f->ticket = control_defer(f->control);
        f->second_ticket = control_defer(f->control);
        return;
    }
    fprintf(reply, "OK %s", line);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/wall-control-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/control.sock", f->dir);
    f->control = control_create(f->path, handle, f);
    assert_non_null(f->control);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    control_destroy(f->control);
    unlink(f->path); /* already gone unless destroy failed to remove it */
    rmdir(f->dir);
    free(f);
    return 0;
}

static int connect_client(struct fixture *f)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", f->path);
    /* A UNIX connect completes at once while the backlog has room. */
    assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    control_poll(f->control); /* accepted now */
    return fd;
}

static void send_text(int fd, const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Polls the module until `fd` has received exactly `expected` (no more). */
static void expect_reply(struct fixture *f, int fd, const char *expected)
{
    char got[MAX_READ_BYTES] = {0};
    size_t len = 0, want = strlen(expected);
    assert_true(want < sizeof(got));
    for (int round = 0; round < POLL_ROUNDS && len < want; round++) {
        control_poll(f->control);
        ssize_t n = recv(fd, got + len, sizeof(got) - 1 - len, MSG_DONTWAIT);
        if (n > 0) {
            len += (size_t)n;
        } else if (n == 0) {
            break; /* the module dropped us: the comparison below says so */
        } else {
            assert_true(errno == EAGAIN || errno == EINTR);
            poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, 10);
        }
    }
    got[len] = '\0';
    assert_string_equal(got, expected);
    /* And nothing beyond it, even after another round. */
    control_poll(f->control);
    char extra;
    assert_int_equal(recv(fd, &extra, 1, MSG_DONTWAIT), -1);
    assert_int_equal(errno, EAGAIN);
}

/* A reply the module would send arrives within the control_poll() that
 * reads the line; many of them bring nothing here. */
static void expect_silence(struct fixture *f, int fd)
{
    for (int round = 0; round < SILENT_ROUNDS; round++) {
        control_poll(f->control);
        char byte;
        ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
        if (n >= 0) {
            fail_msg("a reply arrived (%zd bytes, first '%c') where none was due", n,
                     n > 0 ? byte : '?');
        }
        assert_int_equal(errno, EAGAIN);
    }
}

/* Polls until the handler has run `runs` lines in all. */
static void wait_runs(struct fixture *f, int runs)
{
    for (int round = 0; round < POLL_ROUNDS && f->runs < runs; round++) {
        control_poll(f->control);
    }
    assert_int_equal(f->runs, runs);
}

static void ordinary_lines_answered_in_order(void **state)
{
    struct fixture *f = *state;
    int fd = connect_client(f);
    send_text(fd, "first\nsecond\r\nthird\n");
    expect_reply(f, fd, "OK first\nOK second\nOK third\n");
    send_text(fd, "four");
    expect_silence(f, fd); /* no newline yet: not a line */
    send_text(fd, "th\n");
    expect_reply(f, fd, "OK fourth\n");
    assert_int_equal(f->runs, 4);
    close(fd);
}

static void deferred_reply_holds_later_lines(void **state)
{
    struct fixture *f = *state;
    int a = connect_client(f);
    int b = connect_client(f);

    /* One write: the module has both lines before it runs the first. */
    send_text(a, "later X\nnow Y\n");
    wait_runs(f, 1);
    assert_string_equal(f->lines[0], "later X");
    uint64_t ticket = f->ticket;
    assert_true(ticket != 0);
    expect_silence(f, a);
    assert_int_equal(f->runs, 1); /* "now Y" waits, unrun */

    /* Another client is served meanwhile, and a still waits. */
    send_text(b, "ping\n");
    expect_reply(f, b, "OK ping\n");
    assert_int_equal(f->runs, 2);
    assert_string_equal(f->lines[1], "ping");
    expect_silence(f, a);

    control_answer(f->control, ticket, "OK X done");
    expect_reply(f, a, "OK X done\nOK now Y\n");
    assert_int_equal(f->runs, 3);
    assert_string_equal(f->lines[2], "now Y");

    /* Lines sent after the deferral, while it waits, wait too. */
    send_text(a, "later W\n");
    wait_runs(f, 4);
    ticket = f->ticket;
    send_text(a, "now Z\n");
    expect_silence(f, a);
    assert_int_equal(f->runs, 4);
    control_answer(f->control, ticket, "OK W done");
    expect_reply(f, a, "OK W done\nOK now Z\n");
    assert_string_equal(f->lines[4], "now Z");

    /* Back to ordinary service. */
    send_text(a, "again\n");
    expect_reply(f, a, "OK again\n");
    expect_silence(f, b);
    close(a);
    close(b);
}

static void lines_beyond_one_buffer_wait_whole(void **state)
{
    /* While a reply is deferred the client may send more than the line
     * buffer holds: the lines wait in the socket, none is lost, refused
     * as too long, or taken for a hang-up. */
    struct fixture *f = *state;
    int a = connect_client(f);
    send_text(a, "later bulk\n");
    wait_runs(f, 1);
    uint64_t ticket = f->ticket;
    assert_true(ticket != 0);

    static char sent[BULK_LINES * 16], expected[BULK_LINES * 16 + 64];
    size_t sent_len = 0, expected_len = 0;
    expected_len += (size_t)sprintf(expected, "OK bulk done\n");
    for (int i = 0; i < BULK_LINES; i++) {
        sent_len += (size_t)sprintf(sent + sent_len, "line %04d\n", i);
        expected_len += (size_t)sprintf(expected + expected_len, "OK line %04d\n", i);
    }
    assert_true(sent_len > CONTROL_MAX_LINE);
    send_text(a, sent);
    expect_silence(f, a);
    assert_int_equal(f->runs, 1);

    control_answer(f->control, ticket, "OK bulk done");
    expect_reply(f, a, expected);
    assert_int_equal(f->runs, 1 + BULK_LINES);
    close(a);
}

static void stale_and_zero_tickets_are_ignored(void **state)
{
    struct fixture *f = *state;
    int a = connect_client(f);
    int idle = connect_client(f); /* waits on nothing: its own ticket is 0 */

    control_answer(f->control, 0, "ERR stray zero");
    expect_silence(f, a);
    expect_silence(f, idle);

    send_text(a, "later one\n");
    wait_runs(f, 1);
    uint64_t first = f->ticket;
    assert_true(first != 0);
    control_answer(f->control, 0, "ERR stray zero");
    expect_silence(f, a);
    expect_silence(f, idle);
    control_answer(f->control, first, "OK one done");
    expect_reply(f, a, "OK one done\n");

    /* Answered already: exactly one reply. */
    control_answer(f->control, first, "ERR answered twice");
    expect_silence(f, a);
    expect_silence(f, idle);

    /* A stale ticket must not answer the client's next deferral. */
    send_text(a, "later two\nafter\n");
    wait_runs(f, 2);
    uint64_t second = f->ticket;
    assert_true(second != 0);
    assert_true(second != first);
    control_answer(f->control, first, "ERR stale ticket");
    control_answer(f->control, 0, "ERR stray zero");
    expect_silence(f, a);
    assert_int_equal(f->runs, 2);
    control_answer(f->control, second, "OK two done");
    expect_reply(f, a, "OK two done\nOK after\n");
    expect_silence(f, idle);
    close(a);
    close(idle);
}

static void answer_for_a_gone_client_is_harmless(void **state)
{
    struct fixture *f = *state;
    int a = connect_client(f);
    int b = connect_client(f);

    send_text(a, "later gone\nnever run\n");
    wait_runs(f, 1);
    uint64_t ticket = f->ticket;
    assert_true(ticket != 0);
    close(a);
    for (int round = 0; round < SILENT_ROUNDS; round++) {
        control_poll(f->control);
    }

    /* A newcomer, in whatever slot: the ticket is not its. */
    int c = connect_client(f);
    control_answer(f->control, ticket, "OK gone done");
    control_answer(f->control, ticket, "OK gone done again");
    expect_silence(f, b);
    expect_silence(f, c);

    send_text(b, "still here\n");
    expect_reply(f, b, "OK still here\n");
    send_text(c, "new here\n");
    expect_reply(f, c, "OK new here\n");
    /* The gone client's waiting line never ran. */
    for (int i = 0; i < f->runs && i < MAX_RUN_LINES; i++) {
        assert_string_not_equal(f->lines[i], "never run");
    }
    close(b);
    close(c);
}

static void client_gone_before_destroy_while_waiting(void **state)
{
    /* The teardown destroys the module with a reply still deferred for a
     * client that has gone: nothing leaks or crashes (ASan build). */
    struct fixture *f = *state;
    int a = connect_client(f);
    send_text(a, "later forever\n");
    wait_runs(f, 1);
    assert_true(f->ticket != 0);
    close(a);
    control_poll(f->control);
}

static void defer_outside_a_line_is_zero(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(control_defer(f->control), 0);
    assert_int_equal(control_defer(NULL), 0);
    control_answer(NULL, 1, "ERR no control");

    /* The handler called in-process, not from a socket line: no ticket,
     * and the reply is written as usual. */
    char *text = NULL;
    size_t len = 0;
    FILE *reply = open_memstream(&text, &len);
    assert_non_null(reply);
    handle(f, "later inline", reply);
    assert_int_equal(fclose(reply), 0);
    assert_int_equal(f->ticket, 0);
    free(text);

    /* Between lines, even while a client waits, still 0; and that
     * client's wait is untouched by it. */
    int a = connect_client(f);
    send_text(a, "later held\nnext\n");
    wait_runs(f, 2); /* the in-process call above, then "later held" */
    uint64_t ticket = f->ticket;
    assert_true(ticket != 0);
    assert_int_equal(control_defer(f->control), 0);
    expect_silence(f, a);
    control_answer(f->control, ticket, "OK held done");
    expect_reply(f, a, "OK held done\nOK next\n");
    close(a);
}

static void second_defer_on_one_line_is_zero(void **state)
{
    struct fixture *f = *state;
    int a = connect_client(f);
    send_text(a, "twice X\n");
    wait_runs(f, 1);
    assert_true(f->ticket != 0);
    assert_int_equal(f->second_ticket, 0);
    expect_silence(f, a);
    control_answer(f->control, f->ticket, "OK twice done");
    expect_reply(f, a, "OK twice done\n");
    close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ordinary_lines_answered_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(deferred_reply_holds_later_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(lines_beyond_one_buffer_wait_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_and_zero_tickets_are_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(answer_for_a_gone_client_is_harmless, setup, teardown),
        cmocka_unit_test_setup_teardown(client_gone_before_destroy_while_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(defer_outside_a_line_is_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(second_defer_on_one_line_is_zero, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
