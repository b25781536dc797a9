/* Picture health against real streams: lavfi scenes encoded with libx264
 * into a temporary folder, decoded here, every frame's luma given to
 * health_look() at the frame's own timestamp (no wall clock, no sleeps).
 * Each clip is healthy until FAULT_S, then shows its fault. The measures
 * are printed for each clip, and their margins from the thresholds are
 * checked, since real cameras are noisier than these. The last test prints
 * the cost of one look on a 1920x1080 and a 640x360 picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "decode/health.h"

#define FAULT_S  8.0  /* when each clip's fault begins */
#define CLIP_S   26   /* each clip's length */
#define LATE_S   10.0 /* a fault is named this long after it began, at the latest */
#define MAX_RUNS (CLIP_S * 25 + 25)

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
/* The camera's name and a clock that ticks once a second. */
#define CLOCK                                                                                     \
    "drawtext=fontfile=" FONT ":text='Cam 7  %{eif\\:t\\:d\\:2}':x=w-tw-8:y=h-th-8:fontsize=16:"  \
    "fontcolor=white"
/* A still scene, as a fixed camera sees it, and its sensor's noise. */
#define STILL "testsrc2=size=320x180:rate=25,loop=loop=-1:size=1"
#define NOISE "noise=alls=8:allf=t"

static const struct clip {
    const char *name;
    const char *graph;
} clips[] = {
    {"static", STILL "," NOISE "," CLOCK},
    /* Without noise: all that changes is the clock, once a second. */
    {"quiet", STILL "," CLOCK},
    /* The encoder repeats its last picture from FAULT_S on (trim's 8). */
    {"frozen", STILL "," NOISE "," CLOCK ",trim=end=8,tpad=stop_mode=clone:stop_duration=20"},
    /* Covered: black under the sensor's noise and the camera's clock. */
    {"covered",
     STILL ",drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,8)'," NOISE "," CLOCK},
    /* Out of focus from 8 s to 20 s (the clock stays sharp). */
    {"blurred", STILL ",boxblur=10:enable='between(t,8,20)'," NOISE "," CLOCK},
    /* Turned by a third of the view's width (what comes into view on one
     * side is what left on the other). */
    {"moved", STILL ",split[a][b];[b]split[c][d];[c]crop=213:180:107:0[r];[d]crop=107:180:0:0[l];"
                    "[r][l]hstack[turned];[a][turned]overlay=enable='gte(t,8)'," NOISE "," CLOCK},
    /* A scene with motion in part of the view. */
    {"moving", "testsrc2=size=320x180:rate=25," NOISE "," CLOCK},
    /* Night: the same texture, dark, low in contrast, noisier. */
    {"night", "testsrc2=size=320x180:rate=25,eq=brightness=-0.35:contrast=0.5,"
              "noise=alls=12:allf=t," CLOCK},
};

#define N_CLIPS ((int)(sizeof(clips) / sizeof(clips[0])))

static char clip_dir[64];

/* ---- Clips ---- */

static const char *clip_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s.mp4", clip_dir, name);
    return path;
}

static int make_clips(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    printf("thresholds: obstructed flat >= %.2f, blurred detail < %.2f, moved likeness < %.2f, "
           "frozen changed == 0 for %.0f s, named after %.0f s\n",
           s.obstructed, s.blurred, s.moved, s.frozen_s, s.confirm_s);
    snprintf(clip_dir, sizeof(clip_dir), "/tmp/wall-health-XXXXXX");
    assert_non_null(mkdtemp(clip_dir));
    for (int i = 0; i < N_CLIPS; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i \"%s\" -t %d -an "
                 "-c:v libx264 -preset veryfast -crf 30 -g 50 -bf 0 -pix_fmt yuv420p '%s'",
                 clips[i].graph, CLIP_S, clip_path(clips[i].name));
        if (system(cmd) != 0) {
            fprintf(stderr, "could not make the clip %s\n", clips[i].name);
            return -1;
        }
    }
    return 0;
}

