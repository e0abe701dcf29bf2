#!/usr/bin/env bash
# Association by transaction (docs/engine.md "Matching a received
# message"): a response step passes only on the answer to the request step
# it answers, and a scripted role's reply answers only that request —
# never a stray. Peers: SIPp's built-in UAS (a device that answers at
# once) and second sipflow runs as stand-ins, started and stopped by pid.
# usage: assoc.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark sipp
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"

# SIP messages of a pcap as "src>dst method-or-status CSeq" lines
sip_lines() {
	tshark -r "$1" -T fields -E separator=' ' -e ip.src -e ip.dst \
		-e sip.Method -e sip.Status-Code -e sip.CSeq -Y sip 2>/dev/null
}

# 1. no-answer-cancel with B a device that answers at once (180, then
#    200 to the INVITE). The proxy answers A's CANCEL itself (RFC 3261
#    §16.10) — F6 is its own 200 to CANCEL, not B's 200 to the INVITE
#    relayed — and B's 200 to the INVITE cannot pass for F8, the answer
#    to the CANCEL: the run fails, naming both. First B is a sipflow
#    stand-in (its 200 surely comes before A's CANCEL), then SIPp.
A=127.0.73.10:5060 B=127.0.73.11:5060 P=127.0.73.12:5060
cat >"$out/answers-at-once.yaml" <<'YAML'
scenario: answers-at-once
roles:
  B: {kind: ua, user: bob}
  P: {kind: dut}
steps:
  - F2: INVITE P -> B
  - F3: 180 Ringing B -> P
  - F3a: 200 OK B -> P
  - F7: CANCEL P -> B
    optional: true
YAML
d="$out/answers"
peer_start "$B" "$d.peer.txt" \
	"$sipflow" run --verbose "$out/answers-at-once.yaml" --out "$d/peer" \
	--role B=ua:udp:$B --role P=dut:udp:$P --timeout 3s
"$sipflow" run --verbose "$src/scenarios/yealink/no-answer-cancel.yaml" --out "$d" \
	--role A=ua:udp:$A --role P=proxy:udp:$P --role B=dut:udp:$B \
	--timeout 2s >"$d.txt" 2>&1
rc=$?
peer_end
cat "$d.txt"
check "B answers at once: the run fails (exit 1)" "[ $rc -eq 1 ]"
check "B answers at once: F8 fails naming B's 200 to the INVITE and the CANCEL" \
	"grep -Eq 'got 200 OK to INVITE F2 \(CSeq 1 INVITE, frame [0-9]+\); F8 waits for the answer to CANCEL F7' '$d.txt'"
check "B answers at once: F6 passes" "grep -Eq '^ +F6 .* pass' '$d.txt'"
sip_lines "$d/no-answer-cancel.pcapng" >"$d.sip"
check "B answers at once: F6 is the proxy's own 200 to the CANCEL" \
	"grep -q '^${P%:*} ${A%:*}  200 1 CANCEL' '$d.sip'"
check "B answers at once: the proxy relays no 200 to the INVITE to A" \
	"! grep -q '^${P%:*} ${A%:*}  200 1 INVITE' '$d.sip'"

# the same against SIPp (tests/scripts/sipp/): whether its 200 or A's
# CANCEL comes first is a race, but either way the run fails after F5 and
# F6 is the proxy's own 200 to the CANCEL
d="$out/sipp"
sipp -sf "$src/tests/scripts/sipp/uas-answers-at-once.xml" \
	-i ${B%:*} -p 5060 -m 1 -timeout 20s -trace_err \
	-error_file "$out/sipp-errors.log" >/dev/null 2>&1 </dev/null &
spid=$!
wait_bound "$B" || echo "SIPp did not bind $B"
"$sipflow" run --verbose "$src/scenarios/yealink/no-answer-cancel.yaml" \
	--out "$d" --role A=ua:udp:$A --role P=proxy:udp:$P \
	--role B=dut:udp:$B --timeout 2s >"$d.txt" 2>&1
rc=$?
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
cat "$d.txt"
sip_lines "$d/no-answer-cancel.pcapng" >"$d.sip"
check "SIPp answers at once: the run fails at F8 or later" \
	"[ $rc -eq 1 ] && grep -Eq '^ +F(8|9|1[0-2]) .* FAIL' '$d.txt'"
check "SIPp answers at once: F6 is the proxy's own 200 to the CANCEL" \
	"grep -q '^${P%:*} ${A%:*}  200 1 CANCEL' '$d.sip' &&
	 ! grep -q '^${P%:*} ${A%:*}  200 1 INVITE' '$d.sip'"

# 2. a stray request (a BYE of a call this run never saw) arrives before
#    the REFER that a group's 202 answers: the 202 waits for the REFER
#    and answers it; nothing answers the stray.
cat >"$out/tester.yaml" <<'YAML'
scenario: refer-wait
roles:
  A: {kind: ua, user: alice}
  P: {kind: dut}
