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
