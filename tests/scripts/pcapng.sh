#!/usr/bin/env bash
# tests/scripts/pcapng.sh — the verdicts inside the run's capture: a run
# writes NAME.pcapng with each judged frame's verdict (and each rule's
# finding) as a frame comment, read by tshark and by sipflow's own reader
# (ladder); a frame no step judged has none; --pcap-format pcap still
# writes a classic pcap; ladder, diff and verify read the pcapng.
# usage: pcapng.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
ab=(--role A=ua:udp:127.0.47.10:5060 --role B=ua:udp:127.0.47.11:5060)


# frame number TAB comment, for each frame (comments joined by ",")
comments() {
	tshark -r "$1" -T fields -e frame.number -e frame.comment 2>/dev/null
}

# the capture report.json names
pcap_of() {
	python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['scenarios'][0]['pcap'])" "$1"
}

# 1. a run that fails at F2: each judged step's verdict on its frame,
#    the failure's reason on the failing frame
d="$out/unmet"
"$sipflow" run "$src/tests/scenarios/expect-unmet.yaml" --out "$d" \
	"${ab[@]}" >"$d.txt" 2>&1
rc=$?
cat "$d.txt"
check "failing run: exit 1, NAME.pcapng written, no NAME.pcap" \
	"[ $rc -eq 1 ] && [ -s '$d/expect-unmet.pcapng' ] && [ ! -e '$d/expect-unmet.pcap' ]"
