#!/usr/bin/env bash
# RFC 3261 timers: a dropped 200 OK recovered by the UAS's retransmission
# T1 later; a retransmission-of: step that passes against a peer that
# retransmits and fails, named, against one that does not; Timer B on an
# INVITE to a silent address; a request retransmission answered with the
# last response; a UAS giving up on its 2xx after 64*T1; on TCP the 2xx
# still resent, nothing else; a proxy passes a 2xx copy on; absent:
# asserts the copies stop at the ACK. Peers are
# second sipflow runs (scripted stand-ins), started and stopped by pid.
# usage: timers.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark chromium
A=127.0.61.10:5060 B=127.0.61.11:5060

# the SIP messages of a pcap: time, method or status, CSeq
sip_lines() {
	tshark -r "$1" -T fields -E separator='|' -e frame.time_relative \
		-e sip.Method -e sip.Status-Code -e sip.CSeq -Y sip 2>/dev/null
}

# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"

# 1. the bundled flow with T1 = 100 ms: B's 200 OK is lost once, B
#    resends it ~T1 later, A ACKs, the call goes on
d="$out/dropped"
"$sipflow" run --verbose "$src/scenarios/rfc3261/dropped-200-ok.yaml" --out "$d" \
	--role A=ua:udp:$A --role B=ua:udp:$B --timer T1=100ms \
	>"$d.txt" 2>&1
rc=$?
cat "$d.txt"
check "dropped 200 OK: the flow passes" "[ $rc -eq 0 ]"
check "dropped 200 OK: the loss is noted" \
	"grep -q 'F3: 200 OK from B to A (frame 3) lost on purpose' '$d.txt'"
check "dropped 200 OK: F3 passes on the retransmission (frame 4)" \
	"grep -E '^  F3 .*pass +frame 4$' '$d.txt' >/dev/null"
check "dropped 200 OK: report.json marks frame 3 lost and frame 4 a copy of it" \
	"python3 -c \"import json,sys; m={x['frame']:x for x in json.load(open('$d/report.json'))['scenarios'][0]['messages']}; sys.exit(not (m[3].get('lost') is True and 'copy_of' not in m[3] and m[4].get('copy_of') == 3 and 'lost' not in m[4] and not any('lost' in x or 'copy_of' in x for f, x in m.items() if f not in (3, 4))))\""
chrome=$(command -v chromium)
"$chrome" --headless --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --disable-sync \
	--user-data-dir="$out/chrome" --virtual-time-budget=3000 \
	--dump-dom "file://$d/report.html" >"$d.dom" 2>/dev/null
check "dropped 200 OK: the HTML ladder draws the lost copy dashed and labels the resent one" \
	"grep -qE 'data-step=\"F3\"[^>]* data-frame=\"3\"[^>]*><rect[^>]*></rect><text[^>]*>[^<]*</text><line[^>]* stroke-dasharray=\"[0-9 ]+\"[^>]*></line><text[^>]*>F3 200 OK \\(lost\\)</text>' '$d.dom' &&
	 grep -qE 'data-step=\"F3\"[^>]* data-frame=\"4\"[^>]*><rect[^>]*></rect><text[^>]*>[^<]*</text><line[^>]*></line><text[^>]*>F3 200 OK \\(copy of 3\\)</text>' '$d.dom'"
sip_lines "$d/dropped-200-ok.pcapng" >"$d.sip"
n=$(grep -c '|200|1 INVITE$' "$d.sip")
check "dropped 200 OK: the pcap holds two 200 OKs to the INVITE ($n)" \
	"[ $n -eq 2 ]"
gap=$(grep '|200|1 INVITE$' "$d.sip" | cut -d'|' -f1 |
	awk 'NR == 1 { t = $1 } NR == 2 { printf "%d", ($1 - t) * 1000 + 0.5 }')
# (the pcap stamps each copy as it leaves: a 100 ms timer can show
# as 99.6 ms between the stamps)
check "dropped 200 OK: ~T1 apart (${gap} ms; 90..300)" \
	"[ '${gap:-0}' -ge 90 ] && [ '${gap:-0}' -le 300 ]"
check "dropped 200 OK: the ACK after the second 200 OK" \
	"sed -n 5p '$d.sip' | grep -q '|ACK||1 ACK$'"

