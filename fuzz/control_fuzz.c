/* Fuzz target: the control-socket command parser and what its commands do
 * (wall_command), plus the operator requests keys and joysticks make
 * (operator_apply), on one headless wall made once at start-up.
 *
 * The wall shows a small full-format layout (fuzz/data/control.cfg): two
 * outputs in two zones, pages, a spanning layout with picture in
 * picture, tours, privacy masks, a suspended camera; its cameras are a
 * local clip or missing files. Nothing touches the network (sandbox.h).
 *
 * The input is text, one command per line, as a client would send it: a
 * line longer than the socket's limit is refused there and skipped here,
 * a trailing CR is dropped, a NUL ends the line (the socket hands the
 * handler C strings). A line starting with '!' is an operator request
 * instead: "!KIND VALUE RELATIVE DX DY AMOUNT" (enum op_kind numbers;
 * DX, DY and AMOUNT are clamped to what the input module produces).
 * `snapshot FILE` writes into the run's private folder, '/' in FILE made '_'.
 * After each command the wall runs one frame (wall_step), so that what a
 * command changed is drawn at once.
 *
 * Checked besides the sanitizers: every command gets exactly one reply
 * line, "OK..." or "ERR ...", with no line break inside (the socket's
 * protocol, wall/control.h).
 *
 * The wall lives across inputs like a real one; each input starts from a
 * reset (first page, restored, selection on tile 1, zoom off), so most
 * findings replay alone. Alarms still running from an earlier input are
 * not reset. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "fuzz/sandbox.h"
#include "layouts/layout.h"
#include "wall/cli.h"
#include "wall/control.h"
#include "wall/operator.h"
#include "wall/wall.h"

#define MAX_COMMANDS 16
#define N_OUTPUTS    2

static struct wall_options options;
static struct wall *wall;
static char dir[] = "/tmp/wall-control-fuzz-XXXXXX";
static char snap_dir[64], snap_file[96], layout_path[96];

static void finish(void)
{
    wall_destroy(wall);
    wall = NULL;
}

/* The layout: fuzz/data/control.cfg, with CLIP replaced by the clip's path. */
static bool write_layout(void)
{
    FILE *in = fopen(FUZZ_DATA_DIR "/control.cfg", "r");
    FILE *out = fopen(layout_path, "w");
    char line[1024];
    bool ok = in && out;
    while (ok && fgets(line, sizeof(line), in)) {
        char *at = strstr(line, "CLIP");
        if (at) {
            *at = '\0';
            fprintf(out, "%s%s%s", line, FUZZ_DATA_DIR "/clip.mp4", at + 4);
        } else {
            fputs(line, out);
        }
    }
    if (in) {
        fclose(in);
    }
    return out && fclose(out) == 0 && ok;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sandbox_no_network();
    if (!mkdtemp(dir)) {
        perror("control_fuzz: mkdtemp");
        exit(1);
    }
    snprintf(snap_dir, sizeof(snap_dir), "%s/snap", dir);
    snprintf(snap_file, sizeof(snap_file), "%s/canvas.png", snap_dir);
    snprintf(layout_path, sizeof(layout_path), "%s/control.cfg", dir);
    if (mkdir(snap_dir, 0700) != 0 || !write_layout()) {
        perror("control_fuzz: setting up");
        exit(1);
    }
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (!getenv("WALL_LOG")) {
        log_set_level(LOG_ERROR); /* refusals and no-signal warnings by the thousand */
    }

    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *layout = layout_load(layout_path, &diags);
    diag_list_print(&diags, stderr);
    diag_list_finish(&diags);
    options = (struct wall_options){
        .config = layout_path,
        .headless = true,
        .snapshot = snap_file,
        .snapshot_dir = snap_dir,
        .settle_timeout = 0,
        .io_timeout_ms = 1000,
        .hwaccel = HWACCEL_NONE,
        .audit = "/dev/null",
    };
    wall = layout ? wall_create(&options, layout) : NULL;
    if (!wall) {
        fprintf(stderr, "control_fuzz: cannot make the headless wall\n");
        exit(1);
    }
    atexit(finish);
    return 0;
}

