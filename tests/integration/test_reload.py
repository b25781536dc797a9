#!/usr/bin/python3
"""Live reload of the layout file: valid changes swap in, invalid ones do not.

A headless wall (1920x1080) runs on a simple layout file: a 1x2 grid with a
red camera (1101) and a green one (1102), solid-colour file clips.

1. valid -> valid, written atomically (temp file + rename): a 2x2 grid,
   camera 1101 now plays a blue clip, a new yellow camera 1103 in tile 3.
   The "reloaded" line is logged; once the tiles are live the snapshot shows
   the 2x2 grid with blue, green, yellow and an empty tile. Camera 1102 did
   not change: it keeps its feed (frames_decoded keeps counting up from
   where it was, reconnects stays 0, its "live" line is logged only once,
   and its tile is never seen anything but live or stale: no slate).
2. valid -> invalid, written in place (rows = 0): "not reloaded" is logged
   with the problem as FILE:LINE: message; the wall keeps the 2x2 layout
   (snapshot) under a red banner (#b00020 at 90 % opacity) across the top
   with text in it; camera 1102 keeps decoding.
3. invalid -> invalid, atomically (a syntax error): logged with its line;
   the banner stays.
4. invalid -> valid, in place (the 2x2 file again): "reloaded", and the
   banner is gone: the top of the output shows the background and the tile
   colours again. No camera reconnected.
"""

import os
import re
import time

import walltest as W

WIDTH, HEIGHT, GAP = 1920, 1080, 4
BACKGROUND = (0x20, 0x20, 0x20)
EMPTY_TILE = (0, 0, 0)
BANNER = (0xB0, 0x00, 0x20)
BANNER_ALPHA = 0.9
RED, GREEN, BLUE, YELLOW = (200, 40, 40), (40, 170, 60), (40, 60, 200), (220, 200, 40)
TIMEOUT = 30  # s: safety limit of each wait
GRID_LINE = 3  # write_config puts `grid = {...}` on line 3


def clip(tmp, name, rgb):
    return W.make_clip(os.path.join(tmp, f"{name}.mp4"),
                       f"color=c={W.rgb_hex(rgb)}:size=320x180", duration=2)


def write_text(path, text, atomic):
    target = path + ".tmp" if atomic else path
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    if atomic:
        os.replace(target, path)


def layout_text(tmp, rows, columns, cameras):
    """The text write_config makes (written to a scratch file and read back)."""
    scratch = os.path.join(tmp, "scratch.cfg")
    W.write_config(scratch, width=WIDTH, height=HEIGHT, rows=rows, columns=columns, gap=GAP,
                   cameras=cameras, background=W.rgb_hex(BACKGROUND))
    with open(scratch, encoding="utf-8") as f:
        text = f.read()
    os.unlink(scratch)
    return text


def inner(rect):
    """Where a tile's 16:9 picture is asserted: inside the picture (4 px
    from its edges), in the tile's safe area, and 60 px below the top of
    the output (where the banner would be)."""
    px, py, pw, ph = W.fit_rect(rect, 320, 180)
    sx, sy, sw, sh = W.safe_area(rect)
    x0, y0 = max(px + 4, sx), max(py + 4, sy, 60)
    x1, y1 = min(px + pw - 4, sx + sw), min(py + ph - 4, sy + sh)
    return (x0, y0, x1 - x0, y1 - y0)


def blend(over, under, alpha):
    return tuple(round(alpha * o + (1 - alpha) * u) for o, u in zip(over, under))


