#include "decode/ring.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/time.h>

#include "common/log.h"

/* What a kept packet costs besides its payload: the AVPacket, its buffer
 * reference and padding, the entry. Counted so the cap holds for small
 * packets too. */
#define PACKET_OVERHEAD 256

struct segment {
    struct ring_segment pub;
    atomic_int refs;
};

struct entry {
    AVPacket *packet;
    struct segment *segment;
    int64_t arrival_us, wall_us;
    int64_t cost;
    bool key;
};

struct ring {
    struct ring_pool *pool;
    struct ring *prev, *next; /* the pool's list; pool->lock */
    char *label;
    atomic_int refs;
    atomic_int holds;    /* readers that need the stream unchanged (ring_hold) */
    pthread_cond_t cond; /* with pool->lock: a packet came, the ring ended */
    /* Guarded by pool->lock. */
    struct entry *entries; /* circular, `capacity` of them */
    int capacity, head, count;
    int64_t first_seq; /* of entries[head] */
    int64_t bytes;
    struct segment *current; /* what the writer sends now */
    int segments;
    bool need_key; /* drop packets until a key frame */
    bool ended;
    unsigned wakes;
};

struct ring_pool {
    pthread_mutex_t lock;
    struct ring *rings; /* guarded by lock, as is everything below */
    int n_rings;
    int64_t bytes, cap, keep_us;
    uint64_t evicted;
};

static int64_t monotonic_deadline(int64_t until_us, struct timespec *ts)
{
    int64_t left = until_us - av_gettime_relative();
    clock_gettime(CLOCK_MONOTONIC, ts);
    if (left < 0) {
        left = 0;
    }
    int64_t ns = ts->tv_nsec + (left % 1000000) * 1000;
    ts->tv_sec += (time_t)(left / 1000000 + ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
    return left;
}

struct ring_pool *ring_pool_create(int64_t cap_bytes, int64_t keep_us)
{
    struct ring_pool *pool = calloc(1, sizeof(*pool));
    if (!pool) {
        return NULL;
    }
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool);
        return NULL;
    }
    pool->cap = cap_bytes;
    pool->keep_us = keep_us;
    return pool;
}

void ring_pool_destroy(struct ring_pool *pool)
{
    if (!pool) {
        return;
    }
    if (pool->rings) {
        log_error("ring", "%d pre-roll rings outlive their pool", pool->n_rings);
        return; /* leaked rather than freed under their holders */
    }
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}

const struct ring_segment *ring_segment_ref(const struct ring_segment *segment)
{
    if (segment) {
        atomic_fetch_add(&((struct segment *)segment)->refs, 1);
    }
    return segment;
}

void ring_segment_unref(const struct ring_segment *segment)
{
    struct segment *s = (struct segment *)segment;
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        avcodec_parameters_free(&s->pub.par);
        free(s);
    }
}

static struct entry *at(struct ring *ring, int i)
{
    return &ring->entries[(ring->head + i) % ring->capacity];
}

/* Drops the first packet. pool->lock held. */
static void drop_first(struct ring *ring)
{
    struct entry *e = at(ring, 0);
    av_packet_free(&e->packet);
    ring_segment_unref(&e->segment->pub);
    ring->bytes -= e->cost;
    ring->pool->bytes -= e->cost;
    ring->head = (ring->head + 1) % ring->capacity;
    ring->count--;
    ring->first_seq++;
}

/* The index of the second GOP's key frame, or -1 when there is one GOP. */
static int second_key(struct ring *ring)
{
    for (int i = 1; i < ring->count; i++) {
        if (at(ring, i)->key) {
            return i;
        }
    }
    return -1;
}

/* Drops the first GOP (all of the ring when it has only one). Returns the
 * packets dropped. pool->lock held. */
static int drop_gop(struct ring *ring)
{
    int n = second_key(ring);
    if (n < 0) {
        n = ring->count;
        ring->need_key = true; /* what comes next would start mid-GOP */
    }
    for (int i = 0; i < n; i++) {
        drop_first(ring);
    }
    return n;
}

/* Keeps what `keep_us` asks for: the GOP that starts at or before the
 * newest packet minus keep, and what follows. pool->lock held. */
static void trim_age(struct ring *ring)
{
    if (ring->count == 0) {
        return;
    }
    int64_t newest = at(ring, ring->count - 1)->arrival_us;
    for (;;) {
        int k = second_key(ring);
        if (k < 0 || at(ring, k)->arrival_us > newest - ring->pool->keep_us) {
            return;
        }
        drop_gop(ring);
    }
}

/* Drops the oldest GOPs of the pool until it is under its cap. */
static void trim_cap(struct ring_pool *pool)
{
    while (pool->bytes > pool->cap) {
        struct ring *oldest = NULL;
        for (struct ring *r = pool->rings; r; r = r->next) {
            if (r->count > 0 && (!oldest || at(r, 0)->arrival_us < at(oldest, 0)->arrival_us)) {
                oldest = r;
            }
        }
        if (!oldest) {
            return;
        }
        pool->evicted += (uint64_t)drop_gop(oldest);
    }
}

