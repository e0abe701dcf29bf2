#!/usr/bin/env python3
"""tests/scripts/hygiene.py — what keeps the shell tests honest, checked.
A tool a test needs is asked for with `need TOOL` (tests/scripts/lib/
check.sh), never guarded with `if command -v TOOL`, which drops the checks
and passes when it is missing (the sourced helpers under lib/ may test
for a tool and return an error); `sleep` only inside a loop that polls a
condition (bounded by its `for`/`while`), never as synchronisation.
usage: hygiene.py DIR   (prints FILE:LINE: why; exit 1 on a breach)"""
import os
import re
import sys

GUARD = re.compile(r"^\s*(if|elif)\s.*command -v |command -v \S+[^|]*\|\|")
QUOTED = re.compile(r"'[^']*'|\"(\\.|[^\"\\])*\"")
LOOP = re.compile(r"^\s*(for|while|until)\b")


def indent(line):
    return len(line) - len(line.lstrip("\t "))


def in_loop(lines, i):
    """a sleep on line i sits in a loop: on the loop's own line, or under
    the nearest less indented line, which opens the loop"""
    if LOOP.search(lines[i]) or re.search(r"\b(for|while|until)\b.*; do", lines[i]):
        return True
    own = indent(lines[i])
    for j in range(i - 1, -1, -1):
        if lines[j].strip() and indent(lines[j]) < own:
            return bool(LOOP.match(lines[j]))
    return False


def check(path, rel, out):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        # quoted text is data (a test writing a breach into a copy)
        code = QUOTED.sub("''", line)
        if not code.strip():
            continue
        if GUARD.search(code) and "/lib/" not in rel:
            out.append(f"{rel}:{i + 1}: a tool guarded with command -v "
                       "(use: need TOOL)")
        if re.search(r"(^|[;&|]\s*|\s)sleep\s", code) and not in_loop(lines, i):
            out.append(f"{rel}:{i + 1}: sleep outside a polling loop "
                       "(wait for the condition)")


def main():
    root = sys.argv[1]
    out = []
    for top in ("tests/scripts", "tests/interop", "tests/fuzz"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if name.endswith(".sh"):
                    p = os.path.join(d, name)
                    check(p, os.path.relpath(p, root), out)
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
