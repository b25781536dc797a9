#!/usr/bin/python3
"""Per-camera colour overrides change the colours shown, and the colour
matrix guessed for an untagged stream survives a resolution change.

The clips are 75% colour bars (white, yellow, cyan, green, magenta, red,
blue, 40% grey), converted from RGB with the BT.601 matrix to limited-range
yuv420p, in MPEG-TS, and carry no colour description at all (checked with
ffprobe: color_space and color_range unknown), unless said otherwise:

- SD: 640x360 bars;
- HD: 1280x720, the bars in the reverse order;
- CHANGE: the SD clip (2 s) followed by the HD one (4 s), one H.264 stream
  with continuous timestamps that switches from 640x360 to 1280x720;
- SD709: the SD bars converted with BT.709 and tagged BT.709.

A live wall, full-format layout, a 2x3 grid of tiles exactly 640x360
(1936x732, gap 4), with these cameras (the expected colours are computed
here, from the bars' RGB and the matrices; that FFmpeg decodes the clips
to the same colours is checked first, within 2):

  1801  SD file, no override        the true colours; stats "colour"
                                    "bt601", "colour_from" "guess",
                                    "range" "limited"
  1802  SD file, color = "bt709"    BT.601 data read with BT.709 (greens
                                    30 darker...); "bt709", "layout",
                                    "limited"
  1803  SD file, range = "full"    limited-range data read as full range
                                    (washed out: black lifted, white
                                    darker); "bt601", "guess", "full"
  1804  CHANGE over RTSP            (tests/rtsp_server.py) after the switch
        (tests/rtsp_server.py)      to 1280x720 still the true colours, in
                                    the HD part's order; "bt601", "guess",
                                    before and after the switch
  1805  HD file, no override        an untagged HD stream is guessed
                                    BT.709: BT.601 data read with BT.709;
                                    "bt709", "guess" (what 1804 would show
                                    had the wall guessed again at 720
                                    lines)
  1806  SD709 file, color =         the layout wins over the stream's tag:
        "bt601"                     BT.709 data read with BT.601; "bt601",
                                    "layout"

Each tile's bars are checked at the middle of each bar, 40% down the tile,
within 4 per channel. The test checks its own power: for each override
(and for a re-guess at 720 lines) at least four bars would be off by more
than 4 from the true colours. For 1804 the snapshot is taken after stats
say it went from 640x360 to 1280x720 and two more frames were shown, and
the bars' order tells that the HD part is on the screen (if the loop went
back to the SD part, it waits for the next switch, at most three times).
"""

import os

import streams as S
import walltest as W

CLIP_W, CLIP_H = 640, 360
HD_W, HD_H = 1280, 720
ROWS, COLUMNS, GAP = 2, 3, 4
WIDTH, HEIGHT = COLUMNS * CLIP_W + (COLUMNS + 1) * GAP, ROWS * CLIP_H + (ROWS + 1) * GAP
PLAIN, AS_709, AS_FULL, CHANGING, HD_GUESS, TAG_OVERRIDDEN = 1801, 1802, 1803, 1804, 1805, 1806
TOLERANCE = 4
TIMEOUT = 40  # s: guard of each wait (more than one loop of the changing clip)
BARS = W.BARS_75
SD_BARS = [rgb for _, rgb in BARS]
HD_BARS = SD_BARS[::-1]
SD_SECONDS, HD_SECONDS = 2, 4


def untagged(path):
    info = W.probe_stream(path)
    W.check(info.get("color_space", "unknown") in ("unknown", "unspecified")
            and info.get("color_range", "unknown") in ("unknown", "unspecified"),
            f"test setup: {os.path.basename(path)} carries colour tags: {info}")
    return path


def make_clips(tmp):
    sd_png = W.save_bars(os.path.join(tmp, "sd.png"), CLIP_W, CLIP_H, SD_BARS)
    hd_png = W.save_bars(os.path.join(tmp, "hd.png"), HD_W, HD_H, HD_BARS)
    sd = untagged(S.make_untagged_clip(os.path.join(tmp, "sd.ts"), sd_png, SD_SECONDS))
    hd = untagged(S.make_untagged_clip(os.path.join(tmp, "hd.ts"), hd_png, HD_SECONDS))
    sd709 = W.make_clip(os.path.join(tmp, "sd709.ts"), image=sd_png, duration=2,
                        matrix="bt709")
    info = W.probe_stream(sd709)
    W.check(info.get("color_space") == "bt709", f"test setup: sd709.ts not tagged: {info}")

    change = W.join_ts(sd, hd, SD_SECONDS, os.path.join(tmp, "change.ts"))
    sizes = W.run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "frame=width,height", "-of", "csv=p=0", change]).decode().split()
    W.check(f"{CLIP_W},{CLIP_H}" in sizes and f"{HD_W},{HD_H}" in sizes,
            f"test setup: the clip does not change size: {sorted(set(sizes))}")
    untagged(change)
    return sd, hd, sd709, change


