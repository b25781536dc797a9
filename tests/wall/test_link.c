/* Link: stations talking through a real mosquitto broker (broker_harness.h)
 * with a password file and tools/mosquitto-acl.example. Online states and
 * last wills, a command and its ack, retained state for a station that
 * comes later, a broker that stops and returns, the ACL, wrong passwords
 * (never logged), the bounded inbox, oversized payloads, TLS with a client
 * certificate and a broker whose certificate gets fixed.
 *
 * Each test has its own wall id, so retained messages of one never reach
 * another. Nothing sleeps: every wait is for an event of the link
 * (link_wait) or of a pipe, bounded by BROKER_WAIT_MS to fail rather than
 * hang. Orders that MQTT keeps are used to prove absence: a broker handles
 * one client's packets in order, so a subscription is in force once the
 * station receives a message it published after subscribing, and a publish
 * the ACL dropped would have arrived before a later one that arrives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <mosquitto.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker_harness.h"
#include "common/log.h"
#include "wall/link.h"
#include "wall/messages.h"

static const char *password_of(const char *user)
{
    for (int i = 0; broker_users[i].name; i++) {
        if (strcmp(broker_users[i].name, user) == 0) {
            return broker_users[i].password;
        }
    }
    return "none";
}

static struct link_config config_for(const struct broker *b, const char *wall, const char *station)
{
    return (struct link_config){
        .host = "127.0.0.1",
        .port = b->port,
        .username = station,
        .password = password_of(station),
        .wall_id = wall,
        .station = station,
        .reconnect_min_s = 1,
        .reconnect_max_s = 2,
    };
}

static struct link *station(const struct broker *b, const char *wall, const char *name)
{
    struct link_config c = config_for(b, wall, name);
    struct link *link = link_create(&c);
    assert_non_null(link);
    return link;
}

static double ms_since(const struct timespec *start)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - start->tv_sec) * 1e3 + (double)(t.tv_nsec - start->tv_nsec) / 1e6;
}

static void wait_connected(struct link *link, bool want)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (link_connected(link) != want) {
        if (ms_since(&start) > BROKER_WAIT_MS) {
            fail_msg("the link is still %s", want ? "not connected" : "connected");
        }
        link_wait(link, 100);
    }
}

/* Takes messages until one on any of topics[n] (returned in *out; the
 * result is its index); those skipped must not carry `forbidden` in their
 * payload. */
static int take_one_of(struct link *link, const char *const topics[], int n, const char *forbidden,
                       struct link_message *out)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        while (link_take(link, out)) {
            if (forbidden && out->payload && strstr(out->payload, forbidden)) {
                fail_msg("%s carried \"%s\"", out->topic, forbidden);
            }
            for (int i = 0; i < n; i++) {
                if (strcmp(out->topic, topics[i]) == 0) {
                    return i;
                }
            }
            link_message_finish(out);
        }
        if (ms_since(&start) > BROKER_WAIT_MS) {
            fail_msg("nothing came on %s", topics[0]);
        }
        link_wait(link, 100);
    }
}

static void take_on(struct link *link, const char *topic, const char *forbidden,
                    struct link_message *out)
{
    take_one_of(link, &topic, 1, forbidden, out);
}

/* Publishes on `topic` (which the link's subscriptions cover) and waits for
 * it: every subscription made before is then in force. */
static void sync_link(struct link *link, const char *topic)
{
    char reason[LINK_REASON_SIZE] = "";
    wait_connected(link, true);
    if (!link_publish(link, topic, "sync", false, reason, sizeof(reason))) {
        fail_msg("sync: %s", reason);
    }
    struct link_message m;
    take_on(link, topic, NULL, &m);
    link_message_finish(&m);
}

static void subscribe(struct link *link, const char *filter)
{
    char reason[LINK_REASON_SIZE] = "";
    if (!link_subscribe(link, filter, reason, sizeof(reason))) {
        fail_msg("subscribe %s: %s", filter, reason);
    }
}

static void publish(struct link *link, const char *topic, const char *payload, bool retained)
{
    char reason[LINK_REASON_SIZE] = "";
    if (!link_publish(link, topic, payload, retained, reason, sizeof(reason))) {
        fail_msg("publish %s: %s", topic, reason);
    }
}

static void expect_online(const struct link_message *m, const char *station, bool online)
{
    struct msg_online o;
    char err[MSG_ERROR_SIZE] = "";
    if (!msg_decode_online(m->payload, m->payload_len, &o, err, sizeof(err))) {
        fail_msg("online of %s: %s", station, err);
    }
    assert_string_equal(o.station, station);
    assert_int_equal(o.online, online);
    assert_int_equal(o.since[0] != '\0', online); /* the will has no "since" */
}

