#!/usr/bin/env bash
# cost: 65
# Suite runs for CI: --jobs 2 and the default jobs give the verdicts
# --jobs 1 gives (three shards, each one job, merged: the suite played
# once more would cost a minute), each job on its own addresses, and the
# default prints what --jobs 1 prints, in the suite's order; a pinned
# address plays one job at a time by default; --shard K/N splits without
# overlap and sipflow merge puts the shards back in the suite's order;
# --tag filters; merge gives the junit.xml one run gives (byte for byte
# from one run's report; but for times and frames from the shards), valid
# against Ant's schema.
# usage: suite.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
dirs=("$src/scenarios" "$src/tests/scenarios")

# the three shards, each a run with one job, are the suite played with
# --jobs 1 (merged, they are its report: the reference for --jobs 2)
"$sipflow" run "${dirs[@]}" --out "$out/j2" --jobs 2 --quiet >"$out/j2.txt" 2>&1
check "jobs 2: exit 1 (one scenario fails by design)" "[ $? -eq 1 ]"
# The shards play at the same time, each in a network namespace of its
# own (tests/netns.sh) where the one job's addresses are its alone;
# without the right to make one, one after the other.
apart=0
[ "${SIPFLOW_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null && apart=1
for k in 1 2 3; do
	(bash "$src/tests/netns.sh" "$sipflow" run "${dirs[@]}" --out "$out/s$k" \
		--shard $k/3 --jobs 1 --verbose >"$out/s$k.txt" 2>&1
	 echo $? >"$out/s$k.rc") &
	[ $apart = 1 ] || wait $!
done
wait
src1=0
for k in 1 2 3; do
	case $(cat "$out/s$k.rc") in 0) ;; 1) src1=$((src1 + 1)) ;; *) src1=9 ;; esac
done
check "jobs 1 in shards: the one with the failing scenario exits 1, the others 0" \
	"[ $src1 -eq 1 ]"
# the default: several jobs (every role simulated, on the pool); each
# scenario's console lines are those --jobs 1 prints, but for times and
# frames (a phone's packets vary from run to run), in the suite's order
"$sipflow" run "${dirs[@]}" --out "$out/jd" --verbose >"$out/jd.txt" 2>&1
check "default jobs: exit 1" "[ $? -eq 1 ]"
norm() {
	sed -E 's/\([0-9.]+ s\)//; s/-?[0-9]+ ms//g; s/(frame|frames) [0-9]+/frame N/g; s/\[[0-9]+\/[0-9]+\] //; s#pcap [^ ]*/#pcap #' "$@" |
		grep -vE 'packets, loss|^scenarios: '
}
# each scenario's lines, by the scenario's name (the shards interleave)
blocks() {
	python3 -c 'import sys; b = sys.stdin.read().split("\n\n"); [print(repr((x.split()[0], x.strip()))) for x in b if x.strip()]' "$@"
}
# (each shard's log apart: one ends in its failures block, and the
# next one's first scenario is no part of it)
for k in 1 2 3; do norm "$out/s$k.txt"; echo; done | blocks | sort \
	>"$out/shards.norm"
norm "$out/jd.txt" | blocks >"$out/jd.norm"
check "default jobs: each scenario's console lines those of --jobs 1" \
	"sort '$out/jd.norm' | diff '$out/shards.norm' - >'$out/jd.diff'"
# the default jobs play at most N phone scenarios a core at once (a
# phone's audio and timers are real time: 32 of them on 2 busy cores
# missed their READY under ASan): the most whose captures, first packet
# to last, overlap in time (capinfos: times the pcap writer took from the wall
# clock)
need capinfos
# the cap a core, as this build says (sipflow -V: fewer in a sanitizer
# build), checked against its range and the decision's figures
"$sipflow" -V >"$out/version.txt"
per=$(sed -n 's/^phone scenarios at once: \([0-9]*\) a core.*/\1/p' \
	"$out/version.txt")
