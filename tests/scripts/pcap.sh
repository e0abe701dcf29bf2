#!/usr/bin/env bash
# pcap regression: sipflow ladder on sipflow's own captures and on real
# third-party traffic (SIPp over UDP, TCP and IPv6, captured by tshark on
# lo as pcapng/Ethernet); truncated and corrupt files; sipflow diff says
# "equal" for two runs of a flow and names the step and the header (or
# status) for a run where one changed.
# usage: pcap.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark sipp
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"

# wait (at most 10 s) until the capture file $1 holds $2 SIP messages: a
# capture writes what it has seen with some delay
wait_messages() {
	for _ in $(seq 100); do
		"$sipflow" ladder "$1" 2>/dev/null | grep -q "^$2 SIP messages" &&
			return 0
		sleep 0.1
	done
	echo "the capture $1 did not reach $2 SIP messages"
}
roles=(--role A=ua:udp:127.0.46.10:5060 --role B=ua:udp:127.0.46.11:5060
       --role C=ua:udp:127.0.46.12:5060 --role P=proxy:udp:127.0.46.13:5060)

# --- ladders of sipflow's own captures --------------------------------
# the three flows read below, twice (diff.sh diffs two runs of the whole
# library)
flows=("$src/scenarios/yealink/basic-call.yaml"
       "$src/scenarios/yealink/no-answer-forward.yaml"
       "$src/scenarios/yealink/blind-transfer.yaml")
"$sipflow" run "${flows[@]}" --out "$out/r1" --quiet "${roles[@]}" >/dev/null 2>&1
"$sipflow" run "${flows[@]}" --out "$out/r2" --quiet "${roles[@]}" >/dev/null 2>&1
"$sipflow" ladder "$out/r1/no-answer-forward.pcapng" --html "$out/naf.html" >"$out/naf.txt"
check "ladder: exit 0" "[ $? -eq 0 ]"
check "ladder: 16 messages in 2 calls, 4 participants" \
	"grep -q '^16 SIP messages in 2 calls' '$out/naf.txt' && grep -q '4=127.0.46.12:5060' '$out/naf.txt'"
check "ladder: the 302 from B (3) to P (2)" \
	"grep -E '^ +0\.[0-9]+ +5 ' '$out/naf.txt' | grep -q '<- 302 Moved Tempo'"
check "ladder --html: the page holds the 16 messages" \
	"[ \$(grep -o '\"frame\":' '$out/naf.html' | wc -l) -eq 16 ]"

# --- real third-party traffic: SIPp under tshark ----------------------
tshark -i lo -f "udp port 5191 or udp port 5192 or tcp port 5194 or udp port 5196" \
	-w "$out/sipp.pcapng" -q >"$out/tshark.log" 2>&1 &
tpid=$!
for _ in $(seq 100); do grep -q '^Capturing on' "$out/tshark.log" && break; sleep 0.1; done
sipp -sn uas -i 127.0.0.41 -p 5192 -m 1 >/dev/null 2>&1 & p1=$!
sipp -sn uas -t t1 -i 127.0.0.41 -p 5194 -m 1 >/dev/null 2>&1 & p2=$!
sipp -sn uas -i ::1 -p 5196 -m 1 >/dev/null 2>&1 & p3=$!
wait_bound 127.0.0.41:5192 && wait_bound 127.0.0.41:5194 tcp &&
	wait_bound "[::1]:5196" || echo "a SIPp server did not bind"
sipp -sn uac 127.0.0.41:5192 -i 127.0.0.40 -p 5191 -m 1 -timeout 10s \
	-timeout_error >/dev/null 2>&1
check "SIPp call over UDP" "[ $? -eq 0 ]"
sipp -sn uac -t t1 127.0.0.41:5194 -i 127.0.0.40 -m 1 -timeout 10s \
	-timeout_error >/dev/null 2>&1
check "SIPp call over TCP" "[ $? -eq 0 ]"
sipp -sn uac "[::1]:5196" -i ::1 -p 5195 -m 1 -timeout 10s \
	-timeout_error >/dev/null 2>&1
check "SIPp call over IPv6" "[ $? -eq 0 ]"
wait_messages "$out/sipp.pcapng" 18
kill -INT "$tpid"; wait "$tpid" 2>/dev/null
kill "$p1" "$p2" "$p3" 2>/dev/null; wait "$p1" "$p2" "$p3" 2>/dev/null
"$sipflow" ladder "$out/sipp.pcapng" >"$out/sipp.txt"
check "ladder of SIPp's pcapng: exit 0" "[ $? -eq 0 ]"
cat "$out/sipp.txt"
check "ladder of SIPp: 18 messages in 3 calls" \
	"grep -q '^18 SIP messages in 3 calls' '$out/sipp.txt'"
