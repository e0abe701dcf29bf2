#!/usr/bin/env bash
# Transports: the basic call (yealink/basic-call, rfc3665/direct-call) in
# self-play over TCP, TLS (certificates made here with openssl, verified),
# UDP/IPv6 and TCP/IPv6, and the phones' basic call over TCP and TLS; each
# pcap decodes in tshark with the SIP messages in flow order, no malformed
# packets, and the Via naming the transport. Negatives: a TLS peer whose
# certificate is not trusted, a testbed naming a missing certificate, a TCP
# peer that sends a bad Content-Length or garbage, one that closes the
# connection while a step waits, and one whose Content-Length promises
# more than it sends (the step's timeout says what the framer holds).
# usage: transports.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need openssl tshark python3

# --- test certificates: a CA, a cert for the test addresses, another CA
. "$src/tests/scripts/lib/certs.sh"
make_certs "$out" 127.0.0.10 127.0.0.11 127.0.0.12 ::1
check "openssl made the test certificates" "[ -s '$out/server.pem' ]"

tlsbed() { # $1: file, $2: the CA the roles trust
	{
	echo "roles:"
	for r in A:10 B:11 P:12; do
		kind=ua; [ ${r%:*} = P ] && kind=proxy
		echo "  ${r%:*}: {kind: $kind, address: tls:127.0.0.${r#*:}:5061,"
		echo "      tls: {cert: $out/server.pem, key: $out/server.key,"
		echo "            ca: $2}}"
	done
	} >"$1"
}
tlsbed "$out/tls.yaml" "$out/ca.pem"

. "$src/tests/scripts/lib/steps.sh"
# tshark reads SIP on these ports whatever the transport
dec=("${SIP_DECODE[@]}" -d udp.port==5070,sip -d udp.port==5071,sip
     -d udp.port==5072,sip -d tcp.port==5070,sip -d tcp.port==5071,sip
     -d tcp.port==5072,sip)

play() { # $1: name, $2: scenario, $3: the top Via's start, rest: bindings
	local name=$1 yaml=$2 via=$3; shift 3
	local base; base=$(basename "$yaml" .yaml)
	local pcap="$out/$name/$base.pcapng"
	"$sipflow" run --verbose "$yaml" "$@" --out "$out/$name" --timeout 3s \
		>"$out/$name.txt" 2>&1
	local rc=$?
	check "$name: exit 0 (got $rc)" "[ $rc -eq 0 ]"
	[ $rc -eq 0 ] || cat "$out/$name.txt"
	tshark -r "$pcap" "${dec[@]}" -Y '_ws.malformed' 2>/dev/null \
		>"$out/$name.malformed"
	check "$name: no malformed packets" "[ -s '$pcap' ] && [ ! -s '$out/$name.malformed' ]"
	flow_of "$pcap" "$yaml" "$out/$name" sip "${dec[@]}"
	check "$name: the $(wc -l <"$out/$name.want") SIP messages of the steps, in order" \
		"diff '$out/$name.want' '$out/$name.seen' >/dev/null"
	tshark -r "$pcap" "${dec[@]}" -Y 'sip.Method == "INVITE"' -T fields \
		-e sip.Via 2>/dev/null | head -1 >"$out/$name.via"
	check "$name: the INVITE's Via starts '$via'" \
		"grep -q '^$via' '$out/$name.via'"
}

basic=$src/scenarios/yealink/basic-call.yaml
direct=$src/scenarios/rfc3665/direct-call.yaml
phones=$src/scenarios/yealink/basic-call-phones.yaml
tcp4=(--role A=ua:tcp:127.0.0.10 --role B=ua:tcp:127.0.0.11
      --role P=proxy:tcp:127.0.0.12)
udp6=(--role A=ua:[::1]:5070 --role B=ua:[::1]:5071 --role P=proxy:[::1]:5072)
tcp6=(--role A=ua:tcp:[::1]:5070 --role B=ua:tcp:[::1]:5071
      --role P=proxy:tcp:[::1]:5072)

play tcp-basic "$basic" "SIP/2.0/TCP 127.0.0.10:5060" "${tcp4[@]}"
play tcp-direct "$direct" "SIP/2.0/TCP 127.0.0.10:5060" "${tcp4[@]}"
play tls-basic "$basic" "SIP/2.0/TLS 127.0.0.10:5061" --testbed "$out/tls.yaml"
play tls-direct "$direct" "SIP/2.0/TLS 127.0.0.10:5061" --testbed "$out/tls.yaml"
play udp6-basic "$basic" "SIP/2.0/UDP \\[::1\\]:5070" "${udp6[@]}"
play udp6-direct "$direct" "SIP/2.0/UDP \\[::1\\]:5070" "${udp6[@]}"
play tcp6-basic "$basic" "SIP/2.0/TCP \\[::1\\]:5070" "${tcp6[@]}"
play tcp6-direct "$direct" "SIP/2.0/TCP \\[::1\\]:5070" "${tcp6[@]}"
play phones-tcp "$phones" "SIP/2.0/TCP 127.0.0.10:5060" \
	--role A=phone:tcp:127.0.0.10 --role B=phone:tcp:127.0.0.11 \
	--role P=proxy:tcp:127.0.0.12
