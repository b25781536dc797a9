#!/usr/bin/python3
"""Pictures are true on every drawing path: aspect, range and colour matrix.

What an operator would notice: a 4:3 camera drawn squeezed or stretched
(the sample aspect ratio of an anamorphic stream ignored), washed-out or
crushed blacks (full range read as limited, or the other way round), skin
and sky turned a different hue (BT.601 read as BT.709), a sheared picture
(a row stride taken for the width). Each is pinned here, once per drawing
path: `--draw gl` (Y'CbCr textures converted in the shader), `--draw rgb`
(feed threads convert with swscale, GL copies RGB), `--draw cpu` (the same
pictures composed in memory, no GL), and with
`--hwaccel vaapi` where a render node exists (else: "SKIP vaapi: ...").

1. Aspect. Flat bright clips 720x576 SAR 12:11, 704x480 SAR 10:11 and
   1440x1080 SAR 4:3 are shown in wide tiles (pillarboxed: both side edges
   measured) and in tall tiles (letterboxed: top and bottom edges). Each
   edge is found by scanning from the tile centre out to the black bar; it
   must be within 2 px of where the DISPLAY aspect (width * SAR / height)
   puts it. The test first checks that the storage aspect (SAR ignored)
   would put every case's edges more than 4 px away, so it can tell.

2-3. Range and matrix. Clips of flat colour bars (orange, blue, green,
   near-white, near-black): 8-bit limited and full (yuvj420p) range,
   BT.601 and BT.709 tagged, untagged SD (the wall must pick BT.601) and
   untagged HD (BT.709), 8-bit HEVC full range, and 10-bit HEVC whose only
   hint of full range is the range flag (yuv420p10le does not say it). The colour
   expected at each bar centre is FFmpeg's own conversion of the same clip
   with the right matrix and range (never a hard-coded number), within 6
   per channel. For every clip the test checks that each plausible wrong
   reading (other matrix, other range) would be more than 12 away in some
   channel of some bar, so a wrong reading cannot pass.

4. Strides. A 636x358 clip (width not a multiple of 16, chroma rows of 318
   bytes) drawn 1:1 in a 636x358 tile: bar centres right at three heights
   (a wrong stride shears the bars).
"""

import glob
import json
import os
import time

import walltest as W

TOLERANCE = 6  # per channel, wall vs FFmpeg
# A wrong reading must be further than this from the right one in some
# channel of some bar: beyond the tolerance, with room for the wall's own
# rounding of the wrong reading.
MUST_DIFFER = 2 * TOLERANCE
EDGE_TOLERANCE = 2  # px, picture edge vs where the display aspect puts it
MUST_MOVE = 4  # px, how far ignoring the SAR must move some edge
BLACK = (0, 0, 0)
BACKGROUND = (0x20, 0x30, 0x40)
FRAMES = 5
DECODE_CAPACITY = "1000"  # % of a core: never reduce a feed in this test

PATHS = [("gl", ["--draw", "gl"]), ("rgb", ["--draw", "rgb"]), ("cpu", ["--draw", "cpu"])]

# --------------------------------------------------------------------------
# Clips

SCALE_FLAGS = "flags=accurate_rnd+full_chroma_int+bitexact"
TAGS = {"bt601": "smpte170m", "bt709": "bt709"}


