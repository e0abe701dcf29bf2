#!/usr/bin/env python3
"""Check the DOM Chromium rendered from report.html: one arrow per
message of each scenario (plus a dashed one per failed step without a
message), and red arrows exactly for the failed steps.
usage: check_html.py REPORT.JSON DOM [FAILING-STEP]"""
import json
import re
import sys

rep = json.load(open(sys.argv[1]))
dom = open(sys.argv[2]).read()
failing = sys.argv[3] if len(sys.argv) > 3 else None
problems = []

arrows = re.findall(r'<g class="(arrow[^"]*)" data-step="([^"]*)"', dom)
want = 0
for sc in rep["scenarios"]:
    want += len(sc["messages"])
    want += sum(1 for s in sc["steps"] if s["type"] == "message"
                and s["status"] == "fail" and not s["frame"])
if len(arrows) != want:
    problems.append(f"{len(arrows)} arrows, want {want}")
red = sorted({step for cls, step in arrows if " fail" in cls})
if failing:
    if red != [failing]:
        problems.append(f"red arrows for {red}, want [{failing}]")
elif red:
    problems.append(f"red arrows in a passing run: {red}")
if "<svg" not in dom:
    problems.append("no svg drawn (did the script run?)")

for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
