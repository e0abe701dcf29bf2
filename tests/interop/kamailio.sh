#!/usr/bin/env bash
# cost: 55
# Interop: a real Kamailio as P (the device under test) in set-ups of its
# own (the whole library against the plain one is kamailio-library.sh):
# blind-transfer's capture read back by ladder and verify, and a
# deliberately misbehaving Kamailio (no Record-Route, answers REFER itself
# with 403) that must fail at the right steps. Some flows need their own
# set-up: session-auth-phones a Kamailio that challenges INVITEs,
# registration-unsuccessful-phones a testbed with a wrong password, and
# rfc5359/*-server.yaml a Kamailio that forwards Bob's calls to carol (on 486 or
# no answer; always, for the unconditional flow). The
# scripted digest flows (registration-auth, registration-unsuccessful,
# session-auth) run against it too, with MD5 and with SHA-256 challenges,
# and a wrong password makes Kamailio refuse them at the step that says so.
# tests/interop/kamailio-more.sh plays the remaining scripted proxy flows.
# usage: kamailio.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"

need kamailio tshark

# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
trap 'kam_stop' EXIT

testbed="$here/kamailio-testbed.yaml"
# offering CAPS NAME: the testbed with P offering CAPS as well (what the
# Kamailio set-up at hand does besides the default's), as $out/NAME.yaml
offering() {
	sed "s/offers: \[registrar, /offers: [$1, registrar, /" "$testbed" \
		>"$out/$2.yaml"
}

# --- a well-behaved proxy: all three flows pass ------------------------
kam_start "$here/kamailio.cfg" "$out/kam-good" ||
	abort "kamailio did not start"
# good NAME YAML [TESTBED]: the flow passes with this Kamailio as P
good() {
	"$sipflow" run --verbose "$2" --testbed "${3:-$testbed}" \
		--out "$out/good" --timeout 3s >"$out/good-$1.txt" 2>&1
	rc=$?
	cp "$out/good/report.json" "$out/good-$1.json" 2>/dev/null
	cat "$out/good-$1.txt"
	check "$1 with Kamailio as P: exit 0" "[ $rc -eq 0 ]"
	check "$1: pcap written" "[ -s '$out/good/$1.pcapng' ]"
}
# every flow with this proxy, in one invocation, twice: kamailio-library.sh;
# here the one whose capture the ladder and verify checks below read
good blind-transfer "$src/scenarios/yealink/blind-transfer.yaml"
# a registrar that rejects the credentials: 401 twice, and the phone does
# not send them a third time (RFC 3261 §22.1)
sed -e 's/password: lab-secret/password: not-the-secret/' \
	-e 's/offers: \[registrar, /offers: [rejects-testbed-credentials, registrar, /' \
	"$testbed" >"$out/wrong-pw.yaml"
good registration-unsuccessful-phones \
	"$src/scenarios/rfc3665/registration-unsuccessful-phones.yaml" "$out/wrong-pw.yaml"
# (a retransmission on UDP, as a loaded machine may bring, is not counted)
n=$(tshark -r "$out/good/registration-unsuccessful-phones.pcapng" \
	-Y 'sip && !(sip.resend == 1)' 2>/dev/null | wc -l)
check "registration-unsuccessful-phones: 4 SIP messages, no third REGISTER ($n)" "[ $n -eq 4 ]"
# the scripted UA answers the registrar's challenge; F3 of the unsuccessful
# flow is checked against Kamailio's challenge and the testbed's password
for name in registration-auth registration-unsuccessful; do
	good "$name" "$src/scenarios/rfc3665/$name.yaml"
