#!/usr/bin/env bash
# A run interrupted with SIGINT (and one with SIGTERM) while it waits on a
# silent device: exit 1, the waiting step says it was interrupted (an
# <error> in junit.xml, not a failure), and the pcap is whole (tshark reads it, with F1's verdict as its comment).
# usage: sigint.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark

for sig in INT TERM; do
	d="$out/$sig"
	"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" --out "$d" --verbose \
		--role P=dut:udp:127.0.43.99:5060 --role A=ua:udp:127.0.43.10:5060 \
		--role B=ua:udp:127.0.43.11:5060 --timeout 30s \
		--timer T1=30s --timer T2=30s >"$out/$sig.txt" 2>&1 &
	pid=$!
	# wait (bounded) until F1 went out, then interrupt; T1 = 30 s keeps
	# it the only INVITE (no Timer A retransmission before the signal)
	for _ in $(seq 50); do
		grep -q 'F1 ' "$out/$sig.txt" 2>/dev/null && break
		sleep 0.1
	done
	kill -"$sig" "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
	wait "$pid"; rc=$?
	cat "$out/$sig.txt"
	check "SIG$sig: exit status 1" "[ $rc -eq 1 ]"
	check "SIG$sig: F2 says interrupted" \
		"grep -A1 'F2 ' '$out/$sig.txt' | grep -q 'interrupted (SIG$sig)'"
	check "SIG$sig: pcap written" "[ -s '$d/basic-call.pcapng' ]"
	n=$(tshark -r "$d/basic-call.pcapng" -Y sip 2>/dev/null | wc -l)
	check "SIG$sig: tshark reads the INVITE in the pcap" "[ $n -eq 1 ]"
	c=$(tshark -r "$d/basic-call.pcapng" -Y frame.comment -T fields \
		-e frame.number -e frame.comment 2>/dev/null)
	check "SIG$sig: the pcapng has F1's verdict on frame 1 ($c)" \
		"[ \"\$c\" = '1	F1 INVITE A -> P: pass' ]"
	check "SIG$sig: report.json says interrupted, F2 failed" \
		"python3 -c \"import json,sys; r=json.load(open('$d/report.json')); s=r['scenarios'][0]; f=[x for x in s['steps'] if x['id']=='F2'][0]; sys.exit(not (r['interrupted'] and f['status']=='fail' and 'interrupted' in f['reason']))\""
	check "SIG$sig: junit.xml (F2 an error: interrupted) and report.html written" \
		"[ -s '$d/junit.xml' ] && grep -q '<error type=\"interrupted\" message=\"interrupted (SIG$sig)\"' '$d/junit.xml' &&
		 ! grep -q '<failure' '$d/junit.xml' && [ -s '$d/report.html' ]"

done

closing
