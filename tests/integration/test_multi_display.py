#!/usr/bin/python3
"""Four monitors under Xorg (dummy driver): one window per output, each on
its own display, each showing its zone's tiles.

Xorg with the dummy driver gets four 1920x1080 monitors side by side from
xrandr (DUMMY0..DUMMY3 at x = 0, 1920, 3840, 5760). The layout has four
outputs: three in an SSC zone (blue frames) and one in a Guardians zone
(amber frames), each a 2x2 grid (gap 4) of solid-colour clips, every output
with colours of its own. The outputs are not on the displays in canvas
order: ssc-2 (canvas x 1920) is on display 2 and ssc-3 (canvas x 3840) on
display 1, and the Guardians output names its display by connector name,
so a window in the right place shows that it went where its display is,
not where its canvas rectangle is.

1. The wall logs one `output: ID: window 1920x1080 on display N (NAME) at
   X,Y` per output with the display's bounds; after `settled:`, a
   screenshot of the root window, cut at each display's bounds, shows the
   output's tile colours at the tile centres and the zone's colour in the
   3 px just inside each tile's edges (6 px white on the selected tile:
   output 1, tile 1). SIGTERM: exit 0.
2. A layout whose outputs name display 7 and a connector that does not
   exist: an ERROR line names each (`display #7`, `display HDMI-A-9`), and
   the two other outputs still open their windows and show their tiles.

3. One output across displays 1 and 2 as a group of monitors ([1, 2], 40 px
   bezels) showing a clip whose colours encode picture coordinates, drawn
   1:1: a window opens on each display (`output: wide monitor N: window`),
   and a grid of points on both shows the picture with the 80 columns
   behind the two bezels left out.

Skips (77) when Xorg, xrandr or the dummy driver is missing.
"""

import os
import re
import signal

import walltest as W

N, WIDTH, HEIGHT, GAP = 4, 1920, 1080, 4
ZONES = [
    {"id": "ssc", "title": "SSC Seguridad Ciudadana", "colour": "#1e6fd9", "admits": ("ssc",)},
    {"id": "g911", "title": "Guardianes 911", "colour": "#e0a100", "admits": ("guardians",)},
]
ZONE_COLOUR = {"ssc": (0x1E, 0x6F, 0xD9), "g911": (0xE0, 0xA1, 0x00)}
SELECTED = (0xFF, 0xFF, 0xFF)
FRAME, SELECTED_FRAME = 3, 6

# Each output: (id, zone, canvas x, display as written in the layout, the
# display index it must land on, four tile colours, camera numbers).
OUTPUTS = [
    ("ssc-1", "ssc", 0, 0, 0,
     [(200, 40, 40), (40, 170, 60), (40, 60, 200), (220, 200, 40)], [101, 102, 103, 104]),
    ("ssc-2", "ssc", 1920, 2, 2,
     [(200, 40, 200), (40, 200, 200), (240, 130, 30), (120, 60, 20)], [105, 106, 107, 108]),
    ("ssc-3", "ssc", 3840, 1, 1,
     [(130, 40, 180), (150, 200, 90), (90, 90, 90), (250, 160, 180)], [109, 110, 111, 112]),
    ("g911-1", "g911", 5760, "DUMMY3", 3,
     [(30, 90, 60), (180, 180, 120), (60, 30, 110), (200, 110, 110)], [5001, 5002, 5003, 5004]),
]
SETTLE_GUARD = 90  # s: failure guard only; the test waits for `settled:`
PICTURE_GUARD = 30  # s: until the screenshot shows every window's tiles


def make_cameras(tmp):
    cameras = []
    for out_id, zone, _, _, _, colours, numbers in OUTPUTS:
        for number, rgb in zip(numbers, colours):
            cameras.append({
                "number": number, "name": f"Cámara {number}",
                "programme": "guardians" if zone == "g911" else "ssc",
                "site": "bank" if zone == "g911" else "street",
                "main": W.solid_clip(tmp, f"cam{number}", rgb),
            })
    return cameras


