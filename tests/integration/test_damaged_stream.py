#!/usr/bin/python3
"""A stream with damaged pictures: the tile only ever shows clean pictures,
the errors are counted, and the log says so once instead of flooding.

The clip: H.264 in MPEG-TS, 640x360, 25 fps, a key frame a second, no
B-frames, 2 s (looped by the server). Every frame is a 4x4 grid of blocks,
each one colour of a 16-colour palette that moves on by one entry every
frame (so every frame differs from the last everywhere, by 64 or more in
some channel), with a fixed grey ripple over it (so that the encoder
predicts each block from the previous frame: a damaged picture's error
carries into the following ones until the next key frame). A copy of it is
damaged: in every 12th non-IDR access unit, 12 bytes of slice data past
the first 40% of the access unit are XORed (no start code created; TS
packet and PES headers untouched). Test setup checks: ffmpeg reports
decode errors for the damaged copy and none for the clean one, and more
than a third of the damaged copy's frames, as FFmpeg decodes and conceals
them, match no clean frame at the check points (so the checks below see
concealment).

tests/rtsp_server.py serves both; a live wall (1x2 grid, 1292x368, tiles
exactly 640x360, so the picture is drawn 1:1) shows the damaged stream in
tile 1 and the clean one in tile 2. Both go live; then snapshots are taken
one after the other (at least 40, and until the damaged feed's
"decode_errors" grew by 4 or more): at 60 check points (block interiors,
clear of the label and the tile edges) every snapshot's tile 1 and tile 2
each equal one of the clip's clean frames (as FFmpeg decodes them with
BT.601, limited range) within 6 per channel, and tile 1 shows at least two
different frames over the run (it is not stuck). Meanwhile the damaged
feed stays "live" and never reconnects; its stats "decode_errors" grows;
the clean feed's stays 0.

The log: exactly one `WARN feed: camera 1701 "Dañada": damaged picture
dropped, showing the last clean one until the next key frame (further
decode errors are counted in stats and summed up once a minute)`; the
lines that name camera 1701 and are about errors (everything it says but
its `live` line), plus every FFmpeg line not attributed to a camera, are
at most the first line of each kind (decode errors, FFmpeg messages) and
one summary per kind per started minute while it runs, and one more per
kind when it stops; no line is a bare `ffmpeg: [h264 @ 0x...]`. SIGTERM
stops the wall with exit 0.
"""

import os
import re
import subprocess
import time

import streams as S
import walltest as W

CLIP_W, CLIP_H, RATE, SECONDS = 640, 360, 25, 2
GAP = 4
WIDTH, HEIGHT = 2 * CLIP_W + 3 * GAP, CLIP_H + 2 * GAP
DAMAGED, CLEAN = 1701, 1702
NAMES = {DAMAGED: "Dañada", CLEAN: "Limpia"}
TOLERANCE = 6
MIN_SNAPSHOTS = 40
MIN_NEW_ERRORS = 4
START_TIMEOUT = 30
WATCH_TIMEOUT = 90  # s: guard on the whole watch (40 snapshots on a busy machine)

# Block (bx, by) of frame n shows palette entry (bx + 4 by + n) mod 16: red
# 64 + 64 (p mod 3), green 64 + 64 (floor(p / 3) mod 3), blue 64 + 64
# floor(p / 9); all three plus a grey ripple of +-24.
_P = "mod(floor(X/160)+4*floor(Y/90)+N\\,16)"
_RIPPLE = "24*sin(2*PI*X/32)*sin(2*PI*Y/28)"
SOURCE = (f"color=black:size={CLIP_W}x{CLIP_H}:rate={RATE},format=rgb24,"
          f"geq=r='64+64*mod({_P}\\,3)+{_RIPPLE}'"
          f":g='64+64*mod(floor({_P}/3)\\,3)+{_RIPPLE}'"
          f":b='64+64*floor({_P}/9)+{_RIPPLE}'")
