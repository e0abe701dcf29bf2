#!/usr/bin/env python3
"""The CI definitions of docs/ci/ and what their shards give.

  ci_shards.py check SIPFLOW FILE...
      each file is valid YAML and a GitLab CI (`parallel:`) or GitHub
      Actions (matrix) definition that shards `sipflow run --shard K/N`
      and collects with `sipflow merge`, naming only commands and
      options sipflow has; prints one line per problem, exit 1 if any
  ci_shards.py plan FILE
      the commands to run, as shell lines with the CI's variables set:
      `N`, then one `shard K: LINE` per shard, then `merge: LINE`
  ci_shards.py compare SINGLE_DIR MERGED_DIR
      the merged report.json and junit.xml equal the single run's once
      normalised (below); prints the first differences, exit 1 if any

What compare normalises, and why (everything else must be equal):
  times        started, duration_ms, t_ms, timestamp=, time=, the
               figures `(0.012 s)`, `35 ms`, and a NOTIFY's
               Subscription-State expires= (what is left of the
               subscription when it leaves): no two runs take as long
  addresses    127.x.y.z of the simulated roles: a scenario binds the
               loopback block of the job slot it plays in
               (docs/suites.md), and which slot is free depends on what
               else plays at once, so a shard's differ from one run's
  run's random  tags, branches, Call-IDs, CSeq numbers, SDP o= numbers,
  values       RTP ports and SRTP keys a role draws for each call (RFC
               3261 §19.3, §8.1.1.5, RFC 3264 §5, RFC 4568 §6.1), RTP
               SSRCs (RFC 3550 §8),
               rport/received, digest nonces and responses: fresh in
               every run
  phone frames in a scenario with a phone role, frame numbers: its RTP
               packets are in the pcap between the SIP messages, as many
               as the wall clock let it send
  media        a phone's packet counts, loss, jitter, level, MOS and
               tone shares (in notes, and report.json's media figures,
               with their window start_ms/end_ms and a device's
               device_ms): its RTP is timed by the wall clock
  pcap paths   the folder of each scenario's pcap: a shard's own --out
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from docexamples import commands_of, options_of  # noqa: E402

try:
    import yaml
except ImportError:
    yaml = None

SHARD = re.compile(r"\bsipflow run\b.*--shard\s+\S+")
MERGE = re.compile(r"\bsipflow merge\b")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def scripts(doc):
    """(job name, shell line) of every script line of a CI file."""
    if isinstance(doc.get("jobs"), dict):      # GitHub Actions
        for name, job in doc["jobs"].items():
            for st in job.get("steps", []):
                if isinstance(st, dict) and "run" in st:
                    for line in str(st["run"]).split("\n"):
                        yield name, line
        return
    for name, job in doc.items():              # GitLab CI
        if not isinstance(job, dict):
            continue
        for key in ("before_script", "script", "after_script"):
            for line in job.get(key, []) or []:
                yield name, str(line)
    for line in (doc.get("default") or {}).get("before_script", []):
        yield "default", str(line)


def kind(doc):
    return "github" if isinstance(doc.get("jobs"), dict) else "gitlab"


def shards(doc):
    """The number of shards the file asks for, and the sharded job."""
    if kind(doc) == "github":
        for name, job in doc["jobs"].items():
            m = ((job.get("strategy") or {}).get("matrix") or {}).get("shard")
            if isinstance(m, list):
                return len(m), name
        return 0, None
    for name, job in doc.items():
        if isinstance(job, dict) and isinstance(job.get("parallel"), int):
            return job["parallel"], name
    return 0, None


def check(sipflow, files):
    commands = commands_of(sipflow)
    bad = []
    for f in files:
        try:
            doc = load(f)
        except yaml.YAMLError as e:
            bad.append(f"{f}: not valid YAML: {e}")
            continue
        if not isinstance(doc, dict):
            bad.append(f"{f}: not a mapping of jobs")
            continue
        n, job = shards(doc)
        if n < 2:
            bad.append(f"{f}: no job is split in shards "
                       "(GitLab `parallel: N`, GitHub `matrix: shard: [...]`)")
        lines = list(scripts(doc))
        if not any(SHARD.search(x) for _, x in lines):
            bad.append(f"{f}: no `sipflow run ... --shard K/N` line")
        if not any(MERGE.search(x) for _, x in lines):
            bad.append(f"{f}: no `sipflow merge` line")
        for _, line in lines:
            for m in re.finditer(r"\bsipflow\s+([a-z]+)(.*)", line):
                cmd, rest = m.group(1), m.group(2)
                if cmd not in commands:
                    bad.append(f"{f}: '{line.strip()}': sipflow has no "
                               f"command {cmd}")
                    continue
                for opt in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", rest):
                    if opt not in options_of(sipflow, cmd):
                        bad.append(f"{f}: '{line.strip()}': sipflow {cmd} "
                                   f"has no option {opt}")
        # the merge must run when a shard failed, and after all of them
        for name, job in (doc["jobs"].items() if kind(doc) == "github"
                          else doc.items()):
            if not isinstance(job, dict):
                continue
            text = json.dumps(job)
            if MERGE.search(text):
                if kind(doc) == "github":
                    ok = "always()" in str(job.get("if", "")) and \
                        job.get("needs") in (job_name(doc), [job_name(doc)])
                else:
                    ok = job.get("when") == "always"
                if not ok:
                    bad.append(f"{f}: job {name} merges but does not run "
                               "always, after the shards")
    for b in bad:
        print(b)
    return 1 if bad else 0


def job_name(doc):
    return shards(doc)[1]


def plan(path):
    doc = load(path)
    n, _ = shards(doc)
    env = dict(doc.get("variables") or doc.get("env") or {})
    print(f"N {n}")
    sets = " ".join(f"{k}={quote(v)}" for k, v in env.items())
    for _, line in scripts(doc):
        if SHARD.search(line):
            for k in range(1, n + 1):
                x = line.replace("${{ matrix.shard }}", str(k)).replace(
                    "${{ strategy.job-total }}", str(n))
                pre = f"CI_NODE_INDEX={k} CI_NODE_TOTAL={n} " \
                    if kind(doc) == "gitlab" else ""
                print(f"shard {k}: export {pre}{sets}; {x}")
        elif MERGE.search(line):
            print(f"merge: export {sets}; {line}")


def quote(v):
    return "'" + str(v).replace("'", "'\\''") + "'"


RANDOM = [
    (re.compile(r"127\.\d+\.\d+\.\d+"), "ADDR"),
    (re.compile(r"(tag|branch|nonce|cnonce|response|opaque|rport|received)"
                r"(=|%3D)\"?[\w.:+/=-]+"), r"\1=X"),
    (re.compile(r"\b[0-9a-f]{12}@"), "X@"),     # a Call-ID, where quoted
    (re.compile(r"\b[0-9a-f]{16}\b"), "X"),      # a phone's (libre) Call-ID
    (re.compile(r";id=\d+"), ";id=X"),           # RFC 3515 §2.4.6: a CSeq
    (re.compile(r"(?i)(Call-ID|i): *\S+"), r"\1: X"),
    (re.compile(r"o=(\S+) \d+ \d+"), r"o=\1 X X"),
    (re.compile(r"m=(audio|video) \d+"), r"m=\1 X"),
    (re.compile(r"a=rtcp:\d+"), "a=rtcp:X"),
    (re.compile(r"inline:[A-Za-z0-9+/=]+"), "inline:X"),  # SDES key (RFC 4568)
    (re.compile(r"SSRC 0x[0-9a-f]{8}"), "SSRC X"),  # RFC 3550 §8: random
    (re.compile(r"Content-Length: *\d+"), "Content-Length: X"),
    (re.compile(r"CSeq: *\d+"), "CSeq: X"),
    # a time: what is left of a subscription when the NOTIFY leaves
    (re.compile(r"(Subscription-State: *\w+;expires=)\d+"), r"\1T"),
    (re.compile(r"[\w./-]*/([\w.-]+\.pcap(ng)?)\b"), r"\1"),
    (re.compile(r"\d+(\.\d+)? ?(ms|s)\b"), "T"),
    (re.compile(r"\b\d+ (RTP )?packets?\b|\bloss [\d.]+ ?%|jitter [\d.]+|"
                r"-?[\d.]+ dBov|MOS [\d.]+"), "FIG"),
]
TIME_KEYS = {"started", "duration_ms", "t_ms", "time", "timestamp",
             "device_ms", "start_ms", "end_ms"}
# what a media: step measured (report.json's step "media"): the phones'
# RTP is timed by the wall clock; the verdict, who talks to whom, the
# tone expected and the frequency heard stay compared
MEDIA_FIGS = {"packets", "expected", "lost", "loss_pct", "jitter_ms",
              "level_dbov", "mos", "tone_share", "heard_share"}


def norm_text(s):
    for rx, to in RANDOM:
        s = rx.sub(to, s)
    return s


def norm_json(v, key=None, phone=False):
    if key in TIME_KEYS or (phone and key == "frame"):
        return "T" if key in TIME_KEYS else "N"
    if key in MEDIA_FIGS and isinstance(v, (int, float)):
        return "FIG"
    if phone and isinstance(v, str):
        v = re.sub(r"\bframes? \d+", "frame N", v)
    if key == "pcap" and isinstance(v, str):
        return v.rsplit("/", 1)[-1]
    if key in ("text_base64",):
        return "B64"
    if isinstance(v, dict):
        if "roles" in v and "steps" in v:    # a scenario: has it a phone?
            phone = any(r.get("kind") == "phone" for r in v["roles"])
        return {k: norm_json(x, k, phone) for k, x in v.items()}
    if isinstance(v, list):
        return [norm_json(x, None, phone) for x in v]
    if isinstance(v, str):
        v = norm_text(v)
        if key in ("sdp", "to"):      # an SRTP stream's RTP address
            v = re.sub(r"^ADDR:\d+$", "ADDR:X", v)
        return v
    return v


def norm_xml(e):
    attrs = {k: ("T" if k in TIME_KEYS else norm_text(v))
             for k, v in sorted(e.attrib.items())}
    text = norm_text((e.text or "").strip())
    if e.tag in ("system-out", "system-err"):
        # the console's copy: its frame numbers are report.json's, which
        # are compared there (a phone scenario's vary, as above)
        text = re.sub(r"\bframes? \d+", "frame N", text)
    return (e.tag, attrs, text, [norm_xml(c) for c in e])


def diff(a, b, path="", out=None):
    out = [] if out is None else out
    if len(out) >= 10:
        return out
    if type(a) is not type(b):
        out.append(f"{path}: {a!r:.200} != {b!r:.200}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in "
                           f"{'the single run' if k in a else 'the merge'}")
            else:
                diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif isinstance(a, str) and a != b:
        i = next(k for k in range(min(len(a), len(b)) + 1)
                 if k == min(len(a), len(b)) or a[k] != b[k])
        out.append(f"{path}: {a[max(0, i - 40):i + 60]!r} != "
                   f"{b[max(0, i - 40):i + 60]!r}")
    elif a != b:
        out.append(f"{path}: {a!r:.200} != {b!r:.200}")
    return out


def compare(single, merged):
    bad = 0
    a = norm_json(json.load(open(f"{single}/report.json")))
    b = norm_json(json.load(open(f"{merged}/report.json")))
    if a.get("totals") != b.get("totals"):
        print(f"report.json.totals: {a.get('totals')} != {b.get('totals')}")
        bad = 1
    d = diff(a, b, "report.json")
    for x in d:
        print(x)
    bad |= bool(d)
    a = norm_xml(ET.parse(f"{single}/junit.xml").getroot())
    b = norm_xml(ET.parse(f"{merged}/junit.xml").getroot())
    d = diff(a, b, "junit.xml")
    for x in d:
        print(x)
    bad |= bool(d)
    return 1 if bad else 0


def main():
    if yaml is None and sys.argv[1:2] != ["compare"]:
        print("python3-yaml is not installed (bash scripts/setup.sh test "
              "installs it)")
        return 2
    if sys.argv[1:2] == ["check"]:
        return check(sys.argv[2], sys.argv[3:])
    if sys.argv[1:2] == ["plan"]:
        return plan(sys.argv[2])
    if sys.argv[1:2] == ["compare"]:
        return compare(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
