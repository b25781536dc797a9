/*
 * Sources: one per camera of the layout, each the camera's feed (while some
 * tile shows it) and its picture (the newest frame: GL textures, or kept in
 * memory on the cpu draw path).
 *
 * Feeds open on demand: whoever draws a tile calls sources_want() for the
 * camera it shows; sources_update() starts feeds that are wanted and closes
 * those nobody wanted for the grace period (so switching back within it is
 * instant). A frame is taken and uploaded once per output frame per feed,
 * however many tiles show the camera.
 *
 * Each camera may have a main and a sub stream. A source decodes the sub
 * stream while every tile showing it is small, and the main stream as soon
 * as one is large (maximized, a big spanning tile). A switch opens the new
 * stream beside the old one and keeps showing the old pictures until the
 * new stream has decoded its first frame: the tile never blanks.
 *
 * A camera shown in a zone that keeps a pre-roll keeps one ring of its
 * packets (decode/ring.h) for as long as its feed is open, whichever of
 * its streams is shown: a switch begins a new segment in it.
 *
 * With options.main_evidence, a camera shown on its sub stream in the
 * selected tile also records its main stream (no decoding: packets into
 * a ring of their own), so that evidence is exported at full quality.
 *
 * On reload, sources_adopt() moves every feed whose camera kept its number
 * and streams into the new set, picture and all, so its tiles never flash;
 * one whose picture health settings changed judges as the new file says
 * from its next picture on (feed_set_health).
 *
 * Credentials are joined to the URL only when the feed is made; the layout
 * keeps them apart and logs never see them.
 *
 * Threads: render thread only (pictures and masks may be GL).
 */
#ifndef WALL_SOURCES_H
#define WALL_SOURCES_H

#include <stdint.h>

#include "decode/feed.h"
#include "decode/health.h"
#include "layouts/layout.h"
#include "wall/picture.h"

enum source_stream {
    SOURCE_MAIN,
    SOURCE_SUB,
};

struct source {
    const struct layout_camera *camera; /* borrowed from the set's layout */
    struct feed *feed;                  /* owned; NULL while nobody shows it */
    enum source_stream stream;          /* what `feed` decodes */
    struct feed *next;                  /* owned; the stream being switched to */
    enum source_stream next_stream;
    int64_t main_wanted_us;  /* last time a large tile showed it */
    int64_t selected_us;     /* last time it was in the selected tile */
    int64_t shown_us;        /* when the newest frame was uploaded */
    int64_t max_gap_us;      /* longest time between two uploads */
    int area;                /* largest tile showing it this frame, px */
    struct picture picture;  /* owned */
    GLuint mask;             /* owned privacy-mask texture; 0: none, or failed (mask_failed()) */
    uint8_t *mask_raster;    /* owned, the same in memory (cpu path); NULL: likewise */
    struct feed_stats stats; /* sampled by sources_update() */
    uint64_t frames_shown;   /* frames uploaded */
    int64_t wanted_us;       /* last time a tile asked for it */
    struct scale_target target; /* rgb path: the largest picture a tile wants this frame */
    struct scale_target sent;   /* what the feeds were last asked for */
    struct ring *ring;          /* owned reference: its pre-roll; NULL: none kept */
    bool replay;                /* a replay of the pre-roll (sources_open_replay) */
    struct feed *evidence;      /* owned: records the main stream while the sub shows */
    struct ring *evidence_ring; /* owned reference: what it records; NULL: none */
    char badge[64];             /* a replay's badge, "REPLAY -00:12 21:54:51" (wall/replay.c) */
    int64_t preroll_us;         /* last time a tile that keeps a pre-roll showed it */
};

struct source_options {
    int gles_major;
    const struct dmabuf_importer *dmabuf; /* borrowed; NULL: no zero-copy */
    struct AVBufferRef *hw_device;        /* borrowed; NULL: software decoding */
    int io_timeout_ms;
    int grace_ms;            /* how long an unwanted feed stays open */
    int main_min_height;     /* tiles at least this tall want the main stream */
    bool rgb;                /* feeds scale and convert pictures for their tiles */
    bool cpu;                /* pictures and masks stay in memory for a CPU canvas */
    struct ring_pool *rings; /* borrowed: where pre-rolls are kept; NULL: nowhere */
    bool main_evidence;      /* the selected tile's camera records its main stream too */
};

