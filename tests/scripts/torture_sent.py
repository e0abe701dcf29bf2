#!/usr/bin/env python3
"""tests/scripts/torture_sent.py — what a sipflow torture capture sent a
device: the number of UDP payloads to IP and the SHA-256 of them all, in
order ("124 ffd4…"), so that two tortures with the same seed can be
compared byte for byte (torture.sh, interop/kamailio-torture.sh)

usage: torture_sent.py CAPTURE.pcapng IP"""
import hashlib
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap_edit import classic, frames, split  # noqa: E402

dst = ipaddress.ip_address(sys.argv[2]).packed
h, n = hashlib.sha256(), 0
for _, pkt in frames(classic(open(sys.argv[1], "rb").read())):
    s = split(pkt)
    if s and s[0][16:20] == dst:
        h.update(s[2])
        n += 1
print(n, h.hexdigest())
