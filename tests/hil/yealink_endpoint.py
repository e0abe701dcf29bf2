#!/usr/bin/env python3
"""A stand-in Yealink handset for the yealink-http driver's test: an HTTP
server with the phone's Action URI (/servlet?key=…, HTTP Basic login)
that presses the keys on a baresip through its control socket, and that
posts the phone's Action URL events (/event?name=…) to the driver's
listener when baresip reports them.

usage: yealink_endpoint.py LISTEN CTRL EVENTS USER PASSWORD LOG SECONDS [LINE]
Every request is appended to LOG as "GET PATH?QUERY auth=USER:ok|bad|none"
(never the password), so the test checks what the driver sent.

As the phone's administrator's guide has it, key=number=N&outgoing_uri=U
calls N from the phone's account U (ext@server): LINE, the phone's one
account (default alice@example.test); a U that is not LINE (a callee put
there) is refused with 400. N is a number or user, called at LINE's
server; in a transfer, key=number=N names the target."""
import base64
import json
import queue
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

listen, ctrl, events, user, password, logpath, limit = sys.argv[1:8]
line = sys.argv[8] if len(sys.argv) > 8 else "alice@example.test"
server = line.partition("@")[2]
EVENTS = {  # baresip's event → the phone's Action URL (action_url.* name)
    "CALL_INCOMING": "incoming_call", "CALL_ESTABLISHED": "call_established",
    "CALL_CLOSED": "call_terminated", "REGISTER_OK": "log_on",
    "REGISTER_FAIL": "register_failed", "UNREGISTERING": "log_off",
}

host, port = ctrl.rsplit(":", 1)
sock = socket.create_connection((host, int(port)), timeout=5)
sock.settimeout(None)
answers = queue.Queue()
send_lock = threading.Lock()
token = [0]


def post_event(name, remote):
    q = urllib.parse.urlencode({"name": name, "remote": remote})
    try:
        urllib.request.urlopen(f"http://{events}/event?{q}", timeout=2).read()
    except OSError:
        pass


def reader():
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk
        while b":" in buf:
            colon = buf.index(b":")
            n = int(buf[:colon])
            if len(buf) < colon + n + 2:
                break
            m = json.loads(buf[colon + 1:colon + 1 + n])
            buf = buf[colon + n + 2:]
            if m.get("response"):
                answers.put(m)
            elif m.get("event") and m.get("type") in EVENTS:
                threading.Thread(target=post_event, daemon=True, args=(
                    EVENTS[m["type"]], m.get("peeruri", ""))).start()


def command(cmd, params=None):
    with send_lock:
        token[0] += 1
        obj = {"command": cmd, "token": str(token[0])}
        if params:
            obj["params"] = params
        data = json.dumps(obj).encode()
        sock.sendall(str(len(data)).encode() + b":" + data + b",")
        while True:
            m = answers.get(timeout=5)
            if m.get("token") == str(token[0]):
                return bool(m.get("ok"))


transfer = {"armed": False, "to": None}
KEYS = {"OK": "accept", "CANCEL": "hangup", "CALLEND": "hangup",
        "HOLD": "hold", "UNHOLD": "resume"}


def press(query):
    """Do what the phone would for ?key=…; True when it understood."""
    q = urllib.parse.parse_qs(query)
    key = q.get("key", [""])[0]
    if key.startswith("number="):
        account = q.get("outgoing_uri", [line])[0]
        if account != line:
            return False  # not an account of this phone
        number = key[len("number="):]
        uri = f"sip:{number}" if "@" in number else f"sip:{number}@{server}"
        if transfer["armed"]:
            transfer["to"] = uri
            return True
        return command("dial", uri)
    if key == "F_TRANSFER":
        if transfer["armed"] and transfer["to"]:
            to = transfer["to"]
            transfer.update(armed=False, to=None)
            return command("transfer", to)
        transfer["armed"] = True
        return True
    if key in KEYS:
        return command(KEYS[key])
    digits = key.split(";")
    if all(d in "0123456789" or d in ("STAR", "POUND") for d in digits):
        s = "".join({"STAR": "*", "POUND": "#"}.get(d, d) for d in digits)
        return command("sndcode", s)
    return False


class Phone(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        auth = self.headers.get("Authorization")
        who = "none"
        if auth and auth.startswith("Basic "):
            u, _, p = base64.b64decode(auth[6:]).decode().partition(":")
            who = f"{u}:{'ok' if (u, p) == (user, password) else 'bad'}"
        with open(logpath, "a") as f:
            f.write(f"GET {self.path} auth={who}\n")
        url = urllib.parse.urlsplit(self.path)
        if not who.endswith(":ok"):
            self.send_response(401, "Unauthorized")
            self.send_header("WWW-Authenticate", 'Basic realm="phone"')
        elif url.path != "/servlet" or not press(url.query):
            self.send_response(400, "Bad Request")
        else:
            self.send_response(200, "OK")
        self.send_header("Content-Length", "0")
        self.end_headers()


threading.Thread(target=reader, daemon=True).start()
h, p = listen.rsplit(":", 1)
srv = ThreadingHTTPServer((h, int(p)), Phone)
threading.Thread(target=srv.serve_forever, daemon=True).start()
print("listening", flush=True)
time.sleep(float(limit))
