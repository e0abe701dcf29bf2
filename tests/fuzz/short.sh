#!/usr/bin/env bash
# cost: 43
# tests/fuzz/short.sh — a short run of each libFuzzer harness (a few
# seconds each, after a clang build of only the harnesses and the libraries
# they link): the seed corpus replayed, then fuzzed; no crash, leak or hang.
# usage: short.sh SIPFLOW SRCDIR OUTDIR (SIPFLOW unused). FUZZ_SECONDS sets
# each run's length (default 5).
set -u
src=$2 out=$3
. "$src/tests/scripts/lib/check.sh"
fz="$src/scripts/fuzz.sh"
secs=${FUZZ_SECONDS:-5}
need clang
mkdir -p "$out"
bash "$fz" build "$out/build" >"$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log"; abort "the clang build of the harnesses"; }
for name in $(bash "$fz" names); do
	# a fresh corpus each time: the run's length stays what it is
	rm -rf "$out/build/corpus/$name"
	# a fixed seed: the same inputs in every run, as far as the time
	# goes (a long run, docs/fuzzing.md, draws its own)
	bash "$fz" run "$name" "$secs" "$out/build" -seed=1 \
		>"$out/$name.txt" 2>&1
	rc=$?
	cat "$out/$name.txt"
	check "fuzz_$name: $secs s, no crash, leak or hang" "[ $rc -eq 0 ]"
done
closing_counted
