#!/usr/bin/python3
"""The control socket: its commands, its limits, and its safety.

A wall (headless, one moving file camera on a 1x2 grid) runs with
--control. Over the socket:
- `help` answers OK listing the commands; an unknown command answers
  `ERR unknown command ...`; a command with wrong arguments `ERR usage: ...`;
- a 10 KB line answers `ERR line too long`, and the next command on the
  same connection is still answered;
- a client that connects and sends nothing (or half a line) does not stop
  another client from being answered;
- with 16 clients connected (the limit), a 17th gets `ERR too many clients`
  or is closed, and once one leaves a new client is served again;
- the socket file has mode 0660;
- one output queues 16 alarms and refuses the 17th with ERR;
- `tiles`, `stats` and `plates` are valid JSON (Python's json) although
  camera 702, in tile 2, is named with quotes, a backslash, a tab, a
  newline, a control character, accents, CJK and an invalid UTF-8 byte:
  the name comes back as written, the invalid byte as U+FFFD.
Then: the wall refuses to start (exit 1, one clear line naming the path)
when --control names an existing regular file, and leaves that file as it
was.
"""

import contextlib
import os
import socket
import stat
import time

import walltest as W

WIDTH, HEIGHT, GAP = 640, 360, 4
MAX_CLIENTS = 16
REPLY_TIMEOUT = 5  # s: the safety limit for any one reply


def check_help(wall):
    reply = wall.control.command("help", REPLY_TIMEOUT)
    W.check(reply.startswith("OK "), f"help: expected OK ..., got {reply!r}")
    for name in ("help", "stats", "tiles", "snapshot", "page", "maximize", "restore"):
        W.check(name in reply, f"help does not mention {name!r}: {reply!r}")


def check_errors(wall):
    c = wall.control
    reply = c.command("frobnicate the wall", REPLY_TIMEOUT)
    W.check(reply.startswith("ERR unknown command"),
            f"unknown command: expected `ERR unknown command ...`, got {reply!r}")
    W.check("the wall" not in reply,
            f"the unknown command's reply echoes the whole line: {reply!r}")

    for line in ("maximize", "maximize 1", "page 1", "restore", "restore 1 2", "stats now",
                 "maximize 1 2 3"):
        reply = c.command(line, REPLY_TIMEOUT)
        W.check(reply.startswith("ERR usage: "),
                f"{line!r}: expected `ERR usage: ...`, got {reply!r}")

    # Arguments of the right number but wrong values: ERR, and no crash.
    for line in ("maximize 1 99", "maximize nosuchoutput 1", "page 1 0"):
        reply = c.command(line, REPLY_TIMEOUT)
        W.check(reply.startswith("ERR "), f"{line!r}: expected ERR ..., got {reply!r}")
    W.check(c.command("tiles", REPLY_TIMEOUT).startswith("OK "), "tiles after bad commands")


def check_long_line(wall):
    client = wall.client(REPLY_TIMEOUT)
    client.send_raw(b"stats " + b"x" * (10 * 1024) + b"\n")
    reply = client.read_line(REPLY_TIMEOUT)
    W.check(reply == "ERR line too long",
            f"a 10 KB line: expected `ERR line too long`, got {reply!r:.200}")
    # Exactly one reply for the long line: the next reply is for `help`.
    reply = client.command("help", REPLY_TIMEOUT)
    W.check(reply.startswith("OK "),
            f"after a too-long line the connection should still work; `help` got {reply!r:.200}")
    W.check(client.ok("stats", REPLY_TIMEOUT).startswith("{"), "stats after a too-long line")
    client.close()


def check_silent_client(wall):
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    half = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        silent.connect(wall.socket_path)
        half.connect(wall.socket_path)
        half.sendall(b"sta")  # half a command, never finished
        other = wall.client(REPLY_TIMEOUT)
        for _ in range(3):
            reply = other.command("tiles", REPLY_TIMEOUT)
            W.check(reply.startswith("OK ["),
                    f"tiles with silent clients connected: {reply!r:.200}")
        W.log(f"answered in {other.last_latency * 1000:.0f} ms with two silent clients connected")
        other.close()
    finally:
        silent.close()
        half.close()


def check_client_limit(wall):
    # The default client (wall.control) is one of the 16.
    clients = [wall.control]
    try:
        for i in range(MAX_CLIENTS - 1):
            c = wall.client(REPLY_TIMEOUT)
            reply = c.command("help", REPLY_TIMEOUT)
            W.check(reply.startswith("OK "), f"client {i + 2} of {MAX_CLIENTS}: {reply!r:.200}")
            clients.append(c)
        extra = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        extra.settimeout(REPLY_TIMEOUT)
        try:
            extra.connect(wall.socket_path)
            with contextlib.suppress(OSError):
                extra.sendall(b"help\n")
            data = b""
            deadline = time.monotonic() + REPLY_TIMEOUT
            while b"\n" not in data and time.monotonic() < deadline:
                try:
                    chunk = extra.recv(4096)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    data += b"<closed>"
                    break
                data += chunk
            first = data.split(b"\n")[0]
            W.log(f"client {MAX_CLIENTS + 1} got {data!r}")
            W.check(first in (b"ERR too many clients", b"<closed>"),
                    f"client {MAX_CLIENTS + 1}: expected `ERR too many clients` or a closed "
                    f"connection, got {data[:200]!r}")
        finally:
            extra.close()
        # Everyone admitted is still served.
        for i, c in enumerate(clients):
            reply = c.command("help", REPLY_TIMEOUT)
            W.check(reply.startswith("OK "), f"client {i + 1} after the refusal: {reply!r:.200}")
    finally:
        for c in clients[1:]:
            c.close()

    # A freed slot is served again (the wall noticed the closed clients).
    def new_client_served():
        c = W.ControlClient(wall.socket_path, REPLY_TIMEOUT)
        try:
            c.send_raw(b"help\n")
            reply = c.read_line(REPLY_TIMEOUT)
            return reply is not None and reply.startswith("OK ")
        finally:
            c.close()

    W.wait_until(new_client_served, "a new client is served after others left", 10)


