#!/usr/bin/python3
"""Operator commands over the control socket, alarms, and the audit trail.

A headless wall (--control, --audit) shows two outputs of 640x360 side by
side, each a 2x2 grid of solid-colour clips: ssc-1 (zone ssc, two pages)
and g911-1 (zone g911, Guardians cameras). The registry also holds camera
105 (suspended) and 106 (removed), and a tour `centro` (101, 102; 1 s each)
and `bancos` (5001, 5002).

Two extra clients stay connected all along: one that never sends anything
and one that sent half a line; the test's client is still answered at once.

Over the socket, each checked with `tiles` (and snapshots for the alarm):
- put: accepted (by output id and by output number), `put 0` empties a
  tile; refused with the exact reasons for a Guardians camera on an SSC
  output (and the other way round), a suspended and a removed camera, an
  unknown number;
- tour start (the tile goes through both cameras) and stop (the tile keeps
  its camera); a tour with cameras the zone does not admit is refused;
- page, maximize, restore;
- an alarm pops the camera over the whole output (`tiles`: one tile with
  "alarm": true and that camera; the snapshot: a 9 px #e00000 frame round
  the output and the camera's picture) and after its seconds the output is
  exactly as before (same page, same maximized tile, same cameras): the
  test awaits that by polling `tiles`, no sooner than the alarm's time;
- two alarms on one output are shown one after the other, then the output
  comes back; an alarm on the other output does not touch the first;
- alarms refused by the zone, for a suspended camera, for an unknown one;
- malformed, unknown, oversized lines, a line with a NUL byte in it: ERR,
  and `tiles` identical before and after.
When the half line's client leaves, its half line is not run.

Then the audit file: it still starts with the line an earlier run left
there (a start appends, never truncates); every line has the time and
`source=... action=...`; every line after it ends with prev= and the
SHA-256 of the line before (the earlier line included: a start continues
the chain from the file's last line), and `--verify-audit` reports the
earlier line, written without prev=, as the break;
the socket's lines are exactly one per accepted change, in order, with the
right action, output, tile, camera (and name), page, seconds or tour; none
for the refused commands and none for the queries (help, tiles, stats,
snapshot). Each line is in the file as soon as the command is answered.
"""

import hashlib
import os
import socket
import time

import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
SSC_COLOUR, G911_COLOUR = (0x1E, 0x6F, 0xD9), (0xE0, 0xA1, 0x00)
ALARM_RED = (0xE0, 0x00, 0x00)
WHITE = (0xFF, 0xFF, 0xFF)
COLOURS = {101: (40, 200, 200), 102: (40, 170, 60), 103: (40, 60, 200), 104: (220, 200, 40),
           5001: (180, 180, 120), 5002: (60, 30, 110)}
NAMES = {101: "Av. Tulum y Cobá", 102: "Blvd. Kukulcán km 9", 103: "Mercado 28",
         104: "Malecón Tajamar", 105: "Cámara suspendida", 106: "Cámara retirada",
         5001: "Banco \"Caribe\" Sucursal 3", 5002: "Hospital General"}
TIMEOUT = 30  # s: failure guard of each wait
REPLY_TIMEOUT = 5
QUICK = 1.0  # s: a command must be answered within this with silent clients around