play phones-tls "$phones" "SIP/2.0/TLS 127.0.0.10:5061" --testbed "$out/tls.yaml" \
	--role A=phone:tls:127.0.0.10:5061 --role B=phone:tls:127.0.0.11:5061

# what the wire says about the transport
grep -q ';transport=tcp' <(tshark -r "$out/tcp-basic/basic-call.pcapng" -Y sip \
	-T fields -e sip.Contact -e sip.Record-Route 2>/dev/null)
check "tcp-basic: Contact and Record-Route carry ;transport=tcp" "[ $? -eq 0 ]"
n=$(tshark -r "$out/udp6-basic/basic-call.pcapng" "${dec[@]}" -Y 'sdp.connection_info contains "IP6 ::1"' 2>/dev/null | wc -l)
check "udp6-basic: the SDP says c=IN IP6 ::1 (got $n)" "[ $n -ge 2 ]"
n=$("$sipflow" ladder "$out/tls-basic/basic-call.pcapng" | grep -c 'call 1$')
check "tls-basic: the ladder reads all 12 messages (got $n)" "[ $n -eq 12 ]"

# --- negatives
# A trusts another CA: the handshake fails, F1 names why
tlsbed "$out/untrusted.yaml" "$out/otherca.pem"
"$sipflow" run --verbose "$direct" --testbed "$out/untrusted.yaml" --out "$out/untrusted" \
	--timeout 3s >"$out/untrusted.txt" 2>&1
rc=$?
cat "$out/untrusted.txt"
check "untrusted certificate: exit 1 (got $rc)" "[ $rc -eq 1 ]"
check "untrusted certificate: F1 fails, naming the certificate" \
	"grep -E '^  F1 .*FAIL' '$out/untrusted.txt' >/dev/null && grep -q 'TLS connection between A and B (127.0.0.11:5061) ended while step F1 (INVITE A -> B) waited: TLS handshake failed: the peer.s certificate is not trusted' '$out/untrusted.txt'"

# a certificate file that is not there: the testbed's place, exit 2
sed "s#$out/ca.pem#$out/nowhere.pem#" "$out/tls.yaml" >"$out/missing.yaml"
"$sipflow" run --verbose "$direct" --testbed "$out/missing.yaml" --out "$out/missing" \
	>"$out/missing.txt" 2>&1
rc=$?
cat "$out/missing.txt"
check "missing CA file: exit 2 (got $rc)" "[ $rc -eq 2 ]"
check "missing CA file: file:line:column and the file named" \
	"grep -q 'missing.yaml:[0-9]*:[0-9]*: role A: tls: ca: cannot read .*nowhere.pem' '$out/missing.txt'"

hostile() { # $1: mode; a device B on TCP played by tcp_peer.py
	python3 "$src/tests/scripts/tcp_peer.py" 127.0.0.11 5060 "$1" \
		>"$out/peer-$1.txt" 2>&1 &
	ppid=$!
	for _ in $(seq 50); do
		grep -q listening "$out/peer-$1.txt" 2>/dev/null && break
		sleep 0.1
	done
	timeout 20 "$sipflow" run --verbose "$direct" --role A=ua:tcp:127.0.0.10 \
		--role B=dut:tcp:127.0.0.11:5060 --out "$out/peer-$1" \
		--timeout 3s >"$out/run-$1.txt" 2>&1
	rc=$?
	kill "$ppid" 2>/dev/null; wait "$ppid" 2>/dev/null
	cat "$out/run-$1.txt"
	check "$1 peer: exit 1 (got $rc)" "[ $rc -eq 1 ]"
}
hostile badlen
check "bad Content-Length: F2 fails as malformed, naming frame and reason" \
	"grep -q 'malformed message from B at A (frame 2): Content-Length is not a number' '$out/run-badlen.txt'"
hostile garbage
check "garbage: F2 fails as malformed" \
	"grep -q 'malformed message from B at A (frame 2): not a SIP start line' '$out/run-garbage.txt'"
n=$(tshark -r "$out/peer-garbage/direct-call.pcapng" 2>/dev/null | wc -l)
check "garbage: the pcap holds the INVITE and the garbage (got $n)" "[ $n -eq 2 ]"
hostile close
check "closed connection: F2 fails, naming it" \
	"grep -E '^  F2 .*FAIL' '$out/run-close.txt' >/dev/null && grep -q 'TCP connection between A and B (127.0.0.11:5060) ended while step F2 (180 Ringing B -> A) waited: connection closed by the peer' '$out/run-close.txt'"

hostile biglen
check "Content-Length larger than what came: F2 times out saying what is held" \
	"grep -q 'no 180 Ringing from B at A within 3.0 s; the TCP connection from B (127.0.0.11) holds an incomplete message (SIP/2.0 180 Ringing): Content-Length 5000, 12 bytes of body arrived' '$out/run-biglen.txt'"

closing
