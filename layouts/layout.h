/*
 * The wall model: what a layout file describes, parsed and validated into
 * one immutable struct.
 *
 * A wall has outputs (monitors), each in one zone (SSC, Guardians 911, ...)
 * that admits some camera programmes; each output has an ordered list of
 * pages; a page is a named layout (grid cells, spanning cells, free
 * picture-in-picture rectangles) with a camera or a tour in each tile. The
 * camera registry, the tours and the key bindings are shared by all outputs.
 *
 * Ownership: layout_load() returns a heap object the caller owns and frees
 * with layout_destroy(); every string and array inside it belongs to it.
 * Nothing in it changes after layout_load() returns, so the render thread
 * and feed threads may read it without locks. A reload builds a new model
 * and swaps it in whole; the old one is destroyed only after no thread
 * looks at it any more.
 *
 * Indices (camera, zone, tour, layout) refer to the arrays of the same
 * wall; -1 means none. Everything that validation guarantees is stated on
 * the field; the wall relies on it without checking again.
 *
 * This module knows nothing of GL, SDL or FFmpeg. It is pure and
 * unit-tested. Threads: any; no shared state.
 */
#ifndef WALL_LAYOUTS_LAYOUT_H
#define WALL_LAYOUTS_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/hwaccel.h"
#include "diag.h"
#include "geometry.h"

enum layout_fit {
    LAYOUT_FIT_LETTERBOX, /* whole picture, bars where the aspect differs */
    LAYOUT_FIT_FILL,      /* cover the tile, crop what sticks out */
};

enum layout_programme {
    LAYOUT_PROGRAMME_SSC,       /* state police cameras */
    LAYOUT_PROGRAMME_GUARDIANS, /* Guardianes 911: citizens' private cameras */
    LAYOUT_PROGRAMME_COUNT,
};

enum layout_status {
    LAYOUT_STATUS_ACTIVE,
    LAYOUT_STATUS_SUSPENDED, /* kept in the registry, never shown */
    LAYOUT_STATUS_REMOVED,   /* kept for the record, never shown */
};

enum layout_site {
    LAYOUT_SITE_STREET,
    LAYOUT_SITE_BANK,
    LAYOUT_SITE_HOSPITAL,
    LAYOUT_SITE_RELIGIOUS,
    LAYOUT_SITE_COMMERCIAL,
    LAYOUT_SITE_HOME,
    LAYOUT_SITE_SCHOOL,
    LAYOUT_SITE_GOVERNMENT,
    LAYOUT_SITE_TRANSPORT,
    LAYOUT_SITE_OTHER,
};

struct layout_point {
    double x, y; /* normalised: 0..1 of the picture's width and height */
};

/* A region of the picture that must never reach the screen. A rectangle is
 * stored as its 4 corners; polygons have 3..32 points. */
struct layout_mask {
    struct layout_point *points;
    int n_points;
};

/* How a camera's pictures are to be read, for streams that lie about it
 * (`color`, `range`); AUTO: as the stream says, guessed when it does not. */
enum layout_colour { LAYOUT_COLOUR_AUTO, LAYOUT_COLOUR_BT601, LAYOUT_COLOUR_BT709 };
enum layout_range { LAYOUT_RANGE_AUTO, LAYOUT_RANGE_LIMITED, LAYOUT_RANGE_FULL };

/* A camera's `ptz` group (layouts/ptz.h): a dome steered over ONVIF. */
struct layout_ptz {
    char *onvif;    /* the device service, http(s)://host[:port]/onvif/device_service */
    char *profile;  /* media profile token, or NULL: the first profile with PTZ */
    char *username; /* from ptz.credentials, else the camera's; NULL: none. Never logged */
    char *password;
    bool locked; /* nobody steers it from the wall, presets included */
};

struct layout_camera {
    int number; /* what operators dial; unique, 1..999999 */
    char *name; /* UTF-8, non-empty */
    enum layout_programme programme;
    enum layout_site site;
    enum layout_status status;
    enum layout_colour colour;
    enum layout_range range;
    char *url;      /* main stream, no credentials in it; paths are resolved */
    char *sub_url;  /* sub stream, or NULL: then `url` serves every size */
    char *username; /* NULL without credentials; never logged or shown */
    /* NULL without credentials, or when only a user name is given; never
     * logged or shown. Both as written, not %-encoded: encode them when
     * putting them back into a URL. */
    char *password;
    struct layout_mask *masks;
    int n_masks;
    struct layout_ptz *ptz; /* NULL: no PTZ (digital zoom only) */
    /* `picture_health`: its pictures are judged (frozen, obstructed...) when
     * the wall's are too (layout_wall.picture_health); false for a camera
     * that moves on purpose (a PTZ dome on a tour). Default true. */
    bool picture_health;
    const char *file; /* the file of its entry (points into layout_wall.files) */
    int line;         /* the line of its entry */
};

