#!/usr/bin/env bash
# tests/scripts/hostile.sh — hostile SIP from a peer never passes, and the
# failure says what is wrong with the message (issue 14 A).
#  - raw: B (scripted) answers A's INVITE with a 180 of its transaction
#    ({F1.branch}) that breaks the grammar: CSeq -1 or past 32 bits,
#    Content-Length -5, Max-Forwards and Expires words, a 4-digit status
#    code, a header without colon, SIP/3.0 — F2 fails as malformed naming
#    the line, header and RFC words; a response without Call-ID, with two
#    CSeqs or two Call-IDs or a huge Content-Length, an INVITE whose CSeq
#    says BYE, fail naming their rule; a folded header passes;
#  - devices: udp_device.py answers with a NUL in the reason phrase and a
#    header, CSeq -1, bare LF line ends; tcp_peer.py a NUL over TCP;
#  - nothing listens at B's address: F2's timeout names the ICMP port
#    unreachable (agents/udperr.c); a device that answered once and then
#    exited: the step waiting for it fails at once, naming it.
# usage: hostile.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"
IP=127.0.81

# flow NAME KIND LINES...: A's INVITE, B's 180 as raw: LINES (KIND raw),
# or a plain 180 from a device with F1's X-Device: KIND (KIND dev)
flow() {
	python3 - "$out/$1.yaml" "$@" <<'PY'
import json, sys
dst, name, kind, lines = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
f2 = "  - F2: 180 Ringing B -> A\n"
f1 = "  - F1: INVITE A -> B\n"
if kind == "raw":
    f2 += "    raw: %s\n" % json.dumps("\n".join(lines) + "\n\n")
else:
    f1 += "    headers: {X-Device: %s}\n" % kind
open(dst, "w").write(
    "scenario: %s\nroles:\n  A: {kind: ua, user: alice}\n"
    "  B: {kind: ua, user: bob}\nsteps:\n%s%s" % (name, f1, f2))
PY
}

# steps NAME: a flow of A and B (both ua) whose steps are on stdin
steps() {
	printf 'scenario: %s\nroles:\n  A: {kind: ua, user: alice}\n%s\n' \
		"$1" "  B: {kind: ua, user: bob}"$'\n'"steps:" >"$out/$1.yaml"
	cat >>"$out/$1.yaml"
}

# the 180 B answers with, one header a line; sub NAME FROM TO: with the
# line that starts with FROM replaced by TO ("" drops it)
base=("SIP/2.0 180 Ringing" "Via: SIP/2.0/UDP {A.addr};branch={F1.branch}"
      "From: <{A.uri}>;tag={F1.from-tag}" "To: <{B.uri}>;tag={tag}"
      "Call-ID: {F1.call-id}" "CSeq: 1 INVITE" "Contact: <{B.contact}>"
      "Content-Length: 0")
sub() {
	local name=$1 from=$2 to=$3 l lines=()
	for l in "${base[@]}"; do
		if [[ $l == "$from"* ]]; then [ -n "$to" ] && lines+=("$to")
		else lines+=("$l"); fi
	done
	flow "$name" raw "${lines[@]}"
}

# play NAME ROLES...: the flow against the roles; output in $out/NAME.txt
play() {
	local name=$1
	shift
	timeout 30 "$sipflow" run "$out/$name.yaml" --out "$out/$name" \
		"$@" --timeout 3s >"$out/$name.txt" 2>&1
}

# f2 NAME TEXT: F2 failed and its reason holds TEXT (fixed string)
f2() {
	grep -q '^  F2 .* FAIL ' "$out/$1.txt" &&
		grep -A1 '^  F2 ' "$out/$1.txt" | grep -qF -- "$2"
}

selfplay=(--role "A=ua:udp:$IP.10:5060" --role "B=ua:udp:$IP.11:5060")

# --- raw: from a scripted peer ------------------------------------------
flow control raw "${base[@]}"
flow folded raw "${base[@]:0:7}" "Subject: a folded" " subject line" \
	"${base[7]}"