def write(tmp):
    cameras = []
    for number, name in NAMES.items():
        camera = {"number": number, "name": name,
                  "programme": "guardians" if number >= 5000 else "ssc"}
        if number in COLOURS:
            camera["main"] = W.solid_clip(tmp, f"cam{number}", COLOURS[number])
        else:
            camera["main"] = os.path.join(tmp, f"never-opened-{number}.mp4")
            camera["status"] = "suspended" if number == 105 else "removed"
        cameras.append(camera)
    return W.write_layout(
        os.path.join(tmp, "operator.cfg"),
        zones=[{"id": "ssc", "title": "SSC", "colour": W.rgb_hex(SSC_COLOUR),
                "admits": ("ssc",)},
               {"id": "g911", "title": "Guardianes 911", "colour": W.rgb_hex(G911_COLOUR),
                "admits": ("guardians",)}],
        layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
        tours=[{"name": "centro", "dwell": 1, "cameras": (101, 102)},
               {"name": "bancos", "dwell": 1, "cameras": (5001, 5002)}],
        outputs=[
            {"id": "ssc-1", "rect": (0, 0, WIDTH, HEIGHT), "zone": "ssc",
             "pages": [{"name": "Centro", "layout": "quad", "tiles": [101, 102, 103, 104]},
                       {"name": "Mercados", "layout": "quad", "tiles": [104, 103, 102, 0]}]},
            {"id": "g911-1", "rect": (WIDTH, 0, WIDTH, HEIGHT), "zone": "g911",
             "pages": [{"layout": "quad", "tiles": [5001, 5002, 0, 0]}]},
        ],
        cameras=cameras)


def key(tiles):
    """What `tiles` says the wall shows, without the feeds' states (live or
    stale may change on their own)."""
    return [tuple(sorted((k, v) for k, v in t.items() if k != "state")) for t in tiles]


def of(tiles, output):
    return [t for t in tiles if t["output"] == output]


class Session:
    """The test's client and what the audit trail must hold."""

    def __init__(self, wall, audit_path):
        self.wall, self.audit_path = wall, audit_path
        self.expected = []  # the socket's audit lines, in order: {field: value}

    def socket_lines(self):
        if not os.path.exists(self.audit_path):
            return []
        return [f for _, f in W.read_audit(self.audit_path) if f.get("source") == "socket"]

    def command(self, line):
        reply = self.wall.control.command(line, REPLY_TIMEOUT)
        latency = self.wall.control.last_latency
        W.check(latency < QUICK, f"{line!r} answered after {latency:.2f} s (silent clients?)")
        return reply

    def accept(self, line, audit):
        """A command that must be accepted and write the audit line `audit`."""
        reply = self.command(line)
        W.check(reply.startswith("OK"), f"{line!r}: expected OK, got {reply!r}")
        self.expected.append(dict(audit, source="socket"))
        got = self.socket_lines()
        W.check(len(got) == len(self.expected),
                f"{line!r}: the audit file has {len(got)} socket lines right after the reply, "
                f"expected {len(self.expected)} (one per accepted change, flushed at once)")
        return reply

    def refuse(self, line, expected=None, raw=None):
        """A command that must get ERR (exactly `expected` when given) and
        change nothing: `tiles` and the audit trail are the same after it."""
        before = self.wall.tiles()
        lines_before = len(self.socket_lines())
        if raw is not None:
            self.wall.control.send_raw(raw)
            reply = self.wall.control.read_line(REPLY_TIMEOUT)
        else:
            reply = self.command(line)
        shown = line if raw is None else raw
        W.check(reply is not None and reply.startswith("ERR"),
                f"{shown!r:.80}: expected ERR, got {reply!r:.200}")
        if expected is not None:
            W.check(reply == expected, f"{shown!r:.80}: expected {expected!r}, got {reply!r}")
        after = self.wall.tiles()
        W.check(key(after) == key(before), f"{shown!r:.80} ({reply}) changed the tiles: "
                f"{W.tile_summary(before)} -> {W.tile_summary(after)}")
        W.check(len(self.socket_lines()) == lines_before,
                f"{shown!r:.80} ({reply}) wrote an audit line")
        return reply

    def cameras(self, output):
        return [t["camera"] for t in of(self.wall.tiles(), output)]


