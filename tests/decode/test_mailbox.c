/* Mailbox: latest wins, counts what it drops, leaks nothing (run under
 * AddressSanitizer/LeakSanitizer in CI). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libavutil/frame.h>

#include "decode/mailbox.h"

static AVFrame *numbered_frame(int64_t n)
{
    AVFrame *frame = av_frame_alloc();
    assert_non_null(frame);
    frame->format = AV_PIX_FMT_GRAY8;
    frame->width = 16;
    frame->height = 16;
    assert_int_equal(av_frame_get_buffer(frame, 0), 0);
    frame->pts = n;
    return frame;
}

static void empty_box_gives_nothing(void **state)
{
    struct mailbox box;
    assert_true(mailbox_init(&box));
    assert_null(mailbox_take(&box));
    mailbox_put(&box, NULL);
    assert_null(mailbox_take(&box));
    assert_int_equal(atomic_load(&box.posted), 0);
    mailbox_finish(&box);
}

static void newest_frame_wins(void **state)
{
    struct mailbox box;
    assert_true(mailbox_init(&box));
    for (int i = 1; i <= 5; i++) {
        mailbox_put(&box, numbered_frame(i));
    }
    AVFrame *frame = mailbox_take(&box);
    assert_non_null(frame);
    assert_int_equal(frame->pts, 5);
    av_frame_free(&frame);
    assert_null(mailbox_take(&box));
    assert_int_equal(atomic_load(&box.posted), 5);
    assert_int_equal(atomic_load(&box.dropped), 4);
    assert_int_equal(atomic_load(&box.taken), 1);
    mailbox_finish(&box);
}

static void take_then_put_keeps_order(void **state)
{
    struct mailbox box;
    assert_true(mailbox_init(&box));
    for (int i = 1; i <= 3; i++) {
        mailbox_put(&box, numbered_frame(i));
        AVFrame *frame = mailbox_take(&box);
        assert_non_null(frame);
        assert_int_equal(frame->pts, i);
        av_frame_free(&frame);
    }
    assert_int_equal(atomic_load(&box.dropped), 0);
    mailbox_finish(&box);
}

static void finish_frees_waiting_frame(void **state)
{
    struct mailbox box;
    assert_true(mailbox_init(&box));
    mailbox_put(&box, numbered_frame(1));
    mailbox_put(&box, numbered_frame(2));
    /* LeakSanitizer fails the test if finish leaves the frame behind. */
    mailbox_finish(&box);
}

struct producer {
    struct mailbox *box;
    int count;
};

static void *produce(void *opaque)
{
    struct producer *p = opaque;
    for (int i = 1; i <= p->count; i++) {
        mailbox_put(p->box, numbered_frame(i));
    }
    return NULL;
}

static void concurrent_frames_arrive_in_order(void **state)
{
    struct mailbox box;
    assert_true(mailbox_init(&box));
    struct producer p = {&box, 2000};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, produce, &p), 0);
    int64_t last = 0;
    uint64_t taken = 0;
    while (last < p.count) {
        AVFrame *frame = mailbox_take(&box);
        if (frame) {
            assert_true(frame->pts > last); /* never an older frame after a newer one */
            last = frame->pts;
            taken++;
            av_frame_free(&frame);
        }
    }
    pthread_join(thread, NULL);
    assert_int_equal(atomic_load(&box.posted), p.count);
    assert_int_equal(atomic_load(&box.taken), taken);
    assert_int_equal(atomic_load(&box.taken) + atomic_load(&box.dropped), p.count);
    mailbox_finish(&box);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_box_gives_nothing),
        cmocka_unit_test(newest_frame_wins),
        cmocka_unit_test(take_then_put_keeps_order),
        cmocka_unit_test(finish_frees_waiting_frame),
        cmocka_unit_test(concurrent_frames_arrive_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
