#!/usr/bin/env python3
"""Run every command and YAML example of README.md and docs/*.md.

The convention (docs/doc-examples.md): a fenced block's info string says
what the block is, and so what this test does with it:

  ```yaml file=NAME            saved as NAME in the document's work folder;
                               a later `sh test` block must use NAME
  ```yaml lint                 saved and `sipflow lint` must accept it
  ```yaml run                  saved, linted, and it passes in self-play
  ```yaml lint with=SKELETON   a fragment: put in tests/docs/SKELETON at
                               its `# doc fragment` line, then linted
  ```yaml excerpt=PATH         an excerpt of a file of the project: each
                               line that is not a comment or `…` is in PATH,
                               in that order
  ```sh test [exit=N]          run by bash in the work folder: exit 0 (or N)
  ```console test [exit=N]     `$ ` lines are commands, the lines after each
                               its expected output (`…` = any text, a line
                               `…` = any lines; times normalised); exit=N
                               is the last command's (the others exit 0),
                               exit=N,M,… one per command
  ```text output               right after a `sh test`: its expected output
  ```text synopsis             a usage synopsis: each `sipflow CMD` is a
                               command and each --option one it takes
  ```sh device                 needs hardware this machine lacks (a
                               handset): counted and named, not run
  ```sh skip="why"             cannot run in a test (installs packages,
                               runs for an hour): counted with the reason
  ``` / ```text / ```c / ```json   prose (diagrams, messages, C, a
                               report's shape): not run

A fenced block with another info string, and any block (fenced as text or
indented) that holds a command line or is unmarked YAML, is an error at
its file:line. Every error names the file and line of the block.

usage: docexamples.py SIPFLOW SRCDIR OUTDIR [FILE.md...]
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

COMMAND = re.compile(r"^\s*(\$ |sipflow [a-z]+( |$)|bash |sh |kamailio |"
                     r"kam_|cmake |tshark |sipp |python3 |build[\w-]*/|"
                     r"([A-Z_]+=\S* )+\S)")
# a usage line: `sipflow CMD` and a placeholder (FILE, [--opt], DIR...)
SYNOPSIS = re.compile(r"^\s*sipflow [a-z]+ .*(\[|\b[A-Z][A-Z_.|]{2,}\b|…)")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*(.*)$")
LANGS = {"yaml", "sh", "bash", "console", "text", "c", "json", ""}
TIME = re.compile(r"\b\d+\.\d{6}\b|\d+(\.\d+)? ?(ms|s)\b")  # 0.027451, 35 ms


class Block:
    def __init__(self, doc, line, lang, words, attrs, text):
        self.doc, self.line, self.lang = doc, line, lang
        self.words, self.attrs, self.text = words, attrs, text

    def where(self):
        return f"{self.doc}:{self.line}"


def parse(path, rel):
    """Fenced blocks (with their info strings) and indented code blocks."""
    blocks, errors = [], []
    lines = open(path, encoding="utf-8").read().split("\n")
    i, prev_blank = 0, True
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            ind, fence, info = m.group(1), m.group(2), m.group(3).strip()
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i][len(ind):] if lines[i].startswith(ind)
                            else lines[i].lstrip())
                i += 1
            try:
                parts = shlex.split(info)
            except ValueError as e:
                errors.append(f"{rel}:{start}: info string: {e}")
                parts = []
            lang = parts[0] if parts else ""
            words = [p for p in parts[1:] if "=" not in p]
            attrs = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            blocks.append(Block(rel, start, lang, words, attrs,
                                "\n".join(body) + "\n"))
            i += 1
            prev_blank = True
            continue
        if prev_blank and lines[i].startswith("    ") and lines[i].strip():
            start, body = i + 1, []
            while i < len(lines) and (lines[i].startswith("    ") or
                                      not lines[i].strip()):
                body.append(lines[i])
                i += 1
            blocks.append(Block(rel, start, "indented", [], {},
                                "\n".join(body)))
            prev_blank = False
            continue
        prev_blank = not lines[i].strip()
        i += 1
    return blocks, errors


def norm(s):
    """Times become T, runs of blanks one blank: a column's width or a
    run's duration is no part of what an example shows."""
    return " ".join(TIME.sub("T", s).split())


def line_match(exp, act):
    exp = re.sub(r"… ?(ms|s)\b", "…", exp)    # "… ms": any time
    parts = [re.escape(norm(p)) for p in exp.split("…")]
    return re.fullmatch(".*".join(parts), norm(act)) is not None


