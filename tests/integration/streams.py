"""Streams that go wrong, for the wall's integration tests (issue 13).

- MPEG-TS surgery: `damage_ts()` damages the video payload of some non-key
  H.264 access units of a TS file, leaving every TS and PES header intact.
- Fake cameras on 127.0.0.1: `Listener` runs a function per accepted TCP
  connection; `FakeRtspCamera` speaks enough RTSP for FFmpeg (OPTIONS,
  DESCRIBE, SETUP over TCP, PLAY) and then does what a test asks: nothing
  (a handshake and then silence), or answers DESCRIBE with an error status.
- Colour arithmetic: Y'CbCr of an RGB colour with the BT.601 / BT.709
  matrix and back, the way a wall converting with a given matrix and range
  would show it.
- Layout files in the full format with per-camera keys that
  walltest.write_config does not write (color, range).

Nothing here waits by sleeping: the servers run on threads and tests wait
on what they record (threading.Event) or on the wall's state.
"""

import base64
import contextlib
import os
import re
import socket
import threading
import time

import walltest as W

# --------------------------------------------------------------------------
# MPEG-TS surgery

TS_PACKET = 188
NAL_IDR, NAL_NON_IDR, NAL_SPS, NAL_PPS = 5, 1, 7, 8


class AccessUnit:
    """One video PES packet (one H.264 access unit with ffmpeg's muxer):
    `offsets[i]` is the file offset of its i-th elementary-stream byte."""

    def __init__(self):
        self.offsets = []

    def es_bytes(self, data):
        return bytes(data[o] for o in self.offsets)


def _ts_payload(data, pos):
    """(payload start offset, payload_unit_start, pid) of the TS packet at pos;
    start offset None when the packet carries no payload."""
    header = data[pos:pos + 4]
    W.check(header[0] == 0x47, f"no TS sync byte at offset {pos}")
    pusi = bool(header[1] & 0x40)
    pid = ((header[1] & 0x1F) << 8) | header[2]
    control = (header[3] >> 4) & 0x3
    start = pos + 4
    if control in (2, 3):  # adaptation field
        start += 1 + data[pos + 4]
    if control in (0, 2) or start >= pos + TS_PACKET:
        return None, pusi, pid
    return start, pusi, pid


def _video_pid(data):
    """The PID of the H.264 stream (stream_type 0x1b) from the first PMT."""
    pmt_pids = set()
    for pos in range(0, len(data) - TS_PACKET + 1, TS_PACKET):
        start, pusi, pid = _ts_payload(data, pos)
        if start is None or not pusi:
            continue
        section = data[start + 1 + data[start]:pos + TS_PACKET]  # skip pointer_field
        if pid == 0 and section[0] == 0x00:  # PAT
            length = ((section[1] & 0x0F) << 8) | section[2]
            for i in range(8, 3 + length - 4, 4):
                program = (section[i] << 8) | section[i + 1]
                if program != 0:
                    pmt_pids.add(((section[i + 2] & 0x1F) << 8) | section[i + 3])
        elif pid in pmt_pids and section[0] == 0x02:  # PMT
            length = ((section[1] & 0x0F) << 8) | section[2]
            info_length = ((section[10] & 0x0F) << 8) | section[11]
            i = 12 + info_length
            while i < 3 + length - 4:
                stream_type = section[i]
                es_pid = ((section[i + 1] & 0x1F) << 8) | section[i + 2]
                if stream_type == 0x1B:
                    return es_pid
                i += 5 + (((section[i + 3] & 0x0F) << 8) | section[i + 4])
    raise W.Failure("test setup: no H.264 stream (stream_type 0x1b) in the TS file's PMT")


def access_units(data):
    """The video access units of a TS file, in order (AccessUnit list)."""
    W.check(len(data) % TS_PACKET == 0 and data[:1] == b"\x47",
            "test setup: not an MPEG-TS file of 188-byte packets")
    pid = _video_pid(data)
    units, current = [], None
    for pos in range(0, len(data), TS_PACKET):
        start, pusi, packet_pid = _ts_payload(data, pos)
        if packet_pid != pid or start is None:
            continue
        end = pos + TS_PACKET
        if pusi:
            W.check(data[start:start + 3] == b"\x00\x00\x01",
                    f"test setup: no PES start code at offset {start}")
            start += 9 + data[start + 8]  # PES header and its optional fields
            current = AccessUnit()
            units.append(current)
        if current is not None:
            current.offsets.extend(range(start, end))
    return units


