#!/usr/bin/env python3
"""Benchmark: the demo's 16 feeds headless at 1920x1080, CPU seconds by
thread role, against `ffmpeg -threads 1` decoding the same frames of the
same clips, measured in the same run.

    tools/bench_demo.py [--wall build/wall/wall] [--frames 250]

Prints a Markdown table for BENCHMARKS.md."""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--wall", default=os.path.join(here, "..", "build", "wall", "wall"))
    ap.add_argument("--frames", type=int, default=250)
    args = ap.parse_args()

    before = children_cpu()
    run = subprocess.run([args.wall, "--headless", "--frames", str(args.frames), "--stats"],
                         capture_output=True, text=True, check=True)
    wall_total = children_cpu() - before
    stats = json.loads(run.stdout)
    cpu = stats["cpu_seconds"]

    decoded = 0
    before = children_cpu()
    for feed in stats["feeds"]:
        n = feed["frames_decoded"]
        decoded += n
        subprocess.run(["ffmpeg", "-v", "error", "-threads", "1", "-stream_loop", "-1",
                        "-i", feed["url"], "-frames:v", str(n), "-f", "null", "-"],
                       check=True)
    ffmpeg_cpu = children_cpu() - before

    rows = [
        ("wall feed threads (demux + decode + hand-off)", cpu["feed"]),
        ("wall render thread", cpu["render"]),
        ("wall GL driver threads (llvmpipe)", cpu["gl"]),
        ("wall other threads", cpu["other"]),
        ("wall process total", wall_total),
        ("ffmpeg -threads 1 -f null, same clips and frame counts", ffmpeg_cpu),
    ]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; "
          f"{len(stats['feeds'])} feeds, {stats['frames_rendered']} frames rendered, "
          f"{decoded} frames decoded")
    print()
    print("| what | CPU seconds |")
    print("|---|---|")
    for name, secs in rows:
        print(f"| {name} | {secs:.2f} |")
    print()
    print(f"Feed threads / ffmpeg decode: **{cpu['feed'] / ffmpeg_cpu:.2f}**")
    print(f"Whole wall / ffmpeg decode: **{wall_total / ffmpeg_cpu:.2f}**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
