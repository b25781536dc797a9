#!/usr/bin/python3
"""Soak test: the wall under camera faults for minutes (CI) or hours.

    tests/soak/soak.py --wall build/wall/wall [--duration S] [--seed N]
                       [--figures FILE] [--keep]
    tests/soak/soak.py --wall build/wall/wall --long      # 30 minutes of faults

A headless wall (8 x 8 grid, --io-timeout 2000, --fps 10, --audit, --control)
shows 64 cameras:
- 62 RTSP mounts of a short moving H.264 clip, spread over 4 gst-rtsp-server
  processes on 127.0.0.1 (tests/rtsp_server.py), so that killing or
  stopping one process takes a group of cameras down at once;
- 1 mount serving an MPEG-TS file with random bytes overwritten (corrupt);
- 1 fake camera: a TCP listener on 127.0.0.1 that answers RTSP with garbage,
  half a reply, silence, or a trickle (a hostile device).

Phases:
1. warm-up: every good camera live; then one round of every fault (a server
   killed and restarted, one stalled, a valid and an invalid reload), every
   good camera live again, and a quiet spell. Then the baseline: resident
   memory (the wall's `stats` rss_kb and /proc/PID/status VmRSS), open file
   descriptors (sockets and others) and threads.
2. faults for --duration seconds, at random (seeded) intervals of 4-14 s:
   a server SIGKILLed or SIGTERMed and restarted on its port after 2-10 s;
   a server SIGSTOPped for 4-14 s, then SIGCONT; a valid reload (camera
   names, the gap, two cameras swapping mounts); an invalid one (a syntax
   error or a bad value) followed by the valid file again.
3. end: every server back and running, the baseline layout written back;
   every good camera live again; a quiet spell; the same figures again.

Asserts:
- the wall never stops rendering: frames_rendered (control `stats`, sampled
  every second) grows between every two samples, and the wall never exits;
- every good feed is live again at the end (within the reconnect back-off);
- resident memory at the end is within RSS_TOLERANCE of the baseline;
- no descriptor or thread leak: the same threads and the same non-socket
  descriptors as at the baseline, and no more sockets than then plus one per
  hostile camera (those two may be mid-connection at either moment);
- SIGTERM stops the wall with exit status 0.

Prints its figures and writes them to --figures (text, for RELIABILITY.md),
with a JSON copy beside it (FILE.json). Exit 0 pass, 1 fail, 77 skip (no
gst-rtsp-server or ffmpeg). Bounded: every wait has a limit; the run stops
by itself after about duration + 3 minutes.
"""

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import walltest as W  # noqa: E402

N_SERVERS = 4
N_GOOD = 62
ROWS = COLUMNS = 8
WIDTH, HEIGHT, GAP = 1280, 720, 2
IO_TIMEOUT_MS = 2000
FPS = 10
SAMPLE_S = 1.0
START_TIMEOUT = 90     # s: 64 feeds starting on a loaded 2-core machine
RECOVER_TIMEOUT = 100  # s: the back-off reaches 30 s (+20 %), then 4 servers' worth of setups
QUIET_S = 15           # s: idle before a memory figure, so that it settles
RSS_TOLERANCE = 0.05   # 5 %: "within a few percent"
RSS_SLACK_KB = 4096    # and at least this much: a few allocator pages either way
FIRST_CAMERA = 101
CORRUPT_CAMERA = FIRST_CAMERA + N_GOOD
HOSTILE_CAMERA = CORRUPT_CAMERA + 1
LONG_DURATION = 1800
FD_SETTLE_S = 5        # s: a descriptor still open after this is a leak
RSS_TRACE_S = 30       # s between two points of the memory trace
FAULTS = ("kill", "term", "stall", "reload", "invalid")


def log(message):
    print(f"soak: {message}", flush=True)


# --------------------------------------------------------------------------
# Cameras


