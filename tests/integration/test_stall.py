#!/usr/bin/python3
"""A stopped RTSP server (SIGSTOP): its tiles go STALE, then give up and
reconnect; SIGCONT: they are live again.

tests/rtsp_server.py serves a solid-colour clip and a moving clip; a 2x2
wall (1280x720, headless, --io-timeout 3000) shows them in tiles 1 and 2
and a moving file clip in tile 3 (tile 4 empty). Through the control socket:
1. all three tiles are live;
2. the server is SIGSTOPped (its connections stay open, nothing comes):
   the RTSP tiles become "stale" first (no frame for more than a second):
   the snapshot then still shows the solid colour at the tile centre (the
   picture is kept) with the orange STALE badge (#c07000) at its top right;
   then, the io timeout after their last frame (within 1.5 s), "no-signal"
   or "reconnecting" (the NO SIGNAL slate), never "live" in between. The
   file tile stays live and keeps showing new frames throughout;
3. SIGCONT: both RTSP tiles are live again by themselves (reconnects >= 1).
"""

import os
import signal
import time

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1280, 720, 2, 2, 4
SOLID = (60, 150, 90)
STALE_BADGE = (0xC0, 0x70, 0x00)
SOLID_CAM, MOVING_CAM, FILE_CAM = 1401, 1402, 1403
RTSP_CAMS = (SOLID_CAM, MOVING_CAM)
IO_TIMEOUT_MS = 3000
START_TIMEOUT = 30
STALE_TIMEOUT = 10   # s: stale comes after about a second
DOWN_TIMEOUT = 20    # s: safety limit of the wait for the tiles to give up
GIVE_UP_SLACK = 1.5  # s: how much later than the io timeout they may give up
RETURN_TIMEOUT = 75  # s: reconnect back-off (up to 30 s +20 %) and the sessions


def transitions(history):
    """The history of (seconds, states...) reduced to the moments it changed."""
    out, last = [], None
    for entry in history:
        if entry[1:] != last:
            out.append(entry)
            last = entry[1:]
    return out


def blend(over, under, alpha):
    return tuple(round(alpha * o + (1 - alpha) * u) for o, u in zip(over, under))


