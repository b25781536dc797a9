#!/usr/bin/env python3
"""Benchmark: rendering several outputs. Headless, paced at 25 fps (the
cameras' rate; slower when the machine cannot keep up), 4x4 tiles per
1920x1080 output:

  1 output, 16 cameras                      (the single-output reference)
  4 outputs showing the same 16 cameras     (decoded and uploaded once)
  4 outputs, 64 different cameras
  1 output across 2 x 2 monitors (bezel 12 x 10), 8 x 8 tiles, 64 cameras
                                            (a group: the same pixels and
                                            tiles, drawn once per monitor)

Prints frames per second (each frame draws every output) and CPU seconds by
thread role, all from one run of this script.

    tools/bench_outputs.py [--wall build/wall/wall] [--frames 300]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def config(path, clips, outputs, distinct, group=False):
    cams, outs = [], []
    if group:
        tiles = ", ".join(str(101 + t) for t in range(64))
        cams = [f'  {{ number = {101 + i}; name = "Cam {101 + i}"; '
                f'main = "{clips[i % len(clips)]}"; }}' for i in range(64)]
        with open(path, "w") as f:
            f.write('layouts = ( { name = "8x8"; grid = [8, 8]; } );\n')
            f.write("cameras = (\n" + ",\n".join(cams) + "\n);\n")
            f.write('outputs = ( { id = "group"; rect = [0, 0, 3840, 2160]; monitors = [2, 2]; '
                    'bezel = [12, 10]; pages = ( { layout = "8x8"; '
                    f'tiles = ({tiles}); }} ); }} );\n')
        return
    n = 16 * outputs if distinct else 16
    for i in range(n):
        cams.append(f'  {{ number = {101 + i}; name = "Cam {101 + i}"; '
                    f'main = "{clips[i % len(clips)]}"; }}')
    for o in range(outputs):
        base = 101 + (16 * o if distinct else 0)
        tiles = ", ".join(str(base + t) for t in range(16))
        outs.append(f'  {{ id = "out-{o + 1}"; display = {o}; rect = [{o * 1920}, 0, 1920, 1080]; '
                    f'pages = ( {{ layout = "4x4"; tiles = ({tiles}); }} ); }}')
    with open(path, "w") as f:
        f.write('layouts = ( { name = "4x4"; grid = [4, 4]; } );\n')
        f.write("cameras = (\n" + ",\n".join(cams) + "\n);\n")
        f.write("outputs = (\n" + ",\n".join(outs) + "\n);\n")


def run(wall, clips, outputs, distinct, frames, group=False):
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "bench.cfg")
        config(cfg, clips, outputs, distinct, group)
        start = time.monotonic()
        out = subprocess.run([wall, "--headless", "--config", cfg, "--fps", "25",
                              "--frames", str(frames), "--stats"],
                             capture_output=True, text=True, check=True)
        elapsed = time.monotonic() - start
    stats = json.loads(out.stdout)
    return elapsed, stats


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--wall", default=os.path.join(root, "build", "wall", "wall"))
    ap.add_argument("--frames", type=int, default=300)
    args = ap.parse_args()
    clips = [os.path.abspath(os.path.join(root, "assets", "clips", f"cam{i:02d}.mp4"))
             for i in range(1, 17)]
    print(f"{os.cpu_count()} cores; {args.frames} frames per run, paced at 25 fps (the cameras' rate)")
    print()
    print("| outputs x tiles | feeds | frames/s (every output) | uploads per frame "
          "| CPU s feed / render / GL | elapsed s |")
    print("|---|---|---|---|---|---|")
    cases = ((1, False, False, "1 x 16"), (4, False, False, "4 x 16"),
             (4, True, False, "4 x 16"), (1, True, True, "1 x 64 on 2 x 2 monitors"))
    for outputs, distinct, group, name in cases:
        elapsed, s = run(args.wall, clips, outputs, distinct, args.frames, group)
        feeds = s["feeds"]
        shown = sum(f["frames_shown"] for f in feeds)
        c = s["cpu_seconds"]
        print(f"| {name} | {len(feeds)} | {s['frames_rendered'] / elapsed:.1f} "
              f"| {shown / s['frames_rendered']:.1f} "
              f"| {c['feed']:.1f} / {c['render']:.1f} / {c['gl']:.1f} | {elapsed:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
