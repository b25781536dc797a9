#include "wall/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

enum {
    OPT_CONFIG = 'c',
    OPT_HELP = 'h',
    OPT_CHECK = 256,
    OPT_HEADLESS,
    OPT_FRAMES,
    OPT_SNAPSHOT,
    OPT_STATS,
    OPT_FPS,
    OPT_SETTLE,
    OPT_DISPLAY,
    OPT_TIMEOUT,
    OPT_HWACCEL,
    OPT_CONTROL,
    OPT_AUDIT,
    OPT_VERIFY_AUDIT,
    OPT_SNAPSHOT_DIR,
    OPT_VAAPI_DEVICE,
    OPT_VERSION,
    OPT_DRAW,
    OPT_PROFILE,
    OPT_DECODE_CAPACITY,
    OPT_STATION,
    OPT_BROKER,
    OPT_METRICS,
};

static const struct option long_options[] = {
    {"config", required_argument, NULL, OPT_CONFIG},
    {"check", required_argument, NULL, OPT_CHECK},
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"frames", required_argument, NULL, OPT_FRAMES},
    {"snapshot", required_argument, NULL, OPT_SNAPSHOT},
    {"stats", no_argument, NULL, OPT_STATS},
    {"fps", required_argument, NULL, OPT_FPS},
    {"settle-timeout", required_argument, NULL, OPT_SETTLE},
    {"display", required_argument, NULL, OPT_DISPLAY},
    {"io-timeout", required_argument, NULL, OPT_TIMEOUT},
    {"hwaccel", required_argument, NULL, OPT_HWACCEL},
    {"control", required_argument, NULL, OPT_CONTROL},
    {"audit", required_argument, NULL, OPT_AUDIT},
    {"verify-audit", required_argument, NULL, OPT_VERIFY_AUDIT},
    {"snapshot-dir", required_argument, NULL, OPT_SNAPSHOT_DIR},
    {"vaapi-device", required_argument, NULL, OPT_VAAPI_DEVICE},
    {"draw", required_argument, NULL, OPT_DRAW},
    {"profile", no_argument, NULL, OPT_PROFILE},
    {"decode-capacity", required_argument, NULL, OPT_DECODE_CAPACITY},
    {"station", required_argument, NULL, OPT_STATION},
    {"broker", required_argument, NULL, OPT_BROKER},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {0},
};

/* --help: each option with its metavariable, as written, then what it does,
 * translated. The descriptions start at column 26; an option too long for
 * its column has the description on the lines after it. A description's
 * lines are the translator's (one "\n" a line); each is a printf format
 * whose one argument, hwaccel_choices(), only --hwaccel's uses. Options
 * and metavariables stay as written (M_()). */
#define HELP_COLUMN 26

