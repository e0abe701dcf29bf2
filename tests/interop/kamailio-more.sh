#!/usr/bin/env bash
# cost: 60
# Interop, continued (tests/interop/kamailio.sh plays the rest): the
# scripted rfc3665/ flows with a proxy or registrar role, each with the
# Kamailio set-up it needs, and for each set-up a deliberately wrong one
# that must fail at the step that says why:
#   - unsuccessful-404, unsuccessful-503-to-500, proxy-failure-503 and
#     redirect-sdp-in-ack (a scripted redirect server) against the plain
#     proxy (it turns B's 503 into 500: RFC 3261 §16.7
#     step 6); one that relays the 503 passes too (a SHOULD);
#   - registration, registration-cancel against an open registrar
#     (SIPFLOW_OPEN_REGISTRAR); the challenging one fails F2 naming 401;
#   - session-multi-proxy-auth against two Kamailios that both challenge
#     (realms a. and b.example.test); with a wrong password F5 names P1's
#     second 407;
#   - session-two-proxies against two Kamailios (P1 on 127.0.0.1 sends bob
#     to P2 on 127.0.0.2, P2 to B), seen whole through --capture lo, on
#     UDP and on TCP (the capture reassembles P1-P2's stream); with
#     P2 not record-routing, F3 names the Record-Route P2 did not add.
# usage: kamailio-more.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
flows="$src/scenarios/rfc3665"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"

need kamailio tshark

# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
trap 'kam_stop' EXIT
testbed="$here/kamailio-testbed.yaml"
# §3.4: the failing primary proxy is scripted, the secondary is Kamailio
failover=(--role P1=proxy:udp:127.0.0.13:5060 --role P2=dut:udp:127.0.0.1:5060)
# §3.2: both proxies are Kamailio; the steps between them are captured
two=(--role P1=dut:udp:127.0.0.1:5060 --role P2=dut:udp:127.0.0.2:5060 --capture lo)

# play NAME [ARGS...]: run flow rfc3665/NAME.yaml against the testbed
# (output in $out/$tag-NAME.txt, pcap in $out/$tag/); sets rc
play() {
	local name=$1
	shift
	"$sipflow" run --verbose "$flows/$name.yaml" --testbed "$testbed" "$@" \
		--out "$out/$tag" --timeout 3s >"$out/$tag-$name.txt" 2>&1
	rc=$?
	cat "$out/$tag-$name.txt"
}
# good NAME [ARGS...]: the flow passes
good() {
	play "$@"
	check "$1 ($tag): exit 0" "[ $rc -eq 0 ]"
	check "$1 ($tag): pcap written" "[ -s '$out/$tag/$1.pcapng' ]"
}
# bad NAME STEP TEXT [ARGS...]: the flow fails, and STEP's verdict says TEXT
bad() {
	local name=$1 step=$2 text=$3
	shift 3
	play "$name" "$@"
	check "$name ($tag): exit 1" "[ $rc -eq 1 ]"
	check "$name ($tag): $step says '$text'" \
		"grep -A1 '^  $step ' '$out/$tag-$name.txt' | grep -qF '$text'"
}
# sip_lines PCAP: source, destination and first line of each SIP message
sip_lines() {
	tshark -r "$1" -Y sip -T fields -e ip.src -e ip.dst \
		-e sip.Status-Line -e sip.Request-Line 2>/dev/null
}

# --- the plain proxy ------------------------------------------------------
tag=plain
kam_start "$here/kamailio.cfg" "$out/kam-plain" ||
	abort "kamailio did not start"
good unsuccessful-404
good unsuccessful-503-to-500
good proxy-failure-503 "${failover[@]}"
# §3.6: the redirect server is scripted, the proxy Kamailio; the offer in
# Bob's 200 OK and the answer in Alice's ACK pass through it
good redirect-sdp-in-ack --role R=ua:udp:127.0.0.13:5060
# §2.1/§2.2/§2.4 in one flow: after the first challenge, the update and
# the cancellation carry credentials pre-emptively and pass unchallenged
good registration-update-cancel
# the registrar challenges every REGISTER: a flow that prints no
# challenge fails at the 200 it expected (with a testbed that says,
# wrongly, that it registers without one; the true one skips the flow)
sed 's/offers: \[registrar, /offers: [register-open, registrar, /' \
	"$testbed" >"$out/tb-claims-open.yaml"
