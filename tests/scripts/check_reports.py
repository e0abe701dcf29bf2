#!/usr/bin/env python3
"""Check report.json against the schema in docs/reports.md and junit.xml
against the structure JUnit parsers (Jenkins, GitLab, GitHub) read.
usage: check_reports.py OUTDIR pass|fail NSCENARIOS [JUNIT]"""
import base64
import binascii
import json
import sys
import xml.etree.ElementTree as ET

out, want, nscn = sys.argv[1], sys.argv[2], int(sys.argv[3])
junit = sys.argv[4] if len(sys.argv) > 4 else out + "/junit.xml"
problems = []
NUM = (int, float)


def need(cond, what):
    if not cond:
        problems.append(what)


def typed(obj, key, types, where):
    need(key in obj, f"{where}: no '{key}'")
    if key in obj:
        need(isinstance(obj[key], types),
             f"{where}.{key}: {type(obj[key]).__name__}")


rep = json.load(open(out + "/report.json"))
for k, t in [("tool", str), ("schema", int), ("started", str),
             ("duration_ms", int), ("interrupted", bool),
             ("totals", dict), ("scenarios", list)]:
    typed(rep, k, t, "report")
need(rep.get("schema") == 1, "schema is not 1")
tot = rep["totals"]
need(tot["scenarios"] == nscn, f"totals.scenarios {tot['scenarios']}")
need(len(rep["scenarios"]) == nscn, "scenario count")
typed(tot, "refused", int, "totals")
typed(tot, "skipped", int, "totals")
need(tot["passed"] + tot["failed"] + tot["skipped"] + tot["not_run"] +
     tot.get("refused", 0) == tot["scenarios"], "totals do not add up")
need(tot["skipped"] == sum(1 for s in rep["scenarios"] if s["result"] == "skip"),
     "totals.skipped")
need(tot.get("refused") == 0, "a scenario was refused")

