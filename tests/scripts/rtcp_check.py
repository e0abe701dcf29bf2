#!/usr/bin/env python3
"""tests/scripts/rtcp_check.py — a run's RTCP as tshark decodes it, held
against the run's own media figures (the console's media notes).

usage: rtcp_check.py PCAP CONSOLE-LOG

Checks, printing "ok ..." or "MISMATCH ..." per figure, exit 1 on any
mismatch:
- every SR's RTP timestamp is the sender's RTP clock at that moment,
  within two 20 ms frames. The clock is read off the stream's packets of
  the second before the SR: each one's timestamp minus its capture time
  at 8 kHz, the largest of these (the packet that left with the least
  delay from the loop). libre dates its SR from when one packet left, in
  whole ms, so a loaded machine (ASan, 2 cores) puts it some ms behind
  (a phone with rtcp-interval: dates its own SRs the way this check
  does); without rtcp_set_srate it is 0, at a wrong rate seconds off;
- each "X's RTCP on Y's audio (SSRC s): fraction lost f %, cumulative
  lost n, jitter j ms" equals, all three at once, a report block about s
  in the pcap (fraction over 256, jitter in 8 kHz timestamp units): the
  run reads them when its media step ends, and with reports every
  500 ms a later one may go before the hangup, so it need not be the
  last;
- each "RTT r ms" is within 5 ms of one of tshark's round trips of an
  answered report (tshark and libre both count whole ms).
Prints "srs SSRC N" (its SRs), "gaps SSRC MIN MAX" (seconds between
them) and "blocks SSRC fraction cum jitter" of each SSRC's last block."""
import re
import subprocess
import sys

TOL_TS = 320     # two 20 ms frames at 8 kHz
TOL_RTT = 5.0    # ms: both count whole ms; a loaded loop adds some


def tshark(pcap, flt, *fields, prefs=()):
    cmd = ["tshark", "-r", pcap, "-Y", flt, "-T", "fields",
           "-E", "occurrence=f"]
    for p in prefs:
        cmd += ["-o", p]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True,
                         check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def main():
    pcap, log = sys.argv[1], sys.argv[2]
    bad = 0

    rtp = {}
    for t, ssrc, ts in tshark(pcap, "rtp", "frame.time_relative",
                              "rtp.ssrc", "rtp.timestamp"):
        rtp.setdefault(int(ssrc, 16), []).append((float(t), int(ts)))

    srs = tshark(pcap, "rtcp.pt == 200", "frame.time_relative",
                 "rtcp.senderssrc", "rtcp.timestamp.rtp")
    per, when = {}, {}
    for t, ssrc, ts in srs:
        t, ssrc, ts = float(t), int(ssrc, 16), int(ts)
        per[ssrc] = per.get(ssrc, 0) + 1
        when.setdefault(ssrc, []).append(t)
        before = [p for p in rtp.get(ssrc, []) if t - 1.0 <= p[0] <= t]
        if not before:
            print(f"MISMATCH SR of 0x{ssrc:08x} at {t:.3f} s: no RTP "
                  "of its SSRC in the second before it")
            bad += 1
            continue
        # each packet's clock at t, unwrapped around the last one's
        last = before[-1][1]
        clocks = [last + ((ts0 - last + 2**31) % 2**32 - 2**31) +
                  round((t - t0) * 8000) for t0, ts0 in before]
        want = max(clocks) % 2**32
        diff = (ts - want + 2**31) % 2**32 - 2**31
        if abs(diff) > TOL_TS:
            print(f"MISMATCH SR of 0x{ssrc:08x} at {t:.3f} s: RTP "
                  f"timestamp {ts}, the stream's clock is at {want}")
            bad += 1
        else:
            print(f"ok   SR of 0x{ssrc:08x} at {t:.3f} s: RTP "
                  f"timestamp {ts} ({diff:+d} from the stream's clock)")
    for ssrc, n in per.items():
        print(f"srs 0x{ssrc:08x} {n}")
        gaps = [b - a for a, b in zip(when[ssrc], when[ssrc][1:])]
        if gaps:
            print(f"gaps 0x{ssrc:08x} {min(gaps):.3f} {max(gaps):.3f}")

    last, every, rtts = {}, {}, []
    for t, ssrc, frac, cum, jit, rt in tshark(
            pcap, "rtcp.pt == 200 or rtcp.pt == 201",
            "frame.time_relative", "rtcp.ssrc.identifier",
            "rtcp.ssrc.fraction", "rtcp.ssrc.cum_nr", "rtcp.ssrc.jitter",
            "rtcp.roundtrip-delay",
            prefs=("rtcp.show_roundtrip_calculation:TRUE",
                   "rtcp.roundtrip_min_threshhold:0")):
        if frac != "":
            blk = (int(frac), int(cum), int(jit))
            last[int(ssrc, 16)] = blk
            every.setdefault(int(ssrc, 16), []).append(blk)
        if rt != "":
            rtts.append(float(rt))
    for ssrc, (frac, cum, jit) in last.items():
        print(f"blocks 0x{ssrc:08x} {frac} {cum} {jit}")

    pat = re.compile(r"RTT ([0-9.]+) ms, \S+'s RTCP on \S+'s audio \(SSRC "
                     r"0x([0-9a-f]{8})\): fraction lost ([0-9.]+) %, "
                     r"cumulative lost (-?[0-9]+), jitter ([0-9.]+) ms")
    seen = 0
    for line in open(log, encoding="utf-8"):
        m = pat.search(line)
        if not m:
            continue
        seen += 1
        r, ssrc = float(m.group(1)), int(m.group(2), 16)
        f, n, j = float(m.group(3)), int(m.group(4)), float(m.group(5))
        blocks = every.get(ssrc)
        if not blocks:
            print(f"MISMATCH 0x{ssrc:08x}: the report names a block "
                  "tshark never saw")
            bad += 1
            continue
        # the run prints %.1f and %.2f (libre's printf truncates)
        same = [i for i, (frac, cum, jit) in enumerate(blocks)
                if abs(f - 100.0 * frac / 256) <= 0.1001 and n == cum and
                abs(j - jit / 8.0) <= 0.0101]
        if not same:
            frac, cum, jit = blocks[-1]
            print(f"MISMATCH 0x{ssrc:08x}: report {f} % {n} {j} ms, "
                  f"no block of {len(blocks)} says so (the last: "
                  f"tshark {frac}/256 {cum} {jit}/8000 s)")
            bad += 1
        else:
            print(f"ok   0x{ssrc:08x}: fraction {f} %, cumulative {n}, "
                  f"jitter {j} ms as tshark decodes block "
                  f"{same[-1] + 1} of {len(blocks)}")
        near = [x for x in rtts if abs(r - x) <= TOL_RTT]
        if not near:
            print(f"MISMATCH RTT: report {r} ms, tshark "
                  f"{rtts[-1] if rtts else None}")
            bad += 1
        else:
            print(f"ok   RTT {r} ms, tshark {near[-1]} ms")
    if not seen:
        print("MISMATCH no media note with RTCP figures in the log")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
