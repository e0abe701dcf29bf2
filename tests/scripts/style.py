#!/usr/bin/env python3
"""tests/scripts/style.py — the parts of STYLE.md a machine can check

For each C source and header of the tree (git ls-files, or every *.c/*.h
under SRCDIR when it is not a git checkout):
  - the first line is a comment naming the file's own path and what it is
    for: "/* engine/sip/hdr.c — …" (STYLE.md §1);
  - indentation is tabs (a label such as " out:" and a comment's " *"
    continuation excepted);
  - no line is longer than 79 columns, tabs 8 wide;
  - no trailing white space.
usage: style.py SRCDIR — prints "file:line: why" per breach; exit 1 if any
"""
import os
import re
import subprocess
import sys

WIDTH = 79


def files(src):
    r = subprocess.run(["git", "-C", src, "ls-files", "*.c", "*.h"],
                       capture_output=True, text=True)
    if r.returncode == 0 and r.stdout.strip():
        return r.stdout.split()
    out = []
    for root, dirs, names in os.walk(src):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
        out += [os.path.relpath(os.path.join(root, n), src)
                for n in names if n.endswith((".c", ".h"))]
    return sorted(out)


def check(src, rel):
    bad = []
    lines = open(os.path.join(src, rel), encoding="utf-8").read().split("\n")
    head = re.compile(r"^/\* %s (—|-) \S" % re.escape(rel))
    if not head.match(lines[0]):
        bad.append("%s:1: the first line does not say \"/* %s — what it "
                   "is for\"" % (rel, rel))
    label = re.compile(r"^ [A-Za-z_][A-Za-z0-9_]*:\s*$")
    for n, line in enumerate(lines, 1):
        if line != line.rstrip():
            bad.append("%s:%d: trailing white space" % (rel, n))
        lead = line[:len(line) - len(line.lstrip(" \t"))]
        if " " in lead.rstrip(" ") and not label.match(line):
            bad.append("%s:%d: indented with spaces" % (rel, n))
        elif (lead.startswith(" ") and not label.match(line)
              and not line.lstrip().startswith("*")):
            bad.append("%s:%d: indented with spaces" % (rel, n))
        width = len(line.expandtabs(8))
        if width > WIDTH:
            bad.append("%s:%d: %d columns (at most %d)"
                       % (rel, n, width, WIDTH))
    return bad


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    bad = []
    for rel in files(argv[1]):
        bad += check(argv[1], rel)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
