#!/usr/bin/python3
"""Joining a camera mid-GOP never shows garbage: a tile shows a slate until
its feed has a clean picture, then the picture.

A camera's stream starts wherever its encoder is when the wall connects:
usually P frames that refer to pictures the wall never got. Decoded, they
are grey or smeared garbage (FFmpeg's HEVC decoder makes the missing
pictures grey) until the next key frame. The wall must not show them.

Clips: 640x360, 12 s, 25 fps, four saturated colour bars (red, green,
blue, yellow) with a moving test pattern below them (so P frames carry
data), a key frame every 100 frames (4 s, no scene cut, no B-frames),
BT.601 limited range, tagged. One H.264 (libx264), one H.265 (libx265),
and one H.264 with periodic intra refresh (x264 --intra-refresh): after
its first frame it never sends an IDR or any I frame (the test checks),
only recovery points, so its tile can come up only if the wall honours
them.
tests/rtsp_server.py serves them with `--join NAME=40`: every client's
stream starts 40 frames into the file, so it gets 60 P frames (2.4 s),
then the next key frame. The test first checks the server does that (a
client's first packets are not key frames; the first key frame is the
61st packet) and that it can tell garbage from the bars: the first frame
FFmpeg's decoders give from each mount (H.264 with +showall: as a decoder
that shows everything would) is not the bars by the test's pixel check.

A live wall (1x3 tiles of 642x480, --io-timeout 5000: a connection has 5 s,
a stream without a clean picture 20 s, room for the 2.4 s of P frames)
shows all three. From its start, as fast as it answers, the test samples it:
`stats`, `tiles`, `snapshot`, `stats` sent in one write (the wall answers
them between two frames: `tiles` says what the snapshot's canvas shows).
Each tile of each snapshot is one of: the bars (36 points, 9 in each
bar away from its edges, each within 10 per channel of FFmpeg's BT.601
limited reading of the clip), the CONNECTING slate, the NO SIGNAL slate,
or something else. In every sample:
- something else is a failure (garbage, grey, a half-decoded picture);
- a tile `tiles` calls live (or stale or reduced) shows the bars,
  `connecting` the CONNECTING slate, `no-signal`/`reconnecting` the NO
  SIGNAL slate;
- a feed that `stats` calls "connecting" (or does not list yet) before
  and after the snapshot shows no picture, only a slate. (`stats` reads
  the feed as it is now, up to a frame ahead of the canvas: a feed just
  gone live or no-signal may still show what it showed before, so those
  are checked through `tiles`.)
Failures are collected and reported per camera and kind, with how many
samples and when (the first snapshots that failed are kept).
1. Join: sampled until every feed is live, every tile live and each feed
   decoded 110 more frames (past the next key frame: a whole GOP) since
   `stats` first called it live. Each feed's states, in order, are
   "connecting" then "live", nothing else; codecs h264, hevc and h264.
   Stats' frames_held (pictures decoded before a clean start, not shown):
   more than 0 for H.265 (its grey pictures), 0 for both H.264 cameras
   (the first picture H.264's decoder gives, after an IDR or a completed
   recovery, is shown: a wall waiting for a key frame there would hold
   the intra-refresh camera's recovered pictures back a whole cycle).
2. The server stops (SIGTERM), sampled until every feed are "no-signal";
   a new server starts on the same port (its clients join mid-GOP again);
   sampled until all are live again as in 1. Each feed's states since the
   stop are: "live", then "no-signal" (with "connecting" allowed between
   reconnection attempts), then "live" to the end; each reconnected.
Orders of states, never times, are asserted; the waits are failure guards.
"""

import json
import os
import re
import shutil
import subprocess
import time

import walltest as W

WIDTH, HEIGHT, GAP = 1942, 488, 4  # three 642x480 tiles
CLIP_W, CLIP_H, RATE, GOP, SECONDS = 640, 360, 25, 100, 12
JOIN = 40  # frames into the file: 60 P frames (2.4 s), then a key frame
IO_TIMEOUT_MS = 5000
BARS = [(220, 40, 40), (40, 200, 60), (50, 70, 220), (230, 220, 40)]
TOLERANCE = 10  # per channel: a correct decode is within 2-3; grey is 90 off
MORE_FRAMES = GOP + 10  # decoded after live: past the next key frame
START_TIMEOUT = 40  # s: connect (5) + first clean picture (4 x 5), with slack
DOWN_TIMEOUT = 20  # s: the stop is seen at once, or after the io timeout
RETURN_TIMEOUT = 90  # s: reconnect back-off (up to 30 s) + connect + picture
KEEP_BAD = 5  # snapshots of failed samples kept in the scratch directory

