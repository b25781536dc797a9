#!/usr/bin/python3
"""Each way a camera fails is told in its own words, in the log and in stats.

One live wall (headless, --io-timeout 2500, so T = "2.5"), a 3x3 grid
(full-format layout) with nine cameras that each fail differently:

  1601  nothing listens on the port           connection refused
  1602  tests/rtsp_server.py --auth, a mount   401 unauthorized: check the
        that wants a password; no credentials  credentials of camera 1602
  1603  the same mount, a wrong password (a    401 unauthorized: check the
        credentials entry)                     credentials of camera 1603
  1604  the same server, a mount it lacks      404: no such stream on the camera
  1605  a fake RTSP camera (a thread here)     403 forbidden: the camera refuses
        answering DESCRIBE with 403            this user
  1606  a TCP listener that accepts and never  no answer from the camera within
        says a word                            2.5 s
  1607  a fake RTSP camera that answers        stream set up but no video within
        OPTIONS, DESCRIBE (H.264 SDP with a    2.5 s
        real clip's SPS/PPS), SETUP (RTP over
        TCP, interleaved) and PLAY with 200 OK,
        then sends nothing, connection open
  1608  its own rtsp_server.py, live, then     server closed the stream
        SIGKILLed
  1609  its own rtsp_server.py, live, then     no data for 2.5 s
        SIGSTOPped (the connection stays open,
        nothing more comes; SIGCONT at the end)

Through the control socket's `stats`, polled from the start: cameras
1601-1607 reach "no-signal" with "last_error" exactly their words; 1608 and
1609 go "live" with "last_error" "" and, once their servers are killed or
stopped, get "last_error" exactly their words. Camera 1607 is first seen
"connecting" and then "no-signal" (never "live"), and the fake camera had
answered PLAY by then. In the log, every `WARN feed: camera N (URL): no
signal: WORDS` line names the camera's URL (credentials masked as
rtsp://***@...), and its WORDS are the camera's: for 1601-1607 exactly one
such line over the run although each retried (stats "reconnects" >= 1);
for 1608 and 1609 the first line after the kill / stop has their words
(what the retries against a dead or frozen server then say is only checked
to be one of the contract's phrases). No reason, in the log or in stats, is
only FFmpeg's words ("Immediate exit requested", "Invalid data found when
processing input", "Connection refused", "End of file", ...). SIGTERM stops
the wall with exit 0.
"""

import os
import re
import signal
import time

import streams as S
import walltest as W

WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 960, 540, 3, 3, 4
IO_TIMEOUT_MS = 2500
T = "%g" % (IO_TIMEOUT_MS / 1000)  # as the wall prints it: "2.5"
USER, PASSWORD, WRONG = "visor", "Cl4ve-buena", "Cl4ve-mala"
REFUSED, NO_CREDS, WRONG_CREDS, MISSING, FORBIDDEN, SILENT, SET_UP_SILENT, KILLED, STOPPED = (
    1601, 1602, 1603, 1604, 1605, 1606, 1607, 1608, 1609)
WORDS = {
    REFUSED: "connection refused",
    NO_CREDS: f"401 unauthorized: check the credentials of camera {NO_CREDS}",
    WRONG_CREDS: f"401 unauthorized: check the credentials of camera {WRONG_CREDS}",
    MISSING: "404: no such stream on the camera",
    FORBIDDEN: "403 forbidden: the camera refuses this user",
    SILENT: f"no answer from the camera within {T} s",
    SET_UP_SILENT: f"stream set up but no video within {T} s",
    KILLED: "server closed the stream",
    STOPPED: f"no data for {T} s",
}
STEADY = (REFUSED, NO_CREDS, WRONG_CREDS, MISSING, FORBIDDEN, SILENT, SET_UP_SILENT)
# Every phrase of the contract (a retry against a dead or frozen server may
# say any of them); "<stage> failed: ..." and "cannot be read (...)" too.
CONTRACT_WORDS = re.compile(
    r"^(connection refused|401 unauthorized: check the credentials of camera \d+"
    r"|404: no such stream on the camera|403 forbidden: the camera refuses this user"
    r"|no answer from the camera within [\d.]+ s|stream set up but no video within [\d.]+ s"
    r"|no data for [\d.]+ s|server closed the stream"
    r"|no clean picture within [\d.]+ s: no key frame"
    r"|the camera sends data that cannot be read \(.*\)"
    r"|(connecting|probing|reading) failed: .+)$")