static int remove_clips(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", clip_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- Running a clip through health ---- */

/* The condition and the measures after each decoded frame. */
struct run {
    const char *name;
    int n;
    struct frame_verdict {
        double t;
        enum picture_condition condition;
        struct health_measures m;
    } at[MAX_RUNS];
};

/* Decodes the clip (its key frames only if asked) and gives every picture
 * to a fresh health; reset_s >= 0: health_reset() at the first picture
 * from then on. */
static struct run *run_clip(const char *name, bool key_only, double reset_s)
{
    struct run *run = calloc(1, sizeof(*run));
    assert_non_null(run);
    run->name = name;
    AVFormatContext *format = NULL;
    assert_int_equal(avformat_open_input(&format, clip_path(name), NULL, NULL), 0);
    assert_true(avformat_find_stream_info(format, NULL) >= 0);
    int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    assert_true(index >= 0);
    AVStream *stream = format->streams[index];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    AVCodecContext *decoder = avcodec_alloc_context3(codec);
    assert_non_null(decoder);
    assert_true(avcodec_parameters_to_context(decoder, stream->codecpar) >= 0);
    decoder->thread_count = 1;
    assert_int_equal(avcodec_open2(decoder, codec, NULL), 0);
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    struct health_settings settings;
    health_settings_default(&settings);
    struct health *h = health_create(&settings);
    assert_non_null(h);

    bool draining = false;
    while (!draining) {
        if (av_read_frame(format, packet) < 0) {
            draining = true;
            avcodec_send_packet(decoder, NULL);
        } else {
            bool skip =
                packet->stream_index != index || (key_only && !(packet->flags & AV_PKT_FLAG_KEY));
            if (!skip) {
                assert_true(avcodec_send_packet(decoder, packet) >= 0);
            }
            av_packet_unref(packet);
        }
        while (avcodec_receive_frame(decoder, frame) == 0) {
            double t = (double)frame->best_effort_timestamp * av_q2d(stream->time_base);
            if (reset_s >= 0 && t >= reset_s) {
                health_reset(h);
                reset_s = -1;
            }
            health_look(h, frame->data[0], frame->linesize[0], frame->width, frame->height,
                        frame->color_range == AVCOL_RANGE_JPEG, frame->key_frame != 0,
                        (int64_t)(t * 1e6));
            assert_true(run->n < MAX_RUNS);
            struct frame_verdict *v = &run->at[run->n++];
            v->t = t;
            v->condition = health_condition(h, NULL);
            health_measures(h, &v->m);
            av_frame_unref(frame);
        }
    }
    health_destroy(h);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&decoder);
    avformat_close_input(&format);
    return run;
}

/* ---- What a run shows ---- */

struct span {
    double changed[2], flat[2], detail[2], likeness[2]; /* least, most */
    double still;                                       /* the longest time without a change */
    int n;
};

static void widen(double range[2], double value, bool first)
{
    if (first || value < range[0]) {
        range[0] = value;
    }
    if (first || value > range[1]) {
        range[1] = value;
    }
}

/* The measures over [from_s, to_s) once the reference is learnt. */
static struct span span_of(const struct run *run, double from_s, double to_s)
{
    struct span s = {0};
    double changed_s = from_s;
    for (int i = 0; i < run->n; i++) {
        const struct frame_verdict *v = &run->at[i];
        if (v->t < from_s || v->t >= to_s || v->m.detail < 0) {
            continue;
        }
        if (v->m.changed != 0) {
            changed_s = v->t;
        } else if (v->t - changed_s > s.still) {
            s.still = v->t - changed_s;
        }
        widen(s.changed, v->m.changed, s.n == 0);
        widen(s.flat, v->m.flat, s.n == 0);
        widen(s.detail, v->m.detail, s.n == 0);
        widen(s.likeness, v->m.likeness, s.n == 0);
        s.n++;
    }
    return s;
}

static void print_span(const char *name, const char *what, double from_s, double to_s,
                       const struct span *s)
{
    printf("%-8s %-8s %4.1f-%4.1f s: changed %.3f-%.3f (still %4.1f s)  flat %.3f-%.3f  "
           "detail %.3f-%.3f  likeness %.3f-%.3f\n",
           name, what, from_s, to_s, s->changed[0], s->changed[1], s->still, s->flat[0],
           s->flat[1], s->detail[0], s->detail[1], s->likeness[0], s->likeness[1]);
}