def expected_colours():
    """{camera: [RGB the wall should show at each bar]} and a check that
    each override (and a re-guess) would show."""
    true_sd = [S.shown_as(c) for c in SD_BARS]
    true_hd = [S.shown_as(c) for c in HD_BARS]
    expected = {
        PLAIN: true_sd,
        AS_709: [S.shown_as(c, "bt601", "bt709") for c in SD_BARS],
        AS_FULL: [S.shown_as(c, "bt601", "bt601", full_range=True) for c in SD_BARS],
        CHANGING: true_hd,
        HD_GUESS: [S.shown_as(c, "bt601", "bt709") for c in HD_BARS],
        TAG_OVERRIDDEN: [S.shown_as(c, "bt709", "bt601") for c in SD_BARS],
    }
    # The test's power: each case differs visibly from what a wall ignoring
    # the override (or re-guessing at 720 lines) would show.
    ignoring = {
        AS_709: true_sd, AS_FULL: true_sd, HD_GUESS: true_hd,
        TAG_OVERRIDDEN: [S.shown_as(c, "bt709", "bt709") for c in SD_BARS],
        CHANGING: [S.shown_as(c, "bt601", "bt709") for c in HD_BARS],  # re-guessed
    }
    for number, other in ignoring.items():
        visible = sum(S.max_diff(a, b) > TOLERANCE for a, b in zip(expected[number], other))
        W.check(visible >= 4, f"test setup: camera {number}: only {visible} bars would tell "
                "the right colours from the wrong ones")
    W.check(all(S.max_diff(a, c) <= 2 for a, c in zip(true_sd, SD_BARS)),
            f"test setup: the colour arithmetic does not give back the bars: {true_sd}")
    return expected


