# tests/scripts/lib/steps.sh — sourced by selfplay.sh and transports.sh
# steps_of YAML: the method/status sequence a scenario's steps list, in
# file order
steps_of() {
	grep -E '^\s*-?\s*F[0-9]+[a-z]?:' "$1" |
		sed -E 's/^\s*-?\s*F[0-9]+[a-z]?:\s*//; s/\s+[A-Z][A-Za-z0-9_]*\s*->.*$//' |
		awk '{print $1}'
}
# tshark options: SIP over TLS is in sipflow's pcaps as the decrypted SIP
# in TCP segments on the TLS port (docs/decisions/0005-tls-in-the-pcap.md)
SIP_DECODE=(-d tcp.port==5061,sip)
