#!/usr/bin/env python3
"""Benchmark: what picture health (decode/health.h) costs on the demo.

The demo's 16 feeds (its clips, 640x360 H.264 at 25 fps) on its 4x4 wall at
1920x1080, headless, `--frames N`, run alternately with
`wall.picture_health = true` and `false` (a full-format copy of the demo,
written to a scratch folder), ROUNDS times each, in one run of this script:
the process's CPU seconds and its feed threads' (`--stats` cpu_seconds),
per round and summed.

    tools/bench_health.py [--wall build/wall/wall] [--frames 250] [--rounds 3]

Prints a Markdown table for BENCHMARKS.md."""
import argparse
import json
import os
import platform
import re
import resource
import subprocess
import tempfile


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def demo_cameras(root):
    """(number, name, absolute clip path) of the demo's cameras."""
    assets = os.path.join(root, "assets")
    text = open(os.path.join(assets, "demo.cfg"), encoding="utf-8").read()
    found = re.findall(r'number = (\d+); name = "([^"]*)";\s*url = "([^"]*)"', text)
    return [(int(n), name, os.path.join(assets, url)) for n, name, url in found]


def write_layout(path, cameras, health):
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    lines = [f"wall = {{ picture_health = {'true' if health else 'false'}; }};",
             'layouts = ( { name = "4x4"; grid = [4, 4]; gap = 4; fit = "letterbox"; } );',
             "cameras = ("]
    lines.append(",\n".join(f"  {{ number = {n}; name = {quote(name)}; main = {quote(url)}; }}"
                            for n, name, url in cameras))
    lines.append(");")
    tiles = ", ".join(str(n) for n, _, _ in cameras)
    lines.append(f'outputs = ( {{ id = "main"; rect = [0, 0, 1920, 1080]; '
                 f'pages = ( {{ layout = "4x4"; tiles = ({tiles}); }} ); }} );')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def run(wall, layout, frames):
    before = children_cpu()
    done = subprocess.run([wall, "--config", layout, "--headless", "--frames", str(frames),
                           "--stats"], capture_output=True, text=True, check=True)
    total = children_cpu() - before
    stats = json.loads(done.stdout)
    pictures = [f.get("picture") for f in stats["feeds"]]
    return total, stats["cpu_seconds"]["feed"], pictures


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--wall", default=os.path.join(root, "build", "wall", "wall"))
    ap.add_argument("--frames", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    cameras = demo_cameras(root)
    with tempfile.TemporaryDirectory() as tmp:
        layouts = {}
        for health in (True, False):
            layouts[health] = os.path.join(tmp, f"demo-health-{'on' if health else 'off'}.cfg")
            write_layout(layouts[health], cameras, health)
        sums = {True: [0.0, 0.0], False: [0.0, 0.0]}
        rows = []
        for r in range(args.rounds):
            for health in (True, False):
                total, feed, pictures = run(args.wall, layouts[health], args.frames)
                sums[health][0] += total
                sums[health][1] += feed
                rows.append((r + 1, "on" if health else "off", total, feed,
                             ", ".join(sorted(set(p or "?" for p in pictures)))))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; {len(cameras)} feeds, "
          f"{args.frames} frames a run, {args.rounds} rounds")
    print()
    print("| round | picture health | process CPU s | feed threads CPU s | pictures |")
    print("|---|---|---|---|---|")
    for r, mode, total, feed, pictures in rows:
        print(f"| {r} | {mode} | {total:.2f} | {feed:.2f} | {pictures} |")
    on, off = sums[True], sums[False]
    print()
    print(f"- process CPU, on / off: {on[0]:.2f} / {off[0]:.2f} s = "
          f"{(on[0] / off[0] - 1) * 100:+.1f} %")
    print(f"- feed threads CPU, on / off: {on[1]:.2f} / {off[1]:.2f} s = "
          f"{(on[1] / off[1] - 1) * 100:+.1f} %")


if __name__ == "__main__":
    main()