# 2. asserting a peer's retransmission. The peer B is a stand-in: a
#    second run playing B as a scripted UAS; A asserts F3r
cat >"$out/peer.yaml" <<'YAML'
scenario: peer
roles:
  A: {kind: dut}
  B: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> B
  - F2: 180 Ringing B -> A
  - F3: 200 OK B -> A
  - F4: ACK A -> B
  - F5: BYE A -> B
  - F6: 200 OK B -> A
YAML
sed 's/^  B: {kind: ua, user: bob}$/  B: {kind: ua, user: bob, retransmit: false}/' \
	"$out/peer.yaml" >"$out/peer-once.yaml"
cat >"$out/assert.yaml" <<'YAML'
scenario: assert
roles:
  A: {kind: ua, user: alice}
  B: {kind: dut}
steps:
  - F1: INVITE A -> B
  - F2: 180 Ringing B -> A
  - F3: 200 OK B -> A
  # A holds its ACK back: B must resend its 200 OK T1 later (§13.3.1.4)
  - F3r: 200 OK B -> A
    retransmission-of: F3
  - F4: ACK A -> B
  - F5: BYE A -> B
  - F6: 200 OK B -> A
YAML
cp "$out/peer.yaml" "$out/peer-fast.yaml"
# against PEER (a flow playing B, its T1) A plays TESTER (T1 = 100 ms);
# output in $out/NAME.txt, exit status in $rc
against() { # $1: peer flow, $2: its T1, $3: tester flow, $4: name
	local d="$out/$4"
	"$sipflow" run --verbose "$out/$1.yaml" --out "$d/peer" --role A=dut:udp:$A \
		--role B=ua:udp:$B --timer T1=$2 --timeout 4s \
		>"$d.peer.txt" 2>&1 &
	pid=$!
	wait_bound "$B" || echo "peer did not bind $B"
	"$sipflow" run --verbose "$out/$3.yaml" --out "$d" --role A=ua:udp:$A \
		--role B=dut:udp:$B --timer T1=100ms >"$d.txt" 2>&1
	rc=$?
	stop "$pid"
	cat "$d.txt"
}
for peer in peer peer-once peer-fast; do
	d="$out/$peer"
	# peer-fast resends after 20 ms where A expects T1 = 100 ms
	t1=100ms; [ $peer = peer-fast ] && t1=20ms
	against $peer $t1 assert $peer
	if [ $peer = peer ]; then
		check "a peer that retransmits: the run passes" "[ $rc -eq 0 ]"
		check "a peer that retransmits: F3r passes" \
			"grep -qE '^  F3r .*pass' '$d.txt'"
	elif [ $peer = peer-fast ]; then
		check "a peer that resends too early: F3r fails, named" \
			"grep -A1 -E '^  F3r .*FAIL' '$d.txt' | grep -qE 'retransmission 1 of 200 OK \\(F3\\) arrived [0-9]+ ms after the copy before it \\(frame 3\\); RFC 3261 timers \\(T1 = 100 ms, T2 = 4000 ms\\) put it 100 ms after, accepted 75..350 ms'"
	else
		check "a peer that sends once: exit 1" "[ $rc -eq 1 ]"
		check "a peer that sends once: F3r fails, named" \
			"grep -A1 -E '^  F3r .*FAIL' '$d.txt' | grep -q 'no retransmission of 200 OK (F3) from B at A within 450 ms (T1 = 100 ms)'"
		check "a peer that sends once: F4 not run" \
			"grep -qE '^  F4 .*not run' '$d.txt'"
	fi
done

# 3. Timer B: an INVITE to a silent address, T1 = 50 ms: resent at 50,
#    150, 350, 750, 1550, 3150 ms; the step fails at 64*T1 = 3.2 s
cat >"$out/silent.yaml" <<'YAML'
scenario: silent
roles:
  A: {kind: ua, user: alice}
  B: {kind: dut}
steps:
  - F1: INVITE A -> B
  - F2: 100 Trying B -> A
    timeout: 10s
YAML
d="$out/silent"
t0=$(date +%s%N)
"$sipflow" run --verbose "$out/silent.yaml" --out "$d" --role A=ua:udp:$A \
	--role B=dut:udp:127.0.61.99:5060 --timer T1=50ms >"$d.txt" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cat "$d.txt"
