#!/usr/bin/env python3
"""Check the DOM Chromium rendered from report.html against report.json
(read here, not by the page): the summary's counts and its table (one row
per scenario, failures first); per scenario one ladder row per message
and one dashed one per failed message step without a message; every
failed step drawn red (its own message, the unexpected message it got
instead, or its media band) and nothing red that passed; each media
step's figures drawn per direction; each rule finding marked ⚠ on its
message.
usage: check_html.py REPORT.JSON DOM [FAILING-STEP]
         [--lanes SCN=A,P,B]     the lanes, left to right
         [--click SCN:FRAME]     the pane shows that message
         [--unexpected SCN:STEP] STEP's row is the red message it got,
                                 named, with what it expected
         [--heard SCN:STEP:HZ]   STEP's red band names HZ heard (±3)
         [--says SCN:STEP:TEXT]  STEP has a red row that says TEXT
         [--capture]             a capture's ladder: no verdicts claimed
"""
import argparse
import json
import re
import sys
from html.parser import HTMLParser

RED = "#c62828"
VOID = {"meta", "input", "br", "img", "link", "hr", "col", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.kids, self.text = [], ""

    def cls(self):
        return self.attrs.get("class", "").split()

    def all(self):
        yield self
        for k in self.kids:
            yield from k.all()

    def find(self, tag=None, cls=None, **attrs):
        for n in self.all():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.cls():
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v
                   for k, v in attrs.items()):
                continue
            yield n

    def words(self):
        return "".join(n.text for n in self.all())


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        t = Node("#text", {}, self.cur)
        t.text = data
        self.cur.kids.append(t)


ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("dom")
ap.add_argument("failing", nargs="?")
ap.add_argument("--lanes", action="append", default=[])
ap.add_argument("--click")
ap.add_argument("--unexpected", action="append", default=[])
ap.add_argument("--heard", action="append", default=[])
ap.add_argument("--says", action="append", default=[])
ap.add_argument("--capture", action="store_true")
a = ap.parse_args()

rep = json.load(open(a.report))
tree = Tree()
tree.feed(open(a.dom, encoding="utf-8").read())
root = tree.root
problems = []


def bad(msg):
    problems.append(msg)


def section(name):
    return next(root.find("section", id="scn-" + name), None)


def strokes(g):
    return {n.attrs.get("stroke") for n in g.all()
            if n.tag in ("line", "path", "rect") and "stroke" in n.attrs}


def is_red(g):
    return RED in strokes(g) or any(
        n.attrs.get("fill") == RED for n in g.find("text"))


body = next(root.find("body"), None)
if body is None or body.attrs.get("data-drawn") != "yes":
    bad("the page's script did not finish (no data-drawn on <body>)")
if not list(root.find("svg")):
    bad("no svg drawn")

# --- the summary --------------------------------------------------------
t = rep["totals"]
if a.capture:
    if not list(root.find(id="n-captures")):
        bad("a capture's page does not say it is a capture")
    for k in ("n-passed", "n-failed"):
        if list(root.find(id=k)):
            bad(f"a capture's page claims verdicts ({k})")
else:
    for key in ("scenarios", "passed", "failed"):
        n = next(root.find(id="n-" + key), None)
        got = n and re.match(r"\s*(\d+)", n.words())
        if not got or int(got.group(1)) != t[key]:
            bad(f"summary {key}: {n and n.words()!r}, report.json says "
                f"{t[key]}")
rows = [n for n in root.find("tr") if "data-name" in n.attrs]
if len(rows) != len(rep["scenarios"]):
    bad(f"summary table: {len(rows)} rows, {len(rep['scenarios'])} "
        "scenarios")
results = ["fail" in r.cls() for r in rows]
if results != sorted(results, reverse=True):
    bad("summary table: a failed scenario below one that did not fail")
for r in rows:
    link = next(r.find("a"), None)
    if not link or link.attrs.get("href") != "#scn-" + r.attrs["data-name"]:
        bad(f"summary row {r.attrs['data-name']}: no link to its ladder")
if not list(root.find("input", id="filter")):
    bad("no filter box")

