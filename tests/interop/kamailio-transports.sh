#!/usr/bin/env bash
# cost: 70
# Interop: a real Kamailio as P over TCP, TLS and UDP/IPv6. The basic call
# with scripted roles (yealink/basic-call) and with phones
# (yealink/basic-call-phones) passes through it on each; each pcap decodes
# in tshark with the SIP messages of the steps in order (Kamailio's own
# hop-by-hop 100 Trying aside), no malformed packets, and the Vias naming
# the transport, the roles' and Kamailio's. Certificates are made here
# with openssl. Negative: a TLS Kamailio whose certificate the roles do
# not trust fails the run at the step that waited, naming the handshake.
# usage: kamailio-transports.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need kamailio openssl tshark python3
if ! kamailio -c -f "$here/kamailio.cfg" -A SIPFLOW_TLS -A 'TLS_CERT="x"' \
	-A 'TLS_KEY="x"' >"$out/tls-check.log" 2>&1; then
	echo "FAIL Kamailio's tls module does not load (apt-get install kamailio-tls-modules)"
	grep -E 'ERROR|CRITICAL' "$out/tls-check.log" | head -3
	echo "0 passed, 1 failed"; exit 1
fi

# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
trap 'kam_stop' EXIT
. "$src/tests/scripts/lib/steps.sh"

# --- certificates: a CA, one certificate for Kamailio and the roles, and
# a CA nobody's certificate comes from
. "$src/tests/scripts/lib/certs.sh"
make_certs "$out" 127.0.0.1 127.0.0.10 127.0.0.11
check "openssl made the test certificates" "[ -s '$out/server.pem' ]"

tlsbed() { # $1: file, $2: the CA the roles trust; P is Kamailio on TLS
	{
	echo "roles:"
	for r in A:10 B:11; do
		echo "  ${r%:*}: {kind: ua, address: tls:127.0.0.${r#*:}:5061,"
		echo "      tls: {cert: $out/server.pem, key: $out/server.key, ca: $2}}"
	done
	echo "  P: {kind: dut, address: tls:127.0.0.1:5061}"
	} >"$1"
}
tlsbed "$out/tls.yaml" "$out/ca.pem"
tlsbed "$out/untrusted.yaml" "$out/otherca.pem"

basic=$src/scenarios/yealink/basic-call.yaml
phones=$src/scenarios/yealink/basic-call-phones.yaml

# play NAME YAML VIA_A VIA_P BINDINGS...: the flow passes through
# Kamailio; the pcap says so (VIA_A, VIA_P: how the top Via of A's INVITE
# and of Kamailio's forward start; Kamailio leaves out port 5060)
play() {
	local name=$1 yaml=$2 via_a=$3 via_p=$4; shift 4
	local pcap="$out/$name/$(basename "$yaml" .yaml).pcapng"
	timeout 30 "$sipflow" run --verbose "$yaml" "$@" --out "$out/$name" --timeout 3s \
		>"$out/$name.txt" 2>&1
	local rc=$?
	check "$name: exit 0 (got $rc)" "[ $rc -eq 0 ]"
	[ $rc -eq 0 ] || cat "$out/$name.txt"
	tshark -r "$pcap" "${SIP_DECODE[@]}" -Y '_ws.malformed' 2>/dev/null \
		>"$out/$name.malformed"
	check "$name: no malformed packets" \
		"[ -s '$pcap' ] && [ ! -s '$out/$name.malformed' ]"
	# Kamailio answers an INVITE with 100 Trying itself (hop by hop,
	# not a step): left out of the comparison
	flow_of "$pcap" "$yaml" "$out/$name" '!(sip.Status-Code == 100)'
	check "$name: the $(wc -l <"$out/$name.want") SIP messages of the steps, in order" \
		"diff '$out/$name.want' '$out/$name.seen' >/dev/null"
	tshark -r "$pcap" "${SIP_DECODE[@]}" -Y 'sip.Method == "INVITE"' \
		-T fields -e sip.Via 2>/dev/null >"$out/$name.via"
	check "$name: A's INVITE has Via '$via_a'" \
		"head -1 '$out/$name.via' | grep -q '^$via_a'"
	check "$name: Kamailio's forward has Via '$via_p', then A's" \
		"sed -n 2p '$out/$name.via' | grep -q '^$via_p.*,$via_a'"
}