def check_puts(s):
    s.accept("put 102 ssc-1 1",
             {"action": "put", "output": "ssc-1", "tile": "1", "camera": "102"})
    W.check(s.cameras("ssc-1") == [102, 102, 103, 104], f"after put: {s.cameras('ssc-1')}")
    s.refuse("put 5001 ssc-1 1",
             "ERR camera 5001 (guardians) is not allowed on output ssc-1 (zone ssc)")
    s.refuse("put 101 g911-1 3",
             "ERR camera 101 (ssc) is not allowed on output g911-1 (zone g911)")
    s.refuse("put 105 ssc-1 1", "ERR camera 105 is suspended")
    s.refuse("put 106 ssc-1 1", "ERR camera 106 is removed")
    s.refuse("put 999 ssc-1 1", "ERR no camera 999")
    s.accept("put 0 ssc-1 4", {"action": "clear", "output": "ssc-1", "tile": "4"})
    W.check(s.cameras("ssc-1") == [102, 102, 103, 0], f"after put 0: {s.cameras('ssc-1')}")
    # Output by its number (2 = g911-1).
    s.accept("put 5002 2 3",
             {"action": "put", "output": "g911-1", "tile": "3", "camera": "5002"})
    W.check(s.cameras("g911-1") == [5001, 5002, 5002, 0], f"g911-1: {s.cameras('g911-1')}")


def check_tour(s):
    s.refuse("tour g911-1 1 centro",
             "ERR camera 101 (ssc) is not allowed on output g911-1 (zone g911)")
    s.refuse("tour ssc-1 3 bancos",
             "ERR camera 5001 (guardians) is not allowed on output ssc-1 (zone ssc)")
    s.accept("tour ssc-1 3 centro",
             {"action": "tour-start", "output": "ssc-1", "tile": "3", "tour": "centro"})
    seen = set()

    def both_shown(tiles):
        seen.add(of(tiles, "ssc-1")[2]["camera"])
        return seen == {101, 102}

    s.wall.wait_tiles(both_shown, "the tour in ssc-1 tile 3 shows camera 101 and 102", TIMEOUT)
    s.accept("tour ssc-1 3 stop", {"action": "tour-stop", "output": "ssc-1", "tile": "3"})
    kept = s.cameras("ssc-1")[2]
    W.check(kept in (101, 102), f"after the tour stopped, tile 3 shows {kept}")
    # Over more than two dwells the tile keeps its camera.
    end = time.monotonic() + 2.2
    while time.monotonic() < end:
        now = s.cameras("ssc-1")[2]
        W.check(now == kept, f"the stopped tour still changes tile 3: {kept} -> {now}")
        time.sleep(0.2)
    return kept


def check_malformed(s):
    lines = ["frobnicate", "FROBNICATE 1 2 3", "PUT 101 ssc-1 1", "put", "put 101",
             "put 101 ssc-1", "put 101 ssc-1 1 2", "put abc ssc-1 1", "put 0x65 ssc-1 1",
             "put -101 ssc-1 1", "put 1000000 ssc-1 1", "put 101 nosuch 1", "put 101 9 1",
             "put 101 0 1", "put 101 1.0 1", "put 101 ssc-1 0", "put 101 ssc-1 5",
             "put 101 ssc-1 x", "page ssc-1 3", "page ssc-1 0", "page ssc-1 one", "page",
             "maximize ssc-1 0", "maximize ssc-1 9", "restore nosuch", "restore",
             "tour ssc-1 1 nosuch", "tour ssc-1 9 stop", "tour ssc-1 1", "alarm 101 ssc-1 0",
             "alarm 101 ssc-1 99999", "alarm 101 ssc-1 abc", "alarm 101 ssc-1", "alarm 0 ssc-1 5",
             "alarm 101 nosuch 5", "select nosuch", "a b c d e f g h i j k", "help me",
             "stats now"]
    for line in lines:
        s.refuse(line)
    s.refuse(None, "ERR empty command", raw=b"\n")
    s.refuse(None, raw=b"\xff\xfe garbage \x01\x02\n")
    s.refuse(None, "ERR line too long", raw=b"put 101 ssc-1 1 " + b"x" * 10000 + b"\n")
    # A NUL byte inside a line: the line is malformed as a whole; its part
    # before the NUL must not run.
    s.refuse(None, raw=b"put 103 ssc-1 1\x00 and then some\n")
    W.log(f"{len(lines) + 4} malformed or unknown lines: ERR, nothing changed")


