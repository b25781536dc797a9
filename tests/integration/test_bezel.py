#!/usr/bin/python3
"""Headless: one output across a 2 x 2 group of monitors, with bezel
compensation, and a tile spanning all four.

The output `pair` covers the canvas rect (0, 0, 1280, 720) as 2 x 2
monitors of 640 x 360 with bezels of 40 px at each side and 30 px at top
and bottom: its picture is 1280 + 2 * 40 wide and 720 + 2 * 30 high
(1360 x 780), and monitor (r, c) shows the picture from (c * 720, r * 420).
One tile covers the whole picture and shows a 1360 x 780 clip (drawn 1:1)
whose colour encodes where a pixel comes from: red a sawtooth in x
(period 340 px), green a sawtooth in y (period 260 px).

1. `--headless --snapshot wall.png`: wall.png is the 1280 x 720 canvas and
   wall-pair.png the same pixels (the output's rect).
2. Over a grid of points on each monitor (away from the tile frame, the
   labels and status plate in the lower half of the bottom monitors, and
   the sawtooth's jumps), red and green are those of the picture point the
   monitor shows with the bezels taken out: canvas x 700 is picture x 780,
   not 700 (no compensation) nor 744 (the picture squeezed into 1280).
   Within 8 levels; the three readings differ by 27 levels or more.
3. At the seams: the last column of the left monitors and the first of the
   right ones show picture columns 80 apart (the strip behind the two
   bezels is shown nowhere); the same for rows across the horizontal seam,
   60 apart.
4. A live wall (`--control`, `--snapshot-dir`): `snapshot-tile pair 1`
   writes the tile as the wall shows it, 1360 x 780, assembled from the
   four monitors: the same grid of points shows the picture where a
   monitor shows it, and the strips behind the bezels are black.
"""

import os

import walltest as W

MON_W, MON_H = 640, 360
BEZEL_X, BEZEL_Y = 40, 30
ROWS, COLUMNS = 2, 2
PIC_W = COLUMNS * MON_W + (COLUMNS - 1) * 2 * BEZEL_X
PIC_H = ROWS * MON_H + (ROWS - 1) * 2 * BEZEL_Y
TOLERANCE = 8
EDGE = 14  # px kept away from monitor edges (tile frame) and sawtooth jumps


def write(tmp):
    clip = W.coordinate_clip(tmp, "coords", PIC_W, PIC_H)
    return W.write_layout(
        os.path.join(tmp, "bezel.cfg"),
        zones=[{"id": "ssc", "title": "SSC", "colour": "#1e6fd9", "admits": ("ssc",)}],
        layouts=[{"name": "whole", "grid": (1, 1), "gap": 0}],
        cameras=[{"number": 7, "name": "Coordenadas", "main": clip}],
        outputs=[{"id": "pair", "rect": (0, 0, COLUMNS * MON_W, ROWS * MON_H),
                  "monitors": (ROWS, COLUMNS), "bezel": (BEZEL_X, BEZEL_Y), "zone": "ssc",
                  "pages": [{"layout": "whole", "tiles": [7]}]}])


def picture_point(x, y):
    """The picture point canvas (x, y) shows, bezels taken out."""
    c, r = x // MON_W, y // MON_H
    return c * (MON_W + 2 * BEZEL_X) + x % MON_W, r * (MON_H + 2 * BEZEL_Y) + y % MON_H


def check_grid(picture):
    problems, checked = [], 0
    for r in range(ROWS):
        for c in range(COLUMNS):
            bottom = MON_H // 2 if r == ROWS - 1 else MON_H - EDGE
            for y in range(r * MON_H + EDGE, r * MON_H + bottom, 9):
                for x in range(c * MON_W + EDGE, (c + 1) * MON_W - EDGE, 7):
                    px, py = picture_point(x, y)
                    if W.near_coordinate_jump(px, py, EDGE):
                        continue
                    got = picture.pixel(x, y)
                    r_want, g_want = W.coordinate_colour(px, py)
                    checked += 1
                    if abs(got[0] - r_want) > TOLERANCE or abs(got[1] - g_want) > TOLERANCE:
                        problems.append(f"({x},{y}): {W.rgb_hex(got)}, expected picture point "
                                        f"({px},{py}) r {r_want:.0f} g {g_want:.0f}")
    W.log(f"{checked} points checked against the picture with the bezels taken out")
    W.check(checked > 2000, f"only {checked} points checked (test geometry)")
    W.check(not problems, f"{len(problems)} points show the wrong part of the picture, "
            f"e.g. {problems[:5]}")