class Server:
    """One tests/rtsp_server.py process; restartable on its port."""

    def __init__(self, index, mounts, log_path):
        self.index, self.mounts, self.log_path = index, mounts, log_path
        self.port = 0
        self.proc = None
        self.stopped = False  # SIGSTOPped
        self.start()

    def start(self, attempts=20):
        script = os.path.join(W.source_root(), "tests", "rtsp_server.py")
        argv = [W.PYTHON, script, "--port", str(self.port)]
        for name, path in self.mounts.items():
            argv += ["--mount", f"{name}={path}"]
        for attempt in range(attempts):
            with open(self.log_path, "ab") as err:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=err)
            ready = W.LineReader(proc.stdout).wait_for(r"^READY (\d+)$", 20)
            if ready:
                self.proc, self.port, self.stopped = proc, int(ready.group(1)), False
                return
            W.stop_process(proc, signal.SIGKILL)
            time.sleep(0.5)  # the port may still be held for a moment
        raise W.Failure(f"RTSP server {self.index} did not start on port {self.port}; "
                        f"see {self.log_path}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self, sig):
        if self.stopped:
            self.cont()
        W.stop_process(self.proc, sig, timeout=10)
        self.proc = None

    def stop(self):
        self.proc.send_signal(signal.SIGSTOP)
        self.stopped = True

    def cont(self):
        self.proc.send_signal(signal.SIGCONT)
        self.stopped = False

    def close(self):
        if self.proc:
            if self.stopped:
                self.cont()
            W.stop_process(self.proc)
            self.proc = None


class HostileCamera:
    """A TCP listener on 127.0.0.1 that is no RTSP server: each connection
    gets garbage, half a reply then garbage, silence, or a slow trickle."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.closing = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                behaviour = self.rng.randrange(4)
                payload = self.rng.randbytes(4096)
            threading.Thread(target=self._serve, args=(conn, behaviour, payload),
                             daemon=True).start()

    def _serve(self, conn, behaviour, payload):
        with contextlib.suppress(OSError), conn:
            conn.settimeout(1)
            with contextlib.suppress(OSError):
                conn.recv(4096)  # the client's OPTIONS or DESCRIBE
            if behaviour == 0:    # garbage
                conn.sendall(payload)
            elif behaviour == 1:  # a plausible start, then garbage
                conn.sendall(b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 99999\r\n"
                             + payload[:200] + b"\r\n\r\n" + payload)
            elif behaviour == 2:  # silence until the client gives up
                self.closing.wait(30)
            else:                 # a trickle, a byte at a time
                for byte in payload[:60]:
                    if self.closing.wait(0.5):
                        break
                    conn.sendall(bytes([byte]))

    def close(self):
        self.closing.set()
        self.sock.close()


def make_clips(tmp, rng):
    good = W.make_clip(os.path.join(tmp, "good.ts"), "testsrc2=size=160x90:rate=25",
                       duration=4, crf=30)
    with open(good, "rb") as f:
        data = bytearray(f.read())
    # Keep the first packets (PAT, PMT, the first key frame) and damage the
    # rest: the server plays some of it, then its demuxer meets garbage.
    for _ in range(len(data) // 300):
        data[rng.randrange(4096, len(data))] = rng.randrange(256)
    corrupt = os.path.join(tmp, "corrupt.ts")
    with open(corrupt, "wb") as f:
        f.write(data)
    return good, corrupt


# --------------------------------------------------------------------------
# The layout


class Layout:
    """The 8 x 8 layout file; variants for valid and invalid reloads."""

    def __init__(self, path, servers, hostile_port):
        self.path = path
        self.urls = {}
        for i in range(N_GOOD):
            server = servers[i % N_SERVERS]
            self.urls[FIRST_CAMERA + i] = f"rtsp://127.0.0.1:{server.port}/cam{i + 1:02d}"
        self.urls[CORRUPT_CAMERA] = f"rtsp://127.0.0.1:{servers[0].port}/corrupt"
        self.urls[HOSTILE_CAMERA] = f"rtsp://127.0.0.1:{hostile_port}/live"

    def text(self, gap=GAP, names_suffix="", swap=None):
        urls = dict(self.urls)
        if swap:
            a, b = swap
            urls[a], urls[b] = urls[b], urls[a]
        cameras = [(n, f"Cam {n}{names_suffix}", url) for n, url in sorted(urls.items())]
        scratch = self.path + ".tmp"
        W.write_config(scratch, width=WIDTH, height=HEIGHT, rows=ROWS, columns=COLUMNS,
                       gap=gap, cameras=cameras)
        with open(scratch) as f:
            text = f.read()
        os.unlink(scratch)
        return text

    def write(self, text, atomic):
        if atomic:
            with open(self.path + ".new", "w") as f:
                f.write(text)
            os.replace(self.path + ".new", self.path)
        else:
            with open(self.path, "w") as f:
                f.write(text)


INVALID_EDITS = [
    ("rows = 8;", "rows = 0;"),
    ("columns = 8;", "columns = ;"),
    ("gap = ", "gap = -"),
    ("cameras = (", "cameras = ( { number = 0; },"),
    ("output = {", "output = { width = \"wide\"; "),
]


# --------------------------------------------------------------------------
# The wall, watched


def proc_figures(pid):
    """Resident memory (kB), descriptors (sockets, others) and threads."""
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    sockets, others = 0, []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:"):
                sockets += 1
            else:
                others.append(target)
    threads = len(os.listdir(f"/proc/{pid}/task"))
    return {"vm_rss_kb": rss, "fd_sockets": sockets, "fd_other": len(others),
            "fds": sockets + len(others), "threads": threads,
            "fd_other_targets": sorted(others)}


class Soak:
    def __init__(self, args, tmp):
        self.args, self.tmp = args, tmp
        self.rng = random.Random(args.seed)
        self.counts = {"server_kills": 0, "server_terms": 0, "restarts": 0, "stalls": 0,
                       "reloads_valid": 0, "reloads_invalid": 0, "samples": 0,
                       "recoveries": 0}
        self.pending = []  # (when, what, action)
        self.last_frames = None
        self.last_sample_at = 0.0
        self.bag = []  # fault kinds still to come in this round
        self.rss_trace = []  # (seconds since start, VmRSS kB), every RSS_TRACE_S
        self.started_at = time.monotonic()
        self.last_live = {}
        self.min_frames_per_sample = None
        self.proc = self.client = None

    # -- the wall ---------------------------------------------------------

    def start_wall(self, config):
        socket_path = os.path.join(self.tmp, "control.sock")
        self.wall_log = os.path.join(self.args.out_dir, "wall.log")
        argv = [W.wall_bin(), "--headless", "--config", config, "--control", socket_path,
                "--io-timeout", str(IO_TIMEOUT_MS), "--fps", str(FPS), "--hwaccel", "none",
                "--audit", os.path.join(self.args.out_dir, "audit.log")]
        log("starting: " + " ".join(argv))
        with open(self.wall_log, "wb") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err,
                                         env=W.wall_env())
        deadline = time.monotonic() + 30
        while not os.path.exists(socket_path):
            self.check_wall()
            if time.monotonic() > deadline:
                raise W.Failure("the wall made no control socket within 30 s")
            time.sleep(0.1)
        time.sleep(0.2)
        self.client = W.ControlClient(socket_path, timeout=15)

    def check_wall(self):
        status = self.proc.poll()
        if status is not None:
            raise W.Failure(f"the wall exited with status {status}; see {self.wall_log}:\n"
                            + W.tail(open(self.wall_log, errors="replace").read()))

    def stats(self):
        self.check_wall()
        try:
            return self.client.stats()
        except W.Failure:
            self.check_wall()
            raise

    def sample(self):
        """One `stats`: rendering goes on; counts feeds coming back. Samples
        are at least SAMPLE_S apart, so that each spans several frames."""
        wait = self.last_sample_at + SAMPLE_S - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last_sample_at = time.monotonic()
        stats = self.stats()
        frames = stats["frames_rendered"]
        if self.last_frames is not None:
            grown = frames - self.last_frames
            W.check(grown > 0, f"the wall stopped rendering: frames_rendered stayed at "
                    f"{frames} for {SAMPLE_S} s")
            if self.min_frames_per_sample is None or grown < self.min_frames_per_sample:
                self.min_frames_per_sample = grown
        self.last_frames = frames
        self.counts["samples"] += 1
        since = time.monotonic() - self.started_at
        if not self.rss_trace or since - self.rss_trace[-1][0] >= RSS_TRACE_S:
            self.rss_trace.append((round(since), proc_figures(self.proc.pid)["vm_rss_kb"]))
        for number, feed in W.feeds_by_camera(stats).items():
            live = feed.get("state") == "live"
            if live and self.last_live.get(number) is False:
                self.counts["recoveries"] += 1
            self.last_live[number] = live
        return stats

    def good_live(self, stats):
        feeds = W.feeds_by_camera(stats)
        return [n for n in range(FIRST_CAMERA, FIRST_CAMERA + N_GOOD)
                if feeds.get(n, {}).get("state") == "live"]

    def wait_all_live(self, what, timeout):
        start = time.monotonic()
        while True:
            self.run_due()
            stats = self.sample()
            live = self.good_live(stats)
            if len(live) == N_GOOD:
                took = time.monotonic() - start
                log(f"{what}: all {N_GOOD} good feeds live after {took:.1f} s")
                return took
            if time.monotonic() - start > timeout:
                feeds = W.feeds_by_camera(stats)
                down = [f"{n}={feeds.get(n, {}).get('state')}"
                        f"/r{feeds.get(n, {}).get('reconnects')}"
                        for n in range(FIRST_CAMERA, FIRST_CAMERA + N_GOOD) if n not in live]
                raise W.Failure(f"{what}: {len(down)} good feeds not live after {timeout} s: "
                                + ", ".join(down))

    def idle(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.run_due()
            self.sample()

    def baseline_figures(self):
        """The baseline: of three counts a second apart, the one with the
        fewest descriptors (see settled_figures)."""
        counts = []
        for _ in range(3):
            self.sample()
            counts.append(self.figures())
        return min(counts, key=lambda f: f["fd_other"])

    def settled_figures(self, before):
        """The end figures. The wall opens files for a moment now and then
        (/proc/self/task for its CPU budget, once a second): a count taken
        then is one too many. A descriptor that stays open is a leak; one
        that closes again within FD_SETTLE_S is not, and is only logged."""
        after = self.figures()
        deadline = time.monotonic() + FD_SETTLE_S
        first = after
        while after["fd_other"] != before["fd_other"] and time.monotonic() < deadline:
            self.sample()
            after = self.figures()
        if after is not first and after["fd_other"] == before["fd_other"]:
            extra = sorted(set(first["fd_other_targets"]) - set(before["fd_other_targets"]))
            log(f"end: a descriptor open for a moment at the first count ({extra}), "
                "closed again")
        return after

    def figures(self):
        stats = self.stats()
        figures = proc_figures(self.proc.pid)
        figures["rss_kb"] = stats.get("rss_kb")
        figures["frames_rendered"] = stats["frames_rendered"]
        return figures

    # -- faults -----------------------------------------------------------

    def later(self, delay, what, action):
        self.pending.append((time.monotonic() + delay, what, action))

    def run_due(self, everything=False):
        now = time.monotonic()
        due = [p for p in self.pending if everything or p[0] <= now]
        self.pending = [p for p in self.pending if p not in due]
        for _, what, action in sorted(due, key=lambda p: p[0]):
            log(what)
            action()

    def busy(self, server):
        return not server.running() or server.stopped or any(
            what.endswith(f"server {server.index}") for _, what, _ in self.pending)

    def fault(self, kind=None):
        free = [s for s in self.servers if not self.busy(s)]
        if not kind:
            # Every kind once per round of five, in a random order.
            if not self.bag:
                self.bag = list(self.args.faults)
                self.rng.shuffle(self.bag)
            kind = self.bag.pop()
        if kind in ("kill", "term", "stall") and not free:
            kind = "reload"
        if kind in ("kill", "term"):
            server = self.rng.choice(free)
            sig = signal.SIGKILL if kind == "kill" else signal.SIGTERM
            down = self.rng.uniform(2, 10)
            log(f"{signal.Signals(sig).name} server {server.index} "
                f"(port {server.port}) for {down:.1f} s")
            server.kill(sig)
            self.counts["server_kills" if kind == "kill" else "server_terms"] += 1

            def restart(server=server):
                server.start()
                self.counts["restarts"] += 1
            self.later(down, f"restart server {server.index}", restart)
        elif kind == "stall":
            server = self.rng.choice(free)
            stall = self.rng.uniform(4, 14)
            log(f"SIGSTOP server {server.index} for {stall:.1f} s")
            server.stop()
            self.counts["stalls"] += 1
            self.later(stall, f"SIGCONT server {server.index}", server.cont)
        elif kind == "reload":
            variant = self.rng.randrange(3)
            if variant == 0:
                text = self.layout.text(names_suffix=f" v{self.counts['reloads_valid']}")
            elif variant == 1:
                text = self.layout.text(gap=self.rng.choice([0, 1, 3, 4]))
            else:
                a, b = self.rng.sample(range(FIRST_CAMERA, FIRST_CAMERA + N_GOOD), 2)
                text = self.layout.text(swap=(a, b))
            log(f"valid reload ({['names', 'gap', 'two cameras swap mounts'][variant]})")
            self.layout.write(text, atomic=self.rng.random() < 0.5)
            self.counts["reloads_valid"] += 1
        else:
            old, new = self.rng.choice(INVALID_EDITS)
            log(f"invalid reload ({old!r} -> {new!r}), the valid file 3 s later")
            self.layout.write(self.baseline_text.replace(old, new, 1),
                              atomic=self.rng.random() < 0.5)
            self.counts["reloads_invalid"] += 1
            self.later(3, "valid file back after the invalid one",
                       lambda: self.layout.write(self.baseline_text, atomic=True))

    # -- the run ----------------------------------------------------------

    def run(self):
        args = self.args
        good, corrupt = make_clips(self.tmp, self.rng)
        self.servers = []
        for k in range(N_SERVERS):
            mounts = {f"cam{i + 1:02d}": good for i in range(N_GOOD) if i % N_SERVERS == k}
            if k == 0:
                mounts["corrupt"] = corrupt
            self.servers.append(Server(k, mounts, os.path.join(args.out_dir,
                                                               f"rtsp-{k}.log")))
        self.hostile = HostileCamera(args.seed)
        config = os.path.join(self.tmp, "soak.cfg")
        self.layout = Layout(config, self.servers, self.hostile.port)
        self.baseline_text = self.layout.text()
        self.layout.write(self.baseline_text, atomic=False)
        started = time.monotonic()
        try:
            self.start_wall(config)
            result = self.phases(started)
            log("stopping the wall (SIGTERM)")
            self.client.close()
            self.proc.send_signal(signal.SIGTERM)
            try:
                status = self.proc.wait(30)
            except subprocess.TimeoutExpired:
                raise W.Failure("the wall did not exit within 30 s of SIGTERM")
            W.check(status == 0, f"the wall exited with status {status} after SIGTERM; "
                    f"{self.wall_log}, last lines:\n"
                    + W.tail(open(self.wall_log, errors="replace").read(), 80))
            return result
        finally:
            if self.client:
                self.client.close()
            if self.proc:
                W.stop_process(self.proc, signal.SIGKILL, timeout=5)
            self.hostile.close()
            for server in self.servers:
                server.close()

    def phases(self, started):
        args = self.args
        start_took = self.wait_all_live("start", START_TIMEOUT)

        log("warm-up: one round of every fault")
        for kind in ("kill", "stall", "reload", "invalid"):
            self.fault(kind)
            self.idle(2)
        self.idle(max(0, max((p[0] for p in self.pending), default=0) - time.monotonic()))
        self.run_due(everything=True)
        self.wait_all_live("warm-up", RECOVER_TIMEOUT)
        self.idle(QUIET_S)
        before = self.baseline_figures()
        warm_counts = dict(self.counts)
        log(f"baseline: {before}")

        log(f"faults for {args.duration} s (seed {args.seed})")
        fault_start = time.monotonic()
        next_fault = fault_start
        while time.monotonic() - fault_start < args.duration:
            if time.monotonic() >= next_fault:
                self.fault()
                next_fault = time.monotonic() + self.rng.uniform(4, 14)
            self.run_due()
            self.sample()
        fault_s = time.monotonic() - fault_start

        log("end: every server back, the baseline layout back")
        self.run_due(everything=True)
        for server in self.servers:
            if server.stopped:
                server.cont()
            if not server.running():
                server.start()
                self.counts["restarts"] += 1
        self.layout.write(self.baseline_text, atomic=True)
        recover_s = self.wait_all_live("end", RECOVER_TIMEOUT)
        self.idle(QUIET_S)
        after = self.settled_figures(before)
        log(f"end: {after}")
        stats = self.stats()
        feeds = W.feeds_by_camera(stats)

        counts = {k: v - warm_counts.get(k, 0) if k not in ("samples",) else v
                  for k, v in self.counts.items()}
        result = {
            "seed": args.seed,
            "duration_s": round(time.monotonic() - started, 1),
            "fault_phase_s": round(fault_s, 1),
            "feeds": N_GOOD + 2,
            "servers": N_SERVERS,
            "start_all_live_s": round(start_took, 1),
            "end_all_live_s": round(recover_s, 1),
            "restarts_survived": counts["restarts"],
            "server_kills": counts["server_kills"],
            "server_terms": counts["server_terms"],
            "stalls": counts["stalls"],
            "reloads_valid": counts["reloads_valid"],
            "reloads_invalid": counts["reloads_invalid"],
            "recoveries": counts["recoveries"],
            "reconnects_total": sum(f.get("reconnects", 0) for f in feeds.values()),
            "samples": self.counts["samples"],
            "min_frames_per_sample": self.min_frames_per_sample,
            "frames_rendered": stats["frames_rendered"],
            "hostile_connections": self.hostile.connections,
            "corrupt_state": feeds.get(CORRUPT_CAMERA, {}).get("state"),
            "hostile_state": feeds.get(HOSTILE_CAMERA, {}).get("state"),
            "before": before,
            "after": after,
            "rss_trace": self.rss_trace,
        }
        self.report(result)

        # The assertions on the figures (rendering and recovery were checked
        # as they happened).
        rss_limit = max(before["vm_rss_kb"] * RSS_TOLERANCE, RSS_SLACK_KB)
        problems = []
        if self.args.sanitized:
            log("sanitized wall: memory not compared (the allocator's quarantine grows); "
                "LeakSanitizer judges at exit")
        elif after["vm_rss_kb"] - before["vm_rss_kb"] > rss_limit:
            problems.append(f"resident memory grew from {before['vm_rss_kb']} kB to "
                            f"{after['vm_rss_kb']} kB (more than {rss_limit:.0f} kB)")
        if after["threads"] != before["threads"]:
            problems.append(f"threads: {before['threads']} after warm-up, "
                            f"{after['threads']} at the end")
        if after["fd_other"] != before["fd_other"]:
            gained = sorted(set(after["fd_other_targets"]) - set(before["fd_other_targets"]))
            lost = sorted(set(before["fd_other_targets"]) - set(after["fd_other_targets"]))
            problems.append(f"non-socket descriptors: {before['fd_other']} after warm-up, "
                            f"{after['fd_other']} at the end (opened: {gained}, closed: {lost})")
        if after["fd_sockets"] > before["fd_sockets"] + 2:
            problems.append(f"sockets: {before['fd_sockets']} after warm-up, "
                            f"{after['fd_sockets']} at the end (2 hostile cameras may "
                            "account for 2)")
        if result["hostile_state"] == "live":
            problems.append("the hostile fake camera is 'live'")
        W.check(not problems, "; ".join(problems))
        return result

    def report(self, r):
        b, a = r["before"], r["after"]
        lines = [
            f"soak: seed {r['seed']}, {r['feeds']} feeds on {r['servers']} RTSP servers + "
            f"corrupt mount + hostile camera",
            f"  duration            {r['duration_s']} s in all, {r['fault_phase_s']} s of faults",
            f"  all live            {r['start_all_live_s']} s after start, "
            f"{r['end_all_live_s']} s after the last fault",
            f"  restarts survived   {r['restarts_survived']} (SIGKILL {r['server_kills']}, "
            f"SIGTERM {r['server_terms']}), stalls {r['stalls']}",
            f"  reloads             {r['reloads_valid']} valid, {r['reloads_invalid']} invalid",
            f"  recoveries          {r['recoveries']} feed returns seen, "
            f"{r['reconnects_total']} reconnects counted",
            f"  rendering           {r['frames_rendered']} frames, at least "
            f"{r['min_frames_per_sample']} per {SAMPLE_S:.0f} s sample "
            f"({r['samples']} samples)",
            f"  hostile camera      {r['hostile_connections']} connections, state "
            f"{r['hostile_state']}; corrupt mount: {r['corrupt_state']}",
            f"  memory (VmRSS)      {b['vm_rss_kb']} kB -> {a['vm_rss_kb']} kB "
            f"({(a['vm_rss_kb'] - b['vm_rss_kb']) / b['vm_rss_kb'] * 100:+.1f} %); "
            f"stats rss_kb {b['rss_kb']} -> {a['rss_kb']}",
            f"  descriptors         {b['fds']} -> {a['fds']} (sockets {b['fd_sockets']} -> "
            f"{a['fd_sockets']}, other {b['fd_other']} -> {a['fd_other']})",
            f"  threads             {b['threads']} -> {a['threads']}",
            f"  VmRSS every {RSS_TRACE_S} s  "
            + " ".join(f"{kb // 1024}" for _, kb in r["rss_trace"]) + " MB",
        ]
        text = "\n".join(lines)
        print(text, flush=True)
        if self.args.figures:
            with open(self.args.figures, "w") as f:
                f.write(text + "\n")
            with open(self.args.figures + ".json", "w") as f:
                json.dump(r, f, indent=1)
            log(f"figures written to {self.args.figures}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wall", help="the wall binary (default: $WALL_BIN)")
    parser.add_argument("--duration", type=float, default=90,
                        help="seconds of faults after the warm-up (default 90)")
    parser.add_argument("--long", action="store_true",
                        help=f"{LONG_DURATION} s of faults (overrides --duration)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--figures", help="write the figures to this file (and FILE.json)")
    parser.add_argument("--faults", default=",".join(FAULTS),
                        help="the kinds of fault, comma-separated (default: all of "
                        f"{','.join(FAULTS)}); to find which one costs memory")
    parser.add_argument("--sanitized", action="store_true",
                        help="the wall is built with sanitizers: do not compare memory "
                        "(LeakSanitizer reports at exit, which must be 0)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the logs (wall, servers, audit) and say where")
    args = parser.parse_args()
    args.faults = [k for k in args.faults.split(",") if k]
    if not args.faults or set(args.faults) - set(FAULTS):
        parser.error(f"--faults takes some of {','.join(FAULTS)}")
    if args.long:
        args.duration = LONG_DURATION
    if args.wall:
        os.environ["WALL_BIN"] = os.path.abspath(args.wall)

    def run(tmp):
        W.require_tool("ffmpeg")
        probe = subprocess.run([W.PYTHON, "-c", "import gi; gi.require_version("
                                "'GstRtspServer', '1.0'); from gi.repository import "
                                "GstRtspServer"], capture_output=True)
        if probe.returncode != 0:
            raise W.Skip("gst-rtsp-server for python is not installed")
        args.out_dir = tmp
        if args.keep:
            os.environ["WALLTEST_KEEP"] = "1"
        Soak(args, tmp).run()

    W.main(run)


if __name__ == "__main__":
    main()
