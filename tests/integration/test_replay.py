#!/usr/bin/python3
"""Instant replay of a tile from its camera's pre-roll, evidence export to
MP4, and the hash-chained audit trail that vouches for the exports.

The camera is a numbered clip (walltest.numbered_source: every frame shows
its own number as 14 black and white stripes; 320x180, 25 fps, a key frame
a second, 150 s, longer than the test: its numbers never wrap) served by the
test RTSP server. A headless wall (--control, --audit) shows one output,
ssc-1 (640x360, zone ssc), a 2x2 grid: camera 101 in tiles 1 and 2, tile 3
empty, camera 102 (a refused port: it never connects) in tile 4, with
`wall.replay = { seconds = 20; memory = "64M"; directory = ...; }`.
Time is measured in frame numbers read back from snapshots, never with
the clock: tile 2 shows camera 101 live all along, so one snapshot gives
the live number and the number tile 1 shows next to it.

Once camera 101's ring holds 8 s (`stats`: ring_seconds):
- `stats` has the `replay` figures: cap 64 MiB, 20 s, a ring, nothing
  dropped, no export running.
- refused with ERR, nothing changed: replay of the empty tile 3, of tile 4
  (camera 102 has no pre-roll); export of the empty tile; malformed replay
  and export lines. A replay of more seconds than the ring holds starts
  from the ring's start and says so ("all the pre-roll kept").
- `replay 1 1 5`: OK, tile 1's state is `replay` (tile 2 stays live); the
  snapshot shows tile 1 125 frames (5 s) behind tile 2, give or take a GOP,
  and still so after a second of playing; `plates` lists one badge
  "REPLAY -00:0S HH:MM:SS" at the top right of tile 1, whose time plus its
  offset is the time of the snapshot; the badge is amber in the snapshot,
  and the same place in tile 2 has no amber.
- pause: two snapshots, the live tile having moved on between them, show
  the same replayed frame. step (twice): the frame advances by at least 1
  (at most a GOP) and stays. play: it moves on. faster: the replay gains
  on the live tile; slower: the speed drops again.
- live: tile 1 is live again, showing tile 2's frame (one feed); the badge
  and its amber are gone.
- `export 1 1 6`: OK with the absolute path of an .mp4 in the evidence
  directory; one audit line action=export ... result=done with camera,
  name, seconds, bytes and sha256, which are the file's (hashlib); ffprobe:
  an MP4 with one H.264 320x180 stream, 6 s long give or take a GOP, tags
  camera, name, zone, start (ISO 8601, between the wall's start and the
  export) and creation_time. Every frame of it, decoded, reads as the
  frame after the one before (nothing lost, repeated or reordered), the
  first a key frame, the last at least the live frame shown when the
  export was asked for.
- `export 1 1 2 600`, then `export 1 1 stop`: `stats` counts the running
  export, the audit line says result=done, the file holds frames that came
  after the command.
Then the wall stops and a second one starts with the same audit file and
an evidence directory it cannot write (0500; for root, who ignores modes,
a path under a regular file): `export` answers OK, its audit line says
result=failed with a reason and no sha256, no file is left, and the tiles
stay live.
Then the audit file: every line ends with prev=<SHA-256 of the line before>
(64 zeros on the first), across the restart too (checked here in Python);
`wall --verify-audit` exits 0 on it; on a copy with one byte of a line
changed it exits 1 naming FILE:LINE of that line or the next; with one
byte of the exported MP4 changed it exits 1 naming the export's line, and
0 again once the byte is back.
Last, a camera that drops while `export 1 1 2 on` follows it: the file up
to the drop is kept as NAME-partial.mp4 (ffprobe reads it, at least the 2 s
of pre-roll), its audit line says result=failed with the reason and the
partial file's sha256, the tile says so, and that audit verifies.
"""

import contextlib
import datetime
import hashlib
import json
import os
import re
import shutil
import time

import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
CLIP_W, CLIP_H, RATE = 320, 180, 25
GOP = RATE  # frames: a key frame every second
CLIP_SECONDS = 150  # 3750 frames: longer than the test, below 4096 (no wrap)
REPLAY_SECONDS, MEMORY, CAP = 20, "64M", 64 * 1024 * 1024
PRE_ROLL = 8  # s the ring holds before the test replays
BACK = 5  # s: `replay 1 1 5`
EXPORT = 6  # s: `export 1 1 6`
OUTPUT, ZONE = "ssc-1", "ssc"
CAMERA, NAME = 101, "Av. Tulum y Cobá"
DEAD, DEAD_NAME = 102, "Cámara sin señal"
MORE_FRAMES = 5  # live frames to await between two snapshots that must differ
# Frames two tiles of one snapshot may be apart beyond what is asked of them:
# the live tile shows the feed's latest decoded frame, the replay its own
# decoder's, each paced on its own.
SLACK = 3
TIMEOUT = 30  # s: failure guard of each wait
RING_TIMEOUT = 60  # s: failure guard of the wait for PRE_ROLL s of ring
REPLY_TIMEOUT = 10

REPLAY_TILE, LIVE_TILE, EMPTY_TILE, DEAD_TILE = 1, 2, 3, 4


