#!/usr/bin/env bash
# Isolation between the scenarios of one invocation against one device
# (tests/scripts/udp_device.py, a scripted SIP UA over UDP): after each
# scenario the simulated roles close what they opened with the device
# (ACK and BYE an answered call, CANCEL a ringing one) and wait until it
# is quiet; that traffic is in the scenario's own pcap, marked teardown
# in report.json; what the device still sends of an earlier scenario is
# absorbed and named, never a step's; a device that never goes quiet is
# bounded by settle-max and named in a note. Pure self-play has no
# teardown (selfplay.sh). tests/interop/isolation.sh does the same with
# Kamailio as the proxy.
# usage: isolation.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
here="$src/tests/isolation"
dev=127.0.62.1 port=5070

# the SIP messages of a pcap: source, method or status, CSeq method
sip_lines() {
	tshark -r "$1" -T fields -E separator='|' -e ip.src -e sip.Method \
		-e sip.Status-Code -e sip.CSeq.method -Y sip 2>/dev/null
}

python3 "$src/tests/scripts/udp_device.py" $dev $port "$out/device.log" 40 &
devpid=$!
trap 'kill -TERM $devpid 2>/dev/null; wait $devpid 2>/dev/null' EXIT
for _ in $(seq 50); do
	ss -Hlun "src $dev:$port" 2>/dev/null | grep -q . && break
	sleep 0.1
done

t0=$(date +%s%N)
"$sipflow" run --verbose "$here/answered-fails.yaml" "$here/leftover.yaml" \
	"$here/ringing.yaml" "$here/chatter.yaml" --testbed "$here/testbed.yaml" \
	--out "$out/run" --timeout 2s >"$out/run.txt" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
cat "$out/run.txt"
check "one invocation: exit 1 (scenario 1 fails by design)" "[ $rc -eq 1 ]"
check "scenario 1 fails at F2 (the expectation it was given)" \
	"grep -A1 -E '^  F2 .*FAIL' '$out/run.txt' | grep -q 'X-Never-Sent'"
check "scenario 2 (leftovers arrive) passes" \
	"grep -q '^\[2/4\] PASS iso-leftover' '$out/run.txt'"
check "scenario 3 (a call left ringing) passes" \
	"grep -q '^\[3/4\] PASS iso-ringing' '$out/run.txt'"
check "scenario 4 (a device that never goes quiet) passes" \
	"grep -q '^\[4/4\] PASS iso-chatter' '$out/run.txt'"

# (b) leftovers: absorbed, named, answered by no step
for m in BYE NOTIFY INVITE; do
	check "a leftover $m is absorbed and named for scenario 1" \
		"grep -E 'note: absorbed $m .*left over from scenario iso-answered-fails' '$out/run.txt' >/dev/null"
done
check "no step of scenario 2 took a leftover or answered one: F1, F2 are the OPTIONS and its 200; A's 481, 481, 480 are marked teardown" \
	"python3 -c \"import json,sys; s=[x for x in json.load(open('$out/run/report.json'))['scenarios'] if x['name']=='iso-leftover'][0]; m={x['frame']:x for x in s['messages']}; f=[m[t['frame']] for t in s['steps']]; a=[x['line'] for x in s['messages'] if x.get('teardown')]; sys.exit(not ([x['line'].split(' ')[0] for x in f] == ['OPTIONS', 'SIP/2.0'] and all('CSeq: 1 OPTIONS' in x['text'] for x in f) and [l.split(' ')[1] for l in a] == ['481', '481', '480'] and not any(x.get('step') for x in s['messages'] if x.get('teardown'))))\""

# (c) the teardown traffic is in each scenario's own pcap, and marked
sip_lines "$out/run/iso-answered-fails.pcapng" >"$out/answered.lines"
check "scenario 1's pcap: A acknowledged the 200 OK" \
	"grep -q '^127.0.62.10|ACK||ACK$' '$out/answered.lines'"
check "scenario 1's pcap: A ended the call with BYE, P answered 200" \
	"grep -q '^127.0.62.10|BYE||BYE$' '$out/answered.lines' && grep -q '^$dev||200|BYE$' '$out/answered.lines'"
sip_lines "$out/run/iso-ringing.pcapng" >"$out/ringing.lines"
check "scenario 3's pcap: A cancelled its ringing INVITE, P said 487, A acknowledged it" \
	"grep -q '^127.0.62.10|CANCEL||CANCEL$' '$out/ringing.lines' && grep -q '^$dev||487|INVITE$' '$out/ringing.lines' && grep -q '^127.0.62.10|ACK||ACK$' '$out/ringing.lines'"
sip_lines "$out/run/iso-leftover.pcapng" >"$out/leftover.lines"
check "scenario 2's pcap: A answered the leftover BYE and NOTIFY with 481 (RFC 3261 §12.2.2)" \
	"grep -q '^127.0.62.10||481|BYE$' '$out/leftover.lines' && grep -q '^127.0.62.10||481|NOTIFY$' '$out/leftover.lines'"
check "report.json: scenario 1's ACK, BYE and 200 are marked teardown, its steps' messages are not" \
	"python3 -c \"import json,sys; s=[x for x in json.load(open('$out/run/report.json'))['scenarios'] if x['name']=='iso-answered-fails'][0]; t=[m['line'].split(' ')[0]+('/'+m['line'].split(' ')[1] if m['line'].startswith('SIP') else '') for m in s['messages'] if m.get('teardown')]; n=[m for m in s['messages'] if not m.get('teardown')]; sys.exit(not (t == ['ACK', 'BYE', 'SIP/2.0/200'] and len(n) == 2))\""
check "the device got A's teardown BYE of scenario 1's call" \
	"grep -q '^BYE ' '$out/device.log'"
check "the console notes the teardown of scenario 1" \
	"grep -q 'note: teardown: A sent BYE to P' '$out/run.txt'"

# (d) a device that never goes quiet: bounded, named, verdict unchanged
check "scenario 4: a note names what P kept sending" \
	"grep -E 'note: teardown: P did not go quiet within 1.5 s; it kept sending OPTIONS' '$out/run.txt' >/dev/null"
check "the invocation is bounded: under 9 s ($ms ms)" "[ $ms -lt 9000 ]"

# testbed keys: a value that is no duration, a maximum under the settle
printf 'roles:\n  P: {kind: dut, address: udp:%s:%s}\nsettle: soon\n' $dev $port >"$out/tb-bad.yaml"
"$sipflow" run "$here/chatter.yaml" --testbed "$out/tb-bad.yaml" --out "$out/bad" >"$out/bad.txt" 2>&1
check "settle: soon is refused, exit 2, at its line" \
	"[ $? -eq 2 ] && grep -q 'tb-bad.yaml:3:9: settle: .soon. is not a duration' '$out/bad.txt'"
printf 'roles:\n  P: {kind: dut, address: udp:%s:%s}\nsettle: 2s\nsettle-max: 1s\n' $dev $port >"$out/tb-max.yaml"
"$sipflow" run "$here/chatter.yaml" --testbed "$out/tb-max.yaml" --out "$out/bad" >"$out/max.txt" 2>&1
check "settle-max under settle is refused, exit 2" \
	"[ $? -eq 2 ] && grep -q 'settle-max (1000 ms) is shorter than settle (2000 ms)' '$out/max.txt'"

closing_counted