/* ---- tests ---- */

/* g911 runs in a child process that connects and is then killed with
 * SIGKILL: no DISCONNECT, so the broker publishes its last will. Runs
 * first: the child is forked before this process has any thread. */
static void last_will_when_a_station_is_killed(void **state)
{
    struct broker *b = *state;
    int ready[2], hold[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(hold), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* No cmocka here: a failed assert would run on in the parent's tests. */
        close(ready[0]);
        close(hold[1]);
        struct link_config c = config_for(b, "t1", "g911");
        struct link *g911 = link_create(&c);
        for (int i = 0; g911 && i < BROKER_WAIT_MS / 100 && !link_connected(g911); i++) {
            link_wait(g911, 100);
        }
        char answer = g911 && link_connected(g911) ? 'y' : 'n';
        if (write(ready[1], &answer, 1) != 1 || read(hold[0], &answer, 1) < 0) {
            _exit(1);
        }
        _exit(0); /* not reached: killed */
    }
    close(ready[1]);
    close(hold[0]);
    struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, BROKER_WAIT_MS), 1);
    char answer = 'n';
    assert_int_equal(read(ready[0], &answer, 1), 1);
    assert_int_equal(answer, 'y');

    struct link *ssc = station(b, "t1", "ssc");
    subscribe(ssc, "wall/t1/station/+/online");
    struct link_message m;
    take_on(ssc, "wall/t1/station/g911/online", NULL, &m);
    expect_online(&m, "g911", true);
    assert_true(m.retained); /* published before ssc subscribed */
    link_message_finish(&m);

    assert_int_equal(kill(child, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    close(ready[0]);
    close(hold[1]);
    take_on(ssc, "wall/t1/station/g911/online", NULL, &m);
    expect_online(&m, "g911", false);
    link_message_finish(&m);

    /* A station that starts later reads that g911 is offline. */
    struct link *standby = station(b, "t1", "standby");
    subscribe(standby, "wall/t1/station/g911/online");
    take_on(standby, "wall/t1/station/g911/online", NULL, &m);
    expect_online(&m, "g911", false);
    assert_true(m.retained);
    link_message_finish(&m);
    link_destroy(standby);
    link_destroy(ssc);
}

static void command_and_ack_round_trip(void **state)
{
    struct broker *b = *state;
    struct link *ssc = station(b, "t2", "ssc");
    struct link *g911 = station(b, "t2", "g911");
    char filter[MSG_TOPIC_MAX], topic[MSG_TOPIC_MAX], err[MSG_ERROR_SIZE] = "";
    assert_true(msg_topic_build(filter, sizeof(filter), "t2", MSG_TOPIC_COMMAND, NULL));
    subscribe(g911, filter);
    assert_true(msg_topic_build(filter, sizeof(filter), "t2", MSG_TOPIC_ACK, NULL));
    subscribe(ssc, filter);
    sync_link(g911, "wall/t2/output/sync/command");
    sync_link(ssc, "wall/t2/station/ssc/ack");

    struct msg_command put = {.id = "ssc-42",
                              .from = "ssc",
                              .seq = 42,
                              .action = MSG_ACTION_PUT,
                              .output = "g911-1",
                              .tile = 1,
                              .camera = 2101};
    char *payload = msg_encode_command(&put, err, sizeof(err));
    assert_non_null(payload);
    assert_true(msg_topic_build(topic, sizeof(topic), "t2", MSG_TOPIC_COMMAND, "g911-1"));
    publish(ssc, topic, payload, false);
    free(payload);

    /* g911 receives, checks the topic against the payload, and answers. */
    struct link_message m;
    take_on(g911, topic, NULL, &m);
    assert_false(m.retained);
    enum msg_topic_kind kind;
    char name[MSG_NAME_MAX + 1];
    assert_true(msg_topic_parse(m.topic, "t2", &kind, name));
    assert_int_equal(kind, MSG_TOPIC_COMMAND);
    struct msg_command got;
    assert_true(msg_decode_command(m.payload, m.payload_len, &got, err, sizeof(err)));
    link_message_finish(&m);
    assert_string_equal(got.output, name);
    assert_memory_equal(&got, &put, sizeof(got));

    struct msg_ack acks[] = {
        {.id = "ssc-42", .to = "ssc", .ok = true},
        {.id = "ssc-43",
         .to = "ssc",
         .ok = false,
         .reason = "camera 5101 cannot be shown in zone ssc"},
    };
    assert_true(msg_topic_build(topic, sizeof(topic), "t2", MSG_TOPIC_ACK, "g911"));
    for (int i = 0; i < 2; i++) {
        payload = msg_encode_ack(&acks[i], err, sizeof(err));
        publish(g911, topic, payload, false);
        free(payload);
    }
    for (int i = 0; i < 2; i++) {
        take_on(ssc, topic, NULL, &m);
        struct msg_ack ack;
        assert_true(msg_decode_ack(m.payload, m.payload_len, &ack, err, sizeof(err)));
        link_message_finish(&m);
        assert_memory_equal(&ack, &acks[i], sizeof(ack));
    }
    link_destroy(g911);
    link_destroy(ssc);
}

static void retained_state_for_a_later_station(void **state)
{
    struct broker *b = *state;
    struct link *g911 = station(b, "t3", "g911");
    subscribe(g911, "wall/t3/output/+/state");
    wait_connected(g911, true);
    struct msg_tile tiles[] = {{.tile = 1, .camera = 2101}, {.tile = 2, .tour = "noche"}};
    struct msg_state st = {.output = "g911-1",
                           .station = "g911",
                           .page = 2,
                           .selected = 2,
                           .tiles = tiles,
                           .n_tiles = 2,
                           .seq = 17};
    char err[MSG_ERROR_SIZE] = "";
    char *payload = msg_encode_state(&st, err, sizeof(err));
    const char *topic = "wall/t3/output/g911-1/state";
    publish(g911, topic, payload, true);
    /* Back to g911 itself: the broker holds it. */
    struct link_message m;
    take_on(g911, topic, NULL, &m);
    link_message_finish(&m);

    struct link *standby = station(b, "t3", "standby");
    subscribe(standby, "wall/t3/output/+/state");
    take_on(standby, topic, NULL, &m);
    assert_true(m.retained);
    assert_int_equal(m.payload_len, strlen(payload));
    assert_string_equal(m.payload, payload);
    struct msg_state back;
    assert_true(msg_decode_state(m.payload, m.payload_len, &back, err, sizeof(err)));
    link_message_finish(&m);
    assert_int_equal(back.n_tiles, 2);
    assert_string_equal(back.tiles[1].tour, "noche");
    assert_int_equal(back.seq, 17);
    msg_state_finish(&back);
    free(payload);

    /* An empty retained payload clears it: a third station gets g911's
     * retained online (a later subscription) and no state before it. */
    publish(g911, topic, "", true);
    take_on(g911, topic, NULL, &m);
    assert_int_equal(m.payload_len, 0);
    link_message_finish(&m);
    struct link *ssc = station(b, "t3", "ssc");
    subscribe(ssc, "wall/t3/output/+/state");
    subscribe(ssc, "wall/t3/station/g911/online");
    take_on(ssc, "wall/t3/station/g911/online", "\"seq\"", &m);
    link_message_finish(&m);
    link_destroy(ssc);
    link_destroy(standby);
    link_destroy(g911);
}

static void clean_destroy_says_offline(void **state)
{
    struct broker *b = *state;
    struct link *ssc = station(b, "t4", "ssc");
    struct link *g911 = station(b, "t4", "g911");
    subscribe(ssc, "wall/t4/station/+/online");
    struct link_message m;
    take_on(ssc, "wall/t4/station/g911/online", NULL, &m);
    expect_online(&m, "g911", true);
    link_message_finish(&m);
    wait_connected(g911, true);
    link_destroy(g911);
    take_on(ssc, "wall/t4/station/g911/online", NULL, &m);
    expect_online(&m, "g911", false);
    link_message_finish(&m);
    link_destroy(ssc);
}

static void broker_restart(void **state)
{
    struct broker *b = *state;
    struct link *ssc = station(b, "t5", "ssc");
    struct link *g911 = station(b, "t5", "g911");
    subscribe(ssc, "wall/t5/station/+/online");
    struct link_message m;
    take_on(ssc, "wall/t5/station/g911/online", NULL, &m);
    link_message_finish(&m);
    wait_connected(g911, true);
    assert_int_equal(link_connects(g911), 1);

    broker_stop(b);
    wait_connected(ssc, false);
    wait_connected(g911, false);
    char reason[LINK_REASON_SIZE] = "", expected[64];
    assert_false(
        link_publish(g911, "wall/t5/output/g911-1/state", "{}", true, reason, sizeof(reason)));
    snprintf(expected, sizeof(expected), "not connected to the broker 127.0.0.1:%d: ", b->port);
    assert_memory_equal(reason, expected, strlen(expected));
    print_message("while down: %s\n", reason);

    /* Back on the same port, without the retained messages (no persistence):
     * g911 says again that it is online, and ssc hears it. */
    broker_start(b);
    wait_connected(g911, true);
    /* A broker stopped with SIGTERM publishes the wills of its clients
     * first: ssc may hear that g911 was offline before it is online again. */
    struct msg_online o = {.online = false};
    while (!o.online) {
        take_on(ssc, "wall/t5/station/g911/online", NULL, &m);
        char err[MSG_ERROR_SIZE] = "";
        assert_true(msg_decode_online(m.payload, m.payload_len, &o, err, sizeof(err)));
        link_message_finish(&m);
    }
    assert_int_equal(link_connects(g911), 2);
    publish(g911, "wall/t5/output/g911-1/state", "{}", true);
    link_destroy(g911);
    link_destroy(ssc);
}

static void unreachable_broker_fails_publishes(void **state)
{
    struct broker b = {.port = broker_free_port()};
    struct link *ssc = station(&b, "t6", "ssc");
    assert_false(link_connected(ssc));
    subscribe(ssc, "wall/t6/#"); /* kept for when it connects */
    char reason[LINK_REASON_SIZE] = "", expected[64];
    assert_false(
        link_publish(ssc, "wall/t6/station/ssc/ack", "{}", false, reason, sizeof(reason)));
    snprintf(expected, sizeof(expected), "not connected to the broker 127.0.0.1:%d: ", b.port);
    assert_memory_equal(reason, expected, strlen(expected));
    print_message("no broker: %s\n", reason);
    link_destroy(ssc); /* returns while libmosquitto waits to try again */
}

static void acl_keeps_stations_to_their_topics(void **state)
{
    struct broker *b = *state;
    struct link *ssc = station(b, "t7", "ssc");
    struct link *g911 = station(b, "t7", "g911");
    struct link *cad = station(b, "t7", "cad");
    subscribe(ssc, "wall/t7/#");
    sync_link(ssc, "wall/t7/station/ssc/ack");
    wait_connected(g911, true);
    wait_connected(cad, true);
    /* Accepted by libmosquitto, dropped by the broker. */
    publish(g911, "wall/t7/station/ssc/ack", "forged ack", false);
    publish(g911, "wall/t7/station/ssc/online", "forged online", true);
    publish(g911, "wall/t7/other", "forged topic", false);
    publish(g911, "wall/t7/station/g911/ack", "g911 marker", false);
    publish(cad, "wall/t7/output/g911-1/state", "forged state", true);
    publish(cad, "wall/t7/output/g911-1/command", "cad marker", false);
    /* Each sender's marker comes after what it sent before; the two
     * senders' messages may interleave. */
    const char *markers[] = {"wall/t7/station/g911/ack", "wall/t7/output/g911-1/command"};
    const char *payloads[] = {"g911 marker", "cad marker"};
    bool seen[2] = {false, false};
    while (!seen[0] || !seen[1]) {
        struct link_message m;
        int i = take_one_of(ssc, markers, 2, "forged", &m);
        assert_false(seen[i]);
        seen[i] = true;
        assert_string_equal(m.payload, payloads[i]);
        link_message_finish(&m);
    }
    link_destroy(cad);
    link_destroy(g911);
    link_destroy(ssc);
}

/* Wrong password: refused, with the broker's reason, and neither password
 * reaches the log, even at debug level with libmosquitto's own lines. */
static void wrong_password_is_refused_and_never_logged(void **state)
{
    struct broker *b = *state;
    char path[] = "/tmp/wall-link-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    log_set_level(LOG_DEBUG);

    struct link_config c = config_for(b, "t8", "ssc");
    c.password = "Wr0ng-s3cret";
    struct link *wrong = link_create(&c);
    struct link *right = station(b, "t8", "g911");
    char reason[LINK_REASON_SIZE] = "";
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!strstr(reason, "not authorised") && ms_since(&start) < BROKER_WAIT_MS) {
        link_wait(wrong, 100);
        link_publish(wrong, "wall/t8/station/ssc/ack", "{}", false, reason, sizeof(reason));
    }
    wait_connected(right, true);
    link_destroy(right);
    link_destroy(wrong);

    log_set_level(LOG_INFO);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    print_message("refused: %s\n", reason);
    assert_non_null(strstr(reason, "not authorised"));
    char log[65536];
    ssize_t n = pread(fd, log, sizeof(log) - 1, 0);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    log[n] = '\0';
    assert_non_null(strstr(log, "refused station ssc"));
    assert_null(strstr(log, "Wr0ng-s3cret"));
    assert_null(strstr(log, password_of("g911")));
}

