#!/usr/bin/python3
"""A stream whose resolution (and shape) changes mid-way is shown correctly.

The clip is one MPEG-TS file: 2 s of red at 320x240 (4:3) followed by 5 s
of blue at 640x240 (8:3), one H.264 stream with continuous timestamps and a
new SPS at the change (two encodes, the second shifted in time, joined byte
for byte). The wall plays it twice, in a 1x2 grid whose tiles are about
16:9 (so the 4:3 part is pillarboxed and the 8:3 part letterboxed): as a
file camera (it loops), and from tests/rtsp_server.py (which loops it too).

Through the control socket: for each feed the stats first say 320x240,
then 640x240; a snapshot taken after the change shows blue at the tile
centre (within 4), black letterbox bars above the picture, and blue where
the 4:3 picture's pillar bars were.
"""

import os

import walltest as W

WIDTH, HEIGHT, GAP = 2560, 720, 4  # two 1274x712 tiles, about 16:9
FILE_CAMERA, RTSP_CAMERA = 1201, 1202
RED, BLUE = (200, 40, 40), (40, 60, 200)
FIRST, SECOND = (320, 240, 2), (640, 240, 5)  # width, height, seconds
BLACK = (0, 0, 0)
TIMEOUT = 30  # s: safety limit of each wait (more than one loop of the clip)


def make_changing_clip(tmp):
    w1, h1, d1 = FIRST
    w2, h2, d2 = SECOND
    part1 = W.make_clip(os.path.join(tmp, "part1.ts"),
                        f"color=c={W.rgb_hex(RED)}:size={w1}x{h1}", duration=d1)
    part2 = W.make_clip(os.path.join(tmp, "part2.ts"),
                        f"color=c={W.rgb_hex(BLUE)}:size={w2}x{h2}", duration=d2)
    path = W.join_ts(part1, part2, d1, os.path.join(tmp, "change.ts"))
    # Check the clip itself: FFmpeg decodes both sizes from it.
    sizes = W.run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "frame=width,height", "-of", "csv=p=0", path]).decode().split()
    W.check(f"{w1},{h1}" in sizes and f"{w2},{h2}" in sizes,
            f"test setup: the clip does not change size: {sorted(set(sizes))}")
    return path


def check_tile(picture, tile, what):
    """Blue at the centre, a letterbox bar above, blue edge to edge."""
    new_pic = W.fit_rect(tile, SECOND[0], SECOND[1])
    safe = W.safe_area(tile)
    W.assert_rgb_close(picture.pixel(*W.centre(tile)), BLUE, 4,
                       f"{what}: tile centre after the resolution change")
    top_bar = (safe[0], safe[1], safe[2], new_pic[1] - 4 - safe[1])
    W.assert_region_colour(picture, top_bar, BLACK, 4,
                           f"{what}: letterbox bar above the new picture")
    # From the picture's top to the safe area's bottom, edge to edge of the
    # safe area, including where the old 4:3 picture's pillar bars were.
    bottom = min(new_pic[1] + new_pic[3] - 4, safe[1] + safe[3])
    body = (safe[0], new_pic[1] + 4, safe[2], bottom - (new_pic[1] + 4))
    W.assert_region_colour(picture, body, BLUE, 4,
                           f"{what}: the new picture, full width (no pillar bars left)")


def run(tmp):
    clip = make_changing_clip(tmp)
    tiles = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
    for tile in tiles:
        old_pic = W.fit_rect(tile, FIRST[0], FIRST[1])   # pillarboxed
        new_pic = W.fit_rect(tile, SECOND[0], SECOND[1])  # letterboxed
        safe = W.safe_area(tile)
        W.check(old_pic[0] - safe[0] > 20 and new_pic[1] - safe[1] > 20,
                f"test geometry: bars expected in {tile}: {old_pic}, {new_pic}")

    with W.start_rtsp_server({"change": clip}) as server:
        cameras = [(FILE_CAMERA, "Cambio de resolución (archivo)", clip),
                   (RTSP_CAMERA, "Cambio de resolución (RTSP)", server.url("change"))]
        config = W.write_config(os.path.join(tmp, "change.cfg"), width=WIDTH, height=HEIGHT,
                                rows=1, columns=2, gap=GAP, cameras=cameras)
        with W.start_live_wall(config, tmp) as wall:
            seen = {FILE_CAMERA: set(), RTSP_CAMERA: set()}

            def size(feed):
                return (feed.get("width"), feed.get("height"))

            def changed(feeds):
                """Both feeds were seen at the first size and are now at the second."""
                for number in seen:
                    feed = feeds.get(number, {})
                    if feed.get("state") == "live":
                        seen[number].add(size(feed))
                return all(FIRST[:2] in seen[n] and feeds.get(n, {}).get("state") == "live"
                           and size(feeds[n]) == SECOND[:2] for n in seen)

            # The clip loops (blue 5 s of every 7): if a feed is back on red by the
            # time the snapshot is written, try again on the next loop.
            for attempt in range(3):
                feeds = wall.wait_feeds(changed, "both feeds changed from "
                                        f"{FIRST[0]}x{FIRST[1]} to {SECOND[0]}x{SECOND[1]}",
                                        TIMEOUT)
                # The render loop uploads pictures: wait for two more frames shown.
                shown = {n: feeds[n]["frames_shown"] for n in seen}
                wall.wait_feeds(lambda f: all(f[n].get("frames_shown", 0) >= shown[n] + 2
                                              for n in seen),
                                "two frames shown after the change", TIMEOUT)
                picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "after.png")),
                                          WIDTH, HEIGHT)
                after = wall.feeds()
                W.log("after the snapshot: " + "; ".join(
                    f"{n}: {size(after[n])} shown={after[n]['frames_shown']}" for n in seen))
                if all(size(after[n]) == SECOND[:2] for n in seen):
                    break
                W.log("a feed looped back to the first part; trying again")
                for n in seen:
                    seen[n].clear()
            else:
                raise W.Failure("test timing: could not snapshot both feeds after the change")

            for (number, name, _), tile in zip(cameras, tiles):
                check_tile(picture, tile, f"camera {number} ({name})")
            wall.stop()


if __name__ == "__main__":
    W.main(run)
