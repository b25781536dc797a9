#include "decode/feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include "common/log.h"
#include "decode/avlog.h"
#include "decode/feed_impl.h"

#define BACKOFF_MIN_US (1000 * 1000)
#define BACKOFF_MAX_US (30 * 1000 * 1000)
#define FEED_NICE      5
const char *feed_state_name(enum feed_state state)
{
    switch (state) {
    case FEED_CONNECTING:
        return "connecting";
    case FEED_LIVE:
        return "live";
    case FEED_NO_SIGNAL:
        return "no-signal";
    }
    return "unknown";
}

int feed_interrupted(void *opaque)
{
    struct feed *feed = opaque;
    if (atomic_load(&feed->stop)) {
        return 1;
    }
    int64_t deadline = atomic_load(&feed->io_deadline_us);
    return deadline != 0 && av_gettime_relative() > deadline;
}

void feed_arm_deadline(struct feed *feed, int64_t timeout_us)
{
    atomic_store(&feed->io_deadline_us, av_gettime_relative() + timeout_us);
}

bool feed_wait_until(struct feed *feed, int64_t until_us, const atomic_uint *changes,
                     unsigned seen)
{
    pthread_mutex_lock(&feed->wait_lock);
    while (!atomic_load(&feed->stop) && (!changes || atomic_load(changes) == seen)) {
        int64_t left = until_us - av_gettime_relative();
        if (left <= 0) {
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (left % 1000000) * 1000;
        ts.tv_sec += left / 1000000 + ns / 1000000000;
        ts.tv_nsec = ns % 1000000000;
        pthread_cond_timedwait(&feed->wait_cond, &feed->wait_lock, &ts);
    }
    pthread_mutex_unlock(&feed->wait_lock);
    return !atomic_load(&feed->stop);
}

bool feed_sleep_until(struct feed *feed, int64_t until_us)
{
    return feed_wait_until(feed, until_us, NULL, 0);
}

static int64_t backoff_us(struct feed *feed, unsigned attempt)
{
    int64_t delay = BACKOFF_MIN_US;
    for (unsigned i = 0; i < attempt && delay < BACKOFF_MAX_US; i++) {
        delay *= 2;
    }
    if (delay > BACKOFF_MAX_US) {
        delay = BACKOFF_MAX_US;
    }
    /* +-20% jitter so cameras behind one dead switch do not retry in step. */
    int64_t jitter = delay / 5;
    return delay - jitter + (int64_t)(rand_r(&feed->random) % (unsigned)(2 * jitter + 1));
}

void feed_decode_error(struct feed *feed, const char *detail)
{
    atomic_fetch_add(&feed->decode_errors, 1);
    report_event(&feed->report, REPORT_DECODE, detail, av_gettime_relative());
}

/* FFmpeg's warnings and errors on this feed's thread (decode/avlog.h).
 * Until a session shows a picture they only detail a failure that the
 * "no signal" line says in words: counted, logged when debugging. */
static void ffmpeg_message(void *opaque, const char *text)
{
    struct feed *feed = opaque;
    atomic_fetch_add(&feed->ffmpeg_messages, 1);
    if (!feed->showing ||
        !report_event(&feed->report, REPORT_FFMPEG, text, av_gettime_relative())) {
        log_debug("ffmpeg", "%s: %s", feed->who, text); /* every one, when debugging */
    }
}

/* Says why the attempt in `s` ended with `ret`, once per outage: a camera
 * that never comes up is not reported at every retry. */
static void report_failure(struct feed *feed, const struct session *s, int ret, bool news)
{
    int64_t now = av_gettime_relative();
    int64_t deadline = atomic_load(&feed->io_deadline_us);
    int64_t picture_timeout = PICTURE_TIMEOUTS * feed->io_timeout_us;
    struct report_failure f = {
        .error = ret,
        .stage = s->stage,
        .timed_out = ret == AVERROR_EXIT || (deadline != 0 && now > deadline),
        .video_seen = s->video_seen,
        .no_key_frame = s->video_seen && now - s->first_video_us >= picture_timeout,
        .is_file = feed->is_file,
        .timeout_us = feed->io_timeout_us,
        .picture_timeout_us = picture_timeout,
        .camera = feed->camera,
    };
    char words[FEED_ERROR_SIZE];
    report_failure_words(&f, words, sizeof(words));
    pthread_mutex_lock(&feed->error_lock);
    memcpy(feed->last_error, words, sizeof(words));
    pthread_mutex_unlock(&feed->error_lock);
    if (news) {
        log_warn("feed", "%s (%s): no signal: %s", feed->label, feed->safe_url, words);
    }
}

static void *feed_thread(void *opaque)
{
    struct feed *feed = opaque;
    unsigned failures = 0;
    /* The name lets CPU time be counted by role (see wall/cpustat.h). */
    pthread_setname_np(pthread_self(), "feed");
    /* FFmpeg's messages from this thread are this camera's. */
    avlog_bind_thread(ffmpeg_message, feed);
    /* Below the render thread: when the machine is short of CPU, frames are
     * dropped here (and the budget reduces feeds) rather than the whole
     * wall slowing down. Linux nice values are per thread. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), FEED_NICE);
    if (feed->replay) {
        replay_run(feed);
    }
    while (!feed->replay && !atomic_load(&feed->stop)) {
        struct session s;
        int ret = session_open(feed, &s);
        if (ret >= 0) {
            ret = session_run(feed, &s);
        }
        bool had_frames = s.frames > 0;
        bool stopping = atomic_load(&feed->stop);
        if (!stopping && ret != REOPEN_SOFTWARE) {
            failures = had_frames ? 0 : failures + 1;
            report_failure(feed, &s, ret, had_frames || failures == 1);
        }
        session_close(&s);
        atomic_store(&feed->io_deadline_us, 0);
        if (stopping) {
            break;
        }
        if (ret == REOPEN_SOFTWARE) {
            log_info("feed", "%s: reopening in software", feed->label);
            continue;
        }
        atomic_store(&feed->state, FEED_NO_SIGNAL);
        atomic_store(&feed->reconnecting, false);
        atomic_store(&feed->bitrate, 0);
        atomic_store(&feed->interval_us, 0);
        feed->rate_start_us = 0;
        feed->rate_bytes = 0;
        feed->pace_base_us = INT64_MIN;
        if (!feed_sleep_until(feed, av_gettime_relative() + backoff_us(feed, failures))) {
            break;
        }
        report_tick(&feed->report, av_gettime_relative(), false);
        atomic_fetch_add(&feed->reconnects, 1);
        atomic_store(&feed->reconnecting, true);
        log_debug("feed", "%s: reconnecting", feed->label);
    }
    report_tick(&feed->report, av_gettime_relative(), true);
    avlog_bind_thread(NULL, NULL);
    return NULL;
}

/* Whether health can read the frame's first plane as its luma: 8 bits, a
 * byte a sample, in memory (the planar and semi-planar Y'CbCr formats). */
static bool judgeable(const AVFrame *frame)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(frame->format);
    unsigned not_luma = AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL |
                        AV_PIX_FMT_FLAG_BITSTREAM;
    return d && !(d->flags & not_luma) && d->nb_components >= 1 && d->comp[0].plane == 0 &&
           d->comp[0].step == 1 && d->comp[0].depth == 8 && d->comp[0].shift == 0 &&
           frame->data[0] && frame->width > 0 && frame->height > 0;
}

static bool is_problem(enum picture_condition c)
{
    return c == PICTURE_FROZEN || c == PICTURE_OBSTRUCTED || c == PICTURE_BLURRED ||
           c == PICTURE_MOVED;
}

/* One line when a condition begins, one when the picture is sound again:
 * people read these, so nothing in between (learning says nothing). */
static void tell(struct feed *feed, enum picture_condition c)
{
    if (is_problem(c) && c != feed->told) {
        switch (c) {
        case PICTURE_FROZEN:
            /* TRANSLATORS: %s is the camera, like "camera 3 (Av. Tulum)"; %g the
             * seconds its picture has not changed, like 10. */
            log_warn("feed", "%s: frozen for %g s", feed->health_who, feed->frozen_s);
            break;
        case PICTURE_OBSTRUCTED:
            /* TRANSLATORS: %s is the camera, like "camera 3 (Av. Tulum)": its view is
             * covered, black or a flat colour. */
            log_warn("feed", "%s: obstructed", feed->health_who);
            break;
        case PICTURE_BLURRED:
            /* TRANSLATORS: %s is the camera, like "camera 3 (Av. Tulum)": its picture
             * lost its sharpness (dirty lens, out of focus, fog). */
            log_warn("feed", "%s: blurred", feed->health_who);
            break;
        default:
            /* TRANSLATORS: %s is the camera, like "camera 3 (Av. Tulum)": it no
             * longer looks where it used to (turned, knocked). */
            log_warn("feed", "%s: moved", feed->health_who);
            break;
        }
        feed->told = c;
    } else if (c == PICTURE_OK && is_problem(feed->told)) {
        log_info("feed", "%s: picture ok again", feed->health_who);
        feed->told = PICTURE_OK;
    }
}

/* Takes the settings feed_set_health() left: a new health, or none. */
static void change_health(struct feed *feed)
{
    pthread_mutex_lock(&feed->target_lock);
    bool on = feed->health_on;
    struct health_settings settings = feed->health_settings;
    pthread_mutex_unlock(&feed->target_lock);
    health_destroy(feed->health);
    feed->health = on ? health_create(&settings) : NULL;
    if (on && !feed->health) {
        log_error("feed", "%s: out of memory: its picture is not watched", feed->health_who);
    }
    feed->frozen_s = settings.frozen_s;
    feed->told = PICTURE_OK; /* a new watch: what the old one said is over */
    atomic_store(&feed->health_reset, false);
    atomic_store(&feed->picture_since_us, 0);
    atomic_store(&feed->picture, feed->health ? PICTURE_LEARNING : PICTURE_OFF);
    if (feed->health) {
        log_info("feed", "%s: its picture is watched with new settings", feed->health_who);
    } else {
        log_info("feed", "%s: its picture is no longer watched", feed->health_who);
    }
}

void feed_judge_picture(struct feed *feed, const AVFrame *frame)
{
    if (atomic_exchange(&feed->health_changed, false)) {
        change_health(feed);
    }
    if (!feed->health) {
        return; /* PICTURE_OFF */
    }
    int64_t now = av_gettime_relative();
    if (!judgeable(frame)) {
        if (atomic_load(&feed->picture) != PICTURE_OFF) {
            atomic_store(&feed->picture_since_us, now);
            atomic_store(&feed->picture, PICTURE_OFF);
        }
        return;
    }
    if (atomic_exchange(&feed->health_reset, false)) {
        health_reset(feed->health);
        log_info("feed", "%s: learning its picture again", feed->health_who);
    }
    health_look(feed->health, frame->data[0], frame->linesize[0], frame->width, frame->height,
                frame->color_range == AVCOL_RANGE_JPEG, frame->key_frame != 0, now);
    int64_t since;
    enum picture_condition c = health_condition(feed->health, &since);
    atomic_store(&feed->picture_since_us, since);
    atomic_store(&feed->picture, (int)c);
    tell(feed, c);
}

void feed_health_reset(struct feed *feed)
{
    atomic_store(&feed->health_reset, true);
}

void feed_set_health(struct feed *feed, bool on, const struct health_settings *settings)
{
    if (!feed->judges) {
        return;
    }
    pthread_mutex_lock(&feed->target_lock);
    feed->health_on = on;
    feed->health_settings = *settings;
    atomic_store(&feed->health_changed, true);
    pthread_mutex_unlock(&feed->target_lock);
}

/* The feed's mailbox, locks and wake-up condition. False when the system
 * refuses one; then none is left made. */
static bool init_sync(struct feed *feed)
{
    if (!mailbox_init(&feed->mailbox)) {
        return false;
    }
    pthread_mutex_t *locks[] = {&feed->wait_lock, &feed->target_lock, &feed->error_lock};
    int made = 0;
    while (made < 3 && pthread_mutex_init(locks[made], NULL) == 0) {
        made++;
    }
    pthread_condattr_t attr;
    bool ok = made == 3 && pthread_condattr_init(&attr) == 0;
    if (ok) {
        /* Waits are measured on the monotonic clock (feed_sleep_until). */
        ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&feed->wait_cond, &attr) == 0;
        pthread_condattr_destroy(&attr);
    }
    if (!ok) {
        while (made > 0) {
            pthread_mutex_destroy(locks[--made]);
        }
        mailbox_finish(&feed->mailbox);
    }
    return ok;
}

