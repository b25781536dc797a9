#include "ring_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Packet `tag` (its payload is the byte `tag`), a key frame or not. Aborts
 * when out of memory: it also runs on threads where cmocka cannot fail. */
void ringtest_push(struct ring *ring, bool key, int tag, int64_t arrival_us)
{
    AVPacket *packet = av_packet_alloc();
    if (!packet || av_new_packet(packet, PAYLOAD) < 0) {
        abort();
    }
    memset(packet->data, tag & 0xff, PAYLOAD);
    packet->flags = key ? AV_PKT_FLAG_KEY : 0;
    packet->pts = packet->dts = tag;
    ring_push(ring, packet, arrival_us, WALL_OFFSET + arrival_us);
    av_packet_free(&packet); /* the ring keeps its own reference */
}

/* Packets from..to-1, tagged with their index, a key frame every `gop`,
 * arriving `step_us` apart from 0. */
void ringtest_push_run(struct ring *ring, int from, int to, int gop, int64_t step_us)
{
    for (int i = from; i < to; i++) {
        ringtest_push(ring, i % gop == 0, i, i * step_us);
    }
}

void ringtest_begin(struct ring *ring, int width)
{
    AVCodecParameters *par = avcodec_parameters_alloc();
    assert_non_null(par);
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->codec_id = AV_CODEC_ID_H264;
    par->width = width;
    par->height = 360;
    ring_begin(ring, par, (AVRational){1, 90000});
    avcodec_parameters_free(&par);
}

struct ring_stats ringtest_stats_of(struct ring *ring)
{
    struct ring_stats st;
    ring_get_stats(ring, &st);
    return st;
}

struct ring_pool_stats ringtest_pool_stats_of(struct ring_pool *pool)
{
    struct ring_pool_stats st;
    ring_pool_get_stats(pool, &st);
    return st;
}

/* The sequence number of the ring's first packet (-1: empty). */
int64_t ringtest_first_seq(struct ring *ring)
{
    return ring_find_key(ring, INT64_MIN, NULL);
}