sub cseq-negative "CSeq" "CSeq: -1 INVITE"
sub cseq-33-bits "CSeq" "CSeq: 4294967296 INVITE"
sub clen-negative "Content-Length" "Content-Length: -5"
sub clen-huge "Content-Length" "Content-Length: 99999999999"
sub maxfwd-word "Contact" "Max-Forwards: ten"
sub expires-word "Contact" "Expires: soon"
sub status-4-digits "SIP/2.0" "SIP/2.0 1800 Ringing"
sub no-colon "Contact" "not a header line"
sub version "SIP/2.0" "SIP/3.0 180 Ringing"
sub no-callid "Call-ID" ""
sub two-cseqs "Contact" "CSeq: 7 INVITE"
sub two-callids "Contact" "Call-ID: another-call"
# A's INVITE itself, its CSeq naming another method
steps cseq-method <<'EOF'
  - F1: INVITE A -> B
    raw: "INVITE {B.uri} SIP/2.0\nVia: SIP/2.0/UDP {A.addr};branch={branch}\nMax-Forwards: 70\nFrom: <{A.uri}>;tag={tag}\nTo: <{B.uri}>\nCall-ID: {call-id}\nCSeq: 1 BYE\nContact: <{A.contact}>\nContent-Length: 0\n\n"
EOF
for n in control folded cseq-negative cseq-33-bits clen-negative clen-huge \
	 maxfwd-word expires-word status-4-digits no-colon version no-callid \
	 two-cseqs two-callids cseq-method; do
	play "$n" "${selfplay[@]}"
done

check "a well-formed raw 180 passes" \
	'grep -q "^PASS control: 2 passed" "$out/control.txt"'
check "a folded header line passes (RFC 3261 §7.3.1)" \
	'grep -q "^PASS folded: 2 passed" "$out/folded.txt"'
check "CSeq -1 fails F2 as malformed, quoting §25.1 and §8.1.1.5" \
	'f2 cseq-negative "malformed message from B at A (frame 2): line 6: CSeq \"-1 INVITE\" does not follow its grammar (RFC 3261 §25.1: CSeq = \"CSeq\" HCOLON 1*DIGIT LWS Method, and §8.1.1.5: \"The sequence number value MUST be expressible as a 32-bit unsigned integer\")"'
check "a CSeq past 32 bits fails F2 as malformed" \
	'f2 cseq-33-bits "line 6: CSeq \"4294967296 INVITE\" does not follow its grammar"'
check "Content-Length -5 fails F2 as malformed" \
	'f2 clen-negative "line 8: Content-Length \"-5\" does not follow its grammar (RFC 3261 §25.1: Content-Length = "'
check "a huge Content-Length fails F2 naming rule CONTENT-LENGTH" \
	'f2 clen-huge "rule CONTENT-LENGTH (RFC 3261 §18.3, §20.14)"'
check "Max-Forwards: ten fails F2 as malformed" \
	'f2 maxfwd-word "line 7: Max-Forwards \"ten\" does not follow its grammar"'
check "Expires: soon fails F2 as malformed" \
	'f2 expires-word "line 7: Expires \"soon\" does not follow its grammar"'
check "a status code 1800 fails F2 as malformed" \
	'f2 status-4-digits "line 1 (the status line) has the status code \"1800\", not one of three digits from 100 to 699"'
check "a header line without colon fails F2 as malformed" \
	'f2 no-colon "line 7 is not a header: \"not a header line\" has no '"':'"'; RFC 3261 §7.3.1"'
check "SIP/3.0 fails F2 as malformed" \
	'f2 version "line 1 (the status line) names the version \"SIP/3.0\""'
check "a 180 without Call-ID fails F2 naming rule CALLID-PRESENT" \
	'f2 no-callid "rule CALLID-PRESENT (RFC 3261 §8.1.1, §20)"'
check "a 180 with two CSeqs fails F2 naming rule SINGLE-VALUED" \
	'f2 two-cseqs "the message breaks rule SINGLE-VALUED (RFC 3261 §7.3.1): From, To, Call-ID, CSeq, Max-Forwards, Content-Length and Content-Type appear once — got CSeq appears 2 times"'
check "a 180 with two Call-IDs fails F2 naming rule SINGLE-VALUED" \
	'f2 two-callids "rule SINGLE-VALUED (RFC 3261 §7.3.1): From, To, Call-ID, CSeq, Max-Forwards, Content-Length and Content-Type appear once — got Call-ID appears 2 times"'
check "an INVITE with CSeq 1 BYE fails F1 naming rule CSEQ-METHOD" \
	'grep -A1 "^  F1 .* FAIL " "$out/cseq-method.txt" | grep -qF "rule CSEQ-METHOD (RFC 3261 §8.1.1.5): a request'"'"'s CSeq method is the request'"'"'s method — got CSeq: 1 BYE"'
