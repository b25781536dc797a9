#include "wall/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/ring.h"
#include "layouts/urls.h"
#include "wall/mask.h"

bool sources_init(struct source_set *set, const struct layout_wall *layout,
                  const struct source_options *options)
{
    *set = (struct source_set){.layout = layout, .n = layout->n_cameras, .options = *options};
    set->items = calloc((size_t)set->n + 1, sizeof(*set->items));
    if (!set->items) {
        return false;
    }
    for (int i = 0; i < set->n; i++) {
        set->items[i].camera = &layout->cameras[i];
        picture_init(&set->items[i].picture, options->gles_major, options->dmabuf, options->cpu);
    }
    return true;
}

static void drop_mask(struct source *source)
{
    if (source->mask) {
        glDeleteTextures(1, &source->mask);
        source->mask = 0;
    }
    free(source->mask_raster);
    source->mask_raster = NULL;
}

/* (Re)builds the camera's mask; what it had goes first (a feed that fails
 * to open is retried every frame, and must not leak a mask each time). */
static void make_mask(const struct source_set *set, struct source *source)
{
    drop_mask(source);
    if (set->options.cpu) {
        source->mask_raster = mask_raster_create(source->camera);
    } else {
        source->mask = mask_texture_create(source->camera);
    }
}

static void close_evidence(struct source *source);

void sources_finish(struct source_set *set)
{
    for (int i = 0; set->items && i < set->n; i++) {
        feed_destroy(set->items[i].next);
        feed_destroy(set->items[i].feed);
        ring_end(set->items[i].ring);
        ring_unref(set->items[i].ring);
        close_evidence(&set->items[i]);
        picture_finish(&set->items[i].picture);
        drop_mask(&set->items[i]);
    }
    free(set->items);
    set->items = NULL;
    set->n = 0;
}

void sources_begin_frame(struct source_set *set)
{
    for (int i = 0; i < set->n; i++) {
        set->items[i].area = 0;
        set->items[i].target = (struct scale_target){0};
    }
}

void sources_want_picture(struct source_set *set, int index, const struct scale_target *target)
{
    if (index < 0 || index >= set->n || !set->options.rgb) {
        return;
    }
    struct scale_target *t = &set->items[index].target;
    if (target->width * target->height > t->width * t->height) {
        *t = *target;
    }
}

/* Asks the feeds for the picture the tiles want, once it changes. Before
 * the first picture the aspect is unknown: Y'CbCr frames until then. */
static void send_target(struct source *source)
{
    if (source->target.width <= 0 || scale_target_equal(&source->target, &source->sent)) {
        return;
    }
    source->sent = source->target;
    feed_set_target(source->feed, &source->sent);
    if (source->next) {
        feed_set_target(source->next, &source->sent);
    }
}

void sources_want(struct source_set *set, int index, int64_t now_us, int tile_width,
                  int tile_height, bool preroll)
{
    if (index < 0 || index >= set->n) {
        return;
    }
    struct source *source = &set->items[index];
    source->wanted_us = now_us;
    if (tile_width * tile_height > source->area) {
        source->area = tile_width * tile_height;
    }
    if (tile_height >= set->options.main_min_height) {
        source->main_wanted_us = now_us;
    }
    if (preroll) {
        source->preroll_us = now_us;
    }
}

void sources_want_selected(struct source_set *set, int index, int64_t now_us)
{
    if (index >= 0 && index < set->n) {
        set->items[index].selected_us = now_us;
    }
}

const char *sources_stream_name(enum source_stream stream)
{
    return stream == SOURCE_SUB ? "sub" : "main";
}

char *sources_feed_url(const struct layout_camera *camera, enum source_stream stream)
{
    const char *url = stream == SOURCE_SUB && camera->sub_url ? camera->sub_url : camera->url;
    return layout_url_with_credentials(url, camera->username, camera->password);
}