# --- each ladder --------------------------------------------------------
red_steps = set()
for sc in rep["scenarios"]:
    if sc["result"] == "skip":
        continue
    sec = section(sc["name"])
    if sec is None:
        bad(f"{sc['name']}: no section")
        continue
    g = [n for n in sec.find("g", cls="row")]
    msgs = [n for n in g if n.attrs.get("data-kind") == "msg"]
    if len(msgs) != len(sc["messages"]):
        bad(f"{sc['name']}: {len(msgs)} message arrows, "
            f"{len(sc['messages'])} messages")
    for m, n in zip(sc["messages"], msgs):
        if n.attrs.get("data-frame") != str(m["frame"]):
            bad(f"{sc['name']}: arrow of frame {n.attrs.get('data-frame')}"
                f" where frame {m['frame']} is")
        if not any(x.tag == "text" and x.words().strip()
                   for x in n.all()):
            bad(f"{sc['name']}: frame {m['frame']} unlabelled")
    pcap = next(sec.find("a", cls="pcap"), None)
    if sc.get("pcap") and (pcap is None or not pcap.attrs.get("href")):
        bad(f"{sc['name']}: the pcap is not linked")
    for f in sc.get("findings", []):
        if f["frame"] and not any("finding" in n.cls() and
                                  n.attrs.get("data-frame") == str(f["frame"])
                                  and "⚠" in n.words() for n in msgs):
            bad(f"{sc['name']}: finding {f['rule']} not marked on frame "
                f"{f['frame']}")
    steps = {s["id"]: s for s in sc["steps"]}
    missing = [s for s in sc["steps"] if s["type"] == "message"
               and s["status"] == "fail" and not s["frame"]]
    n_missing = [n for n in g if n.attrs.get("data-kind") == "missing"]
    if len(n_missing) != len(missing):
        bad(f"{sc['name']}: {len(n_missing)} missing-message arrows, "
            f"{len(missing)} failed steps without a message")
    for n in g:
        sid = n.attrs.get("data-step")
        if is_red(n):
            red_steps.add(sid)
            if sid not in steps or steps[sid]["status"] != "fail":
                bad(f"{sc['name']}: a red row for {sid!r}, which did "
                    "not fail")
        if n.attrs.get("data-kind") == "do" and "null" in n.words():
            bad(f"{sc['name']}: do: row {sid} says null")
    for s in sc["steps"]:
        if s["status"] != "fail" or s["type"] not in ("message", "media",
                                                      "do"):
            continue
        if not any(is_red(n) for n in g if n.attrs.get("data-step") ==
                   s["id"]):
            bad(f"{sc['name']}: failed step {s['id']} has no red row")
    for s in sc["steps"]:
        if s["type"] != "media" or s["status"] == "notrun":
            continue
        bands = [n for n in g if n.attrs.get("data-kind") == "media"
                 and n.attrs.get("data-step") == s["id"]]
        if len(bands) != max(1, len(s.get("media", []))):
            bad(f"{sc['name']}: {s['id']}: {len(bands)} media rows, "
                f"{len(s.get('media', []))} directions measured")
        for f, n in zip(s.get("media", []), bands):
            if f["measured"] and f"{f['packets']} pkts" not in n.words():
                bad(f"{sc['name']}: {s['id']}: the band does not show "
                    f"{f['packets']} packets: {n.words()!r}")

if a.failing and a.failing not in red_steps:
    bad(f"red rows for {sorted(x for x in red_steps if x)}, want "
        f"{a.failing} among them")
if red_steps and rep["totals"]["failed"] == 0:
    bad(f"red rows in a passing run: {sorted(red_steps)}")

for spec in a.lanes:
    name, want = spec.split("=")
    sec = section(name)
    lanes = sorted(((float(n.attrs["x1"]), n.attrs["data-role"])
                    for n in (sec.find("line", cls="lane") if sec else [])))
    got = [r for _, r in lanes]
    if got != want.split(","):
        bad(f"{name}: lanes {got}, want {want.split(',')}")

for spec in a.unexpected:
    name, sid = spec.split(":")
    sc = next(s for s in rep["scenarios"] if s["name"] == name)
    st = next(s for s in sc["steps"] if s["id"] == sid)
    m = next(m for m in sc["messages"] if m["frame"] == st["frame"])
    line = re.sub(r"^SIP/2\.0 |\s*SIP/2\.0$", "", m["line"])
    sec = section(name)
    g = [n for n in sec.find("g", cls="unexpected")] if sec else []
    if len(g) != 1:
        bad(f"{name}: {len(g)} unexpected-message rows, want 1")
        continue
    w = g[0].words()
    if not is_red(g[0]) or g[0].attrs.get("data-frame") != str(m["frame"]):
        bad(f"{name}: the unexpected message (frame {m['frame']}) is not "
            "drawn red at its frame")
    if line not in w or st["what"] not in w or sid not in w:
        bad(f"{name}: the unexpected row says {w!r}: want {sid}, what it "
            f"got ({line}) and what it expected ({st['what']})")

for spec in a.heard:
    name, sid, hz = spec.split(":")
    sec = section(name)
    g = [n for n in (sec.find("g", cls="row") if sec else [])
         if n.attrs.get("data-step") == sid and is_red(n)]
    heard = [int(x) for n in g for x in
             re.findall(r"heard (\d+) Hz", n.words())]
    if not heard or abs(heard[0] - int(hz)) > 3:
        bad(f"{name}: {sid}: red band says {[n.words() for n in g]!r}, "
            f"want heard {hz} Hz")

for spec in a.says:
    name, sid, text = spec.split(":", 2)
    sec = section(name)
    g = [n.words() for n in (sec.find("g", cls="row") if sec else [])
         if n.attrs.get("data-step") == sid and is_red(n)]
    if not any(text in w for w in g):
        bad(f"{name}: {sid}: red rows say {g!r}, want {text!r}")

if a.click:
    name, frame = a.click.rsplit(":", 1)
    sc = next(s for s in rep["scenarios"] if s["name"] == name)
    m = next(m for m in sc["messages"] if str(m["frame"]) == frame)
    sec = section(name)
    pre = next(sec.find("pre", cls="msg"), None) if sec else None
    flow = pre and pre.parent and pre.parent.parent
    if pre is None or pre.parent.attrs.get("data-frame") != frame or \
            m["text"].split("\r\n")[0] not in pre.words():
        bad(f"{name}: the pane does not show frame {frame} "
            f"({m['line']!r})")
    elif "flow" not in flow.cls() or not list(flow.find(cls="ladder-box")):
        bad(f"{name}: the pane is not beside the ladder")

for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