def check_seams(picture):
    """Either side of each seam, averaged along it: columns 80 apart, rows 60 apart."""
    def mean(channel, points):
        values = [picture.pixel(x, y)[channel] for x, y in points]
        return sum(values) / len(values)

    rows = range(EDGE, MON_H - EDGE, 3)  # top monitors only: clear of the labels
    left = mean(0, [(MON_W - 1, y) for y in rows])
    right = mean(0, [(MON_W, y) for y in rows])
    want_left, want_right = (W.coordinate_colour(x, 0)[0] for x in (MON_W - 1,
                                                                     MON_W + 2 * BEZEL_X))
    W.log(f"vertical seam: red {left:.1f} | {right:.1f} (picture columns {MON_W - 1} | "
          f"{MON_W + 2 * BEZEL_X}: {want_left:.1f} | {want_right:.1f})")
    W.check(abs(left - want_left) <= TOLERANCE and abs(right - want_right) <= TOLERANCE,
            "the vertical seam does not skip the 80 picture columns behind the bezels")
    columns = range(EDGE, MON_W - EDGE, 3)
    above = mean(1, [(x, MON_H - 1) for x in columns])
    below = mean(1, [(x, MON_H) for x in columns])
    want_above, want_below = (W.coordinate_colour(0, y)[1] for y in (MON_H - 1,
                                                                      MON_H + 2 * BEZEL_Y))
    W.log(f"horizontal seam: green {above:.1f} / {below:.1f} (picture rows {MON_H - 1} / "
          f"{MON_H + 2 * BEZEL_Y}: {want_above:.1f} / {want_below:.1f})")
    W.check(abs(above - want_above) <= TOLERANCE and abs(below - want_below) <= TOLERANCE,
            "the horizontal seam does not skip the 60 picture rows behind the bezels")


def check_tile_snapshot(tmp, config):
    with W.start_live_wall(config, tmp, extra=("--snapshot-dir", tmp)) as wall:
        wall.wait_tiles(lambda tiles: tiles and tiles[0].get("state") == "live",
                        "the tile is live", 30)
        path = wall.ok("snapshot-tile pair 1")
        W.check(os.path.dirname(path) == tmp and os.path.basename(path).startswith("7-"),
                f"snapshot-tile replied {path!r}: expected 7-Coordenadas-TIME.png in {tmp}")
        tile = W.read_snapshot(path, PIC_W, PIC_H)
    problems, strip, checked = [], 0, 0
    for y in range(EDGE, PIC_H - EDGE, 9):
        for x in range(EDGE, PIC_W - EDGE, 7):
            in_strip_x = MON_W <= x < MON_W + 2 * BEZEL_X
            in_strip_y = MON_H <= y < MON_H + 2 * BEZEL_Y
            if in_strip_x or in_strip_y:
                strip += 1
                if tile.pixel(x, y) != (0, 0, 0):
                    problems.append(f"({x},{y}) behind a bezel: {W.rgb_hex(tile.pixel(x, y))}")
                continue
            near_seam = any(abs(x - e) < EDGE for e in (MON_W, MON_W + 2 * BEZEL_X)) or any(
                abs(y - e) < EDGE for e in (MON_H, MON_H + 2 * BEZEL_Y))
            if near_seam or W.near_coordinate_jump(x, y, EDGE) or y > PIC_H - MON_H // 2:
                continue  # monitor edges, the sawtooth's jumps, labels at the bottom
            got, want = tile.pixel(x, y), W.coordinate_colour(x, y)
            checked += 1
            if abs(got[0] - want[0]) > TOLERANCE or abs(got[1] - want[1]) > TOLERANCE:
                problems.append(f"({x},{y}): {W.rgb_hex(got)}, expected r {want[0]:.0f} "
                                f"g {want[1]:.0f}")
    W.log(f"tile snapshot {os.path.basename(path)}: {checked} picture points, {strip} points "
          "behind the bezels")
    W.check(checked > 2000 and strip > 500, f"too few points checked ({checked}, {strip})")
    W.check(not problems, f"tile snapshot: {len(problems)} points wrong, e.g. {problems[:5]}")


def run(tmp):
    config = write(tmp)
    snapshot = os.path.join(tmp, "wall.png")
    W.run_headless(config, snapshot, frames=10)
    canvas = W.read_snapshot(snapshot, COLUMNS * MON_W, ROWS * MON_H)
    one = W.read_snapshot(os.path.join(tmp, "wall-pair.png"), COLUMNS * MON_W, ROWS * MON_H)
    W.check(list(one.image.getdata()) == list(canvas.image.getdata()),
            "wall-pair.png differs from the canvas")
    check_grid(canvas)
    check_seams(canvas)
    check_tile_snapshot(tmp, config)


if __name__ == "__main__":
    W.main(run)