kam() { # NAME DEFINES...: a Kamailio for one transport, or the test ends
	local name=$1; shift
	kam_start "$here/kamailio.cfg" "$out/kam-$name" "$@" && return 0
	abort "kamailio ($name) did not start"
}
tlsdefs=(SIPFLOW_TLS LISTEN2=tls:127.0.0.1:5061 "TLS_CERT=\"$out/server.pem\""
	 "TLS_KEY=\"$out/server.key\"")

# --- TCP: the roles on tcp:, Kamailio's user map too
kam tcp LISTEN2=tcp:127.0.0.1:5060 \
	'ALICE_ADDR=sip:127.0.0.10:5060;transport=tcp' \
	'BOB_ADDR=sip:127.0.0.11:5060;transport=tcp'
play tcp-basic "$basic" "SIP/2.0/TCP 127.0.0.10:5060" "SIP/2.0/TCP 127.0.0.1;" \
	--role A=ua:tcp:127.0.0.10 --role B=ua:tcp:127.0.0.11 \
	--role P=dut:tcp:127.0.0.1:5060
play tcp-phones "$phones" "SIP/2.0/TCP 127.0.0.10:5060" "SIP/2.0/TCP 127.0.0.1;" \
	--role A=phone:tcp:127.0.0.10 --role B=phone:tcp:127.0.0.11 \
	--role P=dut:tcp:127.0.0.1:5060
kam_stop

# --- UDP over IPv6: Kamailio on [::1] too (and 127.0.0.1 for its probe)
kam udp6 'LISTEN2=udp:[::1]:5060' 'ALICE_ADDR=sip:[::1]:5070' \
	'BOB_ADDR=sip:[::1]:5071'
play udp6-basic "$basic" "SIP/2.0/UDP \\[::1\\]:5070" "SIP/2.0/UDP \\[::1\\];" \
	--role A=ua:[::1]:5070 --role B=ua:[::1]:5071 --role P=dut:[::1]:5060
play udp6-phones "$phones" "SIP/2.0/UDP \\[::1\\]:5070" "SIP/2.0/UDP \\[::1\\];" \
	--role A=phone:[::1]:5070 --role B=phone:[::1]:5071 --role P=dut:[::1]:5060
kam_stop

# --- TLS: the roles trust the CA of Kamailio's certificate and verify it
kam tls "${tlsdefs[@]}" 'ALICE_ADDR=sip:127.0.0.10:5061;transport=tls' \
	'BOB_ADDR=sip:127.0.0.11:5061;transport=tls'
play tls-basic "$basic" "SIP/2.0/TLS 127.0.0.10:5061" "SIP/2.0/TLS 127.0.0.1:5061" \
	--testbed "$out/tls.yaml"
play tls-phones "$phones" "SIP/2.0/TLS 127.0.0.10:5061" "SIP/2.0/TLS 127.0.0.1:5061" \
	--testbed "$out/tls.yaml" \
	--role A=phone:tls:127.0.0.10:5061 --role B=phone:tls:127.0.0.11:5061

# negative: A trusts another CA, so its handshake with Kamailio fails;
# the step that waits for Kamailio's forward fails, naming why
timeout 30 "$sipflow" run --verbose "$basic" --testbed "$out/untrusted.yaml" \
	--out "$out/untrusted" --timeout 3s >"$out/untrusted.txt" 2>&1
rc=$?
cat "$out/untrusted.txt"
check "untrusted Kamailio certificate: exit 1 (got $rc)" "[ $rc -eq 1 ]"
check "untrusted Kamailio certificate: F2 fails, naming the handshake" \
	"grep -E '^  F2 .*FAIL' '$out/untrusted.txt' >/dev/null && grep -q 'TLS connection between A and P (127.0.0.1:5061) ended while step F2 (INVITE P -> B) waited: TLS handshake failed: the peer.s certificate is not trusted' '$out/untrusted.txt'"
kam_stop

closing