void ring_pool_set_limits(struct ring_pool *pool, int64_t cap_bytes, int64_t keep_us)
{
    pthread_mutex_lock(&pool->lock);
    pool->cap = cap_bytes;
    pool->keep_us = keep_us;
    for (struct ring *r = pool->rings; r; r = r->next) {
        trim_age(r);
    }
    trim_cap(pool);
    pthread_mutex_unlock(&pool->lock);
}

void ring_pool_get_stats(struct ring_pool *pool, struct ring_pool_stats *out)
{
    pthread_mutex_lock(&pool->lock);
    *out = (struct ring_pool_stats){
        .bytes = pool->bytes,
        .cap = pool->cap,
        .keep_us = pool->keep_us,
        .rings = pool->n_rings,
        .evicted = pool->evicted,
    };
    pthread_mutex_unlock(&pool->lock);
}

struct ring *ring_create(struct ring_pool *pool, const char *label)
{
    struct ring *ring = calloc(1, sizeof(*ring));
    if (!ring) {
        return NULL;
    }
    ring->label = strdup(label ? label : "ring");
    pthread_condattr_t attr;
    bool cond = false;
    if (ring->label && pthread_condattr_init(&attr) == 0) {
        cond = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
               pthread_cond_init(&ring->cond, &attr) == 0;
        pthread_condattr_destroy(&attr);
    }
    if (!cond) {
        free(ring->label);
        free(ring);
        return NULL;
    }
    ring->pool = pool;
    ring->need_key = true;
    atomic_init(&ring->refs, 1);
    atomic_init(&ring->holds, 0);
    pthread_mutex_lock(&pool->lock);
    ring->next = pool->rings;
    if (pool->rings) {
        pool->rings->prev = ring;
    }
    pool->rings = ring;
    pool->n_rings++;
    pthread_mutex_unlock(&pool->lock);
    return ring;
}

struct ring *ring_ref(struct ring *ring)
{
    if (ring) {
        atomic_fetch_add(&ring->refs, 1);
    }
    return ring;
}

void ring_unref(struct ring *ring)
{
    if (!ring || atomic_fetch_sub(&ring->refs, 1) != 1) {
        return;
    }
    struct ring_pool *pool = ring->pool;
    pthread_mutex_lock(&pool->lock);
    while (ring->count > 0) {
        drop_first(ring);
    }
    if (ring->prev) {
        ring->prev->next = ring->next;
    } else {
        pool->rings = ring->next;
    }
    if (ring->next) {
        ring->next->prev = ring->prev;
    }
    pool->n_rings--;
    pthread_mutex_unlock(&pool->lock);
    ring_segment_unref(ring->current ? &ring->current->pub : NULL);
    pthread_cond_destroy(&ring->cond);
    free(ring->entries);
    free(ring->label);
    free(ring);
}

void ring_begin(struct ring *ring, const AVCodecParameters *par, AVRational time_base)
{
    struct segment *s = calloc(1, sizeof(*s));
    if (s) {
        s->pub.par = avcodec_parameters_alloc();
        if (!s->pub.par || avcodec_parameters_copy(s->pub.par, par) < 0) {
            avcodec_parameters_free(&s->pub.par);
            free(s);
            s = NULL;
        }
    }
    if (s) {
        s->pub.time_base = time_base;
        atomic_init(&s->refs, 1);
    } else {
        log_warn("ring", "%s: out of memory: no pre-roll until the next connection", ring->label);
    }
    pthread_mutex_lock(&ring->pool->lock);
    struct segment *old = ring->current;
    ring->current = s;
    if (s) {
        s->pub.id = ++ring->segments;
    }
    ring->need_key = true;
    ring->ended = false;
    pthread_mutex_unlock(&ring->pool->lock);
    ring_segment_unref(old ? &old->pub : NULL);
}

static bool grow(struct ring *ring)
{
    if (ring->count < ring->capacity) {
        return true;
    }
    int capacity = ring->capacity ? ring->capacity * 2 : 256;
    struct entry *entries = malloc((size_t)capacity * sizeof(*entries));
    if (!entries) {
        return false;
    }
    for (int i = 0; i < ring->count; i++) {
        entries[i] = *at(ring, i);
    }
    free(ring->entries);
    ring->entries = entries;
    ring->capacity = capacity;
    ring->head = 0;
    return true;
}