def encode(path, inputs, *, size_note, matrix, full_range, tagged=True, sar="1",
           codec="libx264", bits=8, duration=1):
    """Encode RGB input as Y'CbCr with `matrix` and range, SAR `sar`.

    full_range on 8-bit H.264: yuvj420p (x264 writes the full-range flag).
    On HEVC x265 gets yuv420p / yuv420p10le and range=full, so only the
    flag in the stream says full (FFmpeg's decoder turns 8-bit full range
    back into yuvj420p; 10-bit stays yuv420p10le + range flag). tagged=False
    writes no colour description at all (matrix, primaries, transfer, range).
    """
    if bits == 10:
        pix_fmt = "yuv420p10le"
    elif full_range and codec == "libx264":
        pix_fmt = "yuvj420p"
    else:
        pix_fmt = "yuv420p"
    vf = ",".join([
        "fps=25", "format=rgb24",
        f"scale=out_color_matrix={matrix}:out_range={'full' if full_range else 'tv'}:"
        + SCALE_FLAGS,
        f"format={pix_fmt}", f"setsar={sar}"])
    argv = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *inputs,
            "-t", str(duration), "-an", "-vf", vf, "-c:v", codec, "-pix_fmt", pix_fmt,
            "-crf", "4", "-bf", "0", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0"]
    if tagged:
        tag = TAGS[matrix]
        argv += ["-colorspace", tag, "-color_primaries", tag, "-color_trc", tag,
                 "-color_range", "pc" if full_range else "tv"]
    if codec == "libx265":
        params = "log-level=error" + (":range=full" if full_range else "")
        argv += ["-preset", "veryfast", "-x265-params", params]
    argv += ["-movflags", "+faststart", path]
    W.run_tool(argv, what=f"ffmpeg making {os.path.basename(path)} ({size_note})")
    return path


def probe(path):
    out = W.run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                      "stream=codec_name,width,height,pix_fmt,color_range,color_space,"
                      "sample_aspect_ratio", "-of", "json", path])
    return json.loads(out)["streams"][0]


class Frame:
    """One frame of a clip converted to RGB by FFmpeg with a given reading."""

    def __init__(self, path, matrix, full_range):
        info = probe(path)
        self.width, self.height = info["width"], info["height"]
        vf = (f"select=eq(n\\,0),scale=in_color_matrix={matrix}:"
              f"in_range={'full' if full_range else 'tv'}:{SCALE_FLAGS},format=rgb24")
        self.raw = W.run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                               "-i", path, "-vf", vf, "-frames:v", "1", "-f", "rawvideo",
                               "-"])
        W.check(len(self.raw) >= self.width * self.height * 3,
                f"ffmpeg decoded no frame of {path}")

    def pixel(self, x, y):
        offset = (y * self.width + x) * 3
        return tuple(self.raw[offset:offset + 3])


def reading_name(matrix, full_range):
    return f"{matrix.upper().replace('BT', 'BT.')} {'full' if full_range else 'limited'}"


# Flat bars: saturated colours move a lot between matrices, near-white and
# near-black move a lot between ranges.
BARS = [
    ("orange", (235, 120, 25)),
    ("blue", (30, 60, 215)),
    ("green", (45, 190, 70)),
    ("near-white", (232, 232, 232)),
    ("near-black", (22, 22, 22)),
]

# name, size, matrix used to encode, full range, tagged, codec, bits,
# the reading the wall must make (matrix, full), the wrong readings.
COLOUR_CASES = [
    ("8-bit BT.601 limited", (640, 480), "bt601", False, True, "libx264", 8,
     ("bt601", False), [("bt709", False), ("bt601", True)]),
    ("8-bit BT.601 full (yuvj420p)", (640, 480), "bt601", True, True, "libx264", 8,
     ("bt601", True), [("bt601", False), ("bt709", True)]),
    ("8-bit BT.709 limited", (1280, 720), "bt709", False, True, "libx264", 8,
     ("bt709", False), [("bt601", False), ("bt709", True)]),
    ("8-bit BT.709 full (yuvj420p)", (1280, 720), "bt709", True, True, "libx264", 8,
     ("bt709", True), [("bt709", False), ("bt601", True)]),
    ("untagged SD (BT.601 by height)", (640, 480), "bt601", False, False, "libx264", 8,
     ("bt601", False), [("bt709", False)]),
    ("untagged HD (BT.709 by height)", (1280, 720), "bt709", False, False, "libx264", 8,
     ("bt709", False), [("bt601", False)]),
    # Tagged BT.709 below 720 lines: the tag, not the height, decides.
    ("10-bit HEVC BT.709, full by flag only", (960, 540), "bt709", True, True, "libx265", 10,
     ("bt709", True), [("bt709", False), ("bt601", True)]),
    # (FFmpeg's HEVC decoder gives 8-bit full range as yuvj420p.)
    ("8-bit HEVC BT.601 full", (640, 360), "bt601", True, True, "libx265", 8,
     ("bt601", True), [("bt601", False)]),
]

