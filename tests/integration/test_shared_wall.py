#!/usr/bin/python3
"""Stations: three headless walls share one layout file and one state
through a real MQTT broker (issue 15).

The test starts mosquitto on a free port of 127.0.0.1 with a password file
(users ssc, g911, standby and cad) and the repository's
tools/mosquitto-acl.example as its ACL, and the RTSP server
(tests/rtsp_server.py) with four solid-colour cameras behind a password:
SSC cameras 101 and 102, Guardians cameras 2101 and 2102. One layout file
(full format) has three outputs of 320x180 side by side, ssc-1 (zone ssc,
1x2: 101, 102), g911-1 (zone g911, 2x2: 2102 and three empty tiles) and
g911-2 (zone g911, 1x2: 2101, 2102), and three stations: ssc drives ssc-1,
g911 drives g911-1 and g911-2, standby stands by for both. Each station
logs into the broker with its own credentials entry. `wall --check` must
accept the file.

Each station runs as `wall --headless --station NAME --broker URL
--control SOCK --audit FILE` and is watched through its control socket
(`stats` has a "station" object; `tiles` lists the outputs it drives).
1. All three connected and synced, every peer online. `put 2101 g911-1 1`
   on ssc's socket is answered OK by g911: g911's tiles and snapshot (the
   colour of 2101 in that tile; ssc-1, which it does not drive, black) and
   audit (source=station:ssc) show it; ssc's tiles list ssc-1 only.
2. From g911's socket, a Guardians camera on ssc-1: ERR "not allowed",
   ssc's tiles unchanged.
3. g911 killed (SIGKILL): the standby drives g911-1 and g911-2 with the
   same cameras (tiles, snapshot), audits the takeover, and applies a put
   from ssc. g911 restarted (same socket and audit file): it drives its
   outputs again with the state the standby left; the standby drives
   nothing and audits the handback.
4. The broker restarted: every station reconnects (connects + 1), a new
   put from ssc to g911-1 is answered OK; each command sent across stations
   was applied exactly once (the audit files).
5. As the outside user cad (mosquitto_pub; acks watched with mosquitto_sub
   started before): bad JSON and a payload over 64 KiB (never acked OK:
   no id can be trusted), a command to an unknown output and an SSC
   camera's alarm on g911-1 (error acks), a command published twice with
   the same id and seq, and a valid alarm. None but the valid ones is
   applied, the duplicate once; every error ack has a reason; the valid
   alarm is acked OK and shown; every station stays up.
6. No broker or camera password in any station's stdout, stderr, `stats`
   or audit file.

Skipped (77) when mosquitto, mosquitto_passwd, mosquitto_pub, mosquitto_sub
or the RTSP server is missing. Waits poll with a failure guard; no sleeps.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess

import walltest as W

WALL_ID = "t15"
WIDTH, HEIGHT, GAP = 320, 180, 4
CANVAS = (3 * WIDTH, HEIGHT)
OUTPUT_X = {"ssc-1": 0, "g911-1": WIDTH, "g911-2": 2 * WIDTH}
GRIDS = {"ssc-1": (1, 2), "g911-1": (2, 2), "g911-2": (1, 2)}
COLOURS = {101: (40, 200, 200), 102: (40, 170, 60), 2101: (220, 120, 30),
           2102: (150, 40, 170)}
NAMES = {101: "Av. Tulum y Cobá", 102: "Blvd. Kukulcán km 9", 2101: "Banco Caribe",
         2102: "Hospital General"}
PROGRAMMES = {101: "ssc", 102: "ssc", 2101: "guardians", 2102: "guardians"}
START = {"ssc-1": [101, 102], "g911-1": [2102, 0, 0, 0], "g911-2": [2101, 2102]}
STATIONS = ("ssc", "g911", "standby")
DRIVES = {"ssc": ["ssc-1"], "g911": ["g911-1", "g911-2"], "standby": []}

# Secrets: none of them may ever appear in what a station prints.
BROKER_PASSWORDS = {"ssc": "brk-ssc-Q7v2xK9pLm", "g911": "brk-g911-W3nR8tYc4Z",
                    "standby": "brk-stby-H5jD2fVq8N", "cad": "brk-cad-P9sL4eUb6X"}
CAMERA_USER, CAMERA_PASSWORD = "visor", "cam-pw-T4kM9wQz2R"

TIMEOUT = 30  # s: failure guard of each wait
RECONNECT_TIMEOUT = 60  # s: failure guard of the reconnection after the broker's restart
REPLY_TIMEOUT = 15  # s: a command for another station is answered when that station answers
BLACK = (0, 0, 0)


# --------------------------------------------------------------------------
# Tools


def find_program(name):
    """A program's path; mosquitto lives in /usr/sbin, often outside PATH.
    Skips the test when it is not installed."""
    path = shutil.which(name)
    for folder in ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"):
        candidate = os.path.join(folder, name)
        if not path and os.access(candidate, os.X_OK):
            path = candidate
    if not path:
        raise W.Skip(f"{name} is not installed (mosquitto, mosquitto-clients)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --------------------------------------------------------------------------
# The broker


class Broker:
    """mosquitto on a free port of 127.0.0.1: no anonymous clients, the
    users of BROKER_PASSWORDS, the repository's ACL, no persistence.
    start() returns once it accepts connections (connect() polled: the
    broker offers no other event); stop() is SIGTERM and a wait; start()
    again listens on the same port."""

    def __init__(self, folder):
        self.mosquitto = find_program("mosquitto")
        self.folder = folder
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.proc = None
        self.log = None
        os.makedirs(folder, exist_ok=True)
        passwd = os.path.join(folder, "passwd")
        tool = find_program("mosquitto_passwd")
        for i, (user, password) in enumerate(BROKER_PASSWORDS.items()):
            W.run_tool([tool, *(["-c"] if i == 0 else []), "-b", passwd, user, password],
                       what="mosquitto_passwd")
        self.conf = os.path.join(folder, "mosquitto.conf")
        lines = [f"listener {self.port} 127.0.0.1", "allow_anonymous false",
                 f"password_file {passwd}",
                 f"acl_file {os.path.join(W.source_root(), 'tools', 'mosquitto-acl.example')}",
                 "persistence false", "log_dest stderr"]
        if os.geteuid() == 0:
            lines.append("user root")  # else it becomes `mosquitto`, who cannot read folder
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, timeout=15):
        W.check(self.proc is None, "the broker is already running")
        self.proc = subprocess.Popen([self.mosquitto, "-c", self.conf], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.log = W.LineReader(self.proc.stderr, echo="  [broker] ")

        def listening():
            W.check(self.proc.poll() is None,
                    f"mosquitto exited ({self.proc.returncode}) at start:\n{self.log.text()}")
            return accepts(self.port)

        W.wait_until(listening, f"mosquitto accepts connections on port {self.port}", timeout,
                     interval=0.02)

    def stop(self):
        if self.proc is not None:
            W.stop_process(self.proc)
            self.proc = None

    def restart(self):
        self.stop()
        self.start()


def run_client(argv, payload=None, timeout=30):
    """Run mosquitto_pub (payload on stdin with -s); fails on an error."""
    try:
        done = subprocess.run(argv, input=payload, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise W.Failure(f"{os.path.basename(argv[0])} took more than {timeout} s")
    W.check(done.returncode == 0, f"{os.path.basename(argv[0])} failed ({done.returncode}): "
            + done.stderr.decode(errors="replace")[-500:])


def publish(broker, user, topic, payload):
    """Publish bytes or a dict (as JSON) as `user`, QoS 1: mosquitto_pub
    returns once the broker has it."""
    if isinstance(payload, dict):
        payload = json.dumps(payload).encode()
    run_client([find_program("mosquitto_pub"), "-h", "127.0.0.1", "-p", str(broker.port),
                "-u", user, "-P", BROKER_PASSWORDS[user], "-q", "1", "-t", topic, "-s"],
               payload)


def topic(kind, name, what):
    return f"wall/{WALL_ID}/{kind}/{name}/{what}"


class AckWatcher:
    """mosquitto_sub -v on every station's ack topic, as `user`; the acks
    it printed, as (station, payload dict or the raw text)."""

    LINE = re.compile(rf"^wall/{WALL_ID}/station/([^/ ]+)/ack (.*)$")

    def __init__(self, broker, user, timeout=TIMEOUT):
        # stdbuf -oL: mosquitto_sub's debug lines (the SUBACK awaited below)
        # would otherwise sit in its stdio buffer while it writes to a pipe.
        argv = [find_program("stdbuf"), "-oL", find_program("mosquitto_sub"),
                "-h", "127.0.0.1", "-p", str(broker.port),
                "-u", user, "-P", BROKER_PASSWORDS[user], "-q", "1", "-v", "-d",
                "-t", topic("station", "+", "ack")]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.out = W.LineReader(self.proc.stdout, echo="  [acks] ")
        # -d prints the SUBACK's granted QoS: 128 is a refusal.
        granted = self.out.wait_for(r"^Subscribed \(mid: \d+\): (\d+)", timeout)
        W.check(granted and granted.group(1) != "128",
                f"mosquitto_sub did not subscribe to the acks as {user}:\n{self.out.text()}")

    def acks(self):
        found = []
        for line in self.out.matching(self.LINE.pattern):
            station, text = self.LINE.match(line).groups()
            try:
                found.append((station, json.loads(text)))
            except json.JSONDecodeError:
                found.append((station, text))
        return found

    def of(self, command_id):
        return [(station, ack) for station, ack in self.acks()
                if isinstance(ack, dict) and ack.get("id") == command_id]

    def wait(self, command_id, timeout=TIMEOUT):
        """The first ack of a command; fails when none comes."""
        match = self.out.wait_for(rf'^wall/{WALL_ID}/station/\S+/ack .*"id"\s*:\s*'
                                  rf'"{re.escape(command_id)}"', timeout)
        W.check(match, f"no ack of command {command_id} within {timeout} s; acks seen: "
                f"{self.acks()}")
        return self.of(command_id)[0]

    def close(self):
        W.stop_process(self.proc)


# --------------------------------------------------------------------------
# The layout file


def write_layout(tmp, broker_url, rtsp):
    cameras = [{"number": n, "name": NAMES[n], "programme": PROGRAMMES[n],
                "main": rtsp.url(f"cam{n}"), "credentials": "cams"} for n in COLOURS]
    credentials = [{"id": "cams", "user": CAMERA_USER, "password": CAMERA_PASSWORD}]
    credentials += [{"id": f"acct-{name}", "user": name, "password": BROKER_PASSWORDS[name]}
                    for name in STATIONS]
    outputs = [{"id": output, "rect": (OUTPUT_X[output], 0, WIDTH, HEIGHT),
                "zone": output.split("-")[0],
                "pages": [{"layout": "quad" if GRIDS[output] == (2, 2) else "pair",
                           "tiles": list(START[output])}]} for output in START]
    stations = [{"name": "ssc", "outputs": ("ssc-1",), "credentials": "acct-ssc"},
                {"name": "g911", "outputs": ("g911-1", "g911-2"), "credentials": "acct-g911"},
                {"name": "standby", "standby_for": ("ssc", "g911"),
                 "credentials": "acct-standby"}]
    return W.write_layout(
        os.path.join(tmp, "stations.cfg"),
        wall={"broker": broker_url, "id": WALL_ID},
        zones=[{"id": "ssc", "title": "SSC", "admits": ("ssc",)},
               {"id": "g911", "title": "Guardianes 911", "admits": ("guardians",)}],
        layouts=[{"name": "pair", "grid": (1, 2), "gap": GAP, "fit": "fill"},
                 {"name": "quad", "grid": (2, 2), "gap": GAP, "fit": "fill"}],
        outputs=outputs, cameras=cameras, credentials=credentials, stations=stations)


# --------------------------------------------------------------------------
# The stations


class Station:
    """One headless wall started with --station; start() again after
    kill() restarts it with the same socket and audit file. `texts()` is
    everything it printed on stdout and stderr, over all its runs."""

    def __init__(self, name, tmp, config, broker):
        self.name, self.config, self.broker = name, config, broker
        self.socket_path = os.path.join(tmp, f"{name}.sock")
        self.audit_path = os.path.join(tmp, f"{name}.audit")
        self.wall = None
        self.readers = []

    def start(self, timeout=TIMEOUT):
        extra = ["--station", self.name, "--broker", self.broker.url, "--audit", self.audit_path,
                 "--fps", "10"]
        args = ["--headless", "--config", self.config, "--control", self.socket_path,
                *W.budget_args(extra, False), *extra]
        argv = [W.wall_bin(), *W.draw_args(args), *args]
        W.log("starting: " + " ".join(argv))
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=W.wall_env())
        stdout = W.LineReader(proc.stdout, echo=f"  [{self.name} stdout] ")
        stderr = W.LineReader(proc.stderr, echo=f"  [{self.name}] ")
        self.readers += [stdout, stderr]
        self.wall = None
        if not stderr.wait_for(r"control: listening on ", timeout):
            W.stop_process(proc, signal.SIGKILL)
            raise W.Failure(f"station {self.name} did not log `control: listening on` within "
                            f"{timeout} s (exit status {proc.poll()})\n{W.tail(stderr.text())}")
        self.wall = W.LiveWall(proc, stderr, self.socket_path, REPLY_TIMEOUT)

    def kill(self):
        self.wall.close()
        self.wall.proc.kill()
        self.wall.proc.wait()

    def close(self):
        if self.wall is not None:
            self.wall.close()
            W.stop_process(self.wall.proc, signal.SIGKILL, timeout=5)

    def view(self):
        """The "station" object of `stats`."""
        stats = self.wall.stats()
        view = stats.get("station")
        W.check(isinstance(view, dict), f"{self.name}: `stats` has no \"station\" object")
        return view

    def command(self, line):
        self.wall.check_running()
        return self.wall.control.command(line, REPLY_TIMEOUT)

    def tiles(self):
        return self.wall.tiles()

    def audit(self):
        if not os.path.exists(self.audit_path):
            return []
        return [fields for _, fields in W.read_audit(self.audit_path)]

    def texts(self):
        return "\n".join(reader.text() for reader in self.readers)


def wait_views(stations, predicate, what, timeout=TIMEOUT):
    """Poll every station's "station" stats until predicate({name: view})."""
    seen = {}

    def poll():
        for s in stations.values():
            if s.wall is not None and s.wall.proc.poll() is None:
                seen[s.name] = s.view()
        return predicate(seen)

    W.wait_until(poll, what, timeout, describe=lambda: json.dumps(seen))
    return seen


