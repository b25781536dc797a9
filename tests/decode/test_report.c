/* What feeds say about their troubles: the rate limit (one line whole,
 * then at most one summary a minute), the words for each failure, and the
 * colour a picture is tagged with. The log is read back from stderr. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavcodec/codec_id.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>

#include "common/log.h"
#include "decode/colour.h"
#include "decode/report.h"

#define SECOND (1000 * 1000)

/* stderr goes to a file while a test logs; log_text() reads it back. */
static FILE *captured;
static int saved_stderr = -1;

static void capture(void)
{
    captured = tmpfile();
    assert_non_null(captured);
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    assert_true(dup2(fileno(captured), STDERR_FILENO) >= 0);
    log_set_level(LOG_INFO);
}

/* What was logged since capture(); stderr is restored. Caller frees. */
static char *log_text(void)
{
    fflush(stderr);
    assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);
    close(saved_stderr);
    long size = ftell(captured);
    char *text = calloc(1, (size_t)size + 1);
    assert_non_null(text);
    rewind(captured);
    assert_int_equal(fread(text, 1, (size_t)size, captured), (size_t)size);
    fclose(captured);
    return text;
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_first_whole_then_one_summary_a_minute(void **state)
{
    (void)state;
    struct report r;
    report_init(&r, "camera 101 \"Hotel\"");
    capture();
    int64_t t = 1000 * SECOND;
    assert_true(report_event(&r, REPORT_DECODE, "damaged picture dropped", t));
    for (int i = 1; i <= 212; i++) {
        assert_false(report_event(&r, REPORT_DECODE, "damaged picture dropped", t + i * 250000));
    }
    report_tick(&r, t + 59 * SECOND, false); /* not a minute yet */
    report_tick(&r, t + 60 * SECOND, false);
    report_tick(&r, t + 61 * SECOND, false); /* said already */
    char *text = log_text();
    assert_int_equal(count(text, "\n"), 2);
    assert_non_null(strstr(text,
                           "WARN  feed: camera 101 \"Hotel\": damaged picture dropped (further "
                           "decode errors are counted in stats and summed up once a "
                           "minute)\n"));
    assert_non_null(strstr(text, "WARN  feed: camera 101 \"Hotel\": 212 more decode errors in the "
                                 "last 60 s\n"));
    free(text);
}

static void test_kinds_are_apart_and_quiet_starts_over(void **state)
{
    (void)state;
    struct report r;
    report_init(&r, "camera 7");
    capture();
    int64_t t = 5 * SECOND;
    report_event(&r, REPORT_DECODE, "one", t);
    report_event(&r, REPORT_FFMPEG, "h264: error while decoding MB 1 2", t);
    report_event(&r, REPORT_FFMPEG, "h264: again", t + SECOND);
    report_tick(&r, t + 60 * SECOND, false); /* decode: a quiet window */
    report_event(&r, REPORT_DECODE, "two", t + 90 * SECOND);
    report_tick(&r, t + 200 * SECOND, true);
    char *text = log_text();
    assert_non_null(strstr(text, "WARN  feed: camera 7: one ("));
    assert_non_null(strstr(text, "WARN  ffmpeg: camera 7: h264: error while decoding MB 1 2 ("));
    assert_non_null(
        strstr(text, "WARN  ffmpeg: camera 7: 1 more FFmpeg message in the last 60 s"));
    assert_non_null(strstr(text, "WARN  feed: camera 7: two ("));
    assert_null(strstr(text, "again"));
    assert_int_equal(count(text, "more decode error"), 0);
    assert_int_equal(count(text, "\n"), 4);
    free(text);
}

struct words_case {
    int error;
    enum report_stage stage;
    bool timed_out, video_seen, no_key_frame;
    const char *words;
};

