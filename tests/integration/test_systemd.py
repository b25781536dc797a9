#!/usr/bin/python3
"""The wall under systemd (Type=notify, WatchdogSec=), against a fake
service manager: a datagram socket of the test's own as NOTIFY_SOCKET.

A 1x2 wall (headless, two moving file clips) runs with WATCHDOG_USEC=1 s
(WATCHDOG_PID unset: the watchdog is for whoever reads it) and
WALL_TEST_STALL=TMP/stall (the test-only hook that stalls the frame loop
while the file exists):
1. READY=1 arrives, then STATUS= "2 of 2 feeds live, ..." once both feeds
   show pictures, and WATCHDOG=1 again and again while frames flow;
2. the stall file is made: once the wall logs "stalled by WALL_TEST_STALL"
   (its frame loop is then inside the stall), what came before is drained
   and NOTHING may arrive for STALL_INTERVALS watchdog intervals: a frame
   loop that produces no frames must not ping (systemd would restart it);
3. the file is removed: WATCHDOG=1 arrives again;
4. SIGTERM: STOPPING=1 arrives, and the wall exits 0.
Between 1 and 2 the layout file is written again: RELOADING=1 (with
MONOTONIC_USEC=), then READY=1 once it is reloaded.
Over the whole run the wall pings at most every half interval (counted,
not timed: never more pings than the run's length allows).
Then a second, short run (--frames) with an abstract NOTIFY_SOCKET
("@name", as systemd may use): READY=1 and STOPPING=1 arrive there too.

The only waits that are not on an event are the silence of step 2, which
is the point of the test and only costs time; every other timeout is a
failure guard.
"""

import os
import socket
import time

import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 640, 180, 1, 2, 4
CAMERAS = (2101, 2102)
WATCHDOG_S = 1.0
STALL_INTERVALS = 5  # watchdog intervals of silence asked for in a stall
START_TIMEOUT = 60   # s: guards, generous for one slow core
EVENT_TIMEOUT = 30


class FakeManager:
    """The service manager's end of NOTIFY_SOCKET: every datagram the wall
    sends, as (arrival time, {KEY: value}), in order."""

    def __init__(self, address, env_value):
        self.env_value = env_value
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.messages = []

    def close(self):
        self.sock.close()

    def receive(self, timeout):
        """The next message, or None when none comes within `timeout` s
        (0: only one already queued)."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            return None
        fields = dict(line.split("=", 1) for line in data.decode().split("\n") if "=" in line)
        self.messages.append((time.monotonic(), fields))
        return fields

    def wait_for(self, predicate, what, timeout, wall=None):
        """The first message (from now on) for which predicate holds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise W.Failure(f"no {what} from the wall within {timeout} s; last messages: "
                                f"{[m for _, m in self.messages[-5:]]}")
            if wall is not None:
                wall.check_running()
            fields = self.receive(min(left, 1.0))
            if fields is not None and predicate(fields):
                return fields

    def drain(self):
        """Every message already queued (sent before this call)."""
        drained = []
        while (fields := self.receive(0)) is not None:
            drained.append(fields)
        return drained


def path_manager(tmp):
    path = os.path.join(tmp, "notify.sock")
    return FakeManager(path, path)


def abstract_manager():
    name = f"walltest-notify-{os.getpid()}-{time.monotonic_ns()}"
    return FakeManager("\0" + name, "@" + name)


def manager_env(manager, **extra):
    """The wall's environment: our socket, no watchdog or journal of the
    test's own surroundings, then `extra`."""
    env = W.wall_env(NOTIFY_SOCKET=manager.env_value)
    for name in ("WATCHDOG_PID", "WATCHDOG_USEC", "JOURNAL_STREAM"):
        env.pop(name, None)
    env.update(extra)
    return env


def has(key, value=None):
    return lambda fields: key in fields and (value is None or fields[key] == value)


