#!/usr/bin/python3
"""The wall plays live RTSP streams from a real RTSP server.

tests/rtsp_server.py (gst-rtsp-server) serves two looping MPEG-TS clips:
four coloured vertical stripes, and a solid colour. A 1x2 wall shows both;
the headless snapshot must show the stripes in order in the first tile and
the colour in the second, and --stats must call both feeds "live". The
second camera's URL carries a user and password, which the server ignores:
the password must not appear in the stats or in the logs.
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 1296, 488, 4  # two 642x480 tiles
STRIPES = [(200, 40, 40), (40, 180, 60), (50, 70, 200), (220, 200, 40)]
SOLID = (180, 60, 160)
PASSWORD = "s3cr3t-PaSs"


def run(tmp):
    stripes_png = W.save_bars(os.path.join(tmp, "stripes.png"), 320, 240, STRIPES)
    stripes_ts = W.make_clip(os.path.join(tmp, "stripes.ts"), image=stripes_png, duration=3)
    solid_ts = W.make_clip(os.path.join(tmp, "solid.ts"),
                           f"color=c={W.rgb_hex(SOLID)}:size=320x240", duration=3)

    with W.start_rtsp_server({"stripes": stripes_ts, "cam/solid": solid_ts}) as server:
        solid_url = server.url("cam/solid").replace("rtsp://", f"rtsp://operador:{PASSWORD}@")
        cameras = [(501, "Franjas RTSP", server.url("stripes")),
                   (502, "Sólido RTSP con contraseña", solid_url)]
        config = W.write_config(os.path.join(tmp, "rtsp.cfg"), width=WIDTH, height=HEIGHT,
                                rows=1, columns=2, gap=GAP, cameras=cameras)
        snapshot = os.path.join(tmp, "rtsp.png")
        result, stats = W.run_headless(config, snapshot, frames=25)

    for number, _, _ in cameras:
        feed = W.feed_stats(stats, number)
        W.log(f"camera {number}: {feed}")
        W.check(feed.get("state") == "live",
                f"camera {number}: state {feed.get('state')!r}, expected 'live'")
        W.check(feed.get("frames_decoded", 0) > 0, f"camera {number}: no frames decoded")
    W.check(PASSWORD not in result.stdout, "the camera password appears in --stats output")
    W.check(PASSWORD not in result.stderr, "the camera password appears in the logs")

    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
    stripes_tile, solid_tile = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)

    pic = W.fit_rect(stripes_tile, 320, 240)
    y = stripes_tile[1] + stripes_tile[3] * 2 // 5
    for i, (rgb, x) in enumerate(zip(STRIPES, W.bar_centres(pic[2], len(STRIPES)))):
        W.assert_rgb_close(picture.pixel(pic[0] + x, y), rgb, 4,
                           f"stripe {i + 1} of the RTSP stream at ({pic[0] + x},{y})")

    W.assert_rgb_close(picture.pixel(*W.centre(solid_tile)), SOLID, 4,
                       "centre of the solid-colour RTSP tile")


if __name__ == "__main__":
    W.main(run)
