#!/usr/bin/env bash
# SRTP with SDES keys (RFC 4568) in self-play: the library's secure call
# (two phones over TLS, scenarios/rfc4568/srtp-call-phones.yaml) passes,
# its pcap keeps the SRTP as sent and its report.json the keys, which an
# independent decrypter (srtp_decrypt.py) turns back into each phone's
# tone, and with a wrong key fails every tag; no console line shows a
# key. Negatives: a scripted answerer with no a=crypto, with a suite not
# offered, with a tag not offered fails F2 naming rule CRYPTO-ANSWER and
# RFC 4568 §5.1.2; an answer other than expect: {sdp: {crypto:}} asks
# fails naming it; a phone whose SRTP key is not the one its SDP gives
# fails the media step with "SRTP authentication failed for N packets".
# A call the answerer holds and resumes keeps its SRTP.
# usage: srtp.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark python3
python3 -c 'import cryptography' 2>/dev/null ||
	abort "python3-cryptography is not installed (srtp_decrypt.py needs it)"

run() { # $1: name, $2: scenario; prints the exit code
	"$sipflow" run "$2" --out "$out/$1" --timeout 3s >"$out/$1.txt" 2>&1
	echo $?
}

# --- the library flow: TLS signalling, SRTP media, phones on both ends
lib=$src/scenarios/rfc4568/srtp-call-phones.yaml
rc=$(run lib "$lib")
check "srtp-call-phones: exit 0 (got $rc)" "[ $rc -eq 0 ]"
[ "$rc" -eq 0 ] || cat "$out/lib.txt"
pcap=$out/lib/srtp-call-phones.pcapng
via=$(tshark -r "$pcap" -Y 'sip.Method == "INVITE"' -T fields -e sip.Via \
	2>/dev/null | head -1)
check "srtp-call-phones: the signalling is TLS ($via)" \
	"[ \"\${via#SIP/2.0/TLS }\" != \"$via\" ]"
# tshark takes the profile from the SDP: RTP/SAVP streams show as SRTP
tshark -r "$pcap" 2>/dev/null >"$out/lib.tshark"
n=$(grep -c ' SRTP ' "$out/lib.tshark")
m=$(grep -c ' RTP ' "$out/lib.tshark")
check "srtp-call-phones: tshark reads the media as SRTP ($n packets, $m plain)" \
	"[ $n -gt 100 ] && [ $m -eq 0 ]"
python3 "$src/tests/scripts/srtp_decrypt.py" "$pcap" "$out/lib/report.json" \
	>"$out/decrypt.txt" 2>&1
cat "$out/decrypt.txt"
check "the report's keys decrypt A's stream to its 800 Hz, every tag good" \
	"grep -qE '^A packets=[0-9]{2,} authfail=0 tone=800$' '$out/decrypt.txt'"
check "the report's keys decrypt B's stream to its 650 Hz, every tag good" \
	"grep -qE '^B packets=[0-9]{2,} authfail=0 tone=650$' '$out/decrypt.txt'"
check "one SRTP exchange in the report, not one per proxy hop" \
	"[ \$(wc -l <'$out/decrypt.txt') -eq 2 ]"
python3 "$src/tests/scripts/srtp_decrypt.py" "$pcap" "$out/lib/report.json" \
	--flip-key >"$out/flip.txt" 2>&1
check "with a wrong key every packet fails its tag" \
	"[ -s '$out/flip.txt' ] && ! grep -qE 'authfail=0 |packets=0 ' '$out/flip.txt'"
python3 - "$out/lib/report.json" >"$out/keys.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scenarios"]:
    assert "holds secrets" in s.get("srtp_note", ""), "no secrets note"
    for ex in s["srtp"]:
        for st in ex["streams"]:
            print(st["key"].split(":", 1)[1])
PY
check "report.json: the keys and a note that it holds secrets" \
	"[ \$(wc -l <'$out/keys.txt') -eq 2 ]"
check "report.json of the SRTP run keeps its schema" \
	"python3 '$src/tests/scripts/check_reports.py' '$out/lib' pass 1 >/dev/null"
check "the console shows no key" \
	"! grep -qFf '$out/keys.txt' '$out/lib.txt' && grep -q 'inline:' '$out/lib/report.json'"

# --- a scripted answerer shaped by its step: F2's sdp: line
ua=$src/tests/srtp/ua-answer.yaml
rc=$(run ua-ok "$ua")
check "ua: the default answer takes the first offered line: exit 0" \
	"[ $rc -eq 0 ]"
