#!/usr/bin/env python3
# tests/scripts/pcap_edit.py — edit the SIP messages of a capture of raw
# IP/UDP frames (as sipflow writes them: pcapng, or classic pcap), lengths
# fixed up, so that diff.sh can make one capture differ from another in one
# chosen way; the edited copy is classic pcap (comments are not kept)
# usage: pcap_edit.py IN OUT EDIT...
#   sub MATCH OLD NEW   in the first message containing MATCH (a regex),
#                       replace the regex OLD with NEW (once; \1 allowed)
#   suball OLD NEW      replace the regex OLD with NEW in every message
#   drop MATCH          leave out the first message containing MATCH
# exits 1 when an edit found nothing to edit
import re
import struct
import sys


def frames(data):
    off = 24
    while off + 16 <= len(data):
        ts1, ts2, incl, orig = struct.unpack_from('<IIII', data, off)
        yield data[off:off + 16], data[off + 16:off + 16 + incl]
        off += 16 + incl


def classic(data):
    """a pcapng file (one interface, little-endian, microseconds, as
    sipflow writes it) as a classic pcap: header and records"""
    if data[:4] != b'\x0a\x0d\x0d\x0a':
        return data
    out, off, link, snap = [], 0, None, 65535
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        if blen < 12:
            sys.exit('pcap_edit: a pcapng block of length %d' % blen)
        if btype == 1:                       # interface description
            link, _, snap = struct.unpack_from('<HHI', data, off + 8)
        elif btype == 6:                     # enhanced packet
            _, hi, lo, incl, orig = struct.unpack_from('<IIIII', data,
                                                       off + 8)
            ts = (hi << 32) | lo
            out.append(struct.pack('<IIII', ts // 1000000, ts % 1000000,
                                   incl, orig))
            out.append(data[off + 28:off + 28 + incl])
        off += blen
    if link is None:
        sys.exit('pcap_edit: a pcapng file without an interface')
    return struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snap,
                       link) + b''.join(out)


def split(pkt):
    """(IP header, UDP header, payload) or None"""
    ver = pkt[0] >> 4
    if ver == 4:
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != 17:
            return None
        return pkt[:ihl], pkt[ihl:ihl + 8], pkt[ihl + 8:]
    if ver == 6 and pkt[6] == 17:
        return pkt[:40], pkt[40:48], pkt[48:]
    return None


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def join(ip, udp, payload):
    ip, udp = bytearray(ip), bytearray(udp)
    struct.pack_into('!HH', udp, 4, 8 + len(payload), 0)
    if ip[0] >> 4 == 4:
        struct.pack_into('!H', ip, 2, len(ip) + 8 + len(payload))
        struct.pack_into('!H', ip, 10, 0)
        struct.pack_into('!H', ip, 10, csum(bytes(ip)))
    else:
        struct.pack_into('!H', ip, 4, 8 + len(payload))
    return bytes(ip) + bytes(udp) + payload


def main():
    src, dst, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = classic(open(src, 'rb').read())
    msgs = list(frames(data))
    edits = []
    while args:
        op = args.pop(0)
        n = {'sub': 3, 'suball': 2, 'drop': 1}[op]
        edits.append([op] + [a.encode() for a in args[:n]] + [0])
        args = args[n:]

    out = [data[:24]]
    for hdr, pkt in msgs:
        parts = split(pkt)
        keep = True
        if parts:
            ip, udp, pay = parts
            for e in edits:
                if e[0] == 'suball':
                    pay, k = re.subn(e[1], e[2], pay)
                    e[-1] += k
                elif e[-1] == 0 and re.search(e[1], pay):
                    if e[0] == 'drop':
                        keep = False
                    else:
                        pay, k = re.subn(e[2], e[3], pay, count=1)
                    e[-1] += 1 if e[0] == 'drop' else k
            pkt = join(ip, udp, pay)
        if keep:
            ts1, ts2, _, _ = struct.unpack('<IIII', hdr)
            out.append(struct.pack('<IIII', ts1, ts2, len(pkt), len(pkt)))
            out.append(pkt)
    open(dst, 'wb').write(b''.join(out))
    missed = [e[0] + ' ' + e[1].decode() for e in edits if not e[-1]]
    if missed:
        sys.stderr.write('pcap_edit: nothing to edit: %s\n' % missed)
        sys.exit(1)


if __name__ == "__main__":
    main()
