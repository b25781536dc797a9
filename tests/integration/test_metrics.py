#!/usr/bin/python3
"""--metrics: /metrics in the Prometheus text format, agreeing with `stats`.

Two tests/rtsp_server.py processes: one serves camera 201 (named with a
double quote and a backslash) and camera 202 (its mount asks for a user
and password, which the layout's credentials entry gives); the other
serves camera 203 alone. A headless wall (full-format layout, 2x2, output
"ssc-1", wall.freshness = 3) runs with --metrics 0 (any free port on
127.0.0.1, which it logs) and --control:
1. all three tiles become live; another path than /metrics answers 404;
2. camera 203's server is SIGSTOPped (its connection stays open, nothing
   comes; the io timeout is a minute, longer than the test): /metrics is
   polled until camera 203 is stale and its tile, still showing its last
   picture, counts in wall_tiles_stale_over_objective; then the server is
   SIGKILLed (its connection closes: noticed at once), and /metrics is
   polled until camera 203 reports wall_camera_up 0 and state no-signal;
3. `stats`, a scrape, `stats` again: the scrape parses with
   prometheus_client, and every counter lies between the two stats
   (frames shown, decoded, dropped, bytes, reconnects, decode errors,
   frames rendered and drawn, reloads, audit lines, the render thread's
   CPU); the states, the decode mode and the stream agree with both; the
   dead camera's frame age is at least the time since it was seen
   no-signal (measured here before the scrape), and between the two stats';
   the freshness histogram has observations and is cumulative, the
   objective is 3 s, two tiles show a picture;
4. the name is escaped as the format asks, and comes back whole from the
   parser; the password, the user name and any URL never appear.
5. the layout file is rewritten with an invalid wall.freshness, then a
   valid one: the reload counters agree with `stats`, the objective follows
   the file, and wall_audit_lines_total with the audit file's lines.
SIGTERM stops the wall with exit 0. Besides: a port another program
listens on stops the wall at start (exit 1, one line saying so), and every
metric the example alerts (dist/wall-alerts.yml, which must be valid YAML)
use is one the wall serves.
"""

import os
import re
import signal
import socket
import time
import urllib.error
import urllib.request

import walltest as W

WIDTH, HEIGHT, GAP = 1280, 720, 4
OUTPUT = "ssc-1"
ALIVE, LOCKED, DOOMED = 201, 202, 203
ODD_NAME = 'Av. "Norte" \\ Sur'  # a double quote and a backslash
USER, PASSWORD = "metrics-user-7f3a", "metrics-secret-9c2e"
FRESHNESS = 3.0
RELOADED_FRESHNESS = 5.0
IO_TIMEOUT_MS = 60000  # a stopped server is stale, not failed, for the whole test
START_TIMEOUT = 60  # s: three feeds starting on a loaded 2-core machine
FAIL_TIMEOUT = 30   # s: a killed server is noticed at once, or after the io timeout
ROLES = ("feed", "render", "gl", "other")


def parse(text):
    """{sample name: [(labels, value)]} and {family name: type}, with the
    prometheus_client parser (which fails on anything malformed)."""
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        raise W.Skip("python3-prometheus-client is not installed")
    samples, types = {}, {}
    try:
        for family in text_string_to_metric_families(text):
            types[family.name] = family.type
            for s in family.samples:
                samples.setdefault(s.name, []).append((s.labels, s.value))
    except Exception as error:
        raise W.Failure(f"/metrics does not parse ({error!r}):\n{text[:2000]}")
    return samples, types


def value(samples, name, **labels):
    """The value of the one sample `name` whose labels include `labels`."""
    found = [v for lab, v in samples.get(name, [])
             if all(lab.get(k) == str(want) for k, want in labels.items())]
    W.check(len(found) == 1, f"/metrics: {len(found)} samples {name} {labels}, expected one")
    return found[0]


def between(what, low, got, high):
    W.check(low <= got <= high, f"{what}: /metrics says {got}, `stats` said {low} before "
            f"and {high} after")