def write(tmp, name, server, port, directory):
    return W.write_layout(
        os.path.join(tmp, name),
        wall={"replay": {"seconds": REPLAY_SECONDS, "memory": MEMORY, "directory": directory}},
        zones=[{"id": ZONE, "title": "SSC", "admits": ("ssc",)}],
        layouts=[{"name": "quad", "grid": (2, 2), "gap": GAP}],
        outputs=[{"id": OUTPUT, "rect": (0, 0, WIDTH, HEIGHT), "zone": ZONE,
                  "pages": [{"layout": "quad", "tiles": [CAMERA, CAMERA, 0, DEAD]}]}],
        cameras=[{"number": CAMERA, "name": NAME, "main": server.url("numbered")},
                 {"number": DEAD, "name": DEAD_NAME,
                  "main": f"rtsp://127.0.0.1:{port}/nothing"}])


RECTS = W.tile_rects(WIDTH, HEIGHT, 2, 2, GAP)


def picture_rect(tile):
    """Where tile `tile` (from 1) shows the 16:9 picture (letterbox)."""
    return W.fit_rect(RECTS[tile - 1], CLIP_W, CLIP_H)


def state(tiles, tile):
    return {t["tile"]: t["state"] for t in tiles if t["output"] == OUTPUT}.get(tile)


def key(tiles):
    """What `tiles` says the wall shows (as in test_alarms_audit)."""
    return [tuple(sorted((k, v) for k, v in t.items() if k != "state")) for t in tiles]


class View:
    """One drawn canvas: a snapshot, and `tiles` and `plates` answered with
    it between the same two frames (sent in one write)."""

    def __init__(self, wall, tmp, name):
        path = os.path.join(tmp, name)
        wall.check_running()
        self.before = time.time()
        try:
            replies = wall.control.commands([f"snapshot {path}", "tiles", "plates"],
                                            REPLY_TIMEOUT)
        except W.Failure:
            wall.check_running()
            raise
        self.after = time.time()
        for line, reply in zip(("snapshot", "tiles", "plates"), replies):
            W.check(reply.startswith("OK "), f"{line} ({name}): got {reply[:300]!r}")
        self.tiles = json.loads(replies[1][3:])
        self.plates = json.loads(replies[2][3:])
        self.picture = W.read_snapshot(path, WIDTH, HEIGHT)
        self.name = name

    def number(self, tile):
        return W.read_number(self.picture, picture_rect(tile), f"{self.name} tile {tile}")

    def maybe_number(self, tile):
        try:
            return self.number(tile)
        except W.Failure:
            return None

    def badges(self):
        return [p for p in self.plates if p["output"] == OUTPUT and
                p["text"].startswith("REPLAY")]


class Session:
    def __init__(self, wall, tmp):
        self.wall, self.tmp = wall, tmp
        self.views = 0

    def view(self, what):
        self.views += 1
        return View(self.wall, self.tmp, f"{self.views:02d}-{what}.png")

    def shown(self):
        return self.wall.feeds()[CAMERA]["frames_shown"]

    def await_frames(self, what, count=MORE_FRAMES):
        """Until camera 101 showed `count` more frames: the live tile moved on."""
        shown = self.shown()
        self.wall.wait_feeds(lambda f: f[CAMERA]["frames_shown"] >= shown + count,
                             f"camera {CAMERA} shows {count} more frames ({what})", TIMEOUT)

    def await_view(self, name, predicate, what):
        """Snapshots (`name`) until predicate(view) holds; returns that view."""
        seen = {}

        def poll():
            seen["view"] = self.view(name)
            return seen["view"] if predicate(seen["view"]) else None

        def describe():
            v = seen["view"]
            return (f"{v.name}: tiles {W.tile_summary(v.tiles)}, tile {REPLAY_TILE} reads "
                    f"{v.maybe_number(REPLAY_TILE)}, tile {LIVE_TILE} "
                    f"{v.maybe_number(LIVE_TILE)}")

        return W.wait_until(poll, what, TIMEOUT, describe=describe)

    def command(self, line):
        return self.wall.control.command(line, REPLY_TIMEOUT)

    def accept(self, line, pattern):
        """A command that must answer OK matching `pattern` (after "OK ")."""
        reply = self.command(line)
        W.check(reply.startswith("OK ") and re.search(pattern, reply[3:]),
                f"{line!r}: expected OK matching /{pattern}/, got {reply!r}")
        W.log(f"{line!r}: {reply}")
        return reply[3:]

    def refuse(self, line, prefix="ERR "):
        """A command that must answer ERR (starting with `prefix`) with a
        reason, and change nothing."""
        before = self.wall.tiles()
        reply = self.command(line)
        W.check(reply.startswith(prefix) and len(reply) > len("ERR ") + 8,
                f"{line!r}: expected {prefix!r}... with a reason, got {reply!r}")
        after = self.wall.tiles()
        W.check(key(after) == key(before) and state(after, REPLAY_TILE) == "live",
                f"{line!r} ({reply}) changed the tiles: {W.tile_summary(before)} -> "
                f"{W.tile_summary(after)}")
        W.log(f"{line!r}: {reply}")
        return reply


