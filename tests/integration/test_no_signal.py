#!/usr/bin/python3
"""A camera that cannot be reached shows the NO SIGNAL slate; the rest play.

A 2x2 wall: three moving file clips and one RTSP camera on a local port
where nothing listens (connection refused). After 50 headless frames: the
refused tile shows the NO SIGNAL slate (dark red #3c1414 with white text),
its feed is "no-signal", and every other feed is "live" and showed more
than one new picture (frames_shown > 1), i.e. the dead camera did not stall
the wall.
"""

import os

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1280, 720, 2, 2, 4
SOURCES = ["testsrc2=size=320x240:rate=25", "mandelbrot=size=320x240:rate=25",
           "testsrc=size=320x240:rate=25"]
DEAD = 604


def run(tmp):
    cameras = []
    for i, source in enumerate(SOURCES):
        path = os.path.join(tmp, f"moving{i + 1}.mp4")
        W.make_clip(path, source, duration=4, crf=23)
        cameras.append((601 + i, f"Cámara en movimiento {i + 1}", os.path.basename(path)))

    with W.refused_port() as port:
        cameras.append((DEAD, "Cámara sin conexión", f"rtsp://127.0.0.1:{port}/x"))
        config = W.write_config(os.path.join(tmp, "nosignal.cfg"), width=WIDTH,
                                height=HEIGHT, rows=ROWS, columns=COLUMNS, gap=GAP,
                                cameras=cameras)
        snapshot = os.path.join(tmp, "nosignal.png")
        _, stats = W.run_headless(config, snapshot, frames=50)

    for number, _, _ in cameras:
        W.log(f"camera {number}: {W.feed_stats(stats, number)}")
    # Frames drawn while the feeds settle may count too: at least 50.
    W.check(stats.get("frames_rendered", 0) >= 50,
            f"frames_rendered is {stats.get('frames_rendered')}, expected at least 50")

    dead = W.feed_stats(stats, DEAD)
    W.check(dead.get("state") == "no-signal",
            f"camera {DEAD} (connection refused): state {dead.get('state')!r}, "
            "expected 'no-signal'")
    for number, _, _ in cameras[:-1]:
        feed = W.feed_stats(stats, number)
        W.check(feed.get("state") == "live",
                f"camera {number}: state {feed.get('state')!r}, expected 'live'")
        W.check(feed.get("frames_shown", 0) > 1,
                f"camera {number}: frames_shown {feed.get('frames_shown')}, expected > 1 "
                "(the picture did not move)")

    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    W.assert_slate(picture, rects[3], W.SLATE_NO_SIGNAL, f"camera {DEAD} (refused)")
    for (number, _, _), rect in zip(cameras[:-1], rects):
        W.check(not W.is_slate_colour(picture.pixel(*W.slate_point(rect))),
                f"camera {number}: tile {rect} shows a slate, expected its picture")
        W.check(picture.stddev(W.safe_area(rect)) > 8,
                f"camera {number}: tile {rect} is nearly uniform, expected a moving picture")


if __name__ == "__main__":
    W.main(run)
