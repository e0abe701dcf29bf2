#!/usr/bin/env python3
"""The person at the phone for the manual driver's test: runs sipflow with
its standard input and error on pipes, reads each prompt, does what it
asks on a baresip (through its control socket, as fingers would on a
keypad) and answers Enter; with --refuse it answers "fail WHY" instead.
Asked whether it hears the call ("listen: …"), it answers y, or with
--deaf "n".

usage: person.py CTRL_ADDR [--refuse] [--deaf] -- SIPFLOW ARGS...
Prints sipflow's output, then the prompts it saw; exits with sipflow's
status."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctl  # noqa: E402

args = sys.argv[1:]
ctrl = args.pop(0)
refuse = deaf = False
while args and args[0] in ("--refuse", "--deaf"):
    refuse = refuse or args[0] == "--refuse"
    deaf = deaf or args[0] == "--deaf"
    args.pop(0)
assert args.pop(0) == "--"

PROMPT = re.compile(r"^\[sipflow\] Phone (\S+): (.*) — press Enter")
LISTEN = re.compile(r"^\[sipflow\] Phone (\S+): listen: ")
ACTIONS = [  # what the prompt asks → baresip's command
    (re.compile(r"^dial \S+ \((sip:[^)]+)\)"), "dial"),
    (re.compile(r"^answer"), "accept"),
    (re.compile(r"^hang up"), "hangup"),
]

proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
prompts = []
for line in proc.stderr:
    if LISTEN.match(line):
        prompts.append(line.rstrip())
        proc.stdin.write("n the handset is silent\n" if deaf else "y\n")
        proc.stdin.flush()
        continue
    m = PROMPT.match(line)
    if not m:
        sys.stderr.write(line)
        continue
    prompts.append(line.rstrip())
    if refuse:
        proc.stdin.write("fail the handset shows no dial tone\n")
        proc.stdin.flush()
        continue
    what = m.group(2)
    for rx, cmd in ACTIONS:
        a = rx.match(what)
        if a:
            ctl.command(ctrl, cmd, a.group(1) if a.groups() else None)
            break
    proc.stdin.write("\n")
    proc.stdin.flush()

out = proc.stdout.read()
rc = proc.wait()
sys.stdout.write(out)
for p in prompts:
    print("prompt:", p)
sys.exit(rc)