/* When the run first showed the condition at or after from_s; -1: never. */
static double first_time(const struct run *run, enum picture_condition condition, double from_s)
{
    for (int i = 0; i < run->n; i++) {
        if (run->at[i].t >= from_s && run->at[i].condition == condition) {
            return run->at[i].t;
        }
    }
    return -1;
}

/* Fails unless the run shows only `want` over [from_s, to_s). */
static void assert_only(const struct run *run, enum picture_condition want, double from_s,
                        double to_s)
{
    for (int i = 0; i < run->n; i++) {
        const struct frame_verdict *v = &run->at[i];
        if (v->t >= from_s && v->t < to_s && v->condition != want) {
            fail_msg("%s: %s at %.2f s, expected %s", run->name,
                     picture_condition_name(v->condition), v->t, picture_condition_name(want));
        }
    }
}

/* Learning, then ok until the fault: what every clip shows first. Margins:
 * the healthy measures stay well inside the thresholds. */
static void assert_healthy_until(const struct run *run, double until_s)
{
    struct health_settings s;
    health_settings_default(&s);
    double learnt_s = s.learn_s + 0.5;
    assert_only(run, PICTURE_LEARNING, 0, s.learn_s);
    assert_only(run, PICTURE_OK, learnt_s, until_s);
    struct span healthy = span_of(run, learnt_s, until_s);
    print_span(run->name, "healthy", learnt_s, until_s, &healthy);
    assert_true(healthy.n > 0);
    assert_true(healthy.still <= s.frozen_s / 2);
    assert_true(healthy.flat[1] <= s.obstructed - 0.15);
    assert_true(healthy.detail[0] >= s.blurred + 0.3);
    assert_true(healthy.likeness[0] >= s.moved + 0.2);
}

/* The fault is named within LATE_S of FAULT_S (`late_s` for frozen, whose
 * window is longer) and holds to until_s; returns when it was named. */
static double assert_named(const struct run *run, enum picture_condition want, double late_s,
                           double until_s)
{
    double named = first_time(run, want, FAULT_S);
    printf("%-8s named %s at %.2f s (fault + %.2f s)\n", run->name, picture_condition_name(want),
           named, named - FAULT_S);
    assert_true(named >= FAULT_S);
    assert_true(named <= FAULT_S + late_s);
    assert_only(run, want, named, until_s);
    return named;
}

/* ---- Tests ---- */

static void static_scene_with_clock_stays_ok(void **state)
{
    struct run *run = run_clip("static", false, -1);
    assert_healthy_until(run, CLIP_S);
    free(run);
    run = run_clip("quiet", false, -1);
    assert_healthy_until(run, CLIP_S);
    free(run);
}

static void frozen_picture_is_named_frozen(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    struct run *run = run_clip("frozen", false, -1);
    assert_healthy_until(run, FAULT_S);
    /* frozen_s after the last change, and a look or two. */
    double named = assert_named(run, PICTURE_FROZEN, s.frozen_s + 0.6, CLIP_S);
    assert_true(named >= FAULT_S + s.frozen_s - 0.3);
    struct span fault = span_of(run, FAULT_S + 0.5, CLIP_S);
    print_span(run->name, "frozen", FAULT_S + 0.5, CLIP_S, &fault);
    assert_true(fault.changed[1] == 0);
    free(run);
}

/* Key frames every 2 s: judged on those alone, never frozen for lack of
 * pictures; a frozen picture still is. */
static void key_frames_only(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    struct run *run = run_clip("static", true, -1);
    run->name = "static/k";
    assert_healthy_until(run, CLIP_S);
    free(run);

    run = run_clip("frozen", true, -1);
    run->name = "frozen/k";
    assert_healthy_until(run, FAULT_S);
    assert_named(run, PICTURE_FROZEN, s.frozen_s + 2.1, CLIP_S);
    free(run);
}

