#!/usr/bin/python3
"""MJPEG over RTSP: shown in BT.601 full range, the colours of JPEG.

A JPEG (JFIF) picture is always Y'CbCr BT.601, full range (0-255), whatever
its size. An HD camera's MJPEG stream is the trap: a wall that guessed the
matrix from the size (BT.709 from 720 lines up) or took the range for
limited (16-235) would show every colour wrong.

The picture: six vertical bars of saturated colours (red, green, blue,
yellow, magenta, cyan), 1280x720, converted from RGB with the BT.601
matrix to full range and saved as a baseline JPEG, 4:2:0 (yuvj420p), high
quality (-q:v 2) with the standard Huffman tables (RTP/JPEG, RFC 2435,
carries no Huffman tables: the receiver assumes those). tests/rtsp_server.py
serves it as NAME=FILE.jpg:mjpeg: the same picture 25 times a second over
RTP/JPEG. A 1x1 wall (one 1280x720 tile, the picture drawn 1:1) shows it
headless, once per drawing path (`--draw gl`: Y'CbCr converted in the
shader; `rgb`: by swscale on the feed thread; `cpu`: no GL at all); from
each run's snapshot and --stats:
- each bar, at its centre at three heights, is within 6 per channel of
  FFmpeg's own decoding of the JPEG (BT.601, full range: what FFmpeg gets
  over RTSP is the same picture, checked when the test was written);
- the feed is live, codec "mjpeg", 1280x720, "colour": "bt601" (from the
  stream or the rule for MJPEG, not the layout), "range": "full".
The test first checks that it can tell: reading the same Y'CbCr values as
BT.709 full, BT.601 limited or BT.709 limited (computed here from the
JPEG's samples) puts some bar more than 12 away from the right reading in
some channel; on a colour failure it says which wrong reading the wall's
colours look like.
"""

import os

import streams as S
import walltest as W

PIC_W, PIC_H = 1280, 720
WIDTH, HEIGHT, GAP = PIC_W + 8, PIC_H + 8, 4  # one tile, the picture 1:1
BARS = [("red", (220, 30, 30)), ("green", (30, 200, 50)), ("blue", (40, 50, 220)),
        ("yellow", (230, 210, 30)), ("magenta", (200, 40, 200)), ("cyan", (40, 190, 200))]
HEIGHTS = (0.2, 0.4, 0.6)  # of the picture: above the label zone
TOLERANCE = 6  # per channel, wall vs FFmpeg
MUST_DIFFER = 2 * TOLERANCE  # a wrong reading must be further than this somewhere
RIGHT = ("bt601", True)
WRONG = [("bt709", True), ("bt601", False), ("bt709", False)]
# Every drawing path: Y'CbCr converted in the GL shader, by swscale on the
# feed threads then copied by GL, or composed in memory without GL.
PATHS = ("gl", "rgb", "cpu")


def reading_name(matrix, full):
    return f"{matrix.upper().replace('BT', 'BT.')} {'full' if full else 'limited'}"


def to_rgb(yuv, matrix, full):
    """8-bit Y'CbCr to RGB with a matrix and range (the textbook formulas)."""
    return S.ycbcr_to_rgb(yuv, matrix, full)


