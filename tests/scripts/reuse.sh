#!/usr/bin/env bash
# Reuse in scenarios end to end: a flow that includes blocks inside a
# repeat: plays in self-play, its pcap holds every expanded message, its
# reports name the iterations (F5.2); a 2nd iteration that goes wrong
# fails naming its step and the reason; --var overrides vars:.
# usage: reuse.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
flow="$src/tests/scenarios/calls-in-a-row.yaml"

"$sipflow" run "$flow" --out "$out/ok" --junit "$out/ok/j.xml" >"$out/ok.txt" 2>&1
rc=$?
cat "$out/ok.txt"
check "three calls in a row pass" "[ $rc -eq 0 ]"
check "36 steps passed" "grep -q 'PASS calls-in-a-row: 36 passed, 0 failed' '$out/ok.txt'"
check "console names iterations: F1.1, F6.2, F12.3" \
	"grep -qE '^  F1\.1 .*pass' '$out/ok.txt' && grep -qE '^  F6\.2 .*pass' '$out/ok.txt' && grep -qE '^  F12\.3 .*pass' '$out/ok.txt'"
check "report.json names F9.2 (the 2nd call's BYE)" \
	"python3 -c \"import json,sys; r=json.load(open('$out/ok/report.json')); s=r['scenarios'][0]['steps']; sys.exit(not any(x['id']=='F9.2' and x['status']=='pass' for x in s))\""
check "junit names F9.2" "grep -q 'F9.2' '$out/ok/j.xml'"
check "report.html names F9.2" "grep -q 'F9.2' '$out/ok/report.html'"
# the expected sequence, written out: three calls through P
call="INVITE INVITE 180 180 200 200 ACK ACK BYE BYE 200 200"
echo $call $call $call | tr ' ' '\n' >"$out/want"
tshark -r "$out/ok/calls-in-a-row.pcapng" -T fields -e sip.Method \
	-e sip.Status-Code -Y sip 2>/dev/null | awk '{print $1}' >"$out/seen"
check "pcap holds the 36 expanded messages in order" "diff '$out/want' '$out/seen'"
check "each call has its own Call-ID" "[ \$(tshark -r '$out/ok/calls-in-a-row.pcapng' -T fields -e sip.Call-ID -Y sip 2>/dev/null | sort -u | wc -l) -eq 3 ]"

# a negative: the 2nd iteration's message is not what the step expects
cat >"$out/second-fails.yaml" <<'YAML'
scenario: second-fails
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - repeat: 3
    steps:
      - F1: MESSAGE A -> B
        headers: {Subject: "message ${i}"}
        expect: {header: {Subject: "~^message 1$"}}
      - F2: 200 OK B -> A
YAML
"$sipflow" run "$out/second-fails.yaml" --out "$out/bad" >"$out/bad.txt" 2>&1
rc=$?
cat "$out/bad.txt"
check "2nd iteration's mismatch: exit 1" "[ $rc -eq 1 ]"
check "F1.1 and F2.1 pass" "grep -qE '^  F1\.1 .*pass' '$out/bad.txt' && grep -qE '^  F2\.1 .*pass' '$out/bad.txt'"
check "F1.2 FAILs naming the header" \
	"grep -A1 -E '^  F1\.2 .*FAIL' '$out/bad.txt' | grep -q 'header Subject: expected a value matching'"
check "F1.3 is not run" "grep -qE '^  F1\.3 .*not run' '$out/bad.txt'"

# --var overrides the flow's vars: (one call instead of three)
"$sipflow" run "$flow" --out "$out/one" --var calls=1 --var talk=10ms >"$out/one.txt" 2>&1
rc=$?
check "--var calls=1: one call, 12 steps" "[ $rc -eq 0 ] && grep -q 'PASS calls-in-a-row: 12 passed' '$out/one.txt'"
"$sipflow" run "$flow" --out "$out/x" --var cals=1 >"$out/x.txt" 2>&1
rc=$?
check "--var naming no declared variable: exit 2, said" \
	"[ $rc -eq 2 ] && grep -q -- '--var cals: no scenario declares cals' '$out/x.txt'"
"$sipflow" run "$flow" --out "$out/y" --var calls=0 >"$out/y.txt" 2>&1
rc=$?
check "--var calls=0: exit 2 at the repeat's place" \
	"[ $rc -eq 2 ] && grep -q \"calls-in-a-row.yaml:15:13: repeat: '0' is not a count from 1 to 1000\" '$out/y.txt'"

# block files are not flows: run skips them, lint checks their header
"$sipflow" run "$src/scenarios/blocks" --out "$out/b" >"$out/b.txt" 2>&1
check "run of blocks only: no scenario to play, exit 2 (a selection of none)" \
	"[ $? -eq 2 ] && grep -q 'no scenario selected' '$out/b.txt'"
printf 'block: b\nparams: {ua: rolle}\nsteps: []\n' >"$out/badblock.yaml"
"$sipflow" lint "$out/badblock.yaml" >"$out/l.txt" 2>&1
rc=$?
check "lint of a block with a bad param kind: exit 2, placed" \
	"[ $rc -eq 2 ] && grep -q \"badblock.yaml:2:14: params: ua: unknown kind 'rolle'\" '$out/l.txt'"

closing