CAMERAS = [(1301, "Barras H.264", "join/h264", "h264"),
           (1302, "Barras H.265", "join/h265", "hevc"),
           (1303, "Barras H.264 intra refresh", "join/h264ir", "h264")]
INTRA_REFRESH = "join/h264ir"  # the mount whose clip refreshes instead of IDRs
PICTURE_STATES = {"live", "stale", "reduced"}
NOT_STARTED = "(not started)"  # a feed not in stats yet
CONNECTING = {"connecting", NOT_STARTED}
SLATE_FOR_TILE = {"connecting": "connecting", "no-signal": "no-signal",
                  "reconnecting": "no-signal"}


def make_clip(tmp, codec, bars_png, intra_refresh=False):
    """The bars with a moving pattern below them, a key frame every GOP (with
    intra_refresh: a recovery point every GOP, and no IDR but the first)."""
    ext = ("264" if codec == "libx264" else "265") + ("ir" if intra_refresh else "")
    path = os.path.join(tmp, f"bars{ext}.ts")
    graph = (f"[0:v]fps={RATE}[bars];[1:v]format=rgb24[moving];"
             f"[bars][moving]overlay=x='mod(t*100\\,{CLIP_W - 128})':y=285:shortest=1,"
             "format=rgb24,scale=out_color_matrix=bt601:out_range=tv:"
             "flags=accurate_rnd+full_chroma_int+bitexact,format=yuv420p,setsar=1")
    argv = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-loop", "1", "-framerate", str(RATE), "-i", bars_png,
            "-f", "lavfi", "-i", f"testsrc2=size=128x64:rate={RATE}",
            "-filter_complex", graph, "-t", str(SECONDS), "-an",
            "-c:v", codec, "-preset", "veryfast", "-crf", "18", "-bf", "0",
            "-g", str(GOP), "-keyint_min", str(GOP), "-sc_threshold", "0",
            "-colorspace", "smpte170m", "-color_primaries", "smpte170m",
            "-color_trc", "smpte170m", "-color_range", "tv"]
    if codec == "libx265":
        argv += ["-x265-params", "log-level=error:scenecut=0:open-gop=0"]
    if intra_refresh:
        argv += ["-intra-refresh", "1"]
    argv += ["-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", path]
    W.run_tool(argv, what=f"ffmpeg making {os.path.basename(path)}")
    return path


def key_frames(path):
    """Indexes of the key frames of a clip."""
    out = W.run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                      "packet=flags", "-of", "csv=p=0", path]).decode()
    flags = [line for line in out.splitlines() if line.strip()]
    return [i for i, f in enumerate(flags) if f.startswith("K")], len(flags)