check "failing run: the console, report.json and junit.xml name the .pcapng" \
	"grep -q 'pcap $d/expect-unmet.pcapng$' '$d.txt' &&
	 [ \"\$(pcap_of '$d/report.json')\" = '$d/expect-unmet.pcapng' ] &&
	 grep -q 'name=\"pcap\" value=\"$d/expect-unmet.pcapng\"' '$d/junit.xml'"
tshark -r "$d/expect-unmet.pcapng" -Y frame.comment -T fields \
	-e frame.comment 2>/dev/null >"$d.comments"
cat "$d.comments"
check "tshark -Y frame.comment: F1's verdict, F2's failure with its reason" \
	"[ \"\$(cat '$d.comments')\" = \"F1 OPTIONS A -> B: pass
F2 200 OK B -> A: FAIL header Subject: expected present, but the message has none\" ]"
check "tshark: the failure is the comment of frame 2" \
	"comments '$d/expect-unmet.pcapng' | grep -q '^2	F2 200 OK B -> A: FAIL header Subject'"
"$sipflow" ladder "$d/expect-unmet.pcapng" >"$d.ladder"
rc=$?
cat "$d.ladder"
check "sipflow ladder reads the comments: each under its frame's line" \
	"[ $rc -eq 0 ] && grep -A1 -E '^ +[0-9.]+ +2  ' '$d.ladder' | tail -1 |
	 grep -q '^ \{20\}# F2 200 OK B -> A: FAIL header Subject: expected present'"

# 2. negative: a frame no step judged (the 200 OK lost on purpose, frame
#    3, before its retransmission F3 took) has no comment; the others do
d="$out/dropped"
"$sipflow" run "$src/scenarios/rfc3261/dropped-200-ok.yaml" --out "$d" \
	"${ab[@]}" --timer T1=100ms >"$d.txt" 2>&1
check "dropped 200 OK: passes" "[ $? -eq 0 ]"
comments "$d/dropped-200-ok.pcapng" >"$d.comments"
cat "$d.comments"
check "frame 3 (lost, judged by no step) has no comment" \
	"grep -qx '3	*' '$d.comments'"
check "frame 4 (the copy F3 took) has F3's verdict" \
	"grep -qx '4	F3 200 OK B -> A: pass' '$d.comments'"
check "every other frame has one comment" \
	"[ \$(grep -cE '^[0-9]+	F[0-9]+ .*: pass$' '$d.comments') -eq 6 ]"
"$sipflow" ladder "$d/dropped-200-ok.pcapng" >"$d.ladder"
check "ladder: no comment under frame 3, F3's under frame 4" \
	"grep -A1 -E '^ +[0-9.]+ +3  ' '$d.ladder' | tail -1 | grep -qE '^ +[0-9.]+ +4  ' &&
	 grep -A1 -E '^ +[0-9.]+ +4  ' '$d.ladder' | tail -1 | grep -q '# F3 200 OK B -> A: pass'"

# 3. a rule's finding: as a warning, its own comment beside the pass;
#    as an error, stated once, in the failing verdict
for sev in warning error; do
	cat >"$out/sdp-$sev.yaml" <<YAML
scenario: sdp-$sev
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
$([ $sev = warning ] && printf 'rules:\n  severity: {SDP-ORIGIN-NEXT: warning}\n  reason: a test of the comment\n')
steps:
  - F1: INVITE A -> B
    dialog: call
  - F2: 200 OK B -> A
    body: "v=0\no=bob 7 1 IN IP4 127.0.47.11\ns=-\nc=IN IP4 127.0.47.11\nt=0 0\nm=audio 20002 RTP/AVP 0\n"
  - F3: ACK A -> B
  - F4: INVITE B -> A
    dialog: call
    body: "v=0\no=bob 7 1 IN IP4 127.0.47.11\ns=-\nc=IN IP4 127.0.47.11\nt=0 0\nm=audio 20002 RTP/AVP 0\na=sendonly\n"
  - F5: 200 OK A -> B
  - F6: ACK B -> A
YAML
	"$sipflow" run "$out/sdp-$sev.yaml" --out "$out/sdp-$sev" "${ab[@]}" \
		>"$out/sdp-$sev.txt" 2>&1
	comments "$out/sdp-$sev/sdp-$sev.pcapng" >"$out/sdp-$sev.comments"
	cat "$out/sdp-$sev.comments"
done
check "a warning: frame 4 has F4's pass and the rule's finding" \
	"grep -q '^4	F4 INVITE B -> A: pass,F4: warning: rule SDP-ORIGIN-NEXT (RFC 3264 §8): ' '$out/sdp-warning.comments'"
check "an error: frame 4 has F4's failure naming the rule, once" \
	"grep -q '^4	F4 INVITE B -> A: FAIL rule SDP-ORIGIN-NEXT' '$out/sdp-error.comments' &&
	 [ \$(grep -o 'SDP-ORIGIN-NEXT' '$out/sdp-error.comments' | wc -l) -eq 1 ]"

# 4. --pcap-format pcap: a classic pcap, named so; a bad format refused
d="$out/classic"
"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" --out "$d" \
	--pcap-format pcap --quiet --role A=ua:udp:127.0.47.10:5060 \
	--role B=ua:udp:127.0.47.11:5060 --role P=proxy:udp:127.0.47.13:5060 \
	>"$d.txt" 2>&1
check "--pcap-format pcap: exit 0, NAME.pcap in the classic format" \
	"[ $? -eq 0 ] && [ ! -e '$d/basic-call.pcapng' ] &&
	 [ \"\$(head -c 4 '$d/basic-call.pcap' | od -An -tx1 | tr -d ' ')\" = d4c3b2a1 ]"
check "--pcap-format pcap: report.json names the .pcap" \
	"[ \"\$(pcap_of '$d/report.json')\" = '$d/basic-call.pcap' ]"
"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" --out "$out/bad" \
	--pcap-format pcapx >"$out/bad.txt" 2>&1
check "--pcap-format pcapx: exit 2, said why" \
	"[ $? -eq 2 ] && grep -q \"pcap-format: 'pcapx' is not pcapng or pcap\" '$out/bad.txt'"

# 5. ladder, diff and verify read the run's pcapng
d="$out/ng"
"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" --out "$d" \
	--quiet --role A=ua:udp:127.0.47.10:5060 \
	--role B=ua:udp:127.0.47.11:5060 --role P=proxy:udp:127.0.47.13:5060 \
	>"$d.txt" 2>&1
check "pcapng run: exit 0, the magic of pcapng" \
	"[ $? -eq 0 ] && [ \"\$(head -c 4 '$d/basic-call.pcapng' | od -An -tx1 | tr -d ' ')\" = 0a0d0d0a ]"
"$sipflow" diff "$out/classic/basic-call.pcap" "$d/basic-call.pcapng" \
	>"$out/diff.txt" 2>&1
check "diff of the classic pcap and the pcapng of the same flow: equal" \
	"[ $? -eq 0 ] && grep -q '^0 differences' '$out/diff.txt'"
"$sipflow" verify "$src/scenarios/yealink/basic-call.yaml" \
	--pcap "$d/basic-call.pcapng" --role A=127.0.47.10:5060 \
	--role B=127.0.47.11:5060 --role P=127.0.47.13:5060 \
	>"$out/verify.txt" 2>&1
check "verify the pcapng against its scenario: exit 0" "[ $? -eq 0 ]"
n=$("$sipflow" ladder "$d/basic-call.pcapng" | grep -c 'call 1$')
m=$("$sipflow" ladder "$d/basic-call.pcapng" | grep -c '^ \{20\}# F')
check "ladder of the pcapng: the messages, each with its verdict ($n, $m)" \
	"[ $n -gt 0 ] && [ $n -eq $m ]"

closing_counted
