#!/usr/bin/env python3
"""tests/scripts/fragile_device.py — a small SIP device over UDP that
answers like a careful one, except that it dies on one malformation.

It answers each request once, from the first message of the datagram
(Content-Length cuts it: RFC 3261 §18.3), copying Via, From, To, Call-ID
and CSeq (§8.2.6.2), to the address it came from:

  505  the version is not SIP/2.0                           (§8.2.6.1)
  400  Via, From, To, Call-ID, CSeq or Max-Forwards missing or given
       twice, CSeq not "<n < 2**31> <the method>", Content-Length not
       one number of at most the octets there are, a display name with
       a comma but no quotes
  416  a Request-URI that is not sip: or sips:               (§8.2.2.1)
  501  a method it does not know                             (§8.2.1)
  420  a Require or Proxy-Require header                     (§8.2.2.3)
  400  a REGISTER whose To is not a sip: URI                 (§10.3)
  486  an INVITE (busy: no call to set up)
  200  OPTIONS, REGISTER, MESSAGE, BYE
  ACK and responses: nothing

With --die-on NAME it exits (status 3, "killed by NAME" in LOG) when a
request shows that malformation, before answering it — a firmware that
crashes on it. NAMES lists them (--list prints them); more may be added.
With --careless it answers every request but ACK 200 OK: a device that
accepts nonsense. It exits by itself after --life seconds (default 120).

usage: fragile_device.py HOST PORT LOG [--die-on NAME]... [--careless]
                         [--life S]
"""
import argparse
import re
import socket
import sys
import time

# name -> (what it is, the test on the message's text): extend here
NAMES = {
    "negative-content-length": (
        "a Content-Length below zero (RFC 4475 §3.1.2.3)",
        lambda m: any(v.strip().startswith("-")
                      for v in hdr(m, "content-length", "l"))),
    "escaped-nul": (
        "%00 in the start line or a header (RFC 4475 §3.1.1.4)",
        lambda m: "%00" in m["head"]),
    "no-branch": (
        "a top Via without a branch (RFC 2543, RFC 4475 §3.4.1)",
        lambda m: bool(hdr(m, "via", "v")) and
        "branch" not in hdr(m, "via", "v")[0].split(",")[0].lower()),
    "long-header": (
        "a header line of more than 512 octets (RFC 4475 §3.1.1.7)",
        lambda m: any(len(ln) > 512 for ln in m["lines"])),
    "unknown-method": (
        "a method it does not know (RFC 4475 §3.1.1.2)",
        lambda m: m["method"] not in KNOWN),
}
KNOWN = {"INVITE", "ACK", "OPTIONS", "REGISTER", "MESSAGE", "BYE",
         "CANCEL"}


def hdr(m, *names):
    return [v for k, v in m["hdrs"] if k in names]


def parse(data):
    """the first message of a datagram, as text (bytes kept as latin-1)"""
    text = data.decode("latin-1")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    unfolded = []
    for ln in lines[1:]:
        if ln[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += " " + ln.strip()
        else:
            unfolded.append(ln)
    hdrs = []
    for ln in unfolded:
        if ":" in ln:
            k, v = ln.split(":", 1)
            hdrs.append((k.strip().lower(), v.strip()))
    start = lines[0].split(" ")
    return {"start": lines[0], "method": start[0], "lines": lines,
            "hdrs": hdrs, "head": head, "body": body,
            "version": start[-1] if len(start) >= 3 else ""}


def status(m):
    """the code a careful device answers m with"""
    if m["version"] != "SIP/2.0":
        return 505, "Version Not Supported"
    once = [("via", "v"), ("from", "f"), ("to", "t"), ("call-id", "i"),
            ("cseq",), ("max-forwards",)]
    for names in once:
        if not hdr(m, *names):
            return 400, "Missing " + names[0]
    for names in once[1:]:
        if len(hdr(m, *names)) > 1:
            return 400, "Twice " + names[0]
    cseq = re.fullmatch(r"(\d+)\s+(\S+)", hdr(m, "cseq")[0])
    if not cseq or int(cseq.group(1)) >= 2 ** 31 or \
       cseq.group(2) != m["method"]:
        return 400, "Bad CSeq"
    cl = hdr(m, "content-length", "l")
    if len(cl) > 1 or (cl and (not cl[0].isdigit() or
                               int(cl[0]) > len(m["body"]))):
        return 400, "Bad Content-Length"
    for v in hdr(m, "from", "f") + hdr(m, "to", "t"):
        if "," in v.split("<")[0] and '"' not in v:
            return 400, "Bad Display Name"
    uri = m["start"].split(" ")[1] if " " in m["start"] else ""
    if not re.match(r"sips?:", uri):
        return 416, "Unsupported URI Scheme"
    if m["method"] not in KNOWN:
        return 501, "Not Implemented"
    if hdr(m, "require") or hdr(m, "proxy-require"):
        return 420, "Bad Extension"
    if m["method"] == "REGISTER" and \
       not re.match(r"\s*(\"[^\"]*\"\s*)?<?sips?:", hdr(m, "to", "t")[0]):
        return 400, "Bad To"
    if m["method"] == "INVITE":
        return 486, "Busy Here"
    return 200, "OK"


def answer(m, code, reason):
    copy = [f"{k}: {v}" for k, v in m["hdrs"]
            if k in ("via", "v", "from", "f", "to", "t", "call-id", "i",
                     "cseq")]
    if code >= 200:
        copy = [ln + (";tag=fragile" if ln.lower().startswith(("to:",
                "t:")) and "tag=" not in ln else "") for ln in copy]
    return (f"SIP/2.0 {code} {reason}\r\n" + "\r\n".join(copy) +
            "\r\nContent-Length: 0\r\n\r\n").encode("latin-1")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("host", nargs="?")
    ap.add_argument("port", nargs="?", type=int)
    ap.add_argument("log", nargs="?")
    ap.add_argument("--die-on", action="append", default=[],
                    choices=sorted(NAMES), metavar="NAME")
    ap.add_argument("--careless", action="store_true",
                    help="answer every request 200 OK")
    ap.add_argument("--life", type=float, default=120.0)
    ap.add_argument("--list", action="store_true",
                    help="print the malformations it can die on")
    a = ap.parse_args()
    if a.list:
        for n in sorted(NAMES):
            print(f"{n}: {NAMES[n][0]}")
        return 0
    if not (a.host and a.port and a.log):
        ap.error("HOST PORT LOG are required")

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.host, a.port))
    sock.settimeout(0.2)
    log = open(a.log, "a", buffering=1)
    end = time.monotonic() + a.life
    while time.monotonic() < end:
        try:
            data, src = sock.recvfrom(65535)
        except socket.timeout:
            continue
        m = parse(data)
        log.write(f"{m['start'][:80]!r} from {src[0]}:{src[1]}\n")
        if m["start"].startswith("SIP/") or m["method"] == "ACK":
            continue
        for name in a.die_on:
            if NAMES[name][1](m):
                log.write(f"killed by {name}\n")
                return 3
        try:
            code, reason = (200, "OK") if a.careless else status(m)
        except (IndexError, ValueError):
            code, reason = 400, "Bad Request"
        sock.sendto(answer(m, code, reason), src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