class Bars:
    """Where the bars are in the clip, what FFmpeg decodes there, and where
    those points land in a tile."""

    def __init__(self, clip):
        frame = W.RgbFrame(clip, "bt601", False)
        self.points = []  # (source x, source y, expected rgb)
        bar_w = CLIP_W // len(BARS)
        for i in range(len(BARS)):
            for dx in (-bar_w // 4, 0, bar_w // 4):
                for fy in (0.2, 0.4, 0.6):
                    x, y = i * bar_w + bar_w // 2 + dx, int(CLIP_H * fy)
                    self.points.append((x, y, frame.pixel(x, y)))
        for (x, y, rgb) in self.points:
            bar = BARS[x * len(BARS) // CLIP_W]
            W.check(W.rgb_close(rgb, bar, TOLERANCE),
                    f"test setup: FFmpeg decodes ({x},{y}) of {clip} as {rgb}, "
                    f"not the bar colour {bar}")

    def matches(self, pixel_at):
        """(True, None) when every point is within TOLERANCE, else (False,
        the worst point: (x, y, got, expected))."""
        worst, worst_off = None, -1
        for (x, y, want) in self.points:
            got = pixel_at(x, y)
            off = max(abs(a - b) for a, b in zip(got, want))
            if off > worst_off:
                worst, worst_off = (x, y, got, want), off
        return worst_off <= TOLERANCE, worst


def tile_mapper(rect):
    """pixel_at for a snapshot: a source pixel of the clip to the canvas."""
    pic = W.fit_rect(rect, CLIP_W, CLIP_H)
    safe = W.safe_area(rect)

    def to_canvas(x, y):
        px = pic[0] + int((x + 0.5) * pic[2] / CLIP_W)
        py = pic[1] + int((y + 0.5) * pic[3] / CLIP_H)
        W.check(safe[0] <= px < safe[0] + safe[2] and safe[1] <= py < safe[1] + safe[3],
                f"test geometry: sample ({px},{py}) outside the safe area {safe}")
        return px, py
    return to_canvas


def classify(picture, rect, bars):
    """What a tile shows: ("bars" | "connecting" | "no-signal" | "other", detail)."""
    to_canvas = tile_mapper(rect)
    ok, worst = bars.matches(lambda x, y: picture.pixel(*to_canvas(x, y)))
    if ok:
        return "bars", max(abs(a - b) for a, b in zip(worst[2], worst[3]))
    slate = picture.pixel(*W.slate_point(rect))
    if W.rgb_close(slate, W.SLATE_CONNECTING):
        return "connecting", ""
    if W.rgb_close(slate, W.SLATE_NO_SIGNAL):
        return "no-signal", ""
    x, y, got, want = worst
    cx, cy = to_canvas(x, y)
    return "other", (f"clip point ({x},{y}) at ({cx},{cy}) is {got} {W.rgb_hex(got)}, "
                     f"expected {want} {W.rgb_hex(want)} within {TOLERANCE}; "
                     f"{W.slate_point(rect)} is {slate}, no slate")


# --------------------------------------------------------------------------
# The server joins mid-GOP, and the test can tell


def check_join(url, codec_name, bars):
    """A client's first packets are P frames, the first key frame is packet
    GOP - JOIN + 1; the first frame FFmpeg decodes (showing everything) is
    not the bars."""
    probe = subprocess.Popen(
        ["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-i", url, "-select_streams",
         "v:0", "-show_entries", "packet=flags", "-read_intervals", f"%+#{GOP - JOIN + 5}",
         "-of", "csv=p=0"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    raw = W.run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                      "-rtsp_transport", "tcp", "-flags2", "+showall", "-i", url,
                      "-vf", "scale=in_color_matrix=bt601:in_range=tv:"
                      "flags=accurate_rnd+full_chroma_int+bitexact,format=rgb24",
                      "-frames:v", "1", "-f", "rawvideo", "-"], timeout=60,
                     what=f"ffmpeg decoding the first frame of {url}")
    try:
        out, err = probe.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        W.stop_process(probe)
        raise W.Failure(f"test setup: ffprobe of {url} took more than 60 s")
    W.check(probe.returncode == 0, f"test setup: ffprobe {url} failed: {err.decode()[-500:]}")
    flags = [line for line in out.decode().splitlines() if line.strip()]
    keys = [i for i, f in enumerate(flags) if f.startswith("K")]
    W.log(f"  {url}: {len(flags)} packets read, key frames at packets {keys}")
    W.check(keys and keys[0] == GOP - JOIN,
            f"test setup: {url}: the first key frame is packet {keys[:1]} (0-based) of "
            f"{len(flags)}, expected {GOP - JOIN}: the server does not join mid-GOP")
    W.check(len(raw) >= CLIP_W * CLIP_H * 3, f"test setup: no frame decoded from {url}")

    def pixel_at(x, y):
        offset = (y * CLIP_W + x) * 3
        return tuple(raw[offset:offset + 3])

    ok, worst = bars.matches(pixel_at)
    W.check(not ok, f"test cannot tell: the first frame FFmpeg's {codec_name} decoder "
            f"gives of {url}, joined mid-GOP, passes the bars check")
    W.log(f"  {url}: FFmpeg's first frame ({codec_name}, +showall) fails the bars check "
          f"as it should: point ({worst[0]},{worst[1]}) is {worst[2]}, "
          f"the bars {worst[3]}")


# --------------------------------------------------------------------------
# Sampling the wall


def ok_json(reply, what):
    W.check(reply.startswith("OK "), f"control `{what}`: expected OK, got {reply[:300]!r}")
    try:
        return json.loads(reply[3:])
    except json.JSONDecodeError as error:
        raise W.Failure(f"control `{what}`: the reply is not JSON ({error}): {reply[:300]}")


class Sampler:
    """Samples the wall; keeps each feed's states and the failures."""

    def __init__(self, tmp, wall, rects, bars):
        self.tmp, self.wall, self.rects, self.bars = tmp, wall, rects, bars
        self.path = os.path.join(tmp, "sample.png")
        self.began = time.monotonic()
        self.count = 0
        self.failures = []
        self.states = {number: [] for number, *_ in CAMERAS}  # stats states, deduped
        self.seen = {}  # camera -> (stats state, tile state, shows): last logged
        self.last = None
        self.phase = "joining"
        self.bars_worst = 0  # the furthest a tile showing the bars was from FFmpeg

    def fail(self, number, kind, message):
        """Record a failed check; the first snapshots that failed are kept."""
        index = len(self.failures)
        kept = ""
        if index < KEEP_BAD:
            kept_path = os.path.join(self.tmp, f"bad-{index + 1}.png")
            shutil.copyfile(self.path, kept_path)
            kept = f" [{os.path.basename(kept_path)}]"
        self.failures.append((number, f"{self.phase}: {kind}", self.count,
                              time.monotonic() - self.began, message + kept))

    def summary(self):
        """One line per camera and kind of failure: how many samples, when,
        the first one's details."""
        groups = {}
        for number, kind, count, at, message in self.failures:
            groups.setdefault((number, kind), []).append((count, at, message))
        lines = []
        for (number, kind), items in groups.items():
            first, last = items[0], items[-1]
            lines.append(f"camera {number}: {kind} in {len(items)} samples (sample {first[0]} "
                         f"at {first[1]:.2f} s to sample {last[0]} at {last[1]:.2f} s), "
                         f"first: {first[2]}")
        return lines

    def sample(self):
        """One sample; returns {camera: (feed stats after, tile state, shows)}."""
        self.wall.check_running()
        replies = self.wall.control.commands(["stats", "tiles", f"snapshot {self.path}",
                                              "stats"])
        before = W.feeds_by_camera(ok_json(replies[0], "stats"))
        tiles = {t.get("camera"): t.get("state") for t in ok_json(replies[1], "tiles")}
        W.check(replies[2] == f"OK {self.path}", f"control `snapshot`: {replies[2][:300]!r}")
        after = W.feeds_by_camera(ok_json(replies[3], "stats"))
        self.count += 1
        picture = W.read_snapshot(self.path, WIDTH, HEIGHT)
        result = {}
        for (number, *_), rect in zip(CAMERAS, self.rects):
            W.check(number in tiles, f"camera {number} missing from `tiles`: {tiles}")
            # A feed the wall has not started yet is not in stats at all.
            was, now, tile = (before.get(number, {}).get("state", NOT_STARTED),
                              after.get(number, {}).get("state", NOT_STARTED), tiles[number])
            shows, detail = classify(picture, rect, self.bars[number])
            if shows == "bars":
                self.bars_worst = max(self.bars_worst, detail)
            for state in (was, now):
                if state != NOT_STARTED and (not self.states[number]
                                             or self.states[number][-1] != state):
                    self.states[number].append(state)
            self.check(number, was, now, tile, shows, detail)
            key = (now, tile, shows)
            if self.seen.get(number) != key:
                self.seen[number] = key
                W.log(f"  {time.monotonic() - self.began:6.2f} s sample {self.count:4d} "
                      f"camera {number}: stats {was}->{now}, tile {tile}, shows {shows} "
                      f"(decoded {after.get(number, {}).get('frames_decoded')})")
            result[number] = (after.get(number, {"state": NOT_STARTED}), tile, shows)
        self.last = result
        return result

    def check(self, number, was, now, tile, shows, detail):
        """The rules of one tile in one sample. `tiles` and the snapshot are
        the same frame; `stats` is the feed now, which may be a frame ahead
        of the canvas (live before its picture is drawn, no-signal while the
        last picture is still up), so it is only held against the canvas
        where no such lag can explain a difference: a feed "connecting"
        before and after has had no picture to draw since it connected."""
        states = f"stats {was}->{now}, tile {tile}"
        if shows == "other":
            self.fail(number, "garbage (neither the bars nor a slate)", f"{states}: {detail}")
            return
        if tile in PICTURE_STATES and shows != "bars":
            self.fail(number, f"tile {tile} without the picture",
                      f"{states}: it shows the {shows} slate")
        elif tile in SLATE_FOR_TILE and shows != SLATE_FOR_TILE[tile]:
            self.fail(number, f"tile {tile} without the {SLATE_FOR_TILE[tile]} slate",
                      f"{states}: it shows {shows}")
        elif tile not in PICTURE_STATES and tile not in SLATE_FOR_TILE:
            self.fail(number, f"unexpected tile state {tile!r}", states)
        if was in CONNECTING and now in CONNECTING and shows == "bars":
            self.fail(number, "a picture while the feed is connecting",
                      f"{states}: it shows the bars, not the CONNECTING slate")

    def until(self, done, what, timeout):
        """Sample until done(result) holds (a failure guard, not a delay)."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.sample()
            if done(result):
                return result
            if time.monotonic() > deadline:
                raise W.Failure(
                    f"timed out after {timeout} s waiting until {what}; last seen: "
                    + "; ".join(f"{n}: stats {f['state']} tile {t} shows {s} decoded "
                                f"{f.get('frames_decoded')} last_error "
                                f"{f.get('last_error')!r}"
                                for n, (f, t, s) in result.items())
                    + ("\nfailures so far:\n  " + "\n  ".join(self.summary())
                       if self.failures else ""))

    def until_live_for_a_gop(self, what, timeout):
        """Sample until each feed is live, its tile live, and it decoded
        MORE_FRAMES frames since stats first said live (in this phase)."""
        live_at = {}

        def done(result):
            for number, (feed, tile, _) in result.items():
                if feed["state"] == "live" and number not in live_at:
                    live_at[number] = feed.get("frames_decoded", 0)
                elif feed["state"] != "live":
                    live_at.pop(number, None)
            return all(number in live_at and tile == "live"
                       and feed.get("frames_decoded", 0) - live_at[number] >= MORE_FRAMES
                       for number, (feed, tile, _) in result.items())

        return self.until(done, what, timeout)

    def mark(self, phase):
        """Start a new phase (of the failures' names and the state record)."""
        self.phase = phase
        for number in self.states:
            self.states[number] = self.states[number][-1:]


def check_held(feeds):
    """Pictures decoded but held back for want of a clean start: H.265's
    grey ones, yes; H.264's none (its decoder hides unrecovered pictures
    itself, so the first one it gives is clean: an IDR's, or a recovery
    point's once the refresh is complete; a wall that waited for a key
    frame after that would hold the recovered pictures up to the next
    refresh cycle's)."""
    for number, _, mount, codec_name in CAMERAS:
        held = feeds[number].get("frames_held")
        W.log(f"camera {number}: frames_held {held}")
        if codec_name == "hevc":
            W.check(held and held > 0, f"camera {number} (H.265 joined mid-GOP): frames_held "
                    f"{held!r}: no grey picture was held back?")
        else:
            W.check(held == 0, f"camera {number} ({mount}): frames_held {held!r}, expected 0: "
                    "the first clean picture H.264's decoder gave was not shown")


def run(tmp):
    W.require_tool("ffmpeg")
    W.require_tool("ffprobe")
    bars_png = W.save_bars(os.path.join(tmp, "bars.png"), CLIP_W, CLIP_H, BARS)
    clips = {}
    for number, _, mount, codec_name in CAMERAS:
        codec = "libx264" if codec_name == "h264" else "libx265"
        clips[number] = make_clip(tmp, codec, bars_png, mount == INTRA_REFRESH)
        info = W.probe_stream(clips[number])
        W.check(info["codec_name"] == codec_name and not info.get("has_b_frames"),
                f"test setup: {clips[number]} is {info}")
        keys, total = key_frames(clips[number])
        W.check(keys == list(range(0, total, GOP)) and total == RATE * SECONDS,
                f"test setup: {clips[number]}: {total} frames, key frames at {keys}, "
                f"expected every {GOP} of {RATE * SECONDS}")
        if mount == INTRA_REFRESH:
            types = W.run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0",
                                "-show_entries", "frame=pict_type", "-of", "csv=p=0",
                                clips[number]]).decode().split()
            W.check([t.strip(",") for t in types].count("I") == 1,
                    f"test setup: {clips[number]} has more than its first I frame: it does "
                    "not test recovery points")
    bars = {number: Bars(clips[number]) for number in clips}

    mounts = {mount: (clips[number], "h265" if codec_name == "hevc" else "h264")
              for number, _, mount, codec_name in CAMERAS}
    joins = {mount: JOIN for _, _, mount, _ in CAMERAS}
    rects = W.tile_rects(WIDTH, HEIGHT, 1, len(CAMERAS), GAP)

    with W.start_rtsp_server(mounts, join=joins) as server:
        port = server.port
        for number, _, mount, codec_name in CAMERAS:
            check_join(server.url(mount), codec_name, bars[number])

        config = W.write_config(
            os.path.join(tmp, "join.cfg"), width=WIDTH, height=HEIGHT, rows=1, columns=len(CAMERAS),
            gap=GAP, cameras=[(number, name, server.url(mount))
                              for number, name, mount, _ in CAMERAS])
        with W.start_live_wall(config, tmp,
                               extra=["--io-timeout", str(IO_TIMEOUT_MS)]) as wall:
            sampler = Sampler(tmp, wall, rects, bars)

            # 1. Joining mid-GOP.
            W.log("== 1. the wall joins every stream mid-GOP")
            sampler.until_live_for_a_gop("every feed is live and showed a whole GOP",
                                         START_TIMEOUT)
            joined = {n: list(s) for n, s in sampler.states.items()}
            feeds = wall.feeds()
            for number, _, _, codec_name in CAMERAS:
                W.check(feeds[number].get("codec") == codec_name,
                        f"camera {number}: codec {feeds[number].get('codec')!r}, "
                        f"expected {codec_name!r}")
            check_held(feeds)

            # 2. The server stops and comes back.
            W.log("== 2. the server stops")
            sampler.mark("server stopped")
            W.stop_process(server.proc)
            sampler.until(lambda r: all(f["state"] == "no-signal" for f, _, _ in r.values()),
                          "every feed is no-signal after the server stopped", DOWN_TIMEOUT)
            W.log("== 2. the server starts again on the same port")
            with W.start_rtsp_server(mounts, port=port, join=joins) as again:
                W.check(again.port == port, f"the new server listens on {again.port}, "
                        f"not {port}")
                sampler.phase = "server back"
                sampler.until_live_for_a_gop("every feed is live again and showed a whole "
                                             "GOP", RETURN_TIMEOUT)
                back = {n: list(s) for n, s in sampler.states.items()}
                feeds = wall.feeds()
                wall.stop()

    W.log(f"{sampler.count} samples in {time.monotonic() - sampler.began:.1f} s; the tiles "
          f"that showed the bars were at most {sampler.bars_worst} off FFmpeg's colours")
    problems = sampler.summary()
    for number, *_ in CAMERAS:
        W.log(f"camera {number}: states on joining {joined[number]}, "
              f"since the stop {back[number]}; decode_errors "
              f"{feeds[number].get('decode_errors')}, ffmpeg_messages "
              f"{feeds[number].get('ffmpeg_messages')}, last_error "
              f"{feeds[number].get('last_error')!r}")
        if joined[number] != ["connecting", "live"]:
            problems.append(f"camera {number}: states on joining were {joined[number]}, "
                            "expected connecting then live")
        if not re.fullmatch(r"live( no-signal)( (no-signal|connecting))* live",
                            " ".join(back[number])):
            problems.append(f"camera {number}: states since the server stopped were "
                            f"{back[number]}, expected live, no-signal (connecting between "
                            "attempts), live")
        if feeds[number].get("reconnects", 0) < 1:
            problems.append(f"camera {number}: live again with reconnects "
                            f"{feeds[number].get('reconnects')}")
    W.check(not problems, f"{len(problems)} problems:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    W.main(run)