# FFmpeg's own words: never the whole reason.
RAW_FFMPEG = ("Immediate exit requested", "Invalid data found when processing input",
              "Connection refused", "End of file", "Connection timed out",
              "Server returned 401 Unauthorized (authorization failed)",
              "Server returned 404 Not Found", "Server returned 403 Forbidden (access denied)",
              "Operation timed out", "Input/output error", "stream ended")
NO_SIGNAL_LINE = re.compile(r"^WARN +feed: camera (\d+)(?: sub| main)? \((.*)\): no signal: (.*)$")
START_TIMEOUT = 45  # s: guard for the first failures and the two live feeds
FAIL_TIMEOUT = 30   # s: guard for a killed / stopped server to be noticed


def run(tmp):
    clip = W.make_clip(os.path.join(tmp, "live.ts"), "testsrc2=size=320x180:rate=25",
                       duration=2, crf=28)
    sdp = S.h264_sdp(*S.parameter_sets(clip))
    with W.refused_port() as refused, \
            W.start_rtsp_server({"locked": clip},
                                auth=[("locked", USER, PASSWORD)]) as server, \
            W.start_rtsp_server({"cam": clip}) as doomed, \
            W.start_rtsp_server({"cam": clip}) as frozen, \
            S.fake_camera(sdp=sdp, describe_status="403 Forbidden") as forbidden, \
            S.listening(S.never_answer) as silent, \
            S.fake_camera(sdp=sdp) as set_up:
        base = f"127.0.0.1:{server.port}"
        urls = {
            REFUSED: f"rtsp://127.0.0.1:{refused}/x",
            NO_CREDS: f"rtsp://{base}/locked",
            WRONG_CREDS: f"rtsp://{base}/locked",  # and a credentials entry
            MISSING: f"rtsp://{base}/no-such-mount",
            FORBIDDEN: forbidden.url("cam"),
            SILENT: silent.url("cam"),
            SET_UP_SILENT: set_up.url("cam"),
            KILLED: doomed.url("cam"),
            STOPPED: frozen.url("cam"),
        }
        shown_url = dict(urls)
        shown_url[WRONG_CREDS] = f"rtsp://***@{base}/locked"
        names = {REFUSED: "Nadie escucha", NO_CREDS: "Sin clave", WRONG_CREDS: "Clave mala",
                 MISSING: "No existe", FORBIDDEN: "Prohibido", SILENT: "Acepta y calla",
                 SET_UP_SILENT: "Saluda y calla", KILLED: "Servidor muerto",
                 STOPPED: "Servidor congelado"}
        cameras = [{"number": n, "name": names[n], "url": urls[n]} for n in WORDS]
        cameras[WRONG_CREDS - REFUSED]["credentials"] = "mala"
        config = S.write_grid_layout(
            os.path.join(tmp, "words.cfg"), width=WIDTH, height=HEIGHT, rows=ROWS,
            columns=COLUMNS, gap=GAP, cameras=cameras,
            credentials=[{"id": "mala", "user": USER, "password": WRONG}])
        try:
            with W.start_live_wall(config, tmp,
                                   extra=["--io-timeout", str(IO_TIMEOUT_MS)]) as wall:
                watch(wall, server, doomed, frozen, set_up, shown_url)
        finally:
            # A stopped server ignores SIGTERM until it continues.
            if frozen.proc.poll() is None:
                frozen.proc.send_signal(signal.SIGCONT)


