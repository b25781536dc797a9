#include "decode/hwdec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/buffer.h>
#include <libavutil/error.h>
#include <libavutil/hwcontext.h>

#include "common/i18n.h"
#include "common/log.h"
#include "config.h"

struct hwdec {
    AVBufferRef *device;
    char path[64];
};

#if HAVE_VAAPI
/* `why` is said at `level`. */
static bool try_device(struct hwdec *hwdec, const char *path, enum log_level level, char *why,
                       size_t why_size)
{
    if (access(path, R_OK | W_OK) != 0) {
        snprintf(why, why_size, log_words(level, N_("%s: not accessible")), path);
        return false;
    }
    int ret = av_hwdevice_ctx_create(&hwdec->device, AV_HWDEVICE_TYPE_VAAPI, path, NULL, 0);
    if (ret < 0) {
        snprintf(why, why_size, "%s: %s", path, av_err2str(ret));
        return false;
    }
    snprintf(hwdec->path, sizeof(hwdec->path), "%s", path);
    return true;
}
#endif

struct hwdec *hwdec_create(enum hwaccel mode, const char *device)
{
    if (mode == HWACCEL_NONE) {
        log_info("hwdec", "hardware decoding off: decoding in software");
        return NULL;
    }
    enum log_level level = mode == HWACCEL_VAAPI ? LOG_WARN : LOG_INFO;
#if HAVE_VAAPI
    struct hwdec *hwdec = calloc(1, sizeof(*hwdec));
    if (!hwdec) {
        return NULL;
    }
    char why[256];
    snprintf(why, sizeof(why), "%s", log_words(level, N_("no render node in /dev/dri")));
    bool ok = false;
    if (device) {
        ok = try_device(hwdec, device, level, why, sizeof(why));
    } else {
        for (int i = 128; i < 136 && !ok; i++) {
            char path[32];
            snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
            if (access(path, F_OK) == 0) {
                ok = try_device(hwdec, path, level, why, sizeof(why));
            }
        }
    }
    if (!ok) {
        /* log_msg() translates it at WARN (mode vaapi). */
        log_msg(level, "hwdec", N_("VA-API unavailable (%s): decoding in software"), why);
        free(hwdec);
        return NULL;
    }
    log_info("hwdec", "VA-API on %s", hwdec->path);
    return hwdec;
#else
    (void)device;
    log_msg(level, "hwdec", N_("built without VA-API: decoding in software"));
    return NULL;
#endif
}

void hwdec_destroy(struct hwdec *hwdec)
{
    if (!hwdec) {
        return;
    }
    av_buffer_unref(&hwdec->device);
    free(hwdec);
}

AVBufferRef *hwdec_device(const struct hwdec *hwdec)
{
    return hwdec ? hwdec->device : NULL;
}

const char *hwdec_device_path(const struct hwdec *hwdec)
{
    return hwdec ? hwdec->path : "";
}
