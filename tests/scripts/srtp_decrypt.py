#!/usr/bin/env python3
"""tests/scripts/srtp_decrypt.py — decrypt a run's SRTP from its pcap with
the keys its report.json gives, independently of sipflow (RFC 3711 key
derivation, AES-CM, HMAC-SHA1 with Python's cryptography), and say what
each sender's audio is.

usage: srtp_decrypt.py PCAP REPORT.JSON [--flip-key]
Prints one line per stream: "SENDER packets=N authfail=N tone=HZ" (the
strongest of 300..3400 Hz in 10 Hz steps over the decrypted G.711), exit
0; exit 2 when report.json has no srtp keys or tshark fails. --flip-key
uses a wrong key (one bit flipped): every packet must fail its tag.
"""
import base64
import hashlib
import hmac
import json
import math
import subprocess
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def aes_ctr(key, iv, data):
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def derive(master, label, n):
    """RFC 3711 §4.3.1 with key_derivation_rate 0: x = label||r ^ salt"""
    mkey, msalt = master[:16], bytearray(master[16:30])
    msalt[7] ^= label
    return aes_ctr(mkey, bytes(msalt) + b"\0\0", b"\0" * n)


def ulaw(b):
    b = ~b & 0xFF
    t = (((b & 0x0F) << 3) + 0x84) << ((b & 0x70) >> 4)
    return (0x84 - t) if b & 0x80 else (t - 0x84)


def alaw(b):
    b ^= 0x55
    t = (b & 0x0F) << 4
    seg = (b & 0x70) >> 4
    t = t + 8 if seg == 0 else (t + 0x108) << (seg - 1)
    return t if b & 0x80 else -t


def tone(pcm):
    best, hz = 0.0, 0
    n = len(pcm)
    for f in range(300, 3401, 10):
        w = 2 * math.pi * f / 8000
        c = 2 * math.cos(w)
        s1 = s2 = 0.0
        for x in pcm:
            s1, s2 = x + c * s1 - s2, s1
        p = s1 * s1 + s2 * s2 - c * s1 * s2
        if p > best:
            best, hz = p, f
    return hz if n else 0


def packets(pcap, dst, port):
    out = subprocess.run(
        ["tshark", "-r", pcap, "-Y",
         "ip.dst==%s && udp.dstport==%s" % (dst, port),
         "-T", "fields", "-e", "udp.payload"],
        capture_output=True, text=True, check=True).stdout
    return [bytes.fromhex(l.replace(":", "")) for l in out.split() if l]


def stream(pcap, suite, st, flip):
    master = bytearray(base64.b64decode(st["key"].split(":", 1)[1]))
    if flip:
        master[0] ^= 1
    ke, ka, ks = derive(master, 0, 16), derive(master, 1, 20), \
        derive(master, 2, 14)
    taglen = 10 if suite.endswith("_80") else 4
    dst, port = st["to"].rsplit(":", 1)
    roc, last, fails, pcm, n = 0, None, 0, [], 0
    for p in packets(pcap, dst, port):
        if len(p) < 12 + taglen or p[0] >> 6 != 2:
            continue
        n += 1
        cc = p[0] & 0x0F
        seq = int.from_bytes(p[2:4], "big")
        ssrc = int.from_bytes(p[8:12], "big")
        if last is not None and seq < last and last - seq > 32768:
            roc += 1
        last = seq
        auth, tag = p[:-taglen], p[-taglen:]
        calc = hmac.new(ka, auth + roc.to_bytes(4, "big"),
                        hashlib.sha1).digest()[:taglen]
        if calc != tag:
            fails += 1
            continue
        idx = (roc << 16) | seq
        iv = (int.from_bytes(ks + b"\0\0", "big") ^ (ssrc << 64) ^
              (idx << 16)).to_bytes(16, "big")
        hdr = 12 + 4 * cc
        pld = aes_ctr(ke, iv, auth[hdr:])
        pt = p[1] & 0x7F
        if pt in (0, 8) and len(pcm) < 8000:
            pcm += [ulaw(b) if pt == 0 else alaw(b) for b in pld]
    return n, fails, tone(pcm[:1600])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pcap, rep = sys.argv[1], sys.argv[2]
    flip = "--flip-key" in sys.argv[3:]
    found = False
    for scn in json.load(open(rep))["scenarios"]:
        for ex in scn.get("srtp", []):
            for st in ex["streams"]:
                found = True
                n, fails, hz = stream(pcap, ex["suite"], st, flip)
                print("%s packets=%d authfail=%d tone=%d" %
                      (st["sender"], n, fails, hz))
    if not found:
        print("no srtp keys in " + rep)
        sys.exit(2)


if __name__ == "__main__":
    main()