def layout(path, cameras, displays):
    """displays: {output id: display value}; outputs not named are left out."""
    outputs = []
    for out_id, zone, x, _, _, _, numbers in OUTPUTS:
        if out_id not in displays:
            continue
        outputs.append({
            "id": out_id, "display": displays[out_id], "rect": (x, 0, WIDTH, HEIGHT),
            "zone": zone, "background": "#101418",
            "pages": [{"name": "Inicio", "layout": "quad", "tiles": list(numbers)}],
        })
    return W.write_layout(path, zones=ZONES,
                          layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
                          outputs=outputs, cameras=cameras)


def frame_points(rect, depth):
    """Points `depth` px inside each edge of a tile, at the middle of the
    edge ((x, y, edge)): the bottom edge of the bottom-right tile is left
    out (the status plate sits over it)."""
    x, y, w, h = rect
    cx, cy = x + w // 2, y + h // 2
    return [(x + depth, cy, "left"), (x + w - 1 - depth, cy, "right"),
            (cx, y + depth, "top"), (cx, y + h - 1 - depth, "bottom")]


def output_problems(picture, display_index, out, selected_tile):
    """What differs from the expected picture of output `out` on the display
    at `display_index` (an empty list when it all matches)."""
    out_id, zone, _, _, _, colours, _ = out
    ox = display_index * WIDTH
    rects = W.tile_rects(WIDTH, HEIGHT, 2, 2, GAP)
    problems = []
    for t, (rect, rgb) in enumerate(zip(rects, colours)):
        x, y, w, h = rect
        cx, cy = W.centre(rect)
        got = picture.pixel(ox + cx, cy)
        if not W.rgb_close(got, rgb, 4):
            problems.append(f"{out_id} tile {t + 1}: centre ({cx},{cy}) is {W.rgb_hex(got)}, "
                            f"expected {W.rgb_hex(rgb)}")
        selected = t == selected_tile
        colour = SELECTED if selected else ZONE_COLOUR[zone]
        width = SELECTED_FRAME if selected else FRAME
        for depth in range(width):
            for px, py, edge in frame_points(rect, depth):
                if t == 3 and edge == "bottom":
                    continue
                got = picture.pixel(ox + px, py)
                if not W.rgb_close(got, colour, 2):
                    problems.append(
                        f"{out_id} tile {t + 1}: {edge} frame {depth} px inside the edge at "
                        f"({px},{py}) is {W.rgb_hex(got)}, expected {W.rgb_hex(colour)} "
                        f"({'selected' if selected else 'zone ' + zone})")
    return problems


def await_pictures(tmp, display, name, expected):
    """Screenshots until every (display index, output, selected tile) in
    `expected` shows its tiles; returns the picture."""
    seen = {}

    def shows_all():
        path = W.screenshot(display, os.path.join(tmp, name))
        picture = W.read_png(path)
        W.check((picture.width, picture.height) == (N * WIDTH, HEIGHT),
                f"the root window is {picture.width}x{picture.height}, "
                f"expected {N * WIDTH}x{HEIGHT}")
        problems = []
        for index, out, selected in expected:
            problems += output_problems(picture, index, out, selected)
        seen["problems"] = problems
        return picture if not problems else None

    return W.wait_until(shows_all, f"{name} shows every output's tiles and frames",
                        PICTURE_GUARD, interval=0.5,
                        describe=lambda: "; ".join(seen.get("problems", [])[:8]))


def await_settled(wall, stderr):
    settled = stderr.wait_for(r"settled:", SETTLE_GUARD)
    if not settled:
        status = wall.poll()
        raise W.Failure("the wall did not log 'settled:' "
                        + (f"(it exited with {status})" if status is not None
                           else f"within {SETTLE_GUARD} s")
                        + f"\n--- stderr:\n{W.tail(stderr.text())}")
    W.log(f"wall: {settled.string}")


