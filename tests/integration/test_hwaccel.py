#!/usr/bin/python3
"""--hwaccel on a machine without VA-API (no /dev/dri, software GL).

For `--hwaccel vaapi` and `--hwaccel auto`: the wall exits 0, logs exactly
one line saying why it decodes in software (VA-API unavailable, or this GL
cannot import DMA-BUFs: the test prints which it saw), the picture is right
(a solid colour clip at the tile centre, within 4) and --stats says
"hardware": false for the feed. `--hwaccel bogus` exits 2 with one line.

The layout file's `wall = { hwaccel = "none"; }` takes effect: without
--hwaccel the wall probes no VA-API device (no line about VA-API or
DMA-BUF; one line saying hardware decoding is off by the layout) and the
picture is right; `--hwaccel auto` on the command line wins over the file
(the probe's line is back).

On a machine that has VA-API and a GL that imports DMA-BUFs the test is
skipped: it is about the fallback.
"""

import os
import re

import streams as S
import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
COLOUR = (40, 150, 210)
CAMERA = 801
# A line about the hardware path: VA-API, DMA-BUF or zero-copy import.
HARDWARE_LINE = re.compile(r"VA-?API|DMA-?BUF|dmabuf|zero.copy", re.IGNORECASE)


def run(tmp):
    if os.path.exists("/dev/dri"):
        raise W.Skip("/dev/dri exists: this test is for machines without VA-API")
    clip = W.make_clip(os.path.join(tmp, "solid.mp4"),
                       f"color=c={W.rgb_hex(COLOUR)}:size=320x240", duration=2)
    config = W.write_config(os.path.join(tmp, "hw.cfg"), width=WIDTH, height=HEIGHT,
                            rows=1, columns=1, gap=GAP, cameras=[(CAMERA, "Cámara", clip)])
    tile = W.tile_rects(WIDTH, HEIGHT, 1, 1, GAP)[0]

    seen = {}
    for i, mode in enumerate(("vaapi", "auto")):
        snapshot = os.path.join(tmp, f"snapshot{i + 1}.png")  # no mode name: it is grepped
        result, stats = W.run_headless(config, snapshot, frames=10,
                                       extra=["--hwaccel", mode])
        lines = [line for line in result.stderr.splitlines() if HARDWARE_LINE.search(line)]
        W.check(len(lines) == 1, f"--hwaccel {mode}: expected exactly one log line about "
                f"VA-API / DMA-BUF, got {len(lines)}: {lines}; " + result.describe())
        W.check("software" in lines[0].lower(),
                f"--hwaccel {mode}: the line does not say it decodes in software: {lines[0]!r}")
        seen[mode] = lines[0]
        W.log(f"--hwaccel {mode}: {lines[0]}")

        feed = W.feed_stats(stats, CAMERA)
        W.check(feed.get("hardware") is False,
                f"--hwaccel {mode}: stats hardware is {feed.get('hardware')!r}, expected false")
        W.check(feed.get("state") == "live",
                f"--hwaccel {mode}: state {feed.get('state')!r}, expected 'live'")
        picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
        W.assert_rgb_close(picture.pixel(*W.centre(tile)), COLOUR, 4,
                           f"--hwaccel {mode}: centre of the tile")

    kinds = {mode: "DMA-BUF import unavailable" if re.search("DMA-?BUF|zero.copy", line, re.I)
             else "VA-API unavailable" for mode, line in seen.items()}
    W.log("fallback seen: " + ", ".join(f"{m}: {k}" for m, k in kinds.items()))

    # The layout file's setting, and the command line over it.
    off_config = S.write_grid_layout(
        os.path.join(tmp, "hw-off.cfg"), width=WIDTH, height=HEIGHT, rows=1, columns=1,
        gap=GAP, cameras=[{"number": CAMERA, "name": "Cámara", "url": clip}],
        wall={"hwaccel": "none"})
    snapshot = os.path.join(tmp, "snapshot-off.png")
    result, stats = W.run_headless(off_config, snapshot, frames=10)
    probes = [line for line in result.stderr.splitlines() if HARDWARE_LINE.search(line)]
    W.check(not probes, "hwaccel = \"none\" in the layout: the wall still probed VA-API: "
            f"{probes}; " + result.describe())
    W.check(re.search(r'hardware decoding off \(hwaccel = "none" in the layout\)',
                      result.stderr) is not None,
            "hwaccel = \"none\" in the layout: no line saying hardware decoding is off by the "
            "layout; " + result.describe())
    W.check(W.feed_stats(stats, CAMERA).get("state") == "live", "hwaccel none: feed not live")
    W.assert_rgb_close(W.read_snapshot(snapshot, WIDTH, HEIGHT).pixel(*W.centre(tile)), COLOUR,
                       4, "hwaccel none from the layout: centre of the tile")
    result, _ = W.run_headless(off_config, os.path.join(tmp, "snapshot-cli.png"), frames=10,
                               extra=["--hwaccel", "auto"])
    probes = [line for line in result.stderr.splitlines() if HARDWARE_LINE.search(line)]
    W.check(len(probes) == 1, "--hwaccel auto over a layout saying none: expected the probe's "
            f"one line about VA-API / DMA-BUF, got {probes}; " + result.describe())

    bogus = W.run_wall(["--headless", "--config", config, "--frames", "1", "--hwaccel", "bogus"],
                       timeout=30).expect_exit(2)
    lines = [line for line in bogus.stderr.splitlines() if line.strip()]
    W.check(len(lines) == 1 and "bogus" in lines[0] and "--hwaccel" in lines[0],
            "--hwaccel bogus: expected one line on stderr naming --hwaccel and the value; "
            + bogus.describe())


if __name__ == "__main__":
    W.main(run)
