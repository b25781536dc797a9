#!/usr/bin/python3
"""Numbered frames (walltest.numbered_source, read_number) read back right:
the tool the replay test measures time with, checked on its own.

- A numbered clip (320x180, 25 fps, x264 crf 10 as the replay test makes
  it), 4100 frames long: FFmpeg decodes every frame, and read_number reads
  each frame's own number, 0 to 4095, then 0 again (12 bits wrap).
- The same at crf 28, over 250 frames: the code survives a coarse encoder.
- Chosen frames (0, 1, 123, 1024, 2047, 2730, 4095), scaled as tiles
  scale them (309x174 bilinear: a 2x2 tile of 640x360; 153x86 bicubic: a
  4x4 tile; 1280x720 bilinear: an alarm over a whole output), read back as
  their numbers.
- Through the wall: the crf 10 clip served by the test RTSP server, camera
  201 in tiles 1 and 2 of a 2x2 grid (one feed), the crf 28 clip as camera
  202 in tile 3. In a snapshot tiles 1 and 2 read the same number; after
  the feed showed more frames, a second snapshot reads a larger one in
  both; tile 3 reads a number too. So read_number survives the wall's
  scaler and renderer (llvmpipe on CI), and two tiles of one camera in one
  snapshot show the same frame: what the replay test compares against.
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
CLIP_W, CLIP_H, RATE = 320, 180, 25
FRAMES = 4100  # past 4095: the numbers wrap
CHOSEN = (0, 1, 123, 1024, 2047, 2730, 4095)
SIZES = (((309, 174), "bilinear"), ((153, 86), "bicubic"), ((1280, 720), "bilinear"))
MORE_FRAMES = 10
TIMEOUT = 30


def check_clip(path, frames):
    numbers = W.clip_numbers(path)
    W.check(len(numbers) == frames, f"{path}: {len(numbers)} frames decoded, expected {frames}")
    wrong = [(i, n) for i, n in enumerate(numbers) if n != i % W.NUMBER_MODULUS]
    W.check(not wrong, f"{path}: frames read as other numbers (frame, read): {wrong[:10]}")
    W.log(f"{os.path.basename(path)}: all {frames} frames read back as their numbers")


def check_scaled(tmp, path):
    for frame in CHOSEN:
        for (w, h), scaler in SIZES:
            png = W.extract_frame(path, frame, os.path.join(tmp, f"f{frame}-{w}x{h}.png"),
                                  (w, h), scaler)
            number = W.read_number(W.read_png(png), (0, 0, w, h), f"frame {frame} at {w}x{h}")
            W.check(number == frame, f"frame {frame} scaled to {w}x{h} ({scaler}) reads "
                    f"{number}")
    W.log(f"frames {CHOSEN} read back at {[s for s, _ in SIZES]}")


def read_tiles(wall, tmp, name):
    path = wall.snapshot(os.path.join(tmp, name))
    picture = W.read_snapshot(path, WIDTH, HEIGHT)
    rects = W.tile_rects(WIDTH, HEIGHT, 2, 2, GAP)
    return [W.read_number(picture, W.fit_rect(rects[i], CLIP_W, CLIP_H),
                          f"{name} tile {i + 1}") for i in range(3)]


def check_wall(tmp, fine, coarse):
    with W.start_rtsp_server({"fine": fine, "coarse": coarse}) as server:
        config = W.write_layout(
            os.path.join(tmp, "numbered.cfg"),
            layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
            outputs=[{"id": "main", "rect": (0, 0, WIDTH, HEIGHT),
                      "pages": [{"layout": "quad", "tiles": [201, 201, 202, 0]}]}],
            cameras=[{"number": 201, "name": "Numerada", "main": server.url("fine")},
                     {"number": 202, "name": "Numerada gruesa", "main": server.url("coarse")}])
        with W.start_live_wall(config, tmp) as wall:
            feeds = wall.wait_feeds(lambda f: all(f.get(c, {}).get("frames_shown", 0) > 0
                                                  for c in (201, 202)),
                                    "both cameras show frames", TIMEOUT)
            first = read_tiles(wall, tmp, "first.png")
            W.check(first[0] == first[1], f"tiles 1 and 2 (one camera) read {first[0]} and "
                    f"{first[1]} in one snapshot")
            shown = feeds[201]["frames_shown"]
            wall.wait_feeds(lambda f: f[201]["frames_shown"] >= shown + MORE_FRAMES,
                            f"camera 201 shows {MORE_FRAMES} more frames", TIMEOUT)
            second = read_tiles(wall, tmp, "second.png")
            W.check(second[0] == second[1], f"tiles 1 and 2 (one camera) read {second[0]} and "
                    f"{second[1]} in one snapshot")
            W.check(W.number_behind(second[0], first[0]) > 0,
                    f"camera 201 read {first[0]}, then {second[0]} after it showed "
                    f"{MORE_FRAMES} more frames")
            W.log(f"through the wall: tiles read {first}, then {second}")
            wall.stop()


def run(tmp):
    fine = W.make_clip(os.path.join(tmp, "numbered.ts"),
                       W.numbered_source(CLIP_W, CLIP_H, RATE), rate=RATE,
                       duration=FRAMES / RATE)
    coarse = W.make_clip(os.path.join(tmp, "numbered-crf28.ts"),
                         W.numbered_source(CLIP_W, CLIP_H, RATE), rate=RATE, duration=10,
                         crf=28)
    check_clip(fine, FRAMES)
    check_clip(coarse, 10 * RATE)
    check_scaled(tmp, fine)
    check_wall(tmp, fine, coarse)


if __name__ == "__main__":
    W.main(run)
