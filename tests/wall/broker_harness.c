#include "broker_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const struct broker_user broker_users[] = {
    {"ssc", "pw-ssc"}, {"g911", "pw-g911"}, {"standby", "pw-standby"},
    {"cad", "pw-cad"}, {NULL, NULL},
};

/* mosquitto lives in /usr/sbin, often outside a user's PATH. */
static const char *program(const char *name, char *buf, size_t size)
{
    const char *dirs[] = {"/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(buf, size, "%s/%s", dirs[i], name);
        if (access(buf, X_OK) == 0) {
            return buf;
        }
    }
    return name; /* left to PATH */
}

static pid_t spawn(const char *const argv[], const char *output)
{
    char path[256];
    const char *file = program(argv[0], path, sizeof(path));
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(output ? output : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execvp(file, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int broker_run(const char *const argv[])
{
    pid_t pid = spawn(argv, NULL);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *broker_file(const struct broker *b, const char *name)
{
    static char paths[8][384];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof(paths[0]), "%s/%s", b->dir, name);
    return path;
}

int broker_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

bool broker_installed(void)
{
    char path[256];
    if (access(program("mosquitto", path, sizeof(path)), X_OK) != 0 ||
        access(program("mosquitto_passwd", path, sizeof(path)), X_OK) != 0) {
        print_message("mosquitto or mosquitto_passwd is not installed "
                      "(tools/install-deps.sh --tests)\n");
        return false;
    }
    return true;
}

void broker_prepare(struct broker *b)
{
    memset(b, 0, sizeof(*b));
    snprintf(b->dir, sizeof(b->dir), "/tmp/wall-broker-XXXXXX");
    assert_non_null(mkdtemp(b->dir));
    snprintf(b->conf, sizeof(b->conf), "%s/mosquitto.conf", b->dir);
    snprintf(b->log, sizeof(b->log), "%s/broker.log", b->dir);
    const char *passwd = broker_file(b, "passwd");
    for (int i = 0; broker_users[i].name; i++) {
        const char *name = broker_users[i].name, *password = broker_users[i].password;
        const char *create[] = {"mosquitto_passwd", "-c", "-b", passwd, name, password, NULL};
        const char *add[] = {"mosquitto_passwd", "-b", passwd, name, password, NULL};
        assert_int_equal(broker_run(i == 0 ? create : add), 0);
    }
    b->port = broker_free_port();
}

static void write_conf(const struct broker *b)
{
    const char *root = getenv("WALL_SOURCE_ROOT");
    assert_non_null(root);
    FILE *f = fopen(b->conf, "w");
    assert_non_null(f);
    fprintf(f, "listener %d 127.0.0.1\n", b->port);
    fprintf(f, "allow_anonymous false\n");
    fprintf(f, "password_file %s/passwd\n", b->dir);
    fprintf(f, "acl_file %s/tools/mosquitto-acl.example\n", root);
    fprintf(f, "persistence false\n");
    fprintf(f, "log_dest stderr\n");
    if (geteuid() == 0) {
        fprintf(f, "user root\n"); /* else it becomes `mosquitto`, who cannot read b->dir */
    }
    if (b->tls_ca) {
        fprintf(f, "cafile %s/ca1.pem\n", b->dir);
        fprintf(f, "certfile %s/server%d.pem\n", b->dir, b->tls_ca);
        fprintf(f, "keyfile %s/server.key\n", b->dir);
        fprintf(f, "require_certificate true\n");
    }
    assert_int_equal(fclose(f), 0);
}

static bool accepts(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

static void print_log(const struct broker *b)
{
    FILE *f = fopen(b->log, "r");
    char line[512];
    while (f && fgets(line, sizeof(line), f)) {
        print_message("broker: %s", line);
    }
    if (f) {
        fclose(f);
    }
}

void broker_start(struct broker *b)
{
    assert_int_equal(b->pid, 0);
    write_conf(b);
    const char *argv[] = {"mosquitto", "-c", b->conf, NULL};
    b->pid = spawn(argv, b->log);
    assert_true(b->pid > 0);
    /* No event says "listening": poll connect(), watching for an early exit. */
    struct timespec pause = {.tv_nsec = 10 * 1000000L};
    for (int waited = 0; waited < BROKER_WAIT_MS; waited += 10) {
        int status;
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            b->pid = 0;
            print_log(b);
            fail_msg("mosquitto exited at start (port %d)", b->port);
        }
        if (accepts(b->port)) {
            return;
        }
        nanosleep(&pause, NULL);
    }
    print_log(b);
    fail_msg("mosquitto does not accept connections on port %d", b->port);
}

void broker_stop(struct broker *b)
{
    if (b->pid <= 0) {
        return;
    }
    kill(b->pid, SIGTERM);
    int status;
    while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR) {
    }
    b->pid = 0;
}

void broker_remove(struct broker *b)
{
    broker_stop(b);
    if (!b->dir[0]) {
        return;
    }
    DIR *dir = opendir(b->dir);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            unlink(broker_file(b, e->d_name));
        }
    }
    if (dir) {
        closedir(dir);
    }
    rmdir(b->dir);
    b->dir[0] = '\0';
}