struct layout_zone {
    char *id;        /* unique */
    char *title;     /* shown on the wall, UTF-8; "" for the built-in zone "default" */
    uint32_t colour; /* 0xRRGGBB: tile frames and title */
    unsigned admits; /* bit (1u << programme) for each programme admitted */
};

/* One tile of a named layout, before it is placed on an output. */
struct layout_slot {
    bool free;       /* picture in picture: `area` instead of grid cells */
    int row, column; /* grid slot: top-left cell, 0-based */
    int row_span, column_span;
    struct layout_point area_origin; /* free slot: top-left, 0..1 of the output */
    struct layout_point area_size;   /* free slot: 0..1 of the output */
    enum layout_fit fit;
};

struct layout_template {
    char *name; /* unique */
    struct layout_grid grid;
    /* Grid slots in row-major order of their top-left cell (whatever order the
     * file lists them in), then free ones in the order listed. Grid slots never
     * overlap each other and stay inside the grid; free ones may cover them. */
    struct layout_slot *slots;
    int n_slots;
};

/* A tile as shown: a slot of the page's layout placed on its output. */
struct layout_tile {
    int camera;              /* index into cameras, or -1 */
    int tour;                /* index into tours, or -1; never both set */
    struct layout_rect rect; /* output pixels, origin top-left of the output */
    enum layout_fit fit;
    bool free; /* picture in picture: drawn after the grid tiles */
};

struct layout_page {
    char *name;                /* optional, NULL: shown as "page N" */
    int layout;                /* index into layouts */
    struct layout_tile *tiles; /* one per slot of the layout, same order */
    int n_tiles;
};

#define LAYOUT_MONITORS_MAX 16 /* monitors one wall drives, all outputs together */

/*
 * One monitor of an output. An output spanning a group of monitors (a
 * video wall of rows x columns) draws one picture across them; each
 * monitor shows its part, and the strips behind the bezels between two
 * monitors belong to the picture but are shown nowhere, so a tile across
 * a seam continues where the eye expects it.
 */
struct layout_monitor {
    /* Display index (by default counted over the file's monitors in order),
     * or -1 when display_name is set. No two monitors share a display. */
    int display;
    char *display_name;      /* connector / monitor name, or NULL */
    struct layout_rect rect; /* on the wall canvas: where its pixels are shown */
    struct layout_rect view; /* the part of its output's picture it shows (same size) */
};

struct layout_output {
    char *id;                /* unique */
    struct layout_rect rect; /* on the wall canvas (headless); outputs never overlap */
    /* The output's picture, where its tiles are placed: rect.w x rect.h
     * plus, between every two monitors, the bezels hiding part of it
     * (2 * bezel_x per column seam, 2 * bezel_y per row seam). */
    int width, height;
    int rows, columns;               /* monitors: rows x columns, 1 x 1 for one */
    struct layout_monitor *monitors; /* row by row; rows * columns of them */
    int n_monitors;
    int monitor_width, monitor_height; /* one monitor: rect.w / columns, rect.h / rows */
    int zone;                          /* index into zones */
    uint32_t background;               /* 0xRRGGBB: the gaps between tiles */
    int bezel_x, bezel_y;              /* pixels of picture hidden behind each monitor edge */
    struct layout_page *pages;         /* at least one */
    int n_pages;
};

struct layout_tour {
    char *name;   /* unique */
    int *cameras; /* indices into cameras, at least one, all active */
    int n_cameras;
    double dwell; /* seconds on each camera, >= 1 */
};

/*
 * The operator actions a file may bind in `keys` and `buttons`
 * (layouts/README.md): the one list of them, whose names layout files
 * spell; the wall maps keys and buttons to these (wall/bindings.h).
 */