static const struct {
    const char *option;
    const char *text;
} help[] = {
    /* TRANSLATORS: --help: what an option does, in lines of at most 54
     * characters (each "\n" starts a line at column 27) */
    {M_("  -c, --config FILE"), N_("layout file to show")},
    {M_("      --check FILE"), N_("validate a layout file: exit 0 when valid, else 1\n"
                                  "with one 'FILE:LINE: message' per problem")},
    {M_("      --headless"), N_("render without a display (EGL, offscreen)")},
    {M_("      --frames N"), N_("stop after N frames, counted once every feed has\n"
                                "shown a picture or failed")},
    {M_("      --snapshot FILE"), N_("write the canvas as PNG when stopping")},
    {M_("      --stats"), N_("print per-feed statistics as JSON at exit")},
    {M_("      --fps R"), N_("headless frame rate (default 25)")},
    {M_("      --settle-timeout S"), N_("wait at most S seconds for feeds (default 15)")},
    {M_("      --display N"), N_("add N to every display index in the layout file")},
    {M_("      --io-timeout MS"), N_("camera connect/read timeout (default 5000)")},
    /* TRANSLATORS: %s lists the modes: "auto, vaapi or none" */
    {M_("      --hwaccel MODE"), N_("%s (auto: VA-API when present)")},
    {M_("      --control PATH"), N_("control socket (UNIX, one command per line)")},
    {M_("      --audit FILE"), N_("append every change of what the wall shows to FILE,\n"
                                  "each line chained to the one before by its SHA-256")},
    {M_("      --verify-audit FILE"), N_("check an audit file's chain and the evidence files it\n"
                                         "names: exit 0 when intact, 1 with 'FILE:LINE: what\n"
                                         "broke' for the first break, 2 when unreadable")},
    {M_("      --snapshot-dir DIR"), N_("where tile snapshots (S key) go (default .)")},
    {M_("      --vaapi-device PATH"), N_("render node for VA-API (default: the first)")},
    {M_("      --draw PATH"), N_("how pictures are drawn: gl (converted in the\n"
                                 "shader), rgb (scaled and converted on the feed\n"
                                 "threads, GL copies them), cpu (as rgb, and the\n"
                                 "canvas is composed in memory, one blit a window)\n"
                                 "or auto: cpu on software GL, gl on a GPU (default)")},
    {M_("      --profile"), N_("measure where each frame's time goes (slows the\n"
                               "wall: every piece waits for the GL); log at exit")},
    {M_("      --decode-capacity P"), N_("decoding may use P %% of one core (e.g. 150 on two\n"
                                         "cores); the budget reduces feeds beyond it.\n"
                                         "Default: measured from the machine's cores")},
    {M_("      --station NAME"), N_("this workstation is station NAME of the layout's\n"
                                    "`stations`: it drives that station's outputs and\n"
                                    "shares the wall through the broker (required when\n"
                                    "the layout names stations)")},
    {M_("      --broker URL"), N_("mqtt://HOST:PORT or mqtts://HOST:PORT: the broker,\n"
                                  "instead of the layout's wall.broker")},
    {M_("      --metrics [ADDR:]PORT"), N_("serve Prometheus metrics at http://ADDR:PORT/metrics\n"
                                           "(ADDR 127.0.0.1 unless given; [::1] for IPv6;\n"
                                           "PORT 0: any free port, logged)")},
    {M_("  -h, --help"), N_("show this help")},
    {M_("      --version"), N_("show the version")},
};

void cli_usage(FILE *out)
{
    /* TRANSLATORS: %s is "wall [OPTION]...", as written */
    fprintf(out, _("Usage: %s\n"), "wall [OPTION]...");
    fprintf(out, "%s\n\n",
            _("Video wall for control rooms: decodes camera feeds and shows them in mosaic\n"
              "layouts, fullscreen. Without --config it runs the built-in demo."));
    for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++) {
        char text[1024];
        snprintf(text, sizeof(text), _(help[i].text), hwaccel_choices());
        int width = (int)strlen(help[i].option);
        if (width < HELP_COLUMN) {
            fprintf(out, "%-*s", HELP_COLUMN, help[i].option);
        } else {
            fprintf(out, "%s\n%*s", help[i].option, HELP_COLUMN, "");
        }
        for (char *line = text, *nl; line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            if (nl) {
                *nl = '\0';
            }
            fprintf(out, "%s\n", line);
            if (nl) {
                fprintf(out, "%*s", HELP_COLUMN, "");
            }
        }
    }
    fprintf(out, "\n%s\n", _("Logs go to stderr; WALL_LOG=error|warn|info|debug sets the level."));
}

static bool parse_number(const char *flag, const char *text, double min, double max, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, _("wall: %s needs a number from %g to %g (got '%s')\n"), flag, min, max,
                text);
        return false;
    }
    *out = v;
    return true;
}

