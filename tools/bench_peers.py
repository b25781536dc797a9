#!/usr/bin/env python3
"""Benchmark: the wall against its peers, in one run, on the same clips.

    tools/bench_peers.py [--wall build/wall/wall] [--feeds 16] [--frames 200]
                         [--repeat 1] [--wall-arg ARG]... [--wall-variant NAME:ARGS]...
                         [--timeout 300] [--json FILE] [--no-install]

One scenario: K feeds (default 16; `--feeds 64` gives 64) on a G x G grid
(G = ceil(sqrt(K))) of a 1920x1080 canvas, F output frames at 25 fps. Feed i
reads assets/clips/cam(i mod 16 + 1).mp4 (640x360 H.264, 25 fps) from its
local path; 64 feeds reuse the 16 clips four times. Every peer runs as a
child process of this script, one at a time:

  1. pure decoding   ffmpeg, K inputs each `-threads 1`, K `-map`s to
                     `-f null`, F frames per input, no scaling: the floor.
  2. ffmpeg xstack   K inputs each `-threads 1`, `scale` to the cell, `xstack`
                     into 1920x1080, `-filter_complex_threads 1`, F frames.
  3. mpv             the same graph in `--lavfi-complex`, `--vo=null
                     --untimed --vd-lavc-threads=1 --frames=F`.
  4. gst compositor  gst-launch-1.0, K x (filesrc ! qtdemux ! h264parse !
                     avdec_h264 max-threads=1 ! videoconvert ! videoscale to
                     the cell) into `compositor max-threads=1` at xpos/ypos,
                     1920x1080 I420, `identity eos-after=F ! fakesink`.
  5. gst glvideomixer the same with glupload into `glvideomixer` (scaling in
                     GL) and gldownload, on Mesa llvmpipe through EGL with no
                     window system (GST_GL_WINDOW=egl-device).
  6. the wall        `wall --headless --config LAYOUT --frames F --stats
                     --fps 25` on a generated layout (grid G x G, gap 0),
                     once per `--wall-variant` (or once), with every
                     `--wall-arg=ARG` added (write it with `=`).

For each child: CPU seconds (user + sys, from os.wait4's rusage of that
child and the children it waited for), elapsed seconds (wall clock, start-up
included) and peak RSS (ru_maxrss of that child). With `--repeat N` every
peer runs N times, interleaved (all peers, then all again), and the table
shows medians. Ratios are against pure decoding (CPU) and ffmpeg xstack
(CPU and RSS) of the same run.

Differences to keep in mind when reading the table:
- ffmpeg, mpv and GStreamer run untimed (as fast as they can); the wall is
  paced at 25 fps and waits for every feed to show a picture before it
  counts frames, so its elapsed time is at least F / 25 s plus start-up.
- The peers show every frame of every feed (F per feed). The wall may put
  feeds on key frames only when its CPU budget says decoding and drawing
  everything does not fit; its row says how many and how many frames it
  showed per feed.
- FFmpeg 5.1's command line decodes, filters and muxes all inputs on one
  thread; `-threads 1` per input makes the whole ffmpeg job one thread, so
  its elapsed time is its CPU time and its fps is what one core gives.
- Cells are even-sized for ffmpeg's yuv420p xstack (240x134 for 8x8, padded
  to 1920x1080); the wall's tiles are 240x135.
- mpv and GStreamer do not loop the clips here, so F above the clip length
  (200 frames) skips those rows.

Prints Markdown for BENCHMARKS.md: the machine, the table, notes and every
peer's exact command line; `--json FILE` writes the same for machines.
Optional peers missing (mpv, gstreamer1.0-gl) are installed with apt when
running as root, unless --no-install; a peer that cannot run is a row that
says why."""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CANVAS_W, CANVAS_H = 1920, 1080
FPS = 25
GL_ENV = {"GST_GL_PLATFORM": "egl", "GST_GL_WINDOW": "egl-device", "GST_GL_API": "gles2"}
# peer -> (how to tell it is there, Debian package)
OPTIONAL = {
    "mpv": (["mpv", "--version"], "mpv"),
    "gst glvideomixer": (["gst-inspect-1.0", "glvideomixer"], "gstreamer1.0-gl"),
}


# ---------------------------------------------------------------- scenario