testbed_plain=$testbed testbed="$out/tb-claims-open.yaml"
bad registration F2 "expected 200 OK from R, got 401 Unauthorized (frame 2)"
testbed=$testbed_plain
play registration
check "registration (plain): skipped, the registrar does not offer register-open" \
	"[ $rc -eq 0 ] && grep -q 'skipped: R (kamailio) does not offer register-open' '$out/$tag-registration.txt'"
kam_stop
sip_lines "$out/plain/unsuccessful-503-to-500.pcapng" >"$out/plain-503.txt"
check "Kamailio answers A 500 (the 503 stays between P and B)" \
	"grep -q '^127.0.0.1	127.0.0.10	SIP/2.0 500 ' '$out/plain-503.txt' &&
	 ! grep -q '127.0.0.10	SIP/2.0 503' '$out/plain-503.txt'"
sip_lines "$out/plain/proxy-failure-503.pcapng" >"$out/plain-failover.txt"
check "failover: the 503 from P1 (127.0.0.13), then the INVITE to Kamailio" \
	"grep -n '' '$out/plain-failover.txt' | grep -q '^2:127.0.0.13	127.0.0.10	SIP/2.0 503 ' &&
	 grep -n '' '$out/plain-failover.txt' | grep -q '^4:127.0.0.10	127.0.0.1		INVITE '"

# --- a proxy that relays 503 (RFC 3261 §16.7 step 6: it SHOULD send 500;
# a SHOULD fails no step, so F5 takes the 503 as well) --------------------
tag=relay503
kam_start "$here/kamailio.cfg" "$out/kam-503" SIPFLOW_RELAY_503 ||
	abort "kamailio (relaying 503) did not start"
good unsuccessful-503-to-500
kam_stop
# the secondary proxy that does not record-route: F5 says so
tag=norr
kam_start "$here/kamailio.cfg" "$out/kam-norr" SIPFLOW_NO_RR ||
	abort "kamailio (no Record-Route) did not start"
bad proxy-failure-503 F5 "header Record-Route: expected present, but the message has none" \
	"${failover[@]}"
kam_stop

# --- an open registrar: the flows without a challenge ---------------------
tag=open
kam_start "$here/kamailio.cfg" "$out/kam-open" SIPFLOW_OPEN_REGISTRAR ||
	abort "kamailio (open registrar) did not start"
# this set-up neither challenges nor grants 2 s: its testbed says so
sed 's/offers: \[registrar, register-digest, short-expiry\]/offers: [registrar, register-open]/' \
	"$testbed" >"$out/tb-open.yaml"
testbed_good=$testbed testbed="$out/tb-open.yaml"
good registration
# after the registration, so there is a binding to remove; the flow checks
# that the 200 lists no Contact any more
good registration-cancel
testbed=$testbed_good
kam_stop
check "registration: Kamailio granted 3600 s" \
	"grep -a -q '^Contact: <sip:alice@127.0.0.10:5060>;expires=3600' '$out/open/registration.pcapng'"

# --- two proxies: P1 -> P2 -> B, both Kamailio ----------------------------
tag=two
kam_start "$here/kamailio.cfg" "$out/kam-p1" BOB_ADDR=127.0.0.2:5060 ||
	abort "kamailio P1 did not start"
kam_keep
kam_start "$here/kamailio.cfg" "$out/kam-p2" LISTEN=udp:127.0.0.2:5060 ||
	abort "kamailio P2 did not start"
good session-two-proxies "${two[@]}"
kam_stop
tshark -r "$out/two/session-two-proxies.pcapng" -Y 'ip.dst==127.0.0.11 && sip.Method==INVITE' \
	-T fields -E occurrence=a -E aggregator=' ' -e sip.Record-Route \
	2>/dev/null >"$out/two-rr.txt"
check "two proxies: the INVITE at B has P2's Record-Route above P1's" \
	"grep -q '^<sip:127.0.0.2;lr> <sip:127.0.0.1;lr>$' '$out/two-rr.txt'"

