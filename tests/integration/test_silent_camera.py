#!/usr/bin/python3
"""A camera that accepts and never answers, and one that answers garbage,
go NO SIGNAL without holding up anything else.

Two TCP listeners on 127.0.0.1, run by this test: one accepts connections
and never sends a byte (nor reads); the other accepts and sends random
bytes until the client goes. A 2x3 wall (1280x720, headless,
--io-timeout 2500) shows rtsp://127.0.0.1:PORT/x of each in tiles 1 and 2
and three moving file clips in tiles 3-5 (tile 6 empty).

The control socket is polled (stats and tiles) from the start: every reply
comes within 3 s. The silent tile becomes "no-signal" or "reconnecting"
within 2 x io-timeout (plus slack) of the wall starting; the garbage tile
too; the three file tiles are live throughout and their frames_shown keep
increasing, also while the listeners hold connections open across the
wall's reconnect attempts; the wall keeps rendering (frames_rendered grows
at 3 fps or more). The snapshot shows the NO SIGNAL slate on tiles 1 and 2
and moving pictures on tiles 3-5. SIGTERM stops the wall with exit 0 (a
feed stuck on a silent socket does not hold up the exit).
"""

import os
import time

import streams as S
import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1280, 720, 2, 3, 4
SILENT, GARBAGE = 1501, 1502
FILES = (1503, 1504, 1505)
# A render loop that waited on the silent camera would stall for 2 x 2.5 s:
# far beyond the reply limit, which is generous for a loaded machine.
IO_TIMEOUT_MS = 2500
REPLY_TIMEOUT = 3.0   # s: every control reply must come within this
START_TIMEOUT = 30
SILENT_GIVE_UP = 2 * IO_TIMEOUT_MS / 1000 + 3.0  # s after the first connection
RUN_FOR = 2.0  # s of watching the files after both bad cameras failed and retried


def send_garbage(conn, stopping):
    try:
        while not stopping.is_set():
            conn.sendall(os.urandom(4096))
            stopping.wait(0.02)
    except OSError:
        pass  # the client gave up


def run(tmp):
    files = W.make_moving_clips(tmp, len(FILES))
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    with S.listening(S.never_answer) as silent, S.listening(send_garbage) as garbage:
        cameras = [(SILENT, "Acepta y calla", f"rtsp://127.0.0.1:{silent.port}/x"),
                   (GARBAGE, "Envía basura", f"rtsp://127.0.0.1:{garbage.port}/x")]
        cameras += [(n, f"Archivo {i + 1}", p) for i, (n, p) in enumerate(zip(FILES, files))]
        config = W.write_config(os.path.join(tmp, "silent.cfg"), width=WIDTH, height=HEIGHT,
                                rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)

        with W.start_live_wall(config, tmp, extra=["--io-timeout", str(IO_TIMEOUT_MS)],
                               reply_timeout=REPLY_TIMEOUT) as wall:
            latencies = []
            file_states = set()
            log = {}

            def poll():
                """One round of stats + tiles; each reply within REPLY_TIMEOUT."""
                stats = wall.stats()
                latencies.append(wall.control.last_latency)
                tiles = wall.tiles()
                latencies.append(wall.control.last_latency)
                states = {t.get("camera"): t.get("state") for t in tiles if t.get("camera")}
                feeds = W.feeds_by_camera(stats)
                if all(feeds.get(n, {}).get("state") == "live" for n in FILES):
                    file_states.update(states.get(n) for n in FILES)
                log.update(states=states, feeds=feeds, rendered=stats.get("frames_rendered"))
                return states, feeds

            def files_live():
                states, _ = poll()
                return all(states.get(n) == "live" for n in FILES)

            W.wait_until(files_live, "the three file tiles are live", START_TIMEOUT,
                         describe=lambda: log.get("states"))

            def bad_ones_failed():
                states, _ = poll()
                return all(states.get(n) in ("no-signal", "reconnecting")
                           for n in (SILENT, GARBAGE))

            W.wait_until(bad_ones_failed, "the silent and garbage tiles are no-signal",
                         SILENT_GIVE_UP + START_TIMEOUT, describe=lambda: log.get("states"))
            W.check(silent.first_connection is not None, "the wall never connected to the "
                    "silent listener")
            silent_after = time.monotonic() - silent.first_connection
            W.log(f"silent camera: no signal {silent_after:.1f} s after its first connection "
                  f"(io timeout {IO_TIMEOUT_MS} ms); garbage connections: "
                  f"{garbage.connections}")
            W.check(silent_after <= SILENT_GIVE_UP,
                    f"the silent camera went no-signal {silent_after:.1f} s after connecting; "
                    f"expected 2 x io-timeout ({2 * IO_TIMEOUT_MS} ms) plus slack")

            # Keep watching while both bad cameras retry: the files keep counting.
            shown = {n: log["feeds"][n]["frames_shown"] for n in FILES}
            started, rendered0 = time.monotonic(), log["rendered"]
            connections = silent.connections

            def retried_and_counted():
                _, feeds = poll()
                return (silent.connections > connections
                        and time.monotonic() - started >= RUN_FOR
                        and all(feeds[n]["frames_shown"] > shown[n] + 10 for n in FILES))

            W.wait_until(retried_and_counted,
                         "the silent camera was retried and the files showed 10 more frames",
                         SILENT_GIVE_UP + START_TIMEOUT,
                         describe=lambda: (silent.connections, {
                             n: log["feeds"][n].get("frames_shown") for n in FILES}))
            elapsed = time.monotonic() - started
            fps = (log["rendered"] - rendered0) / elapsed
            W.log(f"over {elapsed:.1f} s: {fps:.1f} frames rendered per second; "
                  f"silent connections {silent.connections}; slowest reply "
                  f"{max(latencies) * 1000:.0f} ms over {len(latencies)} replies")
            W.check(fps >= 3, f"the wall rendered only {fps:.1f} frames per second while "
                    "cameras failed")
            W.check(file_states == {"live"},
                    f"file tiles were seen {sorted(file_states)} while the bad cameras failed")

            picture = W.read_snapshot(wall.snapshot(os.path.join(tmp, "silent.png")),
                                      WIDTH, HEIGHT)
            for number, rect in zip((SILENT, GARBAGE), rects):
                W.assert_slate(picture, rect, W.SLATE_NO_SIGNAL, f"camera {number}")
            for number, rect in zip(FILES, rects[2:]):
                W.check(not W.is_slate_colour(picture.pixel(*W.slate_point(rect))),
                        f"camera {number} (file): tile {rect} shows a slate")
                W.check(picture.stddev(W.safe_area(rect)) > 8,
                        f"camera {number} (file): tile {rect} is nearly uniform")
            W.check(max(latencies) < REPLY_TIMEOUT, "a control reply was slow")
            stopping_at = time.monotonic()
            wall.stop(timeout=10)
            W.log(f"stopped in {time.monotonic() - stopping_at:.2f} s")


if __name__ == "__main__":
    W.main(run)
