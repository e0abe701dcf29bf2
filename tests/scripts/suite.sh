#!/usr/bin/env bash
# Suite runs for CI: --jobs 2 gives the verdicts --jobs 1 gives (three
# shards, each one job, merged: the suite played once more would cost a
# minute), each job on its own addresses; --shard K/N splits without
# overlap and sipflow merge puts the shards back in the suite's order;
# --tag filters.
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
src1=0
for k in 1 2 3; do
	"$sipflow" run "${dirs[@]}" --out "$out/s$k" --shard $k/3 --quiet \
		>"$out/s$k.txt" 2>&1
	case $? in 0) ;; 1) src1=$((src1 + 1)) ;; *) src1=9 ;; esac
done
check "jobs 1 in shards: the one with the failing scenario exits 1, the others 0" \
	"[ $src1 -eq 1 ]"
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
python3 - "$out" "$n" <<'PY' || fail=1
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
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
check(f"jobs 1 runs {n} scenarios, 1 fails", m["totals"] == {"scenarios": n, "passed": n - 1, "failed": 1, "skipped": 0, "not_run": 0, "refused": 0})
check("jobs 2 has the same totals", j2["totals"] == m["totals"])
check("same scenario order with jobs 2", [s["name"] for s in m["scenarios"]] == [s["name"] for s in j2["scenarios"]])
addrs = {s["name"]: {r["address"] for r in s["roles"]} for s in j2["scenarios"]}
blocks = {a.split(".")[2] for v in addrs.values() for a in v}
check("jobs 2 used two loopback blocks", blocks == {"0", "1"})
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

closing