static void full_inbox_drops_the_oldest(void **state)
{
    struct broker *b = *state;
    struct link_config c = config_for(b, "t9", "ssc");
    c.inbox_size = 4;
    struct link *ssc = link_create(&c);
    assert_non_null(ssc);
    struct link *g911 = station(b, "t9", "g911");
    subscribe(ssc, "wall/t9/station/+/ack");
    sync_link(ssc, "wall/t9/station/ssc/ack");
    wait_connected(g911, true);
    for (int i = 1; i <= 10; i++) {
        char payload[8];
        snprintf(payload, sizeof(payload), "%d", i);
        publish(g911, "wall/t9/station/g911/ack", payload, false);
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (link_dropped(ssc) < 6 && ms_since(&start) < BROKER_WAIT_MS) {
        link_wait(ssc, 100);
    }
    assert_int_equal(link_dropped(ssc), 6);
    for (int i = 7; i <= 10; i++) {
        struct link_message m;
        assert_true(link_take(ssc, &m));
        char expected[8];
        snprintf(expected, sizeof(expected), "%d", i);
        assert_string_equal(m.payload, expected);
        link_message_finish(&m);
    }
    struct link_message none;
    assert_false(link_take(ssc, &none));
    link_destroy(g911);
    link_destroy(ssc);
}

static void raw_published(struct mosquitto *mosq, void *obj, int mid)
{
    int *fd = obj;
    char byte = 1;
    assert_int_equal(write(*fd, &byte, 1), 1);
}

/* Publishes with a plain libmosquitto client as g911 (QoS 1), and returns
 * once the broker has acknowledged it. */
static void raw_publish(const struct broker *b, const char *topic, const void *payload,
                        size_t size)
{
    int acked[2];
    assert_int_equal(pipe(acked), 0);
    mosquitto_lib_init();
    struct mosquitto *raw = mosquitto_new("wall-raw-g911", true, &acked[1]);
    assert_non_null(raw);
    mosquitto_publish_callback_set(raw, raw_published);
    assert_int_equal(mosquitto_username_pw_set(raw, "g911", password_of("g911")), 0);
    assert_int_equal(mosquitto_connect(raw, "127.0.0.1", b->port, 60), MOSQ_ERR_SUCCESS);
    assert_int_equal(mosquitto_loop_start(raw), MOSQ_ERR_SUCCESS);
    assert_int_equal(mosquitto_publish(raw, NULL, topic, (int)size, payload, 1, false),
                     MOSQ_ERR_SUCCESS);
    struct pollfd pfd = {.fd = acked[0], .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, BROKER_WAIT_MS), 1);
    mosquitto_disconnect(raw);
    mosquitto_loop_stop(raw, false);
    mosquitto_destroy(raw);
    mosquitto_lib_cleanup();
    close(acked[0]);
    close(acked[1]);
}

