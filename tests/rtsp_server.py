#!/usr/bin/python3
"""A real RTSP server for the wall's tests: GStreamer's gst-rtsp-server.

Serves MPEG-TS files (and JPEG pictures) in a loop, one mount per file, on
127.0.0.1:

    tests/rtsp_server.py --port 0 --mount cam1=a.ts --mount cam2=b.ts:h265 \
        --mount cam3=bars.jpg:mjpeg

    rtsp://127.0.0.1:<port>/cam1   H.264 (the default codec)
    rtsp://127.0.0.1:<port>/cam2   H.265 (":h265" after the file name)
    rtsp://127.0.0.1:<port>/cam3   MJPEG: the one JPEG picture of bars.jpg,
                                   sent again and again at 25 frames a
                                   second as RTP/JPEG (RFC 2435, payload
                                   type 26). The JPEG must be baseline, 4:2:0
                                   or 4:2:2, at most 2040x2040 (RFC 2435).

Mounts may demand a user name and password (RTSP authentication, Basic by
default, or Digest):

    tests/rtsp_server.py --mount cam1=a.ts --mount locked=a.ts \
        --auth locked=user:password

    rtsp://user:password@127.0.0.1:<port>/locked   plays
    rtsp://user:wrong@127.0.0.1:<port>/locked      401 Unauthorized
    rtsp://127.0.0.1:<port>/cam1                   plays: no --auth names it

`--auth NAME=USER:PASSWORD` may be repeated, also for one mount (each pair
it names may play it); USER ends at the first ':', PASSWORD is the rest and
may hold any character. A client that sends credentials no --auth names, or
none, gets 401 with a challenge from gst-rtsp-server's RTSPAuth.

The files should be made with `-muxdelay 0 -muxpreload 0` so that they loop
without a gap. Each client gets its own pipeline (set_shared(False)), so
every client starts at the beginning of the file with a fresh keyframe.

Joining mid-GOP, as a client of a real camera does: with `--join NAME=N`
(an H.264 or H.265 mount) every client's stream starts N frames into the
file instead. The first N access units the parser gives of each client's
pipeline are dropped before the payloader (the parser is made to give
whole access units, in avc / hvc1 form so that the parameter sets are in
its caps: the SDP keeps sprop-parameter-sets, sprop-vps/sps/pps); events
pass. A file with a key frame every G > N frames thus gives the client
G - N frames that refer to pictures it never got (P frames), then the next
key frame. The segment restarts at the first frame kept (stream time and
running time 0): it is sent at once, not N frames late, and a client's
PLAY from npt 0 needs no seek (gst-rtsp-server would seek back to the
start, which this pipeline refuses: 503). Only the start of a session is
cut: when the file loops it plays from its start, key frame first. N must
be below the file's frame count.

When the server is listening it prints exactly one line, `READY <port>`, to
stdout and flushes it; tests wait for that line instead of sleeping.
Everything else (client connections, errors) goes to stderr. SIGTERM and
SIGINT stop it cleanly with exit status 0. Exit status 2: bad arguments.

Needs /usr/bin/python3 with python3-gi and gir1.2-gst-rtsp-server-1.0, and
the GStreamer plugins that provide multifilesrc, tsdemux, h264parse/h265parse,
jpegparse and rtph264pay/rtph265pay/rtpjpegpay (plugins good and bad).
"""

import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

CODECS = {
    "h264": "h264parse ! rtph264pay name=pay0 pt=96 config-interval=1",
    "h265": "h265parse ! rtph265pay name=pay0 pt=96 config-interval=1",
    "mjpeg": "jpegparse ! rtpjpegpay name=pay0 pt=26",
}
# For --join: the parser gives whole access units, in the form that keeps
# the parameter sets in its caps (codec_data), named so that the probe
# that drops the first frames finds it.
JOIN_CODECS = {
    "h264": "h264parse name=parse ! video/x-h264,stream-format=avc,alignment=au ! "
            "rtph264pay name=pay0 pt=96 config-interval=1",
    "h265": "h265parse name=parse ! video/x-h265,stream-format=hvc1,alignment=au ! "
            "rtph265pay name=pay0 pt=96 config-interval=1",
}
MJPEG_RATE = 25  # pictures a second on an mjpeg mount


def log(message):
    print(f"rtsp_server: {message}", file=sys.stderr, flush=True)