# Block interiors, five points each, in the top three rows of blocks (the
# bottom 25% of the tile may hold the label).
POINTS = [(80 + 160 * bx + dx, 45 + 90 * by + dy) for by in range(3) for bx in range(4)
          for dx, dy in ((0, 0), (-40, -20), (40, -20), (-40, 20), (40, 20))]
ERROR_DETAIL = ("damaged picture dropped, showing the last clean one until the next key "
                "frame (further decode errors are counted in stats and summed up once a "
                "minute)")


def decoded_samples(path):
    """[[rgb at each of POINTS] for each frame] of a clip as FFmpeg decodes
    it (one thread, BT.601, limited range)."""
    W.require_tool("ffmpeg")
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "quiet", "-threads", "1",
         "-i", path, "-vf", "scale=in_color_matrix=bt601:in_range=tv:"
         "flags=accurate_rnd+full_chroma_int+bitexact,format=rgb24",
         "-f", "rawvideo", "-"], stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    size = CLIP_W * CLIP_H * 3
    raw = done.stdout
    W.check(len(raw) >= size, f"test setup: ffmpeg decoded no frame of {path}")
    frames = []
    for start in range(0, len(raw) - size + 1, size):
        frame = raw[start:start + size]
        frames.append([tuple(frame[(y * CLIP_W + x) * 3:(y * CLIP_W + x) * 3 + 3])
                       for x, y in POINTS])
    return frames


def distance(a, b):
    return max(S.max_diff(p, q) for p, q in zip(a, b))


def best_match(samples, references):
    """(index of the closest clean frame, its distance)."""
    return min(((i, distance(samples, ref)) for i, ref in enumerate(references)),
               key=lambda m: m[1])


def make_clips(tmp):
    # One encoder thread: the same bitstream, so the same damage, on every
    # machine (x264's output follows its thread count, which follows the cores).
    clean = W.make_clip(os.path.join(tmp, "clean.ts"), SOURCE, duration=SECONDS, rate=RATE,
                        threads=1)
    damaged = os.path.join(tmp, "damaged.ts")

    def errors(path):
        done = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-threads", "1", "-i", path,
                               "-f", "null", "-"], capture_output=True, timeout=120)
        return done.stderr.decode(errors="replace").splitlines()

    W.check(not errors(clean), f"test setup: ffmpeg reports errors for the clean clip: "
            f"{errors(clean)[:5]}")
    # CABAC may swallow a damage without noticing: take the first phase whose
    # damage FFmpeg's decoder reports (the same one on every machine).
    for phase in (6, 3, 9, 1, 4, 7, 10):
        units, hit, idrs = S.damage_ts(clean, damaged, every=12, phase=phase)
        found = errors(damaged)
        if found:
            break
    W.log(f"{len(units)} access units, IDR {idrs}, damaged {hit} (phase {phase})")
    W.check(found, "test setup: ffmpeg reports no decode error for the damaged clip")
    W.log(f"ffmpeg on the damaged clip: {len(found)} error lines, e.g. {found[:3]}")

    references = decoded_samples(clean)
    W.check(len(references) == len(units), f"test setup: {len(references)} frames decoded, "
            f"{len(units)} access units")
    concealed = [i for i, frame in enumerate(decoded_samples(damaged))
                 if best_match(frame, references)[1] > TOLERANCE]
    W.log(f"FFmpeg's concealment: {len(concealed)} of {len(references)} frames of the damaged "
          f"clip match no clean frame: {concealed}")
    W.check(len(concealed) * 3 > len(references),
            "test setup: the damage hardly shows in FFmpeg's decode (concealed frames "
            f"{concealed}): the checks would not see a wall that shows damaged pictures")
    return clean, damaged, references


