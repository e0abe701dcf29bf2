#!/usr/bin/env bash
# tests/scripts/writes.sh — a write that fails fails the run: exit 2 and a
# line naming the file and why, whatever the verdicts, and every other
# file still written. --junit to /dev/full (no space), to a folder that
# does not exist and to a folder that cannot be written; stdout to
# /dev/full; a full disk (a tmpfs of a few KiB in a mount namespace of
# its own) as --out, where the capture fails part-way; merge, ladder
# --html and record to /dev/full.
# usage: writes.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
scn="$src/tests/scenarios/options-ping.yaml"
call="$src/scenarios/yealink/basic-call.yaml"
pool="--address-pool 127.0.64.0/24"

# run SCENARIO NAME ARGS...: play it, its exit status in $rc, its output
# (stdout and stderr) in $out/NAME.txt
run() {
	local s=$1 n=$2
	shift 2
	# shellcheck disable=SC2086
	"$sipflow" run --verbose "$s" --quiet $pool "$@" >"$out/$n.txt" 2>&1
	rc=$?
}

run "$scn" devfull --out "$out/devfull" --junit /dev/full
check "--junit /dev/full: exit 2" "[ $rc -eq 2 ]"
check "--junit /dev/full: names the file and why" \
	"grep -q '^/dev/full: cannot write: No space left on device' '$out/devfull.txt'"
check "--junit /dev/full: the other reports are written" \
	"python3 -c \"import json; json.load(open('$out/devfull/report.json'))\" && grep -q '</html>' '$out/devfull/report.html' && [ -s '$out/devfull/options-ping.pcapng' ]"

run "$scn" nodir --out "$out/nodir" --junit "$out/no/such/dir/junit.xml"
check "--junit in a missing folder: exit 2" "[ $rc -eq 2 ]"
check "--junit in a missing folder: names the file and why" \
	"grep -q '^$out/no/such/dir/junit.xml: cannot write: No such file or directory' '$out/nodir.txt'"

mkdir -p "$out/ro"; chmod 555 "$out/ro"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: a file where a folder should be refuses it
	: >"$out/ro/file"
	junit="$out/ro/file/junit.xml" why="Not a directory"
else
	junit="$out/ro/junit.xml" why="Permission denied"
fi
run "$scn" unwritable --out "$out/unwritable" --junit "$junit"
check "--junit that cannot be written: exit 2" "[ $rc -eq 2 ]"
check "--junit that cannot be written: names the file and why" \
	"grep -q '^$junit: cannot write: $why' '$out/unwritable.txt'"

# a failing verdict and a failed write: the write's 2 wins
run "$src/tests/scenarios/expect-unmet.yaml" failwrite --out "$out/fw" \
	--junit /dev/full
check "a failing run whose --junit fails: exit 2" "[ $rc -eq 2 ]"

# the console is written too: stdout on /dev/full
"$sipflow" run --verbose "$scn" $pool --out "$out/stdout" >/dev/full 2>"$out/stdout.txt"
check "stdout on /dev/full: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -q '^sipflow run: stdout: cannot write: No space left on device' '$out/stdout.txt'"

# a full disk: 4 KiB of tmpfs (one page), in a mount namespace of this
# test's own; full NAME SCENARIO ARGS...: SCENARIO played with its --out
# there, its output in $out/NAME.txt, exit status in $rc, the folder's
# listing in $out/NAME.ls
full() {
	local n=$1 s=$2
	shift 2
	mkdir -p "$out/$n"
	# shellcheck disable=SC2016
	unshare -m bash -c 'd=$1 sf=$2 call=$3 o=$4 n=$5; shift 5
		mount -t tmpfs -o size=4k sipflow-full "$d" || exit
		"$sf" run "$call" --out "$d/out" \
			--address-pool 127.0.64.0/24 "$@" >"$o/$n.txt" 2>&1
		echo $? >"$o/$n.rc"
		ls -l "$d/out" >"$o/$n.ls" 2>&1' full "$out/$n" "$sipflow" \
		"$s" "$out" "$n" "$@"
	rc=$(cat "$out/$n.rc" 2>/dev/null || echo none)
}

