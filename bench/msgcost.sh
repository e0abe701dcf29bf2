#!/usr/bin/env bash
# bench/msgcost.sh — what judging one SIP message costs, in instructions
# (callgrind) and CPU time, for a fixed workload: the RFC 3665 library
# played once (sipflow run scenarios/rfc3665/ -j 1: the whole run, report
# writing included), and its captured messages judged again by
# bench/msgcost.c (msgrec_alloc + transaction lookup + rules: what a run
# does per message). Given a second build dir (say, of main), prints both
# side by side. Needs valgrind; run as root for a network namespace of its
# own (the library binds 127.0.0.x:5060).
# usage: bench/msgcost.sh BUILD_DIR [BASE_BUILD_DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
builds=("$1")
[ $# -gt 1 ] && builds+=("$2")
command -v valgrind >/dev/null || { echo "msgcost.sh: valgrind is missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

netns() {
	if unshare -n true 2>/dev/null; then
		unshare -n bash -c 'ip link set lo up && exec "$@"' netns "$@"
	else "$@"; fi
}
# Ir of a callgrind output file
total() { callgrind_annotate "$1" 2>/dev/null |
	awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'; }
# the ten functions of sipflow's or libre's of most inclusive Ir, "Ir name"
# per line
top10() { callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
	awk -v bin="[$2]" '$1 ~ /^[0-9,]+$/ &&
		(index($0, bin) || index($0, "/libre.so")) {
		n = $0; sub(/ \[.*/, "", n); sub(/.*:/, "", n);
		if (n ~ /^(main|cmd_run|\(below main\)|0x[0-9a-f]+)$/ ||
		    n ~ /\047[0-9]+$/) next
		gsub(",", "", $1); print $1, n; if (++k == 10) exit }'; }

i=0
for b in "${builds[@]}"; do
	out=$tmp/run$i
	netns valgrind --tool=callgrind --callgrind-out-file="$tmp/run$i.cg" \
		"$b/sipflow" run "$src/scenarios/rfc3665/" -j 1 -q \
		--out "$out" >"$tmp/run$i.log" 2>&1 ||
		{ echo "msgcost.sh: the run failed ($b)"; tail "$tmp/run$i.log"; exit 1; }
	valgrind --tool=callgrind --callgrind-out-file="$tmp/judge$i.cg" \
		--toggle-collect='judge_all*' "$b/bench/msgcost" -r 1 \
		"$out"/*.pcapng >"$tmp/judge$i.txt" 2>/dev/null
	"$b/bench/msgcost" -r 200 "$out"/*.pcapng >"$tmp/cpu$i.txt"
	msgs[$i]=$(awk '/^messages/ { sub(",", "", $2); print $2 }' "$tmp/judge$i.txt")
	run_ir[$i]=$(total "$tmp/run$i.cg")
	judge_ir[$i]=$(total "$tmp/judge$i.cg")
	cpu[$i]=$(awk '/^cpu per/ { print $5 }' "$tmp/cpu$i.txt")
	top10 "$tmp/run$i.cg" "$b/sipflow" >"$tmp/top$i.txt"
	top10 "$tmp/judge$i.cg" "$b/bench/msgcost" >"$tmp/jtop$i.txt"
	i=$((i + 1))
done

col() { if [ ${#builds[@]} -gt 1 ]; then printf '%16s %16s\n' "$1" "$2";
	else printf '%16s\n' "$1"; fi; }
hdr=$(col "${builds[0]}" "${builds[1]:-}")
printf '%-44s %s\n' "workload: rfc3665 library, ${msgs[0]} SIP messages" "$hdr"
row() { local a b; a=$(eval echo "\${$1[0]}"); b=$(eval echo "\${$1[1]:-}")
	printf '%-44s %s\n' "$2" "$(col "$a" "$b")"; }
per() { echo "$1 / $2" | bc; }
row run_ir "instructions, sipflow run (all)"
run_pm=("$(per "${run_ir[0]}" "${msgs[0]}")")
[ $i -gt 1 ] && run_pm+=("$(per "${run_ir[1]}" "${msgs[1]}")")
row run_pm "  per message"
row judge_ir "instructions, judging the messages (msgcost)"
judge_pm=("$(per "${judge_ir[0]}" "${msgs[0]}")")
[ $i -gt 1 ] && judge_pm+=("$(per "${judge_ir[1]}" "${msgs[1]}")")
row judge_pm "  per judged message"
row cpu "CPU us per judged message (200 passes)"
for k in $(seq 0 $((i - 1))); do
	echo
	echo "top 10 functions by inclusive instructions, sipflow run (${builds[$k]}):"
	awk '{ printf "  %12s  %s\n", $1, $2 }' "$tmp/top$k.txt"
	echo "top 10, judging the messages (${builds[$k]}):"
	awk '{ printf "  %12s  %s\n", $1, $2 }' "$tmp/jtop$k.txt"
done
