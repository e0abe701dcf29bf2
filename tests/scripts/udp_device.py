#!/usr/bin/env python3
"""A small SIP device over UDP, for isolation.sh: the device under test of
scenarios that leave things open. It answers what comes, as a UA would:

  INVITE   200 OK with a To tag (an established call), or with the header
           X-Device: ring-only a 180 Ringing only (the INVITE stays
           pending; a CANCEL then ends it with 200 and 487)
  CANCEL   200 OK, and 487 to the INVITE it cancels
  BYE, NOTIFY, SUBSCRIBE, OPTIONS, other   200 OK
  ACK      nothing

and two behaviours on an OPTIONS, chosen by X-Device:
  leftover  before its 200 OK, sends the OPTIONS' sender three requests
            of the first call it answered (its Call-ID): a BYE and a
            NOTIFY inside that call and a new INVITE (no To tag) — what
            a device still sends of an earlier scenario
  exit      after its 200 OK, exits: a device that goes away
  chatter   after its 200 OK, sends the OPTIONS' sender the same OPTIONS
            (one branch) every 100 ms until it exits: a device that
            never goes quiet

and, on an INVITE, X-Device: hostile-KIND answers a 180 Ringing of its
transaction that is not SIP (hostile.sh), by KIND:
  nul            a NUL byte in the reason phrase and in a header
  cseq-negative  CSeq: -1 INVITE
  bare-lf        every line ended by LF alone

Every datagram received is logged (its first line and Call-ID) to LOG.
It exits after LIFE seconds (default 30).
usage: udp_device.py HOST PORT LOG [LIFE]"""
import re
import socket
import sys
import threading
import time

host, port, logpath = sys.argv[1], int(sys.argv[2]), sys.argv[3]
life = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((host, port))
sock.settimeout(0.2)
log = open(logpath, "a", buffering=1)
me = "%s:%d" % (host, port)
calls = []      # the INVITEs answered 200: (headers, source)
pending = {}    # branch -> INVITE headers still ringing
lock = threading.Lock()


def parse(data):
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return lines[0], hdrs


def one(h, name):
    v = h.get(name)
    return v[0] if v else ""


def send(text, dst):
    with lock:
        sock.sendto(text.encode(), dst)


def reply(h, dst, code, reason, totag=None, extra=""):
    to = one(h, "to")
    if totag and ";tag=" not in to:
        to += ";tag=" + totag
    vias = "".join("Via: %s\r\n" % v for v in h.get("via", []))
    send("SIP/2.0 %d %s\r\n%sFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
         "CSeq: %s\r\n%sContent-Length: 0\r\n\r\n"
         % (code, reason, vias, one(h, "from"), to, one(h, "call-id"),
            one(h, "cseq"), extra), dst)


def hostile(h, dst, kind):
    """a 180 to h that breaks RFC 3261's grammar as kind says"""
    vias = "".join("Via: %s\r\n" % v for v in h.get("via", []))
    cseq = "-1 INVITE" if kind == "cseq-negative" else one(h, "cseq")
    text = ("SIP/2.0 180 Ringing\r\n%sFrom: %s\r\nTo: %s;tag=dev1\r\n"
            "Call-ID: %s\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n"
            % (vias, one(h, "from"), one(h, "to"), one(h, "call-id"),
               cseq))
    if kind == "nul":
        text = text.replace("Ringing", "Ring\0ing", 1).replace(
            "Content-Length", "Subject: a\0b\r\nContent-Length", 1)
    if kind == "bare-lf":
        text = text.replace("\r\n", "\n")
    send(text, dst)


def branch(h):
    m = re.search(r"branch=([^;, ]+)", one(h, "via"))
    return m.group(1) if m else ""


def request(method, ruri, callid, frm, to, cseq, dst, extra=""):
    send("%s %s SIP/2.0\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK%s%d\r\n"
         "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
         "CSeq: %d %s\r\n%sContent-Length: 0\r\n\r\n"
         % (method, ruri, me, method.lower(), cseq, frm, to, callid, cseq,
            method, extra), dst)


def leftovers(dst):
    """the first answered call's BYE, NOTIFY and a new INVITE"""
    if not calls:
        return
    h, _ = calls[0]
    callid = one(h, "call-id")
    # we are the callee: our From is the INVITE's To (with our tag)
    frm = one(h, "to") + ";tag=dev1"
    to = one(h, "from")
    notag = re.sub(r";tag=[^;>]*", "", to)
    ruri = "sip:%s:%d" % dst
    request("BYE", ruri, callid, frm, to, 900, dst)
    request("NOTIFY", ruri, callid, frm, to, 901, dst,
            "Event: refer\r\nSubscription-State: active;expires=60\r\n")
    request("INVITE", ruri, callid, "<sip:dev@%s>;tag=dev9" % me, notag,
            902, dst, "Contact: <sip:dev@%s>\r\n" % me)


def chatter(h, dst, until):
    """the same OPTIONS every 100 ms, a retransmission that never stops"""
    callid = "chatter-" + one(h, "call-id")
    while time.time() < until:
        request("OPTIONS", "sip:%s:%d" % dst, callid,
                "<sip:dev@%s>;tag=chat" % me, "<sip:%s:%d>" % dst, 1, dst)
        time.sleep(0.1)


end = time.time() + life
while time.time() < end:
    try:
        data, src = sock.recvfrom(65535)
    except socket.timeout:
        continue
    first, h = parse(data)
    log.write("%s | %s\n" % (first, one(h, "call-id")))
    if first.startswith("SIP/2.0"):
        continue
    method = first.split(" ", 1)[0]
    mode = one(h, "x-device")
    if method == "ACK":
        continue
    if method == "INVITE":
        if mode.startswith("hostile-"):
            hostile(h, src, mode[len("hostile-"):])
        elif mode == "ring-only":
            pending[branch(h)] = h
            reply(h, src, 180, "Ringing", "dev1")
        else:
            calls.append((h, src))
            reply(h, src, 200, "OK", "dev1",
                  "Contact: <sip:dev@%s>\r\n" % me)
        continue
    if method == "CANCEL":
        reply(h, src, 200, "OK", "dev1")
        inv = pending.pop(branch(h), None)
        if inv:
            reply(inv, src, 487, "Request Terminated", "dev1")
        continue
    if method == "OPTIONS" and mode == "leftover":
        leftovers(src)
    reply(h, src, 200, "OK", "dev1")
    if method == "OPTIONS" and mode == "exit":
        break
    if method == "OPTIONS" and mode == "chatter":
        threading.Thread(target=chatter, args=(h, src, end),
                         daemon=True).start()
