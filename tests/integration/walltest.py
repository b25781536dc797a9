"""Shared helpers of the wall's integration tests.

Every test is its own script, run by `meson test` with /usr/bin/python3:

    WALL_BIN          the wall binary under test (set by meson)
    WALL_SOURCE_ROOT  the source tree (assets/, tests/rtsp_server.py)

A script calls `walltest.main(run)`: `run(tmp)` gets a fresh scratch
directory (removed afterwards) and raises `Failure` (exit 1) or `Skip`
(exit 77, the meson/automake "skipped" code); returning means pass (exit 0).

Conventions the tests rely on (the wall's contract):
- Tile rectangles: `tile_rects()` computes them exactly as the wall does.
- Never assert pixels in the bottom 25% of a tile, nor within 12 px of a
  tile edge (a camera label may be drawn there): use `safe_area()`.
- Slates are checked at a point 15% in from the tile's top-left corner
  (`slate_point()`), never at the centre, where the slate text is.

Waiting is done on events (a line on a pipe, a file descriptor, a process
exit); timeouts exist only as failure guards.
"""

import contextlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

PYTHON = "/usr/bin/python3"
SKIP_EXIT = 77

# Colours of the wall's slates (contract).
SLATE_NO_SIGNAL = (0x3C, 0x14, 0x14)
SLATE_CONNECTING = (0x14, 0x28, 0x3C)

LABEL_MARGIN = 12  # px from a tile edge where a label or border may be drawn
LABEL_BOTTOM = 0.25  # fraction of a tile, at its bottom, where the label may be


# --------------------------------------------------------------------------
# Outcomes


class Failure(Exception):
    """The wall did not do what the contract says: the test fails (exit 1)."""


class Skip(Exception):
    """The test cannot run here (a tool is missing): exit 77 with the reason."""


def check(condition, message):
    """Fail the test with `message` unless `condition` holds."""
    if not condition:
        raise Failure(message)


def log(message):
    print(message, flush=True)