def ready(view, names=STATIONS):
    """Connected, synced, and every other station in `names` online."""
    return (view.get("connected") is True and view.get("synced") is True
            and all(view.get("peers", {}).get(n) == "online" for n in names
                    if n != view.get("name")))


def of(tiles, output):
    return [t for t in tiles if t["output"] == output]


def cameras(tiles, output):
    return [t["camera"] for t in of(tiles, output) if not t["alarm"]]


def tile_of(tiles, output, number):
    found = [t for t in of(tiles, output) if t["tile"] == number]
    return found[0] if found else None


def key(tiles):
    """What `tiles` says is shown, without the feeds' states."""
    return [tuple(sorted((k, v) for k, v in t.items() if k != "state")) for t in tiles]


def shows(output, expected, live=()):
    """A `tiles` predicate: `output` holds the cameras `expected`, and the
    tiles numbered in `live` are live."""
    def check(tiles):
        return cameras(tiles, output) == expected and all(
            (tile_of(tiles, output, n) or {}).get("state") == "live" for n in live)
    return check


def check_tile_colour(station, tmp, output, number, camera):
    """The station's snapshot shows `camera`'s colour round the centre of
    that tile; ssc-1 is black unless the station drives it."""
    path = station.wall.snapshot(os.path.join(tmp, f"{station.name}-{output}-{number}.png"))
    picture = W.read_snapshot(path, *CANVAS)
    rows, columns = GRIDS[output]
    x, y, w, h = W.tile_rects(WIDTH, HEIGHT, rows, columns, GAP)[number - 1]
    cx, cy = W.centre((OUTPUT_X[output] + x, y, w, h))
    W.assert_region_colour(picture, (cx - 20, cy - 10, 40, 20), COLOURS[camera], 4,
                           f"{station.name}'s snapshot, {output} tile {number} (camera {camera})")
    return picture


