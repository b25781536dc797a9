#!/usr/bin/python3
"""The decode budget under load, made deterministic with --decode-capacity.

A 2x2 wall (1280x720, headless, --control) shows four cameras, each a
solid-colour 640x360 clip, with `--decode-capacity 0.1`: decoding may use
a tenth of one per cent of a core, far less than any of them needs, so the
budget reduces every feed it may. The capacity is set, not measured: what
the budget decides depends on no machine's speed.
1. The selected tile (tile 1 of the selected output, at start) keeps full
   rate (`decode: all`) while the three others drop to key frames only;
   `tiles` says "live" for tile 1 and "reduced" for the others; the snapshot
   shows the REDUCED badge (#305070) at the top right of exactly the reduced
   tiles.
2. `select main 3` moves the exemption: camera 3 returns to full rate and
   camera 1, no longer selected, drops to key frames (the budget's plan);
   the badges follow.
3. `maximize main 4`: the maximized tile keeps full rate although not
   selected; `restore main` brings it back to key frames.
Waits are on `stats`, with generous guards; nothing is timed.
"""

import os

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1280, 720, 2, 2, 4
COLOURS = [(230, 140, 30), (40, 200, 60), (220, 200, 40), (200, 60, 160)]
CAMERAS = [701, 702, 703, 704]
BADGE = (0x30, 0x50, 0x70)
TIMEOUT = 60  # s: a guard


def wait_decode(wall, want, what):
    """Wait until every camera in `want` decodes as it says ('all'/'keyframes')."""
    seen = {}

    def poll():
        seen["feeds"] = wall.feeds()
        feeds = seen["feeds"]
        done = all(feeds.get(c, {}).get("decode") == mode and
                   feeds[c].get("frames_shown", 0) > 0 for c, mode in want.items())
        return feeds if done else None

    def describe():
        return ", ".join(f"{n}: {f.get('decode')}" for n, f in seen.get("feeds", {}).items())

    return W.wait_until(poll, what, TIMEOUT, describe=describe)


def badge_pixels(picture, rect):
    """Pixels of the REDUCED badge's colour in the tile's top-right corner."""
    x, y, w, h = rect
    corner = (x + w - 140, y, 140, 40)
    return picture.count(corner, lambda p: W.rgb_close(p, BADGE, tolerance=30))


def check_badges(wall, tmp, rects, reduced, what):
    path = wall.snapshot(os.path.join(tmp, f"{what.replace(' ', '-')}.png"))
    picture = W.read_snapshot(path, WIDTH, HEIGHT)
    for camera, rect in zip(CAMERAS, rects):
        n = badge_pixels(picture, rect)
        if camera in reduced:
            W.check(n >= 200, f"{what}: camera {camera} is reduced but its tile shows no "
                    f"REDUCED badge ({n} badge-coloured pixels at its top right)")
        else:
            W.check(n == 0, f"{what}: camera {camera} decodes every frame but its tile shows "
                    f"{n} REDUCED-badge pixels at its top right")
    states = {t["camera"]: t["state"] for t in wall.tiles() if t.get("camera")}
    for camera in CAMERAS:
        if camera in states:
            want = "reduced" if camera in reduced else "live"
            W.check(states[camera] == want,
                    f"{what}: tile of camera {camera} is {states[camera]!r}, expected {want!r}")
    W.log(f"{what}: reduced {sorted(reduced)}, badges on exactly those")


def run(tmp):
    clips = [W.solid_clip(tmp, f"solid{i}", rgb, size="640x360", duration=4)
             for i, rgb in enumerate(COLOURS)]
    cameras = [(n, f"Budget {n}", clip) for n, clip in zip(CAMERAS, clips)]
    config = W.write_config(os.path.join(tmp, "budget.cfg"), width=WIDTH, height=HEIGHT,
                            rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    a, b, c, d = CAMERAS
    with W.start_live_wall(config, tmp, extra=["--decode-capacity", "0.1"]) as wall:
        wait_decode(wall, {a: "all", b: "keyframes", c: "keyframes", d: "keyframes"},
                    "the selected tile at full rate, the others on key frames")
        stats = wall.stats()
        W.check(stats["budget"]["reduced"] == 3, f"budget: {stats['budget']}")
        W.check(stats["budget"]["decode_capacity"] < 1,
                f"--decode-capacity 0.1 not applied: {stats['budget']}")
        check_badges(wall, tmp, rects, {b, c, d}, "tile 1 selected")

        wall.ok("select main 3")
        wait_decode(wall, {a: "keyframes", b: "keyframes", c: "all", d: "keyframes"},
                    "the exemption following the selection to tile 3")
        check_badges(wall, tmp, rects, {a, b, d}, "tile 3 selected")

        wall.ok("maximize main 4")
        wait_decode(wall, {c: "all", d: "all"}, "the maximized tile at full rate")
        wall.ok("restore main")
        selected = [t["camera"] for t in wall.tiles() if t.get("selected")]
        W.check(len(selected) == 1, f"after restore: selected tiles {selected}")
        plan = {n: "all" if n == selected[0] else "keyframes" for n in CAMERAS}
        wait_decode(wall, plan, f"the budget's plan back after restore (camera {selected[0]} "
                    "selected)")
        check_badges(wall, tmp, rects, set(CAMERAS) - {selected[0]}, "restored")
        W.check(wall.log.matching(r"--decode-capacity"),
                "the budget's log line does not say the capacity was set")
        wall.stop()


if __name__ == "__main__":
    W.main(run)