def main(run):
    """Run `run(tmp)` in a scratch directory and exit with 0, 1 or 77."""
    name = os.path.basename(sys.argv[0])
    tmp = tempfile.mkdtemp(prefix="walltest-")
    keep = bool(os.environ.get("WALLTEST_KEEP"))
    status = 1
    try:
        run(tmp)
        log(f"PASS {name}")
        status = 0
    except Skip as skip:
        log(f"SKIP {name}: {skip}")
        status = SKIP_EXIT
    except (Failure, AssertionError) as failure:
        log(f"FAIL {name}: {failure}")
        keep = True
    except Exception:  # a bug in the test or the harness: still a failure
        traceback.print_exc()
        log(f"FAIL {name}: unexpected error (traceback above)")
        keep = True
    finally:
        if keep:
            log(f"scratch files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(status)


# --------------------------------------------------------------------------
# Locations and tools


def source_root():
    root = os.environ.get("WALL_SOURCE_ROOT")
    if root:
        return root
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def wall_bin():
    path = os.environ.get("WALL_BIN")
    if not path:
        raise Skip("WALL_BIN is not set (run through `meson test`)")
    if not os.access(path, os.X_OK):
        raise Failure(f"WALL_BIN={path} is not an executable file")
    return path


def require_tool(name):
    """The path of a program, or skip the test when it is not installed."""
    path = shutil.which(name)
    if not path:
        raise Skip(f"{name} is not installed")
    return path


# --------------------------------------------------------------------------
# Geometry


def split_extent(extent, cells, gap):
    """[(offset, size)] of `cells` cells along one axis of `extent` pixels.

    The outer border is one gap wide; the cells share extent-(cells+1)*gap
    as evenly as integers allow, the first (remainder) cells getting one
    extra pixel (same rule as layouts/geometry.c).
    """
    room = extent - (cells + 1) * gap
    if room < cells:
        raise ValueError(f"{cells} cells with gap {gap} do not fit in {extent} px")
    base, extra = divmod(room, cells)
    spans, offset = [], gap
    for i in range(cells):
        size = base + (1 if i < extra else 0)
        spans.append((offset, size))
        offset += size + gap
    return spans


def tile_rects(width, height, rows, columns, gap):
    """Tile rectangles (x, y, w, h) of a grid, row-major like the cameras."""
    xs = split_extent(width, columns, gap)
    ys = split_extent(height, rows, gap)
    return [(x, y, w, h) for (y, h) in ys for (x, w) in xs]


def gap_rects(width, height, rows, columns, gap):
    """Rectangles covering every canvas pixel outside the tiles: the gap rows
    (full width) and the gap columns between them."""
    if gap == 0:
        return []
    ys = split_extent(height, rows, gap)
    xs = split_extent(width, columns, gap)
    rects = [(0, 0, width, gap)]  # top border
    for y, h in ys:
        rects.append((0, y + h, width, gap))  # below each row
        rects.append((0, y, gap, h))  # left border
        rects += [(x + w, y, gap, h) for x, w in xs]  # right of each column
    return rects


def fit_rect(box, aspect_w, aspect_h):
    """The largest aspect_w:aspect_h rectangle centred in box (letterbox).

    Rounding may differ from the wall's by a pixel: assert a few pixels
    away from the edges of the result.
    """
    x, y, w, h = box
    if w * aspect_h > h * aspect_w:  # box wider than the picture: pillarbox
        pw, ph = round(h * aspect_w / aspect_h), h
    else:
        pw, ph = w, round(w * aspect_h / aspect_w)
    return (x + (w - pw) // 2, y + (h - ph) // 2, pw, ph)


def safe_area(rect, margin=LABEL_MARGIN):
    """The part of a tile where pixels may be asserted: not within `margin`
    of an edge and not in the bottom 25% (a camera label may be there)."""
    x, y, w, h = rect
    bottom = y + int(h * (1 - LABEL_BOTTOM))
    return (x + margin, y + margin, w - 2 * margin, bottom - (y + margin))


def centre(rect):
    x, y, w, h = rect
    return (x + w // 2, y + h // 2)


def slate_point(rect):
    """The point 15% in from a tile's top-left corner, where the slate colour
    is asserted (the slate text is centred)."""
    x, y, w, h = rect
    return (x + round(0.15 * w), y + round(0.15 * h))


# --------------------------------------------------------------------------
# Pictures


class Picture:
    """An RGB picture read from a PNG file."""

    def __init__(self, path):
        try:
            from PIL import Image
        except ImportError:
            raise Skip("python3-pil is not installed")
        with Image.open(path) as image:
            self.mode = image.mode  # as stored in the file
            self.image = image.convert("RGB")
        self.path = path
        self.width, self.height = self.image.size
        self._pixels = self.image.load()

    def pixel(self, x, y):
        return tuple(self._pixels[x, y])

    def crop(self, rect):
        x, y, w, h = rect
        return self.image.crop((x, y, x + w, y + h))

    def stddev(self, rect):
        """The largest per-channel standard deviation over rect."""
        from PIL import ImageStat
        return max(ImageStat.Stat(self.crop(rect)).stddev)

    def mean(self, rect):
        from PIL import ImageStat
        return tuple(ImageStat.Stat(self.crop(rect)).mean)

    def count(self, rect, predicate):
        """How many pixels of rect satisfy predicate((r, g, b))."""
        return sum(1 for p in self.crop(rect).getdata() if predicate(p))

    def colours(self, rect):
        """{(r, g, b): count} over rect."""
        # A region has at most as many colours as pixels: a smaller table is
        # the same answer, and much faster than 2^24 entries.
        limit = max(1, min(1 << 24, rect[2] * rect[3]))
        return {c: n for n, c in self.crop(rect).getcolors(maxcolors=limit)}


def read_png(path):
    check(os.path.isfile(path), f"no PNG written at {path}")
    return Picture(path)


def pixel(picture, x, y):
    return picture.pixel(x, y)


def read_snapshot(path, width, height):
    """Read the wall's snapshot, checking it is an RGB PNG of the canvas size."""
    picture = read_png(path)
    check(picture.mode == "RGB", f"{path}: expected an RGB PNG, got mode {picture.mode}")
    check((picture.width, picture.height) == (width, height),
          f"{path}: expected {width}x{height}, got {picture.width}x{picture.height}")
    return picture


def rgb_hex(rgb):
    return "#%02x%02x%02x" % tuple(rgb)


def parse_hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def rgb_close(actual, expected, tolerance=4):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def assert_rgb_close(actual, expected, tolerance=4, what="pixel"):
    actual, expected = tuple(actual), tuple(expected)
    check(rgb_close(actual, expected, tolerance),
          f"{what}: got {actual} {rgb_hex(actual)}, expected {expected} "
          f"{rgb_hex(expected)} within {tolerance} per channel")


def assert_region_colour(picture, rect, expected, tolerance=4, what="region"):
    """Every pixel of rect is within tolerance of expected."""
    bad = [(c, n) for c, n in picture.colours(rect).items()
           if not rgb_close(c, expected, tolerance)]
    if bad:
        worst = max(bad, key=lambda cn: max(abs(a - e) for a, e in zip(cn[0], expected)))
        total = sum(n for _, n in bad)
        raise Failure(f"{what} {rect}: {total} pixels differ from {expected} "
                      f"{rgb_hex(expected)} by more than {tolerance}, e.g. {worst[0]}")


def is_text_pixel(p):
    return all(c > 200 for c in p)


def assert_slate(picture, rect, colour, what, min_text_pixels=20):
    """The tile shows a slate: `colour` at the 15% point, and some white text."""
    x, y = slate_point(rect)
    assert_rgb_close(picture.pixel(x, y), colour, 4, f"{what}: slate colour at ({x},{y})")
    text = picture.count(safe_area(rect), is_text_pixel)
    check(text >= min_text_pixels,
          f"{what}: expected slate text (white pixels) in {safe_area(rect)}, found {text}")


def is_slate_colour(rgb):
    return rgb_close(rgb, SLATE_NO_SIGNAL) or rgb_close(rgb, SLATE_CONNECTING)


# --------------------------------------------------------------------------
# Clips


def run_tool(argv, timeout=120, what=None):
    """Run a helper tool (ffmpeg...) that must succeed; returns its stdout."""
    require_tool(argv[0])
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"{what or argv[0]} took more than {timeout} s: {' '.join(argv)}")
    if done.returncode != 0:
        raise Failure(f"{what or argv[0]} failed ({done.returncode}): {' '.join(argv)}\n"
                      + done.stderr.decode(errors="replace")[-2000:])
    return done.stdout


COLOUR_TAGS = {"bt601": "smpte170m", "bt709": "bt709"}


def make_clip(path, source=None, *, image=None, duration=2, rate=25, matrix="bt601",
              full_range=False, crf=10, vf=None, codec="libx264", threads=None):
    """Encode a test clip (libx264 unless `codec` says otherwise; no B-frames,
    a keyframe a second).

    source: a lavfi source graph (e.g. "color=c=#c83232:size=320x240"), or
    image: a picture file shown for the whole clip. The RGB source is
    converted to YUV with `matrix` (bt601 / bt709), limited range, or full
    range as yuvj420p (x264 then writes the full-range flag); the stream is
    tagged accordingly. `vf`: extra filters applied to the RGB source.
    The container follows the extension: .mp4 (+faststart) or .ts (MPEG-TS
    with -muxdelay 0 -muxpreload 0, for the RTSP server).
    codec: "libx264" (default) or "libx265" (H.265, same settings).
    threads: encoder threads; 1 makes the same bitstream on every machine
    (x264's output depends on its thread count, which follows the cores).
    """
    if (source is None) == (image is None):
        raise ValueError("make_clip needs exactly one of source and image")
    if image is not None:
        inputs = ["-loop", "1", "-framerate", str(rate), "-i", image]
    else:
        inputs = ["-f", "lavfi", "-i", source]
    pix_fmt = "yuvj420p" if full_range else "yuv420p"
    filters = [f"fps={rate}"] + ([vf] if vf else []) + [
        "format=rgb24",
        f"scale=out_color_matrix={matrix}:out_range={'full' if full_range else 'tv'}"
        ":flags=accurate_rnd+full_chroma_int+bitexact",
        f"format={pix_fmt}",
        "setsar=1",
    ]
    tag = COLOUR_TAGS[matrix]
    argv = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *inputs,
            "-t", str(duration), "-an", "-vf", ",".join(filters),
            "-c:v", codec, "-pix_fmt", pix_fmt, "-crf", str(crf),
            "-bf", "0", "-g", str(rate), "-keyint_min", str(rate), "-sc_threshold", "0",
            "-colorspace", tag, "-color_primaries", tag, "-color_trc", tag,
            "-color_range", "pc" if full_range else "tv"]
    if codec == "libx265":
        argv += ["-x265-params", "log-level=error"]
    if threads:
        argv += ["-threads", str(threads)]
    if path.endswith(".ts"):
        argv += ["-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts"]
    else:
        argv += ["-movflags", "+faststart"]
    run_tool(argv + [path], what=f"ffmpeg making {os.path.basename(path)}")
    return path


def probe_stream(path):
    """ffprobe's description of the first video stream, as a dict."""
    out = run_tool(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=codec_name,width,height,pix_fmt,color_range,color_space,"
                    "has_b_frames", "-of", "json", path])
    return json.loads(out)["streams"][0]


