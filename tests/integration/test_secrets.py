#!/usr/bin/python3
"""Camera credentials never show: logs, statistics, audit trail, socket
replies, snapshots; and the control socket is the wall's own.

A headless wall (WALL_LOG=debug: the most it ever says) runs a full-format
layout against the real RTSP server with:
- a user name and password in a main and a sub URL (the full format warns);
- a `credentials` entry whose password needs %-encoding ("s3cret:@/%...");
- a camera with both (the entry wins);
- two cameras with credentials (entry, URL) on a refused port;
- a fake camera that answers 401 with a Basic challenge, so that FFmpeg
  really sends an Authorization header (base64 of user:password) and
  reports the refusal;
- a password typed raw in the URL, with characters a URL reserves
  (rtsp://rawUser6:Raw#...?y'z@:w@127.0.0.1:PORT/cam3): on a live camera
  (the test RTSP server asks for no password) and on the fake camera, which
  must get exactly that user and password in its Basic header.
Over the control socket: `help`, `tiles`, `stats`, a maximize (the main
stream), a `put`, and a canvas `snapshot` (the socket has no command for
tile snapshots, whose names come from the camera number and name only:
wall/operator_snapshot.c; the canvas snapshot's name is ours). Then a
reload with errors (a bad scheme in a URL with credentials, an unknown
credentials id, a password of the wrong type), `wall --check` of that file,
SIGTERM (exit 0, --stats on stdout), and a simple-format run with
credentials in URLs, a third camera's password typed raw (--stats). Every
text the wall produced is searched for every user name and password, raw,
%-encoded (fully, and as the wall encodes) and as Basic base64, and for the
longest plain-letter piece of each: none may appear.

The control socket: mode 0660 while the wall runs; the wall refuses to
start (exit 1, one line naming the path) when --control names a socket that
belongs to another user, and leaves it in place. That case needs a second
uid: made with setpriv (or runuser) as root; otherwise it is skipped (77)
after all the other checks passed.
"""

import base64
import contextlib
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
import urllib.parse

import walltest as W

IO_TIMEOUT_MS = 2000
LIVE_TIMEOUT = 60
OTHER_UID = 65534  # nobody

SECRETS = {
    "url user": "urlUser9", "url password": "UrlPassw0rd",
    "sub user": "subUser9", "sub password": "SubPassw0rd",
    "entry user": "visorC5user", "entry password": "s3cret:@/%Pw",
    "both url user": "bothUrlUser", "both url password": "BothUrlPw1",
    "refused user": "refusedUser", "refused password": "R3fusedPass#1",
    "refused url user": "deadUser5", "refused url password": "DeadPassw0rd",
    "basic user": "basicUser7", "basic password": "Bas1cPassword",
    "bad-reload user": "ftpUser3", "bad-reload password": "FtpPassw0rd",
    "bad-reload entry password": "NewS3cretPw",
    "simple user": "simpleUser4", "simple password": "S1mplePassw0rd",
    # Typed raw in URLs: '#', '/', '?', "'", '@' and ':' (layouts/urls.h).
    "raw url user": "rawUser6", "raw url password": "Raw#Rawpass6/x?y'z@:w",
}
PAIRS = [("url user", "url password"), ("sub user", "sub password"),
         ("entry user", "entry password"), ("both url user", "both url password"),
         ("refused user", "refused password"), ("refused url user", "refused url password"),
         ("basic user", "basic password"), ("bad-reload user", "bad-reload password"),
         ("simple user", "simple password"), ("raw url user", "raw url password")]
# What the wall's own encoding keeps (wall/sources.c) besides letters and digits.
WALL_KEEPS = "-._~!$&'()*+,;="


def raw_url(host, path):
    """A URL with the raw password written in it as is, not %-encoded."""
    return f"rtsp://{SECRETS['raw url user']}:{SECRETS['raw url password']}@{host}/{path}"


