#!/usr/bin/env python3
"""tests/scripts/fragile_torture_device.py — a fragile SIP device over UDP
for torture.sh: it answers sanely (OPTIONS, INVITE, BYE, anything else:
200 OK with a To tag; ACK: nothing; what does not parse: 400 Bad Request)
and exits, as a crashing firmware would, on one specific malformation:

  --die-on cseq-negative   a CSeq whose number starts with '-'
  --die-on maxfwd-huge     a Max-Forwards whose number is above 255
  --die-on nul             a NUL byte anywhere
  --die-on bad-version     a start line that does not end in SIP/2.0
                           (a request) or begin with it (a response)
  --die-on none            it never dies (a robust device)

On death it writes the first line of the message that killed it to
stderr ("died on: ...") and exits with status 3. Every datagram's first
line is logged to stderr. It exits by itself after --life seconds
(default 60).

usage: fragile_torture_device.py HOST PORT [--die-on KIND] [--life S]
"""
import argparse
import re
import socket
import sys
import time

DEATHS = {
    "cseq-negative": lambda d: re.search(rb"(?im)^cseq[ \t]*:[ \t]*-", d),
    "maxfwd-huge": lambda d: any(
        int(m.group(1)) > 255 for m in
        re.finditer(rb"(?im)^max-forwards[ \t]*:[ \t]*([0-9]+)[ \t]*\r?$",
                    d)),
    "nul": lambda d: b"\0" in d,
    "bad-version": lambda d: not (
        re.match(rb"[A-Z]+ \S+ SIP/2\.0\r\n", d) or
        re.match(rb"SIP/2\.0 [0-9]{3} ", d)),
    "none": lambda d: False,
}

ap = argparse.ArgumentParser()
ap.add_argument("host")
ap.add_argument("port", type=int)
ap.add_argument("--die-on", default="cseq-negative", choices=sorted(DEATHS))
ap.add_argument("--life", type=float, default=60.0)
args = ap.parse_args()

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((args.host, args.port))
sock.settimeout(0.2)
die = DEATHS[args.die_on]


def headers(text):
    """the header lines a response copies: Via (all), From, To, Call-ID,
    CSeq; None when one is missing"""
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    out = {"via": [], "from": None, "to": None, "call-id": None,
           "cseq": None}
    compact = {"v": "via", "f": "from", "t": "to", "i": "call-id"}
    for ln in head[1:]:
        if ":" not in ln:
            continue
        k, v = ln.split(":", 1)
        k = compact.get(k.strip().lower(), k.strip().lower())
        if k == "via":
            out["via"].append(v.strip())
        elif k in out and out[k] is None:
            out[k] = v.strip()
    if not out["via"] or None in (out["from"], out["to"], out["call-id"],
                                  out["cseq"]):
        return None
    return head[0], out


def reply(code, reason, h, src):
    to = h["to"]
    if ";tag=" not in to:
        to += ";tag=fragile1"
    lines = ["SIP/2.0 %d %s" % (code, reason)]
    lines += ["Via: " + v for v in h["via"]]
    lines += ["From: " + h["from"], "To: " + to, "Call-ID: " + h["call-id"],
              "CSeq: " + h["cseq"],
              "Contact: <sip:fragile@%s:%d>" % (args.host, args.port),
              "Content-Length: 0", "", ""]
    sock.sendto("\r\n".join(lines).encode(), src)


end = time.time() + args.life
while time.time() < end:
    try:
        data, src = sock.recvfrom(70000)
    except socket.timeout:
        continue
    first = data.split(b"\r\n", 1)[0][:120]
    print("got:", first.decode("latin-1"), file=sys.stderr, flush=True)
    if die(data):
        print("died on:", first.decode("latin-1"), file=sys.stderr,
              flush=True)
        sys.exit(3)
    text = data.decode("utf-8", "replace")
    parsed = headers(text)
    if parsed is None:
        continue
    start, h = parsed
    words = start.split(" ")
    if start.startswith("SIP/"):
        continue
    if len(words) != 3 or words[2] != "SIP/2.0":
        reply(400, "Bad Request", h, src)
    elif words[0] == "ACK":
        continue
    else:
        reply(200, "OK", h, src)