def nal_units(es):
    """[(nal type, start of the NAL header byte, end)] of an Annex B buffer."""
    starts = [m.end() for m in re.finditer(b"\x00\x00\x01", es)]
    nals = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - 3 if i + 1 < len(starts) else len(es)
        while end > start and es[end - 1] == 0:  # trailing zeros / 4-byte codes
            end -= 1
        if start < len(es):
            nals.append((es[start] & 0x1F, start, end))
    return nals


def damage_ts(src, dst, every=12, phase=6, from_fraction=0.4, count=12, xor=0xA5):
    """Copy TS file `src` to `dst` with the slice data of every `every`-th
    non-IDR access unit (counting from 0, those with index % every == phase)
    damaged: `count` bytes, spread over the access unit from `from_fraction`
    of its length to its end, XORed with `xor`; a byte is left alone where
    the result would be below 4 (so that no 00 00 0x start code or emulation
    prevention byte appears) and outside the slice NAL units. TS and PES
    headers are not touched. Returns (units, damaged indexes, IDR indexes)."""
    with open(src, "rb") as f:
        data = bytearray(f.read())
    units = access_units(data)
    damaged, idrs, non_idr = [], [], 0
    for index, unit in enumerate(units):
        es = unit.es_bytes(data)
        nals = nal_units(es)
        types = {t for t, _, _ in nals}
        if NAL_IDR in types:
            idrs.append(index)
            continue
        if NAL_NON_IDR not in types:
            continue
        n, non_idr = non_idr, non_idr + 1
        if n % every != phase:
            continue
        # Bytes inside slice NAL units past from_fraction of the unit.
        first = int(len(es) * from_fraction)
        slice_bytes = [i for t, s, e in nals if t == NAL_NON_IDR
                       for i in range(max(s + 1, first), e)]
        W.check(len(slice_bytes) >= count,
                f"test setup: access unit {index} has only {len(slice_bytes)} slice bytes "
                f"past {from_fraction:.0%} of its {len(es)}")
        changed = 0
        for k in range(count):
            i = slice_bytes[k * len(slice_bytes) // count]
            value = es[i] ^ xor
            if value < 4 or es[i] < 4:
                continue
            data[unit.offsets[i]] = value
            changed += 1
        W.check(changed > count // 2, f"test setup: damaged only {changed} bytes of unit {index}")
        damaged.append(index)
    W.check(damaged and idrs, f"test setup: nothing damaged ({len(units)} units, IDR {idrs})")
    with open(dst, "wb") as f:
        f.write(data)
    return units, damaged, idrs


# --------------------------------------------------------------------------
# Fake cameras


class Listener:
    """A TCP listener on 127.0.0.1 serving each accepted connection with
    `serve(conn, stopping)` on a thread of its own. `connections` counts
    the accepted ones; `first_connection` is when the first came
    (time.monotonic()), or None."""

    def __init__(self, serve):
        self.serve = serve
        self.connections = 0
        self.first_connection = None
        self.stopping = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def url(self, path="x"):
        return f"rtsp://127.0.0.1:{self.port}/{path}"

    def _accept(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            if self.first_connection is None:
                self.first_connection = time.monotonic()
            self.clients.append(conn)
            threading.Thread(target=self.serve, args=(conn, self.stopping), daemon=True).start()

    def close(self):
        self.stopping.set()
        self.thread.join(5)
        self.sock.close()
        for conn in self.clients:
            with contextlib.suppress(OSError):
                conn.close()


@contextlib.contextmanager
def listening(serve):
    listener = Listener(serve)
    try:
        yield listener
    finally:
        listener.close()


def never_answer(conn, stopping):
    """Accept, then hold the connection open: read nothing, send nothing."""
    stopping.wait()


def parameter_sets(path):
    """(SPS, PPS) NAL units (without start codes) of the first IDR of an
    H.264 TS file: a stream's real parameter sets, for an SDP."""
    with open(path, "rb") as f:
        data = f.read()
    for unit in access_units(data):
        es = unit.es_bytes(data)
        found = {t: es[s:e] for t, s, e in nal_units(es)}
        if NAL_SPS in found and NAL_PPS in found:
            return found[NAL_SPS], found[NAL_PPS]
    raise W.Failure(f"test setup: no SPS and PPS in {path}")


def h264_sdp(sps, pps):
    """An SDP for one H.264 stream with these parameter sets (NAL units)."""
    sprop = ",".join(base64.b64encode(n).decode() for n in (sps, pps))
    return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Fake camera\r\nc=IN IP4 0.0.0.0\r\n"
            "t=0 0\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            f"a=fmtp:96 packetization-mode=1;profile-level-id={sps[1:4].hex()};"
            f"sprop-parameter-sets={sprop}\r\na=control:trackID=0\r\n")


class FakeRtspCamera(Listener):
    """An RTSP camera on 127.0.0.1 that answers OPTIONS, DESCRIBE (with
    `sdp`: h264_sdp() of a real clip's parameter sets), SETUP (RTP/AVP/TCP interleaved, as asked) and PLAY with 200 OK,
    and then sends nothing, holding the connection open.

    describe_status: answer DESCRIBE with this status line instead (e.g.
    "403 Forbidden"). Events: `played` is set when a PLAY was answered,
    `described` when a DESCRIBE was; `requests` lists the methods seen."""

    def __init__(self, sdp, describe_status=None):
        self.describe_status = describe_status
        self.sdp = sdp
        self.requests = []
        self.played = threading.Event()
        self.described = threading.Event()
        super().__init__(self._serve)

    def _reply(self, conn, cseq, status="200 OK", headers=(), body=""):
        lines = [f"RTSP/1.0 {status}", f"CSeq: {cseq}", "Server: fake-camera"]
        lines += list(headers)
        payload = body.encode()
        if payload:
            lines.append(f"Content-Length: {len(payload)}")
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)

    def _serve(self, conn, stopping):
        buffer = b""
        conn.settimeout(0.2)
        with contextlib.suppress(OSError):
            while not stopping.is_set():
                try:
                    chunk = conn.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    return
                buffer += chunk
                while b"\r\n\r\n" in buffer:
                    head, _, buffer = buffer.partition(b"\r\n\r\n")
                    text = head.decode(errors="replace")
                    length = re.search(r"(?im)^Content-Length:\s*(\d+)", text)
                    if length:  # a body (GET_PARAMETER, SET_PARAMETER): skip it
                        buffer = buffer[int(length.group(1)):]
                    self._answer(conn, text)

    def _answer(self, conn, text):
        method = text.split(" ", 1)[0]
        self.requests.append(method)
        found = re.search(r"(?im)^CSeq:\s*(\d+)", text)
        cseq = found.group(1) if found else "0"
        url = text.split(" ")[1] if " " in text else ""
        session = "Session: 2718281828;timeout=60"
        if method == "OPTIONS":
            self._reply(conn, cseq, headers=[
                "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"])
        elif method == "DESCRIBE":
            self.described.set()
            if self.describe_status:
                self._reply(conn, cseq, self.describe_status)
                return
            self._reply(conn, cseq, headers=["Content-Type: application/sdp",
                                             f"Content-Base: {url.rstrip('/')}/"],
                        body=self.sdp)
        elif method == "SETUP":
            transport = re.search(r"(?im)^Transport:\s*(.+)$", text)
            asked = transport.group(1).strip() if transport else "RTP/AVP/TCP;interleaved=0-1"
            self._reply(conn, cseq, headers=[f"Transport: {asked}", session])
        elif method == "PLAY":
            self._reply(conn, cseq, headers=[session, "Range: npt=0.000-"])
            self.played.set()  # and then: nothing, ever
        else:  # GET_PARAMETER (keep-alive), TEARDOWN...
            self._reply(conn, cseq, headers=[session])


@contextlib.contextmanager
def fake_camera(**kwargs):
    camera = FakeRtspCamera(**kwargs)
    try:
        yield camera
    finally:
        camera.close()


# --------------------------------------------------------------------------
# Colour

MATRICES = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}  # (Kr, Kb)