def decode_rgb(path, x, y, matrix="bt601", full_range=False, frame=0):
    """The RGB pixel (x, y) of a clip's frame as FFmpeg decodes it, converting
    with the given matrix and range: what the wall should show there."""
    info = probe_stream(path)
    width, height = info["width"], info["height"]
    vf = (f"select=eq(n\\,{frame}),scale=in_color_matrix={matrix}:"
          f"in_range={'full' if full_range else 'tv'}:"
          "flags=accurate_rnd+full_chroma_int+bitexact,format=rgb24")
    raw = run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
                    "-vf", vf, "-frames:v", "1", "-f", "rawvideo", "-"])
    check(len(raw) >= width * height * 3, f"ffmpeg decoded no frame of {path}")
    offset = (y * width + x) * 3
    return tuple(raw[offset:offset + 3])


class RgbFrame:
    """One frame of a clip or picture file as FFmpeg converts it to RGB with
    a given reading (matrix bt601 / bt709, limited or full range): what a
    wall that reads it so shows. `pixel(x, y)` in the frame's own pixels."""

    def __init__(self, path, matrix="bt601", full_range=False, frame=0):
        info = probe_stream(path)
        self.width, self.height = info["width"], info["height"]
        vf = (f"select=eq(n\\,{frame}),scale=in_color_matrix={matrix}:"
              f"in_range={'full' if full_range else 'tv'}:"
              "flags=accurate_rnd+full_chroma_int+bitexact,format=rgb24")
        self.raw = run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                             "-i", path, "-vf", vf, "-frames:v", "1", "-f", "rawvideo", "-"])
        check(len(self.raw) >= self.width * self.height * 3,
              f"ffmpeg decoded no frame {frame} of {path}")

    def pixel(self, x, y):
        offset = (y * self.width + x) * 3
        return tuple(self.raw[offset:offset + 3])


# 75% colour bars (191 = 0.75 * 255) and a 40% grey: (name, RGB).
BARS_75 = [
    ("white 75%", (191, 191, 191)),
    ("yellow 75%", (191, 191, 0)),
    ("cyan 75%", (0, 191, 191)),
    ("green 75%", (0, 191, 0)),
    ("magenta 75%", (191, 0, 191)),
    ("red 75%", (191, 0, 0)),
    ("blue 75%", (0, 0, 191)),
    ("grey 40%", (102, 102, 102)),
]


def join_ts(first, second, seconds, path):
    """An MPEG-TS clip that plays `first` (`seconds` long), then `second`
    (each made by make_clip with .ts): the second's timestamps are shifted
    by `seconds`, so a camera changing mid-stream (size, colour) is one
    stream. Checks nothing about what the parts hold. Returns path."""
    shifted = path + ".second.ts"
    run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", second,
              "-c", "copy", "-output_ts_offset", str(seconds), "-muxdelay", "0",
              "-muxpreload", "0", "-f", "mpegts", shifted],
             what="ffmpeg shifting the second part")
    with open(path, "wb") as out:
        for part in (first, shifted):
            with open(part, "rb") as f:
                out.write(f.read())
    os.remove(shifted)
    return path


def save_bars(path, width, height, colours):
    """A PNG of vertical bars of the given RGB colours, equally wide."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate(colours):
        x0 = i * width // len(colours)
        x1 = (i + 1) * width // len(colours)
        draw.rectangle((x0, 0, x1 - 1, height - 1), fill=tuple(colour))
    image.save(path)
    return path


def bar_centres(width, count):
    """x of the centre of each of `count` equal vertical bars over width."""
    return [(i * width // count + (i + 1) * width // count) // 2 for i in range(count)]


# --------------------------------------------------------------------------
# Layout files


def cfg_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(path, *, width, height, rows, columns, gap, cameras,
                 background="#202020", fit="letterbox"):
    """Write a layout file; cameras: [(number, name, url)] or
    [(number, name, url, sub_url)] (a sub stream), row-major."""
    lines = [
        "# written by the wall's integration tests",
        f'output = {{ id = "main"; width = {width}; height = {height}; '
        f"background = {cfg_string(background)}; }};",
        f"grid = {{ rows = {rows}; columns = {columns}; gap = {gap}; fit = {cfg_string(fit)}; }};",
        "cameras = (",
    ]
    entries = []
    for camera in cameras:
        number, name, url = camera[:3]
        sub = f" sub = {cfg_string(camera[3])};" if len(camera) > 3 and camera[3] else ""
        entries.append(f"  {{ number = {number}; name = {cfg_string(name)}; "
                       f"url = {cfg_string(url)};{sub} }}")
    lines.append(",\n".join(entries))
    lines.append(");")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


# --------------------------------------------------------------------------
# Child processes


class LineReader:
    """Drains a child's pipe on a thread, keeping its lines, so that the
    child never blocks on a full pipe and tests can wait for a line."""

    def __init__(self, stream, echo=None):
        self.lines = []
        self._echo = echo
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if self._echo:
                print(f"{self._echo}{line}", file=sys.stderr, flush=True)
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def wait_for(self, pattern, timeout, since=0):
        """The first match of regex `pattern` in a line, waiting for it up to
        `timeout` s; None if the pipe closed or the time ran out first.
        `since`: ignore the lines before this index (see mark())."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = since
        with self._cond:
            while True:
                for line in self.lines[seen:]:
                    match = regex.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    return None
                self._cond.wait(left)

    def mark(self):
        """The index of the next line: pass it as wait_for(since=...) to wait
        for a line that comes after this moment."""
        with self._cond:
            return len(self.lines)

    def matching(self, pattern, since=0):
        """The lines (from index `since` on) in which regex `pattern` occurs."""
        regex = re.compile(pattern)
        with self._cond:
            return [line for line in self.lines[since:] if regex.search(line)]

    def join(self, timeout=5):
        self._thread.join(timeout)

    def text(self):
        with self._cond:
            return "\n".join(self.lines)


