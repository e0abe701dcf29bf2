#!/usr/bin/env python3
"""A slow remote control in front of baresip's ctrl_tcp: every command
goes to baresip ACT seconds after it came (the device acts then), and
baresip's answer is held ANSWER seconds more before it goes back (the
driver finishes late). Events pass at once. Any driver that ends up on
baresip's control socket through it (baresip's own, yealink_endpoint.py,
ctl.py for exec, person.py for manual) is so a driver that takes time
while the device sends meanwhile, ACT seconds after it was asked.

usage: slow_ctrl.py LISTEN TARGET ACT ANSWER SECONDS
Serves each client on a connection of its own to TARGET until SECONDS
have passed."""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctl  # noqa: E402

listen, target = sys.argv[1], sys.argv[2]
act, delay, limit = (float(a) for a in sys.argv[3:6])


def pipe(src, dst):
    """src → dst, each command ACT seconds late."""
    while True:
        try:
            data = src.recv(65536)
        except OSError:
            break
        if not data:
            break
        time.sleep(act)
        dst.sendall(data)
    dst.close()


def answers(dev, client):
    """baresip → client: events at once, answers ANSWER seconds late."""
    lock = threading.Lock()

    def send(m):
        with lock:
            try:
                ctl.send(client, m)
            except OSError:
                pass

    try:
        for m in ctl.messages(dev):
            if m.get("response"):
                threading.Timer(delay, send, args=(m,)).start()
            else:
                send(m)
    except OSError:
        pass
    time.sleep(delay)   # the answers still held go out first
    client.close()


h, p = listen.rsplit(":", 1)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((h, int(p)))
srv.listen(8)
srv.settimeout(0.5)
end = time.time() + limit
print("listening", flush=True)
while time.time() < end:
    try:
        client, _ = srv.accept()
    except socket.timeout:
        continue
    dev = ctl.connect(target)
    dev.settimeout(None)
    threading.Thread(target=pipe, args=(client, dev), daemon=True).start()
    threading.Thread(target=answers, args=(dev, client),
                     daemon=True).start()