def check_stats(stats):
    replay = stats.get("replay")
    W.check(isinstance(replay, dict), f"stats has no `replay` object: {str(stats)[:300]}")
    W.log(f"stats replay: {replay}")
    W.check(replay.get("cap") == CAP, f"stats replay cap {replay.get('cap')}, expected {CAP} "
            f"(memory = \"{MEMORY}\")")
    W.check(replay.get("seconds") == REPLAY_SECONDS,
            f"stats replay seconds {replay.get('seconds')}, expected {REPLAY_SECONDS}")
    W.check(replay.get("rings", 0) >= 1, f"stats replay rings: {replay.get('rings')}")
    W.check(0 < replay.get("memory", 0) <= CAP, f"stats replay memory: {replay.get('memory')}")
    W.check(replay.get("dropped") == 0,
            f"stats replay dropped {replay.get('dropped')} packets under a 64 MiB cap")
    W.check(replay.get("exports") == 0, f"stats replay exports: {replay.get('exports')}")
    feed = W.feeds_by_camera(stats)[CAMERA]
    W.check(feed.get("ring_bytes", 0) > 0, f"camera {CAMERA} ring_bytes: {feed.get('ring_bytes')}")
    W.check(PRE_ROLL <= feed["ring_seconds"] <= REPLAY_SECONDS + GOP / RATE,
            f"camera {CAMERA} ring_seconds {feed['ring_seconds']}: expected {PRE_ROLL} to "
            f"{REPLAY_SECONDS} s and a GOP")


def check_refusals(s, ring_seconds):
    help_reply = s.command("help")
    for word in ("replay", "export"):
        W.check(word in help_reply, f"help does not mention {word!r}: {help_reply!r}")
    s.refuse(f"replay 1 {EMPTY_TILE} {BACK}")
    s.refuse(f"replay 1 {DEAD_TILE} {BACK}", f"ERR camera {DEAD} has no pre-roll")
    s.refuse(f"export 1 {EMPTY_TILE} {BACK}")
    if ring_seconds + 1 < REPLAY_SECONDS:
        # Further back than the ring goes: from its start, and the reply says so.
        reply = s.accept(f"replay 1 {REPLAY_TILE} {REPLAY_SECONDS}",
                         r"from=-(\d+)s .*\(all the pre-roll kept\)")
        back = int(re.search(r"from=-(\d+)s", reply).group(1))
        W.check(back <= ring_seconds + 1,
                f"replay from -{back} s, but the ring holds {ring_seconds} s")
        s.accept(f"replay 1 {REPLAY_TILE} live", r"live")
    for line in ("replay", "replay 1", "replay 1 1", "replay 1 1 0", "replay 1 1 -5",
                 "replay 1 1 abc", "replay 1 1 rewind", "replay 1 5 5", "replay 9 1 5",
                 "replay nosuch 1 5", "export", "export 1 1", "export 1 1 x",
                 "export 1 5 5", "export nosuch 1 5", "export 1 1 5 -1"):
        s.refuse(line)


def is_amber(p):
    """An amber plate (opaque or translucent) over a black or white picture:
    red well above blue, green between a third and most of red. The stripes,
    the white text, the black label plates and the grey tile frames are not."""
    r, g, b = p
    return r >= 120 and r - b >= 90 and 0.35 * r <= g <= 0.87 * r


def check_badge(view):
    """One REPLAY badge, at the top right of tile 1, amber; its time plus
    its offset is when the snapshot was taken."""
    badges = view.badges()
    W.check(len(badges) == 1, f"{view.name}: expected one REPLAY plate, got "
            f"{[p['text'] for p in view.plates]}")
    badge = badges[0]
    match = re.fullmatch(r"REPLAY -(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)", badge["text"])
    W.check(match and badge["text"].startswith("REPLAY -00:0"),
            f"{view.name}: the badge reads {badge['text']!r}, expected "
            f"\"REPLAY -00:0{BACK} HH:MM:SS\"")
    mm, ss, hh, mi, se = (int(g) for g in match.groups())
    offset = mm * 60 + ss
    W.check(BACK - 1 <= offset <= BACK + 1, f"{view.name}: the badge says {offset} s behind "
            f"live, expected {BACK} s (a GOP either way)")
    # The time of the replayed frame plus how far behind live it is: now,
    # within the two whole-second roundings and the moment of the reply.
    day = 24 * 3600
    seen = (hh * 3600 + mi * 60 + se + offset) % day
    t = time.localtime(view.before)
    before = t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec
    after = before + int(view.after - view.before + 1)
    W.check((seen - (before - 3)) % day <= after + 2 - (before - 3),
            f"{view.name}: the badge says {badge['text']!r}: a frame of "
            f"{hh:02d}:{mi:02d}:{se:02d} {offset} s behind live, but the snapshot was taken at "
            f"{time.strftime('%H:%M:%S', t)}")

    x, y, w, h = RECTS[REPLAY_TILE - 1]
    bx, by, bw, bh = badge["x"], badge["y"], badge["w"], badge["h"]
    W.check(x <= bx and bx + bw <= x + w and y <= by and by + bh <= y + h,
            f"{view.name}: the badge {badge} is not inside tile {REPLAY_TILE} {RECTS[0]}")
    W.check(bx + bw / 2 > x + w / 2 and by + bh / 2 < y + h / 2,
            f"{view.name}: the badge {badge} is not at the top right of tile {REPLAY_TILE}")
    rect = (bx, by, bw, bh)
    amber = view.picture.count(rect, is_amber)
    common = sorted(view.picture.colours(rect).items(), key=lambda c: -c[1])[:5]
    W.check(amber >= bw * bh // 4, f"{view.name}: {amber} amber pixels of {bw * bh} under the "
            f"badge {rect}; its commonest colours: {common}")
    dx = RECTS[LIVE_TILE - 1][0] - x
    there = view.picture.count((bx + dx, by, bw, bh), is_amber)
    W.check(there == 0, f"{view.name}: {there} amber pixels at the badge's place in the live "
            f"tile {LIVE_TILE}")
    W.log(f"{view.name}: badge {badge['text']!r} at {rect}, {amber} amber pixels")
    return rect


