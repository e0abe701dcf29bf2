#!/usr/bin/env bash
# scripts/fuzz.sh — build and run the libFuzzer harnesses (tests/fuzz/,
# docs/fuzzing.md) with clang, in a build folder of their own.
#   fuzz.sh build [DIR]             configure and build only the harnesses
#                                   and the libraries they link
#   fuzz.sh run NAME SECONDS [DIR] [ARGS...]
#                                   fuzz one harness (yaml testbed sip pcap)
#                                   for SECONDS, niced; new inputs in
#                                   DIR/corpus/NAME, crashes in DIR/crashes/
#   fuzz.sh names                   the harnesses
# DIR defaults to build-fuzz. A run prints libFuzzer's last status line and
# figures: "fuzz_NAME: N runs, cov C ft F, corpus K" and exits 1 on a
# crash, a leak, a hang (-timeout) or an input past the memory limit.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
names="yaml testbed sip pcap"
what=${1:-}

build() {
	local dir=$1
	if ! command -v clang >/dev/null; then
		echo "clang is not installed (bash scripts/setup.sh test" \
		     "installs it)" >&2
		return 1
	fi
	cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER=clang -DSIPFLOW_FUZZ=ON \
		-DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	nice cmake --build "$dir" --target fuzz -j"$(nproc)"
}

run() {
	local name=$1 secs=$2 dir=$3 log rc
	shift 3
	local bin=$dir/tests/fuzz/fuzz_$name seeds=$src/tests/fuzz/corpus/$name
	local dict=$src/tests/fuzz/$name.dict opts=()
	[ -f "$dict" ] && opts+=(-dict="$dict")
	[ -x "$bin" ] || { echo "$bin: not built (fuzz.sh build)" >&2; return 1; }
	mkdir -p "$dir/corpus/$name" "$dir/crashes"
	log=$dir/fuzz_$name.log
	rc=0
	# the first folder takes new inputs; the seeds are only read
	SIPFLOW_SRC=$src nice "$bin" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$name-" \
		"${opts[@]}" "$@" "$dir/corpus/$name" "$seeds" >"$log" 2>&1 || rc=$?
	grep -E '^#[0-9]+([[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)|: cov)' \
		"$log" | tail -1
	grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" ||
		true
	# a status line: "#N<tab>DONE cov: …", with -fork "#N: cov: …"
	awk -v n="fuzz_$name" '
		/^#[0-9]+[:[:space:]].*cov: / { for (i = 1; i <= NF; i++) {
			if ($i == "cov:") c = $(i + 1)
			if ($i == "ft:") f = $(i + 1)
			if ($i == "corp:") k = $(i + 1) }
			r = substr($1, 2) + 0 }
		/stat::number_of_executed_units/ { r = $2 }
		END { printf "%s: %s runs, cov %s ft %s, corpus %s\n",
			n, r, c, f, k }' "$log"
	return $rc
}

case "$what" in
build)
	build "${2:-$src/build-fuzz}"
	;;
run)
	[ $# -ge 3 ] || { echo "usage: $0 run NAME SECONDS [DIR]" >&2; exit 2; }
	name=$2 secs=$3 dir=${4:-$src/build-fuzz}
	shift $(( $# < 4 ? $# : 4 ))
	run "$name" "$secs" "$dir" "$@"
	;;
names)
	echo "$names"
	;;
*)
	echo "usage: $0 build [DIR] | run NAME SECONDS [DIR] [ARGS] | names" >&2
	exit 2
	;;
esac