def check_refuses_regular_file(tmp, config):
    path = os.path.join(tmp, "not-a-socket")
    content = b"an operator's notes: do not delete\n"
    with open(path, "wb") as f:
        f.write(content)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    result = W.run_wall(["--headless", "--config", config, "--control", path,
                         "--frames", "5"], timeout=60)
    result.expect_exit(1)
    naming = [line for line in result.stderr.splitlines() if path in line]
    W.check(len(naming) == 1, f"--control naming a regular file: expected one line on stderr "
            f"naming {path}, got {len(naming)}; " + result.describe())
    W.log(f"refusal: {naming[0]}")
    W.check(os.path.isfile(path) and not os.path.islink(path), f"{path} is no longer a file")
    with open(path, "rb") as f:
        W.check(f.read() == content, f"{path}: its content changed")
    W.check(os.stat(path).st_mtime == 1_000_000_000, f"{path}: its modification time changed")


ALARM_QUEUE = 16  # alarms one output queues (wall/screen.h)


def check_alarm_queue(wall):
    """An output queues 16 alarms; the 17th is refused, not written past the
    end of the queue, and the wall goes on answering."""
    for i in range(ALARM_QUEUE):
        reply = wall.control.command("alarm 701 main 3600", REPLY_TIMEOUT)
        W.check(reply.startswith("OK"), f"alarm {i + 1} of {ALARM_QUEUE}: {reply!r}")
    reply = wall.control.command("alarm 701 main 3600", REPLY_TIMEOUT)
    W.check(reply.startswith("ERR") and "16 alarms queued" in reply,
            f"alarm {ALARM_QUEUE + 1}: expected ERR (queue full), got {reply!r}")
    W.check(wall.ok("help").startswith("help"), "help after a full alarm queue")


# Camera 702's name as the layout file spells it (libconfig escapes), and
# as JSON must give it back.
HOSTILE_CFG = r'"Cam \"7\" back\\slash\ttab\nline\x01 Café 監視 \xff end"'
HOSTILE = 'Cam "7" back\\slash\ttab\nline\x01 Café 監視 \ufffd end'


def check_hostile_name(wall):
    """Replies holding camera 702's name parse as JSON, name intact."""
    tiles = wall.control.json("tiles", REPLY_TIMEOUT)
    names = {t.get("camera"): t.get("name") for t in tiles}
    W.check(names.get(702) == HOSTILE, f"tiles: camera 702 is named {names.get(702)!r}, "
            f"expected {HOSTILE!r}")
    W.check(names.get(701) == "Cámara de control", f"tiles: camera 701 is named "
            f"{names.get(701)!r}")
    def feed_702():
        return W.feeds_by_camera(wall.control.stats(REPLY_TIMEOUT)).get(702)

    feed = W.wait_until(feed_702, "camera 702's feed in stats", 10)
    W.check(feed.get("name") == HOSTILE, f"stats: camera 702 is named "
            f"{feed.get('name')!r}, expected {HOSTILE!r}")
    plates = wall.control.json("plates", REPLY_TIMEOUT)
    W.check(isinstance(plates, list), f"plates: expected a list, got {plates!r:.200}")
    W.log("tiles, stats and plates parse with camera 702's hostile name intact")


def run(tmp):
    clip = W.make_clip(os.path.join(tmp, "moving.mp4"), "testsrc2=size=320x180:rate=25",
                       duration=2, crf=28)
    config = W.write_config(os.path.join(tmp, "control.cfg"), width=WIDTH, height=HEIGHT,
                            rows=1, columns=2, gap=GAP,
                            cameras=[(701, "Cámara de control", clip),
                                     (702, "HOSTILE", clip)])
    with open(config, encoding="utf-8") as f:
        text = f.read()
    with open(config, "w", encoding="utf-8") as f:
        f.write(text.replace('"HOSTILE"', HOSTILE_CFG))

    with W.start_live_wall(config, tmp, reply_timeout=REPLY_TIMEOUT) as wall:
        st = os.stat(wall.socket_path)
        W.check(stat.S_ISSOCK(st.st_mode), f"{wall.socket_path} is not a socket")
        W.check(stat.S_IMODE(st.st_mode) == 0o660,
                f"control socket mode is {oct(stat.S_IMODE(st.st_mode))}, expected 0o660")
        check_help(wall)
        check_hostile_name(wall)
        check_errors(wall)
        check_long_line(wall)
        check_silent_client(wall)
        check_client_limit(wall)
        wall.control = wall.client(REPLY_TIMEOUT)
        check_alarm_queue(wall)
        W.check(wall.ok("help").startswith("help"), "help at the end")
        wall.stop()
        W.check(not os.path.exists(wall.socket_path),
                "the control socket file is left behind after the wall stopped")

    check_refuses_regular_file(tmp, config)


if __name__ == "__main__":
    W.main(run)