def run(tmp):
    clip = W.make_clip(os.path.join(tmp, "rtsp.ts"), "testsrc2=size=320x180:rate=25",
                       duration=2, crf=28)
    with W.start_rtsp_server({"alive": clip, "locked": clip},
                             auth=[("locked", USER, PASSWORD)]) as server, \
            W.start_rtsp_server({"doomed": clip}) as doomed_server:
        config = os.path.join(tmp, "metrics.cfg")

        def write_config(freshness):
            W.write_layout(
                config,
                wall={"freshness": freshness},
                credentials=[{"id": "locked-cam", "user": USER, "password": PASSWORD}],
                layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
                outputs=[{"id": OUTPUT, "rect": (0, 0, WIDTH, HEIGHT),
                          "pages": [{"layout": "quad", "tiles": [ALIVE, LOCKED, DOOMED, 0]}]}],
                cameras=[{"number": ALIVE, "name": ODD_NAME, "main": server.url("alive")},
                         {"number": LOCKED, "name": "Con clave", "main": server.url("locked"),
                          "credentials": "locked-cam"},
                         {"number": DOOMED, "name": "Se apaga",
                          "main": doomed_server.url("doomed")}])

        write_config(FRESHNESS)
        check_port_taken(config)
        audit = os.path.join(tmp, "audit.log")
        extra = ["--metrics", "0", "--io-timeout", str(IO_TIMEOUT_MS), "--audit", audit]
        with W.start_live_wall(config, tmp, extra=extra) as wall:
            port = int(wall.wait_log(r"metrics: serving http://127\.0\.0\.1:(\d+)/metrics$",
                                     "saying where the metrics are", 10).group(1))
            url = f"http://127.0.0.1:{port}/metrics"

            def scrape():
                wall.check_running()
                with urllib.request.urlopen(url, timeout=10) as reply:
                    W.check(reply.status == 200, f"GET {url}: status {reply.status}")
                    kind = reply.headers.get("Content-Type", "")
                    W.check(kind.startswith("text/plain; version=0.0.4"),
                            f"GET {url}: Content-Type {kind!r}")
                    return reply.read().decode("utf-8")

            def all_live(tiles):
                states = {t.get("camera"): t.get("state") for t in tiles if t.get("camera")}
                return all(states.get(n) == "live" for n in (ALIVE, LOCKED, DOOMED))

            wall.wait_tiles(all_live, "cameras 201, 202 and 203 are live", START_TIMEOUT)

            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/other", timeout=10)
                raise W.Failure("GET /other answered 200; expected 404")
            except urllib.error.HTTPError as error:
                W.check(error.code == 404, f"GET /other: status {error.code}, expected 404")

            doomed_server.proc.send_signal(signal.SIGSTOP)
            stale = {}

            def doomed_over_objective():
                stale["samples"], _ = parse(scrape())
                return (value(stale["samples"], "wall_camera_state", camera=DOOMED,
                              state="stale") == 1 and
                        value(stale["samples"], "wall_tiles_stale_over_objective") >= 1)

            W.wait_until(doomed_over_objective,
                         "camera 203 stale, its tile over the freshness objective",
                         FAIL_TIMEOUT, interval=0.2,
                         describe=lambda: value(stale["samples"],
                                                "wall_tiles_stale_over_objective"))
            age = value(stale["samples"], "wall_camera_frame_age_seconds", camera=DOOMED)
            W.check(age > FRESHNESS, f"camera 203 counted over the objective at age {age} s")
            W.check(value(stale["samples"], "wall_tiles_stale_over_objective") == 1,
                    "only camera 203's tile is over the objective")
            doomed_server.proc.send_signal(signal.SIGKILL)
            doomed_server.proc.wait()
            killed_at = time.monotonic()
            seen = {}

            def doomed_down():
                seen["samples"], _ = parse(scrape())
                return (value(seen["samples"], "wall_camera_up", camera=DOOMED) == 0 and
                        value(seen["samples"], "wall_camera_state", camera=DOOMED,
                              state="no-signal") == 1)

            W.wait_until(doomed_down, "camera 203 reports up 0 and no-signal in /metrics",
                         FAIL_TIMEOUT, interval=0.2,
                         describe=lambda: [(lab.get("state"), v) for lab, v in
                                           seen["samples"].get("wall_camera_state", [])
                                           if lab.get("camera") == str(DOOMED)])
            noticed_at = time.monotonic()
            W.log(f"camera 203 no-signal {noticed_at - killed_at:.1f} s after SIGKILL")

            before = wall.stats()
            # Since the wall said no-signal, not since the kill: the frame the
            # stream's depacketiser still held comes out as the connection
            # closes, just before the wall notices.
            since_kill = time.monotonic() - noticed_at
            text = scrape()
            after = wall.stats()
            samples, types = parse(text)
            check_against_stats(samples, types, before, after, since_kill)
            check_text(text, samples, server.port)
            check_alerts(types)

            # A reload that fails, then one that works: counted where the
            # reload happens, and the objective follows the file.
            write_config(0.01)  # below wall.freshness's 0.1: an error
            W.wait_until(lambda: wall.stats()["reloads_failed"] >= 1,
                         "`stats` counts a failed reload", 30)
            write_config(RELOADED_FRESHNESS)
            W.wait_until(lambda: value(parse(scrape())[0], "wall_freshness_objective_seconds")
                         == RELOADED_FRESHNESS, "the objective follows the reloaded file", 30)
            before = wall.stats()
            samples, _ = parse(scrape())
            after = wall.stats()
            for name, key in (("wall_reloads_total", "reloads"),
                              ("wall_reloads_failed_total", "reloads_failed"),
                              ("wall_audit_lines_total", "audit_lines")):
                between(name, before[key], value(samples, name), after[key])
            W.check(after["reloads"] >= 2 and after["reloads_failed"] >= 1,
                    f"`stats` after two reloads, one failed: {after['reloads']} reloads, "
                    f"{after['reloads_failed']} failed")
            with open(audit, encoding="utf-8") as f:
                lines = sum(1 for _ in f)
            W.check(lines == after["audit_lines"], f"the audit file has {lines} lines, "
                    f"`stats` says {after['audit_lines']} were written")
            W.log(f"{after['reloads']} reloads, {after['reloads_failed']} failed, "
                  f"{lines} audit lines")
            wall.stop()