steps:
  - any-order:
      - F1: REFER P -> A
      - F2: 202 Accepted A -> P
YAML
cat >"$out/peer.yaml" <<'YAML'
scenario: refer-peer
roles:
  A: {kind: dut}
  P: {kind: ua, user: pbx}
steps:
  - F0: BYE P -> A
    raw: |+
      BYE sip:alice@127.0.73.20:5060 SIP/2.0
      Via: SIP/2.0/UDP 127.0.73.21:5060;branch=z9hG4bK-stray-1
      Max-Forwards: 70
      From: <sip:pbx@127.0.73.21>;tag=old-1
      To: <sip:alice@127.0.73.20>;tag=old-2
      Call-ID: left-over-from-an-earlier-run
      CSeq: 7 BYE
      Content-Length: 0

  - wait: 300ms
  - F1: REFER P -> A
    headers: {Refer-To: "<sip:carol@127.0.73.22>"}
  - F2: 202 Accepted A -> P
YAML
A=127.0.73.20 P=127.0.73.21
d="$out/stray"
peer_start "$A:5060" "$d.txt" \
	"$sipflow" run --verbose "$out/tester.yaml" --out "$d" --role A=ua:udp:$A:5060 \
	--role P=dut:udp:$P:5060 --timeout 3s
"$sipflow" run --verbose "$out/peer.yaml" --out "$d/peer" --role A=dut:udp:$A:5060 \
	--role P=ua:udp:$P:5060 --timeout 3s >"$d.peer.txt" 2>&1
prc=$?
peer_end; trc=$peer_rc
cat "$d.txt" "$d.peer.txt"
check "stray before REFER: the tester passes" "[ $trc -eq 0 ]"
check "stray before REFER: the peer gets its 202 to the REFER (exit 0)" \
	"[ $prc -eq 0 ]"
check "stray before REFER: the stray is absorbed, named" \
	"grep -q 'absorbed.*BYE' '$d.txt'"
sip_lines "$d/refer-wait.pcapng" >"$d.sip"
# after the flow, the teardown answers the stray BYE 481 (RFC 3261
# §15.1.2: a BYE that matches no dialog); no step answers it
check "stray before REFER: A's 202 answers the REFER, nothing the stray" \
	"grep -q '^$A $P  202 1 REFER' '$d.sip' &&
	 ! grep -Eq '^$A $P  [0-9]+ 7 BYE' '$d.sip' ||
	 { grep -q '^$A $P  202 1 REFER' '$d.sip' &&
	   [ \$(grep -Ec '^$A $P  [0-9]+ 7 BYE' '$d.sip') -eq 1 ] &&
	   grep -q '^$A $P  481 7 BYE' '$d.sip' &&
	   grep -q 'teardown.*481' '$d.txt'; }"

# 3. answers that cross: A sends a NOTIFY and an INVITE at once (as a
#    phone does after a transfer) and P answers the INVITE first. The
#    200 to the INVITE comes before the cursor reaches the INVITE's step:
#    it waits for F4 instead of failing (or passing) F2. Checked offline
#    (verify) on a capture of that order made by a scripted pair; a P
#    that never answers the NOTIFY still fails F2, naming what it sent.
cat >"$out/cross-play.yaml" <<'YAML'
scenario: cross
roles:
  A: {kind: ua, user: alice}
  P: {kind: ua, user: pbx}
steps:
  - F1: NOTIFY A -> P
    headers: {Event: presence, Subscription-State: active}
  - F2: INVITE A -> P
  - F3: 200 OK P -> A
    answers: F2
  - F4: 200 OK P -> A
    answers: F1
  - F5: ACK A -> P
YAML
cat >"$out/cross.yaml" <<'YAML'
scenario: cross
roles:
  A: {kind: ua, user: alice}
  P: {kind: ua, user: pbx}
steps:
  - F1: NOTIFY A -> P
  - F2: 200 OK P -> A
  - F3: INVITE A -> P
  - F4: 200 OK P -> A
  - F5: ACK A -> P
YAML
sed '/^  - F4:/,/answers: F1/d' "$out/cross-play.yaml" >"$out/cross-silent.yaml"
A=127.0.73.30:5060 P=127.0.73.31:5060
for c in cross-play cross-silent; do
	"$sipflow" run --verbose "$out/$c.yaml" --out "$out/$c" --role A=ua:udp:$A \
		--role P=ua:udp:$P >"$out/$c.run.txt" 2>&1
	"$sipflow" verify "$out/cross.yaml" --pcap "$out/$c/cross.pcapng" \
		--role A=$A --role P=$P >"$out/$c.txt" 2>&1
	echo "rc=$?" >>"$out/$c.txt"
	cat "$out/$c.txt"
done
check "crossing answers: each 200 passes at its own step" \
	"grep -q '^rc=0' '$out/cross-play.txt' &&
	 grep -Eq '^ +F2 .* pass +frame 4' '$out/cross-play.txt' &&
	 grep -Eq '^ +F4 .* pass +frame 3' '$out/cross-play.txt'"