def stop_process(proc, sig=signal.SIGTERM, timeout=10):
    """Stop a child we started: `sig`, then SIGKILL if it lingers.
    Returns its exit status."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
    return proc.returncode


class RtspServer:
    def __init__(self, proc, port, stderr):
        self.proc, self.port, self.stderr = proc, port, stderr

    def url(self, mount):
        return f"rtsp://127.0.0.1:{self.port}/{mount}"


@contextlib.contextmanager
def start_rtsp_server(mounts, timeout=20, port=0, auth=(), auth_method=None, join=None):
    """Run tests/rtsp_server.py; mounts: {name: file.ts, (file.ts, "h264"),
    (file.ts, "h265") or (file.jpg, "mjpeg")} (mjpeg: the one JPEG picture
    sent 25 times a second as RTP/JPEG).
    Yields an RtspServer once it prints READY; stops it on exit.
    port: 0 for any free port, or the port to listen on (e.g. to restart a
    server where its clients expect it).
    auth: [(mount, user, password)]: those mounts play only for those users
    (401 Unauthorized to anyone else); auth_method: "basic" (the server's
    default) or "digest".
    join: {mount: frames}: every client of that (H.264 / H.265) mount joins
    `frames` frames into the file, mid-GOP: it gets P frames first, then
    the file's next key frame (the SDP still has the parameter sets)."""
    script = os.path.join(source_root(), "tests", "rtsp_server.py")
    probe = subprocess.run([PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', "
                            "'1.0'); from gi.repository import GstRtspServer"],
                           capture_output=True)
    if probe.returncode != 0:
        raise Skip("gst-rtsp-server for python (python3-gi, gir1.2-gst-rtsp-server-1.0) "
                   "is not installed")
    argv = [PYTHON, script, "--port", str(port)]
    for name, spec in mounts.items():
        path, codec = (spec, None) if isinstance(spec, str) else spec
        argv += ["--mount", f"{name}={path}" + (f":{codec}" if codec else "")]
    for name, user, password in auth:
        argv += ["--auth", f"{name}={user}:{password}"]
    if auth_method:
        argv += ["--auth-method", auth_method]
    for name, frames in (join or {}).items():
        argv += ["--join", f"{name}={frames}"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        stdout = LineReader(proc.stdout)
        stderr = LineReader(proc.stderr, echo="  [rtsp] ")
        ready = stdout.wait_for(r"^READY (\d+)$", timeout)
        if not ready:
            raise Failure(f"rtsp_server.py did not print READY within {timeout} s "
                          f"(exit status {proc.poll()}):\n{stderr.text()}")
        yield RtspServer(proc, int(ready.group(1)), stderr)
    finally:
        status = stop_process(proc)
        if status not in (0, -signal.SIGTERM):
            log(f"rtsp_server.py exited with status {status}")


def refused_port():
    """A context manager yielding a TCP port on 127.0.0.1 where connecting is
    refused: the port is bound (so nobody else takes it) but not listening."""
    @contextlib.contextmanager
    def hold():
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            yield sock.getsockname()[1]
        finally:
            sock.close()
    return hold()


@contextlib.contextmanager
def start_xvfb(width=1920, height=1080, depth=24, timeout=20):
    """Run Xvfb on a free display (-displayfd) and yield its name (":N")."""
    xvfb = require_tool("Xvfb")
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0",
                                 f"{width}x{height}x{depth}", "-nolisten", "tcp", "-noreset"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, pass_fds=(write_fd,))
    finally:
        os.close(write_fd)
    try:
        errors = LineReader(proc.stderr)
        number = b""
        deadline = time.monotonic() + timeout
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(left, 0))
            if not ready:
                raise Failure(f"Xvfb did not report its display within {timeout} s:\n"
                              + errors.text())
            chunk = os.read(read_fd, 64)
            if not chunk:
                raise Failure(f"Xvfb exited ({proc.wait()}) without a display:\n"
                              + errors.text())
            number += chunk
        yield ":" + number.decode().strip()
    finally:
        os.close(read_fd)
        stop_process(proc)


def screenshot(display, path, timeout=30):
    """Capture the root window of an X display into a PNG."""
    run_tool(["import", "-window", "root", "-display", display, f"png:{path}"],
             timeout=timeout, what="import (screenshot)")
    return path


# --------------------------------------------------------------------------
# The wall


class WallRun:
    """The outcome of one wall run."""

    def __init__(self, argv, returncode, stdout, stderr):
        self.argv, self.returncode, self.stdout, self.stderr = argv, returncode, stdout, stderr

    def describe(self):
        return (f"`{' '.join(self.argv)}` exited with {self.returncode}\n"
                f"--- stderr (last lines):\n{tail(self.stderr)}")

    def expect_exit(self, status):
        check(self.returncode == status,
              f"expected exit status {status}; {self.describe()}")
        return self

    def stats(self):
        """The JSON object --stats printed on stdout."""
        start = self.stdout.find("{")
        check(start >= 0, f"no JSON object on stdout; stdout was:\n{tail(self.stdout)}")
        try:
            stats, _ = json.JSONDecoder().raw_decode(self.stdout[start:])
        except json.JSONDecodeError as error:
            raise Failure(f"--stats output is not JSON ({error}):\n{tail(self.stdout)}")
        check(isinstance(stats.get("feeds"), list), f"--stats has no feeds list: {stats}")
        return stats


def tail(text, lines=30):
    return "\n".join(text.splitlines()[-lines:])


def feed_stats(stats, camera):
    for feed in stats["feeds"]:
        if feed.get("camera") == camera:
            return feed
    raise Failure(f"--stats has no feed for camera {camera}: {stats['feeds']}")


def wall_env(display=None, **extra):
    """The environment for the wall: no display unless one is given,
    SDL_VIDEODRIVER always set explicitly, and the C locale (English
    messages, whatever the runner's LANG) unless `extra` sets LANG."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    env["LANG"] = "C"
    if display:
        env.update(DISPLAY=display, SDL_VIDEODRIVER="x11", SDL_VIDEO_X11_FORCE_EGL="1")
    else:
        env["SDL_VIDEODRIVER"] = "offscreen"
    env.update(extra)
    return env


def draw_args(args):
    """`--draw PATH` from $WALLTEST_DRAW for a wall that shows a layout,
    unless the test picks its path itself: CI runs the integration tests
    once more on the GL path this way (tools/test.sh)."""
    path = os.environ.get("WALLTEST_DRAW")
    if not path or "--draw" in args or not ("--config" in args or "--headless" in args):
        return []
    return ["--draw", path]


def run_wall(args, timeout=90, env=None, cwd=None):
    """Run the wall to completion; returns a WallRun (fails on timeout)."""
    argv = [wall_bin(), *draw_args(args), *args]
    log("running: " + " ".join(argv))
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, env=env or wall_env(), cwd=cwd)
    except subprocess.TimeoutExpired as expired:
        stderr = (expired.stderr or b"").decode(errors="replace")
        raise Failure(f"`{' '.join(argv)}` did not finish within {timeout} s\n"
                      f"--- stderr (last lines):\n{tail(stderr)}")
    result = WallRun(argv, done.returncode, done.stdout.decode(errors="replace"),
                     done.stderr.decode(errors="replace"))
    if result.stderr:
        print(f"--- wall stderr:\n{tail(result.stderr, 60)}", file=sys.stderr, flush=True)
    return result


# A decode capacity no machine's decoding reaches: a pixel test never sees
# a feed reduced to key frames (and its REDUCED badge) unless the budget is
# what it tests. Tests of the budget pass their own --decode-capacity, or
# measured_budget=True for the capacity the wall measures.
UNLIMITED_BUDGET = ["--decode-capacity", "100000"]


def budget_args(extra, measured_budget):
    if measured_budget or "--decode-capacity" in extra:
        return []
    return UNLIMITED_BUDGET


def run_headless(config, snapshot, frames=10, extra=(), timeout=90, cwd=None,
                 measured_budget=False):
    """`wall --headless --stats` on config, expecting exit 0.
    Returns (WallRun, stats dict)."""
    args = ["--config", config, "--headless", "--frames", str(frames),
            "--snapshot", snapshot, "--stats", *budget_args(extra, measured_budget), *extra]
    result = run_wall(args, timeout=timeout, cwd=cwd).expect_exit(0)
    return result, result.stats()


@contextlib.contextmanager
def start_wall(args, env, cwd=None):
    """Start the wall in the background; yields (proc, stderr LineReader).
    The wall is killed on exit if the test did not stop it."""
    argv = [wall_bin(), *draw_args(args), *args]
    log("starting: " + " ".join(argv))
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=cwd)
    try:
        LineReader(proc.stdout, echo="  [wall stdout] ")
        yield proc, LineReader(proc.stderr, echo="  [wall] ")
    finally:
        stop_process(proc, signal.SIGKILL, timeout=5)


# --------------------------------------------------------------------------
# A running wall and its control socket


def wait_until(predicate, what, timeout, interval=0.1, describe=None):
    """Poll `predicate()` until it returns a true value, and return that value.

    Fails the test if it is still false after `timeout` s (a safety limit,
    not a delay: the poll returns as soon as the state is reached). `what`
    completes "timed out waiting until ..."; `describe()`, when given, adds
    the state last seen to the failure message.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            detail = ""
            if describe is not None:
                try:
                    detail = f"; last seen: {describe()}"
                except Exception as error:  # the state itself may be gone
                    detail = f"; (state unavailable: {error})"
            raise Failure(f"timed out after {timeout} s waiting until {what}{detail}")
        time.sleep(interval)