# The odd size: drawn 1:1.
ODD = ("636x358 BT.601 limited", (636, 358), "bt601", False, True, "libx264", 8,
       ("bt601", False), [("bt709", False), ("bt601", True)])

# number, name, storage size, SAR (num, den).
ANAMORPHIC = [
    (601, "PAL 720x576 SAR 12:11", (720, 576), (12, 11)),
    (602, "NTSC 704x480 SAR 10:11", (704, 480), (10, 11)),
    (603, "HDV 1440x1080 SAR 4:3", (1440, 1080), (4, 3)),
]
GEOMETRY_COLOUR = (235, 205, 50)  # bright amber: sharp edges against black bars


class ColourClip:
    """A clip of BARS made for a case, with FFmpeg's colours at its bar
    centres: `rows` [(source row, [colour per bar])] for the right reading,
    `wrong` {reading: [colour per bar]} at the first of those rows."""

    def __init__(self, tmp, index, case, heights=(0.4,)):
        (self.name, (w, h), matrix, full, tagged, codec, bits, self.right,
         wrongs) = case
        self.size = (w, h)
        bars = W.save_bars(os.path.join(tmp, f"bars{w}x{h}.png"), w, h,
                           [c for _, c in BARS])
        self.path = os.path.join(tmp, f"colour{index}.mp4")
        encode(self.path, ["-loop", "1", "-framerate", "25", "-i", bars], size_note=self.name,
               matrix=matrix, full_range=full, tagged=tagged, codec=codec, bits=bits)
        self.check_tags(matrix, full, tagged, bits)

        self.xs = W.bar_centres(w, len(BARS))
        right = Frame(self.path, *self.right)
        ys = [int(h * f) for f in heights]
        self.rows = [(y, [right.pixel(x, y) for x in self.xs]) for y in ys]
        expected = self.rows[0][1]
        self.wrong = {}
        for reading in wrongs:
            frame = Frame(self.path, *reading)
            colours = [frame.pixel(x, ys[0]) for x in self.xs]
            spread = max(abs(a - b) for e, g in zip(expected, colours) for a, b in zip(e, g))
            W.log(f"  {self.name}: read as {reading_name(*reading)} instead of "
                  f"{reading_name(*self.right)}: up to {spread} off")
            W.check(spread > MUST_DIFFER,
                    f"test cannot tell: {self.name} read as {reading_name(*reading)} is only "
                    f"{spread} off (need > {MUST_DIFFER}); pick other colours")
            self.wrong[reading] = colours

    def check_tags(self, matrix, full, tagged, bits):
        """The clip says (or does not say) what the case claims."""
        info = probe(self.path)
        name = self.name
        W.check((info["width"], info["height"]) == self.size, f"{name}: clip is {info}")
        if tagged:
            W.check(info.get("color_space") == TAGS[matrix],
                    f"{name}: clip colour space is {info.get('color_space')}")
            W.check(info.get("color_range") == ("pc" if full else "tv"),
                    f"{name}: clip range is {info.get('color_range')}")
        else:
            W.check(info.get("color_space", "unknown") == "unknown",
                    f"{name}: clip should be untagged, has colour space "
                    f"{info.get('color_space')}")
        if bits == 10:
            # Full range by the flag alone: the pixel format does not say it.
            W.check(info["pix_fmt"] == "yuv420p10le", f"{name}: pixel format {info['pix_fmt']}")


# --------------------------------------------------------------------------
# Running the wall


def run_wall(tmp, config, tag, path_args, width, height, count):
    snapshot = os.path.join(tmp, f"{tag}.png")
    result, stats = W.run_headless(
        config, snapshot, frames=FRAMES,
        extra=[*path_args, "--decode-capacity", DECODE_CAPACITY], timeout=120)
    feeds = stats["feeds"]
    W.check(len(feeds) == count, f"{tag}: {len(feeds)} feeds in --stats, expected {count}")
    for feed in feeds:
        W.check(feed.get("state") == "live",
                f"{tag}: camera {feed.get('camera')} is {feed.get('state')!r}, expected live; "
                + result.describe())
    return W.read_snapshot(snapshot, width, height), feeds


def bright(p):
    return sum(p) > sum(GEOMETRY_COLOUR) // 2