static void finish_sync(struct feed *feed)
{
    pthread_cond_destroy(&feed->wait_cond);
    pthread_mutex_destroy(&feed->wait_lock);
    pthread_mutex_destroy(&feed->target_lock);
    pthread_mutex_destroy(&feed->error_lock);
    mailbox_finish(&feed->mailbox);
}

static bool url_is_file(const char *url)
{
    return strstr(url, "://") == NULL;
}

struct feed *feed_create(const struct feed_config *config)
{
    struct feed *feed = calloc(1, sizeof(*feed));
    if (!feed) {
        return NULL;
    }
    feed->url = strdup(config->url);
    feed->label = strdup(config->label ? config->label : "feed");
    feed->safe_url = malloc(strlen(config->url) + 1);
    feed->camera = strdup(config->camera ? config->camera : feed->label);
    if (config->name && *config->name) {
        size_t size = strlen(feed->label) + strlen(config->name) + 4;
        feed->who = malloc(size);
        if (feed->who) {
            snprintf(feed->who, size, "%s \"%s\"", feed->label, config->name);
        }
    } else {
        feed->who = strdup(feed->label);
    }
    if (config->name && *config->name) {
        size_t size = strlen(feed->label) + strlen(config->name) + 4;
        feed->health_who = malloc(size);
        if (feed->health_who) {
            snprintf(feed->health_who, size, "%s (%s)", feed->label, config->name);
        }
    } else {
        feed->health_who = strdup(feed->label);
    }
    if (!feed->url || !feed->label || !feed->safe_url || !feed->camera || !feed->who ||
        !feed->health_who) {
        goto fail_strings;
    }
    atomic_init(&feed->picture, PICTURE_OFF);
    feed->told = PICTURE_OK;
    feed->judges = !config->replay && !config->record_only;
    if (config->picture_health && feed->judges) {
        feed->health = health_create(&config->health);
        if (!feed->health) {
            goto fail_strings;
        }
        feed->frozen_s = config->health.frozen_s;
        atomic_init(&feed->picture, PICTURE_LEARNING);
    }
    log_redact_url(config->url, feed->safe_url, strlen(config->url) + 1);
    feed->is_file = url_is_file(config->url);
    feed->ring = ring_ref(config->ring);
    feed->record_only = config->record_only;
    feed->replay = ring_ref(config->replay);
    feed->replay_from_us = config->replay_from_us;
    atomic_init(&feed->replay_speed, 1000);
    feed->hw_device = config->hw_device ? av_buffer_ref(config->hw_device) : NULL;
    feed->io_timeout_us =
        (int64_t)(config->io_timeout_ms > 0 ? config->io_timeout_ms : 5000) * 1000;
    feed->pace_base_us = INT64_MIN;
    feed->random = (unsigned)(uintptr_t)feed ^ (unsigned)av_gettime_relative();
    atomic_init(&feed->state, FEED_CONNECTING);
    atomic_init(&feed->codec, "");
    atomic_init(&feed->colour_space, -1);
    atomic_init(&feed->colour_full, -1);
    colour_init(&feed->colour, config->colour, config->range);
    report_init(&feed->report, feed->who);
    convert_init(&feed->convert, feed->label);
    scaler_init(&feed->scaler, feed->label);
    if (!init_sync(feed)) {
        log_error("feed", "%s: the system refuses a lock for it", feed->label);
        goto fail_strings;
    }
    if (pthread_create(&feed->thread, NULL, feed_thread, feed) != 0) {
        log_error("feed", "%s: cannot start a thread", feed->label);
        finish_sync(feed);
        goto fail_strings;
    }
    return feed;

fail_strings:
    health_destroy(feed->health);
    free(feed->health_who);
    ring_unref(feed->ring);
    ring_unref(feed->replay);
    av_buffer_unref(&feed->hw_device);
    free(feed->who);
    free(feed->camera);
    free(feed->safe_url);
    free(feed->label);
    free(feed->url);
    free(feed);
    return NULL;
}

