#!/usr/bin/env python3
"""tests/scripts/check_escape.py — what a peer sent reaches no reader raw:
report.json is JSON in strict UTF-8 and holds the whole message (past
its NUL bytes; the exact bytes in text_base64), report.html is strict
UTF-8 with no markup of the peer's, junit.xml is well-formed XML, and
the console holds no ESC, CR or NUL byte (it shows them escaped).
Prints an ok/FAIL line per check; exits 1 if one failed.
usage: check_escape.py OUTDIR CONSOLE.txt
       check_escape.py --term FILE   (only what a terminal gets: FILE)"""
import base64
import json
import sys
import xml.etree.ElementTree as ET

failed = False


def check(name, cond):
    global failed
    print(("ok   " if cond else "FAIL ") + name)
    failed |= not cond


def read(path):
    with open(path, "rb") as f:
        return f.read()


def strict(raw):
    try:
        return raw.decode("utf-8", "strict")
    except UnicodeDecodeError as e:
        print("     " + str(e))
        return None


def hostile(doc):
    """the peer's 486 in report.json, or None"""
    for s in doc.get("scenarios", []):
        for m in s.get("messages", []):
            if m.get("line", "").startswith("SIP/2.0 486"):
                return m
    return None


def term(path, what, shown=b"\\x1b"):
    """what a terminal gets: no ESC, CR or NUL, strict UTF-8, the peer's
    control byte shown escaped (shown; None: it need not show)"""
    con = read(path)
    check(what + " has no ESC, CR or NUL byte",
          not any(c in con for c in (b"\x1b", b"\r", b"\x00")))
    check(what + " is strict UTF-8", strict(con) is not None)
    if shown:
        check(what + " shows the control byte escaped", shown in con)


if sys.argv[1] == "--term":
    term(sys.argv[2], sys.argv[2],
         sys.argv[3].encode() if len(sys.argv) > 3 else b"\\x1b")
    sys.exit(1 if failed else 0)
out, console = sys.argv[1], sys.argv[2]

text = strict(read(out + "/report.json"))
check("report.json is strict UTF-8", text is not None)
doc = None
try:
    doc = json.loads(text) if text is not None else None
except ValueError as e:
    print("     " + str(e))
check("report.json parses as JSON", doc is not None)
m = hostile(doc) if doc else None
check("report.json holds the peer's 486", m is not None)
if m:
    check("its text goes on past the NUL bytes, to the end of the body",
          "after-nul" in m["text"] and "past the nul" in m["text"] and
          "<b>bold</b>" in m["text"])
    check("its start line goes on past the NUL", "after-nul" in m["line"])
    raw = base64.b64decode(m.get("text_base64", ""))
    check("text_base64 holds the exact bytes",
          b"\x00after-nul" in raw and b"\xff\xfe\xc0\xaf" in raw and
          raw.endswith(b"<b>bold</b>\r\n"))

html = strict(read(out + "/report.html"))
check("report.html is strict UTF-8", html is not None)
if html is not None:
    check("report.html has none of the peer's markup raw",
          "<script>alert" not in html and "<b>bold" not in html)

try:
    ET.parse(out + "/junit.xml")
    ok = True
except ET.ParseError as e:
    print("     " + str(e))
    ok = False
check("junit.xml is well-formed XML", ok)

# the run fails F2 as malformed, naming the ESC by its column; it quotes
# none of the peer's control bytes (escape.sh checks its c1 run's)
term(console, "the console", None)
sys.exit(1 if failed else 0)