done
# Kamailio's forwarding, read back from the capture: ladder and verify
# the flow ends with the transferred call up and A's REFER subscription
# open: the teardown ends both (engine.md, "After the flow"), and those
# messages, marked in report.json, are in the capture too
"$sipflow" ladder "$out/good/blind-transfer.pcapng" >"$out/ladder.txt" 2>&1
td=$(python3 -c "import json; print(sum(1 for m in json.load(open('$out/good-blind-transfer.json'))['scenarios'][0]['messages'] if m.get('teardown')))")
check "ladder of the Kamailio capture: 26 messages (24 steps + two 100 Trying) and the teardown's $td" \
	"[ $td -gt 0 ] && grep -q '^$((26 + td)) SIP messages in 2 calls' '$out/ladder.txt'"
"$sipflow" verify "$src/scenarios/yealink/blind-transfer.yaml" \
	--pcap "$out/good/blind-transfer.pcapng" --role P=127.0.0.1:5060 \
	>"$out/verify.txt" 2>&1
check "verify blind-transfer against the Kamailio capture: exit 0" "[ $? -eq 0 ]"

# refused NAME SCENARIO: the flow with a wrong password (output NAME.txt);
# it must fail (exit 1)
refused() {
	"$sipflow" run --verbose "$src/scenarios/rfc3665/$2.yaml" \
		--testbed "$out/wrong-pw.yaml" --out "$out/wrong-pw" --timeout 2s \
		>"$out/$1.txt" 2>&1
	rc=$?
	cat "$out/$1.txt"
	check "$2 with a wrong password: exit 1" "[ $rc -eq 1 ]"
}

# a wrong password: the registrar challenges again, and the step that
# waits for the 200 says so
refused wrong-pw registration-auth-phones
check "registration with a wrong password: F4 names the 401" \
	"grep -A1 '^  F4 ' '$out/wrong-pw.txt' | grep -q 'no 200 OK from P at A within 2.0 s; P sent 401 Unauthorized instead (frame 4)'"
refused wrong-pw-scripted registration-auth
check "scripted registration with a wrong password: F4 names the 401 and the user" \
	"grep -A1 '^  F4 ' '$out/wrong-pw-scripted.txt' | grep -q 'expected 200 OK from P, got 401 Unauthorized (frame 4): P rejected the credentials for user alice (wrong password?)'"
check "the password is in no report" \
	"! grep -rq -e lab-secret -e not-the-secret '$out/good' '$out/wrong-pw' '$out'/*.txt"

# the same scenario, bound by --role instead of a testbed file
"$sipflow" run --verbose "$src/scenarios/yealink/no-answer-forward.yaml" \
	--role P=dut:udp:127.0.0.1:5060 --out "$out/role" --timeout 3s \
	>"$out/role.txt" 2>&1
rc=$?
cat "$out/role.txt"
check "no-answer-forward bound with --role: exit 0" "[ $rc -eq 0 ]"
kam_stop

# --- a proxy that challenges INVITEs (407): the phone answers it -------
kam_start "$here/kamailio.cfg" "$out/kam-auth" SIPFLOW_AUTH_INVITE ||
	abort "kamailio (INVITE auth) did not start"
offering invite-digest tb-auth
testbed_plain=$testbed testbed=$out/tb-auth.yaml
sed 's/password: lab-secret/password: not-the-secret/' "$testbed" >"$out/wrong-pw.yaml"
good session-auth-phones "$src/scenarios/rfc3665/session-auth-phones.yaml"
# with a wrong password the proxy challenges the answered INVITE again
refused auth-wrong-pw session-auth-phones
check "session-auth with a wrong password: F5 names the second 407" \
	"grep -A1 '^  F5 ' '$out/auth-wrong-pw.txt' | grep -q '407 Proxy Authentication Required'"
good session-auth "$src/scenarios/rfc3665/session-auth.yaml"
refused auth-wrong-pw-scripted session-auth
check "scripted session-auth with a wrong password: F5 names the 407 and the user" \
	"grep -A1 '^  F5 ' '$out/auth-wrong-pw-scripted.txt' | grep -q 'got 407 Proxy Authentication Required (frame 5): P rejected the credentials for user alice (wrong password?)'"