def behind_live(view):
    """(replayed number, live number, frames the replay is behind)."""
    replayed, live = view.number(REPLAY_TILE), view.number(LIVE_TILE)
    return replayed, live, W.number_behind(live, replayed)


def check_offset(view, what):
    # `replay 1 1 5` starts 5 s (125 frames) behind live. To show a picture
    # the replay must start decoding at a key frame (one a second): whether
    # it shows from the key frame before, skips on to the exact frame, or
    # takes the nearest key frame, the frame shown is 125 frames behind give
    # or take a GOP (25), and it keeps that distance while it plays at speed
    # 1. The two numbers are read from one snapshot, so no time passes
    # between them; SLACK frames allow for the two decoders' pacing.
    replayed, live, behind = behind_live(view)
    W.check(abs(behind - BACK * RATE) <= GOP + SLACK,
            f"{what}: tile {REPLAY_TILE} shows frame {replayed}, {behind} frames behind the live "
            f"tile {LIVE_TILE} ({live}); expected {BACK * RATE} +- {GOP + SLACK}")
    W.log(f"{what}: frame {replayed}, {behind} frames behind live {live}")
    return replayed, live, behind


def speed_of(reply):
    match = re.search(r"\bspeed=([0-9.]+)", reply)
    W.check(match, f"no speed=<x> in {reply!r}")
    return float(match.group(1))


def check_replay(s):
    first = s.view("live")
    W.check(state(first.tiles, REPLAY_TILE) == "live" and first.badges() == [],
            f"before replay: {W.tile_summary(first.tiles)}, plates {first.plates}")
    a, b = first.number(REPLAY_TILE), first.number(LIVE_TILE)
    W.check(a == b, f"before replay, tiles 1 and 2 (one camera) show frames {a} and {b}")

    s.accept(f"replay 1 {REPLAY_TILE} {BACK}",
             rf"^replay output={OUTPUT} tile={REPLAY_TILE} camera={CAMERA} from=-{BACK}s\b")
    tiles = s.wall.wait_tiles(lambda t: state(t, REPLAY_TILE) == "replay",
                              f"tile {REPLAY_TILE} is in replay", TIMEOUT)
    W.check(state(tiles, LIVE_TILE) == "live", f"during replay: {W.tile_summary(tiles)}")
    # The state may come a frame before the replayed picture: await it, and
    # a few more frames (a replay may start at the key frame before and
    # catch up): from then on it plays at speed 1.
    s.await_view("replay", lambda v: v.maybe_number(REPLAY_TILE) is not None and
                 v.maybe_number(REPLAY_TILE) != v.maybe_number(LIVE_TILE),
                 f"replay: tile {REPLAY_TILE} shows another frame than tile {LIVE_TILE}")
    s.await_frames("replay started")
    view = s.view("replay")
    W.check(state(view.tiles, REPLAY_TILE) == "replay" and state(view.tiles, LIVE_TILE) == "live",
            f"{view.name}: {W.tile_summary(view.tiles)}")
    replayed, _, behind = check_offset(view, view.name)
    badge = check_badge(view)

    # Playing at speed 1: a second later it is as far behind, and moved on.
    s.await_frames("replay playing", RATE)
    later = s.view("playing")
    replayed2, _, behind2 = check_offset(later, later.name)
    W.check(W.number_behind(replayed2, replayed) > 0,
            f"the replay stands still: frame {replayed}, then {replayed2} a second later")
    W.check(abs(behind2 - behind) <= SLACK, f"the replay drifts from live at speed 1: "
            f"{behind} frames behind, then {behind2}")
    check_badge(later)

    # Pause: the frame stays while live moves on.
    reply = s.accept(f"replay 1 {REPLAY_TILE} pause", r"\bpaused=yes\b")
    W.check(speed_of(reply) == 1.0, f"pause: {reply!r}")
    paused = s.view("paused")
    frame = paused.number(REPLAY_TILE)
    s.await_frames("paused")
    still = s.view("paused")
    W.check(still.number(REPLAY_TILE) == frame,
            f"paused, tile {REPLAY_TILE} went from frame {frame} to {still.number(REPLAY_TILE)}")
    W.check(W.number_behind(still.number(LIVE_TILE), paused.number(LIVE_TILE)) > 0,
            f"the live tile did not move on: {paused.number(LIVE_TILE)}, "
            f"{still.number(LIVE_TILE)}")
    W.check(state(still.tiles, REPLAY_TILE) == "replay", f"paused: {W.tile_summary(still.tiles)}")
    W.log(f"paused on frame {frame} while live went {paused.number(LIVE_TILE)} -> "
          f"{still.number(LIVE_TILE)}")

    # Step: one frame on (at least one, at most a GOP), and stays there.
    for _ in range(2):
        s.accept(f"replay 1 {REPLAY_TILE} step", r"\bpaused=yes\b")
        stepped = s.await_view("step", lambda v: v.maybe_number(REPLAY_TILE) not in (None, frame),
                               f"step: tile {REPLAY_TILE} leaves frame {frame}")
        now = stepped.number(REPLAY_TILE)
        W.check(1 <= W.number_behind(now, frame) <= GOP,
                f"step went from frame {frame} to {now}, expected 1 to {GOP} frames on")
        s.await_frames("stepped")
        again = s.view("stepped")
        W.check(again.number(REPLAY_TILE) == now,
                f"after a step, paused, tile {REPLAY_TILE} went from frame {now} to "
                f"{again.number(REPLAY_TILE)}")
        W.log(f"step: frame {frame} -> {now}")
        frame = now

    # Play again: it moves on.
    s.accept(f"replay 1 {REPLAY_TILE} play", r"\bpaused=no\b")
    playing = s.await_view("play", lambda v: v.maybe_number(REPLAY_TILE) not in (None, frame),
                           f"play: tile {REPLAY_TILE} leaves frame {frame}")
    W.check(W.number_behind(playing.number(REPLAY_TILE), frame) > 0,
            f"play went back from frame {frame} to {playing.number(REPLAY_TILE)}")

    # Faster: over the same live frames the replay advances more; slower
    # takes the speed down again.
    reply = s.accept(f"replay 1 {REPLAY_TILE} faster", r"\bpaused=no\b")
    fast = speed_of(reply)
    W.check(fast > 1.0, f"faster: speed {fast}")
    start = s.view("faster")
    r0, l0, _ = behind_live(start)
    s.await_frames("faster", RATE)
    end = s.view("faster")
    r1, l1, _ = behind_live(end)
    gained = W.number_behind(r1, r0) - W.number_behind(l1, l0)
    W.check(gained > SLACK, f"at speed {fast} the replay went {r0} -> {r1} while live went "
            f"{l0} -> {l1}: it did not gain on live")
    W.log(f"speed {fast}: replay {r0} -> {r1}, live {l0} -> {l1}")
    reply = s.accept(f"replay 1 {REPLAY_TILE} slower", r"\bpaused=no\b")
    W.check(speed_of(reply) < fast, f"slower after speed {fast}: {reply!r}")

    # Live: the tile shows the feed again, no badge.
    s.accept(f"replay 1 {REPLAY_TILE} live", r"^live\b")
    s.wall.wait_tiles(lambda t: state(t, REPLAY_TILE) == "live",
                      f"tile {REPLAY_TILE} is live again", TIMEOUT)
    view = s.view("live-again")
    a, b = view.number(REPLAY_TILE), view.number(LIVE_TILE)
    W.check(abs(W.number_behind(b, a)) <= SLACK,
            f"back live, tile {REPLAY_TILE} shows frame {a}, tile {LIVE_TILE} {b}")
    W.check(view.badges() == [], f"back live, plates still list {view.badges()}")
    W.check(view.picture.count(badge, is_amber) == 0,
            f"back live, the badge's place {badge} is still amber")
    W.log(f"live again: tiles {REPLAY_TILE} and {LIVE_TILE} show {a} and {b}")