def parse_mount(text):
    """NAME=FILE[:h264|:h265|:mjpeg] -> (name, path, codec)."""
    name, sep, rest = text.partition("=")
    if not sep or not name or not rest:
        raise argparse.ArgumentTypeError(
            f"expected NAME=FILE.ts[:h265] or NAME=FILE.jpg:mjpeg, got {text!r}")
    path, codec = rest, "h264"
    head, sep, tail = rest.rpartition(":")
    if sep and tail in CODECS:
        path, codec = head, tail
    name = name.strip("/")
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError(f"mount {name}: no such file: {path}")
    return name, os.path.abspath(path), codec


def parse_auth(text):
    """NAME=USER:PASSWORD -> (name, user, password)."""
    name, sep, pair = text.partition("=")
    user, colon, password = pair.partition(":")
    if not sep or not name.strip("/") or not colon or not user:
        raise argparse.ArgumentTypeError(f"expected NAME=USER:PASSWORD, got {text!r}")
    return name.strip("/"), user, password


def parse_join(text):
    """NAME=FRAMES -> (name, frames), frames >= 1."""
    name, sep, count = text.partition("=")
    try:
        frames = int(count)
    except ValueError:
        frames = 0
    if not sep or not name.strip("/") or frames < 1:
        raise argparse.ArgumentTypeError(f"expected NAME=FRAMES (FRAMES >= 1), got {text!r}")
    return name.strip("/"), frames


AUTH_METHODS = {
    "basic": GstRtsp.RTSPAuthMethod.BASIC,
    "digest": GstRtsp.RTSPAuthMethod.DIGEST,
}
ANONYMOUS = "anonymous"  # the role of a client without valid credentials


def make_auth(logins, method):
    """An RTSPAuth for [(name, user, password)], and {mount name: [roles]}.
    Each distinct user:password pair gets a role of its own; a client
    without valid credentials gets the anonymous role."""
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(AUTH_METHODS[method])
    anonymous = GstRtspServer.RTSPToken()
    anonymous.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, ANONYMOUS)
    auth.set_default_token(anonymous)
    roles, mount_roles = {}, {}
    for name, user, password in logins:
        role = roles.get((user, password))
        if role is None:
            role = roles[(user, password)] = f"login{len(roles)}"
            token = GstRtspServer.RTSPToken()
            token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, role)
            if method == "basic":
                auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
            else:
                auth.add_digest(user, password, token)
        mount_roles.setdefault(name, []).append(role)
    return auth, mount_roles


def permissions(players, everyone):
    """A mount's permissions: every role may see it (so that RTSPAuth answers
    401 with a challenge, not 404 as it does to a role without access); the
    roles in players may also play it (make its media)."""
    perms = GstRtspServer.RTSPPermissions()
    for role in sorted(everyone):
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                      role in players)
    return perms


def launch_line(path, codec, join=False):
    # gst_parse_launch accepts double-quoted property values; escape the
    # characters that would end or break the quoted string.
    quoted = path.replace("\\", "\\\\").replace('"', '\\"')
    if codec == "mjpeg":
        # One buffer is the whole file, read again and again. Nothing stamps
        # them (jpegparse does not): identity does, from the bytes that went
        # by, one file's worth being 1 / MJPEG_RATE s; the sink then sends
        # them at that rate.
        rate = os.path.getsize(path) * MJPEG_RATE
        return (f'( multifilesrc location="{quoted}" loop=true '
                f'caps="image/jpeg,framerate={MJPEG_RATE}/1" ! identity datarate={rate} ! '
                f'{CODECS[codec]} )')
    chain = JOIN_CODECS[codec] if join else CODECS[codec]
    return f'( multifilesrc location="{quoted}" loop=true ! tsdemux ! {chain} )'