enum layout_action {
    LAYOUT_ACTION_SELECT_LEFT,
    LAYOUT_ACTION_SELECT_RIGHT,
    LAYOUT_ACTION_SELECT_UP,
    LAYOUT_ACTION_SELECT_DOWN,
    LAYOUT_ACTION_NEXT_OUTPUT,
    LAYOUT_ACTION_PREVIOUS_OUTPUT,
    LAYOUT_ACTION_MAXIMIZE,
    LAYOUT_ACTION_NEXT_PAGE,
    LAYOUT_ACTION_PREVIOUS_PAGE,
    LAYOUT_ACTION_TOUR,
    LAYOUT_ACTION_PAUSE_TOUR,
    LAYOUT_ACTION_SNAPSHOT,
    LAYOUT_ACTION_ZOOM,
    LAYOUT_ACTION_REPLAY, /* replay the selected tile, or back to live */
    LAYOUT_ACTION_REPLAY_PAUSE,
    LAYOUT_ACTION_REPLAY_STEP,
    LAYOUT_ACTION_REPLAY_FASTER,
    LAYOUT_ACTION_REPLAY_SLOWER,
    LAYOUT_ACTION_EXPORT,   /* start or stop exporting the selected tile */
    LAYOUT_ACTION_PRESET,   /* the PTZ preset dialled on the entry line */
    LAYOUT_ACTION_PRESET_1, /* preset_1 ... preset_8, consecutive */
    LAYOUT_ACTION_PRESET_8 = LAYOUT_ACTION_PRESET_1 + 7,
    LAYOUT_ACTION_CLEAR_ENTRY,
    LAYOUT_ACTION_PAGE_1, /* page_1 ... page_12, consecutive */
    LAYOUT_ACTION_PAGE_12 = LAYOUT_ACTION_PAGE_1 + 11,
    LAYOUT_ACTION_QUIT,
    LAYOUT_ACTION_COUNT,
};

/* An operator action bound to keys or joystick buttons. */
struct layout_binding {
    enum layout_action id;
    const char *action; /* its name, layout_action_name(id): "maximize", "next_page" */
    char **keys;        /* SDL key names as written, e.g. "Return", "Page Down" */
    int n_keys;
    int *buttons; /* joystick button numbers */
    int n_buttons;
    const char *file;
    int line; /* for messages about key names the wall does not know */
};

/*
 * A station: one workstation of a wall driven by several (several stations
 * share one layout file). A station drives its `outputs`, or is a standby
 * that takes over the outputs of the stations in `standby_for` when they go
 * offline; never both. No output is driven by two stations; an output may
 * be driven by none (nobody shows it).
 */
struct layout_station {
    char *name;   /* unique among stations; a name as output ids are */
    int *outputs; /* indices into outputs, no repeats; at least one, none for a standby */
    int n_outputs;
    /* Indices into stations: each a station that drives outputs (never a
     * standby, never this one), no repeats; at least one for a standby, none
     * for a station that drives outputs. */
    int *standby_for;
    int n_standby_for;
    /* Its broker account: from the credentials entry its `credentials`
     * names, else copies of the wall's (broker.username, broker.password),
     * else NULL (an anonymous client). The broker's ACL gives each account
     * write rights by its user name, so each station should name its own.
     * As written, never logged or shown. */
    char *username;
    char *password;
    const char *file; /* the file of its entry (points into layout_wall.files) */
    int line;         /* the line of its entry */
};

/*
 * The MQTT broker the stations talk through: `wall.broker` and its
 * companions. All NULL / 0 when the file sets no broker (url NULL). A file
 * with stations always has a broker; one with a broker may have no stations
 * (the check warns: nothing uses it).
 */
struct layout_broker {
    char *url;  /* as written, scheme in lower case: "mqtt://127.0.0.1:1883"; holds no
                   user name or password (validation refuses them in the URL) */
    char *host; /* name or address, IPv6 without its brackets */
    int port;   /* 1..65535; 1883 for mqtt:// and 8883 for mqtts:// when not written */
    bool tls;   /* mqtts:// */
    /* From the credentials entry `broker_credentials` names, or NULL (an
     * anonymous client). As written, never logged or shown. */
    char *username;
    char *password;
    /* broker_tls: paths resolved against the file that names them, or NULL;
     * only with tls. Not checked for existence (secrets kept on each station
     * machine). ca NULL with tls: the system's CA certificates; cert and key
     * are both set or both NULL. */
    char *ca, *cert, *key;
    /* `wall.id`, the wall's name in topics (wall/<wall_id>/...): a name as
     * output ids are, so never '/', '+' or '#'; "wall" when not written. */
    char *wall_id;
};

/* `wall.restream`: every camera through a restreamer (layouts/restream.h).
 * url NULL: cameras are reached directly. */
struct layout_restream {
    char *url;      /* the template, {number} and {stream} in it */
    char *username; /* from restream_credentials, or NULL; never logged or shown */
    char *password;
};

/* `wall.replay` (layouts/replay.h): each shown camera's pre-roll, replay
 * and evidence export. seconds 0: none of them. */
struct layout_replay {
    double seconds;     /* pre-roll kept */
    long long memory;   /* bytes, over every camera together */
    bool *zones;        /* per zone of the wall: its outputs' cameras keep a pre-roll; NULL: all */
    bool main_evidence; /* exports record a camera's main stream even while its sub shows */
    char *directory;    /* where exports go (resolved) */
    double limit;       /* the longest export, seconds */
};

/* `wall.ptz` (layouts/ptz.h): who may steer PTZ cameras, and how long the
 * wall waits on one. */
