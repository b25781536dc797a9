/*
 * Messages: the topics and JSON payloads that the stations of one wall
 * exchange through the MQTT broker. Pure functions: no MQTT, no I/O, no
 * state; any thread may call them.
 *
 * Topics, all under wall/<wall id>/:
 *   station/<name>/online  retained  {"online": true, "station": "ssc",
 *                                     "since": "2026-11-29T19:32:05Z"}
 *                                    last will: {"online": false, "station": "ssc"}
 *   station/<name>/ack               {"id": "ssc-42", "to": "ssc", "ok": true}, or
 *                                    "ok": false with "reason": "..."
 *   output/<id>/state      retained  {"output": "g911-1", "station": "g911", "page": 1,
 *                                     "maximized": 0, "selected": 2, "tiles": [{"tile": 1,
 *                                     "camera": 2101, "tour": null}, ...], "seq": 17}
 *   output/<id>/command              {"id": "ssc-42", "from": "ssc", "seq": 42,
 *                                     "action": "put", "output": "g911-1", "tile": 1,
 *                                     "camera": 2101}
 * Pages and tiles count from 1; camera 0 is an empty tile; maximized 0 and
 * selected 0 mean none. Each station writes only under its own
 * station/<name>/; the driver of an output writes its state.
 *
 * Names (wall id, station, output, tour, a command's sender) follow the
 * layout file's rule for ids: 1 to MSG_NAME_MAX letters, digits, '-' or '_'.
 * Command ids: 1 to MSG_NAME_MAX letters, digits, '-', '_', '.' or ':'.
 * Free text (an ack's reason, "since"): valid UTF-8 without control
 * characters, so that it can be logged and sent back on one line.
 *
 * Decoding is for payloads from anyone on the broker (another station, a
 * CAD system, an attacker with an account): a payload over MSG_PAYLOAD_MAX,
 * with a NUL byte or a \u0000 escape (cJSON would cut the string there), not
 * one JSON object, with trailing bytes, a duplicate key, a missing or
 * mistyped field, a number that is not an integer in its range, a string
 * over its limit or outside its alphabet is refused with one line in `err`
 * (never the hostile text itself) and `out` unusable. Unknown keys are
 * ignored, so that newer stations may add fields.
 *
 * Encoding checks the same rules (a struct that would not decode does not
 * encode) and returns a NUL-terminated, one-line JSON text from malloc()
 * (free() it), or NULL with `err` set. Integers are written exactly (cJSON
 * prints doubles past 15 digits rounded; seq is written by hand).
 *
 * err: a buffer of MSG_ERROR_SIZE bytes is enough; may be NULL.
 */
#ifndef WALL_MESSAGES_H
#define WALL_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MSG_PAYLOAD_MAX 65536            /* bytes; larger payloads are refused unread */
#define MSG_NAME_MAX    64               /* bytes of a name or a command id */
#define MSG_REASON_MAX  256              /* bytes of an ack's reason */
#define MSG_TIME_MAX    32               /* bytes of "since" */
#define MSG_TILES_MAX   1024             /* tiles in one state, and the highest tile number */
#define MSG_PAGE_MAX    1000             /* the highest page number */
#define MSG_CAMERA_MAX  999999           /* camera numbers: as in the layout file */
#define MSG_SECONDS_MAX 86400            /* an alarm's duration */
#define MSG_SEQ_MAX     9007199254740991 /* 2^53 - 1: exact in a JSON number */
#define MSG_TOPIC_MAX   160              /* bytes of the longest topic, NUL included */
#define MSG_ERROR_SIZE  256 /* an `err` buffer this big is never cut, in Spanish too */

/* ---- topics ---- */

enum msg_topic_kind {
    MSG_TOPIC_ONLINE,  /* station/<name>/online */
    MSG_TOPIC_ACK,     /* station/<name>/ack */
    MSG_TOPIC_STATE,   /* output/<id>/state */
    MSG_TOPIC_COMMAND, /* output/<id>/command */
};

/* True when `name` is 1 to MSG_NAME_MAX letters, digits, '-' or '_'. */
bool msg_name_valid(const char *name);

/* Writes wall/<wall_id>/station/<name>/online etc. into buf. name NULL
 * writes the single-level wildcard '+' in its place (a subscription filter:
 * wall/c5/station/+/ack). False when wall_id or name is not a valid name or
 * buf is too small (MSG_TOPIC_MAX always is). */
bool msg_topic_build(char *buf, size_t size, const char *wall_id, enum msg_topic_kind kind,
                     const char *name);

