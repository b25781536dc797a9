#!/usr/bin/python3
"""Killing the RTSP server: its tiles go NO SIGNAL, files play on, and the
cameras come back by themselves when the server returns.

One tests/rtsp_server.py serves 20 mounts (the same short moving H.264
clip, 20 times); a 5x5 wall (1920x1080, headless, --io-timeout 2000) shows
them in tiles 1-20 and four moving file clips in tiles 21-24 (tile 25 is
empty). Through the control socket:
1. all 24 tiles become live (not "reduced": 24 small feeds fit any
   machine's decode budget, and a reduced tile is not a live picture);
2. the server is SIGKILLed: the 20 RTSP tiles become "no-signal" or
   "reconnecting"; the 4 file tiles stay live and their frames_shown keeps
   increasing; a snapshot shows the NO SIGNAL slate (dark red #3c1414 with
   white text) on every RTSP tile and a moving picture on the file tiles;
3. a new server is started on the same port: all 20 RTSP tiles are live
   again without restarting the wall (the wait allows for the reconnect
   back-off, up to 30 s), each having reconnected; the file feeds never
   reconnected. SIGTERM stops the wall with exit 0.
"""

import os
import signal
import time

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1920, 1080, 5, 5, 4
N_RTSP, N_FILES = 20, 4
FIRST = 1301
IO_TIMEOUT_MS = 2000
START_TIMEOUT = 60  # s: 24 feeds starting on a loaded 2-core machine
FAIL_TIMEOUT = 20   # s: a killed server is noticed at once, or after the io timeout
RETURN_TIMEOUT = 75  # s: reconnect back-off (up to 30 s +20 %) and 20 sessions
# Tiles showing their camera's live picture at full rate. The budget keeps 24
# small feeds at full rate on any machine (it reduces only when decoding
# itself does not fit), so "reduced" here would be a fault.
LIVE = {"live"}


def run(tmp):
    rtsp_clip = W.make_clip(os.path.join(tmp, "rtsp.ts"), "testsrc2=size=320x180:rate=25",
                            duration=2, crf=28)
    files = W.make_moving_clips(tmp, N_FILES)
    mounts = {f"cam{i + 1:02d}": rtsp_clip for i in range(N_RTSP)}
    rtsp_cameras = [FIRST + i for i in range(N_RTSP)]
    file_cameras = [FIRST + N_RTSP + i for i in range(N_FILES)]
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)

    with W.start_rtsp_server(mounts) as server:
        port = server.port
        cameras = [(number, f"RTSP {i + 1}", server.url(f"cam{i + 1:02d}"))
                   for i, number in enumerate(rtsp_cameras)]
        cameras += [(number, f"Archivo {i + 1}", path)
                    for i, (number, path) in enumerate(zip(file_cameras, files))]
        config = W.write_config(os.path.join(tmp, "outage.cfg"), width=WIDTH, height=HEIGHT,
                                rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)

        with W.start_live_wall(config, tmp, extra=["--io-timeout", str(IO_TIMEOUT_MS)]) as wall:
            def states(tiles):
                return {t.get("camera"): t.get("state") for t in tiles if t.get("camera")}

            def all_live(tiles):
                s = states(tiles)
                return len(s) == N_RTSP + N_FILES and all(v in LIVE for v in s.values())

            wall.wait_tiles(all_live, "all 24 tiles are live", START_TIMEOUT)
            W.log("all 24 tiles live")

            # The server dies.
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            killed_at = time.monotonic()
            file_states = []

            def rtsp_down(tiles):
                s = states(tiles)
                file_states.extend(s[n] for n in file_cameras)
                return all(s[n] in ("no-signal", "reconnecting") for n in rtsp_cameras)

            wall.wait_tiles(rtsp_down, "the 20 RTSP tiles are no-signal or reconnecting",
                            FAIL_TIMEOUT)
            W.log(f"RTSP tiles down {time.monotonic() - killed_at:.1f} s after SIGKILL")
            W.check(set(file_states) <= LIVE,
                    f"file tiles left 'live' while the server died: {sorted(set(file_states))}")

            shown = {n: f["frames_shown"] for n, f in wall.feeds().items() if n in file_cameras}
            wall.wait_feeds(lambda feeds: all(feeds[n]["frames_shown"] > shown[n]
                                              for n in file_cameras),
                            "the file tiles show new frames with the server dead", FAIL_TIMEOUT)

            picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "down.png")),
                                      WIDTH, HEIGHT)
            tiles = wall.tiles()
            for number, rect in zip(rtsp_cameras, rects):
                W.assert_slate(picture, rect, W.SLATE_NO_SIGNAL,
                               f"camera {number} (server killed)")
            for number, rect in zip(file_cameras, rects[N_RTSP:]):
                W.check(not W.is_slate_colour(picture.pixel(*W.slate_point(rect))),
                        f"camera {number} (file): tile {rect} shows a slate")
                W.check(picture.stddev(W.safe_area(rect)) > 8,
                        f"camera {number} (file): tile {rect} is nearly uniform")
            W.check(all(states(tiles)[n] in ("no-signal", "reconnecting") for n in rtsp_cameras),
                    "an RTSP tile came back before the server did: " + W.tile_summary(tiles))

            # The server returns on the same port.
            with W.start_rtsp_server(mounts, port=port) as again:
                W.check(again.port == port, f"the new server listens on {again.port}, not {port}")
                restarted_at = time.monotonic()
                wall.wait_tiles(all_live, "all 24 tiles are live again", RETURN_TIMEOUT)
                W.log(f"all tiles live {time.monotonic() - restarted_at:.1f} s after the restart")
                feeds = wall.feeds()
                for number in rtsp_cameras:
                    W.check(feeds[number].get("reconnects", 0) >= 1,
                            f"camera {number}: live again with reconnects "
                            f"{feeds[number].get('reconnects')}")
                for number in file_cameras:
                    W.check(feeds[number].get("reconnects") == 0,
                            f"camera {number} (file) reconnected: {feeds[number]}")
                picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "back.png")),
                                          WIDTH, HEIGHT)
                for number, rect in zip(rtsp_cameras, rects):
                    W.check(not W.is_slate_colour(picture.pixel(*W.slate_point(rect))),
                            f"camera {number}: tile {rect} still shows a slate after returning")
                wall.stop()


if __name__ == "__main__":
    W.main(run)