# the same over TCP: A, P1, P2 and B on TCP; the segments between the
# two Kamailios are put in order and cut into messages by the capture
tag=two_tcp
kam_start "$here/kamailio.cfg" "$out/kam-p1t" LISTEN2=tcp:127.0.0.1:5060 \
	'ALICE_ADDR=sip:127.0.0.10:5060;transport=tcp' \
	'BOB_ADDR=sip:127.0.0.2:5060;transport=tcp' ||
	abort "kamailio P1 (TCP) did not start"
kam_keep
kam_start "$here/kamailio.cfg" "$out/kam-p2t" LISTEN=udp:127.0.0.2:5060 \
	LISTEN2=tcp:127.0.0.2:5060 TCP_SOURCE=127.0.0.2 'BOB_ADDR=sip:127.0.0.11:5060;transport=tcp' ||
	abort "kamailio P2 (TCP) did not start"
good session-two-proxies --role A=ua:tcp:127.0.0.10 --role B=ua:tcp:127.0.0.11 \
	--role P1=dut:tcp:127.0.0.1:5060 --role P2=dut:tcp:127.0.0.2:5060 \
	--capture lo
kam_stop
n=$(tshark -r "$out/two_tcp/session-two-proxies.pcapng" \
	-Y 'tcp && sip && ip.src==127.0.0.1 && ip.dst==127.0.0.2' 2>/dev/null | wc -l)
check "two proxies on TCP: the pcap holds P1's 3 messages to P2 (INVITE, ACK, 200 OK) over TCP ($n)" \
	"[ $n -eq 3 ]"

# §3.3: both Kamailios challenge A's INVITE, each with a realm of its own;
# A answers both, each finds its own (P1 consumes it). With a wrong
# password P1 challenges the second INVITE again: F5 names that 407
# two_auth_kams TAG: P1 (realm a.example.test) sends bob to P2 (realm
# b.example.test); both challenge INVITEs
two_auth_kams() {
	tag=$1
	kam_start "$here/kamailio.cfg" "$out/kam-p1-$tag" BOB_ADDR=127.0.0.2:5060 \
		SIPFLOW_AUTH_INVITE 'AUTH_REALM="a.example.test"' ||
		abort "kamailio P1 (auth) did not start"
	kam_keep
	kam_start "$here/kamailio.cfg" "$out/kam-p2-$tag" LISTEN=udp:127.0.0.2:5060 \
		SIPFLOW_AUTH_INVITE 'AUTH_REALM="b.example.test"' ||
		abort "kamailio P2 (auth) did not start"
}
two_auth_kams two_auth
good session-multi-proxy-auth "${two[@]}"
kam_stop
# (fresh proxies: a failed flow leaves transactions behind)
two_auth_kams two_auth_bad
sed 's/password: lab-secret/password: not-the-secret/' "$testbed" >"$out/wrong-pw.yaml"
testbed_good=$testbed testbed="$out/wrong-pw.yaml"
bad session-multi-proxy-auth F5 "P1 sent 407 Proxy Authentication Required to A instead (frame 5): P1 rejected the credentials for user alice" "${two[@]}"
testbed=$testbed_good
kam_stop
n=$(tshark -r "$out/two_auth/session-multi-proxy-auth.pcapng" \
	-Y 'ip.src==127.0.0.10 && sip.Method==INVITE' -T fields \
	-e sip.Proxy-Authorization 2>/dev/null | tail -1 | grep -o 'realm=' | wc -l)
check "two proxies with auth: A's last INVITE answers both realms ($n)" "[ $n -eq 2 ]"
check "the password is in no report of the two challenging proxies" \
	"! grep -a -rq -e lab-secret -e not-the-secret '$out/two_auth' '$out/two_auth_bad' '$out'/two_auth*-*.txt"

# P2 does not record-route: A's ACK goes from P1 straight to B
tag=two_norr
kam_start "$here/kamailio.cfg" "$out/kam-p1b" BOB_ADDR=127.0.0.2:5060 ||
	abort "kamailio P1 did not start"
kam_keep
kam_start "$here/kamailio.cfg" "$out/kam-p2b" LISTEN=udp:127.0.0.2:5060 SIPFLOW_NO_RR ||
	abort "kamailio P2 (no Record-Route) did not start"
bad session-two-proxies F3 "header Record-Route: expected a value matching \"127\\.0\\.0\\.2\"" "${two[@]}"
kam_stop

closing