def check_arithmetic(sd, hd, sd709, expected):
    """FFmpeg, decoding the clips with the matrix and range each camera
    should get, gives the colours computed here (within 2)."""
    y = CLIP_H * 2 // 5
    cases = [(PLAIN, sd, "bt601", False, CLIP_W, y), (AS_709, sd, "bt709", False, CLIP_W, y),
             (AS_FULL, sd, "bt601", True, CLIP_W, y),
             (CHANGING, hd, "bt601", False, HD_W, HD_H * 2 // 5),
             (HD_GUESS, hd, "bt709", False, HD_W, HD_H * 2 // 5),
             (TAG_OVERRIDDEN, sd709, "bt601", False, CLIP_W, y)]
    for number, clip, matrix, full, width, row in cases:
        for i, x in enumerate(W.bar_centres(width, len(BARS))):
            decoded = W.decode_rgb(clip, x, row, matrix=matrix, full_range=full)
            W.check(S.max_diff(decoded, expected[number][i]) <= 2,
                    f"test setup: camera {number}, bar {i}: computed {expected[number][i]}, "
                    f"ffmpeg decodes {decoded} ({matrix}, {'full' if full else 'limited'})")


def bar_colours(picture, rect):
    y = rect[1] + rect[3] * 2 // 5
    return [picture.pixel(rect[0] + x, y) for x in W.bar_centres(rect[2], len(BARS))]


def compare(got, want):
    """[(bar name, got, want)] of the bars off by more than TOLERANCE."""
    return [(name, g, w) for (name, _), g, w in zip(BARS, got, want)
            if not W.rgb_close(g, w, TOLERANCE)]


def order_distance(got, bars):
    return sum(S.max_diff(g, b) for g, b in zip(got, bars))


def run(tmp):
    sd, hd, sd709, change = make_clips(tmp)
    expected = expected_colours()
    check_arithmetic(sd, hd, sd709, expected)
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    W.check(all(r[2:] == (CLIP_W, CLIP_H) for r in rects), f"test geometry: tiles {rects}")

    with W.start_rtsp_server({"change": change}) as server:
        cameras = [
            {"number": PLAIN, "name": "Sin ajuste", "url": sd},
            {"number": AS_709, "name": "Forzada BT.709", "url": sd, "color": "bt709"},
            {"number": AS_FULL, "name": "Rango completo", "url": sd, "range": "full"},
            {"number": CHANGING, "name": "Cambia de tamaño", "url": server.url("change")},
            {"number": HD_GUESS, "name": "HD sin etiqueta", "url": hd},
            {"number": TAG_OVERRIDDEN, "name": "Etiqueta ignorada", "url": sd709,
             "color": "bt601"},
        ]
        config = S.write_grid_layout(os.path.join(tmp, "colour.cfg"), width=WIDTH,
                                     height=HEIGHT, rows=ROWS, columns=COLUMNS, gap=GAP,
                                     cameras=cameras)
        with W.start_live_wall(config, tmp) as wall:
            problems = watch(wall, rects, expected, tmp)
            wall.stop()
    W.check(not problems, "\n  ".join(["colours are not what the layout and the contract "
                                       "say:"] + problems))


STATS = {
    PLAIN: ("bt601", "guess", "limited"),
    AS_709: ("bt709", "layout", "limited"),
    AS_FULL: ("bt601", "guess", "full"),
    CHANGING: ("bt601", "guess", "limited"),
    HD_GUESS: ("bt709", "guess", "limited"),
    TAG_OVERRIDDEN: ("bt601", "layout", "limited"),
}


def colour_of(feed):
    return (feed.get("colour"), feed.get("colour_from"), feed.get("range"))


def size(feed):
    return (feed.get("width"), feed.get("height"))


def watch(wall, rects, expected, tmp):
    problems = []
    seen_sizes, before_switch = set(), {}

    def record(feeds):
        feed = feeds.get(CHANGING, {})
        if feed.get("state") == "live":
            seen_sizes.add(size(feed))
            if size(feed) == (CLIP_W, CLIP_H) and "sd" not in before_switch:
                before_switch["sd"] = colour_of(feed)

    def all_live(feeds):
        record(feeds)
        return all(feeds.get(n, {}).get("state") == "live" for n in STATS)

    wall.wait_feeds(all_live, "all six feeds are live", TIMEOUT)

    def switched(feeds):
        record(feeds)
        feed = feeds.get(CHANGING, {})
        return ((CLIP_W, CLIP_H) in seen_sizes and feed.get("state") == "live"
                and size(feed) == (HD_W, HD_H))

    for attempt in range(3):
        feeds = wall.wait_feeds(switched, f"camera {CHANGING} went from {CLIP_W}x{CLIP_H} to "
                                f"{HD_W}x{HD_H}", TIMEOUT)
        shown = {n: feeds[n]["frames_shown"] for n in STATS}
        wall.wait_feeds(lambda f: all(f[n].get("frames_shown", 0) >= shown[n] + 2
                                      for n in (CHANGING,)),
                        "two frames shown after the switch", TIMEOUT)
        picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, f"colour{attempt}.png")),
                                  WIDTH, HEIGHT)
        after = wall.feeds()
        got = bar_colours(picture, rects[CHANGING - PLAIN])
        # The SD part shows the bars in the other order: then it looped back.
        # (The order differs by far more than any matrix would.)
        if size(after[CHANGING]) == (HD_W, HD_H) and order_distance(got, HD_BARS) < \
                order_distance(got, SD_BARS):
            break
        W.log(f"camera {CHANGING} looped back to the SD part before the snapshot; again")
        seen_sizes.clear()
    else:
        raise W.Failure("test timing: could not snapshot camera 1804 in its HD part")

    if "sd" not in before_switch:
        problems.append(f"camera {CHANGING} was never seen live at {CLIP_W}x{CLIP_H}")
    elif before_switch["sd"] != STATS[CHANGING]:
        problems.append(f"camera {CHANGING} at {CLIP_W}x{CLIP_H}: stats colour, colour_from, "
                        f"range = {before_switch['sd']}, expected {STATS[CHANGING]}")
    for (number, want), rect in zip(sorted(expected.items()), rects):
        W.log(f"camera {number}: shows {bar_colours(picture, rect)}; expected {want}; stats "
              f"{colour_of(after[number])} {size(after[number])}")
        off = compare(bar_colours(picture, rect), want)
        if off:
            problems.append(f"camera {number}: {len(off)} bars off by more than {TOLERANCE}: "
                            + "; ".join(f"{n} shows {g}, expected {w}" for n, g, w in off))
        if colour_of(after[number]) != STATS[number]:
            problems.append(f"camera {number}: stats colour, colour_from, range = "
                            f"{colour_of(after[number])}, expected {STATS[number]}")
    return problems


if __name__ == "__main__":
    W.main(run)