def join_mid_gop(name, frames):
    """A media-configure handler: each client's pipeline (one a client, the
    factory is not shared) drops its first `frames` access units after the
    parser, and starts its segment at the first one kept, so that this one
    is at stream time and running time 0: it goes out at once, and the
    client's PLAY from npt 0 needs no seek (which the pipeline refuses)."""
    def on_data(pad, info, state):
        if state["done"]:
            return Gst.PadProbeReturn.OK  # the segment pushed below
        if info.type & Gst.PadProbeType.EVENT_DOWNSTREAM:
            event = info.get_event()
            if event.type != Gst.EventType.SEGMENT:
                return Gst.PadProbeReturn.OK  # caps (the parameter sets) and the rest
            state["segment"] = event.parse_segment()
            return Gst.PadProbeReturn.DROP  # replaced at the first frame kept
        if state["dropped"] < frames:
            state["dropped"] += 1
            return Gst.PadProbeReturn.DROP
        buffer = info.get_buffer()
        segment = state["segment"]
        first = buffer.dts if buffer.dts != Gst.CLOCK_TIME_NONE else buffer.pts
        state["done"] = True
        if segment is not None:  # a segment always comes before the first buffer
            if first != Gst.CLOCK_TIME_NONE:
                segment.start = segment.position = first
                segment.time = 0
            pad.push_event(Gst.Event.new_segment(segment))
        log(f"/{name}: dropped the first {frames} frames of a client's stream, "
            f"sending from pts {buffer.pts / Gst.SECOND:.3f} s")
        return Gst.PadProbeReturn.REMOVE  # passes this buffer; the rest as they come

    def on_configure(_factory, media):
        parser = media.get_element().get_by_name("parse")
        if parser is None:
            log(f"/{name}: --join: no parser in the pipeline")
            return
        parser.get_static_pad("src").add_probe(
            Gst.PadProbeType.BUFFER | Gst.PadProbeType.EVENT_DOWNSTREAM, on_data,
            {"dropped": 0, "done": False, "segment": None})

    return on_configure


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve MPEG-TS files and JPEG pictures over RTSP for "
                                     "tests.")
    parser.add_argument("--port", type=int, default=0,
                        help="TCP port to listen on, 0 for any free port (default 0)")
    parser.add_argument("--mount", type=parse_mount, action="append", default=[],
                        metavar="NAME=FILE[:h265|:mjpeg]",
                        help="serve FILE.ts (H.264, or H.265 with :h265) or FILE.jpg:mjpeg "
                             "at rtsp://127.0.0.1:PORT/NAME (repeatable)")
    parser.add_argument("--auth", type=parse_auth, action="append", default=[],
                        metavar="NAME=USER:PASSWORD",
                        help="mount NAME plays only for USER with PASSWORD (repeatable)")
    parser.add_argument("--auth-method", choices=sorted(AUTH_METHODS), default="basic",
                        help="how clients authenticate on --auth mounts (default basic)")
    parser.add_argument("--join", type=parse_join, action="append", default=[],
                        metavar="NAME=FRAMES",
                        help="clients of mount NAME join FRAMES frames into the file, "
                             "mid-GOP (repeatable)")
    args = parser.parse_args(argv)
    if not args.mount:
        parser.error("at least one --mount is needed")
    names = {name for name, _, _ in args.mount}
    for name, _, _ in args.auth:
        if name not in names:
            parser.error(f"--auth names no --mount: {name}")
    codecs = {name: codec for name, _, codec in args.mount}
    joins = dict(args.join)
    for name in joins:
        if name not in codecs:
            parser.error(f"--join names no --mount: {name}")
        if codecs[name] not in JOIN_CODECS:
            parser.error(f"--join {name}: only H.264 and H.265 mounts, not {codecs[name]}")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    mount_roles, everyone = {}, set()
    if args.auth:
        auth, mount_roles = make_auth(args.auth, args.auth_method)
        server.set_auth(auth)
        everyone = {ANONYMOUS}.union(*mount_roles.values())

    mounts = server.get_mount_points()
    for name, path, codec in args.mount:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch_line(path, codec, join=name in joins))
        factory.set_shared(False)
        if name in joins:
            factory.connect("media-configure", join_mid_gop(name, joins[name]))
        if args.auth:
            # A mount no --auth names plays for anyone, with credentials or not.
            factory.set_permissions(permissions(mount_roles.get(name, everyone), everyone))
        mounts.add_factory("/" + name, factory)
        # Never the password: the tests search every log for it.
        who = (f", {args.auth_method} auth: {len(mount_roles[name])} login(s)"
               if name in mount_roles else "")
        late = f", clients join {joins[name]} frames in" if name in joins else ""
        log(f"/{name} -> {path} ({codec}{who}{late})")

    def on_client(_server, client):
        connection = client.get_connection()
        peer = connection.get_ip() if connection else "?"
        log(f"client connected from {peer}")

    server.connect("client-connected", on_client)

    loop = GLib.MainLoop()

    def stop(signame):
        log(f"{signame}: stopping")
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, stop, "SIGTERM")
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, stop, "SIGINT")

    try:
        server.attach(None)  # creates and binds the listening socket
    except GLib.Error as error:
        log(f"cannot listen on 127.0.0.1:{args.port}: {error.message}")
        return 1
    port = server.get_bound_port()
    if port <= 0:
        log(f"cannot listen on 127.0.0.1:{args.port}")
        return 1

    print(f"READY {port}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
