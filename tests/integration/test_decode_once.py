#!/usr/bin/python3
"""Headless: one camera shown in two tiles on two outputs is one feed,
decoded once and uploaded once per frame.

Two outputs (ssc-1 and ssc-2, 640x360 each, side by side), each a 1x2 grid:
camera 301 (a moving 25 fps clip) is in tile 1 of both outputs; camera 302
(another moving clip) only in tile 2 of ssc-1, as a reference. The wall
runs with --control at 25 fps.

- `tiles` shows camera 301 in ssc-1 tile 1 and ssc-2 tile 1; `stats` lists
  camera 301 once (one feed), and camera 302 once.
- At every sample, for both cameras, frames_shown (GPU uploads) <=
  frames_decoded: a frame is uploaded at most once, and only once decoded.
- Over a sampled interval of about 3 s: camera 301's frames_shown grows by
  at most the frames it decoded in that interval (+2 for the one or two
  frames decoded before the interval and uploaded inside it), and by more
  than 30 % of them (the tiles do show its frames). Uploading once per
  tile, or once per output, would make it grow about twice as fast.
- The shared camera's upload rate per decoded frame is about that of the
  single-tile camera 302.
"""

import os

import walltest as W

WIDTH, HEIGHT = 640, 360
INTERVAL_FRAMES = 75  # about 3 s of a 25 fps clip
SLACK = 2  # frames decoded just before a sample, uploaded just after it
TIMEOUT = 30


def write(tmp):
    shared, single = W.make_moving_clips(tmp, 2, size="320x180", duration=4)
    cameras = [{"number": 301, "name": "Cámara compartida", "main": shared},
               {"number": 302, "name": "Cámara sola", "main": single}]
    outputs = [
        {"id": "ssc-1", "rect": (0, 0, WIDTH, HEIGHT),
         "pages": [{"layout": "pair", "tiles": [301, 302]}]},
        {"id": "ssc-2", "rect": (WIDTH, 0, WIDTH, HEIGHT),
         "pages": [{"layout": "pair", "tiles": [301, 0]}]},
    ]
    return W.write_layout(os.path.join(tmp, "shared.cfg"),
                          layouts=[{"name": "pair", "grid": (1, 2)}],
                          outputs=outputs, cameras=cameras)


def counters(feed):
    return feed["frames_decoded"], feed["frames_shown"]


def run(tmp):
    config = write(tmp)
    with W.start_live_wall(config, tmp, extra=["--fps", "25"]) as wall:
        wall.wait_tiles(lambda tiles: len(tiles) == 4 and all(
            t.get("state") == "live" for t in tiles if t.get("camera")),
            "every tile is live", TIMEOUT)
        tiles = wall.tiles()
        placed = sorted((t["output"], t["tile"]) for t in tiles if t["camera"] == 301)
        W.check(placed == [("ssc-1", 1), ("ssc-2", 1)],
                f"camera 301 should be in ssc-1 tile 1 and ssc-2 tile 1: {W.tile_summary(tiles)}")

        stats = wall.stats()
        numbers = [feed.get("camera") for feed in stats["feeds"]]
        W.check(numbers.count(301) == 1,
                f"stats lists camera 301 {numbers.count(301)} times, expected once: {numbers}")
        W.check(numbers.count(302) == 1, f"stats lists camera 302 {numbers.count(302)} times")
        W.check(len(numbers) == 2, f"two cameras, expected two feeds: {numbers}")

        def invariant(feeds):
            for number in (301, 302):
                decoded, shown = counters(feeds[number])
                W.check(shown <= decoded,
                        f"camera {number}: frames_shown {shown} > frames_decoded {decoded}: "
                        "a frame was uploaded more than once")
            return feeds

        first = invariant(wall.feeds())
        start = counters(first[301])
        W.log(f"start: 301 decoded/shown {start}, 302 {counters(first[302])}")
        # Sample on the way (the invariant holds at every moment), until the
        # interval has its frames.
        last = wall.wait_feeds(
            lambda feeds: invariant(feeds) and feeds[301]["frames_decoded"] >= start[0] + INTERVAL_FRAMES,
            f"camera 301 decodes {INTERVAL_FRAMES} more frames", TIMEOUT)
        results = {}
        for number in (301, 302):
            d0, s0 = counters(first[number])
            d1, s1 = counters(last[number])
            decoded, shown = d1 - d0, s1 - s0
            results[number] = (decoded, shown)
            W.log(f"camera {number}: decoded +{decoded}, shown +{shown} "
                  f"({shown / max(decoded, 1):.2f} uploads per decoded frame)")
            W.check(decoded > 0, f"camera {number} decoded nothing in the interval")
            W.check(shown <= decoded + SLACK,
                    f"camera {number}: frames_shown grew by {shown} while {decoded} frames "
                    f"were decoded: uploaded more than once per frame")
            W.check(shown > 0.3 * decoded,
                    f"camera {number}: frames_shown grew by {shown} for {decoded} decoded "
                    "frames: its tiles do not show its frames")
        (d301, s301), (d302, s302) = results[301], results[302]
        ratio301, ratio302 = s301 / d301, s302 / d302
        W.check(ratio301 <= ratio302 * 1.3 + 0.1,
                f"camera 301 (two tiles, two outputs) has {ratio301:.2f} uploads per decoded "
                f"frame, camera 302 (one tile) {ratio302:.2f}")
        wall.stop()


if __name__ == "__main__":
    W.main(run)