static void test_failure_words(void **state)
{
    (void)state;
    const struct words_case cases[] = {
        {AVERROR(ECONNREFUSED), STAGE_CONNECT, false, false, false, "connection refused"},
        {AVERROR_HTTP_UNAUTHORIZED, STAGE_CONNECT, false, false, false,
         "401 unauthorized: check the credentials of camera 101"},
        {AVERROR_HTTP_NOT_FOUND, STAGE_CONNECT, false, false, false,
         "404: no such stream on the camera"},
        {AVERROR_HTTP_FORBIDDEN, STAGE_CONNECT, false, false, false,
         "403 forbidden: the camera refuses this user"},
        {AVERROR_EXIT, STAGE_CONNECT, true, false, false,
         "no answer from the camera within 2.5 s"},
        {AVERROR_INVALIDDATA, STAGE_PROBE, true, false, false,
         "stream set up but no video within 2.5 s"},
        {AVERROR(ETIMEDOUT), STAGE_LIVE, false, true, false, "no data for 2.5 s"},
        {AVERROR_EXIT, STAGE_WAIT, true, true, false, "no data for 2.5 s"},
        {AVERROR_EXIT, STAGE_WAIT, true, true, true, "no clean picture within 10 s: no key frame"},
        {AVERROR_EOF, STAGE_LIVE, false, true, false, "server closed the stream"},
        {AVERROR(ECONNRESET), STAGE_WAIT, false, true, false, "server closed the stream"},
        {AVERROR_EOF, STAGE_CONNECT, false, false, false,
         "the camera closed the connection during the handshake"},
        {AVERROR_INVALIDDATA, STAGE_CONNECT, false, false, false,
         "the camera's answer is not RTSP (invalid data)"},
        {AVERROR_INVALIDDATA, STAGE_LIVE, false, true, false,
         "the camera sends data that cannot be read (invalid data)"},
        {AVERROR(EIO), STAGE_CONNECT, false, false, false,
         "connecting failed: Input/output error"},
        {AVERROR(ENOSYS), STAGE_PROBE, false, false, false,
         "probing failed: Function not implemented"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct words_case *c = &cases[i];
        struct report_failure f = {
            .error = c->error,
            .stage = c->stage,
            .timed_out = c->timed_out,
            .video_seen = c->video_seen,
            .no_key_frame = c->no_key_frame,
            .timeout_us = 2500000,
            .picture_timeout_us = 10000000,
            .camera = "camera 101",
        };
        char words[160];
        report_failure_words(&f, words, sizeof(words));
        assert_string_equal(words, c->words);
    }
}

static AVFrame *frame_of(int width, int height, int format, int space, int range)
{
    AVFrame *f = av_frame_alloc();
    assert_non_null(f);
    f->width = width;
    f->height = height;
    f->format = format;
    f->colorspace = space;
    f->color_range = range;
    return f;
}

static void test_colour_guess_kept_and_overrides(void **state)
{
    (void)state;
    struct colour c;
    colour_init(&c, COLOUR_AUTO, RANGE_AUTO);
    AVFrame *sd =
        frame_of(640, 360, AV_PIX_FMT_YUV420P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED);
    assert_int_equal(colour_tag(&c, sd, AV_CODEC_ID_H264), COLOUR_FROM_GUESS);
    assert_string_equal(colour_matrix_name(sd->colorspace), "bt601");
    assert_int_equal(sd->color_range, AVCOL_RANGE_MPEG);
    /* The camera switches to HD: still the first guess. */
    AVFrame *hd =
        frame_of(1280, 720, AV_PIX_FMT_YUV420P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED);
    assert_int_equal(colour_tag(&c, hd, AV_CODEC_ID_H264), COLOUR_FROM_GUESS);
    assert_string_equal(colour_matrix_name(hd->colorspace), "bt601");
    /* A tag counts. */
    AVFrame *tagged = frame_of(640, 360, AV_PIX_FMT_YUV420P, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG);
    assert_int_equal(colour_tag(&c, tagged, AV_CODEC_ID_H264), COLOUR_FROM_STREAM);
    assert_string_equal(colour_matrix_name(tagged->colorspace), "bt709");

    /* JPEG: BT.601 full range whatever its size. */
    struct colour jpeg;
    colour_init(&jpeg, COLOUR_AUTO, RANGE_AUTO);
    AVFrame *mjpeg =
        frame_of(1280, 720, AV_PIX_FMT_YUVJ422P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED);
    colour_tag(&jpeg, mjpeg, AV_CODEC_ID_MJPEG);
    assert_string_equal(colour_matrix_name(mjpeg->colorspace), "bt601");
    assert_int_equal(mjpeg->color_range, AVCOL_RANGE_JPEG);

    /* The layout wins over tags and formats. */
    struct colour forced;
    colour_init(&forced, COLOUR_BT709, RANGE_LIMITED);
    AVFrame *lying =
        frame_of(640, 480, AV_PIX_FMT_YUVJ420P, AVCOL_SPC_SMPTE170M, AVCOL_RANGE_JPEG);
    assert_int_equal(colour_tag(&forced, lying, AV_CODEC_ID_H264), COLOUR_FROM_LAYOUT);
    assert_string_equal(colour_matrix_name(lying->colorspace), "bt709");
    assert_int_equal(lying->color_range, AVCOL_RANGE_MPEG);

    av_frame_free(&sd);
    av_frame_free(&hd);
    av_frame_free(&tagged);
    av_frame_free(&mjpeg);
    av_frame_free(&lying);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_whole_then_one_summary_a_minute),
        cmocka_unit_test(test_kinds_are_apart_and_quiet_starts_over),
        cmocka_unit_test(test_failure_words),
        cmocka_unit_test(test_colour_guess_kept_and_overrides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