def yuv_samples(jpeg, points):
    """The JPEG's own Y'CbCr (4:2:0, as decoded, no conversion) at points."""
    raw = W.run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", jpeg,
                      "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuvj420p", "-"])
    luma = PIC_W * PIC_H
    chroma = (PIC_W // 2) * (PIC_H // 2)
    W.check(len(raw) == luma + 2 * chroma, f"test setup: {jpeg} decoded to {len(raw)} bytes")
    out = []
    for x, y in points:
        c = (y // 2) * (PIC_W // 2) + x // 2
        out.append((raw[y * PIC_W + x], raw[luma + c], raw[luma + chroma + c]))
    return out


def run(tmp):
    W.require_tool("ffmpeg")
    png = W.save_bars(os.path.join(tmp, "bars.png"), PIC_W, PIC_H, [c for _, c in BARS])
    jpeg = os.path.join(tmp, "bars.jpg")
    W.run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", png,
                "-vf", "format=rgb24,scale=out_color_matrix=bt601:out_range=full:"
                "flags=accurate_rnd+full_chroma_int+bitexact,format=yuvj420p",
                "-c:v", "mjpeg", "-q:v", "2", "-huffman", "default", "-pix_fmt", "yuvj420p",
                "-frames:v", "1", jpeg], what="ffmpeg making bars.jpg")
    info = W.probe_stream(jpeg)
    W.check((info["codec_name"], info["width"], info["height"], info["pix_fmt"])
            == ("mjpeg", PIC_W, PIC_H, "yuvj420p"), f"test setup: {jpeg} is {info}")

    xs = W.bar_centres(PIC_W, len(BARS))
    points = [(x, int(PIC_H * f)) for f in HEIGHTS for x in xs]
    names = [f"{BARS[i % len(BARS)][0]} at {HEIGHTS[i // len(BARS)]:.0%} height"
             for i in range(len(points))]
    right = W.RgbFrame(jpeg, *RIGHT)
    expected = [right.pixel(x, y) for x, y in points]

    # Can the test tell? The wrong readings of the same samples.
    samples = yuv_samples(jpeg, points)
    for name, yuv, want in zip(names, samples, expected):
        mine = to_rgb(yuv, *RIGHT)
        W.check(W.rgb_close(mine, want, 2),
                f"test setup: {name}: Y'CbCr {yuv} is {mine} by the formulas, FFmpeg says "
                f"{want}: the test's formulas are wrong")
    wrong = {}
    for reading in WRONG:
        wrong[reading] = [to_rgb(yuv, *reading) for yuv in samples]
        spread = max(abs(a - b) for e, g in zip(expected, wrong[reading])
                     for a, b in zip(e, g))
        W.log(f"  read as {reading_name(*reading)}: up to {spread} off "
              f"{reading_name(*RIGHT)}, e.g. {names[0]} {wrong[reading][0]} "
              f"instead of {expected[0]}")
        W.check(spread > MUST_DIFFER,
                f"test cannot tell: {reading_name(*reading)} is only {spread} off "
                f"(need > {MUST_DIFFER}); pick other colours")

    problems = []
    with W.start_rtsp_server({"mjpeg/bars": (jpeg, "mjpeg")}) as server:
        config = W.write_config(os.path.join(tmp, "mjpeg.cfg"), width=WIDTH, height=HEIGHT,
                                rows=1, columns=1, gap=GAP,
                                cameras=[(1401, "MJPEG HD", server.url("mjpeg/bars"))])
        for path_name in PATHS:
            W.log(f"== drawing path {path_name}")
            snapshot = os.path.join(tmp, f"mjpeg-{path_name}.png")
            result, stats = W.run_headless(config, snapshot, frames=25,
                                           extra=["--draw", path_name])
            problems += check_wall(path_name, result, stats, snapshot, points, names,
                                   expected, wrong)
    W.check(not problems, f"{len(problems)} problems:\n  " + "\n  ".join(problems))


def check_wall(path_name, result, stats, snapshot, points, names, expected, wrong):
    """The problems with one run of the wall (a list of sentences)."""
    problems = []
    feed = W.feed_stats(stats, 1401)
    W.log(f"camera 1401: {feed}")
    W.check(feed.get("state") == "live", f"[{path_name}] camera 1401: state "
            f"{feed.get('state')!r}, expected 'live'; " + result.describe())
    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
    tile = W.tile_rects(WIDTH, HEIGHT, 1, 1, GAP)[0]
    W.check(tile[2:] == (PIC_W, PIC_H), f"test geometry: the tile is {tile}")
    safe = W.safe_area(tile)
    got = []
    for (x, y), name, want in zip(points, names, expected):
        px, py = tile[0] + x, tile[1] + y
        W.check(safe[0] <= px < safe[0] + safe[2] and safe[1] <= py < safe[1] + safe[3],
                f"test geometry: {name} at ({px},{py}) outside the safe area {safe}")
        got.append(picture.pixel(px, py))
    bad = [f"{name} at ({tile[0] + x},{tile[1] + y}) is {g} {W.rgb_hex(g)}, expected {e} "
           f"{W.rgb_hex(e)}" for (x, y), name, g, e in zip(points, names, got, expected)
           if not W.rgb_close(g, e, TOLERANCE)]
    worst = max(max(abs(a - b) for a, b in zip(g, e)) for g, e in zip(got, expected))
    W.log(f"[{path_name}] {len(points)} bar centres, at most {worst} from FFmpeg's "
          f"{reading_name(*RIGHT)} reading")
    if bad:
        looks = [reading_name(*r) for r, colours in wrong.items()
                 if all(W.rgb_close(g, c, TOLERANCE) for g, c in zip(got, colours))]
        problems.append(f"[{path_name}] {len(bad)} of {len(points)} bar centres more than "
                        f"{TOLERANCE} off "
                        f"{reading_name(*RIGHT)} (worst {worst}), e.g. {bad[0]}"
                        + (f"; the colours match the wrong reading {', '.join(looks)}"
                           if looks else ""))

    for key, want in (("codec", "mjpeg"), ("width", PIC_W), ("height", PIC_H),
                      ("colour", "bt601"), ("range", "full"),
                      # A clean camera raises no alarm: not even swscale's
                      # warning about the deprecated full-range formats.
                      ("ffmpeg_messages", 0), ("decode_errors", 0)):
        if feed.get(key) != want:
            problems.append(f"[{path_name}] stats {key!r}: {feed.get(key)!r}, "
                            f"expected {want!r}")
    if feed.get("colour_from") not in ("stream", "guess"):
        problems.append(f"[{path_name}] stats 'colour_from': {feed.get('colour_from')!r}, "
                        "expected 'stream' or 'guess' (no colour is set in the layout)")
    return problems


if __name__ == "__main__":
    W.main(run)
