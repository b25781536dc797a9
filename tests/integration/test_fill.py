#!/usr/bin/python3
"""fit = "fill": the picture covers its tile, keeps its aspect and loses
the overflow evenly on the long axis, on every drawing path.

A 16:9 clip of four vertical bars (red, green, blue, yellow, 160 px each
of 640x360) is shown in both tiles of a 1x2 grid on a 960x720 canvas: each
tile is 474x712, far taller than 16:9, so fill scales the picture to the
tile's height and crops its sides. Along a row in the tile's safe area the
bar boundaries must sit, within 3 px, where that scaling puts them
(centred: the picture is 1266 px wide, only its middle 474 px show, so
only the green-blue boundary is inside, at the tile's centre) and the
tile shows no black bars. Squeezing the picture into the tile, or cropping
the wrong axis, puts three boundaries inside instead. Run once per drawing
path: --draw gl, rgb and cpu.
"""

import os

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 960, 720, 1, 2, 4
BARS = [(220, 40, 40), (40, 200, 60), (40, 60, 220), (230, 210, 40)]
CLIP_W, CLIP_H = 640, 360
PATHS = ("gl", "rgb", "cpu")


def nearest_bar(rgb):
    return min(range(len(BARS)), key=lambda i: sum((a - b) ** 2 for a, b in zip(rgb, BARS[i])))


def expected_boundaries(rect):
    """Canvas x of every bar boundary inside the tile, for fill."""
    x, _, w, h = rect
    scale = h / CLIP_H
    shown_w = CLIP_W * scale
    left = x + (w - shown_w) / 2
    bar_w = shown_w / len(BARS)
    return [left + i * bar_w for i in range(1, len(BARS)) if x < left + i * bar_w < x + w]


def measured_boundaries(picture, rect, y):
    x0, _, w, _ = rect
    out, last = [], None
    for x in range(x0 + W.LABEL_MARGIN, x0 + w - W.LABEL_MARGIN):
        pixel = picture.pixel(x, y)
        W.check(max(pixel) > 30, f"black at ({x},{y}) in a fill tile: {pixel}")
        bar = nearest_bar(pixel)
        if last is not None and bar != last:
            out.append(x)
        last = bar
    # A filtered edge may flip between two bars over a pixel or two: one
    # boundary, at the middle of the run.
    merged = []
    for x in out:
        if merged and x - merged[-1][-1] <= 4:
            merged[-1].append(x)
        else:
            merged.append([x])
    return [sum(run) / len(run) for run in merged]


def run(tmp):
    clip = W.save_bars(os.path.join(tmp, "bars.png"), CLIP_W, CLIP_H, BARS)
    clip = W.make_clip(os.path.join(tmp, "bars.mp4"), image=clip, duration=2)
    cameras = [(1601, "Fill A", clip), (1602, "Fill B", clip)]
    config = W.write_config(os.path.join(tmp, "fill.cfg"), width=WIDTH, height=HEIGHT,
                            rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras, fit="fill")
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    for path in PATHS:
        snapshot = os.path.join(tmp, f"fill-{path}.png")
        W.run_headless(config, snapshot, frames=5, extra=["--draw", path])
        picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
        for rect in rects:
            want = expected_boundaries(rect)
            for y in (rect[1] + rect[3] // 4, rect[1] + rect[3] // 2):
                got = measured_boundaries(picture, rect, y)
                W.check(len(got) == len(want) and all(abs(g - e) <= 3 for g, e in zip(got, want)),
                        f"--draw {path}: tile {rect}, row {y}: bar boundaries at {got}, "
                        f"expected {[round(e, 1) for e in want]} (fill keeps the aspect and "
                        "crops the sides)")
        W.log(f"--draw {path}: fill crops the sides, boundaries where the aspect puts them")


if __name__ == "__main__":
    W.main(run)