/* A key and a certificate signed by `ca` (NULL: self-signed, a CA). */
static void make_cert(struct broker *b, const char *name, const char *key, const char *cn,
                      const char *ca, const char *serial)
{
    char pem[64], subj[64];
    snprintf(pem, sizeof(pem), "%s.pem", name);
    snprintf(subj, sizeof(subj), "/CN=%s", cn);
    const char *key_path = broker_file(b, key);
    if (access(key_path, R_OK) != 0) {
        const char *genkey[] = {"openssl", "genpkey",  "-algorithm",
                                "EC",      "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                "-out",    key_path,   NULL};
        assert_int_equal(broker_run(genkey), 0);
    }
    if (!ca) {
        const char *self[] = {
            "openssl",           "req",   "-x509", "-new",  "-key", key_path, "-out",
            broker_file(b, pem), "-subj", subj,    "-days", "2",    NULL};
        assert_int_equal(broker_run(self), 0);
        return;
    }
    char ca_pem[64], ca_key[64];
    snprintf(ca_pem, sizeof(ca_pem), "%s.pem", ca);
    snprintf(ca_key, sizeof(ca_key), "%s.key", ca);
    const char *csr[] = {
        "openssl", "req", "-new", "-key", key_path, "-out", broker_file(b, "req.csr"),
        "-subj",   subj,  NULL};
    assert_int_equal(broker_run(csr), 0);
    const char *sign[] = {"openssl",
                          "x509",
                          "-req",
                          "-in",
                          broker_file(b, "req.csr"),
                          "-CA",
                          broker_file(b, ca_pem),
                          "-CAkey",
                          broker_file(b, ca_key),
                          "-set_serial",
                          serial,
                          "-days",
                          "2",
                          "-out",
                          broker_file(b, pem),
                          "-extfile",
                          broker_file(b, "ext.cnf"),
                          NULL};
    assert_int_equal(broker_run(sign), 0);
}

bool broker_make_certs(struct broker *b)
{
    const char *version[] = {"openssl", "version", NULL};
    if (broker_run(version) != 0) {
        print_message("openssl is not installed\n");
        return false;
    }
    FILE *f = fopen(broker_file(b, "ext.cnf"), "w");
    assert_non_null(f);
    fprintf(f, "subjectAltName=IP:127.0.0.1\n");
    assert_int_equal(fclose(f), 0);
    make_cert(b, "ca1", "ca1.key", "wall-test-ca1", NULL, NULL);
    make_cert(b, "ca2", "ca2.key", "wall-test-ca2", NULL, NULL);
    make_cert(b, "server1", "server.key", "127.0.0.1", "ca1", "11");
    make_cert(b, "server2", "server.key", "127.0.0.1", "ca2", "12");
    make_cert(b, "client", "client.key", "ssc", "ca1", "13");
    return true;
}

void broker_use_tls(struct broker *b, int ca)
{
    b->tls_ca = ca;
}
