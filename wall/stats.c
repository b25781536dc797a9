#include "wall/stats.h"

#include <errno.h>
#include <string.h>

#include <libavutil/time.h>

#include "common/log.h"
#include "decode/ring.h"
#include "wall/cpustat.h"
#include "wall/mask.h"

void stats_feed_figures(const struct source *source, int64_t now_us, struct stats_feed *out)
{
    struct feed_stats *st = &out->feed;
    feed_get_stats(source->feed, st);
    out->stale = feed_stats_stale(st, now_us);
    out->age_us = st->last_frame_us ? now_us - st->last_frame_us : -1;
    out->decode_ms =
        st->frames_decoded ? (double)st->decode_us / 1000.0 / (double)st->frames_decoded : 0;
}

static void write_feed(struct json *j, const struct source *source, int64_t now)
{
    struct stats_feed figures;
    stats_feed_figures(source, now, &figures);
    const struct feed_stats st = figures.feed;
    char url[1024];
    log_redact_url(source->camera->url, url, sizeof(url));
    double decode_ms = figures.decode_ms;
    long long age_ms = figures.age_us >= 0 ? (long long)figures.age_us / 1000 : -1;
    json_begin_object(j);
    json_field_int(j, "camera", source->camera->number);
    json_field_string(j, "name", source->camera->name);
    json_field_string(j, "url", url);
    json_field_string(j, "stream", sources_stream_name(source->stream));
    json_field_bool(j, "hardware", st.hardware);
    json_field_string(j, "state", feed_state_name(st.state));
    json_field_bool(j, "stale", figures.stale);
    json_field_bool(j, "reconnecting", st.reconnecting);
    json_field_string(j, "codec", st.codec);
    json_field_int(j, "width", st.width);
    json_field_int(j, "height", st.height);
    json_field_string(j, "decode", st.decode == FEED_DECODE_KEYFRAMES ? "keyframes" : "all");
    json_field_uint(j, "packets", st.packets);
    json_field_uint(j, "bytes", st.bytes);
    json_field_int(j, "bitrate", st.bitrate);
    json_field_uint(j, "frames_decoded", st.frames_decoded);
    json_field_uint(j, "frames_shown", source->frames_shown);
    json_field_uint(j, "frames_dropped", st.frames_dropped);
    json_field_double(j, "decode_ms_per_frame", decode_ms, 3);
    json_field_int(j, "frame_age_ms", age_ms);
    json_field_int(j, "max_gap_ms", source->max_gap_us / 1000);
    json_field_uint(j, "reconnects", st.reconnects);
    json_field_uint(j, "decode_errors", st.decode_errors);
    json_field_uint(j, "frames_held", st.frames_held);
    json_field_uint(j, "ffmpeg_messages", st.ffmpeg_messages);
    json_field_string(j, "colour", st.colour);
    json_field_string(j, "colour_from", st.colour_from);
    json_field_string(j, "range", st.range);
    json_field_string(j, "last_error", st.last_error);
    json_field_string(j, "picture", picture_condition_name(st.picture));
    json_field_int(j, "picture_since_ms",
                   st.picture_since_us > 0 ? (now - st.picture_since_us) / 1000 : 0);
    json_field_string(j, "masks",
                      mask_status_name(source->camera, source->mask, source->mask_raster));
    struct ring_stats ring = {0};
    if (source->ring) {
        ring_get_stats(source->ring, &ring);
    }
    json_field_int(j, "ring_bytes", ring.bytes);
    json_field_double(j, "ring_seconds", ring.span_us / 1e6, 2);
    json_field_bool(j, "evidence_main", source->evidence != NULL);
    json_end_object(j);
}

void stats_write_json(struct json *j, const struct source_set *sources,
                      const struct stats_wall *wall)
{
    int64_t now = av_gettime_relative();
    int masks_failed = 0;
    json_begin_object(j);
    json_field_uint(j, "frames_rendered", wall->frames_rendered);
    json_key(j, "feeds");
    json_begin_array(j);
    for (int i = 0; i < sources->n; i++) {
        const struct source *source = sources_get(sources, i);
        if (source->feed) {
            json_break(j);
            write_feed(j, source, now);
            masks_failed += mask_failed(source->camera, source->mask, source->mask_raster);
        }
    }
    json_break(j);
    json_end_array(j);
    json_key(j, "output");
    json_begin_object(j);
    json_field_uint(j, "frames_drawn", wall->frames_drawn);
    json_field_double(j, "fps", wall->output_fps, 1);
    json_field_double(j, "target_fps", wall->target_fps, 1);
    json_field_double(j, "nominal_fps", wall->nominal_fps, 1);
    json_field_double(j, "draw_ms", wall->draw_ms, 2);
    json_end_object(j);
    json_key(j, "budget");
    json_begin_object(j);
    json_field_double(j, "decode_capacity", wall->decode_capacity, 0);
    json_field_double(j, "decode_demand", wall->decode_demand, 0);
    json_field_int(j, "reduced", wall->reduced);
    json_end_object(j);
    json_field_int(j, "masks_failed", masks_failed);
    struct cpu_split cpu;
    if (cpustat_read(&cpu)) {
        json_key(j, "cpu_seconds");
        json_begin_object(j);
        json_field_double(j, "feed", cpu.feed, 3);
        json_field_double(j, "render", cpu.render, 3);
        json_field_double(j, "gl", cpu.gl, 3);
        json_field_double(j, "other", cpu.other, 3);
        json_end_object(j);
    }
    json_field_int(j, "rss_kb", cpustat_rss_kb());
    json_field_uint(j, "reloads", wall->reloads);
    json_field_uint(j, "reloads_failed", wall->reloads_failed);
    json_field_uint(j, "audit_lines", wall->audit_lines);
    if (wall->more) {
        wall->more(j, wall->more_of);
    }
    json_end_object(j);
}

void stats_print_json(FILE *out, const struct source_set *sources, const struct stats_wall *wall)
{
    struct json j;
    json_init(&j, out, false);
    stats_write_json(&j, sources, wall);
    fputc('\n', out);
    if (fflush(out) != 0 || ferror(out)) {
        log_warn("stats", "cannot write the statistics: %s", strerror(errno));
    }
}
