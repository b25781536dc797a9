#!/usr/bin/env python3
"""Benchmark: what keeping a pre-roll (wall.replay, issue 16) costs a wall
of many feeds, in one run of three walls on the same machine: no pre-roll,
a pre-roll that fits its cap, and one held down by a cap it outgrows.

    tools/bench_replay.py [--wall build/wall/wall] [--feeds 64] [--seconds 45]

Each feed is its own camera reading one of the 16 bundled clips (640x360,
25 fps, H.264), paced like a camera; one 1920x1080 output in an N x N grid.
Each wall runs `seconds` (longer than the pre-roll, so the rings are full)
and reports CPU seconds by role, resident memory and the rings' bytes.
Prints Markdown for BENCHMARKS.md."""
import argparse
import json
import math
import os
import subprocess
import tempfile


def write_config(path, clips, feeds, replay):
    side = math.ceil(math.sqrt(feeds))
    lines = []
    if replay:
        lines.append(f"wall = {{ replay = {{ {replay} }}; }};")
    lines.append("cameras = (")
    for i in range(feeds):
        sep = "," if i + 1 < feeds else ""
        lines.append(f'  {{ number = {1001 + i}; name = "Feed {i + 1}"; '
                     f'url = "{clips[i % len(clips)]}"; }}{sep}')
    lines.append(");")
    lines.append(f'layouts = ( {{ name = "grid"; grid = [{side}, {side}]; }} );')
    tiles = ", ".join(str(1001 + i) for i in range(feeds))
    lines.append('outputs = ( { id = "main"; rect = [0, 0, 1920, 1080]; '
                 f'pages = ( {{ layout = "grid"; tiles = ({tiles}); }} ); }} );')
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(wall, clips, feeds, seconds, fps, replay):
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "bench.cfg")
        write_config(cfg, clips, feeds, replay)
        out = subprocess.run([wall, "--headless", "--config", cfg, "--fps", str(fps),
                              "--frames", str(int(seconds * fps)), "--settle-timeout", "30",
                              "--stats"], capture_output=True, text=True, check=True)
    stats = json.loads(out.stdout)
    fs = stats["feeds"]
    return {
        "rss_mb": stats["rss_kb"] / 1024.0,
        "cpu": stats["cpu_seconds"],
        "ring": stats.get("replay", {}),
        "ring_seconds": sorted(f.get("ring_seconds", 0) for f in fs),
        "bitrate": sum(f["bitrate"] for f in fs),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--wall", default=os.path.join(root, "build", "wall", "wall"))
    ap.add_argument("--feeds", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=45)
    ap.add_argument("--fps", type=float, default=25)
    ap.add_argument("--keep", type=int, default=30, help="wall.replay.seconds")
    ap.add_argument("--tight", default="16M", help="the cap the third wall outgrows")
    args = ap.parse_args()
    clips = [os.path.abspath(os.path.join(root, "assets", "clips", f"cam{i:02d}.mp4"))
             for i in range(1, 17)]
    walls = [("no pre-roll", None),
             (f"{args.keep} s, cap 512M", f'seconds = {args.keep}; memory = "512M";'),
             (f"{args.keep} s, cap {args.tight}",
              f'seconds = {args.keep}; memory = "{args.tight}";')]
    print(f"{os.cpu_count()} cores; {args.feeds} feeds; {args.seconds:g} s per wall at "
          f"{args.fps:g} fps")
    print()
    print("| wall | ring memory / cap | evicted packets | ring seconds (min / median / max) "
          "| RSS | CPU s feed / render / GL | all feeds' bitrate |")
    print("|---|---|---|---|---|---|---|")
    for name, replay in walls:
        r = run(args.wall, clips, args.feeds, args.seconds, args.fps, replay)
        ring, secs, cpu = r["ring"], r["ring_seconds"], r["cpu"]
        memory = (f"{ring.get('memory', 0) / 2**20:.1f} MB / {ring.get('cap', 0) / 2**20:.0f} MB"
                  if replay else "-")
        print(f"| {name} | {memory} | {ring.get('dropped', 0) if replay else '-'} "
              f"| {secs[0]:.1f} / {secs[len(secs) // 2]:.1f} / {secs[-1]:.1f} "
              f"| {r['rss_mb']:.0f} MB "
              f"| {cpu.get('feed', 0):.1f} / {cpu.get('render', 0):.1f} / {cpu.get('gl', 0):.1f} "
              f"| {r['bitrate'] / 1e6:.1f} Mbit/s |", flush=True)


if __name__ == "__main__":
    main()