def scan(picture, start, step, inside):
    """From `start` (inside the picture) step until the first pixel that is
    not bright; returns that pixel's coordinates (the first bar pixel), or
    None when the scan leaves the tile's safe area first."""
    x, y = start
    while True:
        x, y = x + step[0], y + step[1]
        if not inside(x, y):
            return None
        if not bright(picture.pixel(x, y)):
            return (x, y)


def expected_span(start, extent, picture_extent):
    lo = start + (extent - picture_extent) / 2.0
    return lo, lo + picture_extent


def measure_edges(picture, start, axis, safe):
    """(low edge, high edge, [bar pixels]) of the bright run through `start`
    along axis 0 (x) or 1 (y): the first picture pixel and one past the
    last; None for an edge not found inside the safe area."""
    sx, sy, sw, sh = safe

    def inside(x, y):
        return sx <= x < sx + sw and sy <= y < sy + sh

    back = scan(picture, start, (-1, 0) if axis == 0 else (0, -1), inside)
    ahead = scan(picture, start, (1, 0) if axis == 0 else (0, 1), inside)
    return (back and back[axis] + 1, ahead and ahead[axis],
            [p for p in (back, ahead) if p])


def check_geometry(picture, rects, kind, path_name, failures):
    """kind "pillar": measure the left/right edges along three rows;
    "letter": the top/bottom edges along three columns."""
    for (number, name, (w, h), (sn, sd)), rect in zip(ANAMORPHIC, rects):
        tx, ty, tw, th = rect
        safe = W.safe_area(rect)
        dar, storage = w * sn / sd / h, w / h
        cx, cy = W.centre(rect)
        if kind == "pillar":
            names = "left/right"
            want = expected_span(tx, tw, th * dar)
            sar_ignored = expected_span(tx, tw, th * storage)
            lines = [("row", y, (cx, y), 0) for y in (ty + int(th * f) for f in (0.3, 0.45, 0.6))]
        else:
            names = "top/bottom"
            want = expected_span(ty, th, tw / dar)
            sar_ignored = expected_span(ty, th, tw / storage)
            lines = [("column", x, (x, cy), 1) for x in (tx + int(tw * f) for f in (0.3, 0.5, 0.7))]
        seen, problems = [], []
        for line, where, start, axis in lines:
            if not bright(picture.pixel(*start)):
                problems.append(f"{line} {where}: ({start[0]},{start[1]}) is "
                                f"{picture.pixel(*start)}, not the picture {GEOMETRY_COLOUR}")
                continue
            lo, hi, bars = measure_edges(picture, start, axis, safe)
            seen.append((lo, hi))
            if lo is None or hi is None:
                problems.append(f"{line} {where}: no black bar at the {names} edges inside the "
                                f"safe area (measured {lo}, {hi})")
                continue
            off = max(abs(lo - want[0]), abs(hi - want[1]))
            if off > EDGE_TOLERANCE:
                problems.append(f"{line} {where}: {names} edges at {lo}, {hi}, {off:.1f} px off")
                continue
            for bar in bars:
                if not W.rgb_close(picture.pixel(*bar), BLACK, 4):
                    problems.append(f"{line} {where}: beyond the edge, {bar} is "
                                    f"{picture.pixel(*bar)}, expected the black bar")
        W.log(f"  [{path_name}] {name}, {kind}box: {names} edges expected at {want[0]:.1f}, "
              f"{want[1]:.1f}, measured " + " ".join(f"({a}, {b})" for a, b in seen))
        if problems:
            failures.append(
                f"[{path_name}] {name} in {kind}box tile {rect}: {problems[0]}"
                + (f" (and {len(problems) - 1} more lines)" if len(problems) > 1 else "")
                + f"; expected {want[0]:.1f}, {want[1]:.1f} by the display aspect "
                f"{dar:.4f} (SAR ignored: {sar_ignored[0]:.1f}, {sar_ignored[1]:.1f})")