static void covered_lens_is_obstructed(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    struct run *run = run_clip("covered", false, -1);
    assert_healthy_until(run, FAULT_S);
    assert_named(run, PICTURE_OBSTRUCTED, LATE_S, CLIP_S);
    struct span fault = span_of(run, FAULT_S + 0.5, CLIP_S);
    print_span(run->name, "covered", FAULT_S + 0.5, CLIP_S, &fault);
    assert_true(fault.flat[0] >= s.obstructed + 0.15);
    free(run);
}

static void blur_is_named_then_lifted(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    struct run *run = run_clip("blurred", false, -1);
    assert_healthy_until(run, FAULT_S);
    double end_s = 20;
    assert_named(run, PICTURE_BLURRED, LATE_S, end_s);
    struct span fault = span_of(run, FAULT_S + 0.5, end_s);
    print_span(run->name, "blurred", FAULT_S + 0.5, end_s, &fault);
    assert_true(fault.detail[1] <= s.blurred - 0.15);
    /* Lifted once the picture has been sound for confirm_s. */
    double lifted = first_time(run, PICTURE_OK, end_s);
    printf("%-8s lifted at %.2f s (sharp again + %.2f s)\n", run->name, lifted, lifted - end_s);
    assert_true(lifted >= end_s + s.confirm_s);
    assert_true(lifted <= end_s + s.confirm_s + 1);
    assert_only(run, PICTURE_OK, lifted, CLIP_S);
    free(run);
}

static void turned_camera_is_moved_until_reset(void **state)
{
    struct health_settings s;
    health_settings_default(&s);
    struct run *run = run_clip("moved", false, -1);
    assert_healthy_until(run, FAULT_S);
    assert_named(run, PICTURE_MOVED, LATE_S, CLIP_S);
    struct span fault = span_of(run, FAULT_S + 0.5, CLIP_S);
    print_span(run->name, "moved", FAULT_S + 0.5, CLIP_S, &fault);
    assert_true(fault.likeness[1] <= s.moved - 0.25);
    assert_true(fault.flat[1] <= s.obstructed - 0.15);
    free(run);

    /* The operator accepts the new view: learnt afresh, then ok. */
    double reset_s = 14;
    run = run_clip("moved", false, reset_s);
    double ok = first_time(run, PICTURE_OK, reset_s);
    printf("%-8s reset at %.2f s, ok at %.2f s\n", run->name, reset_s, ok);
    assert_only(run, PICTURE_LEARNING, reset_s, reset_s + s.learn_s);
    assert_true(ok >= 0 && ok <= reset_s + s.learn_s + 0.6);
    assert_only(run, PICTURE_OK, ok, CLIP_S);
    struct span after = span_of(run, ok, CLIP_S);
    print_span(run->name, "relearnt", ok, CLIP_S, &after);
    assert_true(after.likeness[0] >= s.moved + 0.2);
    free(run);
}

static void moving_scene_stays_ok(void **state)
{
    struct run *run = run_clip("moving", false, -1);
    assert_healthy_until(run, CLIP_S);
    free(run);
}

static void night_scene_stays_ok(void **state)
{
    struct run *run = run_clip("night", false, -1);
    assert_healthy_until(run, CLIP_S);
    free(run);
}

/* ---- Without clips ---- */

/* A textured picture; `seed` != 0 adds noise of its own. */
static void paint(uint8_t *luma, int width, int height, uint32_t seed)
{
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            seed = seed ? seed * 1664525u + 1013904223u : 0;
            luma[(size_t)y * width + x] =
                (uint8_t)(((x * 8 / width + y * 4 / height) % 2) * 120 + 60 + (int)(seed >> 28));
        }
    }
}

/* One identical picture every 6 s: too few for a freeze, however long. A
 * feed that stalls and comes back with the same picture needs frozen_s of
 * pictures again. */
static void sparse_pictures_are_not_frozen(void **state)
{
    uint8_t luma[320 * 180];
    paint(luma, 320, 180, 0);
    struct health_settings s;
    health_settings_default(&s);
    struct health *h = health_create(&s);
    assert_non_null(h);
    for (int64_t t = 0; t <= 120000000; t += 6000000) {
        health_look(h, luma, 320, 320, 180, true, false, t);
        assert_int_not_equal(health_condition(h, NULL), PICTURE_FROZEN);
    }
    int64_t t = 200000000;
    for (; health_condition(h, NULL) != PICTURE_FROZEN; t += 250000) {
        assert_true(t < 200000000 + 20000000);
        health_look(h, luma, 320, 320, 180, true, false, t);
    }
    printf("stalled  frozen again %.2f s after the pictures came back\n", (t - 200000000) / 1e6);
    assert_true(t - 200000000 >= s.frozen_s * 1e6);
    health_destroy(h);
}

