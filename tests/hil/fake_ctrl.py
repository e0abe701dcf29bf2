#!/usr/bin/env python3
"""A control socket that misbehaves, in place of baresip's ctrl_tcp.

usage: fake_ctrl.py HOST:PORT MODE SECONDS
  garbage  answers every command with bytes that are not a netstring
  close    answers the first command well, then closes the connection
           (a baresip that died mid-run)
Serves one connection after another until SECONDS have passed."""
import json
import socket
import sys
import time

addr, mode, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
host, port = addr.rsplit(":", 1)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, int(port)))
srv.listen(4)
srv.settimeout(0.5)
end = time.time() + limit
print("listening", flush=True)
while time.time() < end:
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        continue
    conn.settimeout(0.5)
    seen = 0
    while time.time() < end:
        try:
            data = conn.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        seen += 1
        if mode == "garbage":
            conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n{not json")
        else:
            tok = json.loads(data[data.index(b":") + 1:-1]).get("token")
            r = json.dumps({"response": True, "ok": True, "data": "",
                            "token": tok}).encode()
            conn.sendall(str(len(r)).encode() + b":" + r + b",")
            if mode == "close":
                break
    conn.close()
