#!/usr/bin/env bash
# What the device hears, judged from its own recording: a baresip as B
# (answering by itself) with its sndfile module writing what it decodes to
# a directory the testbed names (driver: {recording: DIR}); sipflow reads
# what the recording gained during a media window and puts it through the
# same level and tone checks as a simulated phone's ears.
#   two-way: both directions judged, B's from its recording (A's 650 Hz)
#   negatives: A sends 700 Hz where the step wants 650 Hz (fails naming
#   the 700 Hz measured); A sends silence (fails: only silence); a
#   recording directory that does not exist (fails, named); without
#   recording: the device's direction is noted as not measured, as before
# usage: hil-heard.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$src/tests/interop/lib/checks.sh"
need baresip
. "$src/tests/interop/lib/baresip.sh"

rec="$out/rec"
check "baresip bob (B) comes up on 127.0.0.31, recording into $rec" \
	"BARESIP_RECORD='$rec' start_baresip bob bob 127.0.0.31 30400 127.0.0.43:5060 auto"

DEV_A=127.0.0.30 DEV_B=127.0.0.31
SIM_A=127.0.0.40 SIM_B=127.0.0.41 SIM_C=127.0.0.42 SIM_P=127.0.0.43
testbed rec.yaml B "{type: baresip, control: \"127.0.0.31:4444\", recording: \"$rec\"}"
testbed norec.yaml B '{type: baresip, control: "127.0.0.31:4444"}'
testbed badrec.yaml B "{type: baresip, control: \"127.0.0.31:4444\", recording: \"$out/nosuch\"}"

# scenario NAME A-TONE MEDIA-STEP: A (a phone) calls B, who answers by
# itself; then the media step, then A hangs up
scenario() {
	cat >"$out/$1.yaml" <<YAML
scenario: $1
roles:
  A: {kind: phone, user: alice, proxy: P, tone: $2}
  B: {kind: phone, user: bob, proxy: P, auto-answer: 0s}
  P: {kind: proxy, domain: example.test, record-route: true}
steps:
  - do: A dial B
  - F1: INVITE A -> P
  - F2: INVITE P -> B
  - F3: 180 Ringing B -> P
    optional: true
  - F4: 180 Ringing P -> A
    optional: true
  - F5: 200 OK B -> P
    within: 2s
  - F6: 200 OK P -> A
  - F7: ACK A -> P
  - F8: ACK P -> B
  - media: $3
  - do: A hangup
  - F9: BYE A -> P
  - F10: BYE P -> B
  - F11: 200 OK B -> P
  - F12: 200 OK P -> A
YAML
}
run() {  # run NAME TESTBED: output in $out/NAME.txt, status in rc
	"$sipflow" run --verbose "$out/$1.yaml" --testbed "$out/$2" --out "$out/$1" \
		--timeout 3s >"$out/$1.txt" 2>&1
	rc=$?
	cat "$out/$1.txt"
	# a failed step leaves the call up at B (the BYE steps do not run):
	# hang it up, or the fifth call meets baresip's 486 Max Calls
	[ $rc -eq 0 ] || python3 "$src/tests/hil/ctl.py" 127.0.0.31:4444 \
		hangup >/dev/null 2>&1
}
has() { grep -qE -- "$2" "$out/$1.txt"; }
verdict() {  # verdict NAME STEP-REGEX REASON-REGEX
	grep -A1 -E "^ +$2 +FAIL" "$out/$1.txt" | tail -1 | grep -qE -- "$3"
}

scenario two-way 650Hz '{between: [A, B], expect: two-way, for: 2s}'
run two-way rec.yaml
check "two-way: passes (exit 0)" "[ $rc -eq 0 ]"
check "two-way: A -> B judged from B's recording: A's 650 Hz, the level, the file" \
	"has two-way 'A -> B \\(the device.s recording $rec/dump-[0-9-]+-dec\\.wav\\): [0-9]+ ms, level -[0-9.]+ dBov, strongest tone 650 Hz'"
check "two-way: B -> A judged by A's ears as before (baresip's 1000 Hz)" \
	"has two-way 'B -> A: [0-9]+ packets, loss'"
check "two-way: no direction is 'not measured'" "! has two-way '-> [AB] not measured'"

scenario wrong-tone 700Hz '{from: A, to: B, expect: tone 650Hz, for: 1s}'
run wrong-tone rec.yaml
check "wrong tone: exit 1" "[ $rc -eq 1 ]"
check "wrong tone: the step fails naming the 700 Hz the device heard" \
	"verdict wrong-tone 'media A -> B tone 650 Hz' 'A -> B: expected a tone at 650 Hz, the device.s recording .*-dec\\.wav has a share of 0\\.[0-4][0-9] at 650 Hz; its strongest tone is 700 Hz'"

scenario silent off '{between: [A, B], expect: two-way, for: 1s}'
run silent rec.yaml
check "A silent: exit 1" "[ $rc -eq 1 ]"
check "A silent: the device's direction fails on silence in its recording" \
	"verdict silent 'media A <-> B two-way' 'A -> B: only silence \\(-[0-9.]+ dBov\\) in the device.s recording'"

cp "$out/two-way.yaml" "$out/two-way-badrec.yaml"
run two-way-badrec badrec.yaml
check "recording directory missing: exit 1, the step names it" \
	"[ $rc -eq 1 ] && verdict two-way-badrec 'media A <-> B two-way' 'A -> B: the device.s recording cannot be read: cannot read the directory $out/nosuch'"

cp "$out/two-way.yaml" "$out/two-way-norec.yaml"
run two-way-norec norec.yaml
check "no recording in the testbed: passes, A -> B noted as not measured" \
	"[ $rc -eq 0 ] && has two-way-norec 'A -> B not measured: B is a device under test with no recording'"

scenario oneway-norec 650Hz '{from: A, to: B, expect: tone 650Hz, for: 1s}'
run oneway-norec norec.yaml
check "one-way to a device without recording: skipped, saying why" \
	"[ $rc -eq 0 ] && grep -A1 -E '^ +media A -> B tone 650 Hz +skip' '$out/oneway-norec.txt' | grep -q 'its own recording'"
