#!/usr/bin/python3
"""A BT.709 stream is converted with the BT.709 matrix, not BT.601.

A 1280x720 clip of 75% colour bars, converted from RGB with the BT.709
matrix into limited-range yuv420p and tagged BT.709 (matrix, primaries,
transfer), fills a 1x1 wall whose only tile is exactly 1280x720, so the
picture is drawn 1:1. The middle of each bar must be within 4 of the bar's
RGB value. With the BT.601 matrix instead, red, green, blue, magenta and
cyan would be off by 8 to 30.
"""

import os

import walltest as W

GAP = 4
CLIP_W, CLIP_H = 1280, 720
WIDTH, HEIGHT = CLIP_W + 2 * GAP, CLIP_H + 2 * GAP

# 75% bars (191 = 0.75 * 255), then a 40% grey (102) and 100% white.
BARS = W.BARS_75


def run(tmp):
    bars_png = W.save_bars(os.path.join(tmp, "bars.png"), CLIP_W, CLIP_H,
                           [rgb for _, rgb in BARS])
    clip = W.make_clip(os.path.join(tmp, "bars709.mp4"), image=bars_png, duration=2,
                       matrix="bt709")
    info = W.probe_stream(clip)
    W.check(info.get("color_space") == "bt709" and info.get("color_range") == "tv",
            f"test clip is not tagged BT.709 limited range: {info}")

    config = W.write_config(os.path.join(tmp, "bt709.cfg"), width=WIDTH, height=HEIGHT,
                            rows=1, columns=1, gap=GAP,
                            cameras=[(301, "Barras BT.709", os.path.basename(clip))])
    snapshot = os.path.join(tmp, "bt709.png")
    W.run_headless(config, snapshot, frames=5)
    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)

    (tile,) = W.tile_rects(WIDTH, HEIGHT, 1, 1, GAP)
    W.check(tile[2:] == (CLIP_W, CLIP_H), f"tile is {tile}, expected {CLIP_W}x{CLIP_H}")
    y = CLIP_H * 2 // 5  # well above the bottom 25% of the tile
    failures = []
    for (name, rgb), x in zip(BARS, W.bar_centres(CLIP_W, len(BARS))):
        decoded = W.decode_rgb(clip, x, y, matrix="bt709")
        got = picture.pixel(tile[0] + x, tile[1] + y)
        W.log(f"{name:12} at x={x:4}: source {rgb}, ffmpeg decodes {decoded}, wall shows {got}")
        if not W.rgb_close(got, rgb, 4):
            failures.append(f"{name}: wall shows {got}, expected {rgb}")
    W.check(not failures, "BT.709 bars off by more than 4: " + "; ".join(failures))


if __name__ == "__main__":
    W.main(run)
