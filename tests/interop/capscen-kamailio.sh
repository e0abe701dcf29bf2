#!/usr/bin/env bash
# tests/interop/capscen-kamailio.sh — a capture sipflow did not make,
# turned into a scenario that plays: SIPp's uac calls SIPp's uas through
# Kamailio as Debian ships it (/etc/kamailio/kamailio.cfg unchanged, the
# uas registered first), `sipflow record` captures loopback; `sipflow
# scenario` writes the flow (roles guessed: SIPp's uac A, Kamailio P,
# SIPp's uas B), and the flow, played with P bound to that Kamailio (a
# dut) and sipflow playing A and B, passes. The same flow with an
# expectation the capture did not have (a header Kamailio never adds)
# fails, naming the step.
# usage: capscen-kamailio.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"

need sipp kamailio
# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
uas_pid= rec_pid=
cleanup() {
	[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null
	[ -n "$uas_pid" ] && kill "$uas_pid" 2>/dev/null
	kam_stop
}
trap cleanup EXIT

kam=127.0.0.1:5060 uac=127.0.0.21 uas=127.0.0.22
kam_start_stock "$out/kam" --listen=udp:$kam ||
	abort "kamailio (stock config) did not start"

# the uas registers its contact (the stock config routes a call to a
# registered user: lookup("location"))
cat >"$out/register.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register the uas">
  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:service@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:service@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:service@[uas]>
      Max-Forwards: 70
      Expires: 300
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML
(cd "$out" && timeout 10 sipp "$kam" -sf register.xml -key uas "$uas:5090" \
	-m 1 -i $uac -p 5079 -nostdin -timeout 5s >"$out/register.log" 2>&1) ||
	abort "the uas's contact was not registered: $(tail -3 "$out/register.log")"

# SIPp's uas waits for one call
(cd "$out" && exec timeout 30 sipp -sf "$here/capscen-uas.xml" -i $uas -p 5090 -m 1 -nostdin \
	>"$out/uas.log" 2>&1) &
uas_pid=$!

# the capture: loopback, SIP to and from Kamailio
"$sipflow" record --interface lo --filter "udp port 5060" \
	--out "$out/call.pcap" --duration 30s >"$out/record.log" 2>&1 &
rec_pid=$!
# ready: record says it captures and the uas listens (bounded waits)
for _ in $(seq 1 100); do
	grep -q '^recording lo' "$out/record.log" &&
		ss -uln | grep -q "$uas:5090" && break
	kill -0 "$rec_pid" 2>/dev/null || break
	sleep 0.05
done
grep -q '^recording lo' "$out/record.log" ||
	abort "sipflow record did not start: $(cat "$out/record.log")"

(cd "$out" && timeout 20 sipp "$kam" -sf "$here/capscen-uac.xml" -s service \
	-i $uac -p 5080 -m 1 -nostdin -timeout 15s >"$out/uac.log" 2>&1)
rc=$?
check "SIPp's uac called SIPp's uas through Kamailio (exit 0, got $rc)" \
	"[ $rc -eq 0 ]"
wait "$uas_pid"; uas_pid=
kill -INT "$rec_pid"; wait "$rec_pid"; rec_pid=
"$sipflow" ladder "$out/call.pcap" | head -20

# --- the scenario ------------------------------------------------------
"$sipflow" scenario "$out/call.pcap" --out "$out/flow.yaml" 2>"$out/gen.err"
rc=$?
cat "$out/flow.yaml"
check "a scenario written from the capture (exit 0, got $rc)" "[ $rc -eq 0 ]"
check "roles: SIPp's uac is A, Kamailio P (relays, Record-Route), the uas B" \
	"grep -q '^  A: {kind: ua, user: \"sipp\".*# $uac:5080' '$out/flow.yaml' &&
	 grep -q '^  P: {kind: proxy, record-route: true}.*# $kam relays requests' '$out/flow.yaml' &&
	 grep -q '^  B: {kind: ua, user: \"service\".*# $uas:5090' '$out/flow.yaml'"
check "the 100 Trying and 180 are optional, the INVITE to B expects P's Record-Route" \
	"grep -A1 -E ': 100 .*P -> A' '$out/flow.yaml' | grep -q 'optional: true' &&
	 grep -A1 -E ': 180 Ringing P -> A' '$out/flow.yaml' | grep -q 'optional: true' &&
	 grep -A3 -E ': INVITE P -> B' '$out/flow.yaml' | grep -q 'Record-Route: \"~{P.host}\"'"
"$sipflow" lint "$out/flow.yaml" >"$out/lint.txt" 2>&1
rc=$?
check "it lints" "[ $rc -eq 0 ]"

# played: P is that Kamailio, sipflow plays A and B
cat >"$out/testbed.yaml" <<YAML
roles:
  A: {kind: ua, address: udp:127.0.0.23:5060}
  B: {kind: ua, address: udp:127.0.0.24:5060, register: P}
  P: {kind: dut, address: udp:$kam, name: kamailio-stock}
settle: 100ms
YAML
"$sipflow" run "$out/flow.yaml" --testbed "$out/testbed.yaml" \
	--out "$out/play" >"$out/play.txt" 2>&1
rc=$?
cat "$out/play.txt"
check "played with P bound to Kamailio: it passes (exit 0, got $rc)" \
	"[ $rc -eq 0 ]"

# the same flow expecting what Kamailio does not do: fails, naming it
python3 - "$out/flow.yaml" "$out/flow-bad.yaml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
# the expect: of Kamailio's 200 OK to A gains a header it never sends
s = re.sub(r'(: 200 OK P -> A +# frame [0-9]+\n(?:.*\n)*? +expect: \{header: \{)',
           r'\1X-Never: present, ', s, count=1)
open(sys.argv[2], "w").write(s)
PY
"$sipflow" run "$out/flow-bad.yaml" --testbed "$out/testbed.yaml" \
	--out "$out/play-bad" >"$out/play-bad.txt" 2>&1
rc=$?
grep -A1 FAIL "$out/play-bad.txt" | head -4
check "an expectation Kamailio does not meet fails, naming the step and header" \
	"grep -q 'X-Never: present' '$out/flow-bad.yaml' && [ $rc -eq 1 ] &&
	 grep -A1 -E '^ +F[0-9]+ +200 OK +P -> A +FAIL' '$out/play-bad.txt' | grep -q 'X-Never'"
check "Kamailio is still running" "kill -0 $KAM_PID"
kam_stop

# --- a password not in the capture, supplied at replay -------------------
# registration-auth played in self-play, its capture turned into a
# scenario (the password a variable: ${password}), played with P bound to
# Kamailio with the project's config (every password "lab-secret"): the
# right --var password passes, a wrong one fails F4 naming the 401
"$sipflow" run "$src/scenarios/rfc3665/registration-auth.yaml" \
	--out "$out/auth" --quiet >"$out/auth.txt" 2>&1 ||
	abort "registration-auth in self-play: $(tail -1 "$out/auth.txt")"
"$sipflow" scenario "$out/auth/registration-auth.pcapng" \
	--out "$out/auth.yaml" 2>"$out/auth-gen.err"
rc=$?
check "registration-auth's capture: a scenario whose password is \${password} (exit 0, got $rc)" \
	"[ $rc -eq 0 ] && grep -q '^  password: secret ' '$out/auth.yaml' &&
	 grep -qF 'password: \"\${password}\"' '$out/auth.yaml'"
kam_start "$here/kamailio.cfg" "$out/kam-auth" ||
	abort "kamailio (the project's config) did not start"
for pw in lab-secret wrong; do
	"$sipflow" run "$out/auth.yaml" --role P=dut:udp:127.0.0.1:5060 \
		--role A=ua:udp:127.0.0.10:5060 --var password=$pw \
		--out "$out/auth-$pw" --timeout 3s >"$out/auth-$pw.txt" 2>&1
	echo $? >"$out/auth-$pw.rc"
done
grep -A1 'FAIL' "$out/auth-wrong.txt" | head -2
check "replayed against Kamailio with --var password=lab-secret: passes" \
	"[ \$(cat '$out/auth-lab-secret.rc') -eq 0 ]"
check "... with a wrong password: F4 fails, naming the 401 and the credentials" \
	"[ \$(cat '$out/auth-wrong.rc') -eq 1 ] &&
	 grep -qE '^ +F4 +200 OK +P -> A +FAIL' '$out/auth-wrong.txt' &&
	 grep -q 'got 401 Unauthorized .*rejected the credentials' '$out/auth-wrong.txt'"

closing_counted
