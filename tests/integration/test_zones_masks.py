#!/usr/bin/python3
"""Headless: per-output snapshots, zone frame colours and privacy masks.

Two outputs on a 1760x540 canvas, each a 2x2 grid (gap 4) of solid-colour
clips: ssc-1 (960x540 at 0,0, zone SSC, frames #1e6fd9) and g911-1 (800x450
at 960,60, zone Guardians, frames #e0a100). Camera 102 (ssc-1 tile 2) is a
4:3 clip with two rectangle masks; camera 5001 (g911-1 tile 1) is a portrait
3:4 clip with a triangle mask: both are pillarboxed in their 16:9 tiles, so
a mask drawn in tile coordinates would cover the black bars and miss parts
of the picture.

Steps 1-3 run once per drawing path (--draw gl, rgb, cpu); step 4 on the
path the wall picks by itself.
1. `--headless --frames 10 --snapshot wall.png` writes wall.png (the canvas,
   1760x540) and wall-ssc-1.png, wall-g911-1.png, each of its output's size
   and equal, pixel for pixel, to the canvas cut at the output's rect.
2. In the snapshot every tile is framed in its zone's colour (the 3 px just
   inside its edges; 6 px white on the selected tile, ssc-1 tile 1), and
   shows its clip's colour at its centre.
3. Masks: over a grid of points of each masked picture, a point inside a
   mask (in the picture's own 0..1 coordinates) is #202020 within 4, a
   point outside it the clip's colour; the bars beside the picture stay
   black (#000000), never the mask colour. Points within 3 px of a mask's
   or the picture's edge, near the tile frame or in the label band at the
   bottom are not asserted.
4. The same with each masked tile maximized over its whole output (a live
   wall, `maximize` and `snapshot` over the control socket): the masks
   follow the picture at its new size; the socket's snapshot writes the
   per-output files too.
"""

import os

import walltest as W

GAP = 4
CANVAS = (1760, 540)
SSC_COLOUR, G911_COLOUR = (0x1E, 0x6F, 0xD9), (0xE0, 0xA1, 0x00)
SELECTED = (0xFF, 0xFF, 0xFF)
MASK = (0x20, 0x20, 0x20)
BARS = (0, 0, 0)  # behind pictures (letterbox/pillarbox bars)

# Masks in picture coordinates.
RECT_MASK = (0.0, 0.0, 0.5, 0.5)  # camera 102: the picture's top-left quarter
RECT_MASK2 = (0.6, 0.45, 0.3, 0.25)  # and a second one: masks add up
TRIANGLE = [(0.5, 0.1), (0.9, 0.1), (0.7, 0.6)]  # camera 5001

# id, rect on the canvas, zone, zone colour, cameras: (number, rgb, size).
OUTPUTS = [
    ("ssc-1", (0, 0, 960, 540), "ssc", SSC_COLOUR,
     [(101, (200, 40, 40), "320x180"), (102, (40, 170, 60), "320x240"),
      (103, (40, 60, 200), "320x180"), (104, (220, 200, 40), "320x180")]),
    ("g911-1", (960, 60, 800, 450), "g911", G911_COLOUR,
     [(5001, (180, 180, 120), "240x320"), (5002, (60, 30, 110), "320x180"),
      (5003, (200, 110, 110), "320x180"), (5004, (30, 90, 60), "320x180")]),
]
MASKED = {  # camera: (output index, tile index, inside(u, v))
    102: (0, 1, lambda u, v: any(m[0] <= u < m[0] + m[2] and m[1] <= v < m[1] + m[3]
                                 for m in (RECT_MASK, RECT_MASK2))),
    5001: (1, 0, lambda u, v: in_polygon(u, v, TRIANGLE)),
}
TIMEOUT = 30


def in_polygon(u, v, points):
    inside = False
    for i, (ax, ay) in enumerate(points):
        bx, by = points[(i + 1) % len(points)]
        if (ay <= v < by) or (by <= v < ay):
            if u < ax + (v - ay) / (by - ay) * (bx - ax):
                inside = not inside
    return inside


def write(tmp):
    cameras, outputs = [], []
    for out_id, rect, zone, _, cams in OUTPUTS:
        for number, rgb, size in cams:
            camera = {"number": number, "name": f"Cámara {number}",
                      "programme": "guardians" if zone == "g911" else "ssc",
                      "main": W.solid_clip(tmp, f"cam{number}", rgb, size=size)}
            if number == 102:
                camera["masks"] = [RECT_MASK, RECT_MASK2]
            if number == 5001:
                camera["site"] = "home"
                camera["masks"] = [TRIANGLE]
            cameras.append(camera)
        outputs.append({"id": out_id, "rect": rect, "zone": zone, "background": "#101418",
                        "pages": [{"layout": "quad", "tiles": [c[0] for c in cams]}]})
    return W.write_layout(
        os.path.join(tmp, "zones.cfg"),
        zones=[{"id": "ssc", "title": "SSC", "colour": W.rgb_hex(SSC_COLOUR),
                "admits": ("ssc",)},
               {"id": "g911", "title": "Guardianes 911", "colour": W.rgb_hex(G911_COLOUR),
                "admits": ("guardians",)}],
        layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
        outputs=outputs, cameras=cameras)


def canvas_tiles(index):
    """The canvas rectangles of output `index`'s four tiles."""
    _, (ox, oy, w, h), _, _, _ = OUTPUTS[index]
    return [(ox + x, oy + y, tw, th) for x, y, tw, th in W.tile_rects(w, h, 2, 2, GAP)]


def clip_size(size):
    w, h = size.split("x")
    return int(w), int(h)