def forms():
    """{text to look for: what it is}: each secret raw, %-encoded, its
    longest plain piece, and each user:password pair as Basic base64."""
    found = {}
    for what, value in SECRETS.items():
        found[value] = what
        found[urllib.parse.quote(value, safe="")] = f"{what} (%-encoded)"
        found[urllib.parse.quote(value, safe=WALL_KEEPS)] = f"{what} (%-encoded as the wall does)"
        piece = max(re.findall(r"[A-Za-z0-9]+", value), key=len)
        if len(piece) >= 6:
            found[piece] = f"{what} (piece {piece!r})"
    for user, password in PAIRS:
        pair = f"{SECRETS[user]}:{SECRETS[password]}".encode()
        found[base64.b64encode(pair).decode()] = f"{user}:{password} (Basic base64)"
    return found


def leaks(texts):
    """[(where, what)] for every secret form found in {where: text}."""
    problems = []
    for where, text in texts.items():
        for needle, what in forms().items():
            if needle in text:
                problems.append(f"{what} in {where}")
    return problems


class BasicAuthCamera:
    """A fake RTSP camera on 127.0.0.1 that answers every request with 401
    and a Basic challenge; remembers the Authorization headers it got."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.authorizations = []
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with contextlib.suppress(OSError), conn:
            conn.settimeout(5)
            buffer = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buffer += chunk
                while b"\r\n\r\n" in buffer:
                    request, _, buffer = buffer.partition(b"\r\n\r\n")
                    text = request.decode(errors="replace")
                    seq = re.search(r"(?im)^CSeq:\s*(\d+)", text)
                    auth = re.search(r"(?im)^Authorization:\s*(.+)$", text)
                    if auth:
                        self.authorizations.append(auth.group(1).strip())
                    conn.sendall(b"RTSP/1.0 401 Unauthorized\r\nCSeq: "
                                 + (seq.group(1).encode() if seq else b"1")
                                 + b"\r\nWWW-Authenticate: Basic realm=\"c5\"\r\n\r\n")

    def close(self):
        self.closing = True
        self.sock.close()


def q(text):
    return W.cfg_string(text)


def full_layout(port, refused, auth_port, broken=False):
    creds = [("ssc-cam", "entry user", "entry password"),
             ("dead-cam", "refused user", "refused password"),
             ("auth-cam", "basic user", "basic password")]
    lines = ["credentials = ("]
    entries = [f"  {{ id = {q(i)}; user = {q(SECRETS[u])}; password = {q(SECRETS[p])}; }}"
               for i, u, p in creds]
    if broken:
        # A password of the wrong type, next to a secret of the right one.
        entries.append(f"  {{ id = \"typo\"; user = {q(SECRETS['entry user'])}; "
                       "password = 12345; }")
    lines += [",\n".join(entries), ");"]
    base = f"127.0.0.1:{port}"

    def url(user, password, host, path):
        return f"rtsp://{SECRETS[user]}:{SECRETS[password]}@{host}/{path}"

    cameras = [
        f"{{ number = 101; name = \"Credenciales en URL\"; "
        f"main = {q(url('url user', 'url password', base, 'cam1'))}; "
        f"sub = {q(url('sub user', 'sub password', base, 'cam2'))}; }}",
        f"{{ number = 102; name = \"Entrada\"; main = {q(f'rtsp://{base}/cam2')}; "
        f"credentials = \"ssc-cam\"; }}",
        f"{{ number = 103; name = \"Puerto cerrado\"; "
        f"main = {q(f'rtsp://127.0.0.1:{refused}/x')}; credentials = \"dead-cam\"; }}",
        f"{{ number = 104; name = \"Puerto cerrado URL\"; "
        f"main = {q(url('refused url user', 'refused url password', f'127.0.0.1:{refused}', 'y'))}; }}",
        f"{{ number = 105; name = \"Pide clave\"; "
        f"main = {q(f'rtsp://127.0.0.1:{auth_port}/z')}; credentials = \"auth-cam\"; }}",
        f"{{ number = 106; name = \"Ambas\"; "
        f"main = {q(url('both url user', 'both url password', base, 'cam1'))}; "
        f"credentials = \"ssc-cam\"; }}",
        f"{{ number = 110; name = \"Clave cruda\"; main = {q(raw_url(base, 'cam3'))}; }}",
        f"{{ number = 111; name = \"Clave cruda pide\"; "
        f"main = {q(raw_url(f'127.0.0.1:{auth_port}', 'w'))}; }}",
    ]
    if broken:
        cameras += [
            f"{{ number = 107; name = \"Esquema malo\"; "
            f"main = {q(url('bad-reload user', 'bad-reload password', base, 'x').replace('rtsp:', 'ftp:'))}; }}",
            "{ number = 108; name = \"Sin entrada\"; main = \"rtsp://127.0.0.1:1/q\"; "
            "credentials = \"ssc-cmt\"; }",
            f"{{ number = 109; name = \"Clave numero\"; main = \"rtsp://127.0.0.1:1/r\"; "
            f"credentials = \"typo\"; }}",
        ]
    lines += ["cameras = (", ",\n".join("  " + c for c in cameras), ");"]
    lines += [
        "layouts = ( { name = \"eight\"; grid = [2, 4]; gap = 2; } );",
        "outputs = ( { id = \"main\"; rect = [0, 0, 960, 540];",
        "  pages = ( { layout = \"eight\"; "
        "tiles = (101, 102, 103, 104, 105, 106, 110, 111); } ); } );",
    ]
    if broken:
        # A credentials entry whose new password appears on a line with an error.
        lines.append(f"# {SECRETS['bad-reload entry password']} is only a comment")
        lines.insert(1, f"  {{ id = \"ssc-cam\"; user = \"dup\"; "
                        f"password = {q(SECRETS['bad-reload entry password'])}; }},")
    return "\n".join(lines) + "\n"


def arrange_foreign_socket(tmp):
    """A UNIX socket file owned by another uid, or (None, why)."""
    if os.geteuid() != 0:
        return None, "not root: cannot make a file owned by another user"
    folder = os.path.join(tmp, "shared")
    os.mkdir(folder)
    os.chmod(tmp, 0o711)  # the other uid may pass through the scratch folder
    os.chmod(folder, 0o777)  # and create its socket here
    path = os.path.join(folder, "theirs.sock")
    script = ("import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])")
    attempts = []
    if shutil.which("setpriv"):
        attempts.append(["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}",
                         "--clear-groups", W.PYTHON, "-c", script, path])
    if shutil.which("runuser"):
        attempts.append(["runuser", "-u", "nobody", "--", W.PYTHON, "-c", script, path])
    why = "neither setpriv nor runuser is installed"
    for argv in attempts:
        done = subprocess.run(argv, capture_output=True, timeout=30)
        if done.returncode == 0 and os.path.exists(path):
            return path, None
        why = f"{argv[0]} failed: {done.stderr.decode(errors='replace')[-300:]}"
    return None, why


def check_foreign_socket(tmp, config):
    path, why = arrange_foreign_socket(tmp)
    if not path:
        return why
    before = os.lstat(path)
    W.check(before.st_uid != os.geteuid() and stat.S_ISSOCK(before.st_mode),
            f"{path}: the arranged socket is not another user's socket")
    result = W.run_wall(["--headless", "--config", config, "--control", path, "--frames", "5"],
                        timeout=60)
    result.expect_exit(1)
    naming = [line for line in result.stderr.splitlines() if path in line]
    W.check(len(naming) >= 1 and any("another user" in line for line in naming),
            f"--control on another user's socket: expected a line naming {path} and "
            f"'another user'; stderr:\n{W.tail(result.stderr)}")
    after = os.lstat(path)
    W.check((after.st_ino, after.st_uid) == (before.st_ino, before.st_uid),
            f"{path}: the other user's socket was replaced")
    W.log(f"refused another user's socket: {naming[0]}")
    return None


def run(tmp):
    clip = W.make_clip(os.path.join(tmp, "rtsp.ts"), "testsrc2=size=320x180:rate=25",
                       duration=2, crf=28)
    snaps = os.path.join(tmp, "snaps")
    os.mkdir(snaps)
    audit = os.path.join(tmp, "audit.log")
    config = os.path.join(tmp, "secrets.cfg")
    texts = {}
    camera = BasicAuthCamera()
    try:
        with W.refused_port() as refused, \
                W.start_rtsp_server({"cam1": clip, "cam2": clip, "cam3": clip}) as server:
            with open(config, "w") as f:
                f.write(full_layout(server.port, refused, camera.port))
            check = W.run_wall(["--check", config], timeout=60)
            check.expect_exit(0)
            texts["wall --check (valid) stderr"] = check.stderr
            W.check("credentials in the URL" in check.stderr,
                    "the full format did not warn about credentials in a URL:\n"
                    + check.stderr)
            raw_warnings = [line for line in check.stderr.splitlines()
                            if "characters a URL reserves" in line]
            W.check(len(raw_warnings) == 2
                    and all(re.match(r"^.+:\d+: warning: camera 11[01]: ", line)
                            for line in raw_warnings),
                    "expected a warning (file:line) for each of cameras 110 and 111, whose "
                    "password is typed raw in the URL:\n" + check.stderr)
            live_run(tmp, config, server, refused, camera, snaps, audit, texts)
            simple_run(tmp, server, refused, texts)
    finally:
        camera.close()

    W.check(camera.authorizations, "the fake camera never got an Authorization header: "
            "the Basic-auth case did not happen")
    raw_pair = f"{SECRETS['raw url user']}:{SECRETS['raw url password']}".encode()
    W.check("Basic " + base64.b64encode(raw_pair).decode() in camera.authorizations,
            "the fake camera never got the raw user name and password of camera 111 as "
            f"written (it got {len(camera.authorizations)} other Authorization headers)")
    texts["audit file"] = open(audit, errors="replace").read()
    W.check("action=" in texts["audit file"], "the audit file is empty")
    names = sorted(os.listdir(snaps))
    W.check(names, f"no snapshot written in {snaps}")
    texts["snapshot file names"] = "\n".join(names)
    for name in names:
        with open(os.path.join(snaps, name), "rb") as f:
            texts[f"snapshot {name} (bytes)"] = f.read().decode("latin-1")
    problems = leaks(texts)
    W.check(not problems, "credentials leaked: " + "; ".join(problems))
    W.log(f"no credential in {len(texts)} texts: " + ", ".join(sorted(texts)))

    why = check_foreign_socket(tmp, config_without_network(tmp))
    if why:
        raise W.Skip(f"every other check passed; another user's socket cannot be "
                     f"arranged here: {why}")


def config_without_network(tmp):
    """A layout with one missing file camera: for runs that only test the
    socket path."""
    return W.write_config(os.path.join(tmp, "plain.cfg"), width=320, height=180, rows=1,
                          columns=1, gap=0, cameras=[(1, "Archivo", "missing.mp4")])


def live_run(tmp, config, server, refused, camera, snaps, audit, texts):
    socket_path = os.path.join(tmp, "control.sock")
    out_path, err_path = os.path.join(tmp, "wall.out"), os.path.join(tmp, "wall.err")
    argv = [W.wall_bin(), "--headless", "--config", config, "--control", socket_path,
            "--audit", audit, "--stats", "--io-timeout", str(IO_TIMEOUT_MS),
            "--snapshot-dir", snaps, "--fps", "10", "--hwaccel", "none"]
    W.log("starting: " + " ".join(argv))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=W.wall_env(WALL_LOG="debug"))
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(socket_path):
            W.check(proc.poll() is None, f"the wall exited ({proc.returncode}):\n"
                    + W.tail(open(err_path, errors="replace").read()))
            W.check(time.monotonic() < deadline, "no control socket within 30 s")
            time.sleep(0.1)
        mode = stat.S_IMODE(os.stat(socket_path).st_mode)
        W.check(mode == 0o660, f"control socket mode is {oct(mode)}, expected 0o660")
        with W.ControlClient(socket_path, timeout=15) as client:
            def feeds():
                return W.feeds_by_camera(client.stats())

            W.wait_until(lambda: all(feeds().get(n, {}).get("state") == "live"
                                     for n in (101, 102, 106, 110)),
                         "cameras 101, 102, 106 and 110 are live", LIVE_TIMEOUT)
            W.wait_until(lambda: len(camera.authorizations) >= 2 and all(
                feeds().get(n, {}).get("state") == "no-signal" for n in (103, 104, 105, 111)),
                "cameras 103-105 and 111 are no-signal and the fake camera got credentials",
                LIVE_TIMEOUT)
            W.check(any(a.startswith("Basic ") for a in camera.authorizations),
                    f"the fake camera got no Basic credentials: {camera.authorizations}")
            texts["control help"] = client.ok("help")
            texts["control tiles"] = client.ok("tiles")
            stats = client.stats()
            texts["control stats"] = client.ok("stats")
            urls = {f["camera"]: f.get("url", "") for f in stats["feeds"]}
            # The layout keeps credentials apart from the URL (layouts/layout.h).
            W.check(urls.get(101, "").startswith("rtsp://") and "@" not in urls[101],
                    f"camera 101's URL in stats: {urls.get(101)!r}")
            W.check(urls.get(110) == f"rtsp://127.0.0.1:{server.port}/cam3",
                    "camera 110's URL in stats is not its address without the raw "
                    "credentials")
            client.ok("select 1 1")
            client.ok("maximize 1 1")  # the main stream, with its own credentials
            W.wait_until(lambda: any(t.get("stream") == "main" and t.get("camera") == 101
                                     for t in client.tiles()),
                         "camera 101 shows its main stream", LIVE_TIMEOUT)
            texts["control tiles (maximized)"] = client.ok("tiles")
            texts["control stats (maximized)"] = client.ok("stats")
            client.ok("restore 1")
            client.ok("put 106 1 3")
            snapshot = os.path.join(snaps, "canvas.png")
            W.check(client.ok(f"snapshot {snapshot}") == snapshot, "snapshot reply")

            # A reload with errors next to credentials.
            bad = full_layout(server.port, refused, camera.port, broken=True)
            with open(config + ".new", "w") as f:
                f.write(bad)
            os.replace(config + ".new", config)
            W.wait_until(lambda: "not reloaded" in open(err_path, errors="replace").read(),
                         "the wall logs that the broken layout was not reloaded", 30)
            texts["control stats (after the failed reload)"] = client.ok("stats")
            texts["control tiles (after the failed reload)"] = client.ok("tiles")
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(30)
        W.check(status == 0, f"the wall exited with {status} after SIGTERM")
    finally:
        W.stop_process(proc, signal.SIGKILL, timeout=5)
    texts["live run stderr (WALL_LOG=debug)"] = open(err_path, errors="replace").read()
    texts["live run stdout (--stats)"] = open(out_path, errors="replace").read()
    W.check('"feeds"' in texts["live run stdout (--stats)"], "--stats printed no JSON")
    log_text = texts["live run stderr (WALL_LOG=debug)"]
    for expected in ("credentials", "127.0.0.1"):
        W.check(expected in log_text, f"the log never mentions {expected!r}: is it empty?")

    check = W.run_wall(["--check", config], timeout=60)
    check.expect_exit(1)
    texts["wall --check (broken) stderr"] = check.stderr
    W.check(check.stderr.count(":") >= 3, f"--check of the broken file said little:\n"
            f"{check.stderr}")


def simple_run(tmp, server, refused, texts):
    user, password = SECRETS["simple user"], SECRETS["simple password"]
    config = W.write_config(
        os.path.join(tmp, "simple.cfg"), width=960, height=180, rows=1, columns=3, gap=2,
        cameras=[(1, "Uno", f"rtsp://{user}:{password}@127.0.0.1:{server.port}/cam1"),
                 (2, "Dos", f"rtsp://{user}:{password}@127.0.0.1:{refused}/cam2"),
                 (3, "Tres", raw_url(f"127.0.0.1:{server.port}", "cam3"))])
    result = W.run_wall(["--headless", "--config", config, "--frames", "10", "--stats",
                         "--io-timeout", str(IO_TIMEOUT_MS), "--settle-timeout", "20",
                         "--snapshot", os.path.join(tmp, "simple.png")],
                        timeout=90, env=W.wall_env(WALL_LOG="debug"))
    result.expect_exit(0)
    stats = result.stats()
    W.check(W.feed_stats(stats, 1).get("state") == "live", "simple run: camera 1 not live")
    W.check(W.feed_stats(stats, 3).get("state") == "live",
            "simple run: camera 3 (its password typed raw in the URL) not live")
    texts["simple run stderr (WALL_LOG=debug)"] = result.stderr
    texts["simple run stdout (--stats)"] = result.stdout


if __name__ == "__main__":
    W.main(run)