enum cli_result cli_parse(int argc, char **argv, struct wall_options *opts)
{
    *opts = (struct wall_options){.settle_timeout = 15.0, .io_timeout_ms = 5000};
    opterr = 0; /* our own one-line messages */
    optind = 1;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, ":c:h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG:
            opts->config = optarg;
            break;
        case OPT_CHECK:
            opts->check = optarg;
            break;
        case OPT_HEADLESS:
            opts->headless = true;
            break;
        case OPT_FRAMES:
            if (!parse_number("--frames", optarg, 1, 1e9, &v) || v != (long)v) {
                return CLI_USAGE_ERROR;
            }
            opts->frames = (long)v;
            break;
        case OPT_SNAPSHOT:
            opts->snapshot = optarg;
            break;
        case OPT_STATS:
            opts->stats = true;
            break;
        case OPT_FPS:
            if (!parse_number("--fps", optarg, 1, 1000, &opts->fps)) {
                return CLI_USAGE_ERROR;
            }
            break;
        case OPT_SETTLE:
            if (!parse_number("--settle-timeout", optarg, 0, 3600, &opts->settle_timeout)) {
                return CLI_USAGE_ERROR;
            }
            break;
        case OPT_DISPLAY:
            if (!parse_number("--display", optarg, 0, 63, &v)) {
                return CLI_USAGE_ERROR;
            }
            opts->display = (int)v;
            break;
        case OPT_TIMEOUT:
            if (!parse_number("--io-timeout", optarg, 100, 600000, &v)) {
                return CLI_USAGE_ERROR;
            }
            opts->io_timeout_ms = (int)v;
            break;
        case OPT_HWACCEL:
            opts->hwaccel_set = true;
            if (!hwaccel_parse(optarg, &opts->hwaccel)) {
                fprintf(stderr, _("wall: --hwaccel takes %s (got '%s')\n"), hwaccel_choices(),
                        optarg);
                return CLI_USAGE_ERROR;
            }
            break;
        case OPT_AUDIT:
            opts->audit = optarg;
            break;
        case OPT_VERIFY_AUDIT:
            opts->verify_audit = optarg;
            break;
        case OPT_SNAPSHOT_DIR:
            opts->snapshot_dir = optarg;
            break;
        case OPT_CONTROL:
            opts->control = optarg;
            break;
        case OPT_VAAPI_DEVICE:
            opts->vaapi_device = optarg;
            break;
        case OPT_DRAW:
            if (strcmp(optarg, "auto") == 0) {
                opts->draw = DRAW_AUTO;
            } else if (strcmp(optarg, "gl") == 0) {
                opts->draw = DRAW_GL;
            } else if (strcmp(optarg, "rgb") == 0) {
                opts->draw = DRAW_RGB;
            } else if (strcmp(optarg, "cpu") == 0) {
                opts->draw = DRAW_CPU;
            } else {
                fprintf(stderr, _("wall: --draw takes auto, gl, rgb or cpu (got '%s')\n"), optarg);
                return CLI_USAGE_ERROR;
            }
            break;
        case OPT_PROFILE:
            opts->profile = true;
            break;
        case OPT_DECODE_CAPACITY:
            if (!parse_number("--decode-capacity", optarg, 0.1, 100000, &opts->decode_capacity)) {
                return CLI_USAGE_ERROR;
            }
            break;
        case OPT_STATION:
            opts->station = optarg;
            break;
        case OPT_BROKER:
            opts->broker = optarg;
            break;
        case OPT_METRICS: {
            char why[160];
            if (!metrics_parse_address(optarg, &opts->metrics_address, why, sizeof(why))) {
                fprintf(stderr, "wall: --metrics %s\n", why);
                return CLI_USAGE_ERROR;
            }
            opts->metrics = true;
            break;
        }
        case OPT_HELP:
            opts->help = true;
            break;
        case OPT_VERSION:
            opts->version = true;
            break;
        case ':':
            fprintf(stderr, _("wall: option '%s' needs a value (see wall --help)\n"),
                    argv[optind - 1]);
            return CLI_USAGE_ERROR;
        default:
            fprintf(stderr, _("wall: unknown option '%s' (see wall --help)\n"), argv[optind - 1]);
            return CLI_USAGE_ERROR;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("wall: unexpected argument '%s' (see wall --help)\n"), argv[optind]);
        return CLI_USAGE_ERROR;
    }
    return CLI_OK;
}