check "Timer B: exit 1" "[ $rc -eq 1 ]"
check "Timer B: F2 fails with Timer B" \
	"grep -A1 -E '^  F2 .*FAIL' '$d.txt' | grep -q 'no response to INVITE F1 from B: Timer B fired after 3.2 s (64\*T1; sent 7 times)'"
check "Timer B: within 64*T1, not the step's 10 s ($ms ms)" \
	"[ $ms -lt 6000 ]"
n=$(sip_lines "$d/silent.pcapng" | grep -c '|INVITE||1 INVITE$')
check "Timer B: the pcap holds 7 INVITEs ($n)" "[ $n -eq 7 ]"

# 4. a request retransmission gets the last response resent (§17.2.2):
#    B's 200 OK to OPTIONS is lost; A resends OPTIONS T1 later (Timer E)
#    and B answers the copy with its 200 OK again
cat >"$out/options.yaml" <<'YAML'
scenario: options
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
    drop: true
    timeout: 2s
YAML
sed 's/^    drop: true$/    drop: true\n    retransmit: false/' "$out/options.yaml" \
	>"$out/options-once.yaml"
for f in options options-once; do
	d="$out/$f"
	"$sipflow" run --verbose "$out/$f.yaml" --out "$d" --role A=ua:udp:$A \
		--role B=ua:udp:$B --timer T1=100ms >"$d.txt" 2>&1
	rc=$?
	cat "$d.txt"
	if [ $f = options ]; then rc_options=$rc; else rc_once=$rc; fi
done
check "OPTIONS retransmitted: the lost 200 OK is resent, the flow passes" \
	"[ $rc_options -eq 0 ]"
check "OPTIONS retransmitted: B says it resent its 200 OK" \
	"grep -q 'B resent 200 OK (frame 4) for the retransmitted OPTIONS (frame 3)' '$out/options.txt'"
sip_lines "$out/options/options.pcapng" | cut -d'|' -f2,3 | tr -d '|' \
	>"$out/options.seq"
check "OPTIONS retransmitted: OPTIONS, 200, OPTIONS, 200 in the pcap" \
	"[ \"\$(tr '\n' ' ' <'$out/options.seq')\" = 'OPTIONS 200 OPTIONS 200 ' ]"
check "without B's retransmission (retransmit: false) F2 fails" \
	"[ $rc_once -eq 1 ] && grep -qE '^  F2 .*FAIL' '$out/options-once.txt'"

# 5. a UAS gives up on its 2xx after 64*T1 with no ACK, and says BYE is
#    due: every copy of A's ACK is lost
cat >"$out/noack.yaml" <<'YAML'
scenario: noack
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> B
  - F2: 200 OK B -> A
  - F3: ACK A -> B
    lose: 64
    timeout: 4s
YAML
d="$out/noack"
"$sipflow" run --verbose "$out/noack.yaml" --out "$d" --role A=ua:udp:$A \
	--role B=ua:udp:$B --timer T1=50ms --timer T2=400ms >"$d.txt" 2>&1
cat "$d.txt"
check "no ACK: B gives up after 64*T1 and says BYE is due" \
	"grep -q 'F2: no ACK for 200 OK from A at B within 3.2 s (64\*T1); sent [0-9]* times; RFC 3261 §13.3.1.4: the UAS should end the dialog with BYE' '$d.txt'"
check "no ACK: A resends its ACK for every 200 OK copy" \
	"[ \$(grep -c 'A resent ACK' '$d.txt') -ge 5 ]"
check "no ACK: F3, every copy lost, never arrives" \
	"grep -A1 -E '^  F3 .*FAIL' '$d.txt' | grep -q 'ACK was sent to B but never arrived within 4.0 s'"

# 6. TCP: a UAS resends its 2xx to INVITE whatever the transport (a hop
#    further on may be UDP, §13.3.1.4), so the dropped 200 OK is recovered
#    on TCP too; anything else goes once on a reliable transport (§17.1.2.2:
#    no Timer E), so the OPTIONS whose 200 OK is lost is not recovered
d="$out/dropped-tcp"
"$sipflow" run --verbose "$src/scenarios/rfc3261/dropped-200-ok.yaml" --out "$d" \
	--role A=ua:tcp:$A --role B=ua:tcp:$B --timer T1=100ms >"$d.txt" 2>&1
