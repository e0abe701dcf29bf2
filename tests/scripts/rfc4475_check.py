#!/usr/bin/env python3
"""tests/scripts/rfc4475_check.py — each scenario of scenarios/rfc4475/
sends its RFC 4475 message byte for byte: its raw: text, with each vars:
host put back as the RFC has it (the comment after the var says which),
line ends made CRLF and <hex>…</hex> decoded (RFC 4475 §2.2), has the
SHA-256 its first line records (that of the message in the RFC's base64
appendix). Also: every section of RFC 4475 §3 has its message, and every
scenario cites its section, requires a device that offers robustness and
ends with the alive block.
usage: rfc4475_check.py DIR   (prints "ok"/"FAIL" lines, exit 1 on any)"""
import glob
import hashlib
import os
import re
import sys

import yaml

# RFC 4475 §3: 13 + 19 valid and invalid messages, 1 transaction-layer,
# 15 application-layer, 1 backward compatibility
SECTIONS = (["3.1.1.%d" % i for i in range(1, 14)] +
            ["3.1.2.%d" % i for i in range(1, 20)] + ["3.2.1"] +
            ["3.3.%d" % i for i in range(1, 16)] + ["3.4.1"])


def wire(raw, originals):
    text = re.sub(r"\$\{([a-z0-9]+)\}", lambda m: originals[m.group(1)],
                  raw)
    text = text.replace("\n", "\r\n")
    out = bytearray()
    pos = 0
    for m in re.finditer(r"<hex>([0-9A-Fa-f]*)</hex>", text):
        out += text[pos:m.start()].encode("utf-8")
        out += bytes.fromhex(m.group(1))
        pos = m.end()
    out += text[pos:].encode("utf-8")
    return bytes(out)


def main(d):
    bad = 0
    seen = {}
    files = sorted(glob.glob(os.path.join(d, "*.yaml")))
    for f in files:
        name = os.path.basename(f)
        src = open(f, encoding="utf-8").read()
        doc = yaml.safe_load(src)
        first = src.split("\n", 1)[0]
        m = re.search(r"§([\d.]+) .*sha256 ([0-9a-f]{64})", first)
        originals = dict(re.findall(
            r'^  ([a-z0-9]+): "[^"]*"  # [^;]*; RFC 4475: (\S+)$', src,
            re.M))
        raw = doc["steps"][0]
        raw = raw.get("raw")
        problems = []
        if not m:
            problems.append("no '§section … sha256' on the first line")
        elif hashlib.sha256(wire(raw, originals)).hexdigest() != m.group(2):
            problems.append("the message is not the RFC's, byte for byte")
        if m:
            seen[m.group(1)] = name
            if doc.get("source") != "RFC 4475 §" + m.group(1):
                problems.append("source: does not cite its section")
        if doc.get("requires") != {"D": ["robustness"]}:
            problems.append("does not require D: [robustness]")
        last = doc["steps"][-1]
        if last.get("include") != "../blocks/alive.yaml":
            problems.append("does not end with the alive block")
        if set(originals) != set(doc.get("vars") or {}):
            problems.append("a vars: entry without its RFC host")
        print(("FAIL " if problems else "ok   ") + name +
              (": " + "; ".join(problems) if problems else ""))
        bad |= bool(problems)
    missing = [s for s in SECTIONS if s not in seen]
    print(("FAIL " if missing else "ok   ") +
          "every RFC 4475 §3 message has its scenario (%d of %d)%s" %
          (len(SECTIONS) - len(missing), len(SECTIONS),
           ": missing " + ", ".join(missing) if missing else ""))
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