def run(tmp):
    solid = W.make_clip(os.path.join(tmp, "solid.ts"),
                        f"color=c={W.rgb_hex(SOLID)}:size=320x180", duration=2)
    moving = W.make_clip(os.path.join(tmp, "moving.ts"), "testsrc2=size=320x180:rate=25",
                         duration=2, crf=28)
    (moving_file,) = W.make_moving_clips(tmp, 1, prefix="file")
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)

    with W.start_rtsp_server({"solid": solid, "moving": moving}) as server:
        cameras = [(SOLID_CAM, "RTSP sólido", server.url("solid")),
                   (MOVING_CAM, "RTSP en movimiento", server.url("moving")),
                   (FILE_CAM, "Archivo", moving_file)]
        config = W.write_config(os.path.join(tmp, "stall.cfg"), width=WIDTH, height=HEIGHT,
                                rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)
        stopped = False
        try:
            with W.start_live_wall(config, tmp,
                                   extra=["--io-timeout", str(IO_TIMEOUT_MS)]) as wall:
                def states(tiles):
                    return {t.get("camera"): t.get("state") for t in tiles if t.get("camera")}

                def all_live(tiles):
                    s = states(tiles)
                    return len(s) == 3 and all(v == "live" for v in s.values())

                wall.wait_tiles(all_live, "all three tiles are live", START_TIMEOUT)

                problems = []  # contract breaches that do not stop the test
                server.proc.send_signal(signal.SIGSTOP)
                stopped = True
                stopped_at = time.monotonic()
                history = []

                def record(tiles):
                    s = states(tiles)
                    history.append((round(time.monotonic() - stopped_at, 2), s[SOLID_CAM],
                                    s[MOVING_CAM], s[FILE_CAM]))
                    return s

                # Stale first: catch it with a quick poll, and snapshot it at once.
                def solid_stale(tiles):
                    return record(tiles)[SOLID_CAM] == "stale"

                W.wait_until(lambda: solid_stale(wall.tiles()), "the solid RTSP tile is stale",
                             STALE_TIMEOUT, interval=0.05,
                             describe=lambda: transitions(history))
                stale_at = time.monotonic() - stopped_at
                picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "stale.png")),
                                          WIDTH, HEIGHT)
                after = record(wall.tiles())
                W.log(f"stale {stale_at:.2f} s after SIGSTOP; after the snapshot: {after}")
                W.check(after[SOLID_CAM] == "stale",
                        f"test timing: the tile left 'stale' before the snapshot: {after}")
                rect = rects[0]
                W.assert_rgb_close(picture.pixel(*W.centre(rect)), SOLID, 4,
                                   "a stale tile keeps its picture (centre)")
                x, y, w, h = rect
                corner = (x + w // 2, y, w // 2, h // 5)  # the top-right of the tile
                badge = blend(STALE_BADGE, SOLID, 0.9)
                found = picture.count(corner, lambda p: W.rgb_close(p, badge, 6))
                W.check(found >= 100, f"no STALE badge ({W.rgb_hex(badge)}) in the top right "
                        f"{corner} of the stale tile: {found} pixels of its colour")

                def rtsp_down(tiles):
                    s = record(tiles)
                    return all(s[n] in ("no-signal", "reconnecting") for n in RTSP_CAMS)

                W.wait_until(lambda: rtsp_down(wall.tiles()),
                             "the RTSP tiles give up (no-signal or reconnecting)", DOWN_TIMEOUT,
                             interval=0.05, describe=lambda: transitions(history))
                down_at = time.monotonic() - stopped_at
                W.log(f"RTSP tiles down {down_at:.2f} s after SIGSTOP")
                seen = {n: [h[1 + i] for h in history] for i, n in enumerate(RTSP_CAMS)}
                for number in RTSP_CAMS:
                    first_down = next(i for i, s in enumerate(seen[number])
                                      if s in ("no-signal", "reconnecting"))
                    W.check("stale" in seen[number][:first_down],
                            f"camera {number} was never seen stale before it gave up: "
                            f"{seen[number]}")
                    # Once stale, no new frame can come: never "live" again until SIGCONT.
                    first_stale = seen[number].index("stale")
                    back = [h for h in history[first_stale:]
                            if h[1 + RTSP_CAMS.index(number)] == "live"]
                    # Checked at the end, so that the recovery is tested too.
                    if back:
                        problems.append(
                            f"camera {number}: the tile went back to 'live' while the server "
                            f"was stopped (a late frame?), from {back[0][0]} to {back[-1][0]} s "
                            f"after SIGSTOP")
                W.check(down_at >= IO_TIMEOUT_MS / 1000 * 0.8,
                        f"the RTSP tiles gave up {down_at:.2f} s after SIGSTOP, before the "
                        f"io timeout ({IO_TIMEOUT_MS} ms)")
                if down_at > IO_TIMEOUT_MS / 1000 + GIVE_UP_SLACK:
                    problems.append(
                        f"the RTSP tiles gave up {down_at:.2f} s after SIGSTOP: expected about "
                        f"the io timeout ({IO_TIMEOUT_MS} ms) without data, at most "
                        f"{GIVE_UP_SLACK} s more")
                if problems:
                    problems.append(f"tile state changes (s after SIGSTOP, cameras {RTSP_CAMS}, "
                                    f"file): {transitions(history)}")
                file_states = {h[3] for h in history}
                W.check(file_states == {"live"},
                        f"the file tile left 'live' while the server was stopped: {file_states}")
                picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "down.png")),
                                          WIDTH, HEIGHT)
                for number, rect in zip(RTSP_CAMS, rects):
                    W.assert_slate(picture, rect, W.SLATE_NO_SIGNAL,
                                   f"camera {number} (server stopped)")
                shown = wall.feeds()[FILE_CAM]["frames_shown"]
                wall.wait_feeds(lambda f: f[FILE_CAM]["frames_shown"] > shown + 5,
                                "the file tile keeps showing new frames", DOWN_TIMEOUT)

                server.proc.send_signal(signal.SIGCONT)
                stopped = False
                continued_at = time.monotonic()
                wall.wait_tiles(all_live, "the RTSP tiles are live again after SIGCONT",
                                RETURN_TIMEOUT)
                W.log(f"live again {time.monotonic() - continued_at:.1f} s after SIGCONT")
                feeds = wall.feeds()
                for number in RTSP_CAMS:
                    W.check(feeds[number].get("reconnects", 0) >= 1,
                            f"camera {number}: live again with reconnects "
                            f"{feeds[number].get('reconnects')}")
                W.check(feeds[FILE_CAM].get("reconnects") == 0,
                        f"the file camera reconnected: {feeds[FILE_CAM]}")
                wall.stop()
                W.check(not problems, "; ".join(problems))
        finally:
            if stopped:  # let the server stop cleanly
                server.proc.send_signal(signal.SIGCONT)


if __name__ == "__main__":
    W.main(run)