/* Over LINK_PAYLOAD_MAX: link_publish() refuses to send it; received (from
 * a plain libmosquitto client), it comes without its payload, and the
 * decoders refuse it by its size. */
static void oversized_payloads(void **state)
{
    struct broker *b = *state;
    struct link *ssc = station(b, "t10", "ssc");
    subscribe(ssc, "wall/t10/station/+/ack");
    sync_link(ssc, "wall/t10/station/ssc/ack");
    size_t size = 100000;
    char *big = malloc(size + 1);
    memset(big, ' ', size);
    big[size] = '\0';
    char reason[LINK_REASON_SIZE] = "";
    assert_false(
        link_publish(ssc, "wall/t10/station/ssc/ack", big, false, reason, sizeof(reason)));
    assert_string_equal(reason, "payload of 100000 bytes is over the 65536-byte limit");

    raw_publish(b, "wall/t10/station/g911/ack", big, size);
    free(big);

    struct link_message m;
    take_on(ssc, "wall/t10/station/g911/ack", NULL, &m);
    assert_null(m.payload);
    assert_int_equal(m.payload_len, size);
    struct msg_ack ack;
    char err[MSG_ERROR_SIZE] = "";
    assert_false(msg_decode_ack(m.payload, m.payload_len, &ack, err, sizeof(err)));
    assert_string_equal(err, "payload of 100000 bytes is over the 65536-byte limit");
    link_message_finish(&m);
    link_destroy(ssc);
}