void feed_destroy(struct feed *feed)
{
    if (!feed) {
        return;
    }
    pthread_mutex_lock(&feed->wait_lock);
    atomic_store(&feed->stop, true);
    pthread_cond_broadcast(&feed->wait_cond);
    pthread_mutex_unlock(&feed->wait_lock);
    if (feed->replay) {
        ring_wake(feed->replay); /* it may be waiting for the next packet */
    }
    pthread_join(feed->thread, NULL);
    ring_unref(feed->ring);
    ring_unref(feed->replay);

    finish_sync(feed);
    convert_finish(&feed->convert);
    scaler_finish(&feed->scaler);
    health_destroy(feed->health);
    av_buffer_unref(&feed->hw_device);
    free(feed->health_who);
    free(feed->who);
    free(feed->camera);
    free(feed->safe_url);
    free(feed->label);
    free(feed->url);
    free(feed);
}

void feed_set_target(struct feed *feed, const struct scale_target *target)
{
    pthread_mutex_lock(&feed->target_lock);
    feed->target = target ? *target : (struct scale_target){0};
    pthread_mutex_unlock(&feed->target_lock);
}

AVFrame *feed_take_frame(struct feed *feed)
{
    return mailbox_take(&feed->mailbox);
}

void feed_get_stats(struct feed *feed, struct feed_stats *out)
{
    out->state = (enum feed_state)atomic_load(&feed->state);
    out->packets = atomic_load(&feed->packets);
    out->bytes = atomic_load(&feed->bytes);
    out->frames_decoded = atomic_load(&feed->frames_decoded);
    out->frames_taken = atomic_load(&feed->mailbox.taken);
    out->frames_dropped = atomic_load(&feed->mailbox.dropped);
    out->reconnects = atomic_load(&feed->reconnects);
    out->last_frame_us = atomic_load(&feed->last_frame_us);
    out->width = atomic_load(&feed->width);
    out->height = atomic_load(&feed->height);
    out->fps = atomic_load(&feed->fps_milli) / 1000.0;
    out->reconnecting = atomic_load(&feed->reconnecting);
    out->decode = (enum feed_decode)atomic_load(&feed->decode);
    out->decode_us = atomic_load(&feed->decode_us);
    out->interval_us = atomic_load(&feed->interval_us);
    out->bitrate = atomic_load(&feed->bitrate);
    out->codec = atomic_load(&feed->codec);
    out->hardware = atomic_load(&feed->hardware);
    out->decode_errors = atomic_load(&feed->decode_errors);
    out->frames_held = atomic_load(&feed->frames_held);
    out->ffmpeg_messages = atomic_load(&feed->ffmpeg_messages);
    int space = atomic_load(&feed->colour_space);
    int full = atomic_load(&feed->colour_full);
    out->colour = space < 0 ? "" : colour_matrix_name(space);
    out->colour_from = colour_from_name((enum colour_from)atomic_load(&feed->colour_from));
    out->range = full < 0 ? "" : full ? "full" : "limited";
    out->replay_wall_us = atomic_load(&feed->replay_wall_us);
    out->picture = (enum picture_condition)atomic_load(&feed->picture);
    out->picture_since_us = atomic_load(&feed->picture_since_us);
    pthread_mutex_lock(&feed->error_lock);
    memcpy(out->last_error, feed->last_error, sizeof(out->last_error));
    pthread_mutex_unlock(&feed->error_lock);
}

