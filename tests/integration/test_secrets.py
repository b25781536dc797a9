#!/usr/bin/python3
"""Camera credentials never show: logs, statistics, audit trail, socket
replies, snapshots, --check, messages on abort; and the control socket is
the wall's own.

Every place that could print a URL holding `user:password@` is made to
print one here, so that removing its redaction makes this test fail (and
say what leaked where), not only a unit test:

- refused connections: two cameras with credentials (entry, URL) on a
  refused port; their "no signal" lines name the URL, masked;
- the real RTSP server (tests/rtsp_server.py, gst-rtsp-server's RTSPAuth,
  Basic) with mounts that demand a password: a camera with the right one
  in its URL goes live (the credentials really are sent), one with a wrong
  password gets 401 from the server and no signal; a credentials entry whose
  password needs %-encoding plays a locked mount, and so does a camera with
  URL credentials and an entry (the entry wins: its URL ones would get 401);
  a password typed raw in the URL, with characters a URL reserves
  (rtsp://rawUser6:Raw#...?y'z@:w@127.0.0.1:PORT/cam3), plays a mount locked
  with exactly that password;
- a fake camera that answers 401 with a Basic challenge, over RTSP and HTTP,
  so that FFmpeg really sends Authorization headers (base64 of
  user:password), which its debug log shows;
- FFmpeg's own messages, relayed into the log (WALL_LOG=debug, the most it
  says): for an http camera FFmpeg writes "Opening 'http://user:pass@...'"
  and its requests with their Authorization header; a password as long as a
  token (over a log line's 1 KiB) makes that line longer than a line, so a
  cut made before the redaction would leave the start of the password;
- a URL whose path looks like credentials (rtsp://127.0.0.1/user:pass@host/x:
  the layout reads a path, FFmpeg too; the wall masks it anyway, as it says
  it does, wherever it prints the URL: log, --stats, `stats`);
- --stats (live run, simple run), the audit file, control-socket replies
  (`help`, `tiles`, `stats`, `snapshot`, `snapshot-tile`, and `plates`, the
  texts the OSD draws, when `help` lists it), the snapshot files (names and
  bytes; the canvas again after the failed reload, when the OSD shows its
  banner), a maximize (the main stream), a `put`;
- a reload with errors (a bad scheme, a URL without host, a URL in a field
  that takes a name, an unknown credentials id, a password of the wrong
  type), `wall --check` of that file (its messages are printed as they are,
  never through the log's redaction), starting the wall on it (exit 1);
- messages on abort: --control in a folder that does not exist (exit 1),
  SIGABRT mid-run, SIGTERM (exit 0, --stats on stdout);
- a simple-format run with credentials in URLs, a third camera's password
  typed raw (--stats).
Every text the wall produced is searched for every user name and password:
raw, %-encoded (fully, and as the wall encodes), as Basic base64 (and the
start of it), their longest plain-letter piece, and the first 16 characters
of the long ones: none may appear.

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
import resource
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
PREFIX = 16  # characters of a long secret, or of its Basic base64, that are enough to tell


def long_token():
    """A password the length of the tokens some cameras take (a JSON Web
    Token): longer than a log line (1 KiB)."""
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT","kid":"visor-c5"}')
    body = base64.urlsafe_b64encode(
        b'{"sub":"camera-114","scope":"live","pad":"' + bytes(range(48, 58)) * 90 + b'"}')
    return (head.rstrip(b"=") + b"." + body.rstrip(b"=") + b".Zm9vYmFyc2lnbmF0dXJl").decode()


SECRETS = {
    "url user": "urlUser9", "url password": "UrlPassw0rd",
    "sub user": "subUser9", "sub password": "SubPassw0rd",
    "entry user": "visorC5user", "entry password": "s3cret:@/%Pw",
    "both url user": "bothUrlUser", "both url password": "BothUrlPw1",
    "refused user": "refusedUser", "refused password": "R3fusedPass#1",
    "refused url user": "deadUser5", "refused url password": "DeadPassw0rd",
    "basic user": "basicUser7", "basic password": "Bas1cPassword",
    "lock user": "lockUser8", "lock password": "L0ckPassw0rd",
    "wrong password": "Wr0ngPassw0rd",
    "http user": "httpUser7", "http password": "HttpPassw0rd",
    "token user": "tokenUser4", "token password": long_token(),
    "path user": "pathUser3", "path password": "PathPassw0rd",
    "bad-reload user": "ftpUser3", "bad-reload password": "FtpPassw0rd",
    "bad-reload entry password": "NewS3cretPw",
    "bad-reload number password": "739184265",
    "bad-reload site user": "siteUser2", "bad-reload site password": "S1tePassw0rd",
    "bad-reload no-host user": "noHostUser", "bad-reload no-host password": "N0HostPassw0rd",
    "simple user": "simpleUser4", "simple password": "S1mplePassw0rd",
    # Typed raw in URLs: '#', '/', '?', "'", '@' and ':' (layouts/urls.h).
    "raw url user": "rawUser6", "raw url password": "Raw#Rawpass6/x?y'z@:w",
}
PAIRS = [("url user", "url password"), ("sub user", "sub password"),
         ("entry user", "entry password"), ("both url user", "both url password"),
         ("refused user", "refused password"), ("refused url user", "refused url password"),
         ("basic user", "basic password"), ("lock user", "lock password"),
         ("lock user", "wrong password"), ("http user", "http password"),
         ("token user", "token password"), ("path user", "path password"),
         ("bad-reload user", "bad-reload password"), ("simple user", "simple password"),
         ("raw url user", "raw url password")]
# What the wall's own encoding keeps (wall/sources.c) besides letters and digits.
WALL_KEEPS = "-._~!$&'()*+,;="


def pair(user, password):
    return f"{SECRETS[user]}:{SECRETS[password]}"


def basic(user, password):
    return base64.b64encode(pair(user, password).encode()).decode()


def raw_url(host, path):
    """A URL with the raw password written in it as is, not %-encoded."""
    return f"rtsp://{pair('raw url user', 'raw url password')}@{host}/{path}"


def forms():
    """{text to look for: what it is}: each secret raw, %-encoded, its
    longest plain piece, the start of the long ones (what a cut would leave
    of them), and each user:password pair as Basic base64 (and its start)."""
    found = {}
    for what, value in SECRETS.items():
        spellings = {}  # the first name of a spelling wins: "raw" when it needs no %
        for text, name in ((value, what),
                           (urllib.parse.quote(value, safe=""), f"{what} (%-encoded)"),
                           (urllib.parse.quote(value, safe=WALL_KEEPS),
                            f"{what} (%-encoded as the wall does)")):
            spellings.setdefault(text, name)
        for text, name in list(spellings.items()):
            if len(text) > PREFIX:
                spellings.setdefault(text[:PREFIX], f"{name}, its first {PREFIX} characters")
        for text, name in spellings.items():
            found.setdefault(text, name)
        piece = max(re.findall(r"[A-Za-z0-9]+", value), key=len)
        if len(piece) >= 6:
            found.setdefault(piece, f"{what} (piece {piece[:24]!r})")
    for user, password in PAIRS:
        encoded = basic(user, password)
        found[encoded] = f"{user}:{password} (Basic base64)"
        # The base64 of the pair's first 12 bytes: what a cut header leaves.
        found.setdefault(encoded[:PREFIX], f"{user}:{password} (start of its Basic base64)")
    return found


def mask(text, needles):
    for needle in needles:
        text = text.replace(needle, "<SECRET>")
    return text


def leaks(texts):
    """[what in where: the line, secrets masked] for every secret form found
    in {where: text}."""
    known = forms()
    longest_first = sorted(known, key=len, reverse=True)
    problems = []
    for where, text in texts.items():
        for needle, what in known.items():
            at = text.find(needle)
            if at < 0:
                continue
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            line = text[start:end if end >= 0 else len(text)]
            if len(line) > 240:
                line = line[max(0, at - start - 100):at - start + 140]
            problems.append(f"{what} in {where}: {mask(line, longest_first)!r}")
    return problems


class AuthCamera:
    """A fake camera on 127.0.0.1 that answers every RTSP request with
    "401 Unauthorized" and a Basic challenge, and every HTTP request the
    same way; remembers the Authorization headers it got."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.authorizations = []
        self.http_requests = 0
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
                    auth = re.search(r"(?im)^Authorization:\s*(.+)$", text)
                    if auth:
                        self.authorizations.append(auth.group(1).strip())
                    if re.match(r"^(GET|HEAD|POST) ", text):
                        self.http_requests += 1
                        conn.sendall(b"HTTP/1.1 401 Unauthorized\r\n"
                                     b"WWW-Authenticate: Basic realm=\"c5\"\r\n"
                                     b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                        return
                    seq = re.search(r"(?im)^CSeq:\s*(\d+)", text)
                    conn.sendall(b"RTSP/1.0 401 Unauthorized\r\nCSeq: "
                                 + (seq.group(1).encode() if seq else b"1")
                                 + b"\r\nWWW-Authenticate: Basic realm=\"c5\"\r\n\r\n")

    def close(self):
        self.closing = True
        self.sock.close()


def q(text):
    return W.cfg_string(text)


# Cameras of the full layout by what they show, and the tiles of its one page.
LIVE = (101, 102, 106, 110, 120)
NO_SIGNAL = (103, 104, 105, 111, 113, 114, 115, 121)
TILES = (101, 102, 103, 104, 105, 106, 110, 111, 120, 121, 113, 114, 115)


def full_layout(port, refused, auth_port, broken=False):
    creds = [("ssc-cam", "entry user", "entry password"),
             ("dead-cam", "refused user", "refused password"),
             ("auth-cam", "basic user", "basic password")]
    lines = ["credentials = ("]
    entries = [f"  {{ id = {q(i)}; user = {q(SECRETS[u])}; password = {q(SECRETS[p])}; }}"
               for i, u, p in creds]
    if broken:
        # A password of the wrong type (a number, itself a secret).
        entries.append(f"  {{ id = \"typo\"; user = {q(SECRETS['entry user'])}; "
                       f"password = {SECRETS['bad-reload number password']}; }}")
    lines += [",\n".join(entries), ");"]
    base = f"127.0.0.1:{port}"

    def url(user, password, host, path, scheme="rtsp"):
        return f"{scheme}://{pair(user, password)}@{host}/{path}"

    path_url = f"rtsp://127.0.0.1/{pair('path user', 'path password')}@127.0.0.1/x"
    site_url = url("bad-reload site user", "bad-reload site password", "127.0.0.1", "s")
    no_host = url("bad-reload no-host user", "bad-reload no-host password", "", "x")

    cameras = [
        f"{{ number = 101; name = \"Credenciales en URL\"; "
        f"main = {q(url('url user', 'url password', base, 'cam1'))}; "
        f"sub = {q(url('sub user', 'sub password', base, 'cam2'))}; }}",
        f"{{ number = 102; name = \"Entrada\"; main = {q(f'rtsp://{base}/entry')}; "
        f"credentials = \"ssc-cam\"; }}",
        f"{{ number = 103; name = \"Puerto cerrado\"; "
        f"main = {q(f'rtsp://127.0.0.1:{refused}/x')}; credentials = \"dead-cam\"; }}",
        f"{{ number = 104; name = \"Puerto cerrado URL\"; "
        f"main = {q(url('refused url user', 'refused url password', f'127.0.0.1:{refused}', 'y'))}; }}",
        f"{{ number = 105; name = \"Pide clave\"; "
        f"main = {q(f'rtsp://127.0.0.1:{auth_port}/z')}; credentials = \"auth-cam\"; }}",
        # The entry wins: the mount takes only the entry's user and password.
        f"{{ number = 106; name = \"Ambas\"; "
        f"main = {q(url('both url user', 'both url password', base, 'entry'))}; "
        f"credentials = \"ssc-cam\"; }}",
        f"{{ number = 110; name = \"Clave cruda\"; main = {q(raw_url(base, 'cam3'))}; }}",
        f"{{ number = 111; name = \"Clave cruda pide\"; "
        f"main = {q(raw_url(f'127.0.0.1:{auth_port}', 'w'))}; }}",
        f"{{ number = 120; name = \"Clave buena\"; "
        f"main = {q(url('lock user', 'lock password', base, 'lock'))}; }}",
        f"{{ number = 121; name = \"Clave mala\"; "
        f"main = {q(url('lock user', 'wrong password', base, 'lock'))}; }}",
        f"{{ number = 113; name = \"HTTP pide clave\"; "
        f"main = {q(url('http user', 'http password', f'127.0.0.1:{auth_port}', 'h', 'http'))}; }}",
        f"{{ number = 114; name = \"Testigo largo\"; "
        f"main = {q(url('token user', 'token password', f'127.0.0.1:{refused}', 'j', 'http'))}; }}",
        # No port: the layout reads "pathUser3:...@127.0.0.1/x" as a path (so
        # does FFmpeg, which finds nothing on port 554); the wall masks it
        # wherever it prints the URL, as it does credentials.
        f"{{ number = 115; name = \"Ruta con arroba\"; "
        f"main = {q(path_url)}; }}",
    ]
    if broken:
        cameras += [
            f"{{ number = 107; name = \"Esquema malo\"; "
            f"main = {q(url('bad-reload user', 'bad-reload password', base, 'x', 'ftp'))}; }}",
            # A URL where a name belongs.
            "{ number = 108; name = \"Sin entrada\"; main = \"rtsp://127.0.0.1:1/q\"; "
            f"site = {q(site_url)}; "
            "credentials = \"ssc-cmt\"; }",
            "{ number = 109; name = \"Clave numero\"; main = \"rtsp://127.0.0.1:1/r\"; "
            "credentials = \"typo\"; }",
            f"{{ number = 112; name = \"Sin host\"; "
            f"main = {q(no_host)}; }}",
        ]
    lines += ["cameras = (", ",\n".join("  " + c for c in cameras), ");"]
    tiles = ", ".join(map(str, TILES + (0,) * (16 - len(TILES))))
    lines += [
        "layouts = ( { name = \"sixteen\"; grid = [4, 4]; gap = 2; } );",
        "outputs = ( { id = \"main\"; rect = [0, 0, 960, 540];",
        f"  pages = ( {{ layout = \"sixteen\"; tiles = ({tiles}); }} ); }} );",
    ]
    if broken:
        # A credentials entry whose new password appears on a line with an error.
        lines.append(f"# {SECRETS['bad-reload entry password']} is only a comment")
        lines.insert(1, f"  {{ id = \"ssc-cam\"; user = \"dup\"; "
                        f"password = {q(SECRETS['bad-reload entry password'])}; }},")
    return "\n".join(lines) + "\n"


def server_logins():
    """The real server's locked mounts: (mount, user, password)."""
    return [("entry", SECRETS["entry user"], SECRETS["entry password"]),
            ("cam3", SECRETS["raw url user"], SECRETS["raw url password"]),
            ("lock", SECRETS["lock user"], SECRETS["lock password"])]


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
    # Checks that a leak would also fail, run after the search for leaks so
    # that a leak is reported as one, with every place it shows.
    later = []
    camera = AuthCamera()
    mounts = {"cam1": clip, "cam2": clip, "cam3": clip, "entry": clip, "lock": clip}
    try:
        with W.refused_port() as refused, \
                W.start_rtsp_server(mounts, auth=server_logins()) as server:
            valid = full_layout(server.port, refused, camera.port)
            with open(config, "w") as f:
                f.write(valid)
            valid_copy = os.path.join(tmp, "valid.cfg")
            with open(valid_copy, "w") as f:
                f.write(valid)
            broken = os.path.join(tmp, "broken.cfg")
            with open(broken, "w") as f:
                f.write(full_layout(server.port, refused, camera.port, broken=True))
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
            live_run(tmp, config, broken, server, refused, camera, snaps, audit, texts, later)
            abort_runs(tmp, valid_copy, broken, camera, texts)
            simple_run(tmp, server, refused, texts)
            ports = (server.port, refused)
    finally:
        camera.close()

    W.check(camera.authorizations, "the fake camera never got an Authorization header: "
            "the Basic-auth case did not happen")
    W.check("Basic " + basic("raw url user", "raw url password") in camera.authorizations,
            "the fake camera never got the raw user name and password of camera 111 as "
            f"written (it got {len(camera.authorizations)} other Authorization headers)")
    W.check("Basic " + basic("http user", "http password") in camera.authorizations,
            "the fake camera never got camera 113's credentials over HTTP "
            f"({camera.http_requests} HTTP requests)")
    texts["audit file"] = open(audit, errors="replace").read()
    W.check("action=" in texts["audit file"], "the audit file is empty")
    names = sorted(os.listdir(snaps))
    W.check(len(names) >= 3, f"expected 3 snapshots (canvas twice, a tile) in {snaps}: {names}")
    texts["snapshot file names"] = "\n".join(names)
    for name in names:
        with open(os.path.join(snaps, name), "rb") as f:
            texts[f"snapshot {name} (bytes)"] = f.read().decode("latin-1")
    problems = leaks(texts)
    shown = problems[:25] + ([f"... and {len(problems) - 25} more"] if len(problems) > 25 else [])
    W.check(not problems, f"credentials leaked ({len(problems)}):\n  " + "\n  ".join(shown))
    W.log(f"no credential in {len(texts)} texts: " + ", ".join(sorted(texts)))
    check_log(texts["live run stderr (WALL_LOG=debug)"], *ports, camera.port)
    for deferred in later:
        deferred()

    why = check_foreign_socket(tmp, config_without_network(tmp))
    if why:
        raise W.Skip(f"every other check passed; another user's socket cannot be "
                     f"arranged here: {why}")


def config_without_network(tmp):
    """A layout with one missing file camera: for runs that only test the
    socket path."""
    return W.write_config(os.path.join(tmp, "plain.cfg"), width=320, height=180, rows=1,
                          columns=1, gap=0, cameras=[(1, "Archivo", "missing.mp4")])


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def no_signal_line(log, number, url_pattern):
    """The log line saying camera `number` (its URL masked) has no signal."""
    found = re.search(rf"(?m)^WARN +feed: camera {number} \({url_pattern}\): no signal: .*$", log)
    return found.group(0) if found else None


def check_log(log, port, refused, auth_port):
    """The log shows each case happened, with the URL masked."""
    expected = {
        103: rf"rtsp://\*\*\*@127\.0\.0\.1:{refused}/x",
        104: rf"rtsp://\*\*\*@127\.0\.0\.1:{refused}/y",
        121: rf"rtsp://\*\*\*@127\.0\.0\.1:{port}/lock",
        113: rf"http://\*\*\*@127\.0\.0\.1:{auth_port}/h",
        114: rf"http://\*\*\*@127\.0\.0\.1:{refused}/j",
        115: r"rtsp://\*\*\*@127\.0\.0\.1/x",
    }
    for number, pattern in expected.items():
        W.check(no_signal_line(log, number, pattern),
                f"the log has no 'no signal' line for camera {number} naming its URL masked "
                f"({pattern})")
    refused_line = no_signal_line(log, 104, expected[104])
    W.check("refused" in refused_line.lower(), f"camera 104: not refused: {refused_line}")
    wrong = no_signal_line(log, 121, expected[121])
    W.check("401" in wrong, "camera 121 (a wrong password) did not get 401 from the RTSP "
            f"server: {wrong}")
    # FFmpeg's own messages carried the URLs and headers, masked. A message
    # may hold several lines (a request with its headers): the lines up to
    # the next "LEVEL component:" are its own.
    messages = re.split(r"\n(?=(?:ERROR|WARN|INFO|DEBUG) +[a-z]+: )", log)
    relayed = [message for message in messages if message.startswith("DEBUG ffmpeg:")]
    for what, pattern in (("the http URL of camera 113", expected[113]),
                          ("the long http URL of camera 114", expected[114]),
                          ("an Authorization header", r"Authorization: \*\*\*")):
        W.check(any(re.search(pattern, line) for line in relayed),
                f"no FFmpeg message relayed {what}, masked: the relay of FFmpeg's "
                "messages is not tested")


def live_run(tmp, config, broken, server, refused, camera, snaps, audit, texts, later):
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
                    + W.tail(read(err_path)))
            W.check(time.monotonic() < deadline, "no control socket within 30 s")
            time.sleep(0.1)
        mode = stat.S_IMODE(os.stat(socket_path).st_mode)
        W.check(mode == 0o660, f"control socket mode is {oct(mode)}, expected 0o660")
        with W.ControlClient(socket_path, timeout=15) as client:
            def feeds():
                return W.feeds_by_camera(client.stats())

            def states():
                return {n: f.get("state") for n, f in sorted(feeds().items())}

            W.wait_until(lambda: all(feeds().get(n, {}).get("state") == "live" for n in LIVE),
                         f"cameras {LIVE} are live (120: the right password on a locked "
                         "mount; 102 and 106: the credentials entry's)", LIVE_TIMEOUT,
                         describe=states)
            W.wait_until(lambda: len(camera.authorizations) >= 3 and all(
                feeds().get(n, {}).get("state") == "no-signal" for n in NO_SIGNAL),
                f"cameras {NO_SIGNAL} are no-signal and the fake camera got credentials",
                LIVE_TIMEOUT, describe=states)
            W.check(any(a.startswith("Basic ") for a in camera.authorizations),
                    f"the fake camera got no Basic credentials: {camera.authorizations}")
            texts["control help"] = client.ok("help")
            plates = "plates" in re.findall(r"[a-z-]+", texts["control help"])
            if plates:
                texts["control plates"] = client.ok("plates")
                W.check("Clave mala" in texts["control plates"],
                        "`plates` does not list the camera names the OSD draws: "
                        + texts["control plates"][:300])
            texts["control tiles"] = client.ok("tiles")
            stats = client.stats()
            texts["control stats"] = client.ok("stats")
            later.append(lambda: check_stats_urls(stats, server.port))
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
            texts["control snapshot"] = client.ok(f"snapshot {snapshot}")
            W.check(texts["control snapshot"] == snapshot, "snapshot reply")
            # The tile of camera 121 (a wrong password): named after the camera.
            texts["control snapshot-tile"] = client.ok(f"snapshot-tile main {TILES.index(121) + 1}")

            # A reload with errors next to credentials: the OSD shows a banner.
            shutil.copyfile(broken, config + ".new")
            os.replace(config + ".new", config)
            W.wait_until(lambda: "not reloaded" in read(err_path),
                         "the wall logs that the broken layout was not reloaded", 30)
            texts["control stats (after the failed reload)"] = client.ok("stats")
            texts["control tiles (after the failed reload)"] = client.ok("tiles")
            if plates:
                texts["control plates (after the failed reload)"] = client.ok("plates")
            banner = os.path.join(snaps, "canvas-banner.png")
            texts["control snapshot (after the failed reload)"] = client.ok(f"snapshot {banner}")
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(30)
        W.check(status == 0, f"the wall exited with {status} after SIGTERM")
    finally:
        W.stop_process(proc, signal.SIGKILL, timeout=5)
    texts["live run stderr (WALL_LOG=debug)"] = read(err_path)
    texts["live run stdout (--stats)"] = read(out_path)
    W.check('"feeds"' in texts["live run stdout (--stats)"], "--stats printed no JSON")
    log_text = texts["live run stderr (WALL_LOG=debug)"]
    for expected in ("credentials", "127.0.0.1"):
        W.check(expected in log_text, f"the log never mentions {expected!r}: is it empty?")

    check = W.run_wall(["--check", broken], timeout=60)
    check.expect_exit(1)
    texts["wall --check (broken) stderr"] = check.stderr
    later.append(lambda: check_broken_messages(check.stderr))


