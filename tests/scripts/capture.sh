#!/usr/bin/env bash
# run --capture: a tester plays only A, with P and B as devices under test
# (played by a second sipflow process); the steps between P and B are seen
# through a live capture on lo, checked like any other, and land in the
# tester's pcap — over UDP and over TCP. Without --capture those steps are
# refused; a device that strips Record-Route fails the tester at F2; a
# device on TLS is refused (its SIP cannot be read off the wire).
# usage: capture.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"
flow="$src/scenarios/yealink/basic-call.yaml"
A=127.0.48.10:5060 B=127.0.48.11:5060 P=127.0.48.13:5060
tester=(--role A=ua:udp:$A --role B=dut:udp:$B --role P=dut:udp:$P)

"$sipflow" run --verbose "$flow" "${tester[@]}" --out "$out/nocap" >"$out/nocap.txt" 2>&1
check "steps between two DUTs without --capture: exit 2" "[ $? -eq 2 ]"
check "the refusal names the step" "grep -q 'step F2: P and B are both devices under test' '$out/nocap.txt'"

# a device on TLS: refused before the run, saying why (exit 2)
"$sipflow" run --verbose "$flow" --role A=ua:tls:127.0.48.10 --role B=dut:tls:127.0.48.11 \
	--role P=dut:tls:127.0.48.13 --capture lo --out "$out/tls" \
	>"$out/tls.txt" 2>&1
check "--capture with devices on tls: exit 2" "[ $? -eq 2 ]"
check "--capture on TLS: says TLS cannot be decrypted" \
	"grep -q 'capture: B is a device on TLS (127.0.48.11:5061): its SIP over TLS cannot be read off the wire' '$out/tls.txt'"

play() { # $1: device scenario, $2: name, $3: transport (udp, tcp)
	local t=$3
	"$sipflow" run --verbose "$1" --role A=dut:$t:$A --role B=ua:$t:$B \
		--role P=proxy:$t:$P --out "$out/dev-$2" --timeout 5s \
		>"$out/dev-$2.txt" 2>&1 &
	dpid=$!
	# the device's roles are up when B and P listen
	wait_bound "$B" "$t" && wait_bound "$P" "$t" ||
		echo "the device run did not bind $B and $P ($t)"
	"$sipflow" run --verbose "$flow" --role A=ua:$t:$A --role B=dut:$t:$B \
		--role P=dut:$t:$P --capture lo --out "$out/tst-$2" \
		--timeout 3s >"$out/tst-$2.txt" 2>&1
	trc=$?
	wait "$dpid"; drc=$?
}

mkdir -p "$out/v"
grep -vE '^ +(expect:|header:|body:)' "$flow" |
	sed 's/^  - F2: INVITE P -> B$/  - F2: INVITE P -> B\n    headers: {Record-Route: null}/' \
	>"$out/v/basic-call.yaml"

# over UDP the devices' datagrams are read as they come; over TCP the
# segments of the P-B connection are put in order and cut into messages
# by Content-Length
for t in udp tcp; do
	play "$flow" good-$t $t
	cat "$out/tst-good-$t.txt"
	check "$t: tester with --capture: exit 0" "[ $trc -eq 0 ]"
	check "$t: device: exit 0" "[ $drc -eq 0 ]"
	check "$t: F2 (P -> B) passed through the capture" \
		"grep -E '^  F2 .*pass' '$out/tst-good-$t.txt' >/dev/null"
	n=$("$sipflow" ladder "$out/tst-good-$t/basic-call.pcapng" | grep -c 'call 1$')
	check "$t: the tester's pcap holds all 12 messages (got $n)" "[ $n -eq 12 ]"

	play "$out/v/basic-call.yaml" norr-$t $t
	cat "$out/tst-norr-$t.txt"
	check "$t: a device that strips Record-Route: tester exit 1" "[ $trc -eq 1 ]"
	check "$t: it fails at F2 with the header" \
		"grep -A1 '^  F2 ' '$out/tst-norr-$t.txt' | grep -q 'header Record-Route: expected present'"
done
n=$(tshark -r "$out/tst-good-tcp/basic-call.pcapng" -Y 'tcp && sip' 2>/dev/null | wc -l)
check "tcp: tshark reads the 12 SIP messages over TCP in the tester's pcap ($n)" \
	"[ $n -eq 12 ]"

closing