def run(tmp):
    clean, damaged, references = make_clips(tmp)
    rects = W.tile_rects(WIDTH, HEIGHT, 1, 2, GAP)
    W.check(all(r[2:] == (CLIP_W, CLIP_H) for r in rects), f"test geometry: tiles {rects}")
    for x, y in POINTS:
        safe = W.safe_area((0, 0, CLIP_W, CLIP_H))
        W.check(safe[0] <= x < safe[0] + safe[2] and safe[1] <= y < safe[1] + safe[3],
                f"test geometry: check point {(x, y)} outside the safe area {safe}")

    with W.start_rtsp_server({"damaged": damaged, "clean": clean}) as server:
        cameras = [(DAMAGED, NAMES[DAMAGED], server.url("damaged")),
                   (CLEAN, NAMES[CLEAN], server.url("clean"))]
        config = W.write_config(os.path.join(tmp, "damaged.cfg"), width=WIDTH, height=HEIGHT,
                                rows=1, columns=2, gap=GAP, cameras=cameras)
        started = time.monotonic()
        with W.start_live_wall(config, tmp) as wall:
            wall.wait_feeds(lambda f: all(f.get(n, {}).get("state") == "live"
                                          for n in (DAMAGED, CLEAN)),
                            "both feeds are live", START_TIMEOUT)
            problems = watch(wall, rects, references, tmp)
            stop_mark = wall.log.mark()
            ran_for = time.monotonic() - started
            wall.stop()
            wall.log.join()
            problems += check_log(wall.log.lines, stop_mark, ran_for)
    W.check(not problems, "\n  ".join(["the damaged stream was not handled as the contract "
                                       "says:"] + problems))


def watch(wall, rects, references, tmp):
    problems = []
    first = wall.feeds()
    errors0 = first[DAMAGED].get("decode_errors")
    if errors0 is None:
        problems.append("stats have no \"decode_errors\" for the damaged feed")
        errors0 = 0
    shown, bad, worst_clean = set(), {DAMAGED: [], CLEAN: []}, 0
    snapshots, states = 0, set()
    deadline = time.monotonic() + WATCH_TIMEOUT
    feeds = first
    path = os.path.join(tmp, "watch.png")
    while True:
        picture = W.read_snapshot(wall.snapshot(path), WIDTH, HEIGHT)
        snapshots += 1
        for number, rect in zip((DAMAGED, CLEAN), rects):
            samples = [picture.pixel(rect[0] + x, rect[1] + y) for x, y in POINTS]
            index, dist = best_match(samples, references)
            if dist > TOLERANCE:
                if len(bad[number]) < 3:  # keep the first few for the report
                    kept = os.path.join(tmp, f"bad-{number}-{snapshots}.png")
                    os.replace(path, kept)
                else:
                    kept = None
                worst = max(range(len(POINTS)),
                            key=lambda i: S.max_diff(samples[i], references[index][i]))
                bad[number].append(
                    f"snapshot {snapshots}: closest clean frame {index} is {dist} away; at "
                    f"{POINTS[worst]} the tile shows {samples[worst]}, frame {index} has "
                    f"{references[index][worst]}" + (f" ({kept})" if kept else ""))
            elif number == DAMAGED:
                shown.add(index)
            else:
                worst_clean = max(worst_clean, dist)
        feeds = wall.feeds()
        states.add((feeds[DAMAGED].get("state"), feeds[DAMAGED].get("reconnects")))
        grown = feeds[DAMAGED].get("decode_errors", 0) - errors0
        if snapshots >= MIN_SNAPSHOTS and grown >= MIN_NEW_ERRORS:
            break
        if time.monotonic() > deadline:
            W.log(f"watch guard reached after {snapshots} snapshots, decode_errors grew by "
                  f"{grown}")
            break
    W.log(f"{snapshots} snapshots; damaged tile showed clean frames {sorted(shown)}; clean "
          f"tile within {worst_clean} of its frames; damaged feed: "
          f"decode_errors {errors0} -> {feeds[DAMAGED].get('decode_errors')}, ffmpeg_messages "
          f"{feeds[DAMAGED].get('ffmpeg_messages')}, states {sorted(states, key=str)}")
    if bad[DAMAGED]:
        problems.append(f"the damaged camera's tile showed a picture that is no clean frame "
                        f"in {len(bad[DAMAGED])} of {snapshots} snapshots, e.g. "
                        + "; ".join(bad[DAMAGED][:3]))
    if bad[CLEAN]:
        problems.append(f"the clean camera's tile differs from every clean frame in "
                        f"{len(bad[CLEAN])} of {snapshots} snapshots (test or renderer "
                        "problem), e.g. " + "; ".join(bad[CLEAN][:3]))
    if len(shown) < 2:
        problems.append(f"the damaged camera's tile showed clean frames {sorted(shown)} only: "
                        "it should move on at each key frame")
    if states != {("live", 0)}:
        problems.append(f"the damaged feed was seen as (state, reconnects) {sorted(states, key=str)}"
                        ", expected only live without reconnecting")
    grown = feeds[DAMAGED].get("decode_errors", 0) - errors0
    if grown < MIN_NEW_ERRORS:
        problems.append(f"the damaged feed's \"decode_errors\" grew by {grown} over "
                        f"{snapshots} snapshots (from {errors0}), expected {MIN_NEW_ERRORS} or "
                        "more")
    if feeds[CLEAN].get("decode_errors") != 0:
        problems.append(f"the clean feed's \"decode_errors\" is "
                        f"{feeds[CLEAN].get('decode_errors')}, expected 0")
    return problems