for kind in "127.0.0.41:5194" "\[::1\]:5196" "127.0.0.41:5192"; do
	check "ladder of SIPp: the call to $kind" \
		"grep -q '=$kind' '$out/sipp.txt'"
done
check "ladder of SIPp: every call has INVITE, 180, 200, ACK, BYE, 200" \
	"[ \$(grep -cE 'INVITE|180 Ringing|200 OK|ACK|BYE' '$out/sipp.txt') -eq 18 ]"

# --- sipflow record: live capture with libpcap --------------------------
"$sipflow" record --interface lo --filter "udp port 5291 or udp port 5292" \
	--out "$out/rec.pcap" --duration 10s >"$out/rec.log" 2>&1 &
rpid=$!
for _ in $(seq 50); do grep -q recording "$out/rec.log" 2>/dev/null && break; sleep 0.1; done
sipp -sn uas -i 127.0.0.51 -p 5292 -m 1 >/dev/null 2>&1 & up=$!
wait_bound 127.0.0.51:5292 || echo "the SIPp server did not bind"
sipp -sn uac 127.0.0.51:5292 -i 127.0.0.50 -p 5291 -m 1 -timeout 5s \
	-timeout_error >/dev/null 2>&1
wait_messages "$out/rec.pcap" 6
kill -INT "$rpid"; wait "$rpid"; rc=$?
kill "$up" 2>/dev/null; wait "$up" 2>/dev/null
check "record: stops on SIGINT with exit 0" "[ $rc -eq 0 ] && grep -q '^6 packets written' '$out/rec.log'"
"$sipflow" ladder "$out/rec.pcap" >"$out/rec.txt" 2>&1
check "record: the capture holds the SIPp call" "grep -q '^6 SIP messages in 1 calls' '$out/rec.txt'"
"$sipflow" record --interface nosuchif0 --out "$out/x.pcap" --duration 1s >/dev/null 2>&1
check "record on a missing interface: exit 2" "[ $? -eq 2 ]"
"$sipflow" record --interface lo --filter "udp prot 5" --out "$out/x.pcap" >/dev/null 2>&1
check "record with a bad filter: exit 2" "[ $? -eq 2 ]"

# --- truncated and corrupt files --------------------------------------
size=$(stat -c %s "$out/r1/blind-transfer.pcapng")
head -c $((size - 100)) "$out/r1/blind-transfer.pcapng" >"$out/cut.pcapng"
"$sipflow" ladder "$out/cut.pcapng" >"$out/cut.txt" 2>&1
check "truncated capture: exit 0, the whole messages kept" \
	"[ $? -eq 0 ] && grep -q '^23 SIP messages' '$out/cut.txt' && grep -q 'truncated' '$out/cut.txt'"
head -c 5000 /dev/urandom >"$out/noise.pcap"
"$sipflow" ladder "$out/noise.pcap" >"$out/noise.txt" 2>&1
check "corrupt file: exit 2 with a reason" "[ $? -eq 2 ] && [ -s '$out/noise.txt' ]"
"$sipflow" ladder /nonexistent.pcap >/dev/null 2>&1
check "missing file: exit 2" "[ $? -eq 2 ]"

# --- diff --------------------------------------------------------------
for n in basic-call no-answer-forward blind-transfer; do
	"$sipflow" diff "$out/r1/$n.pcapng" "$out/r2/$n.pcapng" >"$out/diff-$n.txt"
	check "diff of two runs of $n: exit 0, equal" \
		"[ $? -eq 0 ] && grep -q '^0 differences' '$out/diff-$n.txt'"
done

mkdir -p "$out/v"
sed 's/^  - F5: 200 OK B -> P$/  - F5: 200 OK B -> P\n    headers: {Subject: changed}/' \
	"$src/scenarios/yealink/basic-call.yaml" >"$out/v/basic-call.yaml"
"$sipflow" run "$out/v/basic-call.yaml" --out "$out/r3" --quiet "${roles[@]}" >/dev/null 2>&1
"$sipflow" diff "$out/r1/basic-call.pcapng" "$out/r3/basic-call.pcapng" >"$out/diff-hdr.txt"
rc=$?
cat "$out/diff-hdr.txt"
check "diff with one header added: exit 1" "[ $rc -eq 1 ]"
check "diff names F5 and the header" \
	"grep -q 'F5 200 OK 3->2 .*header Subject: (none) -> \"changed\"' '$out/diff-hdr.txt'"
