/* wall: the command line. Only main() exits; everything else returns. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

#include "common/assets.h"
#include "common/i18n.h"
#include "common/log.h"
#include "config.h"
#include "decode/avlog.h"
#include "layouts/layout.h"
#include "wall/audit_verify.h"
#include "wall/cli.h"
#include "wall/wall.h"

static struct wall_signals signals;

static void on_signal(int sig)
{
    if (sig == SIGUSR1) {
        signals.snapshot = 1;
    } else {
        signals.quit = 1;
    }
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    static const int handled[] = {SIGINT, SIGTERM, SIGUSR1};
    for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
        if (sigaction(handled[i], &sa, NULL) != 0) {
            log_warn("wall", "cannot handle %s (%s): it will stop the wall without cleaning up",
                     strsignal(handled[i]), strerror(errno));
        }
    }
    signal(SIGPIPE, SIG_IGN);
}

/* Loads and validates; prints every problem. NULL when invalid. */
static struct layout_wall *load_layout(const char *path)
{
    if (access(path, R_OK) != 0) {
        fprintf(stderr, _("%s: cannot read layout file: %s\n"), path, strerror(errno));
        return NULL;
    }
    struct diag_list diags;
    diag_list_init(&diags);
    struct layout_wall *layout = layout_load(path, &diags);
    diag_list_print(&diags, stderr);
    diag_list_finish(&diags);
    return layout;
}

/* A layout with stations needs --station, one of them; one without takes
 * neither --station nor --broker. */
static bool station_chosen(const struct wall_options *opts, const struct layout_wall *layout,
                           const char *path)
{
    if (layout->n_stations == 0) {
        if (opts->station || opts->broker) {
            fprintf(stderr, _("%s names no stations: run it without --station and --broker\n"),
                    path);
            return false;
        }
        return true;
    }
    char names[512] = "";
    for (int i = 0; i < layout->n_stations; i++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
                 layout->stations[i].name);
    }
    if (!opts->station) {
        fprintf(stderr,
                _("%s names stations (%s): say which this workstation is with --station\n"), path,
                names);
        return false;
    }
    if (!layout_find_station(layout, opts->station)) {
        fprintf(stderr, _("%s has no station '%s' (it names %s)\n"), path, opts->station, names);
        return false;
    }
    return true;
}

/*
 * The heap of a wall that runs for months. Every feed thread would get a
 * glibc arena of its own (up to 8 per core), each keeping what its thread
 * freed; and glibc raises its mmap threshold each time a big block is
 * freed, so decoded pictures move from mmap into those arenas and stay
 * there after a camera's resolution or decoder changes. A few arenas and a
 * fixed threshold keep picture-sized blocks in mmap, handed back to the
 * system when freed. The environment (MALLOC_ARENA_MAX, GLIBC_TUNABLES)
 * still wins, for measuring.
 */
static void tune_heap(void)
{
    if (getenv("MALLOC_ARENA_MAX") || getenv("GLIBC_TUNABLES")) {
        return;
    }
    mallopt(M_ARENA_MAX, 4);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

int main(int argc, char **argv)
{
    tune_heap();
    i18n_init();
    struct wall_options opts;
    if (cli_parse(argc, argv, &opts) != CLI_OK) {
        return 2;
    }
    if (opts.help) {
        cli_usage(stdout);
        return 0;
    }
    if (opts.version) {
        printf("wall %s\n", WALL_VERSION);
        return 0;
    }
    if (opts.verify_audit) {
        return (int)audit_verify(opts.verify_audit, stdout);
    }
    avlog_install();
    if (opts.check) {
        struct layout_wall *layout = load_layout(opts.check);
        layout_destroy(layout);
        return layout ? 0 : 1;
    }

    char demo[PATH_MAX];
    if (!opts.config && !assets_path("demo.cfg", demo, sizeof(demo))) {
        fprintf(stderr,
                _("wall: the built-in demo is not installed (no demo.cfg in "
                  "$WALL_ASSETS_DIR, %s or %s): give --config FILE\n"),
                WALL_ASSETS_DIR, WALL_SOURCE_ASSETS_DIR);
        return 1;
    }
    const char *path = opts.config ? opts.config : demo;
    struct layout_wall *layout = load_layout(path);
    if (!layout) {
        return 1;
    }
    if (!opts.headless && !getenv(M_("DISPLAY")) && !getenv("WAYLAND_DISPLAY") &&
        !getenv("SDL_VIDEODRIVER")) {
        log_info("wall", "no display found: running headless");
        opts.headless = true;
    }
    install_signal_handlers();
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (opts.config) {
        log_info("wall", "showing %s", path);
    } else {
        log_info("wall", "showing the built-in demo (%s)", path);
    }
    if (!station_chosen(&opts, layout, path)) {
        layout_destroy(layout);
        return 1;
    }
    struct wall *wall = wall_create(&opts, layout);
    if (!wall) {
        return 1;
    }
    bool ok = wall_run(wall, &signals);
    if (opts.stats) {
        wall_print_stats(wall, stdout);
    }
    wall_destroy(wall);
    SDL_Quit();
    return ok ? 0 : 1;
}
