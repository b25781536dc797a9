#include "decode/mailbox.h"

#include <libavutil/frame.h>

bool mailbox_init(struct mailbox *box)
{
    box->frame = NULL;
    atomic_init(&box->posted, 0);
    atomic_init(&box->taken, 0);
    atomic_init(&box->dropped, 0);
    return pthread_mutex_init(&box->lock, NULL) == 0;
}

void mailbox_finish(struct mailbox *box)
{
    av_frame_free(&box->frame);
    pthread_mutex_destroy(&box->lock);
}

void mailbox_put(struct mailbox *box, AVFrame *frame)
{
    if (!frame) {
        return;
    }
    pthread_mutex_lock(&box->lock);
    AVFrame *old = box->frame;
    box->frame = frame;
    pthread_mutex_unlock(&box->lock);

    atomic_fetch_add(&box->posted, 1);
    if (old) {
        /* Freed outside the lock: unref can be slow for hardware frames. */
        av_frame_free(&old);
        atomic_fetch_add(&box->dropped, 1);
    }
}

AVFrame *mailbox_take(struct mailbox *box)
{
    pthread_mutex_lock(&box->lock);
    AVFrame *frame = box->frame;
    box->frame = NULL;
    pthread_mutex_unlock(&box->lock);
    if (frame) {
        atomic_fetch_add(&box->taken, 1);
    }
    return frame;
}