def alarm_seen(output, camera):
    def seen(tiles):
        mine = of(tiles, output)
        return len(mine) == 1 and mine[0]["alarm"] is True and mine[0]["camera"] == camera
    return seen


def check_alarm_picture(s, tmp):
    path = s.wall.snapshot(os.path.join(tmp, "alarm.png"))
    picture = W.read_snapshot(path, 2 * WIDTH, HEIGHT)
    for d in range(9):
        for x, y, edge in ((d, HEIGHT // 2, "left"), (WIDTH - 1 - d, HEIGHT // 2, "right"),
                           (WIDTH // 6, d, "top"), (WIDTH // 6, HEIGHT - 1 - d, "bottom")):
            W.assert_rgb_close(picture.pixel(x, y), ALARM_RED, 2,
                               f"alarm frame, {edge} edge, {d} px inside, at ({x},{y})")
    W.assert_rgb_close(picture.pixel(WIDTH // 2, HEIGHT // 2), COLOURS[103], 4,
                       "the alarm camera (103) over the whole of ssc-1, at its centre")
    W.assert_region_colour(picture, (WIDTH // 3, HEIGHT // 3, WIDTH // 3, HEIGHT // 4),
                           COLOURS[103], 4, "the alarm camera's picture")
    # g911-1 is untouched: 5001 in its tile 1.
    rect = W.tile_rects(WIDTH, HEIGHT, 2, 2, GAP)[0]
    cx, cy = W.centre(rect)
    W.assert_rgb_close(picture.pixel(WIDTH + cx, cy), COLOURS[5001], 4,
                       "g911-1 tile 1 during the alarm on ssc-1")


def check_after_alarm_picture(s, tmp):
    """ssc-1 is back to its maximized tile 4 (camera 101), selected: white."""
    path = s.wall.snapshot(os.path.join(tmp, "after-alarm.png"))
    picture = W.read_snapshot(path, 2 * WIDTH, HEIGHT)
    for d in range(6):
        W.assert_rgb_close(picture.pixel(d, HEIGHT // 2), WHITE, 2,
                           f"ssc-1 after the alarm: the selected frame {d} px inside")
    W.assert_rgb_close(picture.pixel(WIDTH // 2, HEIGHT // 2), COLOURS[101], 4,
                       "ssc-1 after the alarm: the maximized camera 101")


def check_alarms(s, tmp):
    s.accept("page ssc-1 2", {"action": "page", "output": "ssc-1", "page": "2"})
    W.check(s.cameras("ssc-1") == [104, 103, 102, 0], f"page 2: {s.cameras('ssc-1')}")
    W.check({t["page"] for t in of(s.wall.tiles(), "ssc-1")} == {2}, "ssc-1 is not on page 2")
    s.accept("put 101 ssc-1 4", {"action": "put", "output": "ssc-1", "tile": "4",
                                 "camera": "101"})
    s.accept("maximize ssc-1 4", {"action": "maximize", "output": "ssc-1", "tile": "4",
                                  "camera": "101"})
    before = s.wall.tiles()
    mine = of(before, "ssc-1")
    W.check(len(mine) == 1 and mine[0]["maximized"] and mine[0]["tile"] == 4
            and mine[0]["camera"] == 101, f"after maximize: {mine}")

    # One alarm: pops up, shows, reverts to exactly what was there.
    sent = time.monotonic()
    s.accept("alarm 103 ssc-1 2", {"action": "alarm", "output": "ssc-1", "camera": "103",
                                   "seconds": "2"})
    tiles = s.wall.wait_tiles(alarm_seen("ssc-1", 103), "the alarm of camera 103 is on ssc-1",
                              TIMEOUT)
    W.log(f"alarm on ssc-1 after {time.monotonic() - sent:.2f} s: {of(tiles, 'ssc-1')}")
    W.check(key(of(tiles, "g911-1")) == key(of(before, "g911-1")),
            "the alarm on ssc-1 changed g911-1")
    check_alarm_picture(s, tmp)
    s.wall.wait_tiles(lambda t: key(t) == key(before), "ssc-1 is back as before the alarm",
                      TIMEOUT)
    lasted = time.monotonic() - sent
    W.log(f"alarm over {lasted:.2f} s after it was sent (2 s alarm)")
    W.check(lasted >= 1.95, f"the 2 s alarm was over after {lasted:.2f} s")
    check_after_alarm_picture(s, tmp)

    # Two alarms queue on ssc-1 and show one after the other; one on g911-1
    # meanwhile runs on its own.
    sequence = []
    s.accept("alarm 104 ssc-1 1", {"action": "alarm", "output": "ssc-1", "camera": "104",
                                   "seconds": "1"})
    s.accept("alarm 102 ssc-1 1", {"action": "alarm", "output": "ssc-1", "camera": "102",
                                   "seconds": "1"})
    s.accept("alarm 5002 g911-1 1", {"action": "alarm", "output": "g911-1", "camera": "5002",
                                     "seconds": "1"})
    g911_seen = []

    def queue_done(tiles):
        mine = of(tiles, "ssc-1")
        if len(mine) == 1 and mine[0]["alarm"]:
            if not sequence or sequence[-1] != mine[0]["camera"]:
                sequence.append(mine[0]["camera"])
        g911 = of(tiles, "g911-1")
        if len(g911) == 1 and g911[0]["alarm"] and not g911_seen:
            g911_seen.append(g911[0]["camera"])
        return bool(sequence) and key(tiles) == key(before)

    s.wall.wait_tiles(queue_done, "both queued alarms were shown and ssc-1 is back", TIMEOUT)
    W.log(f"queued alarms shown on ssc-1: {sequence}; on g911-1: {g911_seen}")
    W.check(sequence == [104, 102], f"queued alarms on ssc-1 showed {sequence}, "
            "expected 104 then 102")
    W.check(g911_seen == [5002], f"the alarm on g911-1 showed {g911_seen}, expected 5002")

    s.refuse("alarm 5001 ssc-1 2",
             "ERR camera 5001 (guardians) is not allowed on output ssc-1 (zone ssc)")
    s.refuse("alarm 101 g911-1 2",
             "ERR camera 101 (ssc) is not allowed on output g911-1 (zone g911)")
    s.refuse("alarm 105 ssc-1 2", "ERR camera 105 is suspended")
    s.refuse("alarm 106 ssc-1 2", "ERR camera 106 is removed")
    s.refuse("alarm 999 ssc-1 2", "ERR no camera 999")

    s.accept("restore ssc-1", {"action": "restore", "output": "ssc-1"})
    W.check(s.cameras("ssc-1") == [104, 103, 102, 101], f"after restore: {s.cameras('ssc-1')}")
    s.accept("page ssc-1 1", {"action": "page", "output": "ssc-1", "page": "1"})
    W.check(s.cameras("ssc-1") == [101, 102, 103, 104], f"page 1: {s.cameras('ssc-1')}")


# A line an earlier run of the wall left in the audit file: a start must
# append to the trail, never empty it.
EARLIER = ("2026-12-01T10:00:00.000-0500 source=keyboard action=put output=ssc-1 tile=1 "
           "camera=101")


def check_audit(s):
    with open(s.audit_path, encoding="utf-8") as f:
        first = f.readline().rstrip("\n")
    W.check(first == EARLIER, f"the audit file lost the earlier run's line: it starts with "
            f"{first!r}")
    entries = W.read_audit(s.audit_path)[1:]
    times = [t for t, _ in entries]
    W.check(times == sorted(times), f"audit times are not in order: {times}")
    for _, fields in entries:
        W.check("source" in fields and "action" in fields,
                f"audit line without source and action: {fields}")
    socket_lines = [f for _, f in entries if f["source"] == "socket"]
    others = [f for _, f in entries if f["source"] != "socket"]
    W.log(f"audit: {len(socket_lines)} socket lines, other sources: {others}")
    for f in others:
        # Tours and alarms may record the changes they make themselves.
        W.check(f["source"] in ("tour", "alarm"), f"unexpected audit line {f}")
    actions = [f["action"] for f in socket_lines]
    W.check(len(socket_lines) == len(s.expected),
            f"expected {len(s.expected)} socket audit lines "
            f"{[e['action'] for e in s.expected]}, got {len(socket_lines)}: {actions}")
    for i, (got, want) in enumerate(zip(socket_lines, s.expected)):
        what = f"audit socket line {i + 1} ({want['action']})"
        for field in ("action", "output", "tile", "camera"):
            W.check(got.get(field) == want.get(field),
                    f"{what}: {field}={got.get(field)!r}, expected {want.get(field)!r}: {got}")
        for field in ("page", "seconds", "tour"):
            if field in want:
                W.check(got.get(field) == want[field],
                        f"{what}: {field}={got.get(field)!r}, expected {want[field]!r}: {got}")
        if "camera" in want:
            W.check(got.get("name") == NAMES[int(want["camera"])],
                    f"{what}: name={got.get('name')!r}, expected "
                    f"{NAMES[int(want['camera'])]!r}")
    W.log("audit: one line per accepted change, none for refusals and queries")
    check_chain(s.audit_path)


def check_chain(path):
    """Each line after the earlier run's chains onto the one before."""
    with open(path, "rb") as f:
        lines = f.readlines()
    for number in range(2, len(lines) + 1):
        want = hashlib.sha256(lines[number - 2]).hexdigest()
        W.check(lines[number - 1].endswith(f" prev={want}\n".encode()),
                f"audit line {number} does not end with prev={want}: {lines[number - 1]!r}")
    result = W.run_wall(["--verify-audit", path], timeout=30).expect_exit(1)
    W.check(result.stdout.startswith(f"{path}:1: the line has no prev="),
            f"--verify-audit printed {result.stdout!r}, expected the earlier run's line 1 "
            "(no prev=) as the break; " + result.describe())
    W.log(f"audit: {len(lines) - 1} lines chained onto the earlier run's line")


def run(tmp):
    config = write(tmp)
    audit = os.path.join(tmp, "audit.log")
    with open(audit, "w", encoding="utf-8") as f:
        f.write(EARLIER + "\n")
    with W.start_live_wall(config, tmp, extra=["--audit", audit],
                           reply_timeout=REPLY_TIMEOUT) as wall:
        wall.wait_tiles(lambda tiles: len(tiles) == 8 and all(
            t["state"] == "live" for t in tiles if t["camera"]), "the tiles are live", TIMEOUT)
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            silent.connect(wall.socket_path)
            half.connect(wall.socket_path)
            half.sendall(b"put 104 ssc-1")  # never finished
            s = Session(wall, audit)
            # Queries: no audit lines.
            W.check(s.command("help").startswith("OK "), "help")
            wall.stats()
            start_tiles = wall.tiles()
            W.check([t["camera"] for t in start_tiles] == [101, 102, 103, 104, 5001, 5002, 0, 0],
                    f"at start: {W.tile_summary(start_tiles)}")
            wall.snapshot(os.path.join(tmp, "start.png"))
            W.check(s.socket_lines() == [], "queries (help, stats, tiles, snapshot) were audited")

            check_puts(s)
            check_tour(s)
            check_alarms(s, tmp)
            check_malformed(s)

            # The half line's client leaves: its half line is dropped, not run.
            before = wall.tiles()
            half.close()
            W.check(s.command("help").startswith("OK "), "help after the half client left")
            W.check(key(wall.tiles()) == key(before),
                    "the half line `put 104 ssc-1` changed the tiles when its client left")
        finally:
            silent.close()
            half.close()
        W.check(wall.proc.poll() is None, "the wall exited")
        wall.stop()
    check_audit(s)


if __name__ == "__main__":
    W.main(run)
