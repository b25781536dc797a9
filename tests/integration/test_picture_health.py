#!/usr/bin/python3
"""Picture health (issue 22) on a wall of file cameras made with FFmpeg's
filters, the real binary headless.

Eight cameras, each a still scene as a fixed camera sees it (testsrc2 held
on one picture, the sensor's noise, a burned-in clock that ticks once a
second), healthy for their first FAULT_S seconds; four then fail:
  frozen      the encoder repeats its last picture;
  covered     the lens is covered (black under the noise and the clock);
  blurred     out of focus;
  moved       the view turned by a third of its width;
and four stay healthy throughout: the same still scene, the still scene
with only its clock changing (no noise), a scene with motion in part of
the view, and a dark night scene with texture and noise.

After the run (`--stats` at exit) each fault is named: `picture` is its
condition, and it was named within 10 s of its onset (a freeze: 10 s
without a change, plus one look); the log has one warning at its onset
(`camera 2 (...): frozen for 10 s`); its tile wears the violet health
badge. Every healthy camera is `ok`, was never named in the log, and its
tile wears no badge. Clips are longer than any run, so none loops.

The detection itself (thresholds, margins, key frames only, reset) is
tests/decode/test_health.c's; `health` and `health reset` over the
socket are tests/wall/test_health_socket.c's.
"""

import os
import re

import walltest as W

FAULT_S = 8.0
RATE = 25
CLIP_S = 60  # longer than a run on a slow machine: never loops
FRAMES = 560  # after every feed showed a picture: ~22 s at 25 fps
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CLOCK = (f"drawtext=fontfile={FONT}:text='Cam  %{{eif\\:t\\:d\\:2}}':x=w-tw-8:y=h-th-8:"
         "fontsize=16:fontcolor=white")
STILL = "testsrc2=size=320x180:rate=25,loop=loop=-1:size=1"
NOISE = "noise=alls=8:allf=t"
T = f"{FAULT_S:g}"
BADGE = (0x7a, 0x2d, 0xb0)  # TILE_BADGE_HEALTH

# (number, name, lavfi graph, the condition at the end or "ok")
CAMERAS = [
    (1, "Fija sana", f"{STILL},{NOISE},{CLOCK}", "ok"),
    (2, "Se congela", f"{STILL},{NOISE},{CLOCK},trim=end={T},"
                      f"tpad=stop_mode=clone:stop_duration={CLIP_S}", "frozen"),
    (3, "Tapada", f"{STILL},drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:"
                  f"enable='gte(t,{T})',{NOISE},{CLOCK}", "obstructed"),
    (4, "Desenfocada", f"{STILL},boxblur=10:enable='gte(t,{T})',{NOISE},{CLOCK}", "blurred"),
    (5, "Girada", f"{STILL},split[a][b];[b]split[c][d];[c]crop=213:180:107:0[r];"
                  f"[d]crop=107:180:0:0[l];[r][l]hstack[turned];"
                  f"[a][turned]overlay=enable='gte(t,{T})',{NOISE},{CLOCK}", "moved"),
    (6, "Solo reloj", f"{STILL},{CLOCK}", "ok"),
    (7, "Con movimiento", f"testsrc2=size=320x180:rate=25,{NOISE},{CLOCK}", "ok"),
    (8, "Noche", "testsrc2=size=320x180:rate=25,eq=brightness=-0.35:contrast=0.5,"
                 f"noise=alls=12:allf=t,{CLOCK}", "ok"),
]
WIDTH, HEIGHT, ROWS, COLUMNS, GAP = 1280, 360, 2, 4, 4


def badge_pixels(picture, rect):
    """Pixels of the health badge's violet where it stands: the tile's top
    right (a fifth of its height, half its width)."""
    corner = (rect[0] + rect[2] // 2, rect[1], rect[2] - rect[2] // 2, rect[3] // 5)
    return picture.count(corner, lambda p: W.rgb_close(p, BADGE, tolerance=16))


def run(tmp):
    cameras = []
    for number, name, graph, _ in CAMERAS:
        path = os.path.join(tmp, f"cam{number}.mp4")
        W.make_clip(path, graph, duration=CLIP_S, crf=23, threads=1)
        cameras.append((number, name, os.path.basename(path)))
    config = W.write_config(os.path.join(tmp, "health.cfg"), width=WIDTH, height=HEIGHT,
                            rows=ROWS, columns=COLUMNS, gap=GAP, cameras=cameras)
    snapshot = os.path.join(tmp, "health.png")
    result, stats = W.run_headless(config, snapshot, frames=FRAMES, timeout=240)

    picture = W.read_snapshot(snapshot, WIDTH, HEIGHT)
    rects = W.tile_rects(WIDTH, HEIGHT, ROWS, COLUMNS, GAP)
    onsets = {}
    for line in result.stderr.splitlines():
        m = re.match(r"WARN +feed: camera (\d+) \((.*)\): (frozen for \d+ s|obstructed|blurred|"
                     r"moved)$", line)
        if m:
            onsets.setdefault(int(m.group(1)), []).append(m.group(3))

    for (number, name, _, expected), rect in zip(CAMERAS, rects):
        feed = W.feed_stats(stats, number)
        clip_s = feed.get("frames_decoded", 0) / RATE  # files play at their own pace
        W.check(clip_s < CLIP_S, f"camera {number}: its clip looped ({clip_s:.0f} s): the run "
                                 f"took longer than CLIP_S ({CLIP_S} s)")
        got = feed.get("picture")
        W.log(f"camera {number} ({name}): {got} for {feed.get('picture_since_ms')} ms at "
              f"{clip_s:.1f} s of its clip; log: {onsets.get(number)}")
        W.check(feed.get("state") == "live", f"camera {number}: state {feed.get('state')!r}")
        W.check(got == expected, f"camera {number} ({name}): picture {got!r}, expected "
                                 f"{expected!r}")
        badge = badge_pixels(picture, rect)
        if expected == "ok":
            W.check(number not in onsets,
                    f"camera {number} ({name}) is healthy but was named: {onsets.get(number)}")
            # testsrc2 has a few pixels of about that violet; a badge has hundreds.
            W.check(badge < 40, f"camera {number} ({name}): {badge} badge pixels on a healthy "
                                "camera's tile")
            continue
        named_at = clip_s - feed.get("picture_since_ms", 0) / 1000
        late = named_at - FAULT_S
        limit = 10.0 + 0.5 if expected == "frozen" else 10.0  # a freeze is 10 s still, + a look
        W.check(0 <= late <= limit + 0.5,  # frames_decoded lags the clip by a frame or so
                f"camera {number} ({name}): named {late:.1f} s after the fault began "
                f"(at most {limit} s)")
        word = "frozen for 10 s" if expected == "frozen" else expected
        W.check(onsets.get(number) == [word],
                f"camera {number} ({name}): log says {onsets.get(number)}, expected one "
                f"{word!r}")
        W.check(badge > 300, f"camera {number} ({name}): no health badge on its tile "
                            f"({badge} violet pixels)")


if __name__ == "__main__":
    W.main(run)