kam_stop

# --- SHA-256 challenges with qop=auth (RFC 8760): the scripted UA answers
kam_start "$here/kamailio.cfg" "$out/kam-sha" SIPFLOW_AUTH_INVITE SIPFLOW_AUTH_SHA256 ||
	abort "kamailio (SHA-256) did not start"
mv "$out/good" "$out/good-md5"
for name in registration-auth session-auth; do
	good "$name" "$src/scenarios/rfc3665/$name.yaml"
	check "$name: answered with SHA-256 and qop=auth" \
		"grep -a -q '^\(Proxy-\)\?Authorization: Digest .*algorithm=SHA-256, qop=auth' '$out/good/$name.pcapng'"
done
refused sha-wrong-pw registration-auth
check "SHA-256 with a wrong password: Kamailio refuses it at F4" \
	"grep -A1 '^  F4 ' '$out/sha-wrong-pw.txt' | grep -q 'P rejected the credentials for user alice'"
check "the password is in no SHA-256 report" \
	"! grep -a -rq -e lab-secret -e not-the-secret '$out/good' '$out/wrong-pw' '$out'/*.txt"
kam_stop
testbed=$testbed_plain

# --- a proxy that forwards Bob's calls to carol on 486 or no answer ----
kam_start "$here/kamailio.cfg" "$out/kam-fwd" SIPFLOW_FORWARD ||
	abort "kamailio (forwarding) did not start"
offering "forward-on-busy, forward-on-no-answer" tb-fwd
for name in forward-busy-server forward-no-answer-server; do
	good "$name" "$src/scenarios/rfc5359/$name.yaml" "$out/tb-fwd.yaml"
done
# the unconditional flow: this set-up does not offer it, so it is skipped
"$sipflow" run --verbose "$src/scenarios/rfc5359/forward-unconditional-server.yaml" \
	--testbed "$out/tb-fwd.yaml" --out "$out/fwd-skip" --timeout 2s \
	>"$out/fwd-skip.txt" 2>&1
rc=$?
cat "$out/fwd-skip.txt"
check "forward-unconditional-server against a proxy that does not offer forward-always: skipped with the reason, exit 0" \
	"[ $rc -eq 0 ] && grep -qF 'SKIP forward-unconditional-server: skipped: P (kamailio) does not offer forward-always' '$out/fwd-skip.txt'"
# a testbed that says it does, wrongly: Kamailio offers the call to B
# first, which the flow forbids; the step waiting then (the optional 181)
# names it
offering forward-always tb-fwd-claims
"$sipflow" run --verbose "$src/scenarios/rfc5359/forward-unconditional-server.yaml" \
	--testbed "$out/tb-fwd-claims.yaml" --out "$out/fwd-late" --timeout 2s \
	>"$out/fwd-late.txt" 2>&1
rc=$?
cat "$out/fwd-late.txt"
check "forward-unconditional-server, proxy that tries B first: exit 1" "[ $rc -eq 1 ]"
check "forward-unconditional-server: F2 names the INVITE sent to B" \
	"grep -A1 -E '^  F2 .*FAIL' '$out/fwd-late.txt' | grep -q 'unexpected INVITE from P to B (frame [0-9]*) while waiting for 181'"
kam_stop
kam_start "$here/kamailio.cfg" "$out/kam-fwd-always" SIPFLOW_FORWARD_ALWAYS ||
	abort "kamailio (forwarding always) did not start"
offering forward-always tb-fwd-always
good forward-unconditional-server \
	"$src/scenarios/rfc5359/forward-unconditional-server.yaml" \
	"$out/tb-fwd-always.yaml"
n=$(tshark -r "$out/good/forward-unconditional-server.pcapng" \
	-Y 'sip.Method == "INVITE" && sip.r-uri.user == "bob" && !(sip.resend == 1)' \
	2>/dev/null | wc -l)