/* TLS with a client certificate. The broker first shows a certificate of
 * another CA: the handshake fails, which ends libmosquitto's loop for good;
 * the link starts it again after the longest back-off and connects once the
 * broker has the right certificate. */
static void tls_and_a_certificate_fixed(void **state)
{
    struct broker tls;
    broker_prepare(&tls);
    if (!broker_make_certs(&tls)) {
        broker_remove(&tls);
        skip();
    }
    broker_use_tls(&tls, 2);
    broker_start(&tls);
    struct link_config c = config_for(&tls, "t11", "ssc");
    c.ca = broker_file(&tls, "ca1.pem");
    c.cert = broker_file(&tls, "client.pem");
    c.key = broker_file(&tls, "client.key");
    struct link *ssc = link_create(&c);
    assert_non_null(ssc);
    char reason[LINK_REASON_SIZE] = "";
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!strstr(reason, "certificate verify failed") && ms_since(&start) < BROKER_WAIT_MS) {
        link_wait(ssc, 100);
        link_publish(ssc, "wall/t11/station/ssc/ack", "{}", false, reason, sizeof(reason));
    }
    print_message("wrong certificate: %s\n", reason);
    assert_non_null(strstr(reason, "certificate verify failed"));
    assert_int_equal(link_connects(ssc), 0);

    broker_stop(&tls);
    broker_use_tls(&tls, 1);
    broker_start(&tls);
    subscribe(ssc, "wall/t11/station/+/ack");
    sync_link(ssc, "wall/t11/station/ssc/ack");
    assert_int_equal(link_connects(ssc), 1);
    link_destroy(ssc);
    broker_remove(&tls);
}

