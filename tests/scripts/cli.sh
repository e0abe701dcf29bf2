#!/usr/bin/env bash
# Command-line contract: bad arguments and bad input exit 2 with a clear
# message; a failing verdict exits 1; lint reports file:line:column.
# usage: cli.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
run() { "$sipflow" "$@" >"$out/o.txt" 2>&1; echo $?; }

check "no command: exit 2" "[ $(run) -eq 2 ]"
check "unknown command: exit 2" "[ $(run frobnicate) -eq 2 ]"
check "unknown command is named" "grep -q \"unknown command 'frobnicate'\" '$out/o.txt'"
check "run without scenario: exit 2" "[ $(run run) -eq 2 ]"
check "run with a missing file: exit 2" "[ $(run run /nonexistent.yaml) -eq 2 ]"
check "bad --timeout: exit 2" "[ $(run run "$src/scenarios" --timeout soon) -eq 2 ]"
check "bad --role: exit 2" "[ $(run run "$src/scenarios" --role 'P=martian') -eq 2 ]"
check "bad --testbed file: exit 2" "[ $(run run "$src/scenarios" --testbed /nonexistent.yaml) -eq 2 ]"
check "lint of the bundled scenarios: exit 0" "[ $(run lint "$src/scenarios") -eq 0 ]"
mkdir -p "$out/tree/empty"; cp "$src/scenarios/rfc3665/direct-call.yaml" "$out/tree/"
check "lint of a directory with an empty subdirectory: exit 0, no sanitizer report" \
	"[ $(run lint "$out/tree") -eq 0 ] && ! grep -q 'runtime error' '$out/o.txt'"

# a refusal about an included step names the block's line and the include
rc=$(run run "$src/scenarios/yealink/hold-resume.yaml" --out "$out/hr" \
	--role A=dut:udp:127.0.0.99:5060 --role P=dut:udp:127.0.0.98:5060)
check "a refused scenario is counted in the closing line and report.json" \
	"grep -q '^scenarios: 0 passed, 0 failed, 1 refused (see above)' '$out/o.txt' &&
	 python3 -c \"import json,sys; t=json.load(open('$out/hr/report.json'))['totals']; sys.exit(not (t['refused'] == 1 and t['scenarios'] == 1))\""
check "two devices in an included step: exit 2 at the block's line, with where it was included" \
	"[ $rc -eq 2 ] && grep -qE '^[^ ]*scenarios/blocks/call-setup.yaml:13:5: step F1: A and P are both devices under test; .* \\(included from [^ ]*hold-resume.yaml:[0-9]+:[0-9]+ ' '$out/o.txt'"

