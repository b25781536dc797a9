#!/usr/bin/python3
"""Privacy masks fail closed: a camera whose masks cannot be built shows the
slate, never its picture, on every drawing path.

One output (640x360, a 1x2 grid, gap 4): camera 301, a solid green clip
with a mask over the left half of its picture, in tile 1; camera 302, a
solid blue clip without masks, in tile 2.

1. With WALL_TEST_FAIL_MASK_ALLOC=1 (every mask allocation fails), once per
   drawing path (--draw gl, rgb, cpu), `--headless --frames 10 --snapshot
   --stats`:
   - tile 1 shows the NO SIGNAL slate (#3c1414 at the slate point, white
     slate text) and not one pixel of its safe area is the clip's green:
     neither the masked half nor the half the mask leaves clear;
   - tile 2 shows its blue picture at its centre (only masks fail);
   - stderr has exactly one line saying camera 301's privacy masks cannot
     be built;
   - --stats: camera 301's feed says "masks": "failed", camera 302's
     "none", and "masks_failed" is 1.
2. Without the variable (cpu path): tile 1 shows the mask colour on the
   left and green on the right, "masks": "applied", "masks_failed" 0: the
   slate above came from the failure, not from the layout.
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
GREEN, BLUE = (40, 170, 60), (40, 60, 200)
MASK = (0x20, 0x20, 0x20)
LEFT_HALF = (0.0, 0.0, 0.5, 1.0)
PATHS = ("gl", "rgb", "cpu")
FAILURE = "camera 301: its privacy masks cannot be built"


def write(tmp):
    return W.write_layout(
        os.path.join(tmp, "masks.cfg"),
        layouts=[{"name": "pair", "grid": (1, 2), "gap": GAP}],
        cameras=[{"number": 301, "name": "Casa 301", "programme": "guardians", "site": "home",
                  "main": W.solid_clip(tmp, "green", GREEN), "masks": [LEFT_HALF]},
                 {"number": 302, "name": "Calle 302",
                  "main": W.solid_clip(tmp, "blue", BLUE)}],
        outputs=[{"id": "main", "rect": (0, 0, WIDTH, HEIGHT), "background": "#101418",
                  "pages": [{"layout": "pair", "tiles": [301, 302]}]}])


def run_path(config, tmp, path, fail):
    snapshot = os.path.join(tmp, f"{path}-{'fail' if fail else 'ok'}.png")
    env = W.wall_env(WALL_TEST_FAIL_MASK_ALLOC="1") if fail else W.wall_env()
    args = ["--config", config, "--headless", "--frames", "10", "--snapshot", snapshot,
            "--stats", "--draw", path, *W.UNLIMITED_BUDGET]
    result = W.run_wall(args, env=env).expect_exit(0)
    return result, result.stats(), W.read_snapshot(snapshot, WIDTH, HEIGHT)


def check_failed(config, tmp, path):
    result, stats, picture = run_path(config, tmp, path, fail=True)
    what = f"--draw {path}, masks failing"
    masked, plain = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
    W.assert_slate(picture, masked, W.SLATE_NO_SIGNAL, f"{what}: camera 301's tile")
    green = picture.count(W.safe_area(masked), lambda p: W.rgb_close(p, GREEN, 24))
    W.check(green == 0, f"{what}: {green} pixels of camera 301's picture are on the glass")
    W.assert_rgb_close(picture.pixel(*W.centre(plain)), BLUE, 4, f"{what}: camera 302's centre")

    lines = [line for line in result.stderr.splitlines() if FAILURE in line]
    W.check(len(lines) == 1, f"{what}: expected one log line with {FAILURE!r}, got "
            f"{len(lines)}\n{W.tail(result.stderr)}")
    W.check(W.feed_stats(stats, 301).get("masks") == "failed",
            f"{what}: camera 301's feed: {W.feed_stats(stats, 301)}")
    W.check(W.feed_stats(stats, 302).get("masks") == "none",
            f"{what}: camera 302's feed: {W.feed_stats(stats, 302)}")
    W.check(stats.get("masks_failed") == 1, f"{what}: masks_failed is "
            f"{stats.get('masks_failed')!r}, expected 1")
    W.log(f"{what}: slate over camera 301, its picture nowhere; logged once; counted")


def check_baseline(config, tmp):
    _, stats, picture = run_path(config, tmp, "cpu", fail=False)
    masked, _ = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
    px, py, pw, ph = W.fit_rect(masked, 320, 180)
    y = py + ph // 3
    W.assert_rgb_close(picture.pixel(px + pw // 4, y), MASK, 4, "baseline: masked half")
    W.assert_rgb_close(picture.pixel(px + pw * 3 // 4, y), GREEN, 4, "baseline: clear half")
    W.check(W.feed_stats(stats, 301).get("masks") == "applied" and
            stats.get("masks_failed") == 0,
            f"baseline: camera 301's feed {W.feed_stats(stats, 301)}, "
            f"masks_failed {stats.get('masks_failed')!r}")
    W.log("baseline: the mask is drawn and the rest of the picture shows")


def run(tmp):
    config = write(tmp)
    for path in PATHS:
        check_failed(config, tmp, path)
    check_baseline(config, tmp)


if __name__ == "__main__":
    W.main(run)