def scenario(root, feeds, frames):
    """Peers run in the repository root and name the clips relative to it."""
    grid = math.ceil(math.sqrt(feeds))
    clips = [os.path.join("assets", "clips", f"cam{i:02d}.mp4") for i in range(1, 17)]
    return {
        "feeds": feeds, "grid": grid, "frames": frames,
        # even: ffmpeg 5.1's xstack on yuv420p crashes on odd sizes and offsets
        "cell_w": CANVAS_W // grid // 2 * 2, "cell_h": CANVAS_H // grid // 2 * 2,
        "inputs": [clips[i % len(clips)] for i in range(feeds)],
    }


def clip_frames(path):
    """Frames in the clip, or None when ffprobe cannot tell."""
    try:
        out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                              "-show_entries", "stream=nb_frames", "-of", "csv=p=0", path],
                             capture_output=True, text=True, timeout=30)
        return int(out.stdout.strip())
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None


def cell_pos(sc, i):
    return (i % sc["grid"]) * sc["cell_w"], (i // sc["grid"]) * sc["cell_h"]


# ---------------------------------------------------------------- commands

def xstack_graph(sc, label_in, label_out):
    """scale every input to the cell, xstack them, pad to the canvas."""
    k = sc["feeds"]
    parts = [f"[{label_in(i)}]scale={sc['cell_w']}:{sc['cell_h']}[v{i}]" for i in range(k)]
    layout = "|".join("{}_{}".format(*cell_pos(sc, i)) for i in range(k))
    stack = "".join(f"[v{i}]" for i in range(k)) + f"xstack=inputs={k}:layout={layout}"
    if sc["grid"] * sc["cell_w"] != CANVAS_W or sc["grid"] * sc["cell_h"] != CANVAS_H:
        stack += f",pad={CANVAS_W}:{CANVAS_H}"
    return ";".join(parts + [stack + f"[{label_out}]"])


def ffmpeg_inputs(sc):
    args = []
    for path in sc["inputs"]:
        args += ["-threads", "1", "-stream_loop", "-1", "-i", path]
    return args


def cmd_decode(sc):
    maps = []
    for i in range(sc["feeds"]):
        maps += ["-map", f"{i}:v"]
    return ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error"] + ffmpeg_inputs(sc) + maps + \
        ["-frames:v", str(sc["frames"]), "-f", "null", "-"]


def cmd_xstack(sc):
    graph = xstack_graph(sc, lambda i: f"{i}:v", "out")
    return ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error"] + ffmpeg_inputs(sc) + \
        ["-filter_complex_threads", "1", "-filter_complex", graph, "-map", "[out]",
         "-frames:v", str(sc["frames"]), "-f", "null", "-"]


def cmd_mpv(sc):
    graph = xstack_graph(sc, lambda i: f"vid{i + 1}", "vo")
    return ["mpv", "--no-config", "--really-quiet", "--vo=null", "--ao=null", "--no-audio",
            "--untimed", "--vd-lavc-threads=1", f"--frames={sc['frames']}",
            f"--lavfi-complex={graph}", sc["inputs"][0]] + \
        [f"--external-file={p}" for p in sc["inputs"][1:]]


def cmd_gst(sc, gl):
    k, w, h = sc["feeds"], sc["cell_w"], sc["cell_h"]
    mixer = ["glvideomixer" if gl else "compositor", "name=mix", "background=black"]
    if not gl:
        mixer.append("max-threads=1")
    for i in range(k):
        x, y = cell_pos(sc, i)
        mixer += [f"sink_{i}::xpos={x}", f"sink_{i}::ypos={y}"]
        if gl:
            mixer += [f"sink_{i}::width={w}", f"sink_{i}::height={h}"]
    if gl:
        tail = [f"video/x-raw(memory:GLMemory),width={CANVAS_W},height={CANVAS_H},"
                f"framerate={FPS}/1", "!", "gldownload"]
    else:
        tail = [f"video/x-raw,format=I420,width={CANVAS_W},height={CANVAS_H},framerate={FPS}/1"]
    argv = ["gst-launch-1.0", "-q"] + mixer + ["!"] + tail + \
        ["!", "identity", f"eos-after={sc['frames']}", "!", "fakesink", "sync=false"]
    for i, path in enumerate(sc["inputs"]):
        argv += ["filesrc", f"location={path}", "!", "qtdemux", "!", "h264parse", "!",
                 "avdec_h264", "max-threads=1", "!"]
        if gl:
            argv += ["glupload", "!"]
        else:
            argv += ["videoconvert", "!", "videoscale", "!",
                     f"video/x-raw,width={w},height={h}", "!"]
        argv.append(f"mix.sink_{i}")
    return argv


