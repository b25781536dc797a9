#!/usr/bin/python3
"""Sub/main stream switching by tile size, checked through the statistics.

A camera has a main stream (1280x720, one colour) and a sub stream
(320x180, another colour), both served by tests/rtsp_server.py. It sits in
the first tile of a 2x2 grid on 1920x1080 (954x534 tiles, shorter than
540 px), the other tiles empty. Through the control socket:
- at first the feed is on the sub stream (stats "stream": "sub", width 320)
  and the tile shows the sub colour;
- `maximize 1 1`: the tile covers the output (taller than 540 px): the feed
  switches to "main" (width 1280) and the snapshot shows the main colour
  over the whole output. While switching, the tile never shows a slate
  (the old picture stays until the new stream has a frame);
- `restore 1`: the stream stays "main" for about a second, then goes back
  to "sub" (width 320) and the tile shows the sub colour again.

The running wall reads a full-format file (registry `main` + `sub`, see
layouts/README.md). Last, the simple format must accept `sub` too (the
wall's contract: `cameras = ( { number; name; url; sub; } )`): `--check`
of such a file exits 0 without a warning.
"""

import os
import time

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1920, 1080, 2, 2, 4
CAMERA = 1001
MAIN_COLOUR = (200, 90, 40)
SUB_COLOUR = (40, 120, 200)
TIMEOUT = 30  # s: safety limit of each wait


def write_full_config(path, main_url, sub_url):
    """One 1920x1080 output, a 2x2 layout, the camera in the first tile."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""# written by the wall's integration tests (full format)
layouts = ( {{ name = "quad"; grid = [{ROWS}, {COLUMNS}]; gap = {GAP}; }} );
outputs = (
  {{ id = "main"; rect = [0, 0, {WIDTH}, {HEIGHT}]; background = "#202020";
    pages = ( {{ layout = "quad"; tiles = ({CAMERA}, 0, 0, 0); }} ); }}
);
cameras = (
  {{ number = {CAMERA}; name = "Av. Tulum y Cobá";
    main = {W.cfg_string(main_url)}; sub = {W.cfg_string(sub_url)}; }}
);
""")
    return path


def check_simple_format_sub(tmp):
    path = W.write_config(os.path.join(tmp, "simple-sub.cfg"), width=WIDTH, height=HEIGHT,
                          rows=ROWS, columns=COLUMNS, gap=GAP,
                          cameras=[(CAMERA, "Av. Tulum y Cobá", "main.ts", "sub.ts")])
    result = W.run_wall(["--check", path], timeout=30)
    problems = [line for line in result.stderr.splitlines() if line.startswith(path)]
    W.check(result.returncode == 0 and not problems,
            "the simple format should accept `sub` in a camera (the wall's contract: "
            "cameras = ( { number; name; url; sub; } )); " + result.describe())


def tile_colour(wall, tmp, name, rect):
    picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, name)), WIDTH, HEIGHT)
    return picture, picture.pixel(*W.centre(rect))


def run(tmp):
    main_ts = W.make_clip(os.path.join(tmp, "main.ts"),
                          f"color=c={W.rgb_hex(MAIN_COLOUR)}:size=1280x720", duration=3)
    sub_ts = W.make_clip(os.path.join(tmp, "sub.ts"),
                         f"color=c={W.rgb_hex(SUB_COLOUR)}:size=320x180", duration=3)
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    W.check(rects[0][3] < 540, f"test geometry: tile {rects[0]} should be under 540 px tall")

    with W.start_rtsp_server({"cam/main": main_ts, "cam/sub": sub_ts}) as server:
        config = write_full_config(os.path.join(tmp, "submain.cfg"), server.url("cam/main"),
                                   server.url("cam/sub"))
        with W.start_live_wall(config, tmp) as wall:
            def on(stream, width):
                def predicate(feeds):
                    feed = feeds.get(CAMERA)
                    return (feed is not None and feed.get("state") == "live"
                            and feed.get("stream") == stream and feed.get("width") == width)
                return predicate

            # Small tile: the sub stream.
            wall.wait_feeds(on("sub", 320), f"camera {CAMERA} is live on its sub stream", TIMEOUT)
            feed = wall.feeds()[CAMERA]
            W.check(feed.get("height") == 180, f"sub stream height {feed.get('height')}")
            tiles = wall.tiles()
            W.check(tiles[0].get("camera") == CAMERA and tiles[0].get("stream") == "sub",
                    f"tiles: expected camera {CAMERA} on its sub stream in tile 1: "
                    + W.tile_summary(tiles))
            _, rgb = tile_colour(wall, tmp, "sub.png", rects[0])
            W.assert_rgb_close(rgb, SUB_COLOUR, 4, "small tile (sub stream) centre")

            # Maximized: the main stream, without a slate in between.
            W.check(wall.ok("maximize 1 1").startswith("output"), "maximize 1 1")
            states = []

            def switched():
                tiles = wall.tiles()
                states.append((tiles[0].get("state"), tiles[0].get("stream")))
                return (len(tiles) == 1 and tiles[0].get("maximized") is True
                        and tiles[0].get("stream") == "main")

            W.wait_until(switched, "the maximized tile is on the main stream", TIMEOUT,
                         interval=0.05, describe=lambda: states[-5:])
            W.log(f"tile states while switching: {states}")
            W.check(all(state == "live" for state, _ in states),
                    f"the tile left 'live' while switching to the main stream: {states}")
            wall.wait_feeds(on("main", 1280), f"camera {CAMERA} is on its main stream", TIMEOUT)
            feed = wall.feeds()[CAMERA]
            W.check(feed.get("height") == 720, f"main stream height {feed.get('height')}")
            picture, _ = tile_colour(wall, tmp, "main.png", (0, 0, WIDTH, HEIGHT))
            whole = (0, 0, WIDTH, HEIGHT)
            W.assert_region_colour(picture, W.safe_area(whole), MAIN_COLOUR, 4,
                                   "the maximized tile (main stream) over the output")

            # Restored: main for about a second more, then sub.
            restored_at = time.monotonic()
            W.check(wall.ok("restore 1").startswith("output"), "restore 1")
            feed = wall.feeds()[CAMERA]
            if time.monotonic() - restored_at < 0.5:
                W.check(feed.get("stream") == "main",
                        f"the stream left 'main' at once after restore: {feed}")
            wall.wait_feeds(on("sub", 320), f"camera {CAMERA} is back on its sub stream",
                            TIMEOUT)
            W.log(f"back on the sub stream {time.monotonic() - restored_at:.2f} s after restore")
            W.check(time.monotonic() - restored_at >= 0.9,
                    "the stream went back to sub less than a second after restore")
            tiles = wall.tiles()
            W.check(len(tiles) == ROWS * COLUMNS and not tiles[0].get("maximized")
                    and tiles[0].get("stream") == "sub",
                    "tiles after restore: " + W.tile_summary(tiles))
            _, rgb = tile_colour(wall, tmp, "restored.png", rects[0])
            W.assert_rgb_close(rgb, SUB_COLOUR, 4, "restored tile (sub stream) centre")
            wall.stop()

    check_simple_format_sub(tmp)


if __name__ == "__main__":
    W.main(run)