static void invalid_configurations_and_topics(void **state)
{
    struct broker *b = *state;
    struct link_config c = config_for(b, "t12", "ssc");
    c.station = "ssc/1";
    assert_null(link_create(&c));
    c = config_for(b, "t12", "ssc");
    c.wall_id = "";
    assert_null(link_create(&c));
    c = config_for(b, "t12", "ssc");
    c.cert = "/nonexistent/client.pem";
    assert_null(link_create(&c)); /* a certificate needs its key and a CA */
    c.key = "/nonexistent/client.key";
    c.ca = "/nonexistent/ca.pem";
    assert_null(link_create(&c)); /* unreadable TLS files */
    c = config_for(b, "t12", "ssc");
    c.keepalive_s = 3;
    assert_null(link_create(&c));
    c = config_for(b, "t12", "ssc");
    c.client_id = "a+b";
    assert_null(link_create(&c));
    c = config_for(b, "t12", "ssc");
    c.port = 70000;
    assert_null(link_create(&c));
    link_destroy(NULL);

    struct link *ssc = station(b, "t12", "ssc");
    char reason[LINK_REASON_SIZE] = "";
    assert_false(link_subscribe(ssc, "wall/#/x", reason, sizeof(reason)));
    assert_string_equal(reason, "invalid topic filter");
    assert_false(link_publish(ssc, "wall/+/x", "{}", false, reason, sizeof(reason)));
    assert_string_equal(reason, "invalid topic");
    assert_false(link_publish(ssc, "", "{}", false, NULL, 0));
    link_destroy(ssc);
}

static int group_setup(void **state)
{
    struct broker *b = calloc(1, sizeof(*b));
    broker_prepare(b);
    broker_start(b);
    *state = b;
    return 0;
}

static int group_teardown(void **state)
{
    broker_remove(*state);
    free(*state);
    return 0;
}

int main(void)
{
    if (!broker_installed()) {
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(last_will_when_a_station_is_killed), /* first: it forks */
        cmocka_unit_test(command_and_ack_round_trip),
        cmocka_unit_test(retained_state_for_a_later_station),
        cmocka_unit_test(clean_destroy_says_offline),
        cmocka_unit_test(broker_restart),
        cmocka_unit_test(unreachable_broker_fails_publishes),
        cmocka_unit_test(acl_keeps_stations_to_their_topics),
        cmocka_unit_test(wrong_password_is_refused_and_never_logged),
        cmocka_unit_test(full_inbox_drops_the_oldest),
        cmocka_unit_test(oversized_payloads),
        cmocka_unit_test(tls_and_a_certificate_fixed),
        cmocka_unit_test(invalid_configurations_and_topics),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