def check_per_output(canvas_path):
    from PIL import ImageChops

    canvas = W.read_snapshot(canvas_path, *CANVAS)
    stem = canvas_path[:-len(".png")]
    for out_id, (x, y, w, h), _, _, _ in OUTPUTS:
        path = f"{stem}-{out_id}.png"
        one = W.read_snapshot(path, w, h)
        diff = ImageChops.difference(one.image, canvas.crop((x, y, w, h))).getbbox()
        W.check(diff is None, f"{path} differs from the canvas cut at {(x, y, w, h)} "
                f"in the box {diff}")
        W.log(f"{os.path.basename(path)}: {w}x{h}, equal to the canvas at {x},{y}")
    return canvas


def check_frames(picture):
    for index, (out_id, _, zone, colour, cams) in enumerate(OUTPUTS):
        for t, (rect, (number, rgb, _)) in enumerate(zip(canvas_tiles(index), cams)):
            x, y, w, h = rect
            selected = index == 0 and t == 0
            frame_colour, width = (SELECTED, 6) if selected else (colour, 3)
            what = f"{out_id} tile {t + 1} ({'selected' if selected else 'zone ' + zone} frame)"
            # Mid-edge points, 0..width-1 px inside; not the bottom edge of the
            # bottom-right tile (the status plate is there).
            cx, cy = W.centre(rect)
            for d in range(width):
                points = [(x + d, cy), (x + w - 1 - d, cy), (cx, y + d)]
                if t != 3:
                    points.append((cx, y + h - 1 - d))
                for px, py in points:
                    W.assert_rgb_close(picture.pixel(px, py), frame_colour, 2,
                                       f"{what} at ({px},{py})")
            if number not in MASKED:
                W.assert_rgb_close(picture.pixel(cx, cy), rgb, 4,
                                   f"{out_id} tile {t + 1} (camera {number}) centre")
    W.log("zone frames: ssc-1 blue, g911-1 amber, selected tile white")


def check_mask(picture, camera, tile, what):
    """Grid of points over `tile` (canvas rect): mask colour where the
    camera's mask is (picture coordinates), its clip colour elsewhere in the
    picture, black in the bars."""
    out_index, _, inside = MASKED[camera]
    rgb, size = next((c[1], c[2]) for c in OUTPUTS[out_index][4] if c[0] == camera)
    cw, ch = clip_size(size)
    px, py, pw, ph = W.fit_rect(tile, cw, ch)
    sx, sy, sw, sh = W.safe_area(tile)
    counts = {"mask": 0, "picture": 0, "bars": 0}
    problems = []

    def classify(x, y):
        if not (px <= x < px + pw and py <= y < py + ph):
            return "bars"
        return "mask" if inside((x + 0.5 - px) / pw, (y + 0.5 - py) / ph) else "picture"

    step = max(4, min(sw, sh) // 24)
    for y in range(sy, sy + sh, step):
        for x in range(sx, sx + sw, step):
            kinds = {classify(x + dx, y + dy) for dx in (-3, 0, 3) for dy in (-3, 0, 3)}
            if len(kinds) != 1:
                continue  # within 3 px of an edge: rounding may go either way
            kind = kinds.pop()
            expected = {"mask": MASK, "picture": rgb, "bars": BARS}[kind]
            got = picture.pixel(x, y)
            counts[kind] += 1
            if not W.rgb_close(got, expected, 4):
                problems.append(f"({x},{y}) {kind}: {W.rgb_hex(got)} not {W.rgb_hex(expected)}")
    W.log(f"{what}: picture {pw}x{ph} at {px},{py}; points checked {counts}")
    W.check(not problems, f"{what}: {len(problems)} points wrong, e.g. {problems[:6]}")
    W.check(counts["mask"] >= 20 and counts["picture"] >= 20 and counts["bars"] >= 10,
            f"{what}: too few points checked {counts} (test geometry)")


# Every drawing path must keep masks, frames and per-output snapshots true:
# the shader (gl), RGB copies in GL (rgb) and the canvas in memory (cpu).
PATHS = ("gl", "rgb", "cpu")


def run(tmp):
    config = write(tmp)
    for path in PATHS:
        snapshot = os.path.join(tmp, f"wall-{path}.png")
        W.run_headless(config, snapshot, frames=10, extra=["--draw", path])
        picture = check_per_output(snapshot)
        check_frames(picture)
        for camera, (out_index, tile, _) in MASKED.items():
            check_mask(picture, camera, canvas_tiles(out_index)[tile],
                       f"--draw {path}: camera {camera} in its tile")
        W.log(f"--draw {path}: frames and masks hold")

    with W.start_live_wall(config, tmp) as wall:
        def live(tiles):
            return len(tiles) == 8 and all(t.get("state") == "live" for t in tiles)

        wall.wait_tiles(live, "all eight tiles are live", TIMEOUT)
        wall.ok("maximize ssc-1 2")
        wall.ok("maximize g911-1 1")
        tiles = wall.tiles()
        W.check([(t["output"], t["tile"], t["maximized"], t["camera"]) for t in tiles]
                == [("ssc-1", 2, True, 102), ("g911-1", 1, True, 5001)],
                f"after maximize: {tiles}")
        path = wall.snapshot(os.path.join(tmp, "maximized.png"))
        picture = check_per_output(path)
        for camera, (out_index, _, _) in MASKED.items():
            x, y, w, h = OUTPUTS[out_index][1]
            check_mask(picture, camera, (x, y, w, h), f"camera {camera} maximized")
        wall.stop()


if __name__ == "__main__":
    W.main(run)
