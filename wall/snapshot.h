/*
 * Snapshot: writes an RGB picture as a PNG file, with FFmpeg's PNG encoder
 * (no extra image library). The caller keeps the pixels.
 * Threads: any.
 */
#ifndef WALL_SNAPSHOT_H
#define WALL_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

/* rgb: width*height*3 bytes, top row first. False (logged) on failure. */
bool snapshot_write_png(const char *path, const uint8_t *rgb, int width, int height);

/* The region (x, y, width, height) of an RGB picture `stride_px` pixels
 * wide, written as a PNG of its own. */
bool snapshot_write_region(const char *path, const uint8_t *rgb, int stride_px, int x, int y,
                           int width, int height);

#endif