void sources_health_settings(const struct layout_wall *layout, struct health_settings *out)
{
    health_settings_default(out);
    const struct layout_picture_thresholds *t = &layout->picture_thresholds;
    /* 0: the file does not say (layouts/layout.h). */
    out->frozen_s = t->frozen > 0 ? t->frozen : out->frozen_s;
    out->obstructed = t->obstructed > 0 ? t->obstructed : out->obstructed;
    out->blurred = t->blurred > 0 ? t->blurred : out->blurred;
    out->moved = t->moved > 0 ? t->moved : out->moved;
}

static struct feed *open_stream(const struct source_set *set, const struct source *source,
                                enum source_stream stream)
{
    char label[48];
    snprintf(label, sizeof(label), "camera %d%s", source->camera->number,
             source->camera->sub_url ? (stream == SOURCE_SUB ? " sub" : " main") : "");
    char *url = sources_feed_url(source->camera, stream);
    if (!url) {
        return NULL;
    }
    char camera[24];
    /* Only in the failure words ("check the credentials of camera 101"). */
    snprintf(camera, sizeof(camera), _("camera %d"), source->camera->number);
    static const enum colour_matrix matrices[] = {
        [LAYOUT_COLOUR_AUTO] = COLOUR_AUTO,
        [LAYOUT_COLOUR_BT601] = COLOUR_BT601,
        [LAYOUT_COLOUR_BT709] = COLOUR_BT709,
    };
    static const enum colour_range ranges[] = {
        [LAYOUT_RANGE_AUTO] = RANGE_AUTO,
        [LAYOUT_RANGE_LIMITED] = RANGE_LIMITED,
        [LAYOUT_RANGE_FULL] = RANGE_FULL,
    };
    struct feed_config config = {
        .url = url,
        .label = label,
        .name = source->camera->name,
        .camera = camera,
        .colour = matrices[source->camera->colour],
        .range = ranges[source->camera->range],
        .io_timeout_ms = set->options.io_timeout_ms,
        .hw_device = set->options.hw_device,
        .ring = stream == source->stream ? source->ring : NULL, /* a switch records later */
        .picture_health = set->layout->picture_health && source->camera->picture_health,
    };
    sources_health_settings(set->layout, &config.health);
    struct feed *feed = feed_create(&config);
    free(url);
    return feed;
}

static void close_evidence(struct source *source)
{
    feed_destroy(source->evidence);
    source->evidence = NULL;
    ring_end(source->evidence_ring);
    ring_unref(source->evidence_ring);
    source->evidence_ring = NULL;
}

static void close_feeds(struct source *source)
{
    log_debug("wall", "camera %d: no tile shows it any more, closing", source->camera->number);
    feed_destroy(source->next);
    feed_destroy(source->feed);
    source->next = NULL;
    source->feed = NULL;
    ring_end(source->ring); /* replays and exports reading it see it end */
    ring_unref(source->ring);
    source->ring = NULL;
    close_evidence(source);
    /* The old picture must not reappear as live when the camera returns. */
    int gles = source->picture.gles_major;
    const struct dmabuf_importer *dmabuf = source->picture.dmabuf;
    bool cpu = source->picture.cpu;
    picture_finish(&source->picture);
    picture_init(&source->picture, gles, dmabuf, cpu);
    drop_mask(source);
    source->stats = (struct feed_stats){.state = FEED_CONNECTING};
}

static void upload(struct source *source, struct feed *from, struct AVFrame *frame)
{
    if (picture_upload(&source->picture, frame)) {
        int64_t now = av_gettime_relative();
        if (source->shown_us && now - source->shown_us > source->max_gap_us) {
            source->max_gap_us = now - source->shown_us;
        }
        source->shown_us = now;
        source->frames_shown++;
    } else if (frame->format == AV_PIX_FMT_VAAPI) {
        feed_refuse_hardware(from);
    }
    av_frame_free(&frame);
}

/* Opens the stream the tiles call for beside the current one; once it has
 * a frame, it replaces the current one. */