def write_layout(path, sc):
    g = sc["grid"]
    lines = [f'output = {{ width = {CANVAS_W}; height = {CANVAS_H}; background = "#000000"; }};',
             f"grid = {{ rows = {g}; columns = {g}; gap = 0; }};", "cameras = ("]
    for i, clip in enumerate(sc["inputs"]):
        sep = "," if i + 1 < sc["feeds"] else ""
        url = os.path.abspath(clip)  # relative urls would resolve against the layout's folder
        lines.append(f'  {{ number = {1001 + i}; name = "Feed {i + 1}"; url = "{url}"; }}{sep}')
    lines.append(");")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def cmd_wall(wall, layout, sc, extra):
    return [wall, "--headless", "--config", layout, "--frames", str(sc["frames"]),
            "--stats", "--fps", str(FPS), "--settle-timeout", "30"] + extra


# ---------------------------------------------------------------- measuring

def measure(argv, env, timeout, cwd):
    """Runs argv as a child; returns its CPU, elapsed, peak RSS, exit and output."""
    full_env = dict(os.environ, **env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    env=full_env, cwd=cwd, start_new_session=True)
        except OSError as e:
            return {"error": f"cannot start: {e.strerror}"}
        timed_out = False
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        r = {"cpu_s": ru.ru_utime + ru.ru_stime, "elapsed_s": elapsed,
             "rss_mib": ru.ru_maxrss / 1024.0, "rc": proc.returncode,
             "stdout": out.read().decode(errors="replace"),
             "stderr": err.read().decode(errors="replace")}
    if timed_out:
        r["error"] = f"timeout after {timeout:g} s"
    elif r["rc"] != 0:
        r["error"] = f"exit {r['rc']}: {last_line(r['stderr'])}"
    return r


def last_line(text):
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (lines[-1] if lines else "no message")[:160]


def wall_details(r, frames):
    """Frames shown per feed and reduced feeds from the wall's --stats JSON."""
    try:
        stats = json.loads(r["stdout"])
    except ValueError:
        r["error"] = "no --stats JSON on stdout: " + last_line(r["stderr"])
        return
    fs = stats["feeds"]
    shown = sorted(f["frames_shown"] for f in fs)
    r["shown_min"], r["shown_median"] = shown[0], statistics.median(shown)
    r["keyframes_at_end"] = sum(1 for f in fs if f["decode"] == "keyframes")
    r["shown_below_half"] = sum(1 for s in shown if s < frames / 2)
    r["wall_cpu"] = stats["cpu_seconds"]
    r["frames_rendered"] = stats["frames_rendered"]
    m = re.search(r"OpenGL ES[^(\n]*\(([^)\n]*\)?)", r["stderr"])
    if m:
        r["renderer"] = m.group(1)


# ---------------------------------------------------------------- machine

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def eglinfo_renderer():
    if not shutil.which("eglinfo"):
        return None
    try:
        out = subprocess.run(["eglinfo"], capture_output=True, text=True, timeout=15).stdout
    except (subprocess.TimeoutExpired, OSError):
        return None
    m = re.search(r"renderer:\s*(.+)", out)
    return m.group(1).strip() if m else None


