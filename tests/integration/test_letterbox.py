#!/usr/bin/python3
"""Pictures keep their aspect ratio inside their tile (fit = "letterbox").

A 1x2 wall of 954x592 tiles (about 1.61:1): the left tile shows a 4:3 clip,
narrower than the tile, so it is pillarboxed (black bars left and right);
the right tile shows a 8:3 clip, wider than the tile, so it is letterboxed
(black bars above and below). The bars are asserted black and the picture
its colour, each a few pixels away from the picture's edges (the wall may
round the picture size differently by a pixel).
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 1920, 600, 4
BACKGROUND = (0x20, 0x20, 0x20)
BLACK = (0, 0, 0)
AWAY = 4  # px kept from an edge of the picture when asserting

PILLAR = (401, "Pilar 4:3", (60, 160, 200), 640, 480)
LETTER = (402, "Buzón 8:3", (200, 120, 60), 640, 240)


def inset(rect, left=AWAY, top=AWAY, right=AWAY, bottom=AWAY):
    x, y, w, h = rect
    return (x + left, y + top, w - left - right, h - top - bottom)


def intersect(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    W.check(x1 > x0 and y1 > y0, f"test geometry: {a} and {b} do not overlap")
    return (x0, y0, x1 - x0, y1 - y0)


def run(tmp):
    cameras = []
    for number, name, rgb, w, h in (PILLAR, LETTER):
        path = os.path.join(tmp, f"cam{number}.mp4")
        W.make_clip(path, f"color=c={W.rgb_hex(rgb)}:size={w}x{h}", duration=2)
        cameras.append((number, name, os.path.basename(path)))
    config = W.write_config(os.path.join(tmp, "letterbox.cfg"), width=WIDTH, height=HEIGHT,
                            rows=1, columns=2, gap=GAP, cameras=cameras,
                            background=W.rgb_hex(BACKGROUND), fit="letterbox")
    snapshot = os.path.join(tmp, "letterbox.png")
    W.run_headless(config, snapshot, frames=5)
    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)

    left_tile, right_tile = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)

    # Left: 4:3 in a wider tile -> full height, pillar bars at both sides.
    _, _, rgb, w, h = PILLAR
    pic = W.fit_rect(left_tile, w, h)
    safe = W.safe_area(left_tile)
    W.log(f"pillarbox: tile {left_tile}, picture expected at {pic}")
    W.check(pic[0] - left_tile[0] > 2 * W.LABEL_MARGIN, f"test geometry: no pillar bars in {pic}")
    left_bar = (safe[0], safe[1], pic[0] - AWAY - safe[0], safe[3])
    right_edge = pic[0] + pic[2] + AWAY
    right_bar = (right_edge, safe[1], safe[0] + safe[2] - right_edge, safe[3])
    W.assert_region_colour(picture, left_bar, BLACK, 4, "left pillar bar")
    W.assert_region_colour(picture, right_bar, BLACK, 4, "right pillar bar")
    W.assert_region_colour(picture, intersect(inset(pic), safe), rgb, 4, "pillarboxed picture")

    # Right: 8:3 in a narrower tile -> full width, bars above and below;
    # only the top one is asserted (the bottom one is in the label zone).
    _, _, rgb, w, h = LETTER
    pic = W.fit_rect(right_tile, w, h)
    safe = W.safe_area(right_tile)
    W.log(f"letterbox: tile {right_tile}, picture expected at {pic}")
    W.check(pic[1] - right_tile[1] > 2 * W.LABEL_MARGIN, f"test geometry: no top bar in {pic}")
    top_bar = (safe[0], safe[1], safe[2], pic[1] - AWAY - safe[1])
    W.assert_region_colour(picture, top_bar, BLACK, 4, "top letterbox bar")
    W.assert_region_colour(picture, intersect(inset(pic), safe), rgb, 4, "letterboxed picture")

    for rect in W.gap_rects(WIDTH, HEIGHT, 1, 2, GAP):
        W.assert_region_colour(picture, rect, BACKGROUND, 0, "gap between tiles")


if __name__ == "__main__":
    W.main(run)
