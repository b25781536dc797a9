#!/usr/bin/python3
"""The built-in demo on one core: every camera keeps moving, and the OSD's
plates never overlap.

The test pins itself (and so the wall it starts) to one CPU, as `taskset -c
0` would: a machine half as fast as the development ones. The budget must
still decode every feed at full rate, because decoding 16 x 360p fits one
core with room to spare; only the output frame rate may fall. So, with the
demo running headless (assets/demo.cfg, 16 cameras on 4x4) and --control:
1. once every feed has shown a few frames, `stats` says `decode: all` for
   all 16 and `budget.reduced` is 0, and the log never says "key frames
   only";
2. two canvas snapshots, taken after every feed has shown at least 10 more
   frames, differ in the safe area of every tile: every tile moves;
3. `tiles` says "live" (not "reduced") for all 16;
4. `plates` lists the camera labels and the status plate, and no two plates
   of the output overlap; the same after an alarm pops a camera over the
   output (alarm title, the alarm tile's label, the status plate).
No timing thresholds: waits are on the wall's own counters, with generous
guards.
"""

import json
import os

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1920, 1080, 4, 4, 4
CAMERAS = list(range(101, 117))
START_TIMEOUT = 120  # s: a guard; one slow core starts 16 decoders
MORE_FRAMES = 10


def pin_to_one_core():
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[0]})
    W.log(f"pinned to CPU {cpus[0]} of {len(cpus)}")


def wait_frames(wall, at_least, what):
    """Every demo feed has shown at least at_least[camera] frames."""
    def enough(feeds):
        return len(feeds) == len(CAMERAS) and all(
            feeds.get(c, {}).get("frames_shown", 0) >= at_least.get(c, 1) for c in CAMERAS)
    return wall.wait_feeds(enough, what, START_TIMEOUT)


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def check_plates(wall, what, expect_texts):
    plates = json.loads(wall.ok("plates"))
    texts = [p["text"] for p in plates]
    for expected in expect_texts:
        W.check(any(expected in t for t in texts),
                f"{what}: no plate says {expected!r}; plates: {texts}")
    clashes = [(a["text"], b["text"]) for i, a in enumerate(plates) for b in plates[i + 1:]
               if a["output"] == b["output"] and overlaps(a, b)]
    W.check(not clashes, f"{what}: plates overlap: {clashes[:5]}\nall plates: {plates}")
    W.log(f"{what}: {len(plates)} plates, none overlapping")
    return plates


def run(tmp):
    pin_to_one_core()
    config = os.path.join(W.source_root(), "assets", "demo.cfg")
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    with W.start_live_wall(config, tmp, timeout=START_TIMEOUT, measured_budget=True) as wall:
        feeds = wait_frames(wall, {}, "every demo feed showing frames")
        feeds = wait_frames(wall, {c: 5 for c in CAMERAS}, "every demo feed past 5 frames")
        stats = wall.stats()
        reduced = [n for n, f in W.feeds_by_camera(stats).items() if f.get("decode") != "all"]
        W.check(not reduced, f"on one core the budget reduced cameras {reduced}: "
                f"{stats.get('budget')}, output {stats.get('output')}")
        W.check(stats["budget"]["reduced"] == 0, f"budget: {stats['budget']}")
        W.log(f"one core: budget {stats['budget']}, output {stats['output']}")

        first = wall.snapshot(os.path.join(tmp, "first.png"))
        shown = {n: f["frames_shown"] for n, f in W.feeds_by_camera(wall.stats()).items()}
        wait_frames(wall, {c: shown[c] + MORE_FRAMES for c in CAMERAS},
                    f"every feed showing {MORE_FRAMES} more frames")
        second = wall.snapshot(os.path.join(tmp, "second.png"))
        a = W.read_snapshot(first, WIDTH, HEIGHT)
        b = W.read_snapshot(second, WIDTH, HEIGHT)
        still = []
        for camera, rect in zip(CAMERAS, rects):
            x, y, w, h = W.safe_area(rect)
            if a.crop((x, y, w, h)).tobytes() == b.crop((x, y, w, h)).tobytes():
                still.append(camera)
        W.check(not still, f"tiles of cameras {still} did not move between two snapshots "
                f"{MORE_FRAMES} frames apart")

        tiles = wall.tiles()
        states = {t["camera"]: t["state"] for t in tiles}
        W.check(all(states.get(c) == "live" for c in CAMERAS), f"tile states: {states}")

        check_plates(wall, "demo", ["101  Av. Tulum", "116  Glorieta", "/20"])
        wall.ok("alarm 107 main 30")
        wall.wait_tiles(lambda ts: any(t.get("alarm") for t in ts), "the alarm on the output", 30)
        check_plates(wall, "alarm", ["ALARM", "107  Av. Kabah"])

        W.check(not wall.log.matching(r"key frames only"),
                "the log says feeds went to key frames only:\n" +
                "\n".join(wall.log.matching(r"budget")))
        wall.stop()


if __name__ == "__main__":
    W.main(run)
