#!/usr/bin/env bash
# requires: / offers: — a scenario whose device lacks what it needs is
# skipped with the reason (console, report.json, junit.xml, report.html,
# merge), counted as skipped and not failed (exit 0); with the capability
# it is played; in self-play the scripted roles meet it, a phone does not.
# A testbed's unknown capability is an error with a suggestion.
# usage: requires.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
json() { python3 -c "import json,sys; r=json.load(open('$1')); sys.exit(not ($2))"; }

# a flow that needs a registrar of P, and one that does not involve P
cat >"$out/need.yaml" <<'YAML'
scenario: need
requires: {P: [registrar]}
roles:
  A: {kind: ua, user: alice}
  P: {kind: proxy, user: registrar, domain: example.test}
steps:
  - F1: REGISTER A -> P
  - F2: 200 OK P -> A
YAML
cat >"$out/plain.yaml" <<'YAML'
scenario: plain
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
YAML
mkdir -p "$out/suite"; cp "$out/need.yaml" "$out/plain.yaml" "$out/suite/"
# nobody listens on 127.0.0.1:5099: a device that offers registrar is
# played, and fails for its own reason
for t in lacks:"[register-digest]" offers:"[registrar]"; do
	cat >"$out/${t%%:*}.yaml" <<YAML
roles:
  P: {kind: dut, name: kamailio, address: udp:127.0.0.1:5099,
      offers: ${t#*:}}
YAML
done
cat >"$out/silent.yaml" <<'YAML'
roles:
  P: {kind: dut, address: udp:127.0.0.1:5099}
YAML

# --- the device lacks it: skipped, everywhere, exit 0 -------------------
"$sipflow" run "$out/suite" --testbed "$out/lacks.yaml" --out "$out/skip" \
	--junit "$out/skip/junit.xml" --timeout 500ms >"$out/skip.txt" 2>&1
rc=$?
cat "$out/skip.txt"
why="P (kamailio) does not offer registrar"
check "lacking a requirement: exit 0 (nothing failed)" "[ $rc -eq 0 ]"
check "console: SKIP line with the reason" \
	"grep -qF 'SKIP need: skipped: $why' '$out/skip.txt'"
check "console: the closing line counts it skipped" \
	"grep -q '^scenarios: 1 passed, 0 failed, 1 skipped' '$out/skip.txt'"
check "report.json: result skip with the reason, totals.skipped 1" \
	"json '$out/skip/report.json' \"[s for s in r['scenarios'] if s['name'] == 'need' and s['result'] == 'skip' and s['skip_reason'] == '$why'] and r['totals']['skipped'] == 1 and r['totals']['failed'] == 0 and r['totals']['passed'] == 1\""
check "junit.xml: the scenario's test case is <skipped> with the reason" \
	"grep -qF '<skipped message=\"$why\"/>' '$out/skip/junit.xml' &&
	 grep -q '<testsuite name=\"need\" .* tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\"' '$out/skip/junit.xml'"
check "report.html: the skip and its reason" \
	"grep -qF '\"skip_reason\":\"$why\"' '$out/skip/report.html' &&
	 grep -qF \"'skipped: '+sc.skip_reason\" '$out/skip/report.html'"
check "no pcap for a scenario that was not played" "[ ! -e '$out/skip/need.pcapng' ]"
check "report.json and junit.xml keep their schema with a skipped scenario" \
	"python3 '$src/tests/scripts/check_reports.py' '$out/skip' pass 2 '$out/skip/junit.xml'"

"$sipflow" merge "$out/merged" "$out/skip" >"$out/merge.txt" 2>&1
rc=$?
check "merge keeps the skip: exit 0, 1 skipped" \
	"[ $rc -eq 0 ] && grep -q '1 passed, 0 failed, 1 skipped' '$out/merge.txt' &&
	 json '$out/merged/report.json' \"r['totals']['skipped'] == 1\""

# no offers: at all: the device offers nothing, and the reason says so
"$sipflow" run "$out/need.yaml" --testbed "$out/silent.yaml" --out "$out/none" \
	>"$out/none.txt" 2>&1
rc=$?
check "a device without offers: is skipped, and the reason says the testbed gives none" \
	"[ $rc -eq 0 ] && grep -qF 'skipped: P (udp:127.0.0.1:5099) does not offer registrar (the testbed gives it no offers:)' '$out/none.txt'"

# --- the device offers it: the scenario is played -----------------------
"$sipflow" run "$out/need.yaml" --testbed "$out/offers.yaml" --out "$out/run" \
	--timeout 500ms >"$out/run.txt" 2>&1
rc=$?
cat "$out/run.txt"
check "offering the requirement: played (F1 sent, F2 waited for: exit 1 with nobody there)" \
	"[ $rc -eq 1 ] && grep -q 'no 200 OK from P at A within 0.5 s' '$out/run.txt' && [ -s '$out/run/need.pcapng' ]"

# --- self-play: the scripted proxy is a registrar; a phone is not ------
"$sipflow" run "$out/need.yaml" --out "$out/self" >"$out/self.txt" 2>&1
check "self-play: the scripted P meets the requirement and passes" \
	"[ $? -eq 0 ] && grep -q '^PASS need' '$out/self.txt'"
sed 's/requires: {P: \[registrar\]}/requires: {A: [registrar]}/; s/A: {kind: ua, user: alice}/A: {kind: phone, user: alice, proxy: P}/; s/  - F1: REGISTER A -> P/  - do: A register\n  - F1: REGISTER A -> P/' \
	"$out/need.yaml" >"$out/phone.yaml"
"$sipflow" run "$out/phone.yaml" --out "$out/phone" >"$out/phone.txt" 2>&1
check "self-play: a phone is no registrar: skipped, exit 0" \
	"[ $? -eq 0 ] && grep -qF 'skipped: A (a simulated phone) does not implement registrar' '$out/phone.txt'"

# --- a failing scenario beside a skipped one still fails the run --------
sed 's/200 OK B -> A/404 Not Found B -> A/; s/F2: 404/F2: 404/' "$out/plain.yaml" \
	>"$out/suite/plain.yaml"
sed -i 's/^  - F2: 404 Not Found B -> A$/  - F2: 404 Not Found B -> A\n    expect: {header: {X-Never: present}}/' \
	"$out/suite/plain.yaml"
"$sipflow" run "$out/suite" --testbed "$out/lacks.yaml" --out "$out/mixed" \
	--timeout 500ms >"$out/mixed.txt" 2>&1
check "a failure beside a skip: exit 1, counted 0 passed, 1 failed, 1 skipped" \
	"[ $? -eq 1 ] && grep -q '^scenarios: 0 passed, 1 failed, 1 skipped' '$out/mixed.txt'"

# --- a testbed's unknown capability: exit 2, with a suggestion ---------
cat >"$out/typo.yaml" <<'YAML'
roles:
  P: {kind: dut, address: udp:127.0.0.1:5099, offers: [registrar, forward-on-buys]}
YAML
"$sipflow" run "$out/need.yaml" --testbed "$out/typo.yaml" --out "$out/typo" \
	>"$out/typo.txt" 2>&1
rc=$?
check "testbed offers: unknown name: exit 2 with did-you-mean" \
	"[ $rc -eq 2 ] && grep -q \"typo.yaml:2:67: role P: offers: unknown capability 'forward-on-buys' (did you mean 'forward-on-busy'?)\" '$out/typo.txt'"
"$sipflow" lint "$out/need.yaml" --testbed "$out/typo.yaml" >"$out/lint-typo.txt" 2>&1
check "lint --testbed with that testbed: exit 2" "[ $? -eq 2 ]"

# the vocabulary is documented where scenarios and testbeds are
names=$(sed -n 's/.*(capabilities: \(.*\))$/\1/p' "$out/typo.txt" | tr -d ,)
missing=$(for n in $names; do
	grep -q "^| \`$n\` |" "$src/docs/testbed.md" &&
	grep -q "^| \`$n\` |" "$src/docs/scenario-format.md" || echo "$n"; done)
check "docs/testbed.md and docs/scenario-format.md list every capability${missing:+ (missing: $missing)}" \
	"[ -n '$names' ] && [ -z '$missing' ]"

closing
