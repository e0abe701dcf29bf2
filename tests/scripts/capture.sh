#!/usr/bin/env bash
# run --capture: a tester plays only A, with P and B as devices under test
# (played by a second sipflow process); the steps between P and B are seen
# through a live capture on lo, checked like any other, and land in the
# tester's pcap. Without --capture those steps are refused; a device that
# strips Record-Route fails the tester at F2.
# usage: capture.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
flow="$src/scenarios/yealink/basic-call.yaml"
A=127.0.48.10:5060 B=127.0.48.11:5060 P=127.0.48.13:5060
tester=(--role A=ua:udp:$A --role B=dut:udp:$B --role P=dut:udp:$P)
device=(--role A=dut:udp:$A --role B=ua:udp:$B --role P=proxy:udp:$P)

"$sipflow" run "$flow" "${tester[@]}" --out "$out/nocap" >"$out/nocap.txt" 2>&1
check "steps between two DUTs without --capture: exit 2" "[ $? -eq 2 ]"
check "the refusal names the step" "grep -q 'step F2: P and B are both devices under test' '$out/nocap.txt'"

# devices on a stream: refused before the run, saying why (exit 2)
for t in tcp tls; do
	"$sipflow" run "$flow" --role A=ua:$t:127.0.48.10 --role B=dut:$t:127.0.48.11 \
		--role P=dut:$t:127.0.48.13 --capture lo --out "$out/$t" \
		>"$out/$t.txt" 2>&1
	check "--capture with devices on $t: exit 2" "[ $? -eq 2 ]"
done
check "--capture on TCP: says TCP is not read" \
	"grep -q 'capture: B is a device on TCP (127.0.48.11:5060): the live capture reads SIP over UDP only' '$out/tcp.txt'"
check "--capture on TLS: says TLS cannot be decrypted" \
	"grep -q 'capture: B is a device on TLS (127.0.48.11:5061): its SIP over TLS cannot be read off the wire' '$out/tls.txt'"

play() { # $1: device scenario, $2: name
	"$sipflow" run "$1" "${device[@]}" --out "$out/dev-$2" --timeout 5s \
		>"$out/dev-$2.txt" 2>&1 &
	dpid=$!
	sleep 0.3
	"$sipflow" run "$flow" "${tester[@]}" --capture lo --out "$out/tst-$2" \
		--timeout 3s >"$out/tst-$2.txt" 2>&1
	trc=$?
	wait "$dpid"; drc=$?
}

play "$flow" good
cat "$out/tst-good.txt"
check "tester with --capture: exit 0" "[ $trc -eq 0 ]"
check "device: exit 0" "[ $drc -eq 0 ]"
check "F2 (P -> B) passed through the capture" "grep -E '^  F2 .*pass' '$out/tst-good.txt' >/dev/null"
n=$("$sipflow" ladder "$out/tst-good/basic-call.pcap" | grep -c 'call 1$')
check "the tester's pcap holds all 12 messages (got $n)" "[ $n -eq 12 ]"

mkdir -p "$out/v"
grep -vE '^ +(expect:|header:|body:)' "$flow" |
	sed 's/^  - F2: INVITE P -> B$/  - F2: INVITE P -> B\n    headers: {Record-Route: null}/' \
	>"$out/v/basic-call.yaml"
play "$out/v/basic-call.yaml" norr
cat "$out/tst-norr.txt"
check "a device that strips Record-Route: tester exit 1" "[ $trc -eq 1 ]"
check "it fails at F2 with the header" \
	"grep -A1 '^  F2 ' '$out/tst-norr.txt' | grep -q 'header Record-Route: expected present'"

[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