check "P never answers the NOTIFY: F2 fails naming the 200 it sent" \
	"grep -q '^rc=1' '$out/cross-silent.txt' &&
	 grep -A1 -E '^ +F2 .* FAIL' '$out/cross-silent.txt' | grep -q 'P sent 200 OK to INVITE instead (frame 3)'"

# 4. a stray challenge (a registrar's 401 to another run's REGISTER that
#    reached A's address) is no challenge of A's: A's REGISTER goes
#    without credentials (with them, a registrar that challenges would
#    have accepted it at once, as Kamailio did in one invocation of the
#    library: the flow that expected the 401 failed)
cat >"$out/reg-tester.yaml" <<'YAML'
scenario: reg-after-stray
roles:
  A: {kind: ua, user: alice, auth: {user: alice, password: secret}}
  P: {kind: dut}
steps:
  - wait: 400ms
  - F1: REGISTER A -> P
  - F2: 401 Unauthorized P -> A
YAML
cat >"$out/reg-peer.yaml" <<'YAML'
scenario: reg-peer
roles:
  A: {kind: dut}
  P: {kind: ua, user: registrar, domain: example.test}
steps:
  - F0: 401 Unauthorized P -> A
    raw: |+
      SIP/2.0 401 Unauthorized
      Via: SIP/2.0/UDP 127.0.73.40:5060;branch=z9hG4bK-earlier-run
      From: <sip:alice@example.test>;tag=old-3
      To: <sip:alice@example.test>;tag=old-4
      Call-ID: registered-by-an-earlier-run
      CSeq: 44085 REGISTER
      WWW-Authenticate: Digest realm="example.test", nonce="stray-nonce", algorithm=MD5
      Content-Length: 0

  - F1: REGISTER A -> P
    expect: {auth: absent}
  - F2: 401 Unauthorized P -> A
YAML
A=127.0.73.40 P=127.0.73.41
d="$out/stray-401"
peer_start "$A:5060" "$d.txt" \
	"$sipflow" run --verbose "$out/reg-tester.yaml" --out "$d" --role A=ua:udp:$A:5060 \
	--role P=dut:udp:$P:5060 --timeout 3s
"$sipflow" run --verbose "$out/reg-peer.yaml" --out "$d/peer" --role A=dut:udp:$A:5060 \
	--role P=ua:udp:$P:5060 --timeout 3s >"$d.peer.txt" 2>&1
prc=$?
peer_end; trc=$peer_rc
cat "$d.txt" "$d.peer.txt"
check "a stray 401: A's REGISTER carries no credentials (the peer's F1 passes)" \
	"[ $prc -eq 0 ] && grep -Eq '^ +F1 +REGISTER .* pass' '$d.peer.txt'"
check "a stray 401: the tester passes, the stray named" \
	"[ $trc -eq 0 ] && grep -q 'absorbed 401 Unauthorized' '$d.txt'"

# 5. an optional step skipped because the next step's message came first,
#    whose message then comes late (a proxy relays the callee's 200 before
#    its 180): the late 180 is absorbed, named, not a failure of the step
#    waiting then
cat >"$out/late-tester.yaml" <<'YAML'
scenario: late-optional
roles:
  A: {kind: ua, user: alice}
  P: {kind: dut}
steps:
  - F1: INVITE A -> P
  - F2: 180 Ringing P -> A
    optional: true
  - F3: 200 OK P -> A
  - F4: ACK A -> P
  - F5: BYE A -> P
  - F6: 200 OK P -> A
YAML
cat >"$out/late-peer.yaml" <<'YAML'
scenario: late-peer
roles:
  A: {kind: dut}
  P: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> P
  - F3: 200 OK P -> A
  - wait: 200ms
  - F2: 180 Ringing P -> A
    answers: F1
  - F4: ACK A -> P
  - F5: BYE A -> P
  - F6: 200 OK P -> A
YAML
A=127.0.73.50 P=127.0.73.51
d="$out/late"
peer_start "$P:5060" "$d.peer.txt" \
	"$sipflow" run --verbose "$out/late-peer.yaml" --out "$d/peer" --role A=dut:udp:$A:5060 \
	--role P=ua:udp:$P:5060 --timeout 3s
"$sipflow" run --verbose "$out/late-tester.yaml" --out "$d" --role A=ua:udp:$A:5060 \
	--role P=dut:udp:$P:5060 --timeout 3s >"$d.txt" 2>&1
trc=$?
peer_end
cat "$d.txt"
check "a late optional 180: the run passes, F2 skipped" \
	"[ $trc -eq 0 ] && grep -Eq '^ +F2 +180 Ringing +P -> A +skip' '$d.txt'"
check "a late optional 180: absorbed, naming F2" \
	"grep -q 'absorbed 180 Ringing from P to A (frame [0-9]*): the message of optional step F2, skipped, came late' '$d.txt'"

closing