def export_lines(audit, path=None):
    """The audit's action=export lines (line number from 1, fields), those
    naming `path` when given."""
    if not os.path.exists(audit):
        return []
    found = []
    for number, (_, fields) in enumerate(W.read_audit(audit), 1):
        if fields.get("action") == "export" and (path is None or fields.get("file") == path):
            found.append((number, fields))
    return found


def await_export(wall, audit, path):
    """The audit line of the export to `path`, once it is written."""
    def written():
        wall.check_running()
        lines = export_lines(audit, path)
        return lines[0] if lines else None

    line = W.wait_until(written, f"the audit has the action=export line of {path}", TIMEOUT,
                        describe=lambda: f"export lines: {export_lines(audit)}")
    W.check(len(export_lines(audit, path)) == 1,
            f"more than one export line for {path}: {export_lines(audit, path)}")
    W.log(f"audit line {line[0]}: {line[1]}")
    return line


def check_export_line(fields, path, what):
    W.check(fields.get("result") == "done", f"{what}: result={fields.get('result')} "
            f"(reason={fields.get('reason')!r}), expected done")
    for field, want in (("source", "socket"), ("output", OUTPUT), ("tile", str(REPLAY_TILE)),
                        ("camera", str(CAMERA)), ("name", NAME), ("file", path)):
        W.check(fields.get(field) == want,
                f"{what}: {field}={fields.get(field)!r}, expected {want!r}: {fields}")
    W.check(os.path.isfile(path), f"{what}: no file at {path}")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    W.check(fields.get("sha256") == digest,
            f"{what}: sha256={fields.get('sha256')}, the file's is {digest}")
    W.check(fields.get("bytes") == str(os.path.getsize(path)),
            f"{what}: bytes={fields.get('bytes')}, the file has {os.path.getsize(path)}")
    W.check(re.fullmatch(r"\d+(\.\d+)?", fields.get("seconds", "")),
            f"{what}: seconds={fields.get('seconds')!r}")
    return float(fields["seconds"])


def probe(path):
    return json.loads(W.run_tool(["ffprobe", "-v", "error", "-show_format", "-show_streams",
                                  "-of", "json", path]))


def parse_iso(text, what):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise W.Failure(f"{what}: {text!r} is not an ISO 8601 time")


