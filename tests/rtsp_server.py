#!/usr/bin/python3
"""A real RTSP server for the wall's tests: GStreamer's gst-rtsp-server.

Serves MPEG-TS files in a loop, one mount per file, on 127.0.0.1:

    tests/rtsp_server.py --port 0 --mount cam1=a.ts --mount cam2=b.ts:h265

    rtsp://127.0.0.1:<port>/cam1   H.264 (the default codec)
    rtsp://127.0.0.1:<port>/cam2   H.265 (":h265" after the file name)

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

When the server is listening it prints exactly one line, `READY <port>`, to
stdout and flushes it; tests wait for that line instead of sleeping.
Everything else (client connections, errors) goes to stderr. SIGTERM and
SIGINT stop it cleanly with exit status 0. Exit status 2: bad arguments.

Needs /usr/bin/python3 with python3-gi and gir1.2-gst-rtsp-server-1.0, and
the GStreamer plugins that provide multifilesrc, tsdemux, h264parse/h265parse
and rtph264pay/rtph265pay (plugins good and bad).
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
}


def log(message):
    print(f"rtsp_server: {message}", file=sys.stderr, flush=True)


def parse_mount(text):
    """NAME=FILE.ts[:h264|:h265] -> (name, path, codec)."""
    name, sep, rest = text.partition("=")
    if not sep or not name or not rest:
        raise argparse.ArgumentTypeError(f"expected NAME=FILE.ts[:h265], got {text!r}")
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


def launch_line(path, codec):
    # gst_parse_launch accepts double-quoted property values; escape the
    # characters that would end or break the quoted string.
    quoted = path.replace("\\", "\\\\").replace('"', '\\"')
    return f'( multifilesrc location="{quoted}" loop=true ! tsdemux ! {CODECS[codec]} )'


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve MPEG-TS files over RTSP for tests.")
    parser.add_argument("--port", type=int, default=0,
                        help="TCP port to listen on, 0 for any free port (default 0)")
    parser.add_argument("--mount", type=parse_mount, action="append", default=[],
                        metavar="NAME=FILE.ts[:h265]",
                        help="serve FILE.ts at rtsp://127.0.0.1:PORT/NAME (repeatable)")
    parser.add_argument("--auth", type=parse_auth, action="append", default=[],
                        metavar="NAME=USER:PASSWORD",
                        help="mount NAME plays only for USER with PASSWORD (repeatable)")
    parser.add_argument("--auth-method", choices=sorted(AUTH_METHODS), default="basic",
                        help="how clients authenticate on --auth mounts (default basic)")
    args = parser.parse_args(argv)
    if not args.mount:
        parser.error("at least one --mount is needed")
    names = {name for name, _, _ in args.mount}
    for name, _, _ in args.auth:
        if name not in names:
            parser.error(f"--auth names no --mount: {name}")

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
        factory.set_launch(launch_line(path, codec))
        factory.set_shared(False)
        if args.auth:
            # A mount no --auth names plays for anyone, with credentials or not.
            factory.set_permissions(permissions(mount_roles.get(name, everyone), everyone))
        mounts.add_factory("/" + name, factory)
        # Never the password: the tests search every log for it.
        who = (f", {args.auth_method} auth: {len(mount_roles[name])} login(s)"
               if name in mount_roles else "")
        log(f"/{name} -> {path} ({codec}{who})")

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