static void remove_snapshots(void)
{
    DIR *d = opendir(snap_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] != '.') {
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", snap_dir, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
}

/* Runs one command and checks the protocol: one line, OK or ERR. */
static void command(const char *line)
{
    char *reply = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&reply, &len);
    if (!f) {
        abort();
    }
    wall_command(wall, line, f);
    fclose(f);
    while (len > 0 && reply[len - 1] == '\n') {
        reply[--len] = '\0'; /* control.c drops trailing line breaks */
    }
    bool ok = strncmp(reply, "OK", 2) == 0 && (reply[2] == '\0' || reply[2] == ' ');
    bool err = strncmp(reply, "ERR ", 4) == 0;
    if ((!ok && !err) || memchr(reply, '\n', len) || strlen(reply) != len) {
        fprintf(stderr, "control_fuzz: %.80s: a reply outside the protocol: %.300s\n", line,
                reply);
        abort();
    }
    free(reply);
}

static double clamp(double v, double lo, double hi, double fallback)
{
    return isfinite(v) ? fmin(fmax(v, lo), hi) : fallback;
}

/* "!KIND VALUE RELATIVE DX DY AMOUNT": an operator request. */
static void request(const char *text)
{
    char *end;
    long kind = strtol(text, &end, 10);
    long value = strtol(end, &end, 10);
    long relative = strtol(end, &end, 10);
    double dx = strtod(end, &end);
    double dy = strtod(end, &end);
    double amount = strtod(end, &end);
    struct op_request req = {
        .kind = (enum op_kind)((unsigned long)kind % (OP_PAN + 1)),
        .value = value < -1000000  ? -1000000
                 : value > 1000000 ? 1000000
                                   : (int)value,
        .relative = relative != 0,
        .dx = clamp(dx, -1, 1, 0),
        .dy = clamp(dy, -1, 1, 0),
        .amount = clamp(amount, 0.5, 2, 1),
    };
    char why[256];
    operator_apply(wall, (relative & 2) ? OP_JOYSTICK : OP_KEYBOARD, &req, why, sizeof(why));
}

/* Back to a known state: each input then mostly replays alone. */
static void reset(void)
{
    for (int o = 1; o <= N_OUTPUTS; o++) {
        char line[64];
        snprintf(line, sizeof(line), "select %d 1", o);
        command(line);
        if (operator_zooming(wall)) {
            request("9 0 0 0 0 1"); /* OP_ZOOM_TOGGLE */
        }
        snprintf(line, sizeof(line), "restore %d", o);
        command(line);
        snprintf(line, sizeof(line), "page %d 1", o);
        command(line);
    }
    command("select 1 1");
}

static void run_line(char *line)
{
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r') {
        line[--len] = '\0';
    }
    char *p = line + strspn(line, " \t");
    if (line[0] == '!') {
        request(line + 1);
    } else if (strncmp(p, "snapshot", 8) == 0 && (p[8] == ' ' || p[8] == '\t')) {
        /* `snapshot FILE` may name any path: keep it in the private folder. */
        char moved[CONTROL_MAX_LINE + 128];
        for (char *c = p + 9; *c; c++) {
            *c = *c == '/' ? '_' : *c;
        }
        char *name = p + 9 + strspn(p + 9, " \t");
        snprintf(moved, sizeof(moved), "snapshot %s%s%s", *name ? snap_dir : "", *name ? "/" : "",
                 name);
        command(moved);
    } else {
        command(line);
    }
    wall_step(wall);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reset();
    const uint8_t *p = data, *end = data + size;
    for (int n = 0; n < MAX_COMMANDS && p < end; n++) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len < CONTROL_MAX_LINE) { /* longer: "ERR line too long" at the socket */
            char line[CONTROL_MAX_LINE];
            memcpy(line, p, len);
            line[len] = '\0';
            run_line(line);
        }
        p += len + 1;
    }
    remove_snapshots();
    return 0;
}