def output_matches(expected, actual):
    """Expected lines against actual ones; a line `…` skips any lines."""
    exp = [x.rstrip() for x in expected.rstrip("\n").split("\n")]
    act = [x.rstrip() for x in actual.rstrip("\n").split("\n")]
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(exp):
            r = j == len(act)
        elif exp[i].strip() == "…":
            r = any(go(i + 1, k) for k in range(j, len(act) + 1))
        else:
            r = j < len(act) and line_match(exp[i], act[j]) and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r
    return go(0, 0)


class Out(str):
    """What a command printed: stdout then stderr as one text (for the
    failure messages); expected output may be either, or both."""
    def __new__(cls, out, err):
        o = str.__new__(cls, out + err)
        o.out, o.err = out, err
        return o


def shows(expected, out):
    return any(output_matches(expected, x)
               for x in (out.out, out.err, out.out + out.err,
                         out.err + out.out))


class Runner:
    def __init__(self, sipflow, src, out):
        self.sipflow, self.src, self.out = sipflow, src, out
        self.fail, self.passed = [], 0
        self.notrun = []
        bindir = os.path.join(out, "bin")
        os.makedirs(bindir, exist_ok=True)
        link = os.path.join(bindir, "sipflow")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(sipflow, link)
        self.env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"],
                        sipflow=sipflow, SIPFLOW_SRC=src, LC_ALL="C")

    def error(self, b, what):
        self.fail.append(f"{b.where()}: {what}")

    def ok(self, b, what):
        self.passed += 1
        print(f"ok   {b.where()}: {what}")

    def workdir(self, doc):
        w = os.path.join(self.out, re.sub(r"[^A-Za-z0-9]+", "_", doc))
        shutil.rmtree(w, ignore_errors=True)
        os.makedirs(w)
        for d in ("scenarios", "tests", "docs", "scripts"):
            os.symlink(os.path.join(self.src, d), os.path.join(w, d))
        os.symlink(os.path.join(self.src, "scenarios", "blocks"),
                   os.path.join(w, "blocks"))
        return w

    def sh(self, b, w, script, timeout=120):
        try:
            p = subprocess.run(["bash", "-o", "pipefail", "-c", script],
                               cwd=w, env=self.env, timeout=timeout,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return None, Out(f"did not end within {timeout} s", "")
        return p.returncode, Out(p.stdout.decode("utf-8", "replace"),
                                 p.stderr.decode("utf-8", "replace"))

    def known_options(self, cmd):
        return options_of(self.sipflow, cmd)

    def commands(self):
        return commands_of(self.sipflow)

    def synopsis(self, b):
        bad, cmd = [], None
        for line in b.text.split("\n"):
            m = re.match(r"^\$?\s*sipflow\s+([a-z]+)", line)
            if m:
                cmd = m.group(1)
                if cmd not in self.commands():
                    bad.append(f"'sipflow {cmd}' is no command")
                    cmd = None
            elif not line.startswith((" ", "\t")):
                cmd = None
            for opt in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", line):
                if cmd and opt not in self.known_options(cmd):
                    bad.append(f"sipflow {cmd} has no option {opt}")
        if bad:
            self.error(b, "synopsis: " + "; ".join(dict.fromkeys(bad)))
        else:
            self.ok(b, "synopsis: every command and option exists")

    def save(self, b, w, name):
        path = os.path.join(w, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(b.text)
        return path

    def lint(self, b, w, path):
        rc, out = self.sh(b, w, f"sipflow lint {shlex.quote(path)}")
        if rc != 0:
            self.error(b, f"sipflow lint exits {rc}:\n{indent(out)}")
        else:
            self.ok(b, "lint accepts it")

    def run_yaml(self, b, w, path):
        q = shlex.quote(path)
        rc, out = self.sh(b, w, f"sipflow lint {q} && sipflow run {q} "
                          f"--out {q}.out --quiet")
        if rc != 0:
            self.error(b, f"lint and run in self-play: exit {rc}:\n{indent(out)}")
        else:
            self.ok(b, "lint accepts it and it passes in self-play")

    def fragment(self, b, w, skel):
        sk = os.path.join(self.src, "tests", "docs", skel)
        if not os.path.exists(sk):
            return self.error(b, f"with={skel}: no tests/docs/{skel}")
        text, done = [], False
        for line in open(sk).read().split("\n"):
            m = re.match(r"^(\s*)# doc fragment\s*$", line)
            if m and not done:
                body = dedent(b.text)
                text += [m.group(1) + x if x.strip() else x
                         for x in body.rstrip("\n").split("\n")]
                done = True
            else:
                text.append(line)
        path = os.path.join(w, "flows", f"fragment-{b.line}.yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write("\n".join(text))
        self.lint(b, w, path)

    def excerpt(self, b, rel):
        path = os.path.join(self.src, rel)
        if not os.path.exists(path):
            return self.error(b, f"excerpt of {rel}: no such file")
        def bare(x):    # a line without its comment (prose in a doc)
            return re.sub(r"(^|\s+)#.*$", "", x).strip()
        have = [bare(x) for x in open(path).read().split("\n")]
        k = 0
        for x in b.text.split("\n"):
            x = bare(x)
            if not x or x == "…":
                continue
            while k < len(have) and have[k] != x:
                k += 1
            if k == len(have):
                return self.error(b, f"excerpt of {rel}: '{x}' is not there "
                                  "(or not in this order)")
            k += 1
        self.ok(b, f"an excerpt of {rel}")

    def run_sh(self, b, w, expected):
        want = int(b.attrs.get("exit", 0))
        rc, out = self.sh(b, w, b.text)
        what = f"exit {rc}, expected {want}"
        if rc != want:
            return self.error(b, f"{what}; its output:\n{indent(out)}")
        if expected is not None and not shows(expected.text, out):
            return self.error(b, f"output differs from the block at "
                              f"{expected.where()}; it was:\n{indent(out)}")
        self.ok(b, f"exit {rc}" + (", output as shown" if expected else ""))

    def run_console(self, b, w):
        wants = [int(x) for x in b.attrs.get("exit", "0").split(",")]
        steps = []
        for line in b.text.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                steps.append([line[2:], []])
            elif steps and steps[-1][0].endswith("\\") and not steps[-1][1]:
                steps[-1][0] = steps[-1][0] + "\n" + line
            elif steps:
                steps[-1][1].append(line)
            else:
                return self.error(b, "console: the first line is no `$ ` command")
        for n, (cmd, exp) in enumerate(steps):
            rc, out = self.sh(b, w, cmd)
            if len(wants) > 1:
                w_rc = wants[n] if n < len(wants) else 0
            else:
                w_rc = wants[0] if n == len(steps) - 1 else 0
            if rc != w_rc:
                return self.error(b, f"`{cmd}`: exit {rc}, expected {w_rc}; "
                                  f"its output:\n{indent(out)}")
            if exp and not shows("\n".join(exp), out):
                return self.error(b, f"`{cmd}`: output differs from the "
                                  f"block; it was:\n{indent(out)}")
        self.ok(b, f"{len(steps)} command(s), exit and output as shown")

    def inline(self, path, rel):
        """`sipflow CMD --opt` in the prose: a command and options it has."""
        text, n, bad = open(path, encoding="utf-8").read(), 0, 0
        # `sipflow run: unknown option …` is a message, not a command
        for m in re.finditer(r"`(sipflow ([a-z]+)(?=[\s`])[^`]*)`", text):
            line = text.count("\n", 0, m.start()) + 1
            cmd, n = m.group(2), n + 1
            if cmd not in self.commands():
                bad = self.fail.append(f"{rel}:{line}: `{m.group(1)}`: "
                                       f"sipflow has no command {cmd}") or 1
                continue
            for opt in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", m.group(1)):
                if opt not in self.known_options(cmd):
                    bad = self.fail.append(f"{rel}:{line}: `{m.group(1)}`: "
                                           f"sipflow {cmd} has no option "
                                           f"{opt}") or 1
        if n and not bad:
            self.passed += 1
            print(f"ok   {rel}: {n} sipflow command(s) in the prose name "
                  "real commands and options")

    def document(self, path, rel):
        self.inline(path, rel)
        blocks, errors = parse(path, rel)
        self.fail += errors
        w = self.workdir(rel)
        for i, b in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            expected = (nxt if nxt and nxt.lang == "text" and
                        "output" in nxt.words else None)
            kind = b.words[0] if b.words else ""
            if b.lang == "indented" or (b.lang in ("text", "") and
                                        kind not in ("synopsis", "output")):
                cmd = [x for x in b.text.split("\n") if COMMAND.match(x)]
                if cmd and b.lang == "indented" and any(
                        SYNOPSIS.match(x) for x in cmd) and not any(
                        x.lstrip().startswith("$") for x in cmd):
                    b.text = dedent(b.text)
                    self.synopsis(b)
                    continue
                if cmd:
                    self.error(b, f"a command in a block that is not run "
                               f"('{cmd[0].strip()}'): fence it as `sh test`, "
                               "`console test`, `text synopsis` or "
                               "`sh device` (docs/doc-examples.md)")
                continue
            if b.lang not in LANGS:
                self.error(b, f"unknown info string '{b.lang}' "
                           "(docs/doc-examples.md lists them)")
                continue
            if b.lang in ("c", "json"):     # an API or a report's shape
                continue
            if kind == "device" or "skip" in b.attrs:
                why = b.attrs.get("skip") or b.attrs.get(
                    "why", "needs a device this machine lacks")
                self.notrun.append(f"{b.where()}: {why}")
                continue
            if b.lang == "yaml":
                if "file" in b.attrs:
                    self.save(b, w, b.attrs["file"])
                    later = " ".join(x.text for x in blocks[i + 1:]
                                     if x.lang in ("sh", "bash", "console")
                                     and "test" in x.words)
                    if b.attrs["file"] not in later:
                        self.error(b, f"file={b.attrs['file']} is saved but "
                                   "no `sh test` block uses it")
                    else:
                        self.ok(b, f"saved as {b.attrs['file']}")
                elif "excerpt" in b.attrs:
                    self.excerpt(b, b.attrs["excerpt"])
                elif kind == "run":
                    self.run_yaml(b, w, self.save(b, w, f"block-{b.line}.yaml"))
                elif kind == "lint" and "with" in b.attrs:
                    self.fragment(b, w, b.attrs["with"])
                elif kind == "lint":
                    self.lint(b, w, self.save(b, w, f"block-{b.line}.yaml"))
                else:
                    self.error(b, "a YAML block says neither file=, lint, "
                               "excerpt= nor device (docs/doc-examples.md)")
            elif b.lang in ("sh", "bash") and kind == "test":
                self.run_sh(b, w, expected)
            elif b.lang == "console" and kind == "test":
                self.run_console(b, w)
            elif b.lang == "text" and kind == "synopsis":
                self.synopsis(b)
            elif b.lang == "text" and kind == "output":
                prev = blocks[i - 1] if i else None
                if not (prev and prev.lang in ("sh", "bash") and
                        "test" in prev.words):
                    self.error(b, "an output block must follow a `sh test` "
                               "block")
            else:
                self.error(b, f"```{b.lang} {' '.join(b.words)}: say `test`, "
                           "`device` or `skip=\"why\"` (docs/doc-examples.md)")


_known = {}


def options_of(sipflow, cmd):
    """The options `sipflow CMD` names in its usage and its --help."""
    if (sipflow, cmd) not in _known:
        text = ""
        for args in ([cmd], [cmd, "--help"], [cmd, "--doc-test-no-such"]):
            p = subprocess.run([sipflow] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=10)
            text += p.stdout.decode("utf-8", "replace")
        text = text.replace("--doc-test-no-such", "")
        _known[(sipflow, cmd)] = set(re.findall(r"--[a-z][a-z0-9-]*", text))
    return _known[(sipflow, cmd)]


def commands_of(sipflow):
    """The commands `sipflow help` lists."""
    if (sipflow, "") not in _known:
        p = subprocess.run([sipflow, "help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=10)
        _known[(sipflow, "")] = set(re.findall(
            r"^  ([a-z]+) ", p.stdout.decode("utf-8", "replace"), re.M))
    return _known[(sipflow, "")]


def dedent(text):
    lines = [x for x in text.split("\n") if x.strip()]
    n = min((len(x) - len(x.lstrip()) for x in lines), default=0)
    return "\n".join(x[n:] for x in text.split("\n"))


def indent(s, n=40):
    lines = s.rstrip("\n").split("\n")
    if len(lines) > n:
        lines = lines[:n] + [f"… ({len(lines) - n} more lines)"]
    return "\n".join("      | " + x for x in lines)


def main():
    if len(sys.argv) < 4:
        print(__doc__.split("usage: ")[1].strip(), file=sys.stderr)
        return 2
    sipflow, src, out = (os.path.abspath(x) for x in sys.argv[1:4])
    # README.md and every page of docs/ but the decision records (each
    # tells the state of things when it was taken)
    docs = sys.argv[4:] or (["README.md"] + sorted(
        os.path.relpath(os.path.join(d, f), src)
        for d, sub, files in os.walk(os.path.join(src, "docs"))
        if "decisions" not in os.path.relpath(d, src).split(os.sep)
        for f in files if f.endswith(".md")))
    r = Runner(sipflow, src, out)
    for rel in docs:
        # a page is named as it was given: the pages of the tree by
        # their place in it, one given by its path by that path (the
        # build folder may lie inside the tree, or not)
        path = rel if os.path.isabs(rel) else os.path.join(src, rel)
        r.document(path, rel)
    for f in r.fail:
        print("FAIL " + f)
    print(f"{len(r.notrun)} block(s) not run on this machine, as marked:")
    for n in r.notrun:
        print("  " + n)
    print(f"{r.passed} example(s) checked, {len(r.fail)} failed, "
          f"{len(r.notrun)} not run (marked device or skip)")
    return 1 if r.fail else 0


if __name__ == "__main__":
    sys.exit(main())