def check_against_stats(samples, types, before, after, since_kill):
    b, a = W.feeds_by_camera(before), W.feeds_by_camera(after)
    for family, kind in (("wall_camera_frames_shown", "counter"),
                         ("wall_camera_up", "gauge"),
                         ("wall_cpu_seconds", "counter"),
                         ("wall_tile_freshness_seconds", "histogram")):
        W.check(types.get(family) == kind, f"/metrics: {family} is {types.get(family)}, "
                f"expected {kind}")
    counters = (("wall_camera_frames_shown_total", "frames_shown"),
                ("wall_camera_frames_decoded_total", "frames_decoded"),
                ("wall_camera_frames_dropped_total", "frames_dropped"),
                ("wall_camera_received_bytes_total", "bytes"),
                ("wall_camera_reconnects_total", "reconnects"),
                ("wall_camera_decode_errors_total", "decode_errors"))
    for number in (ALIVE, LOCKED, DOOMED):
        for name, key in counters:
            between(f"camera {number} {name}", b[number][key],
                    value(samples, name, camera=number), a[number][key])
        for stats in (b[number], a[number]):
            expected = "no-signal" if number == DOOMED else "live"
            W.check(stats["state"] == expected and not stats["stale"],
                    f"camera {number}: `stats` says {stats['state']} (stale {stats['stale']}), "
                    f"expected {expected}")
            W.check(value(samples, "wall_camera_decode_info", camera=number,
                          stream=stats["stream"],
                          decoder="vaapi" if stats["hardware"] else "software",
                          decode="keyframes" if stats["decode"] == "keyframes" else "full",
                          codec=stats["codec"]) == 1,
                    f"camera {number}: wall_camera_decode_info disagrees with {stats}")
        expected = "no-signal" if number == DOOMED else "live"
        W.check(value(samples, "wall_camera_up", camera=number) == (number != DOOMED),
                f"camera {number}: wall_camera_up is wrong")
        for state in ("live", "connecting", "no-signal", "stale", "reduced"):
            W.check(value(samples, "wall_camera_state", camera=number, state=state) ==
                    (state == expected),
                    f"camera {number}: wall_camera_state{{state={state!r}}} is not one-hot "
                    f"on {expected}")

    age = value(samples, "wall_camera_frame_age_seconds", camera=DOOMED)
    W.check(age >= since_kill, f"camera 203: frame age {age} s in /metrics, but it was "
            f"seen no-signal {since_kill:.3f} s before the scrape began")
    between("camera 203 frame age (ms)", b[DOOMED]["frame_age_ms"], int(age * 1000),
            a[DOOMED]["frame_age_ms"] + 1)

    between("wall_frames_rendered_total", before["frames_rendered"],
            value(samples, "wall_frames_rendered_total"), after["frames_rendered"])
    between("wall_frames_drawn_total", before["output"]["frames_drawn"],
            value(samples, "wall_frames_drawn_total"), after["output"]["frames_drawn"])
    fps = value(samples, "wall_output_fps", output=OUTPUT)
    low = min(before["output"]["fps"], after["output"]["fps"]) - 0.05  # stats: 1 decimal
    high = max(before["output"]["fps"], after["output"]["fps"]) + 0.05
    between("wall_output_fps", low, fps, high)
    for name, key in (("wall_reloads_total", "reloads"),
                      ("wall_reloads_failed_total", "reloads_failed"),
                      ("wall_audit_lines_total", "audit_lines")):
        between(name, before[key], value(samples, name), after[key])
    # The render thread never ends, so its counter is stats' own figure.
    between("wall_cpu_seconds_total{role=render}", before["cpu_seconds"]["render"],
            value(samples, "wall_cpu_seconds_total", role="render"),
            after["cpu_seconds"]["render"])
    for role in ROLES:
        W.check(value(samples, "wall_cpu_seconds_total", role=role) >=
                before["cpu_seconds"][role], f"wall_cpu_seconds_total{{role={role!r}}} is below "
                "what `stats` said before")
    rss = value(samples, "wall_resident_memory_bytes")
    W.check(rss > 0 and rss % 1024 == 0, f"wall_resident_memory_bytes {rss}")

    buckets = [(lab["le"], v) for lab, v in samples["wall_tile_freshness_seconds_bucket"]]
    count = value(samples, "wall_tile_freshness_seconds_count")
    W.check(count > 0, "the tile freshness histogram has no observations")
    W.check(buckets[-1] == ("+Inf", count), f"freshness +Inf bucket {buckets[-1]} != count "
            f"{count}")
    W.check(all(x[1] <= y[1] for x, y in zip(buckets, buckets[1:])),
            f"freshness buckets are not cumulative: {buckets}")
    W.check(value(samples, "wall_tile_freshness_seconds_sum") > 0, "freshness sum is 0")
    W.check(value(samples, "wall_freshness_objective_seconds") == FRESHNESS,
            "wall_freshness_objective_seconds is not the layout's wall.freshness")
    pictures = value(samples, "wall_tiles_with_picture")
    W.check(pictures == 2, f"wall_tiles_with_picture {pictures}: cameras 201 and 202 are live, "
            "203 shows a slate")
    over = value(samples, "wall_tiles_stale_over_objective")
    W.check(0 <= over <= pictures, f"wall_tiles_stale_over_objective {over}")