def present(probe):
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def install_optional(allowed):
    """Installs the Debian package of each optional peer that is missing."""
    for name, (probe, pkg) in OPTIONAL.items():
        if present(probe) or not allowed or os.geteuid() != 0:
            continue
        print(f"bench_peers: installing {pkg} for {name}", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg]
        try:
            if subprocess.run(cmd, env=env, capture_output=True, timeout=600).returncode:
                subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True,
                               timeout=600)
                subprocess.run(cmd, env=env, capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            pass


def warm_up(sc, root):
    """Reads the clips into the page cache; builds GStreamer's plugin registry."""
    for clip in sorted(set(sc["inputs"])):
        with open(os.path.join(root, clip), "rb") as f:
            while f.read(1 << 20):
                pass
    present(["gst-inspect-1.0", "compositor"])


# ---------------------------------------------------------------- peers

def peers(args, sc, layout, clip_len):
    """(name, argv, env, skip reason or None) for every row, in run order."""
    rows = [("pure decoding (ffmpeg)", cmd_decode(sc), {}, None),
            ("ffmpeg xstack", cmd_xstack(sc), {}, None)]
    no_loop = None
    if clip_len is not None and sc["frames"] > clip_len:
        no_loop = (f"skipped: {sc['frames']} frames > clip length {clip_len}; "
                   "this command does not loop")
    for name, argv, env, opt in (("mpv lavfi-complex", cmd_mpv(sc), {}, "mpv"),
                                 ("gst compositor", cmd_gst(sc, False), {}, None),
                                 ("gst glvideomixer", cmd_gst(sc, True), GL_ENV,
                                  "gst glvideomixer")):
        skip = no_loop
        if opt and not present(OPTIONAL[opt][0]):
            skip = f"not installed ({OPTIONAL[opt][1]})"
        rows.append((name, argv, env, skip))
    variants = args.wall_variant or [("", [])]
    for vname, vargs in variants:
        label = f"the wall ({vname})" if vname else "the wall"
        rows.append((label, cmd_wall(args.wall, layout, sc, args.wall_arg + vargs),
                     {"WALL_LOG": "info"}, None))
    return rows


def run_all(rows, repeat, timeout, frames, cwd):
    results = {name: [] for name, *_ in rows}
    for rep in range(repeat):
        for name, argv, env, skip in rows:
            if skip:
                continue
            print(f"bench_peers: run {rep + 1}/{repeat}: {name}", file=sys.stderr)
            r = measure(argv, env, timeout, cwd)
            if name.startswith("the wall") and "error" not in r:
                wall_details(r, frames)
            r.pop("stdout", None)
            r["stderr"] = r.get("stderr", "")[-2000:]
            results[name].append(r)
    return results


def summarize(name, runs, skip, frames):
    """Median over the runs that succeeded; a failure if none did."""
    if skip:
        return {"peer": name, "failed": skip}
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"peer": name, "failed": "failed: " + runs[0]["error"]}

    def med(key):
        return statistics.median(r[key] for r in good)
    s = {"peer": name, "runs": len(runs), "ok": len(good),
         "cpu_s": med("cpu_s"), "elapsed_s": med("elapsed_s"), "rss_mib": med("rss_mib")}
    if "shown_min" in good[0]:
        s.update(shown_min=med("shown_min"), shown_median=med("shown_median"),
                 keyframes_at_end=med("keyframes_at_end"),
                 shown_below_half=med("shown_below_half"),
                 frames_rendered=med("frames_rendered"),
                 wall_cpu={k: statistics.median(r["wall_cpu"][k] for r in good)
                           for k in good[0]["wall_cpu"]},
                 renderer=good[0].get("renderer"))
        s["fps"] = s["frames_rendered"] / s["elapsed_s"]
    else:
        s.update(shown_min=frames, shown_median=frames, keyframes_at_end=0, shown_below_half=0,
                 fps=frames / s["elapsed_s"])
    if len(good) < len(runs):
        s["note"] = f"{len(runs) - len(good)} of {len(runs)} runs failed: " + \
            next(r["error"] for r in runs if "error" in r)
    return s


def add_ratios(summary):
    base = {s["peer"]: s for s in summary if "cpu_s" in s}
    dec, xs = base.get("pure decoding (ffmpeg)"), base.get("ffmpeg xstack")
    for s in summary:
        if "cpu_s" not in s:
            continue
        s["cpu_per_decode"] = s["cpu_s"] / dec["cpu_s"] if dec else None
        s["cpu_per_xstack"] = s["cpu_s"] / xs["cpu_s"] if xs else None
        s["rss_per_xstack"] = s["rss_mib"] / xs["rss_mib"] if xs else None


# ---------------------------------------------------------------- output

def fmt(v, spec=".2f"):
    return "n/a" if v is None else format(v, spec)