check "verify of that capture fails F2 the same way" \
	'"$sipflow" verify "$out/cseq-negative.yaml" --pcap \
		"$out/cseq-negative/cseq-negative.pcapng" \
		--role "A=$IP.10:5060" --role "B=$IP.11:5060" 2>&1 |
		grep -qF "malformed message from B at A (frame 2): line 6: CSeq"'
check "no failure reads as an errno text" \
	'! grep -hE "No data available|No such file|Bad message" "$out"/*.txt'

# --- devices: udp_device.py and tcp_peer.py ------------------------------
dev() {
	local name=$1 kind=$2 want=$3
	flow "$name" "hostile-$kind"
	peer_start "$IP.12:5060" "$out/$name.dev.txt" python3 \
		"$src/tests/scripts/udp_device.py" "$IP.12" 5060 \
		"$out/$name.log" 6
	play "$name" --role "A=ua:udp:$IP.10:5060" \
		--role "B=dut:udp:$IP.12:5060"
	kill "$peer_pid" 2>/dev/null
	peer_end
	check "device: $name fails F2: $want" 'f2 "$name" "$want"'
}
dev dev-nul nul "malformed message from B at A (frame 2): line 1 (the status line) holds a NUL byte (0x00) at column 17; RFC 3261 §25.1: Reason-Phrase = "
dev dev-cseq cseq-negative "CSeq \"-1 INVITE\" does not follow its grammar"
dev dev-bare-lf bare-lf "line 1 ends in a bare LF; RFC 3261 §7: \"The start-line, each message-header line, and the empty line MUST be terminated by a carriage-return line-feed sequence (CRLF)\""

flow tcp-nul dev-tcp
python3 "$src/tests/scripts/tcp_peer.py" "$IP.22" 5060 nul \
	>"$out/tcp-nul.peer.txt" 2>&1 &
tpid=$!
for _ in $(seq 50); do
	grep -q listening "$out/tcp-nul.peer.txt" && break
	sleep 0.1
done
play tcp-nul --role "A=ua:tcp:$IP.10:5060" --role "B=dut:tcp:$IP.22:5060"
stop "$tpid"
check "device over TCP: a NUL in the reason phrase fails F2 as malformed" \
	'f2 tcp-nul "holds a NUL byte (0x00) at column 17"'

# --- nothing listens at the device's address ---------------------------
flow icmp dev-none
play icmp --role "A=ua:udp:$IP.10:5060" --role "B=dut:udp:$IP.31:5060"
check "ICMP port unreachable is named in F2's timeout" \
	'f2 icmp "no 180 Ringing from B at A within 3.0 s; B'"'"'s address $IP.31:5060 answered ICMP port unreachable (nothing listens there) (A sent there from $IP.10:5060)"'
# a device that answered once and then went away: F4 fails at once
steps gone <<'EOF'
  - F1: OPTIONS A -> B
    headers: {X-Device: exit}
  - F2: 200 OK B -> A
  - F3: INVITE A -> B
  - F4: 180 Ringing B -> A
EOF
peer_start "$IP.13:5060" "$out/gone.dev.txt" python3 \
	"$src/tests/scripts/udp_device.py" "$IP.13" 5060 "$out/gone.log" 6
play gone --role "A=ua:udp:$IP.10:5060" --role "B=dut:udp:$IP.13:5060"
peer_end
check "a device heard from, then gone: F4 fails at once naming the ICMP" \
	'grep -A1 "^  F4 .* FAIL " "$out/gone.txt" | grep -qF "no 180 Ringing from B at A: B'"'"'s address $IP.13:5060 answered ICMP port unreachable (nothing listens there) (A sent there from $IP.10:5060); it was heard from before (frame 2), so it has gone"'
check "... well before the 3 s timeout" \
	'grep -qE "^FAIL gone: .*\((0|1)\.[0-9]+ s\)" "$out/gone.txt"'

play icmp --role "A=ua:udp:[::1]:5180" --role "B=dut:udp:[::1]:5181"
check "... over IPv6 too (ICMPv6 port unreachable)" \
	'f2 icmp "B'"'"'s address [::1]:5181 answered ICMP port unreachable (nothing listens there)"'

closing_counted
