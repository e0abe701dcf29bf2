#!/usr/bin/env python3
"""tests/scripts/hostile_peer.py — a SIP peer over UDP whose every answer
carries bytes no report may pass on raw, for escape.sh: it answers each
request (but ACK) with a 486 whose reason phrase, a header and the body
hold terminal escapes (ESC, BEL), a bare CR and LF, NUL bytes, bytes that
are not UTF-8 (0xff, 0xfe, an overlong 0xc0 0xaf, a sequence cut short), a C1
control in UTF-8
(U+009B), characters XML forbids (U+FFFE) and markup (<script>). The
transaction's headers are echoed, so the answer matches its request.
With MODE c1 it answers a 486 that is SIP by RFC 3261's grammar (so it
is judged as a 486, not as malformed) and still hostile to a terminal:
C1 controls in UTF-8 (U+009B CSI, U+009D OSC, U+009C ST; UTF8-NONASCII to
the grammar) and markup in its reason phrase.
With MODE long it answers instead with a 200 OK that is only valid
UTF-8, but long: an "é" across byte 200 of its start line and another
across byte 16384 of the message, where the reports cut them.
It exits after LIFE seconds (default 20).
usage: hostile_peer.py HOST PORT [LIFE [MODE]]"""
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
life = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
mode = sys.argv[4] if len(sys.argv) > 4 else "hostile"

EVIL = (b"\x1b]0;owned\x07\x1b[2J\x1b[31m<script>alert(1)</script>"
        b"\xff\xfe\xc0\xaf\xc2\x9b\xef\xbf\xbe&\"'")
REASON = b"Busy " + EVIL + b" \x00after-nul " + EVIL
BODY = (b"body " + EVIL + b"\r\nline\rbare-cr\nbare-lf\x00 \xe2\x90cut short"
        b"past the nul </script><b>bold</b>\r\n")


def headers(data):
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    keep = []
    for ln in head[1:]:
        name = ln.split(b":", 1)[0].strip().lower()
        if name in (b"via", b"v", b"from", b"f", b"to", b"t", b"call-id",
                    b"i", b"cseq"):
            keep.append(ln)
    return head[0], keep


def long_ok(keep):
    """a 200 OK with an "é" at bytes 199-200 and 16383-16384 (and the To
    tag of a UAS)"""
    e = "é".encode()
    keep = [k + b";tag=long1" if k.split(b":", 1)[0].strip().lower() in
            (b"to", b"t") and b"tag=" not in k else k for k in keep]
    line = b"SIP/2.0 200 OK "
    line += b"x" * (199 - len(line)) + e + b" long"
    head = (line + b"\r\n" + b"\r\n".join(keep) +
            b"\r\nContent-Type: text/plain\r\nContent-Length: ")
    # the body's length has 5 digits: "é" starts at byte 16383
    pad = 16383 - len(head) - len(b"00000\r\n\r\n")
    body = b"a" * pad + e + b"b" * 2000
    return head + b"%05d\r\n\r\n" % len(body) + body


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((host, port))
sock.settimeout(0.2)
end = time.monotonic() + life
while time.monotonic() < end:
    try:
        data, src = sock.recvfrom(65535)
    except socket.timeout:
        continue
    line, keep = headers(data)
    if line.startswith(b"ACK ") or line.startswith(b"SIP/2.0"):
        continue
    if mode == "long":
        msg = long_ok(keep)
    elif mode == "c1":
        msg = (b"SIP/2.0 486 Busy \xc2\x9b2J\xc2\x9d0;owned\xc2\x9c "
               b"<b>c1</b>\r\n" + b"\r\n".join(keep) +
               b"\r\nContent-Length: 0\r\n\r\n")
    else:
        msg = (b"SIP/2.0 486 " + REASON + b"\r\n" + b"\r\n".join(keep) +
               b"\r\nX-Evil: " + EVIL + b"\x00" + EVIL +
               b"\r\nContent-Type: text/plain\r\nContent-Length: " +
               str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
    sock.sendto(msg, src)