void ring_push(struct ring *ring, const AVPacket *packet, int64_t arrival_us, int64_t wall_us)
{
    bool key = packet->flags & AV_PKT_FLAG_KEY;
    struct ring_pool *pool = ring->pool;
    pthread_mutex_lock(&pool->lock);
    if (!ring->current || (ring->need_key && !key) || !grow(ring)) {
        pthread_mutex_unlock(&pool->lock);
        return;
    }
    AVPacket *copy = av_packet_alloc();
    if (!copy || av_packet_ref(copy, packet) < 0) {
        av_packet_free(&copy);
        pthread_mutex_unlock(&pool->lock);
        return;
    }
    ring->need_key = false;
    struct entry *e = &ring->entries[(ring->head + ring->count) % ring->capacity];
    *e = (struct entry){
        .packet = copy,
        .segment = ring->current,
        .arrival_us = arrival_us,
        .wall_us = wall_us,
        .cost = packet->size + PACKET_OVERHEAD,
        .key = key,
    };
    ring_segment_ref(&ring->current->pub);
    ring->count++;
    ring->bytes += e->cost;
    pool->bytes += e->cost;
    trim_age(ring);
    trim_cap(pool);
    pthread_cond_broadcast(&ring->cond);
    pthread_mutex_unlock(&pool->lock);
}

void ring_end(struct ring *ring)
{
    if (!ring) {
        return;
    }
    pthread_mutex_lock(&ring->pool->lock);
    ring->ended = true;
    pthread_cond_broadcast(&ring->cond);
    pthread_mutex_unlock(&ring->pool->lock);
}

bool ring_shared(struct ring *ring)
{
    return ring && atomic_load(&ring->refs) > 1;
}

void ring_hold(struct ring *ring, bool hold)
{
    atomic_fetch_add(&ring->holds, hold ? 1 : -1);
}

bool ring_held(struct ring *ring)
{
    return ring && atomic_load(&ring->holds) > 0;
}

void ring_get_stats(struct ring *ring, struct ring_stats *out)
{
    pthread_mutex_lock(&ring->pool->lock);
    *out = (struct ring_stats){.bytes = ring->bytes, .packets = ring->count, .ended = ring->ended};
    if (ring->count > 0) {
        out->span_us = at(ring, ring->count - 1)->arrival_us - at(ring, 0)->arrival_us;
    }
    pthread_mutex_unlock(&ring->pool->lock);
}

int64_t ring_find_key(struct ring *ring, int64_t arrival_us, int64_t *first_arrival_us)
{
    pthread_mutex_lock(&ring->pool->lock);
    int found = ring->count > 0 ? 0 : -1;
    for (int i = 1; i < ring->count && at(ring, i)->arrival_us <= arrival_us; i++) {
        if (at(ring, i)->key) {
            found = i;
        }
    }
    int64_t seq = found < 0 ? -1 : ring->first_seq + found;
    if (first_arrival_us) {
        *first_arrival_us = found < 0 ? 0 : at(ring, found)->arrival_us;
    }
    pthread_mutex_unlock(&ring->pool->lock);
    return seq;
}

enum ring_read ring_read(struct ring *ring, int64_t seq, struct ring_packet *out)
{
    *out = (struct ring_packet){.seq = seq};
    pthread_mutex_lock(&ring->pool->lock);
    enum ring_read result;
    int64_t next = ring->first_seq + ring->count;
    if (seq < ring->first_seq) {
        out->seq = ring->first_seq;
        result = RING_DROPPED;
    } else if (seq >= next) {
        result = ring->ended ? RING_ENDED : RING_WAIT;
    } else {
        const struct entry *e = at(ring, (int)(seq - ring->first_seq));
        out->packet = av_packet_alloc();
        if (out->packet && av_packet_ref(out->packet, e->packet) == 0) {
            out->segment = ring_segment_ref(&e->segment->pub);
            out->arrival_us = e->arrival_us;
            out->wall_us = e->wall_us;
            result = RING_PACKET;
        } else {
            av_packet_free(&out->packet);
            result = RING_WAIT; /* out of memory: try again */
        }
    }
    pthread_mutex_unlock(&ring->pool->lock);
    return result;
}

void ring_wait(struct ring *ring, int64_t seq, int64_t until_us)
{
    pthread_mutex_lock(&ring->pool->lock);
    unsigned wakes = ring->wakes;
    while (seq >= ring->first_seq + ring->count && !ring->ended && ring->wakes == wakes) {
        struct timespec ts;
        if (monotonic_deadline(until_us, &ts) == 0) {
            break;
        }
        pthread_cond_timedwait(&ring->cond, &ring->pool->lock, &ts);
    }
    pthread_mutex_unlock(&ring->pool->lock);
}

void ring_wake(struct ring *ring)
{
    pthread_mutex_lock(&ring->pool->lock);
    ring->wakes++;
    pthread_cond_broadcast(&ring->cond);
    pthread_mutex_unlock(&ring->pool->lock);
}

void ring_packet_finish(struct ring_packet *p)
{
    av_packet_free(&p->packet);
    ring_segment_unref(p->segment);
    p->segment = NULL;
}
