#!/usr/bin/python3
"""Solid colours survive the trip file -> decode -> YUV->RGB -> snapshot.

A 2x2 wall of four solid-colour clips, three limited-range BT.601 yuv420p
and one full-range yuvj420p (x264 writes the full-range flag): the pixel at
each tile centre is within 4 of the colour the source was given, and every
pixel between the tiles is exactly the output background.
"""

import os

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 800, 600, 2, 2, 8
BACKGROUND = (0x30, 0x50, 0x70)

# (camera, name, RGB, full range?). Saturated but not extreme: no channel
# near 0 or 255, so 8-bit YUV holds each colour to within 1-2 per channel.
CLIPS = [
    (201, "rojo", (200, 40, 40), False),
    (202, "verde", (40, 180, 60), False),
    (203, "azul", (50, 70, 200), False),
    (204, "amarillo, rango completo", (220, 200, 40), True),
]


def run(tmp):
    cameras = []
    for number, name, rgb, full_range in CLIPS:
        path = os.path.join(tmp, f"cam{number}.mp4")
        W.make_clip(path, f"color=c={W.rgb_hex(rgb)}:size=320x240", duration=2,
                    full_range=full_range)
        info = W.probe_stream(path)
        W.check(info["color_range"] == ("pc" if full_range else "tv"),
                f"{path}: test clip has color_range {info['color_range']}")
        decoded = W.decode_rgb(path, 160, 120, full_range=full_range)
        W.log(f"camera {number}: source {rgb}, ffmpeg decodes {decoded} "
              f"({info['pix_fmt']}, range {info['color_range']})")
        cameras.append((number, name, os.path.basename(path)))

    config = W.write_config(os.path.join(tmp, "colours.cfg"), width=WIDTH, height=HEIGHT,
                            rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras,
                            background=W.rgb_hex(BACKGROUND))
    snapshot = os.path.join(tmp, "colours.png")
    _, stats = W.run_headless(config, snapshot, frames=5)
    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)

    for feed in stats["feeds"]:
        W.check(feed.get("state") == "live",
                f"camera {feed.get('camera')}: state {feed.get('state')}, expected live")

    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    for (number, _, rgb, full_range), rect in zip(CLIPS, rects):
        x, y = W.centre(rect)
        got = picture.pixel(x, y)
        W.log(f"camera {number}: centre ({x},{y}) shows {got}, expected {rgb}")
        W.assert_rgb_close(got, rgb, 4,
                           f"camera {number} ({'full' if full_range else 'limited'} range) "
                           f"at the centre of tile {rect}")

    for rect in W.gap_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP):
        W.assert_region_colour(picture, rect, BACKGROUND, 0, "gap between tiles")


if __name__ == "__main__":
    W.main(run)