void feed_record(struct feed *feed, struct ring *ring)
{
    ring_ref(ring);
    pthread_mutex_lock(&feed->target_lock);
    struct ring *old = feed->ring;
    feed->ring = ring;
    feed->ring_changes++;
    pthread_mutex_unlock(&feed->target_lock);
    ring_unref(old);
}

void feed_replay_control(struct feed *feed, const struct feed_replay *replay, int steps)
{
    int speed = replay->speed < 125 ? 125 : replay->speed > 8000 ? 8000 : replay->speed;
    pthread_mutex_lock(&feed->wait_lock);
    atomic_store(&feed->replay_speed, speed);
    atomic_store(&feed->replay_paused, replay->paused);
    atomic_fetch_add(&feed->replay_steps, steps);
    atomic_fetch_add(&feed->replay_changes, 1);
    pthread_cond_broadcast(&feed->wait_cond);
    pthread_mutex_unlock(&feed->wait_lock);
}

void feed_refuse_hardware(struct feed *feed)
{
    if (feed->hw_device && !atomic_exchange(&feed->hw_refused, true)) {
        log_warn("feed", "%s: its hardware frames cannot be shown: decoding in software",
                 feed->label);
    }
}

void feed_set_decode(struct feed *feed, enum feed_decode decode)
{
    if (atomic_exchange(&feed->decode, (int)decode) != (int)decode) {
        if (decode == FEED_DECODE_KEYFRAMES) {
            log_debug("feed", "%s: decoding key frames only (budget)", feed->label);
        } else {
            log_debug("feed", "%s: decoding every frame", feed->label);
        }
    }
}

bool feed_stats_stale(const struct feed_stats *stats, int64_t now_us)
{
    if (stats->state != FEED_LIVE || stats->last_frame_us == 0) {
        return false;
    }
    /* Key-frame-only feeds legitimately go a GOP (seconds) between frames. */
    int64_t floor =
        stats->decode == FEED_DECODE_KEYFRAMES ? 5 * FEED_STALE_MIN_US : FEED_STALE_MIN_US;
    int64_t limit = 4 * stats->interval_us;
    if (limit < floor) {
        limit = floor;
    }
    return now_us - stats->last_frame_us > limit;
}