def rgb_to_ycbcr(rgb, matrix="bt601"):
    """Limited-range 8-bit Y'CbCr (rounded) of an RGB colour, as the test
    clips are made (swscale with out_range=tv)."""
    kr, kb = MATRICES[matrix]
    kg = 1 - kr - kb
    r, g, b = (c / 255 for c in rgb)
    y = kr * r + kg * g + kb * b
    cb = (b - y) / (2 * (1 - kb))
    cr = (r - y) / (2 * (1 - kr))
    return (round(16 + 219 * y), round(128 + 224 * cb), round(128 + 224 * cr))


def ycbcr_to_rgb(ycbcr, matrix="bt601", full_range=False):
    """The RGB colour (clipped, rounded) that converting 8-bit Y'CbCr with
    `matrix` and the given range gives."""
    kr, kb = MATRICES[matrix]
    kg = 1 - kr - kb
    y, cb, cr = ycbcr
    if full_range:
        yn, pb, pr = y / 255, (cb - 128) / 255, (cr - 128) / 255
    else:
        yn, pb, pr = (y - 16) / 219, (cb - 128) / 224, (cr - 128) / 224
    r = yn + 2 * (1 - kr) * pr
    b = yn + 2 * (1 - kb) * pb
    g = (yn - kr * r - kb * b) / kg
    return tuple(max(0, min(255, round(255 * c))) for c in (r, g, b))


