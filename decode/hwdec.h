/*
 * Hardware decoding device: one VA-API device (a DRM render node) shared by
 * every feed. Feeds given a device decode into VA surfaces, which the render
 * thread imports into GL as DMA-BUFs without copying (wall/dmabuf.h).
 *
 * Absent hardware is not an error: hwdec_create() says once why there is no
 * device and returns NULL, and feeds decode in software. A build without
 * VA-API (meson -Dvaapi=disabled) has the same API and always returns NULL.
 *
 * Ownership: the hwdec owns its device reference; feeds take their own.
 * Threads: create and destroy on the main thread; the device itself is
 * thread-safe (FFmpeg locks it).
 */
#ifndef WALL_DECODE_HWDEC_H
#define WALL_DECODE_HWDEC_H

#include <stdbool.h>

#include "common/hwaccel.h"

struct AVBufferRef;
struct hwdec;

/* `device` is a render node path, or NULL to try /dev/dri/renderD128..135.
 * NULL when there is no usable device (logged once) or mode is none. */
struct hwdec *hwdec_create(enum hwaccel mode, const char *device);
void hwdec_destroy(struct hwdec *hwdec);

/* The FFmpeg device (AVHWDeviceContext) for AVCodecContext.hw_device_ctx;
 * borrowed: av_buffer_ref() it to keep it. */
struct AVBufferRef *hwdec_device(const struct hwdec *hwdec);

/* The render node in use, for logs. */
const char *hwdec_device_path(const struct hwdec *hwdec);

#endif