class ControlClient:
    """A client of the wall's control socket (UNIX stream, one command per
    line, one reply line each: "OK ..." or "ERR reason").

    Every read has a deadline (`timeout`, s): a wall that does not answer
    fails the test instead of hanging it. `last_latency` is how long the
    last command took to be answered.
    """

    def __init__(self, path, timeout=10):
        self.path, self.timeout = path, timeout
        self.last_latency = None
        self._buffer = b""
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.settimeout(timeout)
            self.sock.connect(path)
        except OSError as error:
            self.sock.close()
            raise Failure(f"cannot connect to the control socket {path}: {error}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.close()

    def send_raw(self, data):
        """Send bytes as they are (no newline added)."""
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise Failure(f"control socket {self.path}: cannot send: {error}")

    def read_line(self, timeout=None):
        """The next reply line without its newline; None when the wall closed
        the connection. Fails if nothing comes within `timeout` s."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"control socket {self.path}: no reply within {timeout} s")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                if self._buffer:
                    line, self._buffer = self._buffer, b""
                    return line.decode("utf-8", errors="replace")
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", errors="replace")

    def command(self, line, timeout=None):
        """Send one command line; return the reply line (fails on no reply)."""
        start = time.monotonic()
        self.send_raw(line.encode("utf-8") + b"\n")
        reply = self.read_line(timeout)
        self.last_latency = time.monotonic() - start
        if reply is None:
            raise Failure(f"control socket {self.path}: the wall closed the connection "
                          f"instead of answering {line[:60]!r}")
        return reply

    def commands(self, lines, timeout=None):
        """Send several command lines in one write and return their replies
        in order. The wall reads them at once and answers them all between
        the same two frames: `tiles` and `snapshot` sent together describe
        the same drawn canvas."""
        start = time.monotonic()
        self.send_raw("".join(line + "\n" for line in lines).encode("utf-8"))
        replies = []
        for line in lines:
            reply = self.read_line(timeout)
            if reply is None:
                raise Failure(f"control socket {self.path}: the wall closed the connection "
                              f"instead of answering {line[:60]!r}")
            replies.append(reply)
        self.last_latency = time.monotonic() - start
        return replies

    def ok(self, line, timeout=None):
        """Send a command that must succeed; return what follows "OK "."""
        reply = self.command(line, timeout)
        check(reply == "OK" or reply.startswith("OK "),
              f"control command {line[:60]!r}: expected OK, got {reply[:300]!r}")
        return reply[3:]

    def json(self, line, timeout=None):
        payload = self.ok(line, timeout)
        try:
            return json.loads(payload)
        except json.JSONDecodeError as error:
            raise Failure(f"control command {line!r}: the reply is not JSON ({error}): "
                          f"{payload[:300]}")

    def stats(self, timeout=None):
        stats = self.json("stats", timeout)
        check(isinstance(stats, dict) and isinstance(stats.get("feeds"), list),
              f"control `stats`: no feeds list in {str(stats)[:300]}")
        return stats

    def tiles(self, timeout=None):
        tiles = self.json("tiles", timeout)
        check(isinstance(tiles, list), f"control `tiles`: expected a list, got {tiles!r}")
        return tiles

    def snapshot(self, path, timeout=None):
        """Have the wall write its canvas to `path` now; returns the path."""
        reply = self.ok(f"snapshot {path}", timeout)
        check(reply == path, f"control `snapshot {path}`: replied OK {reply!r}")
        return path


def feeds_by_camera(stats):
    """{camera number: feed stats} of the feeds in a stats object."""
    return {feed.get("camera"): feed for feed in stats["feeds"]}


def tile_summary(tiles):
    """A short description of a `tiles` reply for failure messages."""
    return ", ".join(f"{t.get('tile')}:{t.get('camera')}={t.get('state')}/{t.get('stream')}"
                     for t in tiles)


class LiveWall:
    """A wall started with --control, running until stopped.

    `log` is its stderr (a LineReader), `control` a connected ControlClient.
    The helpers fail the test with the wall's last log lines when it exits.
    """

    def __init__(self, proc, log, socket_path, timeout):
        self.proc, self.log, self.socket_path = proc, log, socket_path
        self.timeout = timeout
        self._clients = []
        self.control = self.client()

    def client(self, timeout=None):
        """A new connection to the control socket (closed with the wall)."""
        self.check_running()
        client = ControlClient(self.socket_path, self.timeout if timeout is None else timeout)
        self._clients.append(client)
        return client

    def check_running(self):
        status = self.proc.poll()
        if status is not None:
            raise Failure(f"the wall exited with status {status}\n"
                          f"--- stderr (last lines):\n{tail(self.log.text())}")

    def _call(self, method, *args):
        self.check_running()
        try:
            return getattr(self.control, method)(*args)
        except Failure:
            self.check_running()  # a dead wall explains a missing reply best
            raise

    def stats(self):
        return self._call("stats")

    def tiles(self):
        return self._call("tiles")

    def snapshot(self, path):
        return self._call("snapshot", path)

    def ok(self, line):
        return self._call("ok", line)

    def feeds(self):
        return feeds_by_camera(self.stats())

    def wait_tiles(self, predicate, what, timeout):
        """Poll `tiles` until predicate(tiles) holds; returns the tiles."""
        seen = {}

        def poll():
            seen["tiles"] = self.tiles()
            return seen["tiles"] if predicate(seen["tiles"]) else None

        return wait_until(poll, what, timeout,
                          describe=lambda: tile_summary(seen.get("tiles", [])))

    def wait_feeds(self, predicate, what, timeout):
        """Poll `stats` until predicate({camera: feed}) holds; returns the feeds."""
        seen = {}

        def poll():
            seen["feeds"] = self.feeds()
            return seen["feeds"] if predicate(seen["feeds"]) else None

        def describe():
            return "; ".join(
                f"{n}: {f.get('state')} {f.get('stream')} {f.get('width')}x{f.get('height')} "
                f"decoded={f.get('frames_decoded')} shown={f.get('frames_shown')} "
                f"reconnects={f.get('reconnects')}" for n, f in seen.get("feeds", {}).items())

        return wait_until(poll, what, timeout, describe=describe)

    def wait_log(self, pattern, what, timeout, since=0):
        """The match of a log line after index `since`; fails if none comes."""
        match = self.log.wait_for(pattern, timeout, since=since)
        if not match:
            self.check_running()
            raise Failure(f"no log line {what} (/{pattern}/) within {timeout} s\n"
                          f"--- stderr (last lines):\n{tail(self.log.text())}")
        return match

    def stop(self, timeout=20):
        """SIGTERM the wall; it must exit 0 within `timeout` s."""
        for client in self._clients:
            client.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f"the wall did not exit within {timeout} s of SIGTERM\n"
                          f"--- stderr (last lines):\n{tail(self.log.text())}")
        check(status == 0, f"the wall exited with status {status} after SIGTERM, expected 0\n"
              f"--- stderr (last lines):\n{tail(self.log.text())}")

    def close(self):
        for client in self._clients:
            client.close()


@contextlib.contextmanager
def start_live_wall(config, tmp, extra=(), env=None, cwd=None, timeout=30, reply_timeout=10,
                    measured_budget=False):
    """Start `wall --headless --config CONFIG --control TMP/control.sock
    [extra]` and yield a LiveWall once the control socket listens. The wall
    is killed on exit if the test did not stop it. The decode capacity is
    unlimited unless `extra` sets one or measured_budget is true."""
    socket_path = os.path.join(tmp, "control.sock")
    args = ["--headless", "--config", config, "--control", socket_path,
            *budget_args(extra, measured_budget), *extra]
    with start_wall(args, env or wall_env(), cwd=cwd) as (proc, stderr):
        if not stderr.wait_for(r"control: listening on ", timeout):
            raise Failure(f"the wall did not log `control: listening on` within {timeout} s "
                          f"(exit status {proc.poll()})\n--- stderr (last lines):\n"
                          f"{tail(stderr.text())}")
        wall = LiveWall(proc, stderr, socket_path, reply_timeout)
        try:
            yield wall
        finally:
            wall.close()


MOVING_SOURCES = ("testsrc2", "mandelbrot", "testsrc")


def make_moving_clips(tmp, count, size="320x180", ext="mp4", duration=4, prefix="moving"):
    """`count` short moving clips (lavfi test sources, cycling), paths in
    order; light to decode (crf 28)."""
    paths = []
    for i in range(count):
        source = f"{MOVING_SOURCES[i % len(MOVING_SOURCES)]}=size={size}:rate=25"
        path = os.path.join(tmp, f"{prefix}{i + 1}.{ext}")
        paths.append(make_clip(path, source, duration=duration, crf=28))
    return paths


# --------------------------------------------------------------------------
# Full-format layout files


def _cfg_value(value, indent):
    """A libconfig value from Python: str -> "text", bool, int, float (always
    with a decimal point), dict -> group { }, list -> list ( ), tuple ->
    array [ ] (all of one kind: a tuple of tuples is written as a list)."""
    pad = "  " * (indent + 1)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, str):
        return cfg_string(value)
    if isinstance(value, dict):
        items = " ".join(f"{k} = {_cfg_value(v, indent + 1)};" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, tuple):
        if any(isinstance(v, (tuple, list, dict)) for v in value):
            return _cfg_value(list(value), indent)
        return "[" + ", ".join(_cfg_value(v, indent) for v in value) + "]"
    if isinstance(value, list):
        if not value:
            return "()"
        if all(not isinstance(v, (dict, list)) for v in value):
            return "(" + ", ".join(_cfg_value(v, indent) for v in value) + ")"
        inner = (",\n" + pad).join(_cfg_value(v, indent + 1) for v in value)
        return "(\n" + pad + inner + "\n" + "  " * indent + ")"
    raise TypeError(f"cannot write {value!r} into a layout file")


def write_layout(path, **settings):
    """Write a full-format layout file from Python values, one top-level
    setting each (zones=[{...}], layouts=[...], outputs=[...], cameras=[...],
    tours=[...]): dicts are groups, lists are lists `( )`, tuples are arrays
    `[ ]` (a mask rectangle `(0.0, 0.0, 0.5, 0.5)`; a polygon is a list of
    tuples `[(0.5, 0.1), (0.9, 0.1), (0.7, 0.6)]`). Returns path."""
    lines = ["# written by the wall's integration tests"]
    for name, value in settings.items():
        lines.append(f"{name} = {_cfg_value(value, 0)};")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def solid_clip(tmp, name, rgb, size="320x180", duration=2):
    """A short clip of one solid colour (BT.601, limited range)."""
    return make_clip(os.path.join(tmp, f"{name}.mp4"), f"color=c={rgb_hex(rgb)}:size={size}",
                     duration=duration)


COORD_PERIOD_X, COORD_PERIOD_Y = 340, 260


def coordinate_clip(tmp, name, width, height, rate=25, duration=2):
    """A clip that says where each of its pixels is: red is a sawtooth in x
    (period 340 px), green one in y (period 260 px), blue 128. Shown 1:1,
    a pixel's colour tells which picture point it is (coordinate_colour)."""
    graph = (f"color=black:size={width}x{height}:rate={rate},format=rgb24,"
             f"geq=r='255*mod(X\\,{COORD_PERIOD_X})/{COORD_PERIOD_X - 1}'"
             f":g='255*mod(Y\\,{COORD_PERIOD_Y})/{COORD_PERIOD_Y - 1}':b=128")
    return make_clip(os.path.join(tmp, f"{name}.mp4"), graph, crf=4, rate=rate,
                     duration=duration)


def coordinate_colour(x, y):
    """(red, green) of picture point (x, y) in a coordinate_clip."""
    return (255.0 * (x % COORD_PERIOD_X) / (COORD_PERIOD_X - 1),
            255.0 * (y % COORD_PERIOD_Y) / (COORD_PERIOD_Y - 1))


def near_coordinate_jump(x, y, margin):
    """Whether (x, y) is within `margin` px of a sawtooth jump (where the
    encoder blurs the edge)."""
    def near(v, period):
        return v % period < margin or v % period > period - 1 - margin
    return near(x, COORD_PERIOD_X) or near(y, COORD_PERIOD_Y)



# --------------------------------------------------------------------------
# Numbered frames: pictures that say which frame of their clip they are


NUMBER_BITS = 12  # frame numbers 0 to 4095: 163 s at 25 fps
# Stripes left to right: a white marker, bits 0 to 11 of the frame number
# (least significant first; white 1, black 0), a black marker.
NUMBER_STRIPES = NUMBER_BITS + 2
NUMBER_MODULUS = 1 << NUMBER_BITS  # numbers read back are modulo this
NUMBER_MARGIN = 48  # a stripe within this of mid grey (128) is no reading


def numbered_source(width, height, rate=25):
    """A lavfi source graph whose frame N shows N in binary, for make_clip:
    14 vertical stripes of equal width over the whole frame, a white marker,
    bits 0 to 11 of N (least significant first; white when the bit is set,
    black otherwise), a black marker. geq draws each frame 14 x 1 pixels,
    one pixel a stripe, and the nearest-neighbour scaler makes the stripes
    of it: sharp, black and white only (no chroma), each 1/14 of the width,
    so the code survives x264 (crf 10 to 28), scaling into a tile and the
    wall's scaler; read_number reads it back. N counts from 0 at the clip's
    first frame; a clip longer than 4096 frames wraps to 0."""
    last = NUMBER_STRIPES - 1
    return (f"color=c=black:size={NUMBER_STRIPES}x1:rate={rate},format=gray,"
            f"geq=lum='if(eq(X\\,0)\\,255\\,if(eq(X\\,{last})\\,0\\,"
            f"255*mod(floor(N/pow(2\\,X-1))\\,2)))',"
            f"scale={width}:{height}:flags=neighbor")


def number_levels(picture, rect):
    """The mean grey level (0-255) of each stripe's centre in rect, the
    picture of a numbered frame as shown (its letterboxed rectangle, not the
    tile's). Samples a box a third of a stripe wide round each centre, from
    35% to 60% of the height: clear of a badge at the top of a tile and the
    camera label at the bottom."""
    x, y, w, h = rect
    half = max(1, w // (NUMBER_STRIPES * 6))
    top, bottom = y + int(h * 0.35), y + max(int(h * 0.6), int(h * 0.35) + 1)
    levels = []
    for k in range(NUMBER_STRIPES):
        cx = x + (2 * k + 1) * w // (2 * NUMBER_STRIPES)
        mean = picture.mean((cx - half, top, 2 * half + 1, bottom - top))
        levels.append(sum(mean) / len(mean))
    return levels


def read_number(picture, rect, what="numbered picture"):
    """The frame number a numbered frame (numbered_source) shows in rect of
    `picture` (a Picture or anything with mean(rect)): each stripe's centre
    thresholded at mid grey. Fails the test when rect does not show a
    numbered frame: a marker of the wrong colour, or a stripe too close to
    mid grey to tell (a slate, a plate over it, a picture blended)."""
    levels = number_levels(picture, rect)
    shown = " ".join(f"{v:.0f}" for v in levels)
    unclear = [k for k, v in enumerate(levels) if abs(v - 128) < NUMBER_MARGIN]
    check(not unclear, f"{what}: cannot read the frame number in {rect}: stripes {unclear} "
          f"are grey (levels {shown})")
    check(levels[0] > 128 and levels[-1] < 128,
          f"{what}: {rect} does not show a numbered frame: its markers are not white and "
          f"black (levels {shown})")
    return sum(1 << (k - 1) for k in range(1, NUMBER_STRIPES - 1) if levels[k] > 128)


def number_behind(ahead, behind):
    """How many frames `behind` is behind `ahead` (frame numbers read back,
    modulo NUMBER_MODULUS), in -NUMBER_MODULUS/2 .. NUMBER_MODULUS/2."""
    diff = (ahead - behind) % NUMBER_MODULUS
    return diff - NUMBER_MODULUS if diff >= NUMBER_MODULUS // 2 else diff


class GreyFrame:
    """One decoded frame in grey levels, with Picture's mean(rect)."""

    def __init__(self, image):
        self.image = image
        self.width, self.height = image.size

    def mean(self, rect):
        from PIL import ImageStat
        x, y, w, h = rect
        return tuple(ImageStat.Stat(self.image.crop((x, y, x + w, y + h))).mean)


def clip_numbers(path, timeout=120):
    """The frame number read from every frame of a numbered clip (an MP4 the
    wall exported, or a clip made with numbered_source), in decoding order:
    FFmpeg decodes every frame as it is (no frame rate conversion, nothing
    dropped or repeated) to grey levels, in a band across the middle."""
    try:
        from PIL import Image
    except ImportError:
        raise Skip("python3-pil is not installed")
    info = probe_stream(path)
    width, height = info["width"], info["height"]
    band = max(4, height // 4) & ~1
    raw = run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
                    "-map", "0:v:0", "-vf", f"crop={width}:{band}:0:{(height - band) // 2}",
                    "-fps_mode", "passthrough", "-pix_fmt", "gray", "-f", "rawvideo", "-"],
                   timeout=timeout, what=f"ffmpeg decoding {os.path.basename(path)}")
    size = width * band
    check(raw and len(raw) % size == 0,
          f"{path}: ffmpeg decoded {len(raw)} bytes, not whole {width}x{band} frames")
    numbers = []
    for i in range(len(raw) // size):
        frame = GreyFrame(Image.frombytes("L", (width, band), raw[i * size:(i + 1) * size]))
        numbers.append(read_number(frame, (0, 0, width, band), f"{path} frame {i}"))
    return numbers


def extract_frame(path, frame, png, size=None, scaler="bilinear"):
    """Frame `frame` (counting decoded frames from 0) of a clip as an RGB PNG,
    scaled to size (w, h) with FFmpeg's `scaler` when given. Returns png."""
    vf = f"select=eq(n\\,{frame})"
    if size:
        vf += f",scale={size[0]}:{size[1]}:flags={scaler}"
    run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", path,
              "-vf", vf + ",format=rgb24", "-frames:v", "1", png],
             what=f"ffmpeg extracting frame {frame} of {os.path.basename(path)}")
    return png

