#include "wall/profile.h"

#include <stdlib.h>
#include <GLES3/gl3.h>
#include <libavutil/time.h>

#include "common/log.h"

struct profile {
    int64_t us[PROFILE_PARTS];
    uint64_t calls[PROFILE_PARTS];
    uint64_t frames;
};

static const char *const part_names[PROFILE_PARTS] = {
    [PROFILE_CLEAR] = "clear",   [PROFILE_UPLOAD] = "upload",   [PROFILE_PICTURE] = "picture",
    [PROFILE_MASKED] = "masked", [PROFILE_FILL] = "fill",       [PROFILE_BLEND] = "blend",
    [PROFILE_TEXT] = "text",     [PROFILE_PRESENT] = "present",
};

struct profile *profile_create(void)
{
    return calloc(1, sizeof(struct profile));
}

void profile_destroy(struct profile *profile)
{
    free(profile);
}

int64_t profile_start(struct profile *profile)
{
    if (!profile) {
        return 0;
    }
    glFinish();
    return av_gettime_relative();
}

void profile_stop(struct profile *profile, enum profile_part part, int64_t start)
{
    if (!profile) {
        return;
    }
    glFinish();
    profile->us[part] += av_gettime_relative() - start;
    profile->calls[part]++;
}

void profile_frame(struct profile *profile)
{
    if (profile) {
        profile->frames++;
    }
}

void profile_report(const struct profile *profile)
{
    if (!profile || profile->frames == 0) {
        return;
    }
    double frames = (double)profile->frames;
    double total = 0;
    for (int i = 0; i < PROFILE_PARTS; i++) {
        total += (double)profile->us[i];
    }
    for (int i = 0; i < PROFILE_PARTS; i++) {
        log_info("profile", "%-8s %7.2f ms a frame (%4.1f%%), %6.1f calls a frame", part_names[i],
                 (double)profile->us[i] / 1e3 / frames,
                 total > 0 ? 100.0 * (double)profile->us[i] / total : 0.0,
                 (double)profile->calls[i] / frames);
    }
    log_info("profile", "total    %7.2f ms a frame over %llu frames", total / 1e3 / frames,
             (unsigned long long)profile->frames);
}