static void switch_stream(const struct source_set *set, struct source *source,
                          enum source_stream want)
{
    if (source->next && source->next_stream != want) {
        feed_destroy(source->next); /* changed its mind before the switch */
        source->next = NULL;
    }
    if (want == source->stream) {
        return;
    }
    if (!source->next) {
        source->next = open_stream(set, source, want);
        source->next_stream = want;
        if (source->next && source->sent.width > 0) {
            feed_set_target(source->next, &source->sent);
        }
        return;
    }
    struct AVFrame *frame = feed_take_frame(source->next);
    if (!frame) {
        return;
    }
    log_info("wall", "camera %d: now on its %s stream", source->camera->number,
             sources_stream_name(want));
    feed_destroy(source->feed);
    source->feed = source->next;
    source->stream = want;
    source->next = NULL;
    feed_record(source->feed, source->ring); /* the pre-roll goes on with this stream */
    upload(source, source->feed, frame);
}

/* Makes the source's ring when a tile that keeps pre-roll shows it (within
 * the grace period); returns whether it made one. */
static bool keep_preroll(const struct source_set *set, struct source *source, int64_t now_us)
{
    int64_t grace_us = (int64_t)set->options.grace_ms * 1000;
    if (source->ring || !set->options.rings || source->preroll_us == 0 ||
        now_us - source->preroll_us > grace_us) {
        return false;
    }
    char label[32];
    snprintf(label, sizeof(label), "camera %d", source->camera->number);
    source->ring = ring_create(set->options.rings, label);
    return source->ring != NULL;
}

/* The selected tile's camera, shown on its sub stream, records its main
 * stream for evidence (options.main_evidence); it stops when the tile is
 * no longer selected or shows the main stream anyway. */
static void keep_evidence(const struct source_set *set, struct source *source, int64_t now_us)
{
    bool want = set->options.main_evidence && source->ring && source->stream == SOURCE_SUB &&
                source->camera->sub_url && source->selected_us != 0 &&
                now_us - source->selected_us <= (int64_t)set->options.grace_ms * 1000;
    if (!want) {
        /* An export of it under way holds the ring: it goes on recording. */
        if (source->evidence && !ring_shared(source->evidence_ring)) {
            close_evidence(source);
        }
        return;
    }
    if (source->evidence) {
        return;
    }
    char label[48];
    snprintf(label, sizeof(label), "camera %d main (evidence)", source->camera->number);
    source->evidence_ring = ring_create(set->options.rings, label);
    char *url = sources_feed_url(source->camera, SOURCE_MAIN);
    char camera[24];
    /* Only in the failure words ("check the credentials of camera 101"). */
    snprintf(camera, sizeof(camera), _("camera %d"), source->camera->number);
    struct feed_config config = {
        .url = url,
        .label = label,
        .name = source->camera->name,
        .camera = camera,
        .io_timeout_ms = set->options.io_timeout_ms,
        .ring = source->evidence_ring,
        .record_only = true,
    };
    source->evidence = url && source->evidence_ring ? feed_create(&config) : NULL;
    free(url);
    if (!source->evidence) {
        close_evidence(source);
    }
}

struct ring *sources_evidence_ring(const struct source *source, int64_t span_us)
{
    if (!source->evidence_ring || !source->ring) {
        return source->ring;
    }
    struct ring_stats main, shown;
    ring_get_stats(source->evidence_ring, &main);
    ring_get_stats(source->ring, &shown);
    bool covers = main.packets > 0 && (main.span_us >= span_us || main.span_us >= shown.span_us);
    return covers ? source->evidence_ring : source->ring;
}

/* A second of memory, so a quick page flip does not bounce between
 * streams or between full rate and key frames. */
#define WANT_MEMORY_US 1000000

static bool recently(int64_t when_us, int64_t now_us)
{
    return when_us != 0 && now_us - when_us < WANT_MEMORY_US;
}

bool sources_large(const struct source *source, int64_t now_us)
{
    return recently(source->main_wanted_us, now_us);
}