def check_stats_urls(stats, port):
    urls = {f["camera"]: f.get("url", "") for f in stats["feeds"]}
    # The layout keeps credentials apart from the URL (layouts/layout.h).
    W.check(urls.get(101, "").startswith("rtsp://") and "@" not in urls[101],
            f"camera 101's URL in stats: {urls.get(101)!r}")
    W.check(urls.get(110) == f"rtsp://127.0.0.1:{port}/cam3",
            "camera 110's URL in stats is not its address without the raw credentials")
    W.check(urls.get(115) == "rtsp://***@127.0.0.1/x",
            f"camera 115's URL in stats is not masked: {urls.get(115)!r}")


def check_broken_messages(stderr):
    """--check names each error of the broken file (and so the messages the
    search for leaks looked at are the ones meant)."""
    for number, what in ((107, "unsupported URL scheme"), (108, "site"), (112, "no host")):
        W.check(re.search(rf"(?m)^.+:\d+: camera {number}: .*{what}", stderr),
                f"--check of the broken file: no error about camera {number} ({what}):\n"
                f"{stderr}")
    W.check(re.search(r"(?m)^.+:\d+: .*password must be a string \(got a number\)", stderr),
            f"--check of the broken file: no error about the numeric password:\n{stderr}")


def no_core_dump():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def abort_runs(tmp, config, broken, camera, texts):
    """The wall stopping early: a layout with errors, a --control it cannot
    make, SIGABRT while its feeds are failing to authenticate."""
    env = W.wall_env(WALL_LOG="debug")
    result = W.run_wall(["--headless", "--config", broken, "--frames", "5"], timeout=60,
                        env=env)
    result.expect_exit(1)
    texts["start with the broken layout: stderr"] = result.stderr
    texts["start with the broken layout: stdout"] = result.stdout

    nowhere = os.path.join(tmp, "no-such-folder", "control.sock")
    result = W.run_wall(["--headless", "--config", config, "--control", nowhere, "--stats",
                         "--frames", "5"], timeout=60, env=env)
    result.expect_exit(1)
    W.check(nowhere in result.stderr, f"--control {nowhere}: the error does not name it:\n"
            + W.tail(result.stderr))
    texts["--control in a missing folder: stderr"] = result.stderr
    texts["--control in a missing folder: stdout"] = result.stdout

    out_path, err_path = os.path.join(tmp, "abort.out"), os.path.join(tmp, "abort.err")
    argv = [W.wall_bin(), "--headless", "--config", config, "--stats", "--io-timeout",
            str(IO_TIMEOUT_MS), "--fps", "10", "--hwaccel", "none"]
    W.log("starting (to abort): " + " ".join(argv))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=env, cwd=tmp, preexec_fn=no_core_dump)
    try:
        # Mid-run: the wrong password refused by the server, the fake camera's
        # challenge answered over HTTP.
        W.wait_until(lambda: proc.poll() is not None or (
            re.search(r"camera 121 \(.*\): no signal: .*401", read(err_path))
            and re.search(r"camera 113 \(.*\): no signal", read(err_path))),
            "cameras 121 and 113 failed to authenticate", LIVE_TIMEOUT)
        W.check(proc.poll() is None, f"the wall exited ({proc.returncode}) before SIGABRT:\n"
                + W.tail(read(err_path)))
        proc.send_signal(signal.SIGABRT)
        status = proc.wait(30)
        W.check(status == -signal.SIGABRT, f"the wall exited with {status} after SIGABRT")
    finally:
        W.stop_process(proc, signal.SIGKILL, timeout=5)
    texts["SIGABRT mid-run: stderr"] = read(err_path)
    texts["SIGABRT mid-run: stdout"] = read(out_path)


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
            "simple run: camera 3 (its password typed raw in the URL, on a mount locked "
            "with it) not live")
    texts["simple run stderr (WALL_LOG=debug)"] = result.stderr
    texts["simple run stdout (--stats)"] = result.stdout


if __name__ == "__main__":
    W.main(run)