def check_log(lines, stop_mark, ran_for):
    problems = []
    name = re.escape(f'camera {DAMAGED} "{NAMES[DAMAGED]}"')
    first_line = re.compile(rf"^WARN +feed: {name}: {re.escape(ERROR_DETAIL)}$")
    about_camera = re.compile(rf"^[A-Z]+ +[a-z]+: camera {DAMAGED}\b")
    live_line = re.compile(rf"^INFO +feed: camera {DAMAGED}: live, ")
    unattributed = re.compile(r"^[A-Z]+ +ffmpeg: \[")
    bare = re.compile(r"^(?:[A-Z]+ +)?ffmpeg: \[h264 @")

    firsts = [line for line in lines if first_line.match(line)]
    if len(firsts) != 1:
        problems.append(f"{len(firsts)} lines `WARN feed: camera {DAMAGED} \"{NAMES[DAMAGED]}\": "
                        f"{ERROR_DETAIL}`, expected exactly one")
    bares = [line for line in lines if bare.match(line)]
    if bares:
        problems.append(f"{len(bares)} bare FFmpeg lines, e.g. {bares[0]!r}")

    def noisy(line):
        return ((about_camera.match(line) and not live_line.match(line))
                or unattributed.match(line))

    running = [line for line in lines[:stop_mark] if noisy(line)]
    stopping = [line for line in lines[stop_mark:] if noisy(line)]
    minutes = int(ran_for // 60) + 1
    allowed = 2 + 2 * minutes  # the first of each kind, a summary per kind a minute
    W.log(f"error lines about camera {DAMAGED} while running ({ran_for:.0f} s): "
          f"{len(running)} (allowed {allowed}); when stopping: {len(stopping)}")
    for line in running + stopping:
        W.log(f"  {line[:200]}")
    if len(running) > allowed:
        problems.append(f"{len(running)} log lines about camera {DAMAGED}'s errors in "
                        f"{ran_for:.0f} s, expected at most {allowed} (the first of each kind "
                        f"and a summary per kind a minute), e.g. {running[:4]}")
    if len(stopping) > 2:
        problems.append(f"{len(stopping)} lines about camera {DAMAGED}'s errors when stopping, "
                        f"expected at most one summary per kind: {stopping[:4]}")
    return problems


if __name__ == "__main__":
    W.main(run)
