#!/usr/bin/python3
"""Writes the fuzzers' seed corpora from the project's own test material.

    fuzz/make-corpus.py            (re)writes fuzz/corpus/{layout,control,stream}/

layout:  every tests/layouts/*.cfg and layouts/examples/starter-2x2.cfg, and
         c5-cancun.cfg (and c5-stations.cfg, which includes it) with a
         120-camera registry; files that @include
         others carry them after a "%%" line each, renamed a.cfg, b.cfg,
         c.cfg (the layout fuzzer's input format, fuzz/layout_fuzz.c).
control: the commands of tests/integration/test_control.py and the other
         socket tests, good and bad, a few per seed, and operator requests
         ("!KIND ..." lines, fuzz/control_fuzz.c).
stream:  tiny clips (64x36, under a second, a few KB) in the containers and
         codecs a camera or a file camera may send, and damaged ones; the
         first byte of each seed is the stream fuzzer's mode byte
         (fuzz/stream_fuzz.c). Needs ffmpeg with libx264 and libx265.
Deterministic: the same tools write the same bytes.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
SEPARATOR = b"\n%%\n"
INCLUDE_NAMES = ["a.cfg", "b.cfg", "c.cfg"]


def write(target, name, data):
    path = os.path.join(CORPUS, target, name)
    with open(path, "wb") as f:
        f.write(data)


def bundle(main_path, main_text):
    """The layout fuzzer's input: the main file, then its includes."""
    folder = os.path.dirname(main_path)
    parts, names = [], {}

    def rename(match):
        name = match.group(2).decode()
        path = os.path.join(folder, name)
        if name not in names and os.path.isfile(path) and len(names) < len(INCLUDE_NAMES):
            names[name] = INCLUDE_NAMES[len(names)]
            with open(path, "rb") as f:
                parts.append(f.read())
        return match.group(1) + names.get(name, name).encode() + match.group(3)

    # Only real @include lines, not a quoted or commented mention.
    text = re.sub(rb'(^[ \t]*@include[ \t]+")([^"]+)(")', rename, main_text, flags=re.M)
    return SEPARATOR.join([text] + parts)


def layout_corpus():
    sources = sorted(os.path.join(ROOT, "tests", "layouts", n)
                     for n in os.listdir(os.path.join(ROOT, "tests", "layouts"))
                     if n.endswith(".cfg") and not n.startswith("inc-"))
    sources.append(os.path.join(ROOT, "layouts", "examples", "starter-2x2.cfg"))
    for path in sources:
        with open(path, "rb") as f:
            write("layout", os.path.basename(path), bundle(path, f.read()))
    # The full C5 example, with a registry small enough to mutate.
    examples = os.path.join(ROOT, "layouts", "examples")
    registry = subprocess.run([sys.executable, os.path.join(examples, "gen-registry.py"),
                               "--count", "120"], check=True, capture_output=True).stdout
    with open(os.path.join(examples, "c5-cancun.cfg"), "rb") as f:
        cancun = f.read()
    with open(os.path.join(examples, "c5-credentials.cfg"), "rb") as f:
        credentials = f.read()
    cancun = cancun.replace(b'"c5-credentials.cfg"', b'"a.cfg"')
    cancun = cancun.replace(b'"c5-registry.cfg"', b'"b.cfg"')
    write("layout", "c5-cancun.cfg", SEPARATOR.join([cancun, credentials, registry]))
    # The same wall driven by stations: it includes c5-cancun.cfg whole.
    with open(os.path.join(examples, "c5-stations.cfg"), "rb") as f:
        stations = f.read().replace(b'"c5-cancun.cfg"', b'"c.cfg"')
    write("layout", "c5-stations.cfg", SEPARATOR.join([stations, credentials, registry, cancun]))


CONTROL_SEEDS = {
    "help": ["help"],
    "stats-tiles": ["stats", "tiles"],
    "snapshot": ["snapshot", "snapshot canvas.png", "snapshot a b"],
    "errors": ["frobnicate the wall", "maximize", "maximize 1", "page 1", "restore",
               "restore 1 2", "stats now", "maximize 1 2 3"],
    "bad-values": ["maximize 1 99", "maximize nosuchoutput 1", "page 1 0", "page 3 1",
                   "put -1 1 1", "put 101 1 0", "alarm 0 1 5", "tour 1 1 nosuch"],
    "pages": ["page 1 2", "tiles", "page ssc-1 1", "page g911-1 1", "tiles"],
    "maximize": ["maximize 1 1", "tiles", "restore 1", "maximize ssc-1 3", "page 1 2",
                 "maximize 1 7", "restore ssc-1"],
    "put": ["put 102 1 1", "put 5001 1 2", "put 104 1 3", "put 0 1 4", "put 5002 2 4",
            "put 999999 2 1", "tiles"],
    "tours": ["tour 1 3 ronda", "tour 2 3 bancos", "tour 1 4 bancos", "tour 1 3 stop",
              "tiles"],
    "alarm": ["alarm 5001 2 10", "alarm 101 1 1", "alarm 103 ssc-1 3600", "tiles"],
    "select": ["select 2", "select 1 4", "select g911-1 2", "select 3"],
    "long-line": ["stats " + "x" * 300, "help"],
    "whitespace": ["  help", "\tstats\t", "page\t1\t2", "tiles\r", ""],
    "too-many-args": ["a b c d e f g h i j"],
    "operator-zoom": ["!9 0 0 0 0 1", "!10 0 0 0 0 1.5", "!11 0 0 0.2 -0.1 1",
                      "!11 0 0 -1 1 1", "!10 0 0 0 0 0.5", "!9 0 0 0 0 1"],
    "operator-select": ["!0 0 0 1 0 1", "!0 0 0 0 1 1", "!1 1 0 0 0 1", "!1 1 1 0 0 1",
                        "!2 3 0 0 0 1", "!3 102 0 0 0 1", "tiles"],
    "operator-page": ["!5 1 0 0 0 1", "!5 1 1 0 0 1", "!5 -1 1 0 0 1", "!4 0 0 0 0 1",
                      "!4 0 0 0 0 1", "tiles"],
    "operator-tour": ["!2 2 0 0 0 1", "!6 1 0 0 0 1", "!7 0 0 0 0 1", "!6 0 0 0 0 1"],
    "operator-snapshot": ["!2 0 0 0 0 1", "!8 0 0 0 0 1", "select 2 1", "!8 0 0 0 0 1"],
}


