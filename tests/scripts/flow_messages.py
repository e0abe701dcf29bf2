#!/usr/bin/env python3
"""The SIP messages a flow's steps list, in order: one METHOD or status
code a line. Written apart from engine/load/expand.c on purpose (PyYAML, a few
lines), so the self-play check compares the capture with an expansion of
include:, repeat: and ${vars} that is not the code under test.
usage: flow_messages.py FLOW.yaml
       flow_messages.py --to DIR FLOW.yaml...   each flow's in DIR/NAME.want
                                                (one python for a library)"""
import os
import re
import sys

import yaml

VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_-]*)\}")


def sub(text, env):
    return VAR.sub(lambda m: str(env[m.group(1)]), str(text))


def steps(items, env, path, out):
    for item in items:
        key, val = next(iter(item.items()))
        if key == "include":
            inc = os.path.join(os.path.dirname(path), sub(val, env))
            with open(inc) as f:
                block = yaml.safe_load(f)
            benv = {}
            for name, spec in (block.get("params") or {}).items():
                if isinstance(spec, dict) and "default" in spec:
                    benv[name] = spec["default"]
            for name, v in (item.get("with") or {}).items():
                benv[name] = sub(v, env)
            for name, v in (block.get("vars") or {}).items():
                benv[name] = sub(v, benv)
            steps(block["steps"], benv, inc, out)
        elif key == "repeat":
            for k in range(1, int(sub(val, env)) + 1):
                steps(item["steps"], dict(env, **{item.get("as", "i"): k}),
                      path, out)
        elif key == "any-order":
            steps(val, env, path, out)
        elif key not in ("wait", "do", "media"):
            out.append(sub(val, env).split()[0])


def messages(path):
    with open(path) as f:
        flow = yaml.safe_load(f)
    if "block" in flow:
        return None
    env = {}
    for name, v in (flow.get("vars") or {}).items():
        env[name] = sub(v, env)
    out = []
    steps(flow["steps"], env, path, out)
    return "\n".join(out)


def main():
    if sys.argv[1] != "--to":
        text = messages(sys.argv[1])
        if text is not None:
            print(text)
        return
    for path in sys.argv[3:]:
        text = messages(path)
        if text is None:
            continue
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(sys.argv[2], name + ".want"), "w") as f:
            f.write(text + "\n")


main()
