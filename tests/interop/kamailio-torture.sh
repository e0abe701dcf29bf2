#!/usr/bin/env bash
# tests/interop/kamailio-torture.sh — sipflow torture against Kamailio as
# Debian ships it (/etc/kamailio/kamailio.cfg unchanged), a robust
# device: seeded mutations of a REGISTER, an INVITE and its ACK over UDP
# (rfc3665/unsuccessful-404.yaml, the roles registering first), and of
# an OPTIONS over TCP (split across segments among them); it answers
# every liveness check (exit 0) and is still running afterwards
# usage: kamailio-torture.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"

need kamailio
# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
trap 'kam_stop' EXIT

kam_start_stock "$out/kam" \
	--listen=tcp:127.0.0.1:5060 --listen=udp:127.0.0.1:5060 \
	--alias=example.test || abort "kamailio (stock config) did not start"

"$sipflow" torture "$src/scenarios/rfc3665/unsuccessful-404.yaml" \
	--testbed "$here/stock-testbed.yaml" --seed 1 --count 600 \
	--every 20 --gap 2ms --out "$out/udp" >"$out/udp.txt" 2>&1
rc=$?
check "UDP: Kamailio survives 600 mutations (exit 0, got $rc)" \
	"[ $rc -eq 0 ] && grep -q '^PASS P answered after all 600 mutations' '$out/udp.txt'"
check "UDP: REGISTER, INVITE and ACK were mutated" \
	"grep -q '^torture: 3 requests to P to mutate' '$out/udp.txt'"
check "UDP: 30 liveness checks passed" \
	"grep -q '; 30 liveness checks passed' '$out/udp.txt'"

# the same seed twice against the same Kamailio: the same bytes, though
# each play before got its own To tags and SDP from it
for run in a b; do
	"$sipflow" torture "$src/scenarios/rfc3665/unsuccessful-404.yaml" \
		--testbed "$here/stock-testbed.yaml" --seed 9 --count 100 \
		--every 50 --gap 2ms --out "$out/seed-$run" \
		>"$out/seed-$run.txt" 2>&1
done
a=$(python3 "$src/tests/scripts/torture_sent.py" \
	"$out/seed-a/torture-unsuccessful-404.pcapng" 127.0.0.1)
b=$(python3 "$src/tests/scripts/torture_sent.py" \
	"$out/seed-b/torture-unsuccessful-404.pcapng" 127.0.0.1)
check "UDP: the same seed twice sends the same bytes ($a)" \
	"[ -n '$a' ] && [ '${a%% *}' -ge 100 ] && [ '$a' = '$b' ]"

"$sipflow" torture "$here/lib/probe-keepalive.yaml" \
	--role A=ua:tcp:127.0.0.9:5099 --role P=dut:tcp:127.0.0.1:5060 \
	--seed 2 --count 300 --every 20 --gap 2ms --out "$out/tcp" \
	>"$out/tcp.txt" 2>&1
rc=$?
check "TCP: Kamailio survives 300 mutations (exit 0, got $rc)" \
	"[ $rc -eq 0 ] && grep -q '^PASS P answered after all 300 mutations' '$out/tcp.txt'"
check "TCP: some were split across segments" \
	"grep -Eq 'tcp-split [0-9]+' '$out/tcp.txt'"
check "Kamailio is still running" "kill -0 $KAM_PID"

closing_counted