# every file in tests/lint names its expected error on line 1:
#   # expect: FILE:LINE:COL: message
# and may name a testbed (relative to tests/lint/) on line 2:
#   # testbed: testbeds/FILE.yaml
for f in "$src"/tests/lint/*.yaml; do
	want=$(head -1 "$f" | sed -n 's/^# expect: //p')
	[ -n "$want" ] || continue
	tb=$(sed -n '2s/^# testbed: //p' "$f")
	rc=$(run lint "$f" ${tb:+--testbed "$src/tests/lint/$tb"})
	got=$(grep -F "$want" "$out/o.txt" | head -1)
	check "lint $(basename "$f"): exit 2" "[ $rc -eq 2 ]"
	check "lint $(basename "$f"): '$want'" "[ -n \"\$got\" ]"
	[ -n "$got" ] || cat "$out/o.txt"
done

# no --role or --tag is dropped, however many are given (there were 32
# places for each: the 33rd went unread)
pad=$(for i in $(seq 1 40); do printf -- '--role X%d=ua ' "$i"; done)
check "the 41st --role is read: exit 2 for its unknown kind" \
	"[ \$(run run '$src/scenarios/rfc3665/direct-call.yaml' --out '$out/roles' --quiet $pad --role P=martian) -eq 2 ] && grep -q \"unknown kind 'martian'\" '$out/o.txt'"
pad=$(for i in $(seq 1 40); do printf -- '--tag none%d ' "$i"; done)
rc=$(run run "$src/scenarios/rfc3665/direct-call.yaml" --out "$out/tags" --quiet $pad --tag basic)
check "the 41st --tag is read: the scenario with that tag plays" \
	"[ $rc -eq 0 ] && grep -q '^scenarios: 1 passed' '$out/o.txt'"

# --list with a testbed shows where each role is bound, not only its kind
cat >"$out/tb-list.yaml" <<'YAML'
roles:
  B: {kind: dut, name: bob-phone, address: udp:127.0.0.77:5070}
YAML
rc=$(run run "$src/tests/scenarios/options-ping.yaml" --list --testbed "$out/tb-list.yaml" --role A=ua:udp:127.0.0.78:5060)
check "--list --testbed: each role with its binding (B the testbed's device)" \
	"[ $rc -eq 0 ] && grep -qE '^options-ping  .*  roles: A=ua@udp:127.0.0.78:5060 B=dut@bob-phone$' '$out/o.txt'"
rc=$(run run "$src/tests/scenarios/options-ping.yaml" --list)
check "--list alone: the declared kinds" \
	"[ $rc -eq 0 ] && grep -qE '^options-ping  .*  roles: A=ua B=ua$' '$out/o.txt'"

# the rules table: sipflow rules lists it, docs/rules.md lists every id
rc=$(run rules)
n=$(grep -cE '^[A-Z0-9]+(-[A-Z0-9]+)+ ' "$out/o.txt")
check "sipflow rules: exit 0, at least 40 rules" "[ $rc -eq 0 ] && [ $n -ge 40 ]"
missing=$(grep -oE '^[A-Z0-9]+(-[A-Z0-9]+)+' "$out/o.txt" | while read -r id; do
	grep -q "^| $id |" "$src/docs/rules.md" || echo "$id"; done)
check "docs/rules.md lists every rule${missing:+ (missing: $missing)}" "[ -z '$missing' ]"

# a scenario whose expectation cannot be met: exit 1, step named
cat >"$out/bad-expect.yaml" <<'YAML'
scenario: bad-expect
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
    expect: {header: {Allow: "~SUBSCRIBE"}}
YAML
rc=$(run run "$out/bad-expect.yaml" --out "$out/r" --role A=ua:udp:127.0.44.10:5060 --role B=ua:udp:127.0.44.11:5060)
cat "$out/o.txt"
check "unmet expectation: exit 1" "[ $rc -eq 1 ]"
check "unmet expectation: F2 FAIL with the header" \
	"grep -A1 '^  F2 ' '$out/o.txt' | grep -q 'header Allow: expected a value matching \"SUBSCRIBE\", but the message has none'"

# RFC 3264 §8 end to end: B holds with a new offer whose o= version is
# its answer's plus one (passes), or the same (F4 fails naming the rule)
for v in 2 1; do
	cat >"$out/sdp-v$v.yaml" <<YAML
scenario: sdp-v$v
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> B
    dialog: call
  - F2: 200 OK B -> A
    body: "v=0\no=bob 7 1 IN IP4 127.0.44.11\ns=-\nc=IN IP4 127.0.44.11\nt=0 0\nm=audio 20002 RTP/AVP 0\n"
  - F3: ACK A -> B
  - F4: INVITE B -> A
    dialog: call
    body: "v=0\no=bob 7 $v IN IP4 127.0.44.11\ns=-\nc=IN IP4 127.0.44.11\nt=0 0\nm=audio 20002 RTP/AVP 0\na=sendonly\n"
  - F5: 200 OK A -> B
  - F6: ACK B -> A
YAML
	rc=$(run run "$out/sdp-v$v.yaml" --out "$out/sdp-v$v" --role A=ua:udp:127.0.44.10:5060 --role B=ua:udp:127.0.44.11:5060)
	cat "$out/o.txt"
	if [ $v = 2 ]; then
		check "hold offer with the o= version raised by one: exit 0" "[ $rc -eq 0 ]"
	else
		check "hold offer with the o= version unchanged: exit 1" "[ $rc -eq 1 ]"
		check "it fails F4 naming SDP-ORIGIN-NEXT and the answer's frame" \
			"grep -A1 '^  F4 ' '$out/o.txt' | grep -q 'rule SDP-ORIGIN-NEXT (RFC 3264 §8): .* got o=bob 7 1 IN IP4 127.0.44.11: the version of the party.s SDP in frame 2, with a different SDP'"
	fi
done

closing
