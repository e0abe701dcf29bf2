#!/usr/bin/env python3
"""baresip's ctrl_tcp from the tests: netstring JSON commands and events.

usage: ctl.py HOST:PORT COMMAND [PARAMS] [-- COMMAND [PARAMS] ...]  -- send
each command in turn, print the answers, exit 0 when baresip says ok to
every one, 1 when it refuses one (the rest are not sent), 2 when it is
unreachable or silent (5 s)."""
import json
import socket
import sys


def connect(addr, timeout=5.0):
    host, port = addr.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=timeout)


def send(sock, obj):
    data = json.dumps(obj).encode()
    sock.sendall(str(len(data)).encode() + b":" + data + b",")


def messages(sock, buf=b""):
    """Yield every netstring message as a dict (until the socket closes)."""
    while True:
        while True:
            colon = buf.find(b":")
            if colon < 0:
                break
            n = int(buf[:colon])
            if len(buf) < colon + 1 + n + 1:
                break
            yield json.loads(buf[colon + 1:colon + 1 + n])
            buf = buf[colon + 1 + n + 1:]
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk


def command(addr, cmd, params=None, token="t1"):
    """Send one command; return (ok, data)."""
    with connect(addr) as s:
        obj = {"command": cmd, "token": token}
        if params:
            obj["params"] = params
        send(s, obj)
        for m in messages(s):
            if m.get("response") and m.get("token") == token:
                return bool(m.get("ok")), m.get("data", "")
    return False, "no answer"


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmds, cur = [], []
    for a in sys.argv[2:] + ["--"]:
        if a == "--":
            if cur:
                cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    for i, c in enumerate(cmds):
        try:
            ok, data = command(sys.argv[1], c[0], " ".join(c[1:]) or None,
                               f"t{i + 1}")
        except OSError as e:
            print(f"baresip at {sys.argv[1]}: {e}", file=sys.stderr)
            sys.exit(2)
        print(data.strip())
        if not ok:
            sys.exit(1)
    sys.exit(0)
