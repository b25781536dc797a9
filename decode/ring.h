/*
 * Pre-roll: a camera's last seconds of compressed video packets, kept in
 * memory so that a tile can be replayed, and exported as evidence, with no
 * recording server behind the wall.
 *
 * A ring holds packets, not pictures (30 s of a 1 Mbit/s stream is about
 * 4 MB), by reference (av_packet_ref: no copy of what the demuxer read). It
 * always starts at a key frame: packets are dropped a GOP at a time, from
 * the front, once the next GOP alone covers the pool's `keep` seconds, or
 * when the pool is over its memory cap; then the GOP dropped is the oldest
 * of every ring in the pool. A GOP still being received is never dropped
 * by age, only by the cap.
 *
 * Packets come in segments: a segment is what one connection to one stream
 * sent (its codec parameters: codec, size); a reconnect or a switch
 * between the camera's sub and main streams begins the next one. Readers
 * see the segment of every packet and reopen their decoder or end their
 * file where it changes.
 *
 * Every packet has a sequence number (from 0, never reused). Readers keep
 * the number of the next packet they want and read one packet at a time;
 * a number the ring has dropped meanwhile is reported, not silently
 * skipped.
 *
 * Ownership: the pool outlives its rings (ring_pool_destroy() after the
 * last ring_unref()). Rings are reference counted: the feed that fills one
 * and each reader (a replay, an export) hold a reference. Packets read out
 * are references the reader frees.
 *
 * Threads: any. One mutex per pool guards every ring in it (a push is a
 * pointer append; the cap needs a view of all rings at once).
 */
#ifndef WALL_DECODE_RING_H
#define WALL_DECODE_RING_H

#include <stdbool.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>

struct ring;
struct ring_pool;

/* One segment's codec parameters, shared by its packets; read only. */
struct ring_segment {
    AVCodecParameters *par;
    AVRational time_base; /* of the packets' timestamps */
    int id;               /* counts segments of one ring, from 1 */
};

/* A packet read out of a ring: the reader owns `packet` and a reference to
 * `segment` (ring_packet_finish() drops both). */
struct ring_packet {
    AVPacket *packet;
    const struct ring_segment *segment;
    int64_t seq;
    int64_t arrival_us; /* av_gettime_relative() when it was read from the camera */
    int64_t wall_us;    /* the wall-clock time then (µs since 1970) */
};

struct ring_pool_stats {
    int64_t bytes;    /* in every ring together */
    int64_t cap;      /* the memory cap */
    int64_t keep_us;  /* what each ring keeps */
    int rings;        /* rings alive */
    uint64_t evicted; /* packets dropped for the cap (not for age) */
};

struct ring_stats {
    int64_t bytes;
    int64_t span_us; /* from its first packet to its last; 0: empty */
    int64_t packets;
    bool ended;
};

/* What ring_read() found. */
enum ring_read {
    RING_PACKET,  /* `out` holds the packet asked for, or the first after it */
    RING_WAIT,    /* not received yet: wait (ring_wait) and ask again */
    RING_DROPPED, /* dropped meanwhile; `out->seq` says where the ring starts now */
    RING_ENDED,   /* nothing more will come: the feed closed */
};

/* `cap_bytes` over all rings; each keeps `keep_us`. NULL: out of memory. */
struct ring_pool *ring_pool_create(int64_t cap_bytes, int64_t keep_us);
/* After every ring is unreferenced. NULL-safe. */
void ring_pool_destroy(struct ring_pool *pool);
/* New limits (a reload): applied at once, dropping what they no longer allow. */
void ring_pool_set_limits(struct ring_pool *pool, int64_t cap_bytes, int64_t keep_us);
void ring_pool_get_stats(struct ring_pool *pool, struct ring_pool_stats *out);

/* An empty ring in `pool`, with one reference. `label` names it in logs
 * ("camera 101"); copied. NULL: out of memory. */
struct ring *ring_create(struct ring_pool *pool, const char *label);
struct ring *ring_ref(struct ring *ring);
/* NULL-safe; the last reference frees the ring and its packets. */
void ring_unref(struct ring *ring);

/* Writer (one feed at a time). A new segment begins with these codec
 * parameters; packets until its first key frame are not kept. */
void ring_begin(struct ring *ring, const AVCodecParameters *par, AVRational time_base);
/* Appends a reference to `packet` (of the current segment). */
void ring_push(struct ring *ring, const AVPacket *packet, int64_t arrival_us, int64_t wall_us);
/* The writer is gone: readers waiting are woken with RING_ENDED once they
 * read past the last packet. */
void ring_end(struct ring *ring);

void ring_get_stats(struct ring *ring, struct ring_stats *out);

/* Whether anyone besides the caller holds a reference (a replay, an
 * export reading it). Any thread; a hint that may change at once. */
bool ring_shared(struct ring *ring);

/* A reader that needs the stream to stay as it is (an export: an MP4
 * cannot change codec parameters midway) says so while it reads; the
 * writer's owner asks ring_held() before switching streams. Any thread. */
void ring_hold(struct ring *ring, bool hold);
bool ring_held(struct ring *ring);

/* The sequence number of the last key frame that arrived at or before
 * `arrival_us`, else the ring's first packet (a key frame); -1 when the
 * ring is empty. `*first_arrival_us` (may be NULL): when that packet
 * arrived. */
int64_t ring_find_key(struct ring *ring, int64_t arrival_us, int64_t *first_arrival_us);

/* Reads packet `seq`; see enum ring_read. */
enum ring_read ring_read(struct ring *ring, int64_t seq, struct ring_packet *out);

/* Waits until packet `seq` may have arrived, the ring ended, or
 * `until_us` (av_gettime_relative) passed, or ring_wake() was called. */
void ring_wait(struct ring *ring, int64_t seq, int64_t until_us);
/* Wakes every reader waiting in ring_wait() (a reader stopping). */
void ring_wake(struct ring *ring);

void ring_packet_finish(struct ring_packet *p);

/* Copies of a segment reference, for readers that keep one. */
const struct ring_segment *ring_segment_ref(const struct ring_segment *segment);
void ring_segment_unref(const struct ring_segment *segment);

#endif
