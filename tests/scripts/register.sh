#!/usr/bin/env bash
# Testbed register: (engine/load/prologue.c): simulated roles register with the
# registrar before the flow, as setup steps played, checked and reported
# like any other; a registrar that refuses fails the setup step, named.
# The peer registrar is a second sipflow run, started and stopped by pid.
# usage: register.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"

A=127.0.75.10:5060 B=127.0.75.11:5060 P=127.0.75.12:5060

# 1. self-play: B and the phone B register with P before the call
cat >"$out/self.yaml" <<YAML
roles:
  A: {kind: ua, address: udp:$A}
  B: {kind: ua, address: udp:$B, register: P}
  P: {kind: proxy, address: udp:$P}
YAML
"$sipflow" run --verbose "$src/scenarios/yealink/basic-call.yaml" \
	"$src/scenarios/yealink/basic-call-phones.yaml" --testbed "$out/self.yaml" \
	--out "$out/self" >"$out/self.txt" 2>&1
rc=$?
cat "$out/self.txt"
check "self-play with register: exit 0" "[ $rc -eq 0 ]"
check "the REGISTER and its 200 come before F1, in both flows" \
	"[ \$(grep -A2 -E '^ +reg-B +REGISTER +B -> P +pass +frame 1' '$out/self.txt' |
	     grep -cE 'reg-B-ok *200 OK +P -> B +pass +frame 2') -eq 2 ]"
check "the phone presses its register button first" \
	"grep -q 'do B register' '$out/self.txt'"
check "A, without register:, sends no REGISTER" \
	"! grep -q 'reg-A' '$out/self.txt'"
check "report.json lists the setup steps first, marked setup" \
	"python3 -c \"import json,sys; d=json.load(open('$out/self/report.json'));
s=d['scenarios'][0]['steps']; sys.exit(0 if [x['id'] for x in s[:2]]==['reg-B','reg-B-ok'] and s[2]['id']=='F1' and s[0].get('setup') and s[1].get('setup') and not s[2].get('setup') else 1)\""

# 2. a registrar that refuses (a stand-in answering 403): the flow fails
#    at the setup step, naming what came
cat >"$out/refuser.yaml" <<'YAML'
scenario: refuser
roles:
  B: {kind: dut}
  P: {kind: ua, user: registrar}
steps:
  - F1: REGISTER B -> P
  - F2: 403 Forbidden P -> B
YAML
cat >"$out/dut.yaml" <<YAML
roles:
  A: {kind: ua, address: udp:$A}
  B: {kind: ua, address: udp:$B, register: P}
  P: {kind: dut, address: udp:$P}
YAML
"$sipflow" run --verbose "$out/refuser.yaml" --out "$out/peer" --role B=dut:udp:$B \
	--role P=ua:udp:$P --timeout 5s >"$out/peer.txt" 2>&1 &
pid=$!
wait_bound "$P" || echo "the stand-in registrar did not bind $P"
"$sipflow" run --verbose "$src/scenarios/yealink/basic-call.yaml" --testbed "$out/dut.yaml" \
	--out "$out/refused" --timeout 2s >"$out/refused.txt" 2>&1
rc=$?
stop "$pid"
cat "$out/refused.txt"
check "a registrar that refuses: exit 1" "[ $rc -eq 1 ]"
check "a registrar that refuses: reg-B-ok fails naming the 403" \
	"grep -A1 -E '^ +reg-B-ok .*FAIL' '$out/refused.txt' |
	 grep -q 'expected 200 OK from P, got 403 Forbidden'"
check "a registrar that refuses: the flow is not played" \
	"grep -Eq '^ +F1 +INVITE .*not run' '$out/refused.txt'"

closing