def check_mp4(path, seconds, started, asked, what):
    """ffprobe's view of an exported file; returns its duration."""
    info = probe(path)
    fmt = info["format"]
    W.check("mp4" in fmt.get("format_name", "").split(","),
            f"{what}: ffprobe reads format {fmt.get('format_name')!r}, not mp4")
    video = [st for st in info["streams"] if st.get("codec_type") == "video"]
    W.check(len(video) == 1 and video[0].get("codec_name") == "h264" and
            (video[0].get("width"), video[0].get("height")) == (CLIP_W, CLIP_H),
            f"{what}: expected one h264 {CLIP_W}x{CLIP_H} video stream: {info['streams']}")
    duration = float(fmt["duration"])
    W.check(abs(duration - seconds) <= 2 / RATE + 0.01,
            f"{what}: ffprobe says {duration:.3f} s, the audit line seconds={seconds}")
    tags = fmt.get("tags", {})
    W.log(f"{what}: {duration:.3f} s, tags {tags}")
    for tag, want in (("camera", str(CAMERA)), ("name", NAME), ("zone", ZONE)):
        W.check(tags.get(tag) == want, f"{what}: tag {tag}={tags.get(tag)!r}, expected "
                f"{want!r}; tags: {tags}")
    W.check("creation_time" in tags, f"{what}: no creation_time tag: {tags}")
    start = parse_iso(tags.get("start", ""), f"{what}: tag start")
    W.check(start.tzinfo is not None, f"{what}: tag start {tags['start']!r} has no time zone")
    W.check(started - 1 <= start.timestamp() <= asked + 1,
            f"{what}: tag start {tags['start']} is not between the wall's start "
            f"({time.ctime(started)}) and the export ({time.ctime(asked)})")
    return duration


def check_frames(path, live, what):
    """Every frame of the export, decoded: consecutive numbers, a key frame
    first, reaching at least `live` (shown when the export was asked for).
    Returns the numbers."""
    numbers = W.clip_numbers(path)
    W.check(numbers, f"{what}: no frame decoded")
    gaps = [(a, b) for a, b in zip(numbers, numbers[1:]) if W.number_behind(b, a) != 1]
    W.check(not gaps, f"{what}: frames not one after the other (a, then b): {gaps[:10]}")
    W.check(numbers[0] % GOP == 0, f"{what}: starts with frame {numbers[0]}, not a key frame "
            f"(one every {GOP})")
    W.check(W.number_behind(numbers[-1], live) >= 0,
            f"{what}: ends with frame {numbers[-1]}, before frame {live} that was live when "
            f"the export was asked for")
    W.log(f"{what}: frames {numbers[0]} to {numbers[-1]}, none missing")
    return numbers


def check_export(s, audit, evidence, started):
    live = s.view("export").number(LIVE_TILE)
    asked = time.time()
    reply = s.accept(f"export 1 {REPLAY_TILE} {EXPORT}", r"^export file=/\S+\.mp4$")
    path = reply[len("export file="):]
    W.check(os.path.commonpath([os.path.realpath(path), os.path.realpath(evidence)]) ==
            os.path.realpath(evidence),
            f"the export goes to {path}, not into the evidence directory {evidence}")
    number, fields = await_export(s.wall, audit, path)
    seconds = check_export_line(fields, path, f"audit line {number}")
    # The last EXPORT s of the ring, from a key frame (one a second): EXPORT
    # s give or take a GOP.
    W.check(abs(seconds - EXPORT) <= GOP / RATE + 2 / RATE,
            f"export of the last {EXPORT} s: seconds={seconds}")
    check_mp4(path, seconds, started, asked, os.path.basename(path))
    numbers = check_frames(path, live, os.path.basename(path))
    W.check(abs(len(numbers) - EXPORT * RATE) <= GOP + 2,
            f"export of the last {EXPORT} s holds {len(numbers)} frames")
    return path, number


def check_export_follow(s, audit, started):
    asked = time.time()
    reply = s.accept(f"export 1 {REPLAY_TILE} 2 600", r"^export file=/\S+\.mp4$")
    live = s.view("follow").number(LIVE_TILE)
    path = reply[len("export file="):]
    W.wait_until(lambda: s.wall.stats()["replay"].get("exports") == 1,
                 "stats counts the running export", TIMEOUT,
                 describe=lambda: str(s.wall.stats().get("replay")))
    s.await_frames("export following", RATE)
    s.accept(f"export 1 {REPLAY_TILE} stop", r"")
    number, fields = await_export(s.wall, audit, path)
    seconds = check_export_line(fields, path, f"audit line {number} (stopped)")
    W.check(2 - GOP / RATE <= seconds < 600, f"stopped export: seconds={seconds}")
    check_mp4(path, seconds, started, asked, os.path.basename(path))
    numbers = check_frames(path, live, os.path.basename(path))
    W.check(W.number_behind(numbers[-1], live) >= RATE - SLACK,
            f"the export that follows ends with frame {numbers[-1]}: it did not record the "
            f"{RATE} frames shown after frame {live}")
    W.wait_until(lambda: s.wall.stats()["replay"].get("exports") == 0,
                 "stats counts no running export", TIMEOUT,
                 describe=lambda: str(s.wall.stats().get("replay")))


def await_ring(wall, seconds):
    seen = {}

    def poll():
        seen["stats"] = wall.stats()
        W.check("replay" in seen["stats"], "stats has no `replay` object (a wall without "
                f"instant replay?): {str(seen['stats'])[:300]}")
        feed = W.feeds_by_camera(seen["stats"]).get(CAMERA, {})
        return seen["stats"] if feed.get("ring_seconds", 0) >= seconds else None

    def describe():
        feed = W.feeds_by_camera(seen["stats"]).get(CAMERA, {})
        return (f"camera {CAMERA}: {feed.get('state')} ring_seconds={feed.get('ring_seconds')} "
                f"ring_bytes={feed.get('ring_bytes')}; replay {seen['stats'].get('replay')}")

    return W.wait_until(poll, f"camera {CAMERA}'s ring holds {seconds} s", RING_TIMEOUT,
                        describe=describe)