rc=$?
cat "$d.txt"
check "TCP: dropped 200 OK recovered by B's retransmission, the flow passes" \
	"[ $rc -eq 0 ] && grep -E '^  F3 .*pass +frame 4$' '$d.txt' >/dev/null"
d="$out/options-tcp"
"$sipflow" run --verbose "$out/options.yaml" --out "$d" --role A=ua:tcp:$A \
	--role B=ua:tcp:$B --timer T1=100ms >"$d.txt" 2>&1
rc=$?
cat "$d.txt"
check "TCP: the OPTIONS is not resent, F2 fails" \
	"[ $rc -eq 1 ] && grep -qE '^  F2 .*FAIL' '$d.txt' && ! grep -q resent '$d.txt'"
n=$(sip_lines "$d/options.pcapng" | grep -c '|OPTIONS||')
check "TCP: one OPTIONS in the pcap ($n)" "[ $n -eq 1 ]"

# 7. through a proxy: P's copy of the 200 OK to A is lost; B resends its
#    2xx (no ACK came) and P passes the copy on (§16.7: a proxy forwards
#    2xx retransmissions statelessly), so A still gets its 200 OK
cat >"$out/proxy-drop.yaml" <<'YAML'
scenario: proxy-drop
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
  P: {kind: proxy, domain: example.test, record-route: true}
steps:
  - F1: INVITE A -> P
    to-user: B
  - F2: INVITE P -> B
  - F3: 180 Ringing B -> P
  - F4: 180 Ringing P -> A
  - F5: 200 OK B -> P
  - F6: 200 OK P -> A
    drop: true
  - F7: ACK A -> P
  - F8: ACK P -> B
YAML
d="$out/proxy-drop"
"$sipflow" run --verbose "$out/proxy-drop.yaml" --out "$d" --role A=ua:udp:$A \
	--role B=ua:udp:$B --role P=proxy:udp:127.0.61.13:5060 \
	--timer T1=100ms >"$d.txt" 2>&1
rc=$?
cat "$d.txt"
check "through a proxy: the flow passes on B's retransmission" \
	"[ $rc -eq 0 ] && grep -E '^  F6 .*pass +frame 8$' '$d.txt' >/dev/null"
check "through a proxy: P says it passed the copy on" \
	"grep -q 'P passed on the retransmitted 200 OK (frame 7) as frame 8 (RFC 3261 §16.7)' '$d.txt'"

# 8. and then it stops: after A's ACK no copy of the 200 OK may come
#    (absent: true). The same peer passes; when A's ACKs are lost (a
#    peer that never stops retransmitting, as far as A can tell), the
#    absent: step fails naming the copy
sed 's/^  - F4: ACK A -> B$/  - F4: ACK A -> B\n  - F4q: 200 OK B -> A\n    retransmission-of: F3\n    absent: true\n    timeout: 700ms/' \
	"$out/assert.yaml" >"$out/quiet.yaml"
sed 's/^  - F4: ACK A -> B$/  - F4: ACK A -> B\n    lose: 64/' "$out/quiet.yaml" \
	>"$out/quiet-lost.yaml"
for q in quiet quiet-lost; do
	d="$out/$q"
	against peer 100ms $q $q
	if [ $q = quiet ]; then
		check "a peer that stops at the ACK: absent: passes" \
			"[ $rc -eq 0 ] && grep -qE '^  F4q .*pass' '$d.txt'"
		check "a peer that stops at the ACK: report.json holds the absent step (frame 0) and checks" \
			"python3 '$src/tests/scripts/check_reports.py' '$d' pass 1 >/dev/null &&
			 python3 -c \"import json,sys; s=[x for x in json.load(open('$d/report.json'))['scenarios'][0]['steps'] if x['id']=='F4q'][0]; sys.exit(not (s.get('absent') is True and s['frame'] == 0))\""
	else
		check "a peer that goes on after the ACK: F4q fails, naming the copy" \
			"[ $rc -eq 1 ] && grep -A1 -E '^  F4q .*FAIL' '$d.txt' | grep -qE 'a retransmission of 200 OK \\(F3\\) from B came \\(frame [0-9]+\\) [0-9]+ ms after the step before; absent: asserts none within 700 ms'"
	fi
done

closing
