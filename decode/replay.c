/* A replay: the feed thread of a feed that reads a camera's pre-roll
 * (decode/ring.h) instead of its stream, and plays it at the speed the
 * operator asks for, on a decoder of its own. */
#include <string.h>

#include <libavutil/time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "decode/feed_impl.h"

/* How long one wait for the next packet lasts before the controls are
 * looked at again (a wait is also cut short by any control change). */
#define EDGE_WAIT_US 200000

struct player {
    struct session s;
    const struct ring_segment *segment; /* the decoder's; a reference */
    int64_t seq;                        /* the next packet to read */
    /* The clock: the packet that arrived at base_arrival_us is shown at
     * base_now_us; later ones at their arrival distance, divided by the
     * speed. base_now_us 0: not running (paused, or before the start). */
    int64_t base_arrival_us, base_now_us;
    int speed; /* per mille */
    unsigned changes;
};

static void set_error(struct feed *feed, const char *text)
{
    pthread_mutex_lock(&feed->error_lock);
    snprintf(feed->last_error, sizeof(feed->last_error), "%s", text);
    pthread_mutex_unlock(&feed->error_lock);
}

/* Sleeps until `until_us` unless the feed stops or a control changes. */
static void wait_control(struct feed *feed, struct player *p, int64_t until_us)
{
    feed_wait_until(feed, until_us, &feed->replay_changes, p->changes);
}

/* The decoder for the packet's segment: a new segment (a reconnect, a new
 * size or codec) gets a new decoder, which starts at its key frame. */
static int follow_segment(struct feed *feed, struct player *p, const struct ring_packet *packet)
{
    if (packet->segment == p->segment) {
        /* No decoder: this segment's would not open (said once); skip it. */
        return p->s.decoder ? 0 : AVERROR_DECODER_NOT_FOUND;
    }
    avcodec_free_context(&p->s.decoder);
    ring_segment_unref(p->segment);
    p->segment = ring_segment_ref(packet->segment);
    int ret = session_open_codec(feed, &p->s, p->segment->par, p->segment->time_base);
    if (ret < 0) {
        /* A context that failed to open must not be fed: libavcodec
         * refuses the packet, and flushing it then crashes. */
        avcodec_free_context(&p->s.decoder);
        log_warn("feed", "%s: replay cannot decode segment %d: %s", feed->label, p->segment->id,
                 av_err2str(ret));
    }
    return ret;
}

/* Holds the packet until it is due by the replay clock. False when the
 * controls changed meanwhile (the caller looks at them again). */
static bool due(struct feed *feed, struct player *p, const struct ring_packet *packet)
{
    int64_t now = av_gettime_relative();
    if (p->base_now_us == 0) {
        p->base_now_us = now;
        p->base_arrival_us = packet->arrival_us;
    }
    int64_t at = p->base_now_us + (packet->arrival_us - p->base_arrival_us) * 1000 / p->speed;
    if (at <= now) {
        return true;
    }
    wait_control(feed, p, at);
    return atomic_load(&feed->replay_changes) == p->changes && !atomic_load(&feed->stop);
}

/* Takes the operator's controls; the clock restarts from the next packet
 * whenever the speed changes or the replay pauses. Returns whether paused
 * with no step to make. */
static bool controls(struct feed *feed, struct player *p)
{
    unsigned changes = atomic_load(&feed->replay_changes);
    if (changes != p->changes) {
        p->changes = changes;
        p->speed = atomic_load(&feed->replay_speed);
        p->base_now_us = 0;
    }
    return atomic_load(&feed->replay_paused) && atomic_load(&feed->replay_steps) <= 0;
}

/* Decodes one packet. While paused, a picture that comes out uses a step. */
static int play(struct feed *feed, struct player *p, const struct ring_packet *packet)
{
    bool paused = atomic_load(&feed->replay_paused);
    if (!p->s.quiet && !paused && !due(feed, p, packet)) {
        return 1; /* the controls changed: read this packet again */
    }
    if (follow_segment(feed, p, packet) < 0) {
        return 0; /* skipped; the next segment may decode */
    }
    uint64_t shown = p->s.frames;
    atomic_store(&feed->replay_wall_us, packet->wall_us);
    int ret = session_decode(feed, &p->s, packet->packet);
    if (paused && p->s.frames > shown) {
        atomic_fetch_sub(&feed->replay_steps, 1);
    }
    return ret < 0 ? ret : 0;
}

/* A packet the ring dropped before the replay read it (paused longer than
 * the pre-roll lasts): go on from the oldest packet it still has. */
static void fell_behind(struct feed *feed, struct player *p, int64_t first)
{
    log_info("feed", "%s: the replay fell behind the pre-roll: going on from its oldest picture",
             feed->label);
    p->seq = first;
    p->base_now_us = 0;
    if (p->s.decoder) {
        avcodec_flush_buffers(p->s.decoder);
    }
    p->s.clean = false;
}

void replay_run(struct feed *feed)
{
    struct player p = {.speed = 1000};
    p.s.frame = av_frame_alloc();
    p.s.stage = STAGE_LIVE;
    p.seq = ring_find_key(feed->replay, feed->replay_from_us, NULL);
    if (!p.s.frame || p.seq < 0) {
        set_error(feed, p.seq < 0 ? _("no pre-roll to replay") : _("out of memory"));
        atomic_store(&feed->state, FEED_NO_SIGNAL);
        p.seq = 0;
    }
    p.s.quiet = true; /* until the packet the operator asked for */
    while (!atomic_load(&feed->stop)) {
        if (controls(feed, &p)) {
            wait_control(feed, &p, av_gettime_relative() + EDGE_WAIT_US * 5);
            continue;
        }
        struct ring_packet packet;
        enum ring_read got = ring_read(feed->replay, p.seq, &packet);
        if (got == RING_WAIT) {
            ring_wait(feed->replay, p.seq, av_gettime_relative() + EDGE_WAIT_US);
            continue;
        }
        if (got == RING_ENDED) {
            /* ring_wait() returns at once on an ended ring: rest on the
             * controls instead of spinning until a writer begins again. */
            set_error(feed, _("the camera's stream closed: nothing more to replay"));
            wait_control(feed, &p, av_gettime_relative() + EDGE_WAIT_US);
            continue;
        }
        if (got == RING_DROPPED) {
            fell_behind(feed, &p, packet.seq);
            continue;
        }
        if (p.s.quiet && packet.arrival_us >= feed->replay_from_us) {
            p.s.quiet = false;
        }
        int ret = play(feed, &p, &packet);
        ring_packet_finish(&packet);
        if (ret < 0) {
            break;
        }
        p.seq += ret == 0; /* 1: read it again under the new controls */
    }
    ring_segment_unref(p.segment);
    session_close(&p.s);
}
