# tests/scripts/lib/steps.sh — sourced by selfplay.sh and transports.sh
# steps_of YAML: the method/status sequence a scenario's steps list, in
# order, with include:, repeat: and ${vars} expanded by a script of its
# own (tests/scripts/flow_messages.py: not the engine's expansion
# checking itself)
steps_of() {
	python3 "$src/tests/scripts/flow_messages.py" "$1"
}
# tshark options: SIP over TLS is in sipflow's pcaps as the decrypted SIP
# in TCP segments on the TLS port (docs/decisions/0005-tls-in-the-pcap.md)
SIP_DECODE=(-d tcp.port==5061,sip)
# flow_of PCAP YAML OUT [FILTER] [TSHARK OPTIONS...]: OUT.seen, the
# methods/status codes of the pcap's SIP messages (those FILTER also
# selects; a retransmission left out), and OUT.want, those of the
# scenario's steps; both sorted for a phone flow (a phone's messages may
# cross: compared as a set)
flow_of() {
	local pcap=$1 yaml=$2 o=$3 filter=${4:-sip}
	shift 4 2>/dev/null || shift $#
	tshark -r "$pcap" "${SIP_DECODE[@]}" "$@" \
		-Y "sip and !(sip.resend == 1) and ($filter)" \
		-T fields -e sip.Method -e sip.Status-Code 2>/dev/null |
		awk '{print $1}' >"$o.seen"
	steps_of "$yaml" >"$o.want"
	if grep -q 'kind: phone' "$yaml"; then
		sort -o "$o.want" "$o.want"
		sort -o "$o.seen" "$o.seen"
	fi
}