def check_text(text, samples, port):
    escaped = 'name="Av. \\"Norte\\" \\\\ Sur"'
    W.check(escaped in text, f"camera 201's name is not escaped as {escaped} in /metrics")
    names = {lab.get("name") for lab, _ in samples["wall_camera_up"]}
    W.check(ODD_NAME in names, f"the parser did not get camera 201's name back: {names}")
    for secret in (PASSWORD, USER, "rtsp://", f"127.0.0.1:{port}"):
        W.check(secret not in text, f"/metrics shows {secret!r}")


def check_port_taken(config):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = W.run_wall(["--headless", "--config", config, "--frames", "1",
                             "--metrics", str(port)], timeout=60).expect_exit(1)
        said = [line for line in result.stderr.splitlines()
                if f"cannot listen on 127.0.0.1:{port}" in line]
        W.check(len(said) == 1, "a taken port: expected one line `cannot listen on "
                f"127.0.0.1:{port}`; " + result.describe())


def check_alerts(types):
    try:
        import yaml
    except ImportError:
        raise W.Skip("python3-yaml is not installed")
    path = os.path.join(W.source_root(), "dist", "wall-alerts.yml")
    with open(path, encoding="utf-8") as f:
        rules = yaml.safe_load(f)["groups"][0]["rules"]
    W.check(len(rules) >= 3, f"{path}: {len(rules)} rules")
    served = set(types)
    for rule in rules:
        for name in re.findall(r"\bwall_[a-z_]+", rule["expr"]):
            family = re.sub(r"_(total|bucket|sum|count)$", "", name)
            W.check(family in served, f"{path}: alert {rule['alert']} uses {name}, which "
                    "/metrics does not serve")


if __name__ == "__main__":
    W.main(run)