struct source_set {
    const struct layout_wall *layout; /* borrowed */
    struct source *items;             /* layout->n_cameras of them */
    int n;
    struct source_options options;
};

/* One source per camera of `layout`, none open yet. False: out of memory. */
bool sources_init(struct source_set *set, const struct layout_wall *layout,
                  const struct source_options *options);
/* Stops every feed (and any stream being switched to), frees every picture
 * and mask, and leaves the set empty. */
void sources_finish(struct source_set *set);

/* Call before the frame's sources_want() calls. */
void sources_begin_frame(struct source_set *set);

/* Marks camera `index` as shown now in a tile of `tile_width` x
 * `tile_height` pixels; its feed starts (or switches stream) at the next
 * update. `preroll`: the tile's zone keeps a pre-roll of what it shows
 * (decode/ring.h), which the source then keeps in options.rings. */
void sources_want(struct source_set *set, int index, int64_t now_us, int tile_width,
                  int tile_height, bool preroll);

/* Rgb path: a tile shows the part `target` (x, y, w, h) of camera `index`'s
 * picture at target's size. The largest one of a frame is what the feed
 * is asked to deliver from the next update on. */
void sources_want_picture(struct source_set *set, int index, const struct scale_target *target);

/* Marks camera `index` as shown in the selected tile: it keeps full rate
 * whatever the decode budget says. */
void sources_want_selected(struct source_set *set, int index, int64_t now_us);

/* Starts wanted feeds, closes long-unwanted ones, takes and uploads new
 * frames, samples statistics. Returns how many frames it uploaded. */
int sources_update(struct source_set *set, int64_t now_us);

/* Moves feeds and pictures of cameras that are the same in `old` (same
 * number, streams and credentials) into `set`; `old` keeps the rest. */
void sources_adopt(struct source_set *set, struct source_set *old);

/* The source of camera `index` (an index into the layout's cameras), to
 * read; NULL for -1 (a tile without a camera). The set writes sources;
 * everyone else reads them through this. */
const struct source *sources_get(const struct source_set *set, int index);

/* From now on, max_gap_us measures the wall running, not its start. */
void sources_restart_gaps(struct source_set *set);

/* True when every wanted source has a picture or has failed; counts both. */
bool sources_settled(const struct source_set *set, int *live, int *failed);

/* Shown in a large tile (one that wants the main stream) within the last
 * second. */
bool sources_large(const struct source *source, int64_t now_us);

/* Large, or in the selected tile, within the last second: the decode
 * budget never reduces it. */
bool sources_keeps_full_rate(const struct source *source, int64_t now_us);

const char *sources_stream_name(enum source_stream stream);

/* The pre-roll an export of the last `span_us` of the camera records: its
 * main stream's while options.main_evidence has one recorded that goes
 * back that far (or further than the shown stream's), else the shown
 * stream's; NULL: none kept. */
struct ring *sources_evidence_ring(const struct source *source, int64_t span_us);

/* A source of its own that replays camera `index`'s pre-roll from
 * `from_us` (av_gettime_relative clock) on: its feed decodes the camera's
 * ring (decode/feed.h, replay), with a picture and masks of its own, so
 * the live source is not disturbed. False with the reason in `why` when
 * the camera keeps no pre-roll or has none yet. */
bool sources_open_replay(const struct source_set *set, int index, int64_t from_us,
                         struct source *out, char *why, size_t size);
/* Takes and uploads the replay's newest frame, samples its statistics;
 * pictures are scaled as the live source's tiles ask (rgb path). */
void sources_update_replay(const struct source_set *set, struct source *replay);
void sources_close_replay(struct source *replay);

/* After a reload: the replay shows `camera` (the same number in the new
 * layout) with its masks as the new file has them. */
void sources_readopt_replay(const struct source_set *set, struct source *replay,
                            const struct layout_camera *camera);

/* The picture health thresholds (decode/health.h) of `layout`'s feeds:
 * health_settings_default()'s, with those wall.picture_thresholds sets.
 * A feed judges its pictures when wall.picture_health and its camera's
 * picture_health are both on. */
void sources_health_settings(const struct layout_wall *layout, struct health_settings *out);

/* The stream's URL ("rtsp://user:pass@host/..." with user and password
 * percent-encoded, or as it is without credentials); the main URL when the
 * camera has no sub stream. Caller frees. */
char *sources_feed_url(const struct layout_camera *camera, enum source_stream stream);

#endif