san=0
grep -q 'sanitizer build' "$out/version.txt" && san=1
check "sipflow -V says the phones a core (2 sanitized, 8 optimised): '$per'" \
	"{ [ '$per' = 2 ] && [ $san = 1 ]; } || { [ '$per' = 8 ] && [ $san = 0 ]; }"
cap=$(($(getconf _NPROCESSORS_ONLN) * ${per:-2}))
mapfile -t phones < <(grep -rl 'kind: phone' "${dirs[@]}" | xargs -n1 basename |
	sed "s#^\(.*\)\.yaml\$#$out/jd/\1.pcapng#")
capinfos -T -r -a -e -S "${phones[@]}" >"$out/jd.spans" 2>&1
most=$(awk -F'\t' 'NF == 3 { print $2, 1; print $3, -1 }' "$out/jd.spans" |
	sort -k1,1n -k2,2n | awk '{ n += $2; if (n > m) m = n } END { print m + 0 }')
check "default jobs: at most $cap phone scenarios at once, of ${#phones[@]} ($most at most)" \
	"[ $(wc -l <"$out/jd.spans") -eq ${#phones[@]} ] && [ $most -ge 2 ] &&
	 [ $most -le $cap ]"
# a role pinned to an address: one job at a time by default (two at
# once could not both listen there)
"$sipflow" run "$src/tests/scenarios/options-ping.yaml" \
	"$src/scenarios/yealink/basic-call.yaml" --role A=ua:udp:127.0.63.10:5060 \
	--out "$out/pinned" --quiet >"$out/pinned.txt" 2>&1
check "a pinned address: one job by default, both played (exit 0)" "[ $? -eq 0 ]"
"$sipflow" merge "$out/merged" "$out/s1" "$out/s2" "$out/s3" >"$out/merge.txt" 2>&1
check "merge of a failing suite: exit 1" "[ $? -eq 1 ]"
"$sipflow" run "${dirs[@]}" --out "$out/tag" --tag transfer --tag smoke \
	--quiet >"$out/tag.txt" 2>&1
check "tags transfer+smoke: exit 0" "[ $? -eq 0 ]"
"$sipflow" merge "$out/bad" /nonexistent >/dev/null 2>&1
check "merge of a missing report: exit 2" "[ $? -eq 2 ]"
"$sipflow" run "${dirs[0]}" --shard 3/2 >/dev/null 2>&1
check "bad --shard: exit 2" "[ $? -eq 2 ]"
"$sipflow" run "${dirs[0]}" --jobs 0 >/dev/null 2>&1
check "bad --jobs: exit 2" "[ $? -eq 2 ]"

n=$(find "${dirs[@]}" -name '*.yaml' | xargs grep -L '^block:' | wc -l)  # blocks are not played
# skipped in self-play: the flows a device must offer robustness for
k=$(grep -rl '^requires: {D: \[robustness\]}' "${dirs[@]}" | wc -l)
python3 - "$out" "$n" "$k" <<'PY' || fail=1
import json, re, sys
out, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = lambda d: json.load(open(f"{out}/{d}/report.json"))
def verdicts(r):
    return {s["name"]: [(x["id"], x["status"], x["reason"]) for x in s["steps"]]
            for s in r["scenarios"]}
ok = True
def check(what, cond):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
j2, m = load("j2"), load("merged")
check("jobs 2 gives the same verdicts as jobs 1 (the merged shards)", verdicts(m) == verdicts(j2))
check(f"jobs 1 runs {n} scenarios, 1 fails, {k} skipped", k >= 49 and m["totals"] == {"scenarios": n, "passed": n - 1 - k, "failed": 1, "skipped": k, "not_run": 0, "refused": 0})
check("jobs 2 has the same totals", j2["totals"] == m["totals"])
check("same scenario order with jobs 2", [s["name"] for s in m["scenarios"]] == [s["name"] for s in j2["scenarios"]])
addrs = {s["name"]: {r["address"] for r in s["roles"]} for s in j2["scenarios"]}
blocks = {a.split(".")[2] for v in addrs.values() for a in v}
check("jobs 2 used two loopback blocks", blocks == {"0", "1"})
jd = load("jd")
names = [x.group(1) for x in re.finditer(r"^(?:\[\d+/\d+\] )?(?:PASS|FAIL|SKIP) ([^:]+):",
                                        open(f"{out}/jd.txt").read(), re.M)]