bool sources_keeps_full_rate(const struct source *source, int64_t now_us)
{
    return sources_large(source, now_us) || recently(source->selected_us, now_us);
}

static enum source_stream wanted_stream(const struct source *source, int64_t now_us)
{
    return source->camera->sub_url && !sources_large(source, now_us) ? SOURCE_SUB : SOURCE_MAIN;
}

int sources_update(struct source_set *set, int64_t now_us)
{
    int64_t grace_us = (int64_t)set->options.grace_ms * 1000;
    int uploaded = 0;
    for (int i = 0; i < set->n; i++) {
        struct source *source = &set->items[i];
        bool wanted = source->wanted_us != 0 && now_us - source->wanted_us <= grace_us;
        if (wanted && !source->feed) {
            keep_preroll(set, source, now_us);
            source->stream = wanted_stream(source, now_us);
            source->feed = open_stream(set, source, source->stream);
            source->sent = (struct scale_target){0};
            make_mask(set, source);
            source->stats = (struct feed_stats){.state = FEED_CONNECTING};
        } else if (!wanted && source->feed) {
            close_feeds(source);
        }
        if (!source->feed) {
            continue;
        }
        if (!source->ring && keep_preroll(set, source, now_us)) {
            feed_record(source->feed, source->ring); /* a zone started keeping one */
        }
        /* An export of the stream shown keeps it until it ends (an MP4
         * cannot switch streams midway); the tile switches after. */
        if (!ring_held(source->ring)) {
            switch_stream(set, source, wanted_stream(source, now_us));
        }
        send_target(source);
        keep_evidence(set, source, now_us);
        struct AVFrame *frame = feed_take_frame(source->feed);
        if (frame) {
            upload(source, source->feed, frame);
            uploaded++;
        }
        feed_get_stats(source->feed, &source->stats);
    }
    return uploaded;
}

static bool same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static bool same_streams(const struct layout_camera *a, const struct layout_camera *b)
{
    return same_text(a->url, b->url) && same_text(a->sub_url, b->sub_url) &&
           same_text(a->username, b->username) && same_text(a->password, b->password);
}

static bool same_thresholds(const struct layout_picture_thresholds *a,
                            const struct layout_picture_thresholds *b)
{
    return a->frozen == b->frozen && a->obstructed == b->obstructed && a->blurred == b->blurred &&
           a->moved == b->moved;
}

/* An adopted feed judges its pictures as the new file says, when that
 * changed (a reload that turns a dome's picture_health off); unchanged,
 * it keeps what it has learnt. */
static void update_health(const struct source_set *set, const struct source_set *old,
                          const struct layout_camera *was, struct source *source)
{
    bool on = set->layout->picture_health && source->camera->picture_health;
    bool was_on = old->layout->picture_health && was->picture_health;
    if (on == was_on && (!on || same_thresholds(&set->layout->picture_thresholds,
                                                &old->layout->picture_thresholds))) {
        return;
    }
    struct health_settings settings;
    sources_health_settings(set->layout, &settings);
    feed_set_health(source->feed, on, &settings);
    if (source->next) {
        feed_set_health(source->next, on, &settings);
    }
}

void sources_adopt(struct source_set *set, struct source_set *old)
{
    for (int i = 0; i < set->n; i++) {
        struct source *source = &set->items[i];
        const struct layout_camera *was = layout_find_camera(old->layout, source->camera->number);
        if (!was) {
            continue;
        }
        struct source *prev = &old->items[was - old->layout->cameras];
        if (!prev->feed || !same_streams(was, source->camera)) {
            continue;
        }
        const struct layout_camera *camera = source->camera;
        picture_finish(&source->picture);
        *source = *prev;
        source->camera = camera;
        /* The old set must not free what moved. */
        prev->feed = NULL;
        prev->next = NULL;
        prev->ring = NULL;
        prev->evidence = NULL;
        prev->evidence_ring = NULL;
        prev->mask = 0;
        prev->mask_raster = NULL;
        /* The masks may have changed with the file: rebuild from the new one. */
        drop_mask(source);
        make_mask(set, source);
        update_health(set, old, was, source);
        picture_init(&prev->picture, prev->picture.gles_major, prev->picture.dmabuf,
                     prev->picture.cpu);
    }
}