def check_black(picture, output, who):
    x = OUTPUT_X[output]
    W.assert_region_colour(picture, (x + WIDTH // 4, HEIGHT // 4, WIDTH // 2, HEIGHT // 2),
                           BLACK, 4, f"{who}'s snapshot: {output}, which it does not drive")


def audit_lines(station, **fields):
    """The station's audit lines whose fields have these values."""
    return [f for f in station.audit()
            if all(f.get(k) == str(v) for k, v in fields.items())]


# --------------------------------------------------------------------------
# The steps


def check_start(st):
    views = wait_views(st, lambda v: len(v) == 3 and all(ready(x) for x in v.values()),
                       "all three stations are connected, synced and see each other online")
    for name, view in views.items():
        W.check(view.get("name") == name, f"{name}: stats station.name is {view.get('name')!r}")
        W.check(view.get("broker") == st[name].broker.url,
                f"{name}: stats station.broker is {view.get('broker')!r}")
        W.check(view.get("connects") == 1, f"{name}: connects {view.get('connects')} at start")
        W.check(sorted(view.get("drives", [])) == DRIVES[name],
                f"{name} drives {view.get('drives')}, expected {DRIVES[name]}")
    for name in ("ssc", "g911"):
        for output in DRIVES[name]:
            st[name].wall.wait_tiles(
                shows(output, START[output], live=[i + 1 for i, c in enumerate(START[output])
                                                   if c]),
                f"{name} shows {output} as the layout says, live", TIMEOUT)
    W.check(st["standby"].tiles() == [], f"the standby lists tiles: {st['standby'].tiles()}")
    W.log("three stations connected and synced; ssc and g911 show their outputs")


def check_put_across(st, tmp):
    reply = st["ssc"].command("put 2101 g911-1 1")
    W.check(reply == "OK camera 2101 on output g911-1 tile 1",
            f"ssc: `put 2101 g911-1 1` answered {reply!r}")
    g911 = st["g911"]
    g911.wall.wait_tiles(shows("g911-1", [2101, 0, 0, 0], live=[1]),
                         "g911 shows camera 2101 live in g911-1 tile 1", TIMEOUT)
    picture = check_tile_colour(g911, tmp, "g911-1", 1, 2101)
    check_black(picture, "ssc-1", "g911")
    lines = audit_lines(g911, source="station:ssc", action="put", output="g911-1", tile=1,
                        camera=2101)
    W.check(len(lines) == 1, f"g911's audit has {len(lines)} lines of ssc's put: "
            f"{g911.audit()}")
    W.check(lines[0].get("name") == NAMES[2101], f"g911's audit line names {lines[0]}")
    outputs = {t["output"] for t in st["ssc"].tiles()}
    W.check(outputs == {"ssc-1"}, f"ssc's tiles list outputs {sorted(outputs)}")
    W.log("a put from ssc to g911-1: OK, shown and audited by g911")


def check_zone_refusal(st):
    before = st["ssc"].tiles()
    reply = st["g911"].command("put 2102 ssc-1 1")
    W.check(reply.startswith("ERR") and "not allowed" in reply,
            f"g911: `put 2102 ssc-1 1` (a Guardians camera on an SSC output) answered {reply!r}")
    after = st["ssc"].tiles()
    W.check(key(after) == key(before), f"the refused put changed ssc's tiles: "
            f"{W.tile_summary(before)} -> {W.tile_summary(after)}")
    W.log(f"zone refusal across stations: {reply}")


def check_choosing_a_station(config, broker):
    """A file with stations needs --station, one of its names; a broker
    address on the command line is checked as the file's is."""
    cases = [([], "names stations (ssc, g911, standby): say which this workstation is "
                  "with --station"),
             (["--station", "nobody"], "has no station 'nobody' (it names ssc, g911, standby)"),
             (["--station", "ssc", "--broker", "mqtt://u:p4ss@127.0.0.1:1"],
              "--broker: credentials in the URL")]
    for extra, message in cases:
        run = W.run_wall(["--headless", "--config", config, *extra], timeout=60)
        W.check(run.returncode == 1 and message in run.stderr and "p4ss" not in run.stderr,
                f"`wall {' '.join(extra)}` exited {run.returncode}, wanted 1 and {message!r}:\n"
                f"{W.tail(run.stderr)}")


def check_takeover(st, tmp):
    g911, standby = st["g911"], st["standby"]
    g911.kill()
    W.log("g911 killed (SIGKILL)")
    views = wait_views(st, lambda v: sorted(v.get("standby", {}).get("drives", []))
                       == DRIVES["g911"] and v.get("ssc", {}).get("peers", {}).get("g911")
                       == "offline", "the standby drives g911-1 and g911-2, ssc sees g911 offline")
    W.check(views["standby"].get("peers", {}).get("g911") == "offline",
            f"the standby drives g911's outputs but sees g911 as "
            f"{views['standby'].get('peers', {}).get('g911')!r}")
    standby.wall.wait_tiles(shows("g911-1", [2101, 0, 0, 0], live=[1]),
                            "the standby shows g911-1 as g911 left it, live", TIMEOUT)
    tiles = standby.wall.wait_tiles(shows("g911-2", START["g911-2"], live=[1, 2]),
                                    "the standby shows g911-2 as g911 left it, live", TIMEOUT)
    W.check({t["output"] for t in tiles} == {"g911-1", "g911-2"},
            f"the standby lists {W.tile_summary(tiles)}")
    picture = check_tile_colour(standby, tmp, "g911-1", 1, 2101)
    check_black(picture, "ssc-1", "the standby")
    for output in DRIVES["g911"]:
        lines = audit_lines(standby, source="station:standby", action="takeover",
                            output=output)
        W.check(len(lines) == 1 and lines[0].get("from") == "g911",
                f"the standby's audit: takeover lines of {output}: {lines}")

    wait_views(st, lambda v: v.get("ssc", {}).get("drivers", {}).get("g911-1") == "standby",
               "ssc knows that the standby drives g911-1 now")
    # ssc's OSD says so on the output it drives; the standby's, on g911's.
    for name, output, text in (("ssc", "ssc-1", "STATION g911 OFFLINE"),
                               ("standby", "g911-1", "standing in for g911")):
        plates = st[name].command("plates")
        W.check(plates.startswith("OK ") and any(
            p["output"] == output and text in p["text"] for p in json.loads(plates[3:])),
            f"{name}'s plates on {output} do not say {text!r}: {plates[:300]}")
    reply = st["ssc"].command("put 2102 g911-1 2")
    W.check(reply == "OK camera 2102 on output g911-1 tile 2",
            f"ssc: `put 2102 g911-1 2` while the standby drives g911-1 answered {reply!r}")
    standby.wall.wait_tiles(shows("g911-1", [2101, 2102, 0, 0], live=[2]),
                            "the standby shows camera 2102 in g911-1 tile 2", TIMEOUT)
    W.log("takeover: the standby shows g911's outputs and applies a put from ssc")

    g911.start()
    W.log("g911 restarted")
    wait_views(st, lambda v: sorted(v.get("g911", {}).get("drives", [])) == DRIVES["g911"]
               and v.get("standby", {}).get("drives") == [] and len(v) == 3
               and all(ready(x) for x in v.values()),
               "g911 drives its outputs again, the standby none, all stations online")
    g911.wall.wait_tiles(shows("g911-1", [2101, 2102, 0, 0], live=[1, 2]),
                         "g911 shows g911-1 as the standby left it", TIMEOUT)
    g911.wall.wait_tiles(shows("g911-2", START["g911-2"], live=[1, 2]),
                         "g911 shows g911-2 as the standby left it", TIMEOUT)
    W.wait_until(lambda: standby.tiles() == [], "the standby lists no tiles", TIMEOUT,
                 describe=lambda: W.tile_summary(standby.tiles()))
    for output in DRIVES["g911"]:
        lines = audit_lines(standby, source="station:standby", action="handback", output=output)
        W.check(len(lines) == 1 and lines[0].get("to") == "g911",
                f"the standby's audit: handback lines of {output}: {lines}")
    W.log("handback: g911 drives its outputs again with the standby's state")


def check_broker_restart(st, broker):
    before = {name: s.view().get("connects") for name, s in st.items()}
    broker.restart()
    W.log("broker restarted")
    wait_views(st, lambda v: len(v) == 3 and all(
        ready(x) and x.get("connects", 0) >= before[n] + 1 for n, x in v.items()),
        "every station reconnected, synced and sees the others online", RECONNECT_TIMEOUT)
    # A broker that stops drops every station at once: no station went
    # down, so the standby takes nothing over.
    views = wait_views(st, lambda v: len(v) == 3, "every station answers `stats`")
    for name, view in views.items():
        W.check(sorted(view.get("drives", [])) == DRIVES[name],
                f"after the broker's restart {name} drives {view.get('drives')}")
    for output in DRIVES["g911"]:
        lines = audit_lines(st["standby"], action="takeover", output=output)
        W.check(len(lines) == 1, f"the standby's audit: takeover lines of {output} after the "
                f"broker's restart: {lines}")
    reply = st["ssc"].command("put 2101 g911-1 3")
    W.check(reply == "OK camera 2101 on output g911-1 tile 3",
            f"ssc: `put 2101 g911-1 3` after the broker's restart answered {reply!r}")
    st["g911"].wall.wait_tiles(shows("g911-1", [2101, 2102, 2101, 0], live=[3]),
                               "g911 shows camera 2101 in g911-1 tile 3", TIMEOUT)
    # Each command sent across stations applied once, by the station that
    # drove the output then.
    expected = {"g911": [("g911-1", "1", "2101"), ("g911-1", "3", "2101")],
                "standby": [("g911-1", "2", "2102")], "ssc": []}
    for name, puts in expected.items():
        got = [(f.get("output"), f.get("tile"), f.get("camera"))
               for f in st[name].audit()
               if f.get("source") == "station:ssc" and f.get("action") == "put"]
        W.check(got == puts, f"{name}'s audit: puts from other stations {got}, expected {puts}")
    W.log("broker restart: every station reconnected; each command applied once")


def cad_alarm(command_id, seq, output, camera, seconds=60, **extra):
    return dict({"id": command_id, "from": "cad", "seq": seq, "action": "alarm",
                 "output": output, "camera": camera, "seconds": seconds}, **extra)


def check_hostile(st, broker):
    g911 = st["g911"]
    watcher = AckWatcher(broker, "cad")
    try:
        command = topic("output", "g911-1", "command")
        bad_json = b'{"id": "cad-h1", "from": "cad", "seq": 1, "action": "alarm", '
        publish(broker, "cad", command, bad_json)
        oversized = json.dumps(cad_alarm("cad-h2", 2, "g911-1", 2102, pad="x" * 70000))
        W.check(len(oversized) > 65536, "the oversized payload is not over 64 KiB")
        publish(broker, "cad", command, oversized.encode())
        publish(broker, "cad", topic("output", "nope", "command"),
                cad_alarm("cad-h3", 3, "nope", 2101))
        publish(broker, "cad", command, cad_alarm("cad-h4", 4, "g911-1", 101))
        replayed = cad_alarm("cad-h5", 5, "g911-2", 2102)
        publish(broker, "cad", topic("output", "g911-2", "command"), replayed)
        publish(broker, "cad", topic("output", "g911-2", "command"), replayed)
        publish(broker, "cad", command, cad_alarm("cad-h6", 6, "g911-1", 2101))

        # g911 answers in order: once the last command's ack is here, the
        # ones before it were handled.
        _, zone = watcher.wait("cad-h4")
        W.check(zone.get("ok") is False and "not allowed" in str(zone.get("reason", "")),
                f"the ack of an SSC camera's alarm on g911-1: {zone}")
        # No station drives "nope": one of them says so, so that the CAD
        # is not left waiting.
        _, nope = watcher.wait("cad-h3")
        W.check(nope.get("ok") is False and nope.get("to") == "cad",
                f"the ack of a command to an unknown output: {nope}")
        _, valid = watcher.wait("cad-h6")
        W.check(valid.get("ok") is True and valid.get("to") == "cad",
                f"the ack of a valid alarm: {valid}")
        _, first = watcher.wait("cad-h5")
        W.check(first.get("ok") is True, f"the ack of the replayed command: {first}")
        for station, ack in watcher.acks():
            W.check(isinstance(ack, dict), f"{station} sent an ack that is not JSON: {ack!r}")
            if ack.get("ok") is not True:
                W.check(isinstance(ack.get("reason"), str) and ack["reason"],
                        f"{station}'s error ack has no reason: {ack}")
        for command_id in ("cad-h1", "cad-h2"):
            W.check(all(a.get("ok") is not True for _, a in watcher.of(command_id)),
                    f"{command_id} was acked OK: {watcher.of(command_id)}")
        W.log(f"acks: {watcher.acks()}")
    finally:
        watcher.close()

    alarms = [(f.get("output"), f.get("camera")) for f in g911.audit()
              if f.get("action") == "alarm"]
    W.check(alarms.count(("g911-2", "2102")) == 1,
            f"the command published twice was applied {alarms.count(('g911-2', '2102'))} "
            f"times (g911's audit alarms: {alarms})")
    W.check(alarms.count(("g911-1", "2101")) == 1, f"the valid alarm: g911's audit {alarms}")
    W.check(("g911-1", "2102") not in alarms, f"the oversized command was applied: {alarms}")
    W.check(("g911-1", "101") not in alarms, f"the SSC camera's alarm was applied: {alarms}")

    def alarm_shown(tiles):
        mine = of(tiles, "g911-1")
        return len(mine) == 1 and mine[0]["alarm"] is True and mine[0]["camera"] == 2101

    g911.wall.wait_tiles(alarm_shown, "g911 shows CAD's alarm (camera 2101) on g911-1", TIMEOUT)
    view = g911.view()
    W.check(view.get("duplicates", 0) >= 1, f"g911 counts no duplicate: {view}")
    for s in st.values():
        s.wall.check_running()
        s.view()
    W.log("hostile messages: refused or ignored, the duplicate applied once; all stations up")


def check_secrets(st):
    secrets = list(BROKER_PASSWORDS.values()) + [CAMERA_PASSWORD]
    for name, s in st.items():
        places = {"stdout and stderr": s.texts(), "stats": s.command("stats")}
        if os.path.exists(s.audit_path):
            with open(s.audit_path, encoding="utf-8", errors="replace") as f:
                places["audit file"] = f.read()
        for where, text in places.items():
            for secret in secrets:
                W.check(secret not in text, f"a password appears in {name}'s {where}")
    W.log("no password in any station's output, stats or audit file")


def run(tmp):
    for tool in ("mosquitto", "mosquitto_passwd", "mosquitto_pub", "mosquitto_sub"):
        find_program(tool)
    broker = Broker(os.path.join(tmp, "broker"))
    clips = {f"cam{n}": W.make_clip(os.path.join(tmp, f"cam{n}.ts"),
                                    f"color=c={W.rgb_hex(rgb)}:size=320x180", duration=3)
             for n, rgb in COLOURS.items()}
    auth = [(mount, CAMERA_USER, CAMERA_PASSWORD) for mount in clips]
    with contextlib.ExitStack() as stack:
        rtsp = stack.enter_context(W.start_rtsp_server(clips, auth=auth))
        config = write_layout(tmp, broker.url, rtsp)
        checked = W.run_wall(["--check", config]).expect_exit(0)
        W.check(not checked.stdout.strip() and not checked.stderr.strip(),
                f"`wall --check` printed something on the test's layout file:\n"
                f"{checked.stdout}{checked.stderr}")
        check_choosing_a_station(config, broker)
        broker.start()
        stack.callback(broker.stop)
        st = {name: Station(name, tmp, config, broker) for name in STATIONS}
        for s in st.values():
            stack.callback(s.close)
            s.start()

        check_start(st)
        check_put_across(st, tmp)
        check_zone_refusal(st)
        check_takeover(st, tmp)
        check_broker_restart(st, broker)
        check_hostile(st, broker)
        check_secrets(st)
        for s in st.values():
            s.wall.stop()


if __name__ == "__main__":
    W.main(run)