def table(summary):
    lines = ["| peer | CPU s | elapsed s | output fps | peak RSS MiB | frames shown per feed "
             "(min / median) | feeds reduced (key frames only at end / shown < F/2) "
             "| CPU / decoding | CPU / xstack | RSS / xstack |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for s in summary:
        if "cpu_s" not in s:
            lines.append(f"| {s['peer']} | {s['failed']} | | | | | | | | |")
            continue
        reduced = f"{s['keyframes_at_end']:g} / {s['shown_below_half']:g}"
        lines.append(
            f"| {s['peer']} | {s['cpu_s']:.2f} | {s['elapsed_s']:.2f} | {s['fps']:.1f} "
            f"| {s['rss_mib']:.0f} | {s['shown_min']:g} / {s['shown_median']:g} | {reduced} "
            f"| {fmt(s['cpu_per_decode'])} | {fmt(s['cpu_per_xstack'])} "
            f"| {fmt(s['rss_per_xstack'])} |")
    return lines


def notes(summary, sc):
    out = []
    for s in summary:
        if s["peer"] == "ffmpeg xstack" and "cpu_s" in s:
            rt = "keeps up with" if s["fps"] >= FPS else "falls short of"
            out.append(f"- ffmpeg xstack achieved **{s['fps']:.1f} fps** ({sc['frames']} frames "
                       f"/ {s['elapsed_s']:.2f} s, start-up included): it {rt} real time "
                       f"({FPS} fps) for {sc['feeds']} feeds with one thread doing it all.")
        if "wall_cpu" in s:
            c = s["wall_cpu"]
            out.append(f"- {s['peer']}: CPU s by thread role feed {c.get('feed', 0):.2f} / "
                       f"render {c.get('render', 0):.2f} / GL {c.get('gl', 0):.2f} / "
                       f"other {c.get('other', 0):.2f}; {s['frames_rendered']:g} frames rendered.")
        if s.get("note"):
            out.append(f"- {s['peer']}: {s['note']}")
    out.append("- Output fps is frames / elapsed, start-up included. The peers run untimed; "
               "the wall is paced at 25 fps and its elapsed time includes waiting for every "
               "feed to show a picture.")
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wall", default=os.path.join(root, "build", "wall", "wall"),
                    help="the wall's binary (default: build/wall/wall)")
    ap.add_argument("--feeds", type=int, default=16,
                    help="K feeds on a ceil(sqrt(K)) square grid (default 16)")
    ap.add_argument("--frames", type=int, default=200, help="F output frames (default 200)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of every peer, interleaved; the table shows medians")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per child")
    ap.add_argument("--wall-arg", action="append", default=[],
                    help="extra argument for every wall run, repeatable; "
                         "write it as --wall-arg=--draw=gl")
    ap.add_argument("--wall-variant", action="append", type=variant, metavar="NAME:ARGS",
                    help="a wall row named NAME run with ARGS (shell words), repeatable, "
                         "e.g. --wall-variant gl:--draw=gl --wall-variant rgb:--draw=rgb")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install missing optional peers")
    args = ap.parse_args()
    if args.feeds < 1 or args.frames < 1 or args.repeat < 1:
        ap.error("--feeds, --frames and --repeat must be at least 1")

    if os.sep in args.wall:
        args.wall = os.path.abspath(args.wall)  # children run in the repository root
    sc = scenario(root, args.feeds, args.frames)
    install_optional(not args.no_install)
    warm_up(sc, root)
    clip_len = clip_frames(os.path.join(root, sc["inputs"][0]))
    with tempfile.TemporaryDirectory() as tmp:
        layout = os.path.join(tmp, "peers.cfg")
        write_layout(layout, sc)
        rows = peers(args, sc, layout, clip_len)
        results = run_all(rows, args.repeat, args.timeout, args.frames, root)
    summary = [summarize(name, results[name], skip, args.frames) for name, _, _, skip in rows]
    add_ratios(summary)

    renderer = eglinfo_renderer() or next((s["renderer"] for s in summary
                                           if s.get("renderer")), None)
    machine = {"cpu": cpu_model(), "cores": os.cpu_count(), "renderer": renderer,
               "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}
    print(f"Machine: {machine['cpu']}, {machine['cores']} cores"
          + (f"; GL: {renderer}" if renderer else "") + f"; {machine['date']}")
    print(f"Scenario: {sc['feeds']} feeds of 640x360 H.264 on a {sc['grid']}x{sc['grid']} grid "
          f"of {CANVAS_W}x{CANVAS_H} (cells {sc['cell_w']}x{sc['cell_h']}), {sc['frames']} "
          f"frames at {FPS} fps; median of {args.repeat} interleaved run(s)")
    print()
    print("\n".join(table(summary)))
    print()
    print("\n".join(notes(summary, sc)))
    print()
    print(f"Commands, run in the repository root ({os.path.basename(layout)}: a generated "
          f"layout, grid {sc['grid']}x{sc['grid']}, gap 0, feed i showing "
          "cam(i mod 16 + 1).mp4 by absolute path):")
    print()
    print("```")
    for name, argv, env, _ in rows:
        envs = " ".join(f"{k}={v}" for k, v in env.items())
        print(f"# {name}\n{(envs + ' ') if envs else ''}{shlex.join(argv)}")
    print("```")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine,
                       "scenario": {k: v for k, v in sc.items() if k != "inputs"},
                       "inputs": sc["inputs"], "repeat": args.repeat, "summary": summary,
                       "runs": results,
                       "commands": {name: {"argv": argv, "env": env}
                                    for name, argv, env, _ in rows}}, f, indent=1)
    return 0


def variant(text):
    name, sep, rest = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected NAME:ARGS, e.g. gl:--draw=gl")
    return name, shlex.split(rest)


if __name__ == "__main__":
    sys.exit(main())
