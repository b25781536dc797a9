#include "wall/stats.h"

#include <stdbool.h>

#include <libavutil/time.h>

#include "common/log.h"
#include "wall/cpustat.h"

void stats_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            fputc(c, out);
        }
    }
    fputc('"', out);
}

static void print_feed(FILE *out, const struct source *source, int64_t now)
{
    struct feed_stats st;
    feed_get_stats(source->feed, &st);
    char url[1024];
    log_redact_url(source->camera->url, url, sizeof(url));
    fprintf(out, "  {\"camera\": %d, \"name\": ", source->camera->number);
    stats_json_string(out, source->camera->name);
    fputs(", \"url\": ", out);
    stats_json_string(out, url);
    double decode_ms = st.frames_decoded ? (double)st.decode_us / 1000.0 / st.frames_decoded : 0;
    long long age_ms = st.last_frame_us ? (long long)(now - st.last_frame_us) / 1000 : -1;
    fprintf(out, ", \"stream\": \"%s\", \"hardware\": %s", sources_stream_name(source->stream),
            st.hardware ? "true" : "false");
    fprintf(out,
            ", \"state\": \"%s\", \"stale\": %s, \"reconnecting\": %s, \"codec\": \"%s\", "
            "\"width\": %d, \"height\": %d, \"decode\": \"%s\", \"packets\": %llu, "
            "\"bytes\": %llu, \"bitrate\": %lld, \"frames_decoded\": %llu, "
            "\"frames_shown\": %llu, \"frames_dropped\": %llu, \"decode_ms_per_frame\": %.3f, "
            "\"frame_age_ms\": %lld, \"max_gap_ms\": %lld, \"reconnects\": %u",
            feed_state_name(st.state), feed_stats_stale(&st, now) ? "true" : "false",
            st.reconnecting ? "true" : "false", st.codec, st.width, st.height,
            st.decode == FEED_DECODE_KEYFRAMES ? "keyframes" : "all",
            (unsigned long long)st.packets, (unsigned long long)st.bytes, (long long)st.bitrate,
            (unsigned long long)st.frames_decoded, (unsigned long long)source->frames_shown,
            (unsigned long long)st.frames_dropped, decode_ms, age_ms,
            (long long)(source->max_gap_us / 1000), st.reconnects);
    fprintf(out,
            ", \"decode_errors\": %llu, \"ffmpeg_messages\": %llu, \"colour\": \"%s\", "
            "\"colour_from\": \"%s\", \"range\": \"%s\", \"last_error\": ",
            (unsigned long long)st.decode_errors, (unsigned long long)st.ffmpeg_messages,
            st.colour, st.colour_from, st.range);
    stats_json_string(out, st.last_error);
    fputc('}', out);
}

void stats_print_json(FILE *out, const struct source_set *sources, const struct stats_wall *wall)
{
    int64_t now = av_gettime_relative();
    fprintf(out, "{\"frames_rendered\": %llu, \"feeds\": [",
            (unsigned long long)wall->frames_rendered);
    bool first = true;
    for (int i = 0; i < sources->n; i++) {
        if (sources->items[i].feed) {
            fputs(first ? "\n" : ",\n", out);
            print_feed(out, &sources->items[i], now);
            first = false;
        }
    }
    fputs("\n]", out);
    fprintf(out,
            ", \"output\": {\"frames_drawn\": %llu, \"fps\": %.1f, \"target_fps\": %.1f, "
            "\"nominal_fps\": %.1f, \"draw_ms\": %.2f}",
            (unsigned long long)wall->frames_drawn, wall->output_fps, wall->target_fps,
            wall->nominal_fps, wall->draw_ms);
    fprintf(out,
            ", \"budget\": {\"decode_capacity\": %.0f, \"decode_demand\": %.0f, "
            "\"reduced\": %d}",
            wall->decode_capacity, wall->decode_demand, wall->reduced);
    struct cpu_split cpu;
    if (cpustat_read(&cpu)) {
        fprintf(out,
                ", \"cpu_seconds\": {\"feed\": %.3f, \"render\": %.3f, \"gl\": %.3f, "
                "\"other\": %.3f}",
                cpu.feed, cpu.render, cpu.gl, cpu.other);
    }
    fprintf(out, ", \"rss_kb\": %ld}\n", cpustat_rss_kb());
    fflush(out);
}
