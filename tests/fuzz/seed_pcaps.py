#!/usr/bin/env python3
# tests/fuzz/seed_pcaps.py — write the crafted captures of the pcap
# harness's seed corpus (tests/fuzz/corpus/pcap/): what a run's own
# captures do not show — TCP segments split, out of order and repeated,
# IP fragments out of order, a message to its sender, IPv6, link types
# other than raw IP, VLAN tags
# usage: seed_pcaps.py OUTDIR
import os
import struct
import sys

INVITE = (b"INVITE sip:bob@10.0.0.2 SIP/2.0\r\n"
          b"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKs1\r\n"
          b"Max-Forwards: 70\r\nFrom: <sip:alice@10.0.0.1>;tag=a\r\n"
          b"To: <sip:bob@10.0.0.2>\r\nCall-ID: seed@10.0.0.1\r\n"
          b"CSeq: 1 INVITE\r\nContact: <sip:alice@10.0.0.1>\r\n"
          b"Content-Type: application/sdp\r\nContent-Length: 66\r\n\r\n"
          b"v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
          b"m=audio 4000 RTP/AVP 0\r\n")
RINGING = (b"SIP/2.0 180 Ringing\r\n"
           b"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKs1\r\n"
           b"From: <sip:alice@10.0.0.1>;tag=a\r\n"
           b"To: <sip:bob@10.0.0.2>;tag=b\r\nCall-ID: seed@10.0.0.1\r\n"
           b"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
A4, B4 = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
A6, B6 = bytes(15) + b"\x01", bytes(15) + b"\x02"


def pcap(path, link, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            link))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(fr), len(fr)))
            f.write(fr)


def ipv4(src, dst, proto, payload, ident=1, off=0, more=False):
    flags = (0x2000 if more else 0) | (off // 8)
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                       flags, 64, proto, 0, src, dst) + payload


def ipv6(src, dst, proto, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), proto, 64,
                       src, dst) + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, seq, data, flags=0x18):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                       65535, 0, 0) + data


def eth(ip, vlan=False):
    tag = struct.pack("!HH", 0x8100, 7) if vlan else b""
    return b"\x02" * 6 + b"\x04" * 6 + tag + struct.pack("!H", 0x0800) + ip


def main(out):
    os.makedirs(out, exist_ok=True)
    # one stream, two messages, cut in three: sent 1 3 2 2
    s = INVITE + RINGING
    cut = [0, 100, len(INVITE) + 10, len(s)]
    seg = [tcp(5060, 5060, 7 + cut[i], s[cut[i]:cut[i + 1]])
           for i in range(3)]
    pcap(os.path.join(out, "tcp-split.pcap"), 1,
         [eth(ipv4(A4, B4, 6, tcp(5060, 5060, 6, b"", 0x02)))] +
         [eth(ipv4(A4, B4, 6, seg[i])) for i in (0, 2, 1, 1)])
    # a datagram in two fragments, the second first (raw IP)
    d = udp(5060, 5060, INVITE.replace(b"TCP", b"UDP"))
    pcap(os.path.join(out, "udp-fragments.pcap"), 101,
         [ipv4(A4, B4, 17, d[104:], 9, 104),
          ipv4(A4, B4, 17, d[:104], 9, 0, True)])
    # IPv6 over Linux cooked capture, a SIP message and an RTP packet
    rtp = struct.pack("!BBHII", 0x80, 0, 1, 160, 0x1234) + b"\xff" * 160
    sll = struct.pack("!HHH8sH", 0, 1, 6, b"\x02" * 8, 0x86dd)
    pcap(os.path.join(out, "ipv6-sll.pcap"), 113,
         [sll + ipv6(B6, A6, 17, udp(5060, 5060,
                                     RINGING.replace(b"TCP", b"UDP"))),
          sll + ipv6(A6, B6, 17, udp(4000, 4002, rtp))])
    # a VLAN-tagged Ethernet frame, and BSD loopback
    pcap(os.path.join(out, "vlan.pcap"), 1,
         [eth(ipv4(A4, B4, 17, udp(5060, 5060, RINGING)), True)])
    # two participants, and a message from one of them to itself
    pcap(os.path.join(out, "to-itself.pcap"), 101,
         [ipv4(A4, B4, 17, udp(5060, 5060, INVITE)),
          ipv4(A4, A4, 17, udp(5060, 5060, INVITE))])
    pcap(os.path.join(out, "null-loop.pcap"), 0,
         [struct.pack("<I", 2) + ipv4(A4, B4, 17,
                                      udp(5060, 5060, INVITE))])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus/pcap")