def stop(wall, stderr):
    status = W.stop_process(wall, signal.SIGTERM, timeout=20)
    W.check(status == 0, f"after SIGTERM the wall exited with {status}, expected 0"
            f"\n--- stderr:\n{W.tail(stderr.text())}")


def window_line(stderr, out_id):
    lines = stderr.matching(rf"output: {re.escape(out_id)}: window ")
    W.check(len(lines) == 1, f"expected one `output: {out_id}: window ...` line, got {lines}")
    match = re.search(r"window (\d+)x(\d+) on display (\d+) \(([^)]*)\) at (-?\d+),(-?\d+)",
                      lines[0])
    W.check(match, f"cannot read the window line: {lines[0]!r}")
    w, h, index, name, x, y = match.groups()
    return int(w), int(h), int(index), name, int(x), int(y)


def four_windows(tmp, display, cameras):
    config = layout(os.path.join(tmp, "four.cfg"), cameras,
                    {out[0]: out[3] for out in OUTPUTS})
    with W.start_wall(["--config", config], W.wall_env(display=display), cwd=tmp) as (wall,
                                                                                      stderr):
        await_settled(wall, stderr)
        for out_id, _, _, _, index, _, _ in OUTPUTS:
            w, h, got_index, name, x, y = window_line(stderr, out_id)
            W.log(f"{out_id}: window {w}x{h} on display {got_index} ({name}) at {x},{y}")
            W.check((w, h, got_index, x, y) == (WIDTH, HEIGHT, index, index * WIDTH, 0),
                    f"{out_id}: window {w}x{h} on display {got_index} at {x},{y}; expected "
                    f"{WIDTH}x{HEIGHT} on display {index} at {index * WIDTH},0")
            W.check(name == f"DUMMY{index}",
                    f"{out_id}: display {got_index} is named {name!r}, expected DUMMY{index}")
        errors = stderr.matching(r"ERROR")
        W.check(not errors, f"ERROR lines with every display present: {errors}")
        # Output 1 (ssc-1) is the selected output, its tile 1 the selected tile.
        expected = [(out[4], out, 0 if out[0] == "ssc-1" else None) for out in OUTPUTS]
        await_pictures(tmp, display, "four.png", expected)
        W.check(wall.poll() is None, "the wall exited after the screenshot")
        stop(wall, stderr)


def missing_displays(tmp, display, cameras):
    displays = {"ssc-1": 0, "ssc-2": 7, "ssc-3": "HDMI-A-9", "g911-1": 3}
    config = layout(os.path.join(tmp, "missing.cfg"), cameras, displays)
    with W.start_wall(["--config", config], W.wall_env(display=display), cwd=tmp) as (wall,
                                                                                      stderr):
        await_settled(wall, stderr)
        errors = stderr.matching(r"ERROR")
        W.log(f"errors: {errors}")
        for out_id, name in (("ssc-2", "#7"), ("ssc-3", "HDMI-A-9")):
            lines = [line for line in errors
                     if re.search(rf"output: {re.escape(out_id)}: display ", line)]
            W.check(len(lines) == 1, f"expected one ERROR `output: {out_id}: display ...` line, "
                    f"got {lines} (all ERROR lines: {errors})")
            W.check(re.search(rf"display {re.escape(name)} not found", lines[0])
                    and "not shown" in lines[0],
                    f"{out_id}: the ERROR line does not name display {name} "
                    f"(`display {name} not found ...: not shown`): {lines[0]!r}")
        W.check(len(errors) == 2, f"expected two ERROR lines, got {errors}")
        for out_id, index in (("ssc-1", 0), ("g911-1", 3)):
            w, h, got_index, _, x, y = window_line(stderr, out_id)
            W.check((w, h, got_index, x, y) == (WIDTH, HEIGHT, index, index * WIDTH, 0),
                    f"{out_id}: window {w}x{h} on display {got_index} at {x},{y}")
        for out_id in ("ssc-2", "ssc-3"):
            W.check(not stderr.matching(rf"output: {re.escape(out_id)}: window "),
                    f"{out_id} got a window although its display does not exist")
        by_id = {out[0]: out for out in OUTPUTS}
        await_pictures(tmp, display, "missing.png",
                       [(0, by_id["ssc-1"], 0), (3, by_id["g911-1"], None)])
        W.check(wall.poll() is None, "the wall exited with two displays missing")
        stop(wall, stderr)


