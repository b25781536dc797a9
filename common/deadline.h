/*
 * Deadline: the CLOCK_MONOTONIC time `ms` milliseconds from now, as
 * pthread_cond_timedwait() wants it (on a condition variable whose clock
 * is CLOCK_MONOTONIC). Header only; any thread.
 */
#ifndef WALL_COMMON_DEADLINE_H
#define WALL_COMMON_DEADLINE_H

#include <time.h>

static inline struct timespec deadline_after_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

#endif
