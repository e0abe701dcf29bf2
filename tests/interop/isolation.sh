#!/usr/bin/env bash
# Isolation against a real Kamailio (tests/interop/kamailio.cfg as P): a
# scenario that fails at F2 leaves P's INVITE to B unanswered; in the
# same invocation the next scenario (a basic call through P) must pass,
# not fail on P's retransmissions of that INVITE ("unexpected INVITE from
# P to B"). The teardown traffic (B's 480, P's ACK, A's ACK) is in the
# failed scenario's own pcap and marked teardown in report.json. The
# whole is played twice against the same Kamailio process.
# tests/scripts/isolation.sh covers the rest with a scripted device.
# usage: isolation.sh SIPFLOW SRCDIR OUTDIR
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
kam_start "$here/kamailio.cfg" "$out/kam" || abort "kamailio did not start"

for round in 1 2; do
	o="$out/run$round"
	"$sipflow" run --verbose "$src/tests/isolation/proxy-fails-at-f2.yaml" \
		"$src/scenarios/yealink/basic-call.yaml" \
		--testbed "$here/kamailio-testbed.yaml" --out "$o" --timeout 3s \
		>"$o.txt" 2>&1
	rc=$?
	cat "$o.txt"
	check "round $round: exit 1 (the first scenario fails by design)" "[ $rc -eq 1 ]"
	check "round $round: the first fails at F2, on the expectation it was given" \
		"grep -A1 -E '^  F2 .*FAIL' '$o.txt' | grep -q 'X-Never-Sent'"
	check "round $round: basic-call, next in the same invocation, passes" \
		"grep -q '^\[2/2\] PASS basic-call' '$o.txt'"
	check "round $round: no step saw an INVITE of the first scenario" \
		"! grep -q 'unexpected INVITE' '$o.txt'"
	tshark -r "$o/iso-proxy-fails-at-f2.pcapng" -T fields -E separator='|' \
		-e ip.src -e sip.Method -e sip.Status-Code -e sip.CSeq.method \
		-Y sip >"$o.lines" 2>/dev/null
	check "round $round: the first scenario's pcap has B's 480 to P's INVITE" \
		"grep -q '^127.0.0.11||480|INVITE$' '$o.lines'"
	check "round $round: … P's ACK for it, P's 480 to A and A's ACK" \
		"grep -q '^127.0.0.1|ACK||ACK$' '$o.lines' && grep -q '^127.0.0.1||480|INVITE$' '$o.lines' && grep -q '^127.0.0.10|ACK||ACK$' '$o.lines'"
	check "round $round: report.json marks B's 480 and A's ACK teardown" \
		"python3 -c \"import json,sys; s=json.load(open('$o/report.json'))['scenarios'][0]; t=[(m['from'], m['line'].split(' ')[0] if not m['line'].startswith('SIP') else m['line'].split(' ')[1]) for m in s['messages'] if m.get('teardown')]; sys.exit(not (('B', '480') in t and ('A', 'ACK') in t))\""
done

closing_counted
