#!/usr/bin/python3
"""The built-in demo, windowed on a 1920x1080 X display, shows 16 pictures.

Xvfb (a virtual X server) gives a 1920x1080 display; `wall` with no
--config runs the demo (assets/demo.cfg: a 4x4 grid, gap 4, background
#202020, 16 bundled clips) in a borderless window covering the display, so
the 1920x1080 canvas maps 1:1 onto the screen. Once the wall logs
"settled:" the root window is captured and the wall gets SIGTERM, which
must make it exit 0. In the capture every tile shows a picture (not uniform,
not a slate) and every pixel between the tiles is #202020.
"""

import os
import signal

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1920, 1080, 4, 4, 4
BACKGROUND = (0x20, 0x20, 0x20)
SETTLE_GUARD = 60  # s; a failure guard only, the test waits for "settled:"


def run(tmp):
    W.require_tool("import")
    with W.start_xvfb(WIDTH, HEIGHT) as display:
        W.log(f"Xvfb on display {display}")
        env = W.wall_env(display=display)
        with W.start_wall([], env, cwd=tmp) as (wall, stderr):
            settled = stderr.wait_for(r"settled:", SETTLE_GUARD)
            if not settled:
                status = wall.poll()
                raise W.Failure("the wall did not log 'settled:' "
                                + (f"(it exited with {status})" if status is not None
                                   else f"within {SETTLE_GUARD} s")
                                + f"\n--- stderr:\n{W.tail(stderr.text())}")
            W.log(f"wall: {settled.string}")
            capture = W.screenshot(display, os.path.join(tmp, "demo.png"))
            status = W.stop_process(wall, signal.SIGTERM, timeout=15)
            W.check(status == 0, f"after SIGTERM the wall exited with {status}, expected 0"
                    f"\n--- stderr:\n{W.tail(stderr.text())}")

    picture = W.read_png(capture)
    W.check((picture.width, picture.height) == (WIDTH, HEIGHT),
            f"screenshot is {picture.width}x{picture.height}, expected {WIDTH}x{HEIGHT}")

    problems = []
    for i, rect in enumerate(W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)):
        camera = 101 + i
        point = W.slate_point(rect)
        spread = picture.stddev(W.safe_area(rect))
        W.log(f"camera {camera}: tile {rect}, stddev {spread:.1f}, "
              f"pixel at 15% {picture.pixel(*point)}")
        if W.is_slate_colour(picture.pixel(*point)):
            problems.append(f"camera {camera} shows a slate")
        elif spread < 10:
            problems.append(f"camera {camera}: tile {rect} is nearly uniform "
                            f"(stddev {spread:.1f}), expected a picture")
    W.check(not problems, "; ".join(problems))

    for rect in W.gap_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP):
        W.assert_region_colour(picture, rect, BACKGROUND, 0, "gap between tiles")


if __name__ == "__main__":
    W.main(run)
