/* A real mosquitto broker for tests/wall/test_link.c, on a free port of
 * 127.0.0.1, with a password file (mosquitto_passwd -b) holding the users
 * below and the repository's tools/mosquitto-acl.example as its ACL.
 *
 * Contract:
 * - broker_prepare() writes the files into a new folder under /tmp and
 *   picks the port; broker_start() runs `mosquitto -c CONF` and returns once
 *   it accepts connections (connect() polled: the broker offers no other
 *   event); broker_stop() ends it (SIGTERM) and reaps it; broker_start()
 *   again runs it on the same port. broker_remove() stops it and removes
 *   the folder.
 * - TLS: broker_make_certs() makes two CAs with the openssl CLI, a server
 *   certificate for 127.0.0.1 signed by each and a client certificate
 *   signed by the first; broker_use_tls() makes the next start listen with
 *   TLS, requiring a client certificate, with the server certificate of
 *   CA 1 or CA 2.
 * - Every helper fails the running test (cmocka) on error; bounds on waits
 *   are failure guards, not timing claims.
 * - The broker is started before the test makes any thread: forking the
 *   process that runs links would copy their locks. */
#ifndef TESTS_WALL_BROKER_HARNESS_H
#define TESTS_WALL_BROKER_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>

#define BROKER_WAIT_MS 15000 /* failure guard for every wait */

struct broker_user {
    const char *name;
    const char *password;
};
extern const struct broker_user broker_users[]; /* ssc, g911, standby, cad; then NULL */

struct broker {
    char dir[64];
    char conf[128];
    char log[128];
    int port;
    pid_t pid;  /* 0: not running */
    int tls_ca; /* 0: plain TCP; 1 or 2: TLS with the server certificate of that CA */
};

/* False (and a message) when mosquitto or mosquitto_passwd is not
 * installed: skip the tests. */
bool broker_installed(void);

/* A folder with the password file, and a free port. */
void broker_prepare(struct broker *b);
void broker_start(struct broker *b);
void broker_stop(struct broker *b);
void broker_remove(struct broker *b);

/* Certificates in the broker's folder; false when openssl is missing. */
bool broker_make_certs(struct broker *b);
void broker_use_tls(struct broker *b, int ca);
/* Paths in the broker's folder: "ca1.pem", "client.pem", "client.key"... */
const char *broker_file(const struct broker *b, const char *name);

/* A port nothing listens on (now). */
int broker_free_port(void);

/* Runs argv (argv[0] looked up in PATH and in /usr/sbin) and waits;
 * its exit status, or -1 when it could not run. */
int broker_run(const char *const argv[]);

#endif