check "the 200 relayed by P carries it too (F6)" \
	"grep -q 'F6 200 OK 2->1 .*header Subject' '$out/diff-hdr.txt'"
check "nothing else differs" "grep -q '^2 differences' '$out/diff-hdr.txt'"

sed 's/180 Ringing/183 Session Progress/' \
	"$src/scenarios/yealink/basic-call.yaml" >"$out/v/basic-call.yaml"
"$sipflow" run "$out/v/basic-call.yaml" --out "$out/r4" --quiet "${roles[@]}" >/dev/null 2>&1
"$sipflow" diff "$out/r1/basic-call.pcapng" "$out/r4/basic-call.pcapng" --json >"$out/diff-status.json"
rc=$?
check "diff with a status changed: exit 1" "[ $rc -eq 1 ]"
check "diff --json names F3 and the status 180 -> 183" \
	"python3 -c \"import json,sys; d=json.load(open('$out/diff-status.json')); sys.exit(not any(i['where'].startswith('F3 ') and i['what']=='status' and i['old']=='180' and i['new']=='183' for i in d['items']))\""
"$sipflow" diff "$out/r1/basic-call.pcapng" "$out/r3/basic-call.pcapng" --ignore Subject >/dev/null
check "diff --ignore Subject: equal again" "[ $? -eq 0 ]"
# the 41st --ignore is read like the first (none dropped at a fixed size)
many=(); for k in $(seq 1 40); do many+=(--ignore "X-Unused-$k"); done
"$sipflow" diff "$out/r1/basic-call.pcapng" "$out/r3/basic-call.pcapng" \
	"${many[@]}" --ignore Subject >/dev/null
check "diff with 40 other --ignore first: --ignore Subject still read" \
	"[ $? -eq 0 ]"
"$sipflow" diff "$out/r1/basic-call.pcapng" "$out/r2/basic-call.pcapng" --keep Call-ID >/dev/null
check "diff --keep Call-ID: two runs differ in Call-ID" "[ $? -eq 1 ]"
"$sipflow" diff "$out/r1/basic-call.pcapng" >/dev/null 2>&1
check "diff with one file: exit 2" "[ $? -eq 2 ]"

# --- verify a capture against a scenario --------------------------------
vroles=(--role A=127.0.46.10:5060 --role B=127.0.46.11:5060
	--role C=127.0.46.12:5060 --role P=127.0.46.13:5060)
for n in basic-call no-answer-forward blind-transfer; do
	"$sipflow" verify "$src/scenarios/yealink/$n.yaml" --pcap "$out/r1/$n.pcapng" \
		"${vroles[@]}" --out "$out/verify-$n" >"$out/verify-$n.txt" 2>&1
	check "verify $n against its capture: exit 0, reports written" \
		"[ $? -eq 0 ] && [ -s '$out/verify-$n/report.json' ]"
done
# a proxy that dropped Record-Route: made by a variant with no expectations
grep -vE '^ +(expect:|header:|body:)' "$src/scenarios/yealink/basic-call.yaml" |
	sed 's/^  - F2: INVITE P -> B$/  - F2: INVITE P -> B\n    headers: {Record-Route: null}/' \
	>"$out/v/basic-call.yaml"
"$sipflow" run "$out/v/basic-call.yaml" --out "$out/r5" --quiet "${roles[@]}" >/dev/null 2>&1
check "the variant without Record-Route plays" "[ $? -eq 0 ]"
"$sipflow" verify "$src/scenarios/yealink/basic-call.yaml" --pcap "$out/r5/basic-call.pcapng" \
	"${vroles[@]}" >"$out/verify-norr.txt" 2>&1
rc=$?
cat "$out/verify-norr.txt"
check "verify a capture without Record-Route: exit 1 at F2 with the header" \
	"[ $rc -eq 1 ] && grep -A1 '^  F2 ' '$out/verify-norr.txt' | grep -q 'header Record-Route: expected present'"
"$sipflow" verify "$src/scenarios/yealink/blind-transfer.yaml" --pcap "$out/cut.pcapng" \
	"${vroles[@]}" >"$out/verify-cut.txt" 2>&1
rc=$?
check "verify a truncated capture: exit 1, F24 not in the capture" \
	"[ $rc -eq 1 ] && grep -q 'no ACK from P at C in the capture' '$out/verify-cut.txt'"
"$sipflow" verify "$src/scenarios/yealink/basic-call.yaml" >/dev/null 2>&1
check "verify without --pcap: exit 2" "[ $? -eq 2 ]"

closing