def watchdog_run(tmp, config):
    manager = path_manager(tmp)
    stall = os.path.join(tmp, "stall")
    env = manager_env(manager, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)), WALL_TEST_STALL=stall)
    started = time.monotonic()
    try:
        with W.start_live_wall(config, tmp, env=env, timeout=START_TIMEOUT) as wall:
            # 1. Ready after the first frame; then the status with the feeds,
            # and pings while frames flow.
            manager.wait_for(has("READY", "1"), "READY=1", START_TIMEOUT, wall)
            ready_at = len(manager.messages)
            before = [m for _, m in manager.messages[:ready_at - 1]]
            W.check(not any("READY" in m or "STATUS" in m for m in before),
                    f"messages before READY=1: {before}")
            status = manager.wait_for(
                lambda f: f.get("STATUS", "").startswith(f"{len(CAMERAS)} of {len(CAMERAS)} "
                                                         "feeds live"),
                f"STATUS= with {len(CAMERAS)} of {len(CAMERAS)} feeds live", START_TIMEOUT,
                wall)["STATUS"]
            W.log(f"status: {status}")
            W.check(" reduced" in status, f"STATUS= does not say how many feeds are reduced: "
                    f"{status!r}")
            for _ in range(3):
                manager.wait_for(has("WATCHDOG", "1"), "WATCHDOG=1 while frames flow",
                                 EVENT_TIMEOUT, wall)
            # The rate comes with the status once measured: maybe already in
            # the one above (the status is worked out once a second).
            def with_fps(f):
                return " fps" in f.get("STATUS", "")

            if not any(with_fps(m) for _, m in manager.messages):
                manager.wait_for(with_fps, "STATUS= with the fps", EVENT_TIMEOUT, wall)

            # A reload (the file written again): RELOADING=1, then READY=1.
            with open(config, encoding="utf-8") as f:
                text = f.read()
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)
            manager.wait_for(has("RELOADING", "1"), "RELOADING=1 for a reload", EVENT_TIMEOUT,
                             wall)
            W.check("MONOTONIC_USEC" in manager.messages[-1][1],
                    f"RELOADING=1 without MONOTONIC_USEC=: {manager.messages[-1][1]}")
            manager.wait_for(has("READY", "1"), "READY=1 after the reload", EVENT_TIMEOUT, wall)

            # 2. Stalled: once the loop is inside the stall, nothing more.
            mark = wall.log.mark()
            with open(stall, "w"):
                pass
            wall.wait_log(r"stalled by WALL_TEST_STALL", "saying the frame loop stalled",
                          EVENT_TIMEOUT, since=mark)
            drained = manager.drain()
            W.log(f"stalled; {len(drained)} message(s) sent before the stall drained")
            silence = WATCHDOG_S * STALL_INTERVALS
            late = manager.receive(silence)
            W.check(late is None, f"the wall sent {late} while its frame loop was stalled "
                    f"(nothing may come for {silence} s)")
            wall.check_running()

            # 3. Frames again: pings again.
            mark = wall.log.mark()
            os.unlink(stall)
            manager.wait_for(has("WATCHDOG", "1"), "WATCHDOG=1 after the stall ended",
                             EVENT_TIMEOUT, wall)
            wall.wait_log(r"stall over", "saying the stall is over", EVENT_TIMEOUT, since=mark)

            # 4. Stopping.
            wall.stop()
        stopped = manager.drain()
        W.check(any(m.get("STOPPING") == "1" for m in stopped),
                f"no STOPPING=1 after SIGTERM; messages after it: {stopped}")
        elapsed = time.monotonic() - started
        pings = sum(1 for _, m in manager.messages if m.get("WATCHDOG") == "1")
        most = elapsed / (WATCHDOG_S / 2) + 1
        W.log(f"{pings} watchdog pings in {elapsed:.1f} s (at most {most:.0f} allowed)")
        W.check(pings <= most, f"{pings} watchdog pings in {elapsed:.1f} s: more often than "
                f"every {WATCHDOG_S / 2} s")
        reloads = sum(1 for _, m in manager.messages if "RELOADING" in m)
        W.check(reloads == 1, f"{reloads} RELOADING=1 for one reload")
    finally:
        if os.path.exists(stall):
            os.unlink(stall)
        manager.close()


def abstract_run(tmp, config):
    try:
        manager = abstract_manager()
    except OSError as error:
        raise W.Failure(f"cannot bind an abstract socket: {error}")
    try:
        env = manager_env(manager)
        args = ["--config", config, "--headless", "--frames", "5", *W.UNLIMITED_BUDGET]
        W.run_wall(args, env=env, timeout=START_TIMEOUT).expect_exit(0)
        messages = manager.drain()
        keys = [k for m in messages for k in m]
        W.check("READY" in keys and "STOPPING" in keys,
                f"abstract NOTIFY_SOCKET {manager.env_value}: expected READY=1 and STOPPING=1, "
                f"got {messages}")
        W.check(keys.index("READY") < keys.index("STOPPING"),
                f"STOPPING=1 before READY=1: {messages}")
        W.check("WATCHDOG" not in keys, f"pings without WATCHDOG_USEC: {messages}")
    finally:
        manager.close()


def run(tmp):
    clips = W.make_moving_clips(tmp, len(CAMERAS))
    cameras = [(n, f"Cámara {n}", clip) for n, clip in zip(CAMERAS, clips)]
    config = W.write_config(os.path.join(tmp, "systemd.cfg"), width=WIDTH, height=HEIGHT,
                            rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)
    watchdog_run(tmp, config)
    abstract_run(tmp, config)


if __name__ == "__main__":
    W.main(run)