def both_live(tiles):
    return state(tiles, REPLAY_TILE) == "live" and state(tiles, LIVE_TILE) == "live"


def run_replay(tmp, server, port, audit, evidence):
    config = write(tmp, "replay.cfg", server, port, evidence)
    started = time.time()
    with W.start_live_wall(config, tmp, extra=["--audit", audit],
                           reply_timeout=REPLY_TIMEOUT) as wall:
        wall.wait_tiles(both_live, f"tiles {REPLAY_TILE} and {LIVE_TILE} are live", TIMEOUT)
        stats = await_ring(wall, PRE_ROLL)
        check_stats(stats)
        s = Session(wall, tmp)
        check_refusals(s, W.feeds_by_camera(stats)[CAMERA]["ring_seconds"])
        check_replay(s)
        exported = check_export(s, audit, evidence, started)
        check_export_follow(s, audit, started)
        stats = wall.stats()
        W.check(stats["replay"].get("dropped") == 0, f"stats replay: {stats['replay']}")
        ring = W.feeds_by_camera(stats)[CAMERA]["ring_seconds"]
        W.check(ring <= REPLAY_SECONDS + GOP / RATE,
                f"camera {CAMERA}'s ring holds {ring} s, configured {REPLAY_SECONDS}")
        wall.stop()
    return exported


def run_unwritable(tmp, server, port, audit):
    """An export into a directory the wall cannot write: result=failed, no
    file, the wall goes on."""
    if os.geteuid() == 0:
        # root writes into a 0500 directory: a path under a regular file
        # cannot be a directory for anyone.
        blocker = os.path.join(tmp, "afile")
        with open(blocker, "w") as f:
            f.write("a regular file\n")
        directory = os.path.join(blocker, "evidence")
    else:
        blocker = None
        directory = os.path.join(tmp, "locked")
        os.mkdir(directory)
        os.chmod(directory, 0o500)
    config = write(tmp, "replay-unwritable.cfg", server, port, directory)
    try:
        with W.start_live_wall(config, tmp, extra=["--audit", audit],
                               reply_timeout=REPLY_TIMEOUT) as wall:
            wall.wait_tiles(both_live, f"tiles {REPLAY_TILE} and {LIVE_TILE} are live", TIMEOUT)
            await_ring(wall, 2)
            s = Session(wall, tmp)
            reply = s.accept(f"export 1 {REPLAY_TILE} 2", r"^export file=/\S+\.mp4$")
            path = reply[len("export file="):]
            number, fields = await_export(wall, audit, path)
            W.check(fields.get("result") == "failed" and fields.get("reason"),
                    f"audit line {number}: an export into {directory}: expected result=failed "
                    f"with a reason: {fields}")
            W.check("sha256" not in fields, f"audit line {number}: a failed export with a "
                    f"sha256: {fields}")
            W.check(not os.path.exists(path), f"the failed export left {path}")
            if blocker:
                W.check(os.path.isfile(blocker), f"{blocker} is no longer a regular file")
            else:
                W.check(os.listdir(directory) == [],
                        f"the failed export left {os.listdir(directory)} in {directory}")
            W.log(f"unwritable {directory}: {fields.get('reason')!r}")
            tiles = wall.tiles()
            W.check(both_live(tiles), f"after the failed export: {W.tile_summary(tiles)}")
            W.wait_until(lambda: wall.stats()["replay"].get("exports") == 0,
                         "stats counts no running export", TIMEOUT)
            s.await_frames("after the failed export")
            wall.stop()
    finally:
        if not blocker:
            os.chmod(directory, 0o700)


def run_camera_drop(tmp, clip, port):
    """A camera that drops while an export follows it: what was written up to
    the drop is kept as NAME-partial.mp4, the audit line says result=failed
    with the reason and the partial file's hash, and the wall goes on."""
    audit = os.path.join(tmp, "audit-drop.log")
    evidence = os.path.join(tmp, "evidence-drop")
    with contextlib.ExitStack() as camera:
        server = camera.enter_context(W.start_rtsp_server({"numbered": clip}))
        config = write(tmp, "replay-drop.cfg", server, port, evidence)
        with W.start_live_wall(config, tmp, extra=["--audit", audit, "--io-timeout", "2500"],
                               reply_timeout=REPLY_TIMEOUT) as wall:
            wall.wait_tiles(both_live, f"tiles {REPLAY_TILE} and {LIVE_TILE} are live", TIMEOUT)
            await_ring(wall, 2)
            s = Session(wall, tmp)
            reply = s.accept(f"export 1 {REPLAY_TILE} 2 on", r"^export file=/\S+\.mp4$")
            path = reply[len("export file="):]
            partial = path[:-len(".mp4")] + "-partial.mp4"
            camera.close()  # the camera drops with the export under way
            number, fields = await_export(wall, audit, partial)
            W.check(fields.get("result") == "failed" and fields.get("reason"),
                    f"audit line {number}: the camera dropped: expected result=failed with a "
                    f"reason: {fields}")
            W.check(os.path.isfile(partial) and not os.path.exists(path),
                    f"after the drop: {partial} should exist and {path} not: "
                    f"{os.listdir(evidence)}")
            with open(partial, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            W.check(fields.get("sha256") == digest,
                    f"audit line {number}: sha256 {fields.get('sha256')}, the file's {digest}")
            probe = W.run_tool(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                                "-of", "json", partial])
            seconds = float(json.loads(probe)["format"]["duration"])
            W.check(seconds >= 2, f"{partial} holds {seconds} s, at least the 2 s of pre-roll")
            W.log(f"camera dropped during an export: {fields.get('reason')!r}, {seconds:.1f} s "
                  f"kept in {os.path.basename(partial)}")
            tiles = wall.tiles()
            W.check(state(tiles, LIVE_TILE) in ("no-signal", "reconnecting", "stale"),
                    f"the camera is gone, yet: {W.tile_summary(tiles)}")
            wall.stop()
    status, output = verify(audit)
    W.check(status == 0, f"--verify-audit after the drop: exit {status}:\n{output}")