STATUS = {"pass", "fail", "skip", "notrun"}
for sc in rep["scenarios"]:
    w = "scenario " + str(sc.get("name"))
    if sc.get("result") == "skip":
        # not played (requires: not met): why, and nothing of a run
        typed(sc, "skip_reason", str, w)
        need(sc.get("pcap") is None and not sc["steps"] and
             not sc["messages"], f"{w}: a skipped scenario with a run")
        continue
    for k, t in [("name", str), ("file", str), ("result", str),
                 ("duration_ms", int), ("pcap", str), ("passed", int),
                 ("failed", int), ("skipped", int), ("not_run", int),
                 ("tags", list), ("roles", list), ("steps", list),
                 ("messages", list)]:
        typed(sc, k, t, w)
    need(sc["result"] == want, f"{w}: result {sc['result']}")
    # waits and groups only pace the others; every other step is a check
    msgsteps = [s for s in sc["steps"] if s["type"] in ("message", "do", "media")]
    counts = {s: sum(1 for x in msgsteps if x["status"] == s)
              for s in STATUS}
    need(counts["pass"] == sc["passed"], f"{w}: passed count")
    need(counts["fail"] == sc["failed"], f"{w}: failed count")
    need(counts["notrun"] == sc["not_run"], f"{w}: not_run count")
    frames = {m["frame"] for m in sc["messages"]}
    for s in sc["steps"]:
        for k in ("id", "type", "what", "status"):
            typed(s, k, str, f"{w} step")
        need(s["status"] in STATUS, f"{w} {s['id']}: status {s['status']}")
        need(s["type"] in ("message", "wait", "group", "do", "media"), f"{w}: type")
        if s["status"] == "fail":
            need(bool(s["reason"]), f"{w} {s['id']}: failure without reason")
        if s["type"] == "media" and s["status"] in ("pass", "fail"):
            # what it measured, per direction (docs/reports.md)
            typed(s, "media", list, f"{w} {s['id']}")
            need(1 <= len(s.get("media") or []) <= 2,
                 f"{w} {s['id']}: media figures for 1 or 2 directions")
            for f in s.get("media") or []:
                mw = f"{w} {s['id']} media"
                for k, t in [("to", str), ("measured", bool),
                             ("start_ms", int), ("end_ms", int)]:
                    typed(f, k, t, mw)
                if f["measured"]:
                    for k, t in [("packets", int), ("expected", int),
                                 ("lost", int), ("loss_pct", NUM),
                                 ("jitter_ms", NUM), ("level_dbov", NUM),
                                 ("mos", NUM), ("audio", bool),
                                 ("tone_share", NUM), ("heard_share", NUM)]:
                        typed(f, k, t, mw)
                    for k in ("tone_hz", "heard_hz"):
                        need(f.get(k) is None or isinstance(f[k], int),
                             f"{mw}: {k}")
                    need(f["audio"] or f["heard_hz"] is None,
                         f"{mw}: a frequency heard in silence")
    for f in sc.get("findings", []):
        for k, t in [("rule", str), ("rfc", str), ("severity", str),
                     ("text", str), ("frame", int)]:
            typed(f, k, t, f"{w} finding")
        need(f["severity"] in ("error", "warning"), f"{w}: finding severity")
        if s["type"] == "message" and s["status"] == "pass":
            # absent: passes because no message came: no frame
            if s.get("absent"):
                need(s["frame"] == 0, f"{w} {s['id']}: absent step with a frame")
            else:
                need(s["frame"] in frames, f"{w} {s['id']}: frame not a message")
    for m in sc["messages"]:
        for k in ("from", "to", "line", "text"):
            typed(m, k, str, f"{w} message")
        need(m["text"].startswith(m["line"]), f"{w}: text/line")
        if "text_base64" in m:
            # the exact bytes, given only when text could not hold them
            typed(m, "text_base64", str, f"{w} message")
            try:
                raw = base64.b64decode(m["text_base64"], validate=True)
            except (binascii.Error, TypeError):
                raw = None
            need(raw is not None and raw.decode("utf-8", "replace")
                 .replace("\0", "\u2400") == m["text"],
                 f"{w} frame {m['frame']}: text_base64 is not its text")
    need([m["frame"] for m in sc["messages"]] ==
         sorted(m["frame"] for m in sc["messages"]), f"{w}: frame order")
    # SRTP keys (docs/srtp.md): exchanges of frames that exist, a note
    for ex in sc.get("srtp", []):
        need(ex["offer_frame"] in frames and ex["answer_frame"] in frames,
             f"{w}: srtp frames")
        need(len(ex["streams"]) == 2 and all(
            st["key"].startswith("inline:") for st in ex["streams"]),
            f"{w}: srtp streams")
    need(("srtp" in sc) == ("srtp_note" in sc), f"{w}: srtp note")
    if want == "fail":
        need(counts["fail"] >= 1, f"{w}: no failing step")

root = ET.parse(junit).getroot()
need(root.tag == "testsuites", "junit root is not <testsuites>")
suites = root.findall("testsuite")
need(len(suites) == nscn, f"junit: {len(suites)} testsuites")
total = fails = 0
for ts, sc in zip(suites, rep["scenarios"]):
    need(ts.get("name") == sc["name"], "junit: suite name")
    cases = ts.findall("testcase")
    if sc["result"] == "skip":
        sk = [c.find("skipped") for c in cases]
        need(len(cases) == 1 and sk[0] is not None and
             sk[0].get("message") == sc["skip_reason"],
             "junit: a skipped scenario is one <skipped> test case with its reason")
        total += len(cases)
        continue
    for a in ("tests", "failures", "errors", "skipped", "time"):
        need(ts.get(a) is not None, f"junit: testsuite without {a}")
    need(int(ts.get("tests")) == len(cases), "junit: tests != testcases")
    f = [c for c in cases if c.find("failure") is not None]
    need(int(ts.get("failures")) == len(f), "junit: failures count")
    need(len(f) == sc["failed"], "junit: failures vs report.json")
    for c in cases:
        need(c.get("classname") and c.get("name") and
             c.get("time") is not None, "junit: testcase attributes")
        float(c.get("time"))
    for c in f:
        need(bool(c.find("failure").get("message")), "junit: failure message")
    total += len(cases)
    fails += len(f)
need(int(root.get("tests")) == total, "junit: root tests")
need(int(root.get("failures")) == fails, "junit: root failures")

for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