def geometry_self_check(rects, kind):
    """Ignoring the SAR must move some edge of every case by > MUST_MOVE px."""
    for (_, name, (w, h), (sn, sd)), (tx, ty, tw, th) in zip(ANAMORPHIC, rects):
        dar, storage = w * sn / sd / h, w / h
        if kind == "pillar":
            W.check(tw / th > max(dar, storage) * 1.1,
                    f"test geometry: {name} would not be pillarboxed in {tw}x{th}")
            right = expected_span(tx, tw, th * dar)
            wrong = expected_span(tx, tw, th * storage)
        else:
            W.check(tw / th < min(dar, storage) / 1.1,
                    f"test geometry: {name} would not be letterboxed in {tw}x{th}")
            right = expected_span(ty, th, tw / dar)
            wrong = expected_span(ty, th, tw / storage)
            bottom = ty + int(th * (1 - W.LABEL_BOTTOM))
            W.check(max(right[1], wrong[1]) < bottom - 2,
                    f"test geometry: {name}'s bottom edge falls in the label zone of "
                    f"{tw}x{th}")
        move = max(abs(a - b) for a, b in zip(right, wrong))
        W.log(f"  {name}, {kind}box {tw}x{th}: edges at {right[0]:.1f}, {right[1]:.1f}; "
              f"with the SAR ignored {wrong[0]:.1f}, {wrong[1]:.1f} ({move:.1f} px away)")
        W.check(move > MUST_MOVE, f"test cannot tell: ignoring the SAR of {name} moves its "
                f"{kind}box edges only {move:.1f} px")


def check_colours(picture, rects, clips, path_name, failures, one_to_one=False):
    """Each clip's bar centres against FFmpeg's right reading; on a mismatch,
    say which wrong reading (if any) the wall's colours look like."""
    for clip, rect in zip(clips, rects):
        w, h = clip.size
        pic = rect if one_to_one else W.fit_rect(rect, w, h)  # all colour clips SAR 1
        safe = W.safe_area(rect)
        worst, bad, shown = 0, [], []
        for src_y, want in clip.rows:
            for (bar, _), x, exp in zip(BARS, clip.xs, want):
                px = pic[0] + int((x + 0.5) * pic[2] / w)
                py = pic[1] + int((src_y + 0.5) * pic[3] / h)
                W.check(safe[0] <= px < safe[0] + safe[2] and safe[1] <= py < safe[1] + safe[3],
                        f"test geometry: {clip.name} {bar} sample ({px},{py}) outside {safe}")
                got = picture.pixel(px, py)
                if src_y == clip.rows[0][0]:
                    shown.append(got)
                off = max(abs(a - b) for a, b in zip(got, exp))
                worst = max(worst, off)
                if off > TOLERANCE:
                    bad.append(f"{bar} at ({px},{py}) is {got} {W.rgb_hex(got)}, expected "
                               f"{exp} {W.rgb_hex(exp)}")
        samples = len(clip.rows) * len(BARS)
        W.log(f"  [{path_name}] {clip.name}: {samples} bar centres, at most {worst} "
              "from FFmpeg")
        if bad:
            looks = [reading_name(*r) for r, colours in clip.wrong.items()
                     if all(W.rgb_close(g, c, TOLERANCE) for g, c in zip(shown, colours))]
            failures.append(
                f"[{path_name}] {clip.name}: {len(bad)} of {samples} bar centres more than "
                f"{TOLERANCE} off FFmpeg's {reading_name(*clip.right)} reading (worst {worst}), "
                f"e.g. {bad[0]}"
                + (f"; the wall's colours match the wrong reading {', '.join(looks)}"
                   if looks else ""))


# --------------------------------------------------------------------------


def vaapi_path():
    """The extra path for VA-API, or None with the reason printed."""
    nodes = sorted(glob.glob("/dev/dri/renderD*"))
    if not nodes:
        W.log("SKIP vaapi: no /dev/dri/renderD*")
        return None
    return ("vaapi", ["--draw", "gl", "--hwaccel", "vaapi", "--vaapi-device", nodes[0]])


