/*
 * CPU time of this process split by thread role, read from
 * /proc/self/task/<tid>/stat: feed threads (named "feed..."), the render
 * thread (the main thread), the GL driver's threads (llvmpipe, gallium)
 * and everything else. Only threads alive at the call are counted, so read
 * it before stopping the feeds.
 * Threads: any.
 */
#ifndef WALL_CPUSTAT_H
#define WALL_CPUSTAT_H

#include <stdbool.h>

struct cpu_split {
    double feed, render, gl, other; /* seconds, user + system */
};

bool cpustat_read(struct cpu_split *out);

/* Resident memory of the process in KiB (VmRSS), -1 when unknown. */
long cpustat_rss_kb(void);

#endif