struct layout_ptz_rules {
    bool *zones;         /* per zone: operators of its outputs may steer; NULL: every zone */
    bool *stations;      /* per station: it may steer; NULL: every station */
    double timeout;      /* seconds one ONVIF call may take before PTZ is unavailable */
    double move_timeout; /* seconds a camera moves on after the last move it heard */
};

/* `wall.picture_thresholds`: what the wall calls frozen, obstructed,
 * blurred and moved (decode/health.h, struct health_settings). Each is 0
 * when the file does not say: then health_settings_default()'s. */
struct layout_picture_thresholds {
    double frozen;     /* seconds without change: 1 to 3600 */
    double obstructed; /* share of the view without detail: 0.1 to 1 */
    double blurred;    /* detail under this share of the reference's: 0.05 to 0.95 */
    double moved;      /* likeness to the reference under this: 0.05 to 0.95 */
};

#define LAYOUT_LANGUAGE_MAX 16 /* bytes of layout_wall.language, its NUL included */

struct layout_wall {
    char *path;   /* the file loaded, as given */
    char **files; /* path and every included file, for watching */
    int n_files;
    int width, height; /* the wall canvas: from (0, 0) to the furthest output edges */
    struct layout_output *outputs;
    int n_outputs;
    struct layout_zone *zones;
    int n_zones;
    struct layout_camera *cameras; /* in file order */
    int n_cameras;
    struct layout_template *layouts;
    int n_layouts;
    struct layout_tour *tours;
    int n_tours;
    struct layout_binding *bindings; /* only those the file sets */
    int n_bindings;
    int *by_number;       /* camera indices sorted by number, for lookups */
    enum hwaccel hwaccel; /* wall.hwaccel; HWACCEL_AUTO when not set */
    bool hwaccel_set;     /* whether the file sets it (--hwaccel wins over it) */
    /* The stations, in file order; none in a file for one workstation. */
    struct layout_station *stations;
    int n_stations;
    struct layout_broker broker; /* broker.url NULL: none, and then no stations */
    struct layout_restream restream;
    struct layout_replay replay;
    struct layout_ptz_rules ptz;
    /* wall.freshness: seconds a picture on the glass may be old before its
     * tile breaks the freshness objective (the metrics, wall/metrics.h);
     * LAYOUT_FRESHNESS_DEFAULT when the file does not say (the simple
     * format never does). */
    double freshness;
    /* wall.language: the language of what the monitors show, a language the
     * wall ships ("en", or one of po/LINGUAS such as "es"; common/i18n.h);
     * "" when the file does not say (the simple format never does): the
     * locale's. */
    char language[LAYOUT_LANGUAGE_MAX];
    /* wall.picture_health: whether feeds judge their pictures (frozen,
     * obstructed, blurred, moved; decode/health.h), each camera's own
     * `picture_health` permitting; true when the file does not say (the
     * simple format never does). */
    bool picture_health;
    struct layout_picture_thresholds picture_thresholds;
};

#define LAYOUT_FRESHNESS_DEFAULT 2.0

/*
 * Parses and validates the layout file at `path`. Relative media paths in
 * camera URLs resolve against the directory of the file that names them.
 *
 * Every problem found is appended to `diags` (one per problem, with file
 * and line); warnings do not fail the load. Returns NULL when there was any
 * error, else the model.
 */
struct layout_wall *layout_load(const char *path, struct diag_list *diags);

void layout_destroy(struct layout_wall *wall);

/* The camera with that number, or NULL. O(log n). */
const struct layout_camera *layout_find_camera(const struct layout_wall *wall, int number);

/* The address `text` (--broker on the command line) into broker->url,
 * host, port and tls, checked as wall.broker is; false with the reason (no
 * more of the address than its scheme and port). Free with
 * layout_broker_finish(). */
bool layout_broker_parse_url(const char *text, struct layout_broker *broker, char *err,
                             size_t size);

/* Frees what the restreamer settings hold; leaves them empty. */
void layout_restream_finish(struct layout_restream *restream);

/* Frees what the broker holds, passwords included; leaves it empty. */
void layout_broker_finish(struct layout_broker *broker);

/* The station called `name`, or NULL. O(n): walls have a few stations. */
const struct layout_station *layout_find_station(const struct layout_wall *wall, const char *name);

/* Whether `zone` admits `camera`: its programme is admitted and it is active.
 * The one rule every placement obeys, whatever its source. */
bool layout_zone_admits(const struct layout_zone *zone, const struct layout_camera *camera);

const char *layout_programme_name(enum layout_programme programme);

/* The action's name in a layout file ("maximize", "page_3"); NULL when
 * `action` is not one. */
const char *layout_action_name(enum layout_action action);

#endif