# --------------------------------------------------------------------------
# Xorg with the dummy driver: several displays with real bounds


XORG_DUMMY_CONF = """\
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoEnableDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
Section "Device"
  Identifier "dummy"
  Driver "dummy"
  VideoRam {videoram}
EndSection
Section "Monitor"
  Identifier "monitor"
  HorizSync 5.0-1000.0
  VertRefresh 5.0-200.0
EndSection
Section "Screen"
  Identifier "screen"
  Device "dummy"
  Monitor "monitor"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual {virtual_w} {virtual_h}
  EndSubSection
EndSection
"""


def xorg_dummy_missing():
    """Why Xorg with the dummy driver cannot run here, or None."""
    if not shutil.which("Xorg"):
        return "Xorg is not installed (xserver-xorg-core)"
    if not shutil.which("xrandr"):
        return "xrandr is not installed (x11-xserver-utils)"
    for folder in ("/usr/lib/xorg/modules/drivers", "/usr/lib64/xorg/modules/drivers",
                   "/usr/local/lib/xorg/modules/drivers"):
        if os.path.exists(os.path.join(folder, "dummy_drv.so")):
            return None
    return "the Xorg dummy driver is not installed (xserver-xorg-video-dummy)"


@contextlib.contextmanager
def start_xorg_dummy(n_displays, width=1920, height=1080, tmp=None, timeout=30):
    """Run Xorg with the dummy driver on a free display (-displayfd), its
    config and log in a scratch folder, with `n_displays` monitors of
    width x height side by side (xrandr: DUMMY0 at 0,0, DUMMY1 at width,0,
    ...). Yields the display name (":N"). Skips when Xorg, xrandr or the
    dummy driver is missing; the server is stopped on exit."""
    missing = xorg_dummy_missing()
    if missing:
        raise Skip(missing)
    own_tmp = tmp is None
    folder = tempfile.mkdtemp(prefix="xorg-dummy-") if own_tmp else tmp
    conf = os.path.join(folder, "xorg-dummy.conf")
    logfile = os.path.join(folder, "xorg-dummy.log")
    virtual_w, virtual_h = n_displays * width, height
    # Enough video memory for the virtual screen at 32 bits a pixel (KiB).
    videoram = max(256000, virtual_w * virtual_h * 4 // 1024 + 16384)
    with open(conf, "w") as f:
        f.write(XORG_DUMMY_CONF.format(videoram=videoram, virtual_w=virtual_w,
                                       virtual_h=virtual_h))
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            [shutil.which("Xorg"), "-config", conf, "-logfile", logfile,
             "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset",
             "-novtswitch", "-sharevts"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            pass_fds=(write_fd,))
    finally:
        os.close(write_fd)
    errors = LineReader(proc.stderr)

    def server_log():
        try:
            with open(logfile, errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        return tail(errors.text() + "\n" + text, 40)

    try:
        number = b""
        deadline = time.monotonic() + timeout
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(left, 0))
            if not ready:
                raise Failure(f"Xorg did not report its display within {timeout} s:\n"
                              + server_log())
            chunk = os.read(read_fd, 64)
            if not chunk:
                status = proc.wait()
                log_text = server_log()
                if "dummy" in log_text and "Failed to load module" in log_text:
                    raise Skip("Xorg cannot load the dummy driver")
                if os.geteuid() != 0 and ("console users" in log_text
                                          or "permission" in log_text.lower()):
                    raise Skip("Xorg may not be started by this user here:\n" + log_text)
                raise Failure(f"Xorg exited ({status}) without a display:\n" + log_text)
            number += chunk
        display = ":" + number.decode().strip()
        env = dict(os.environ, DISPLAY=display)
        env.pop("XAUTHORITY", None)
        mode = f"{width}x{height}"
        argv = ["xrandr", "--fb", f"{virtual_w}x{virtual_h}"]
        for i in range(n_displays):
            if i > 0:  # DUMMY0 has the modes already; the others get this one
                run_xrandr(["xrandr", "--addmode", f"DUMMY{i}", mode], env)
            argv += ["--output", f"DUMMY{i}", "--mode", mode, "--pos", f"{i * width}x0"]
        run_xrandr(argv, env)
        monitors = run_xrandr(["xrandr", "--listmonitors"], env)
        count = re.match(r"Monitors: (\d+)", monitors)
        check(count and int(count.group(1)) == n_displays,
              f"xrandr set up {count and count.group(1)} monitors, expected {n_displays}:\n"
              + monitors)
        log(f"Xorg (dummy) on {display}: {n_displays} x {mode}")
        yield display
    finally:
        os.close(read_fd)
        stop_process(proc, timeout=15)
        if own_tmp:
            shutil.rmtree(folder, ignore_errors=True)


def run_xrandr(argv, env, timeout=30):
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"`{' '.join(argv)}` took more than {timeout} s")
    if done.returncode != 0:
        raise Failure(f"`{' '.join(argv)}` failed ({done.returncode}): "
                      + done.stderr.decode(errors="replace")[-2000:])
    return done.stdout.decode(errors="replace")