def run(tmp):
    began = time.monotonic()
    W.require_tool("ffmpeg")

    # Geometry walls: 1x3 grids of wide (pillarbox) and tall (letterbox) tiles.
    walls = {"pillar": (1920, 300), "letter": (1280, 720)}
    geo_cameras = []
    for number, name, (w, h), (sn, sd) in ANAMORPHIC:
        path = os.path.join(tmp, f"anamorphic{number}.mp4")
        encode(path, ["-f", "lavfi", "-i", f"color=c={W.rgb_hex(GEOMETRY_COLOUR)}:size={w}x{h}"],
               size_note=name, matrix="bt601", full_range=False, sar=f"{sn}/{sd}")
        info = probe(path)
        W.check(info.get("sample_aspect_ratio") == f"{sn}:{sd}",
                f"{name}: clip SAR is {info.get('sample_aspect_ratio')}")
        geo_cameras.append((number, name, os.path.basename(path)))
    geo_configs = {}
    for kind, (cw, ch) in walls.items():
        rects = W.tile_rects(cw, ch, 1, 3, 4)
        geometry_self_check(rects, kind)
        config = W.write_config(os.path.join(tmp, f"{kind}.cfg"), width=cw, height=ch, rows=1,
                                columns=3, gap=4, cameras=geo_cameras,
                                background=W.rgb_hex(BACKGROUND), fit="letterbox")
        geo_configs[kind] = (config, cw, ch, rects)

    # Colour wall: 2x4 grid (475x534 tiles: odd widths, odd RGB strides).
    CW, CH, ROWS, COLS = 1920, 1080, 2, 4
    clips = [ColourClip(tmp, i, case) for i, case in enumerate(COLOUR_CASES)]
    colour_rects = W.tile_rects(CW, CH, ROWS, COLS, 4)
    colour_config = W.write_config(
        os.path.join(tmp, "colours.cfg"), width=CW, height=CH, rows=ROWS, columns=COLS, gap=4,
        cameras=[(700 + i, clip.name, os.path.basename(clip.path))
                 for i, clip in enumerate(clips)], background=W.rgb_hex(BACKGROUND))

    # Odd size, 1:1.
    ow, oh = ODD[1]
    # Three heights: a wrong stride shears the bars.
    odd_clip = ColourClip(tmp, "odd", ODD, heights=(0.15, 0.4, 0.65))
    odd_config = W.write_config(os.path.join(tmp, "odd.cfg"), width=ow + 8, height=oh + 8,
                                rows=1, columns=1, gap=4,
                                cameras=[(799, ODD[0], os.path.basename(odd_clip.path))],
                                background=W.rgb_hex(BACKGROUND))
    odd_rects = W.tile_rects(ow + 8, oh + 8, 1, 1, 4)
    W.check(odd_rects[0][2:] == (ow, oh), f"test geometry: odd tile is {odd_rects[0]}")
    W.log(f"clips ready in {time.monotonic() - began:.1f} s")

    paths = list(PATHS)
    vaapi = vaapi_path()
    if vaapi:
        paths.append(vaapi)

    failures = []
    for path_name, path_args in paths:
        W.log(f"== drawing path {path_name}: {' '.join(path_args)}")
        hardware = []
        for kind, (config, cw, ch, rects) in geo_configs.items():
            picture, feeds = run_wall(tmp, config, f"{path_name}-{kind}", path_args, cw, ch, 3)
            hardware += [f.get("hardware") for f in feeds]
            check_geometry(picture, rects, kind, path_name, failures)
        picture, feeds = run_wall(tmp, colour_config, f"{path_name}-colours", path_args, CW, CH,
                                  len(clips))
        hardware += [f.get("hardware") for f in feeds]
        check_colours(picture, colour_rects, clips, path_name, failures)
        picture, feeds = run_wall(tmp, odd_config, f"{path_name}-odd", path_args, ow + 8,
                                  oh + 8, 1)
        hardware += [f.get("hardware") for f in feeds]
        check_colours(picture, odd_rects, [odd_clip], path_name, failures,
                      one_to_one=True)
        software = sum(1 for h in hardware if not h)
        if path_name == "vaapi" and software:
            W.log(f"SKIP vaapi: the wall decoded {software} of {len(hardware)} "
                  "feeds in software (see its log): the checks above ran on the fallback")
        W.log(f"== {path_name}: {len(failures)} failures so far")

    W.log(f"took {time.monotonic() - began:.1f} s")
    W.check(not failures, f"{len(failures)} wrong pictures:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    W.main(run)
