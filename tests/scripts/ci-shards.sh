#!/usr/bin/env bash
# The CI definitions of docs/ci/ (GitLab `parallel:`, GitHub Actions
# matrix): valid YAML naming only commands and options sipflow has; and
# their own command lines, run as written: every shard at once, each as
# a process of its own in a network namespace of its own (as on its own
# runner; without the right to make one, each on its own address pool),
# each into its own --out, then merged: the merged report.json and
# junit.xml equal one run of the whole library but for times and each
# run's random values (ci_shards.py says what it normalises and why).
# Negative: a shard left out, a scenario whose verdict differs, an
# unknown option, YAML that does not parse: each is caught.
# usage: ci-shards.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$(realpath "$1") src=$(cd "$2" && pwd) out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need python3
python3 -c 'import yaml' 2>/dev/null ||
	abort "python3-yaml is not installed (bash scripts/setup.sh test installs it)"
cc() { python3 "$src/tests/scripts/ci_shards.py" "$@"; }
# own namespace for each process, if we may make one
if [ "${SIPFLOW_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
	ns() { bash "$src/tests/netns.sh" "$@"; }
	own_pool() { :; }
else
	ns() { "$@"; }
	own_pool() { echo " --address-pool 127.$1.0.10-127.$1.255.254"; }
fi

# a work folder as a CI job's checkout: the library, and build/sipflow
work=$out/work
mkdir -p "$work/build"
ln -s "$src/scenarios" "$work/scenarios"
ln -s "$sipflow" "$work/build/sipflow"

# the reference: one run of the whole library
(cd "$work" && ns build/sipflow run scenarios/ --out single --quiet) \
	>"$out/single.txt" 2>&1
single_rc=$?
check "one run of the library: exit 0" "[ $single_rc -eq 0 ]"
# on a loaded machine a phone's media may starve: say which step, if so
grep -E -A2 '^ +[^ ]+ .* FAIL ' "$out/single.txt" | head -20

cc check "$sipflow" "$src"/docs/ci/*.yml >"$out/check.txt" 2>&1
check "docs/ci/*.yml: valid YAML, shard and merge, only commands and options sipflow has" \
	"[ $? -eq 0 ]"
cat "$out/check.txt"

for f in "$src"/docs/ci/*.yml; do
	name=$(basename "$f" .yml)
	cc plan "$f" >"$out/$name.plan" || abort "$name: no plan"
	n=$(sed -n 's/^N //p' "$out/$name.plan")
	rm -rf "$work/out"
	pids=()
	for k in $(seq "$n"); do
		line=$(sed -n "s/^shard $k: //p" "$out/$name.plan")
		(cd "$work" && ns bash -c "$line$(own_pool "$k")") \
			>"$out/$name.shard$k.txt" 2>&1 &
		pids+=($!)
	done
	rcs=
	for p in "${pids[@]}"; do wait "$p"; rcs="$rcs$?"; done
	grep -h -E -A2 '^ +[^ ]+ .* FAIL ' "$out/$name".shard*.txt | head -20
	check "$name: $n shards at once, each its own --out: each exits 0 ($rcs)" \
		"[ '$rcs' = \"\$(printf '0%.0s' \$(seq $n))\" ] && [ -d '$work/out/shard-$n' ]"
	merge=$(sed -n 's/^merge: //p' "$out/$name.plan")
	(cd "$work" && bash -c "$merge") >"$out/$name.merge.txt" 2>&1
	check "$name: the merge exits 0" "[ $? -eq 0 ]"
	cc compare "$work/single" "$work/out/merged" >"$out/$name.cmp" 2>&1
	check "$name: merged report.json and junit.xml equal the single run's" \
		"[ $? -eq 0 ]"
	cat "$out/$name.cmp"
	cp -r "$work/out" "$out/$name.out"
done

# --- negative: each of these must be told ---------------------------------
o=$out/gitlab-ci.out
# one shard left out of the merge: scenarios missing
"$sipflow" merge "$out/miss" "$o/shard-1" "$o/shard-2" "$o/shard-3" >/dev/null 2>&1
cc compare "$work/single" "$out/miss" >"$out/miss.cmp" 2>&1
check "a shard left out: the comparison fails, naming the counts" \
	"[ $? -eq 1 ] && grep -q 'totals' '$out/miss.cmp'"
# a verdict that differs: one scenario's step failed in the copy
cp -r "$o/merged" "$out/flip"
python3 - "$out/flip/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["scenarios"][3]["steps"][0]["status"] = "fail"
json.dump(r, open(sys.argv[1], "w"))
PY
cc compare "$work/single" "$out/flip" >"$out/flip.cmp" 2>&1
check "a step's verdict changed: the comparison fails, naming it" \
	"[ $? -eq 1 ] && grep -q 'report.json.scenarios\[3\].steps\[0\].status' '$out/flip.cmp'"
# a testcase that differs in junit.xml (a step renamed)
cp -r "$o/merged" "$out/junit"
sed -i '0,/name="F2 180 Ringing B -&gt; A"/s//name="F2 183 Session Progress B -\&gt; A"/' \
	"$out/junit/junit.xml"
cc compare "$work/single" "$out/junit" >"$out/junit.cmp" 2>&1
check "a testcase changed in junit.xml: the comparison fails, naming it" \
	"[ $? -eq 1 ] && grep -q '^junit.xml.*183 Session Progress' '$out/junit.cmp'"
# a CI file naming an option sipflow does not have, and one that is not YAML
sed 's/--shard /--shards /' "$src/docs/ci/gitlab-ci.yml" >"$out/bad-option.yml"
printf 'scenarios:\n  script: [a\n' >"$out/bad-yaml.yml"
sed 's/^  parallel: 4$//' "$src/docs/ci/gitlab-ci.yml" >"$out/no-parallel.yml"
cc check "$sipflow" "$out/bad-option.yml" "$out/bad-yaml.yml" \
	"$out/no-parallel.yml" >"$out/bad.txt" 2>&1
check "a CI file with an unknown option, one not YAML, one not sharded: exit 1" \
	"[ $? -eq 1 ]"
check "... the unknown option named" \
	"grep -q 'bad-option.yml: .*sipflow run has no option --shards' '$out/bad.txt'"
check "... the YAML error named" "grep -q 'bad-yaml.yml: not valid YAML' '$out/bad.txt'"
check "... the missing parallel: named" \
	"grep -q 'no-parallel.yml: no job is split in shards' '$out/bad.txt'"
cat "$out/bad.txt"

closing_counted