/* The feed switched streams: the detail is of another scale. */
static void another_size_learns_again(void **state)
{
    static uint8_t luma[320 * 180];
    struct health_settings s;
    health_settings_default(&s);
    struct health *h = health_create(&s);
    assert_non_null(h);
    int64_t t = 0;
    for (uint32_t i = 1; t <= 6000000; t += 250000, i++) {
        paint(luma, 320, 180, i);
        health_look(h, luma, 320, 320, 180, true, false, t);
    }
    assert_int_equal(health_condition(h, NULL), PICTURE_OK);
    paint(luma, 160, 90, 7);
    assert_true(health_look(h, luma, 160, 160, 90, true, false, t));
    int64_t since;
    assert_int_equal(health_condition(h, &since), PICTURE_LEARNING);
    assert_true(since == t);
    /* Too small to judge: ignored. */
    assert_false(health_look(h, luma, 32, 32, 18, true, false, t + 1000000));
    health_destroy(h);
    health_destroy(NULL);
}

/* ---- Cost ---- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The median cost of a look (one that is not skipped) on a textured,
 * noisy picture of width x height, in microseconds; *least: the least. */
static double cost_of_look(int width, int height, int looks, double *least)
{
    uint8_t *luma = malloc((size_t)width * height);
    double *costs = malloc(sizeof(*costs) * (size_t)looks);
    assert_true(luma && costs);
    uint32_t seed = 1;
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            seed = seed * 1664525u + 1013904223u;
            luma[(size_t)y * width + x] =
                (uint8_t)(((x / 40 + y / 30) % 2) * 120 + 60 + (int)(seed >> 28));
        }
    }
    struct health_settings settings;
    health_settings_default(&settings);
    struct health *h = health_create(&settings);
    assert_non_null(h);
    for (int i = 0; i < looks; i++) {
        luma[(size_t)i % height * width] ^= 0x55; /* a picture that changes */
        double start = now_s();
        health_look(h, luma, width, width, height, true, false, (int64_t)i * 250000);
        costs[i] = (now_s() - start) * 1e6;
    }
    qsort(costs, (size_t)looks, sizeof(*costs), by_value);
    double median = costs[looks / 2];
    *least = costs[0];
    health_destroy(h);
    free(costs);
    free(luma);
    return median;
}

static void cost_per_look(void **state)
{
    int looks = 400;
    double hd_least, sd_least;
    double hd = cost_of_look(1920, 1080, looks, &hd_least);
    double sd = cost_of_look(640, 360, looks, &sd_least);
    printf("cost of one health_look(), median (least) of %d: 1920x1080 %.1f us (%.1f), "
           "640x360 %.1f us (%.1f)\n",
           looks, hd, hd_least, sd, sd_least);
}

int main(void)
{
    if (system("ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=d=0.1 -vf drawtext="
               "fontfile=" FONT ":text=x -c:v libx264 -f null - >/dev/null 2>&1") != 0) {
        printf("skipped: the clips need the ffmpeg CLI with libx264, drawtext and %s\n", FONT);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(static_scene_with_clock_stays_ok),
        cmocka_unit_test(frozen_picture_is_named_frozen),
        cmocka_unit_test(key_frames_only),
        cmocka_unit_test(covered_lens_is_obstructed),
        cmocka_unit_test(blur_is_named_then_lifted),
        cmocka_unit_test(turned_camera_is_moved_until_reset),
        cmocka_unit_test(moving_scene_stays_ok),
        cmocka_unit_test(night_scene_stays_ok),
        cmocka_unit_test(sparse_pictures_are_not_frozen),
        cmocka_unit_test(another_size_learns_again),
        cmocka_unit_test(cost_per_look),
    };
    return cmocka_run_group_tests(tests, make_clips, remove_clips);
}