def verify(audit):
    """`wall --verify-audit AUDIT`: (exit status, stdout and stderr)."""
    result = W.run_wall(["--verify-audit", audit], timeout=60)
    return result.returncode, result.stdout + result.stderr


def named_line(output, path):
    match = re.search(re.escape(path) + r":(\d+): \S", output)
    return int(match.group(1)) if match else None


def flip(path, offset):
    """Changes the byte at offset of a file (returns the old one)."""
    with open(path, "r+b") as f:
        f.seek(offset)
        old = f.read(1)
        f.seek(offset)
        f.write(bytes([old[0] ^ 0x01]))
    return old


def check_audit(tmp, audit, export_path, export_line):
    breaks = W.audit_chain_breaks(audit)
    W.check(not breaks, f"the audit's hash chain breaks (line, why): {breaks}")
    entries = W.read_audit(audit)
    W.check(len(entries) >= 3, f"the audit has {len(entries)} lines")
    results = [fields.get("result") for _, fields in export_lines(audit)]
    W.check(results == ["done", "done", "failed"],
            f"the audit's export lines say {results}, expected done, done (stopped), failed: "
            "one line per export that ran, none for the refused ones")
    W.log(f"audit: {len(entries)} lines, chained across the restart")

    status, output = verify(audit)
    W.check(status == 0 and output.strip(),
            f"--verify-audit on the wall's own audit: exit {status}, expected 0 and a "
            f"summary:\n{output}")

    # One byte of a line (not the last) changed, in a copy: the chain
    # breaks at that line (its own prev=) or the next (whose prev= hashes it).
    with open(audit, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    target = len(lines) // 2  # from 1: a line with a successor
    start = sum(len(line) for line in lines[:target - 1])
    middle = start + len(lines[target - 1]) // 2
    text = b"".join(lines)
    while not chr(text[middle]).isalnum():
        middle += 1
    tampered = os.path.join(tmp, "tampered", "audit.log")
    os.makedirs(os.path.dirname(tampered))
    shutil.copyfile(audit, tampered)
    flip(tampered, middle)
    status, output = verify(tampered)
    line = named_line(output, tampered)
    W.check(status == 1 and line in (target, target + 1),
            f"--verify-audit on a copy with a byte of line {target} changed: exit {status}, "
            f"expected 1 naming {tampered}:{target} or :{target + 1}:\n{output}")
    W.log(f"a changed byte in line {target}: {output.strip().splitlines()[0]}")

    # One byte of the exported file changed: the export's line is named.
    size = os.path.getsize(export_path)
    flip(export_path, size // 2)
    try:
        status, output = verify(audit)
        W.check(status == 1 and named_line(output, audit) == export_line,
                f"--verify-audit with a byte of {export_path} changed: exit {status}, expected "
                f"1 naming {audit}:{export_line}:\n{output}")
        W.log(f"a changed byte in the MP4: {output.strip().splitlines()[0]}")
    finally:
        flip(export_path, size // 2)
    status, output = verify(audit)
    W.check(status == 0, f"--verify-audit once the MP4 is restored: exit {status}:\n{output}")


def run(tmp):
    clip = W.make_clip(os.path.join(tmp, "numbered.ts"), W.numbered_source(CLIP_W, CLIP_H, RATE),
                       rate=RATE, duration=CLIP_SECONDS)
    # The tool this test measures with, on this clip: chosen frames scaled
    # to the tile's picture size read back as their numbers.
    _, _, pw, ph = picture_rect(REPLAY_TILE)
    for frame in (0, BACK * RATE + 7, 2047, CLIP_SECONDS * RATE - 1):
        png = W.extract_frame(clip, frame, os.path.join(tmp, f"frame{frame}.png"), (pw, ph))
        number = W.read_number(W.read_png(png), (0, 0, pw, ph), f"frame {frame}")
        W.check(number == frame, f"frame {frame} of the clip, at {pw}x{ph}, reads {number}")
    audit = os.path.join(tmp, "audit.log")
    evidence = os.path.join(tmp, "evidence")
    with W.start_rtsp_server({"numbered": clip}) as server, W.refused_port() as port:
        export_path, export_line = run_replay(tmp, server, port, audit, evidence)
        run_unwritable(tmp, server, port, audit)
    check_audit(tmp, audit, export_path, export_line)
    with W.refused_port() as port:
        run_camera_drop(tmp, clip, port)


if __name__ == "__main__":
    W.main(run)