def banner_band(height):
    """Rows at the top of the output inside the banner but above its text:
    the wall pads the text by a third of its size, size = max(14, h/40)."""
    size = max(14, height // 40)
    return (0, 1, WIDTH, max(1, size // 3 - 2))


def run(tmp):
    red, green, blue, yellow = (clip(tmp, n, c) for n, c in
                                (("red", RED), ("green", GREEN), ("blue", BLUE),
                                 ("yellow", YELLOW)))
    v1 = [(1101, "Cámara 1101", red), (1102, "Cámara 1102", green)]
    v2 = [(1101, "Cámara 1101", blue), (1102, "Cámara 1102", green),
          (1103, "Cámara 1103", yellow)]
    valid_2x2 = layout_text(tmp, 2, 2, v2)
    config = os.path.join(tmp, "wall.cfg")
    write_text(config, layout_text(tmp, 1, 2, v1), atomic=False)

    with W.start_live_wall(config, tmp) as wall:
        def all_live(count):
            return lambda tiles: (len(tiles) == count and all(
                t.get("state") == "live" for t in tiles if t.get("camera")))

        wall.wait_tiles(all_live(2), "both tiles of the 1x2 layout are live", TIMEOUT)
        rects = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
        picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "v1.png")), WIDTH, HEIGHT)
        W.assert_region_colour(picture, inner(rects[0]), RED, 4, "v1 tile 1 (red)")
        W.assert_region_colour(picture, inner(rects[1]), GREEN, 4, "v1 tile 2 (green)")
        before = wall.feeds()[1102]

        # 1. valid -> valid, atomically.
        mark = wall.log.mark()
        write_text(config, valid_2x2, atomic=True)
        written_at = time.monotonic()
        seen_1102 = []

        def swapped(tiles):
            seen_1102.extend(t.get("state") for t in tiles if t.get("camera") == 1102)
            cams = [t.get("camera") for t in tiles]
            return (wall.log.matching(r"layout: .*: reloaded: ", since=mark)
                    and cams == [1101, 1102, 1103, 0] and all_live(4)(tiles))

        wall.wait_tiles(swapped, "the 2x2 layout is reloaded and its tiles are live", TIMEOUT)
        reloaded = wall.log.matching(r"layout: .*: reloaded: ", since=mark)
        W.log(f"reload: {reloaded}; tiles live {time.monotonic() - written_at:.1f} s "
              "after the write")
        W.check(len(reloaded) == 1, f"one change, expected one reload, got {reloaded}")
        W.check(config in reloaded[0], f"the reloaded line does not name {config}: {reloaded}")
        # Never a slate (stale keeps the picture: a loaded machine may starve a feed).
        W.check(set(seen_1102) <= {"live", "stale"},
                f"camera 1102 (unchanged) was seen {sorted(set(seen_1102))} during the reload")
        rects = W.tile_rects(WIDTH, HEIGHT, 2, 2, GAP)
        picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "v2.png")), WIDTH, HEIGHT)
        for rect, rgb, what in zip(rects, (BLUE, GREEN, YELLOW, EMPTY_TILE),
                                   ("tile 1 (1101, now blue)", "tile 2 (1102, green)",
                                    "tile 3 (1103, yellow)", "tile 4 (empty)")):
            W.assert_region_colour(picture, inner(rect), rgb, 4, f"after the reload, {what}")
        # The gaps, except near the bottom of the output (an OSD clock may be there).
        for x, y, w, h in W.gap_rects(WIDTH, HEIGHT, 2, 2, GAP):
            h = min(y + h, HEIGHT - 120) - y
            if h > 0:
                W.assert_region_colour(picture, (x, y, w, h), BACKGROUND, 0,
                                       "gaps of the 2x2 grid")
        clean = picture

        def keeps_decoding(since_count):
            return lambda feeds: feeds.get(1102, {}).get("frames_decoded", 0) > since_count

        after = wall.wait_feeds(keeps_decoding(before["frames_decoded"]),
                                "camera 1102 keeps decoding after the reload", TIMEOUT)[1102]
        W.log(f"camera 1102: frames_decoded {before['frames_decoded']} -> "
              f"{after['frames_decoded']}, reconnects {after['reconnects']}")
        W.check(after.get("reconnects") == 0, f"camera 1102 reconnected: {after}")
        W.check(after.get("state") == "live", f"camera 1102 is not live: {after}")
        lives = wall.log.matching(r"feed: camera 1102\b.*: live")
        W.check(len(lives) == 1, f"camera 1102 went live {len(lives)} times (a new feed?): {lives}")

        # 2. valid -> invalid, in place: rows = 0.
        mark = wall.log.mark()
        write_text(config, valid_2x2.replace("rows = 2;", "rows = 0;"), atomic=False)
        wall.wait_log(r"layout: .*: not reloaded \(", "`not reloaded` after rows = 0", TIMEOUT,
                      since=mark)
        problems = wall.log.matching(rf"{re.escape(config)}:{GRID_LINE}: ", since=mark)
        W.log(f"problems logged: {problems}")
        W.check(problems, f"no `{config}:{GRID_LINE}: message` line logged for rows = 0:\n"
                + W.tail(wall.log.text()))
        W.check(not wall.log.matching(r"reloaded: ", since=mark), "an invalid file was loaded")
        check_banner(wall, tmp, "invalid1.png", rects, clean)
        decoded = wall.feeds()[1102]["frames_decoded"]
        wall.wait_feeds(keeps_decoding(decoded),
                        "camera 1102 keeps decoding after the invalid change", TIMEOUT)

        # 3. invalid -> invalid, atomically: a syntax error on the grid line.
        mark = wall.log.mark()
        write_text(config, valid_2x2.replace("columns = 2;", "columns = ;"), atomic=True)
        wall.wait_log(r"layout: .*: not reloaded \(", "`not reloaded` after a syntax error",
                      TIMEOUT, since=mark)
        problems = wall.log.matching(rf"{re.escape(config)}:{GRID_LINE}: ", since=mark)
        W.log(f"problems logged: {problems}")
        W.check(problems, f"no `{config}:{GRID_LINE}: message` line logged for the syntax "
                "error:\n" + W.tail(wall.log.text()))
        check_banner(wall, tmp, "invalid2.png", rects, clean)

        # 4. invalid -> valid, in place: the banner goes.
        mark = wall.log.mark()
        write_text(config, valid_2x2, atomic=False)
        wall.wait_log(r"layout: .*: reloaded: ", "`reloaded` after the fix", TIMEOUT, since=mark)
        wall.wait_tiles(all_live(4), "the tiles are live after the fix", TIMEOUT)
        picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "fixed.png")), WIDTH, HEIGHT)
        W.assert_region_colour(picture, (0, 0, WIDTH, GAP), BACKGROUND, 0,
                               "the top of the output after the fix (no banner)")
        for rect, rgb, what in zip(rects, (BLUE, GREEN), ("tile 1", "tile 2")):
            pic = W.fit_rect(rect, 320, 180)
            sx, sy, sw, _ = W.safe_area(rect)  # not within 12 px of the tile's edges
            x0, y0 = max(pic[0] + 4, sx), max(pic[1] + 4, sy)
            x1 = min(pic[0] + pic[2] - 4, sx + sw)
            top = (x0, y0, x1 - x0, 60 - y0)
            W.assert_region_colour(picture, top, rgb, 4,
                                   f"top of {what} after the fix (no banner)")
        for rect, rgb, what in zip(rects, (BLUE, GREEN, YELLOW, EMPTY_TILE),
                                   ("tile 1", "tile 2", "tile 3", "tile 4")):
            W.assert_region_colour(picture, inner(rect), rgb, 4, f"after the fix, {what}")

        feeds = wall.feeds()
        for number in (1101, 1102, 1103):
            W.check(feeds[number].get("reconnects") == 0,
                    f"camera {number} reconnected during the reloads: {feeds[number]}")
        lives = wall.log.matching(r"feed: camera 1102\b.*: live")
        W.check(len(lives) == 1, f"camera 1102 went live {len(lives)} times: {lives}")
        wall.stop()


def check_banner(wall, tmp, name, rects, clean):
    """The old 2x2 picture, under a red banner at the top with text in it."""
    picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, name)), WIDTH, HEIGHT)
    for rect, rgb, what in zip(rects, (BLUE, GREEN, YELLOW, EMPTY_TILE),
                               ("tile 1", "tile 2", "tile 3", "tile 4")):
        W.assert_region_colour(picture, inner(rect), rgb, 4,
                               f"{name}: the previous layout's {what}")
    x0, y0, w, h = banner_band(HEIGHT)
    bad = []
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w, 7):
            expected = blend(BANNER, clean.pixel(x, y), BANNER_ALPHA)
            if not W.rgb_close(picture.pixel(x, y), expected, 6):
                bad.append(((x, y), picture.pixel(x, y), expected))
    W.check(not bad, f"{name}: the top of the output is not the red banner "
            f"(#b00020 at 90 %) at {len(bad)} points, e.g. {bad[:3]} (point, got, expected)")
    strip = (0, 0, WIDTH, max(14, HEIGHT // 40) * 2)
    text = picture.count(strip, W.is_text_pixel)
    W.check(text >= 20, f"{name}: no text in the banner {strip} ({text} white pixels)")


if __name__ == "__main__":
    W.main(run)
