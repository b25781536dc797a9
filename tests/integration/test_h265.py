#!/usr/bin/python3
"""H.265 over RTSP renders correctly.

tests/rtsp_server.py serves two H.265 (libx265) MPEG-TS clips, NAME=FILE.ts:h265:
four coloured vertical stripes, and a solid colour. A 1x2 wall shows both
headless; the snapshot must show the stripes in order in the first tile and
the colour in the second (each within 4 per channel), and --stats must say
both feeds are live with codec "hevc" and the clip's size.
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 1296, 488, 4  # two 642x480 tiles
STRIPES = [(210, 50, 50), (50, 190, 70), (60, 80, 210), (230, 210, 50)]
SOLID = (90, 170, 200)


def run(tmp):
    stripes_png = W.save_bars(os.path.join(tmp, "stripes.png"), 320, 240, STRIPES)
    stripes_ts = W.make_clip(os.path.join(tmp, "stripes265.ts"), image=stripes_png,
                             duration=3, codec="libx265")
    solid_ts = W.make_clip(os.path.join(tmp, "solid265.ts"),
                           f"color=c={W.rgb_hex(SOLID)}:size=320x240", duration=3,
                           codec="libx265")
    for path in (stripes_ts, solid_ts):
        info = W.probe_stream(path)
        W.check(info["codec_name"] == "hevc", f"test setup: {path} is {info['codec_name']}")

    mounts = {"hevc/stripes": (stripes_ts, "h265"), "hevc/solid": (solid_ts, "h265")}
    with W.start_rtsp_server(mounts) as server:
        cameras = [(901, "Franjas H.265", server.url("hevc/stripes")),
                   (902, "Sólido H.265", server.url("hevc/solid"))]
        config = W.write_config(os.path.join(tmp, "h265.cfg"), width=WIDTH, height=HEIGHT,
                                rows=1, columns=2, gap=GAP, cameras=cameras)
        snapshot = os.path.join(tmp, "h265.png")
        _, stats = W.run_headless(config, snapshot, frames=25)

    for number, _, _ in cameras:
        feed = W.feed_stats(stats, number)
        W.log(f"camera {number}: {feed}")
        W.check(feed.get("state") == "live",
                f"camera {number}: state {feed.get('state')!r}, expected 'live'")
        W.check(feed.get("codec") == "hevc",
                f"camera {number}: codec {feed.get('codec')!r}, expected 'hevc'")
        W.check((feed.get("width"), feed.get("height")) == (320, 240),
                f"camera {number}: {feed.get('width')}x{feed.get('height')}, expected 320x240")
        W.check(feed.get("frames_decoded", 0) > 0, f"camera {number}: no frames decoded")

    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
    stripes_tile, solid_tile = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
    pic = W.fit_rect(stripes_tile, 320, 240)
    y = stripes_tile[1] + stripes_tile[3] * 2 // 5
    for i, (rgb, x) in enumerate(zip(STRIPES, W.bar_centres(pic[2], len(STRIPES)))):
        W.assert_rgb_close(picture.pixel(pic[0] + x, y), rgb, 4,
                           f"stripe {i + 1} of the H.265 stream at ({pic[0] + x},{y})")
    W.assert_region_colour(picture, W.safe_area(W.fit_rect(solid_tile, 320, 240)), SOLID, 4,
                           "the solid-colour H.265 tile")


if __name__ == "__main__":
    W.main(run)