m=$(tshark -r "$out/good/forward-unconditional-server.pcapng" \
	-Y 'sip.Method == "INVITE" && sip.r-uri.user == "carol" && sip.to.user == "bob" && !(sip.resend == 1)' \
	2>/dev/null | wc -l)
check "forward-unconditional-server: one INVITE for bob (A's), one retargeted to carol still To bob ($n, $m)" \
	"[ $n -eq 1 ] && [ $m -eq 1 ]"
kam_stop
# the same flow against the plain proxy: its testbed does not offer
# forward-on-busy, so the flow is skipped, saying so
kam_start "$here/kamailio.cfg" "$out/kam-nofwd" ||
	abort "kamailio did not start"
"$sipflow" run --verbose "$src/scenarios/rfc5359/forward-busy-server.yaml" \
	--testbed "$testbed" --out "$out/nofwd-skip" --timeout 2s \
	--junit "$out/nofwd-skip/junit.xml" >"$out/nofwd-skip.txt" 2>&1
rc=$?
cat "$out/nofwd-skip.txt"
check "forward-busy-server, proxy without forwarding: skipped (exit 0), in the console and junit.xml" \
	"[ $rc -eq 0 ] && grep -q '^scenarios: 0 passed, 0 failed, 1 skipped' '$out/nofwd-skip.txt' &&
	 grep -qF '<skipped message=\"P (kamailio) does not offer forward-on-busy\"/>' '$out/nofwd-skip/junit.xml'"
# a testbed that claims it wrongly: Kamailio relays B's 486 to A, and the
# step after the 486 names it
offering forward-on-busy tb-nofwd-claims
"$sipflow" run --verbose "$src/scenarios/rfc5359/forward-busy-server.yaml" \
	--testbed "$out/tb-nofwd-claims.yaml" --out "$out/nofwd" --timeout 2s \
	>"$out/nofwd.txt" 2>&1
rc=$?
cat "$out/nofwd.txt"
check "forward-busy-server, proxy without forwarding: exit 1" "[ $rc -eq 1 ]"
check "forward-busy-server: F6 names the 486 relayed to A" \
	"grep -A1 '^  F6 ' '$out/nofwd.txt' | grep -q 'got 486 Busy Here (frame'"
kam_stop

# --- misbehaving proxies: the verdicts name the step and the reason ----
# (one Kamailio per case: a failed flow leaves the proxy retransmitting
# to addresses the next flow reuses)
kam_start "$here/kamailio.cfg" "$out/kam-norr" SIPFLOW_NO_RR ||
	abort "kamailio (no Record-Route) did not start"
"$sipflow" run --verbose "$src/scenarios/yealink/basic-call.yaml" --testbed "$testbed" \
	--out "$out/bad" --timeout 2s >"$out/bad-basic.txt" 2>&1
rc=$?
cat "$out/bad-basic.txt"
check "basic-call, proxy without Record-Route: exit 1" "[ $rc -eq 1 ]"
check "basic-call: F2 fails on the missing Record-Route" \
	"grep -A1 '^  F2 ' '$out/bad-basic.txt' | grep -q 'header Record-Route: expected present, but the message has none'"
kam_stop

kam_start "$here/kamailio.cfg" "$out/kam-403" SIPFLOW_REFER_403 ||
	abort "kamailio (REFER 403) did not start"
"$sipflow" run --verbose "$src/scenarios/yealink/blind-transfer.yaml" --testbed "$testbed" \
	--out "$out/bad" --timeout 2s >"$out/bad-transfer.txt" 2>&1
rc=$?
cat "$out/bad-transfer.txt"
check "blind-transfer, proxy that refuses REFER: exit 1" "[ $rc -eq 1 ]"
check "blind-transfer: F10 fails with the 403" \
	"grep -A1 '^  F10 ' '$out/bad-transfer.txt' | grep -q 'expected 202 Accepted from P, got 403 Forbidden (frame'"
kam_stop

closing