def shown_as(rgb, coded="bt601", shown="bt601", full_range=False):
    """What an RGB colour coded (limited range) with matrix `coded` looks
    like when converted back with matrix `shown` and the given range."""
    return ycbcr_to_rgb(rgb_to_ycbcr(rgb, coded), shown, full_range)


def max_diff(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


def make_untagged_clip(path, image, duration=2, rate=25, matrix="bt601", crf=10):
    """An H.264 MPEG-TS clip of a picture, converted to limited-range
    yuv420p with `matrix` and carrying no colour description at all (no
    matrix, primaries, transfer nor range in the SPS): the wall must guess."""
    filters = [f"fps={rate}", "format=rgb24",
               f"scale=out_color_matrix={matrix}:out_range=tv"
               ":flags=accurate_rnd+full_chroma_int+bitexact",
               "format=yuv420p", "setsar=1",
               # Forget what the frames say about their colour: nothing to tag.
               "setparams=range=unknown:color_primaries=unknown:color_trc=unknown"
               ":colorspace=unknown"]
    W.run_tool(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-loop", "1", "-framerate", str(rate), "-i", image, "-t", str(duration), "-an",
                "-vf", ",".join(filters), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                "-crf", str(crf), "-bf", "0", "-g", str(rate), "-keyint_min", str(rate),
                "-sc_threshold", "0", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts",
                path], what=f"ffmpeg making {os.path.basename(path)}")
    return path


# --------------------------------------------------------------------------
# Layouts


def write_grid_layout(path, *, width, height, rows, columns, gap, cameras,
                      background="#202020", **settings):
    """A full-format layout: one output `main` of width x height at 0,0, one
    page of a rows x columns grid with `gap`, showing `cameras` in order.
    cameras: [{"number": N, "name": ..., "url": ..., other keys}] (written
    as they are: color = "bt709", range = "full"...). The tiles are where
    walltest.tile_rects says. Other top-level settings (credentials=[...])
    are written as they are, before the cameras."""
    layout = {"name": "grid", "grid": (rows, columns), "gap": gap}
    output = {"id": "main", "rect": (0, 0, width, height), "background": background,
              "pages": [{"layout": "grid", "tiles": [c["number"] for c in cameras]}]}
    return W.write_layout(path, **settings, layouts=[layout], outputs=[output],
                          cameras=cameras)


# --------------------------------------------------------------------------
# Watching feeds


class FeedHistory:
    """What the wall's `stats` said of each feed over time: the distinct
    (state, last_error) pairs in the order first seen, per camera."""

    def __init__(self):
        self.seen = {}

    def record(self, feeds):
        for number, feed in feeds.items():
            entry = (feed.get("state"), feed.get("last_error"))
            history = self.seen.setdefault(number, [])
            if not history or history[-1] != entry:
                history.append(entry)

    def states(self, number):
        out = []
        for state, _ in self.seen.get(number, []):
            if not out or out[-1] != state:
                out.append(state)
        return out

    def errors(self, number):
        return [e for _, e in self.seen.get(number, []) if e]

    def describe(self, numbers=None):
        return "; ".join(f"{n}: {self.seen.get(n)}" for n in (numbers or sorted(self.seen)))


def elapsed_since(start):
    return time.monotonic() - start