def control_corpus():
    for name, lines in CONTROL_SEEDS.items():
        write("control", name, ("\n".join(lines) + "\n").encode())


def ffmpeg(args, out):
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                    "-threads", "1", *args, "-fflags", "+bitexact", "-flags:v", "+bitexact",
                    out], check=True)
    with open(out, "rb") as f:
        return f.read()


MODE_PACED, MODE_LIVE = 0, 1
EXT = {"ts": 0, "mp4": 1, "mkv": 2, "h264": 3}


def seed(name, mode, ext, data):
    write("stream", name, bytes([mode | (EXT[ext] << 2)]) + data)


def stream_corpus(tmp):
    src = "testsrc2=size=64x36:rate=25"
    x264 = ["-c:v", "libx264", "-crf", "34", "-bf", "0", "-g", "5", "-x264-params",
            "log-level=error"]

    def clip(name, args, duration="0.4", source=src):
        return ffmpeg(["-f", "lavfi", "-i", source, "-t", duration, "-an", *args],
                      os.path.join(tmp, name))

    ts_args = ["-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts"]
    h264_ts = clip("a.ts", [*x264, "-pix_fmt", "yuv420p", *ts_args])
    seed("h264.ts", MODE_LIVE, "ts", h264_ts)
    seed("h264-paced.ts", MODE_PACED, "ts", h264_ts)
    h264_mp4 = clip("a.mp4", [*x264, "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
    seed("h264.mp4", MODE_LIVE, "mp4", h264_mp4)
    seed("h264-paced.mp4", MODE_PACED, "mp4", h264_mp4)
    # B-frames: the first packets' DTS are negative (an edit list).
    bframes = clip("b.mp4", ["-c:v", "libx264", "-crf", "34", "-bf", "2", "-g", "10",
                             "-x264-params", "log-level=error", "-pix_fmt", "yuv420p",
                             "-movflags", "+faststart"], "0.6")
    seed("h264-bframes.mp4", MODE_LIVE, "mp4", bframes)
    seed("h264-bframes-paced.mp4", MODE_PACED, "mp4", bframes)
    seed("h264-annexb.h264", MODE_PACED, "h264",
         clip("a.h264", [*x264, "-pix_fmt", "yuv420p", "-f", "h264"]))
    seed("h265.ts", MODE_LIVE, "ts",
         clip("b.ts", ["-c:v", "libx265", "-crf", "34", "-bf", "0", "-g", "5",
                       "-x265-params", "log-level=error:pools=none:frame-threads=1",
                       "-pix_fmt", "yuv420p", *ts_args]))
    seed("h264-422.mkv", MODE_LIVE, "mkv", clip("c.mkv", [*x264, "-pix_fmt", "yuv422p"]))
    # Short clips whose stream info takes the whole file to find (here, and
    # the raw H.264 above): as a live stream (fflags nobuffer) the probe
    # would eat every packet; as a file camera they decode.
    seed("h264-10bit.mkv", MODE_PACED, "mkv",
         clip("d.mkv", [*x264, "-pix_fmt", "yuv420p10le"]))
    seed("mjpeg-full-range.mkv", MODE_LIVE, "mkv",
         clip("e.mkv", ["-c:v", "mjpeg", "-q:v", "20", "-pix_fmt", "yuvj422p"], "0.2"))
    seed("mpeg2.ts", MODE_LIVE, "ts",
         clip("f.ts", ["-c:v", "mpeg2video", "-q:v", "20", "-g", "5", *ts_args], "0.3"))
    seed("rgb-ffv1.mkv", MODE_PACED, "mkv",
         clip("g.mkv", ["-c:v", "ffv1", "-pix_fmt", "bgr0"], "0.12",
              "testsrc2=size=32x18:rate=25"))
    # The size changes mid-stream, as when a camera's settings change.
    small = clip("h.ts", [*x264, "-pix_fmt", "yuv420p", *ts_args], "0.2",
                 "testsrc2=size=48x32:rate=25")
    seed("size-change.ts", MODE_LIVE, "ts", h264_ts + small)
    seed("size-change-paced.ts", MODE_PACED, "ts", h264_ts + small)
    # Damaged: bytes overwritten, the end cut off.
    rng = random.Random(7)
    damaged = bytearray(h264_ts)
    for _ in range(24):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    seed("h264-damaged.ts", MODE_LIVE, "ts", bytes(damaged))
    seed("h264-cut.mp4", MODE_LIVE, "mp4", h264_mp4[: len(h264_mp4) * 2 // 3])
    seed("empty", MODE_LIVE, "ts", b"")


def main():
    for target in ("layout", "control", "stream"):
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, target))
    layout_corpus()
    control_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        stream_corpus(tmp)
    for target in ("layout", "control", "stream"):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, n)) for n in files)
        print(f"fuzz/corpus/{target}: {len(files)} seeds, {size} bytes")


if __name__ == "__main__":
    main()