const struct source *sources_get(const struct source_set *set, int index)
{
    return index >= 0 && index < set->n ? &set->items[index] : NULL;
}

void sources_restart_gaps(struct source_set *set)
{
    for (int i = 0; i < set->n; i++) {
        set->items[i].max_gap_us = 0;
    }
}

bool sources_settled(const struct source_set *set, int *live, int *failed)
{
    int pending = 0;
    *live = *failed = 0;
    for (int i = 0; i < set->n; i++) {
        const struct source *source = &set->items[i];
        if (!source->feed) {
            continue;
        }
        if (source->stats.state == FEED_NO_SIGNAL) {
            (*failed)++;
        } else if (picture_valid(&source->picture)) {
            (*live)++;
        } else {
            pending++;
        }
    }
    return pending == 0;
}

bool sources_open_replay(const struct source_set *set, int index, int64_t from_us,
                         struct source *out, char *why, size_t size)
{
    const struct source *live = sources_get(set, index);
    if (!live) {
        snprintf(why, size, "%s", _("the tile shows no camera"));
        return false;
    }
    int number = live->camera->number;
    struct ring_stats st = {0};
    if (live->ring) {
        ring_get_stats(live->ring, &st);
    }
    if (!live->ring || st.packets == 0) {
        if (live->ring) {
            snprintf(why, size, _("camera %d has no pre-roll yet (just opened, or no signal)"),
                     number);
        } else if (live->feed) {
            snprintf(why, size,
                     _("camera %d has no pre-roll (wall.replay.zones keeps none for the zones "
                       "showing it)"),
                     number);
        } else {
            snprintf(why, size, _("camera %d has no pre-roll (no tile shows it)"), number);
        }
        return false;
    }
    *out = (struct source){.camera = live->camera, .replay = true, .stream = live->stream};
    out->ring = ring_ref(live->ring);
    picture_init(&out->picture, set->options.gles_major, set->options.dmabuf, set->options.cpu);
    make_mask(set, out);
    char label[48];
    snprintf(label, sizeof(label), "camera %d replay", number);
    struct feed_config config = {
        .url = label,
        .label = label,
        .name = live->camera->name,
        .hw_device = set->options.hw_device,
        .replay = live->ring,
        .replay_from_us = from_us,
    };
    out->feed = feed_create(&config);
    out->stats = (struct feed_stats){.state = FEED_CONNECTING};
    if (!out->feed) {
        snprintf(why, size, _("camera %d: cannot start a replay (out of resources)"), number);
        sources_close_replay(out);
        return false;
    }
    return true;
}

void sources_update_replay(const struct source_set *set, struct source *replay)
{
    const struct source *live = set->items + (replay->camera - set->layout->cameras);
    if (live->sent.width > 0 && !scale_target_equal(&live->sent, &replay->sent)) {
        replay->sent = live->sent;
        feed_set_target(replay->feed, &replay->sent);
    }
    struct AVFrame *frame = feed_take_frame(replay->feed);
    if (frame) {
        upload(replay, replay->feed, frame);
    }
    feed_get_stats(replay->feed, &replay->stats);
}

void sources_close_replay(struct source *replay)
{
    feed_destroy(replay->feed);
    replay->feed = NULL;
    ring_unref(replay->ring);
    replay->ring = NULL;
    picture_finish(&replay->picture);
    drop_mask(replay);
}

void sources_readopt_replay(const struct source_set *set, struct source *replay,
                            const struct layout_camera *camera)
{
    replay->camera = camera;
    make_mask(set, replay); /* privacy masks as the new file has them, at once */
}
