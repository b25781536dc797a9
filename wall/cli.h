/*
 * Command line: parses argv into wall_options. Prints nothing itself except
 * the one-line error for a bad flag (cli_parse) and the usage (cli_usage),
 * both in the process's language (common/i18n.h); option names and
 * metavariables stay as written.
 */
#ifndef WALL_CLI_H
#define WALL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "decode/hwdec.h"
#include "wall/metrics.h"

/* How pictures reach the canvas (wall/render.h). */
enum draw_path {
    DRAW_AUTO, /* cpu on software GL (llvmpipe, softpipe), gl elsewhere */
    DRAW_GL,   /* Y'CbCr textures converted and scaled in the shader */
    DRAW_RGB,  /* feed threads scale and convert to the tile (swscale); GL copies */
    DRAW_CPU,  /* as rgb, and the canvas is composed in memory (windows: one blit) */
};

struct wall_options {
    const char *config;       /* layout file; NULL runs the built-in demo */
    const char *check;        /* --check FILE: validate and exit */
    bool headless;            /* no display: EGL surfaceless + offscreen canvas */
    long frames;              /* stop after this many frames once settled; 0: run on */
    const char *snapshot;     /* PNG of the canvas written at exit */
    bool stats;               /* JSON statistics on stdout at exit */
    double fps;               /* headless frame rate; 0: 25 */
    double settle_timeout;    /* seconds to wait for feeds before counting frames */
    int display;              /* --display: added to every monitor's display index */
    int io_timeout_ms;        /* network connect/read timeout */
    enum hwaccel hwaccel;     /* --hwaccel: auto, vaapi or none */
    bool hwaccel_set;         /* --hwaccel was given: it wins over the layout file */
    const char *vaapi_device; /* render node; NULL: the first that works */
    const char *control;      /* control socket path, or NULL */
    const char *audit;        /* audit trail file, or NULL */
    const char *verify_audit; /* --verify-audit FILE: check its chain and exit */
    const char *snapshot_dir; /* where tile snapshots go; NULL: . */
    enum draw_path draw;      /* --draw */
    bool profile;             /* --profile: where a frame's time goes, at exit */
    double decode_capacity;   /* --decode-capacity: % of one core for decoding; 0: measured */
    const char *station;      /* --station: this workstation's station in the layout */
    const char *broker;       /* --broker: overrides the layout's wall.broker */
    bool metrics;             /* --metrics: serve /metrics (wall/metrics.h) */
    struct metrics_address metrics_address;
    bool help;
    bool version;
};

enum cli_result {
    CLI_OK,
    CLI_USAGE_ERROR, /* already reported on stderr */
};

enum cli_result cli_parse(int argc, char **argv, struct wall_options *opts);
void cli_usage(FILE *out);

#endif