check("default jobs: the console in the suite's order", names == [s["name"] for s in m["scenarios"]])
check("the default jobs give the same verdicts, totals and order as jobs 1",
      verdicts(jd) == verdicts(m) and jd["totals"] == m["totals"] and
      [s["name"] for s in jd["scenarios"]] == [s["name"] for s in m["scenarios"]])
blocks = {r["address"].split(".")[2] for s in jd["scenarios"] for r in s["roles"]}
check(f"the default jobs used more than two loopback blocks ({len(blocks)})", len(blocks) > 2)
shards = [load(f"s{k}") for k in (1, 2, 3)]
names = [s["name"] for r in shards for s in r["scenarios"]]
check("shards do not overlap and cover the suite", sorted(names) == sorted(verdicts(j2)) and len(names) == n)
t = load("tag")
check("--tag transfer --tag smoke picks 7 scenarios",
      sorted(s["name"] for s in t["scenarios"]) ==
      ["attended-transfer-phones", "basic-transfer-phones", "blind-transfer",
       "blind-transfer-phones", "failed-transfer-busy-phones",
       "failed-transfer-no-answer-phones", "options-ping"])
sys.exit(0 if ok else 1)
PY

# junit.xml: merge writes it from the report as the run did; the shards
# merged give the run's but for run-dependent figures; Ant's schema
need xmllint
xsd=$src/tests/data/junit-ant.xsd
"$sipflow" merge "$out/remerge" "$out/j2" >/dev/null 2>&1
check "merge of one run's report: its junit.xml byte for byte" \
	"cmp -s '$out/j2/junit.xml' '$out/remerge/junit.xml'"
for d in j2 merged; do
	check "junit.xml of $d valid against Ant's JUnit schema" \
		"xmllint --noout --schema '$xsd' '$out/$d/junit.xml' 2>'$out/$d.xsd.txt'"
done
python3 - "$out/j2/junit.xml" "$out/merged/junit.xml" <<'PY' || fail=1
import re, sys, xml.etree.ElementTree as ET
def norm(t):
    t = t or ""
    t = re.sub(r"\([0-9.]+ s\)|-?[0-9]+ ms|frames? [0-9]+", "N", t)
    t = re.sub(r"\S*/(\S+\.pcapng?)", r"\1", t)
    return "\n".join(l for l in t.split("\n") if "packets, loss" not in l)
def shape(path):
    r = []
    for s in ET.parse(path).getroot():
        r.append((s.tag, [s.get(k) for k in ("name", "package", "id", "tests",
                 "failures", "errors", "skipped")],
                  [(p.get("name"), norm(p.get("value"))) for p in s.find("properties")],
                  [(c.get("classname"), c.get("name"), c.get("file"), c.get("line"),
                    [(x.tag, x.get("type"), norm(x.get("message")), norm(x.text))
                     for x in c]) for c in s.findall("testcase")],
                  norm(s.find("system-out").text)))
    return r
a, b = shape(sys.argv[1]), shape(sys.argv[2])
same = a == b
print(("ok   " if same else "FAIL ") + "junit.xml of the merged shards is that of --jobs 2, "
      "but for times, frames and the pcap's folder")
if not same:
    for x, y in zip(a, b):
        if x != y:
            print("  first difference:", x[1][0], "\n   ", x, "\n   ", y)
            break
out = {s.get("name"): s.find("system-out").text or "" for s in ET.parse(sys.argv[1]).getroot()}
media = [n for n, t in out.items() if re.search(r"packets, loss [0-9.]+ %, jitter .* MOS [0-9.]+", t)]
print(("ok   " if media else "FAIL ") + f"junit.xml <system-out> holds the media figures ({len(media)} scenarios)")
sys.exit(0 if same and media else 1)
PY

closing