if ! unshare -m true 2>"$out/unshare.txt"; then
	echo "FAIL a mount namespace of its own is needed for the full disk" \
		"(root, or CAP_SYS_ADMIN): $(cat "$out/unshare.txt")"
	fail=1 nfail=$((nfail + 1))
else
	full full "$call"
	cat "$out/full.txt"
	check "full disk: exit 2 (the verdicts passed)" "[ '$rc' = 2 ] && grep -q '^PASS basic-call' '$out/full.txt'"
	check "full disk: names the capture and why" \
		"grep -q '/out/basic-call.pcapng: cannot write: No space left on device' '$out/full.txt'"
	check "full disk: the scenario's line says its capture is not whole" \
		"grep -q '^PASS basic-call: .*basic-call.pcapng (not whole: cannot write: No space left on device)' '$out/full.txt'"
	check "full disk: the capture holds what fitted (4 KiB)" \
		"grep -q ' 4096 .* basic-call.pcapng' '$out/full.ls'"
	check "full disk: names each report it could not write" \
		"grep -q '/out/report.json: cannot write: No space left on device' '$out/full.txt' && grep -q '/out/report.html: cannot write: No space left on device' '$out/full.txt'"
	full fullpcap "$call" --pcap-format pcap
	check "full disk, classic pcap: exit 2, naming the capture and why" \
		"[ '$rc' = 2 ] && grep -q '/out/basic-call.pcap: cannot write: No space left on device' '$out/fullpcap.txt'"

	# a phone records what it hears (phone.sh's record case) next to
	# the capture: the WAV is named too
	sed -n '1,/^  - F4:/p' "$src/tests/phone/media-ok.yaml" |
		sed 's/^scenario: media-ok/scenario: rec/; s/tone: 1004Hz//
			s/auto-answer: 0s/auto-answer: 0s, record: true/' \
		>"$out/rec.yaml"
	echo "  - wait: 1s" >>"$out/rec.yaml"
	full fullrec "$out/rec.yaml"
	check "full disk, a phone's recording: exit 2, naming the WAV and why" \
		"[ '$rc' = 2 ] && grep -q '/out/rec-B-1.wav: cannot write: No space left on device' '$out/fullrec.txt'"
fi

# merge and ladder --html write reports too
"$sipflow" run --verbose "$scn" --quiet $pool --out "$out/ok" >"$out/ok.txt" 2>&1
check "a run that writes everything: exit 0" "[ $? -eq 0 ]"
"$sipflow" ladder "$out/ok/options-ping.pcapng" --html /dev/full \
	>"$out/ladder.txt" 2>&1
check "ladder --html /dev/full: exit 2, naming the file and why" \
	"[ $? -eq 2 ] && grep -q '^/dev/full: cannot write: No space left on device' '$out/ladder.txt'"
mkdir -p "$out/merged"; ln -sf /dev/full "$out/merged/junit.xml"
"$sipflow" merge "$out/merged" "$out/ok" >"$out/merge.txt" 2>&1
check "merge with junit.xml on /dev/full: exit 2, naming the file" \
	"[ $? -eq 2 ] && grep -q 'junit.xml: cannot write: No space left on device' '$out/merge.txt'"
"$sipflow" ladder "$out/ok/options-ping.pcapng" >/dev/full 2>"$out/ladder-out.txt"
check "ladder >/dev/full: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -q '^sipflow ladder: stdout: cannot write: No space left on device' '$out/ladder-out.txt'"
"$sipflow" ladder "$out/ok/options-ping.pcapng" | head -1 >/dev/null
lrc=${PIPESTATUS[0]}
check "ladder | head -1: exit 0 (the reader stopped; nothing lost)" \
	"[ $lrc -eq 0 ]"
"$sipflow" diff "$out/ok/options-ping.pcapng" "$out/ok/options-ping.pcapng" \
	>/dev/full 2>"$out/diff-out.txt"
check "diff >/dev/full: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -q '^sipflow diff: stdout: cannot write: No space left on device' '$out/diff-out.txt'"
"$sipflow" record --interface lo --out /dev/full --duration 200ms \
	>"$out/record.txt" 2>&1
check "record --out /dev/full: exit 2, naming the file and why" \
	"[ $? -eq 2 ] && grep -q '^/dev/full: cannot write: No space left on device' '$out/record.txt'"
closing_counted