answer() { # $1: name, $2: F2's sdp: value; the expect: line goes
	sed -e "s|sdp: {direction: sendrecv}|sdp: $2|" -e '/expect: {sdp:/d' \
		"$ua" >"$out/$1.yaml"
	run "$1" "$out/$1.yaml"
}
fails_f2() { # $1: name, $2: what the reason says
	grep -A1 '^  *F2  *200 OK  *B -> A  *FAIL' "$out/$1.txt" |
		grep -qF "rule CRYPTO-ANSWER (RFC 4568 §5.1.2)" &&
	grep -A1 '^  *F2 ' "$out/$1.txt" | grep -qF "$2"
}
rc=$(answer none "{crypto: none}")
check "an answer without a=crypto: exit 1" "[ $rc -eq 1 ]"
check "an answer without a=crypto: F2 fails naming the rule" \
	"fails_f2 none 'RTP/SAVP 0 8 101 accepts the stream offered with a=crypto (tags offered: 1 AES_CM_128_HMAC_SHA1_80, 2 AES_CM_128_HMAC_SHA1_32) and has no a=crypto line'"
rc=$(answer suite "{crypto: {suites: [AES_CM_128_HMAC_SHA1_32], tag: 1}}")
check "an answer with a suite the tag was not offered with: exit 1" \
	"[ $rc -eq 1 ]"
check "… F2 fails naming the rule and the suites" \
	"fails_f2 suite 'the offer'\''s tag 1 is AES_CM_128_HMAC_SHA1_80, not AES_CM_128_HMAC_SHA1_32'"
rc=$(answer tag "{crypto: {suites: [AES_CM_128_HMAC_SHA1_80], tag: 7}}")
check "an answer with a tag not offered: exit 1" "[ $rc -eq 1 ]"
check "… F2 fails naming the rule and the tag" \
	"fails_f2 tag 'tag 7 was not offered'"
check "… and shows no key" \
	"grep -q 'inline:…' '$out/tag.txt' && ! grep -qE 'inline:[A-Za-z0-9+/]{20}' '$out/tag.txt'"
sed 's|sdp: {direction: sendrecv}|sdp: {crypto: AES_CM_128_HMAC_SHA1_32}|' \
	"$ua" >"$out/expect.yaml"
rc=$(run expect "$out/expect.yaml")
check "an answer other than expect: {sdp: {crypto:}} asks: exit 1" \
	"[ $rc -eq 1 ]"
check "… F2 fails saying which a=crypto it wanted" \
	"grep -A1 '^  *F2  *200 OK  *B -> A  *FAIL' '$out/expect.txt' | grep -q 'sdp: expected a=crypto with AES_CM_128_HMAC_SHA1_80, got 1 a=crypto line in m=audio'"

# --- a phone whose SRTP key is not the one its SDP gives
rc=$(run wrongkey "$src/tests/srtp/phone-wrong-key.yaml")
check "wrong SRTP key: exit 1" "[ $rc -eq 1 ]"
check "wrong SRTP key: A hears B's packets fail authentication, not silence" \
	"grep -A1 '^  *media B -> A audio  *FAIL' '$out/wrongkey.txt' | grep -qE 'B -> A: SRTP authentication failed for [0-9]+ packets \(0 passed\)'"
check "wrong SRTP key: B still hears A (its own key is right)" \
	"grep -q '^  *media A -> B tone 1004 Hz  *pass' '$out/wrongkey.txt'"

# --- the answerer re-offers (hold, resume) with the tag it answered
rc=$(run rekey "$src/tests/srtp/phone-rekey.yaml")
check "B holds and resumes an SRTP call it answered with tag 2: exit 0" \
	"[ $rc -eq 0 ]"
[ "$rc" -eq 0 ] || cat "$out/rekey.txt"

# --- an SRTP-only phone and a plain one: the stream is refused
rc=$(run plain "$src/tests/srtp/phone-plain-peer.yaml")
check "SRTP offer to a plain phone: exit 1, F1's expectation held" \
	"[ $rc -eq 1 ] && grep -q '^  *F1  *INVITE  *A -> B  *pass' '$out/plain.txt'"
check "… the answer refuses the stream (port 0), and F3 says what it lacks" \
	"grep -A1 '^  *F3 ' '$out/plain.txt' | grep -q 'got 0 a=crypto lines in m=audio 0 RTP/SAVP'"

closing_counted
