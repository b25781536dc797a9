#!/usr/bin/env python3
"""Benchmark: many 360p feeds on one 1920x1080 wall, headless, in one run
each: frames shown per feed per second, drops, how stale the worst tile
got, key-frame-only feeds, resident memory.

    tools/bench_feeds.py [--wall build/wall/wall] [--feeds 64 256] [--seconds 20]

Each feed is its own camera (its own demux and decoder) reading one of the
16 bundled clips (640x360, 25 fps, H.264). Prints Markdown for BENCHMARKS.md."""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time


def write_config(path, clips, feeds):
    side = math.ceil(math.sqrt(feeds))
    lines = ['output = { width = 1920; height = 1080; background = "#202020"; };',
             f"grid = {{ rows = {side}; columns = {side}; gap = 2; }};", "cameras = ("]
    for i in range(feeds):
        sep = "," if i + 1 < feeds else ""
        lines.append(f'  {{ number = {1001 + i}; name = "Feed {i + 1}"; '
                     f'url = "{clips[i % len(clips)]}"; }}{sep}')
    lines.append(");")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(wall, clips, feeds, seconds, fps):
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "bench.cfg")
        write_config(cfg, clips, feeds)
        frames = int(seconds * fps)
        start = time.monotonic()
        out = subprocess.run([wall, "--headless", "--config", cfg, "--fps", str(fps),
                              "--frames", str(frames), "--settle-timeout", "30", "--stats"],
                             capture_output=True, text=True, check=True)
        elapsed = time.monotonic() - start
    stats = json.loads(out.stdout)
    fs = stats["feeds"]
    shown = sorted(f["frames_shown"] / elapsed for f in fs)
    return {
        "feeds": feeds,
        "open": len(fs),
        "fps_min": shown[0], "fps_median": shown[len(shown) // 2], "fps_max": shown[-1],
        "dropped": sum(f["frames_dropped"] for f in fs),
        "decoded": sum(f["frames_decoded"] for f in fs),
        "keyframes_only": sum(1 for f in fs if f["decode"] == "keyframes"),
        "max_gap_ms": max(f["max_gap_ms"] for f in fs),
        "rss_mb": stats["rss_kb"] / 1024.0,
        "cpu": stats["cpu_seconds"],
        "rendered": stats["frames_rendered"],
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--wall", default=os.path.join(root, "build", "wall", "wall"))
    ap.add_argument("--feeds", type=int, nargs="+", default=[16, 64, 256])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--fps", type=float, default=25)
    args = ap.parse_args()
    clips = [os.path.abspath(os.path.join(root, "assets", "clips", f"cam{i:02d}.mp4"))
             for i in range(1, 17)]
    print(f"{os.cpu_count()} cores; {args.seconds:g} s of frames per run at {args.fps:g} fps; "
          "rates are over the whole run, start-up included")
    print()
    print("| feeds | shown fps per feed (min / median / max) | dropped | key frames only "
          "| worst gap between frames | RSS | RSS per feed | CPU s feed / render / GL |")
    print("|---|---|---|---|---|---|---|---|")
    base = None
    for n in args.feeds:
        r = run(args.wall, clips, n, args.seconds, args.fps)
        if base is None:
            base = r
        per_feed = (r["rss_mb"] - base["rss_mb"]) / (n - base["feeds"]) if n != base["feeds"] \
            else float("nan")
        c = r["cpu"]
        print(f"| {n} | {r['fps_min']:.1f} / {r['fps_median']:.1f} / {r['fps_max']:.1f} "
              f"| {r['dropped']} | {r['keyframes_only']} | {r['max_gap_ms']} ms "
              f"| {r['rss_mb']:.0f} MB | {per_feed:.2f} MB | "
              f"{c['feed']:.1f} / {c['render']:.1f} / {c['gl']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
