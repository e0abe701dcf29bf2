#!/usr/bin/env python3
"""tests/scripts/layers.py — does the code keep to its modules' layering?

The modules, their folders and what each links come from CMakeLists.txt
(SIPFLOW_LAYERS, SIPFLOW_DIR_<m>, SIPFLOW_USES_<m>, SIPFLOW_DOOR_<m>): the
one place they are written. Checked here, on the sources:
  - an include names a header of the file's own module or of a module it
    links (directly or through those below): no include runs upward;
  - a *_priv.h header is included only from its own folder;
  - a module with a door (SIPFLOW_DOOR_agents) is entered from any other
    module only through the door's headers (an entry MODULE:HEADER opens that
    header to one module only).
With --libs BUILD_DIR, also on the built static libraries (nm): every
symbol a module's objects use that another module defines is defined by
a module it links. This catches a call upward that dodges the include
rules with a prototype of its own.

usage: layers.py SRCDIR [--libs BUILD_DIR]
Prints one line per breach ("file:line: …" or "module: …") and exits 1
if there is any, 0 otherwise.
"""
import os
import re
import subprocess
import sys


def cmake_lists(src):
    """{name: [values]} of the SIPFLOW_* set() calls in CMakeLists.txt"""
    text = open(os.path.join(src, "CMakeLists.txt")).read()
    out = {}
    for m in re.finditer(r"^set\((SIPFLOW_[A-Za-z_]+)([^)]*)\)", text, re.M):
        out[m.group(1)] = m.group(2).split()
    return out


def model(src):
    cm = cmake_lists(src)
    layers = cm.get("SIPFLOW_LAYERS")
    if not layers:
        sys.exit("layers.py: CMakeLists.txt sets no SIPFLOW_LAYERS")
    dirs = {m: cm["SIPFLOW_DIR_" + m][0] for m in layers}
    uses = {m: cm.get("SIPFLOW_USES_" + m, []) for m in layers}
    doors = {m: cm["SIPFLOW_DOOR_" + m] for m in layers
             if "SIPFLOW_DOOR_" + m in cm}
    reach = {}

    def below(m, seen=()):
        if m in reach:
            return reach[m]
        if m in seen:
            sys.exit("layers.py: modules link in a circle through " + m)
        r = set()
        for u in uses[m]:
            if u not in dirs:
                sys.exit("layers.py: %s uses unknown module %s" % (m, u))
            r |= {u} | below(u, seen + (m,))
        reach[m] = r
        return r

    for m in layers:
        below(m)
    return layers, dirs, reach, doors


def owner(path, dirs):
    """the module whose folder holds path (the deepest folder wins)"""
    best = None
    for m, d in dirs.items():
        if path == d or path.startswith(d + "/"):
            if best is None or len(d) > len(dirs[best]):
                best = m
    return best


def sources(src, dirs):
    for m, d in dirs.items():
        for root, _, files in os.walk(os.path.join(src, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    rel = os.path.relpath(os.path.join(root, f), src)
                    if owner(rel, dirs) == m:
                        yield m, rel


def resolve(src, rel, name, dirs):
    """the header an include names, relative to src, or None (a system or
    outside header): the including file's folder first, then each
    module's folder, as the compiler's include path finds it"""
    here = os.path.normpath(os.path.join(os.path.dirname(rel), name))
    if os.path.isfile(os.path.join(src, here)):
        return here
    for d in dirs.values():
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(src, p)):
            return p
    return None


def door_open(door, m, hdr):
    """is hdr in the door for module m? An entry HEADER is for every
    module, MODULE:HEADER for that module only"""
    return hdr in door or "%s:%s" % (m, hdr) in door


def door_list(door, m):
    return ", ".join(d.split(":")[-1] for d in door
                     if ":" not in d or d.startswith(m + ":"))


def check_includes(src, dirs, reach, doors):
    bad = []
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for m, rel in sources(src, dirs):
        for n, line in enumerate(open(os.path.join(src, rel)), 1):
            g = inc.match(line)
            if not g:
                continue
            hdr = resolve(src, rel, g.group(1), dirs)
            if hdr is None:
                continue
            hm = owner(hdr, dirs)
            where = "%s:%d: " % (rel, n)
            if hm != m and hm not in reach[m]:
                bad.append(where + "includes %s of module %s, which %s does "
                           "not link (an include upward)" % (hdr, hm, m))
            if (os.path.basename(hdr).endswith("_priv.h")
                    and os.path.dirname(hdr) != os.path.dirname(rel)):
                bad.append(where + "includes %s, private to %s/"
                           % (hdr, os.path.dirname(hdr)))
            if (hm in doors and m != hm
                    and not door_open(doors[hm], m,
                                      os.path.relpath(hdr, dirs[hm]))):
                bad.append(where + "includes %s: %s enters %s only "
                           "through %s" % (hdr, dirs[m], hm,
                                           door_list(doors[hm], m)))
    return bad


def nm(path, *args):
    r = subprocess.run(["nm", "-g", "--no-sort", *args, path],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit("layers.py: nm %s: %s" % (path, r.stderr.strip()))
    syms = set()
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) >= 2 and not line.endswith(":"):
            syms.add(f[-1])
    return syms


def check_libs(build, layers, reach):
    bad = []
    defined, used = {}, {}
    for m in layers:
        lib = os.path.join(build, "libsf_%s.a" % m)
        if not os.path.isfile(lib):
            sys.exit("layers.py: %s is not built" % lib)
        defined[m] = nm(lib, "--defined-only")
        used[m] = nm(lib, "--undefined-only")
    for m in layers:
        for s in sorted(used[m] - defined[m]):
            for o in layers:
                if o != m and s in defined[o] and o not in reach[m]:
                    bad.append("%s: uses %s of module %s, which %s does not "
                               "link (a call upward)" % (m, s, o, m))
    return bad


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--libs"):
        sys.exit(__doc__.split("\n\n")[-2])
    src = argv[1]
    layers, dirs, reach, doors = model(src)
    bad = check_includes(src, dirs, reach, doors)
    if len(argv) == 4:
        bad += check_libs(argv[3], layers, reach)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