# --------------------------------------------------------------------------
# The audit trail


AUDIT_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}) (.*)$")
AUDIT_FIELD = re.compile(r'\s*([a-z][a-z0-9_-]*)=("(?:[^"\\]|\\.)*"|\S*)')


def parse_audit_line(line):
    """(timestamp, {key: value}) of one audit line (quoted values unquoted),
    or fails the test when the line does not have the audit format."""
    match = AUDIT_LINE.match(line)
    check(match, f"audit line without a `YYYY-MM-DDTHH:MM:SS.mmm+hhmm ` time: {line!r}")
    fields, rest, pos = {}, match.group(2), 0
    while pos < len(rest):
        field = AUDIT_FIELD.match(rest, pos)
        check(field and field.end() > pos, f"audit line: cannot read {rest[pos:]!r} in {line!r}")
        value = field.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        check(field.group(1) not in fields, f"audit line repeats {field.group(1)}: {line!r}")
        fields[field.group(1)] = value
        pos = field.end()
    return match.group(1), fields


def read_audit(path):
    """[(timestamp, fields)] of an audit file, in order."""
    check(os.path.isfile(path), f"no audit file at {path}")
    with open(path, encoding="utf-8") as f:
        return [parse_audit_line(line.rstrip("\n")) for line in f if line.strip()]


AUDIT_GENESIS = "0" * 64  # prev= of a file's first line


def audit_chain_breaks(path):
    """[(line number from 1, why)] where the hash chain of an audit file
    breaks: every line must end with " prev=<64 hex>", the SHA-256 of the
    previous line's bytes with its newline (64 zeros on the first line)."""
    import hashlib
    check(os.path.isfile(path), f"no audit file at {path}")
    with open(path, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    breaks, previous = [], None
    for number, line in enumerate(lines, 1):
        match = re.search(rb" prev=([0-9a-f]{64})\n\Z", line)
        want = AUDIT_GENESIS if previous is None else hashlib.sha256(previous).hexdigest()
        if not match:
            breaks.append((number, "no ` prev=<64 hex>` at its end"))
        elif match.group(1).decode() != want:
            breaks.append((number, f"prev={match.group(1).decode()[:12]}..., expected "
                                   f"{want[:12]}... (the SHA-256 of line {number - 1})"))
        previous = line
    return breaks