/* Splits a topic of wall `wall_id` into its kind and name:
 * "wall/c5/output/g911-1/command" -> MSG_TOPIC_COMMAND, "g911-1". False for
 * any other topic (another wall, another shape, a wildcard, a bad name);
 * name is then "". */
bool msg_topic_parse(const char *topic, const char *wall_id, enum msg_topic_kind *kind,
                     char name[MSG_NAME_MAX + 1]);

/* ---- payloads ---- */

/* "2026-11-29T19:32:05Z" (UTC) into buf (MSG_TIME_MAX + 1 is enough). */
void msg_format_time(time_t t, char *buf, size_t size);

struct msg_online {
    bool online;
    char station[MSG_NAME_MAX + 1];
    char since[MSG_TIME_MAX + 1]; /* "": absent (the last will has none) */
};

struct msg_tile {
    int tile;                    /* 1 to MSG_TILES_MAX, each once per state */
    int camera;                  /* 0 (empty) to MSG_CAMERA_MAX */
    char tour[MSG_NAME_MAX + 1]; /* "": no tour (null) */
};

/* tiles: from decoding, owned by the struct (msg_state_finish() frees it);
 * for encoding, the caller's array, only read. */
struct msg_state {
    char output[MSG_NAME_MAX + 1];
    char station[MSG_NAME_MAX + 1]; /* who drives the output and wrote this */
    int page;                       /* 1 to MSG_PAGE_MAX */
    int maximized;                  /* 0 (none) to MSG_TILES_MAX */
    int selected;                   /* 0 (none) to MSG_TILES_MAX */
    struct msg_tile *tiles;
    int n_tiles; /* 0 to MSG_TILES_MAX */
    long long seq;
};

enum msg_action {
    MSG_ACTION_PUT,      /* tile, camera (0 empties the tile) */
    MSG_ACTION_PAGE,     /* page */
    MSG_ACTION_MAXIMIZE, /* tile */
    MSG_ACTION_RESTORE,  /* nothing */
    MSG_ACTION_SELECT,   /* tile */
    MSG_ACTION_TOUR,     /* tile, tour ("" stops the tile's tour: null) */
    MSG_ACTION_ALARM,    /* camera (1 or more), seconds */
};

/* "put", "page"...; NULL for a value outside the enum. */
const char *msg_action_name(enum msg_action action);

/* Fields an action does not use are 0 or "" and are neither written nor
 * read; those it uses are required ("tour" too: a name or null). */
struct msg_command {
    char id[MSG_NAME_MAX + 1];
    char from[MSG_NAME_MAX + 1]; /* a station, or an outside system ("cad") */
    long long seq;               /* 0 to MSG_SEQ_MAX: the sender's counter */
    enum msg_action action;
    char output[MSG_NAME_MAX + 1]; /* must equal the name in the command's topic */
    int tile;                      /* 1 to MSG_TILES_MAX */
    int camera;                    /* 0 to MSG_CAMERA_MAX (alarm: from 1) */
    int page;                      /* 1 to MSG_PAGE_MAX */
    int seconds;                   /* 1 to MSG_SECONDS_MAX */
    char tour[MSG_NAME_MAX + 1];
};

struct msg_ack {
    char id[MSG_NAME_MAX + 1]; /* the command's id */
    char to[MSG_NAME_MAX + 1]; /* the command's sender */
    bool ok;
    char reason[MSG_REASON_MAX + 1]; /* required when !ok, "" and not written when ok */
};

char *msg_encode_online(const struct msg_online *m, char *err, size_t err_size);
char *msg_encode_state(const struct msg_state *m, char *err, size_t err_size);
char *msg_encode_command(const struct msg_command *m, char *err, size_t err_size);
char *msg_encode_ack(const struct msg_ack *m, char *err, size_t err_size);

/* payload: `len` bytes, NUL-terminated or not; NULL with any len is refused
 * by its size first (link.h hands oversized payloads on as NULL). On false
 * `out` is cleared (a state's tiles freed), except that a command whose
 * "id" and "from" were valid keeps those two, so that its refusal can be
 * answered (both "" otherwise). */
bool msg_decode_online(const char *payload, size_t len, struct msg_online *out, char *err,
                       size_t err_size);
bool msg_decode_state(const char *payload, size_t len, struct msg_state *out, char *err,
                      size_t err_size);
bool msg_decode_command(const char *payload, size_t len, struct msg_command *out, char *err,
                        size_t err_size);
bool msg_decode_ack(const char *payload, size_t len, struct msg_ack *out, char *err,
                    size_t err_size);

/* Frees the tiles of a decoded state; NULL-safe. Not for a state whose
 * tiles the caller owns. */
void msg_state_finish(struct msg_state *m);

#endif
