#!/usr/bin/python3
"""A fake ONVIF camera for the PTZ client's tests (ptz/onvif.c).

    tests/onvif_server.py --port 0 --record calls.jsonl \
        --user admin --password secret --skew 3600 --presets "1:Home,2:Gate"

Serves, on 127.0.0.1, SOAP 1.2 over HTTP/1.1:

    /onvif/device_service  GetSystemDateAndTime (no authentication needed),
                           GetCapabilities (PTZ and Media XAddrs pointing
                           back at this server)
    /onvif/media           GetProfiles: two profiles, the first WITHOUT a
                           PTZConfiguration, the second ("ptz_main") with one
    /onvif/ptz             ContinuousMove, Stop, GotoPreset, GetPresets, for
                           profile "ptz_main" only (else a ter:NoProfile fault)

Authentication (with --user): a WS-Security UsernameToken whose
PasswordDigest is Base64(SHA-1(nonce + created + password)) and whose
Created is within 60 s of this server's clock, which runs --skew seconds
ahead of the machine's. Any other call but GetSystemDateAndTime gets HTTP
400 with a ter:NotAuthorized fault.

--mode:
    normal  as above
    hang    PTZ-service calls are recorded, then never answered
    no-ptz  GetCapabilities has no PTZ element
    refuse  every call but GetSystemDateAndTime gets a NotAuthorized fault
    digest  as normal, and every request needs HTTP digest authentication
            (RFC 7616, MD5, qop=auth) with --user and --password too: a
            request without it gets 401 and a challenge, and no record

--record FILE: one JSON object a line per request, written before the answer
(so a client that got its answer finds its call recorded): action, path,
auth ("ok", "missing", "bad" or "stale"), pan, tilt, zoom, timeout,
profile, preset (null when the request has none) and body (the raw request).

When listening it prints one line, `PORT <n>`, on stdout and flushes it.
SIGTERM and SIGINT end it with status 0. Python 3 standard library only.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import signal
import sys
import threading
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
TT = "http://www.onvif.org/ver10/schema"
PTZ_PROFILE = "ptz_main"
REALM = "onvif"
# Prefixes unlike the client's, so that a client reading by prefix fails.
NAMESPACES = (f'xmlns:SOAP-ENV="{ENV}" xmlns:ns9="{TT}" '
              'xmlns:dev="http://www.onvif.org/ver10/device/wsdl" '
              'xmlns:med="http://www.onvif.org/ver10/media/wsdl" '
              'xmlns:p="http://www.onvif.org/ver20/ptz/wsdl" '
              'xmlns:err="http://www.onvif.org/ver10/error"')


def envelope(body):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope {NAMESPACES}>'
            f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>")


def fault(subcodes, reason):
    """A SOAP 1.2 Sender fault with nested ONVIF subcodes (err:...)."""
    nested = ""
    for code in reversed(subcodes):
        nested = (f"<SOAP-ENV:Subcode><SOAP-ENV:Value>err:{code}</SOAP-ENV:Value>"
                  f"{nested}</SOAP-ENV:Subcode>")
    return envelope("<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender"
                    f"</SOAP-ENV:Value>{nested}</SOAP-ENV:Code><SOAP-ENV:Reason>"
                    f'<SOAP-ENV:Text xml:lang="en">{escape(reason)}</SOAP-ENV:Text>'
                    "</SOAP-ENV:Reason></SOAP-ENV:Fault>")


def local(tag):
    return tag.rpartition("}")[2]


def find_local(root, name):
    """The first element below root whose local name is `name`, any namespace."""
    return next((e for e in root.iter() if local(e.tag) == name), None)


def text_of(root, name):
    element = find_local(root, name)
    return element.text.strip() if element is not None and element.text else None


class Camera:
    def __init__(self, args):
        self.args = args
        self.presets = []
        for item in filter(None, args.presets.split(",")):
            token, _, name = item.partition(":")
            self.presets.append((token, name))
        self.record_lock = threading.Lock()
        self.record_fd = (os.open(args.record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                          if args.record else None)
        self.stopping = threading.Event()
        self.nonces = set()  # HTTP digest nonces handed out

    def now(self):
        return (datetime.datetime.now(datetime.timezone.utc)
                + datetime.timedelta(seconds=self.args.skew))

    def check_auth(self, root):
        token = root.find(f".//{{{WSSE}}}UsernameToken")
        if token is None:
            return "missing"
        if self.args.user is None:
            return "ok"
        user = token.findtext(f"{{{WSSE}}}Username", "").strip()
        digest = token.findtext(f"{{{WSSE}}}Password", "").strip()
        nonce = token.findtext(f"{{{WSSE}}}Nonce", "").strip()
        created = token.findtext(f"{{{WSU}}}Created", "").strip()
        try:
            raw = base64.b64decode(nonce, validate=True)
            when = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            return "bad"
        expected = hashlib.sha1(raw + created.encode() + self.args.password.encode()).digest()
        if user != self.args.user or base64.b64encode(expected).decode() != digest:
            return "bad"
        if when.tzinfo is None or abs((when - self.now()).total_seconds()) > 60:
            return "stale"
        return "ok"

    def digest_ok(self, header):
        """Whether an Authorization header is a right HTTP digest for a POST."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        md5 = (lambda text: hashlib.md5(text.encode()).hexdigest())
        ha1 = md5(f"{self.args.user}:{REALM}:{self.args.password}")
        ha2 = md5(f"POST:{fields.get('uri', '')}")
        expected = md5(":".join([ha1, fields.get("nonce", ""), fields.get("nc", ""),
                                 fields.get("cnonce", ""), fields.get("qop", ""), ha2]))
        return (fields.get("username") == self.args.user and fields.get("nonce") in self.nonces
                and fields.get("response") == expected)

    def record(self, entry):
        if self.record_fd is None:
            return
        line = (json.dumps(entry) + "\n").encode()
        with self.record_lock:
            os.write(self.record_fd, line)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as cameras do

    def log_message(self, format, *args):
        pass  # quiet: the record file says what came

    def reply(self, code, xml):
        data = xml.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def challenge(self):
        nonce = base64.b64encode(os.urandom(16)).decode()
        self.server.camera.nonces.add(nonce)
        self.send_response(401)
        self.send_header("WWW-Authenticate",
                         f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", algorithm=MD5')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        camera = self.server.camera
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if camera.args.mode == "digest" and not camera.digest_ok(
                self.headers.get("Authorization", "")):
            self.challenge()
            return
        try:
            root = ET.fromstring(body)
            soap_body = root.find(f"{{{ENV}}}Body")
            request = next(iter(soap_body))
        except (ET.ParseError, TypeError, StopIteration):
            self.reply(400, fault(["InvalidArgs"], "not a SOAP 1.2 envelope"))
            return
        action = local(request.tag)
        auth = camera.check_auth(root)
        velocity = find_local(request, "Velocity")
        pan_tilt = find_local(velocity, "PanTilt") if velocity is not None else None
        zoom = find_local(velocity, "Zoom") if velocity is not None else None
        speed = (lambda e, a: float(e.get(a)) if e is not None and e.get(a) else None)
        camera.record({
            "action": action, "path": self.path, "auth": auth,
            "pan": speed(pan_tilt, "x"), "tilt": speed(pan_tilt, "y"), "zoom": speed(zoom, "x"),
            "timeout": text_of(request, "Timeout"), "profile": text_of(request, "ProfileToken"),
            "preset": text_of(request, "PresetToken"), "body": body.decode(errors="replace"),
        })
        if action == "GetSystemDateAndTime":
            self.reply(200, envelope(self.date_and_time()))
            return
        mode = camera.args.mode
        if mode == "refuse" or (camera.args.user is not None and auth != "ok"):
            self.reply(400, fault(["NotAuthorized"], "Sender not Authorized"))
            return
        if mode == "hang" and self.path == "/onvif/ptz":
            camera.stopping.wait()  # never answers; the client gives up
            return
        handler = getattr(self, "answer_" + action, None)
        if handler is None:
            self.reply(400, fault(["ActionNotSupported"], f"{action} is not supported"))
            return
        code, xml = handler(request)
        self.reply(code, xml)

    def date_and_time(self):
        t = self.server.camera.now()
        return ("<dev:GetSystemDateAndTimeResponse><dev:SystemDateAndTime>"
                "<ns9:DateTimeType>NTP</ns9:DateTimeType><ns9:UTCDateTime>"
                f"<ns9:Time><ns9:Hour>{t.hour}</ns9:Hour><ns9:Minute>{t.minute}</ns9:Minute>"
                f"<ns9:Second>{t.second}</ns9:Second></ns9:Time>"
                f"<ns9:Date><ns9:Year>{t.year}</ns9:Year><ns9:Month>{t.month}</ns9:Month>"
                f"<ns9:Day>{t.day}</ns9:Day></ns9:Date>"
                "</ns9:UTCDateTime></dev:SystemDateAndTime></dev:GetSystemDateAndTimeResponse>")

    def answer_GetCapabilities(self, request):
        # Like a camera behind NAT or a VPN, it announces an address of its
        # own LAN, which nothing can reach (a loopback address where nothing
        # listens): the client keeps only the path.
        base = "http://127.0.0.2:9/onvif"
        ptz = ("" if self.server.camera.args.mode == "no-ptz"
               else f"<ns9:PTZ><ns9:XAddr>{base}/ptz</ns9:XAddr></ns9:PTZ>")
        return 200, envelope(
            "<dev:GetCapabilitiesResponse><dev:Capabilities>"
            f"<ns9:Media><ns9:XAddr>{base}/media</ns9:XAddr></ns9:Media>{ptz}"
            "</dev:Capabilities></dev:GetCapabilitiesResponse>")

    def answer_GetProfiles(self, request):
        return 200, envelope(
            '<med:GetProfilesResponse><med:Profiles token="fixed_main" fixed="true">'
            "<ns9:Name>fixed</ns9:Name></med:Profiles>"
            f'<med:Profiles token="{PTZ_PROFILE}"><ns9:Name>dome</ns9:Name>'
            '<ns9:PTZConfiguration token="ptz0"><ns9:Name>ptz</ns9:Name>'
            "</ns9:PTZConfiguration></med:Profiles></med:GetProfilesResponse>")

    def ptz_profile_fault(self, request):
        if text_of(request, "ProfileToken") != PTZ_PROFILE:
            return 400, fault(["InvalidArgVal", "NoProfile"], "The profile does not exist")
        return None

    def answer_ContinuousMove(self, request):
        return self.ptz_profile_fault(request) or (
            200, envelope("<p:ContinuousMoveResponse/>"))

    def answer_Stop(self, request):
        return self.ptz_profile_fault(request) or (200, envelope("<p:StopResponse/>"))

    def answer_GotoPreset(self, request):
        known = [token for token, _ in self.server.camera.presets]
        if text_of(request, "PresetToken") not in known:
            return 400, fault(["InvalidArgVal", "NoToken"], "The preset does not exist")
        return self.ptz_profile_fault(request) or (200, envelope("<p:GotoPresetResponse/>"))

    def answer_GetPresets(self, request):
        presets = "".join(f"<p:Preset token={quoteattr(token)}><ns9:Name>{escape(name)}"
                          "</ns9:Name></p:Preset>"
                          for token, name in self.server.camera.presets)
        return self.ptz_profile_fault(request) or (
            200, envelope(f"<p:GetPresetsResponse>{presets}</p:GetPresetsResponse>"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record")
    parser.add_argument("--user")
    parser.add_argument("--password", default="")
    parser.add_argument("--skew", type=int, default=0, help="seconds this camera's clock is ahead")
    parser.add_argument("--mode", choices=["normal", "hang", "no-ptz", "refuse", "digest"],
                        default="normal")
    parser.add_argument("--presets", default="1:Home,2:Gate,3:Door")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True  # a hung answer never holds up the exit
    server.camera = Camera(args)

    def stop(signum, frame):
        server.camera.stopping.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