def watch(wall, server, doomed, frozen, set_up, shown_url):
    history = S.FeedHistory()
    played_before_failing = {}

    def poll():
        feeds = wall.feeds()
        history.record(feeds)
        state = feeds.get(SET_UP_SILENT, {}).get("state")
        if state == "no-signal" and SET_UP_SILENT not in played_before_failing:
            played_before_failing[SET_UP_SILENT] = set_up.played.is_set()
        for number, feed in feeds.items():
            W.check("last_error" in feed, f"camera {number}: stats have no \"last_error\": "
                    f"{feed}")
        return feeds

    def first_phase():
        feeds = poll()
        return (all(feeds.get(n, {}).get("state") == "no-signal"
                    and feeds[n].get("last_error") == WORDS[n]
                    for n in STEADY)
                and all(feeds.get(n, {}).get("state") == "live" for n in (KILLED, STOPPED)))

    W.wait_until(first_phase, "cameras 1601-1607 are no-signal with their words and "
                 "1608, 1609 live", START_TIMEOUT, describe=history.describe)
    feeds = wall.feeds()
    for number in (KILLED, STOPPED):
        W.check(feeds[number]["last_error"] == "",
                f"camera {number}: live and never failed, but \"last_error\" is "
                f"{feeds[number]['last_error']!r}, expected \"\"")
    W.log("first phase: " + history.describe())

    # The live ones fail: one server dies, the other freezes.
    mark = wall.log.mark()
    doomed.proc.send_signal(signal.SIGKILL)
    doomed.proc.wait()
    frozen.proc.send_signal(signal.SIGSTOP)

    def second_phase():
        poll()
        return all(WORDS[n] in history.errors(n) for n in (KILLED, STOPPED))

    W.wait_until(second_phase, "camera 1608 (server killed) and 1609 (server stopped) "
                 "report their words in \"last_error\"", FAIL_TIMEOUT,
                 describe=lambda: history.describe((KILLED, STOPPED)))
    for number in (KILLED, STOPPED):
        wall.wait_log(rf"^WARN +feed: camera {number} \(", f"saying camera {number} failed",
                      FAIL_TIMEOUT, since=mark)
    # Make sure the steady ones retried at least once (their one line is one
    # per outage, not one per attempt).
    wall.wait_feeds(lambda f: all(f[n].get("reconnects", 0) >= 1 for n in STEADY),
                    "every failing camera retried at least once", FAIL_TIMEOUT)
    poll()
    frozen.proc.send_signal(signal.SIGCONT)
    wall.stop()
    wall.log.join()
    W.log("seen: " + history.describe())

    problems = []
    # Camera 1607: connecting first, then no-signal, never live; PLAY answered first.
    states = history.states(SET_UP_SILENT)
    if not states or states[0] != "connecting" or "no-signal" not in states \
            or "live" in states:
        problems.append(f"camera {SET_UP_SILENT}: states seen {states}; expected "
                        "connecting, then no-signal, never live")
    if not played_before_failing.get(SET_UP_SILENT):
        problems.append(f"camera {SET_UP_SILENT}: no-signal before the fake camera had "
                        f"answered PLAY (requests: {set_up.requests})")

    # stats: every error seen is the contract's, never FFmpeg's alone.
    for number in WORDS:
        for error in history.errors(number):
            if error in RAW_FFMPEG or not CONTRACT_WORDS.match(error):
                problems.append(f"camera {number}: \"last_error\" {error!r} is not one of "
                                "the contract's phrases")
        if number in STEADY and set(history.errors(number)) != {WORDS[number]}:
            problems.append(f"camera {number}: \"last_error\" was {history.errors(number)}, "
                            f"expected only {WORDS[number]!r}")

    # The log.
    lines = {}
    for line in wall.log.lines:
        match = NO_SIGNAL_LINE.match(line)
        if match:
            lines.setdefault(int(match.group(1)), []).append((match.group(2), match.group(3)))
    after = {}
    for line in wall.log.lines[mark:]:
        match = NO_SIGNAL_LINE.match(line)
        if match:
            after.setdefault(int(match.group(1)), []).append(match.group(3))
    for number, words in WORDS.items():
        seen = lines.get(number, [])
        if not seen:
            problems.append(f"camera {number}: no `WARN feed: camera {number} (URL): no signal:"
                            " ...` line")
            continue
        for url, reason in seen:
            if url != shown_url[number]:
                problems.append(f"camera {number}: its no-signal line names {url!r}, expected "
                                f"{shown_url[number]!r}")
            if reason in RAW_FFMPEG or not CONTRACT_WORDS.match(reason):
                problems.append(f"camera {number}: no signal: {reason!r} is not one of the "
                                "contract's phrases")
        if number in STEADY:
            reasons = [reason for _, reason in seen]
            if reasons != [words]:
                problems.append(f"camera {number}: no-signal lines say {reasons}; expected one "
                                f"line saying {words!r}")
        else:
            first = after.get(number, [None])[0]
            if first != words:
                problems.append(f"camera {number}: the first no-signal line after its server "
                                f"was {'killed' if number == KILLED else 'stopped'} says "
                                f"{first!r}, expected {words!r}")
    W.check(not problems, "\n  ".join(["the failures' words are not the contract's:"]
                                      + problems))


if __name__ == "__main__":
    W.main(run)