def group_across_displays(tmp, display):
    """One output across displays 1 and 2 (monitors [1, 2], bezel 40 px):
    a window on each, and the picture continues across the seam with the
    80 columns behind the two bezels left out."""
    bezel = 40
    picture_w = 2 * WIDTH + 2 * bezel
    clip = W.coordinate_clip(tmp, "coords", picture_w, HEIGHT, rate=5)
    config = W.write_layout(
        os.path.join(tmp, "group.cfg"), zones=ZONES,
        layouts=[{"name": "whole", "grid": (1, 1), "gap": 0}],
        cameras=[{"number": 7, "name": "Coordenadas", "main": clip}],
        outputs=[{"id": "wide", "display": [1, "DUMMY2"], "monitors": (1, 2),
                  "bezel": (bezel, 0), "rect": (0, 0, 2 * WIDTH, HEIGHT), "zone": "ssc",
                  "pages": [{"layout": "whole", "tiles": [7]}]}])
    with W.start_wall(["--config", config], W.wall_env(display=display), cwd=tmp) as (wall,
                                                                                      stderr):
        await_settled(wall, stderr)
        for part, index in ((1, 1), (2, 2)):
            w, h, got_index, _, x, y = window_line(stderr, f"wide monitor {part}")
            W.check((w, h, got_index, x, y) == (WIDTH, HEIGHT, index, index * WIDTH, 0),
                    f"wide monitor {part}: window {w}x{h} on display {got_index} at {x},{y}")
        # Canvas x on display d shows picture x: the left monitor 0..1919,
        # the right one from 1920 + 2 * bezel.
        points = [(x, y) for y in range(40, HEIGHT // 2, 37) for x in range(30, WIDTH - 30, 41)]
        seen = {}

        def continues():
            picture = W.read_png(W.screenshot(display, os.path.join(tmp, "group.png")))
            problems = []
            for monitor, origin in ((1, 0), (2, WIDTH + 2 * bezel)):
                for x, y in points:
                    px = origin + x
                    if W.near_coordinate_jump(px, y, 14):
                        continue
                    got = picture.pixel(monitor * WIDTH + x, y)
                    want = W.coordinate_colour(px, y)
                    if abs(got[0] - want[0]) > 8 or abs(got[1] - want[1]) > 8:
                        problems.append(f"display {monitor} ({x},{y}): {W.rgb_hex(got)}, "
                                        f"expected picture point ({px},{y})")
            seen["problems"] = problems
            return not problems

        W.wait_until(continues, "the picture continues across displays 1 and 2", PICTURE_GUARD,
                     interval=0.5, describe=lambda: "; ".join(seen.get("problems", [])[:6]))
        W.log(f"wide: {len(points)} points on each display show the picture with the "
              f"{2 * bezel} columns behind the bezels left out")
        stop(wall, stderr)


def run(tmp):
    W.require_tool("import")
    missing = W.xorg_dummy_missing()
    if missing:
        raise W.Skip(missing)
    cameras = make_cameras(tmp)
    with W.start_xorg_dummy(N, WIDTH, HEIGHT, tmp=tmp) as display:
        four_windows(tmp, display, cameras)
        missing_displays(tmp, display, cameras)
        group_across_displays(tmp, display)


if __name__ == "__main__":
    W.main(run)
