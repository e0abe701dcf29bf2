#!/usr/bin/env bash
# Digest authentication of scripted roles in self-play: the rfc3665 auth
# flows pass (the scripted P challenges and checks the answers; SHA-256
# and MD5-sess too); every fault fails the step that carries it, naming
# the reason; no password reaches the console, report.json, JUnit, the
# HTML or the pcap.
# usage: auth.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/auth"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark

# run NAME YAML [ARGS...]: play it, console in NAME.txt, exit status in $rc
run() {
	local name=$1 yaml=$2; shift 2
	"$sipflow" run "$yaml" --out "$out/$name" --junit "$out/$name/junit.xml" \
		--timeout 2s "$@" >"$out/$name.txt" 2>&1
	rc=$?
	cat "$out/$name.txt"
}
# step_says NAME STEP TEXT: the line under STEP in NAME.txt holds TEXT
step_says() { grep -A1 "^  $2 " "$out/$1.txt" | tail -n1 | grep -qF -- "$3"; }

# --- the flows pass --------------------------------------------------
for f in registration-auth session-auth registration-unsuccessful \
	 session-multi-proxy-auth registration-update-cancel; do
	run "$f" "$src/scenarios/rfc3665/$f.yaml"
	check "$f passes in self-play" "[ $rc -eq 0 ]"
done
pcap="$out/registration-auth/registration-auth.pcapng"
check "registration-auth: F3 resubmits on the same Call-ID, CSeq 2" \
	"[ \$(grep -a '^Call-ID:' '$pcap' | sort -u | wc -l) -eq 1 ] &&
	 [ \$(grep -a -c '^CSeq: 2 REGISTER' '$pcap') -eq 2 ]"
run sha256 "$here/sha256.yaml"
check "SHA-256 and MD5-sess pass in self-play" "[ $rc -eq 0 ]"

# a phone (libre's digest) answers the scripted P's challenge: P checks
# it too, so the two implementations agree
run phones "$src/scenarios/rfc3665/registration-auth-phones.yaml"
check "a phone's answer checks against the scripted registrar" "[ $rc -eq 0 ]"

tshark -r "$out/session-multi-proxy-auth/session-multi-proxy-auth.pcapng" \
	-Y 'ip.src==127.0.0.10 && sip.Method=="INVITE" && sip.CSeq.seq==3' \
	-T fields -E occurrence=a -e sip.Proxy-Authorization 2>/dev/null |
	grep -o 'realm="[ab].example.test"' | sort | tr '\n' ' ' >"$out/realms.txt"
check "session-multi-proxy-auth: A's third INVITE answers both realms ($(cat "$out/realms.txt"))" \
	"[ \"\$(cat '$out/realms.txt')\" = 'realm=\"a.example.test\" realm=\"b.example.test\" ' ]"

# pre-emptive credentials: the update and the cancellation reuse the
# challenge's nonce with nc 2 and 3, on the REGISTER Call-ID
pcap="$out/registration-update-cancel/registration-update-cancel.pcapng"
check "registration-update-cancel: nc 1, 2, 3 on one nonce, one Call-ID" \
	"[ \"\$(grep -a -o 'nc=0000000[0-9]' '$pcap' | tr '\n' ' ')\" = 'nc=00000001 nc=00000002 nc=00000003 ' ] &&
	 [ \$(grep -a -o ' nonce=\"[0-9a-f]*\"' '$pcap' | sort -u | wc -l) -eq 1 ] &&
	 [ \$(grep -a '^Call-ID:' '$pcap' | sort -u | wc -l) -eq 1 ]"
sed 's/^      auth: valid$/      auth: valid\n    auth: {user: alice, password: wrong}/' \
	"$src/scenarios/rfc3665/registration-update-cancel.yaml" >"$out/preempt-wrong.yaml"
run preempt-wrong "$out/preempt-wrong.yaml"
check "a wrong password sent pre-emptively: F5 fails, named" \
	"[ $rc -eq 1 ] && step_says preempt-wrong F5 'digest response does not match for user alice realm example.test (wrong password?)'"

# --- faults fail the step that carries them --------------------------
# two challenges: a UA that answers only the newest (P2's realm, as a
# careless stack does) fails at P1, which finds no answer to its own
sed 's/^  - F10: INVITE A -> P1$/  - F10: INVITE A -> P1\n    headers: {Proxy-Authorization: "Digest username=\\"alice\\", realm=\\"b.example.test\\", nonce=\\"x\\", uri=\\"sip:bob@b.example.test\\", response=\\"00000000000000000000000000000000\\""}/' \
	"$src/scenarios/rfc3665/session-multi-proxy-auth.yaml" >"$out/one-realm.yaml"
run one-realm "$out/one-realm.yaml"
check "one realm answered of two: F10 fails at P1 naming its realm" \
	"[ $rc -eq 1 ] && step_says one-realm F10 'realm \"b.example.test\" is not P1'\''s realm \"a.example.test\"'"


run wrong-pw "$here/wrong-password.yaml"
check "wrong password: exit 1" "[ $rc -eq 1 ]"
check "wrong password: F3 says the response does not match" \
	"step_says wrong-pw F3 'digest response does not match for user alice realm example.test (wrong password?)'"

run no-cred "$here/no-credentials.yaml"
check "no credentials: exit 1" "[ $rc -eq 1 ]"
check "no credentials: F3 says what is missing" \
	"step_says no-cred F3 'A has no credentials to answer the 401 from P (F2): give role A auth: in the testbed'"

sed 's/^    auth: {user: alice, password: pw-on-the-step}/    auth: false/' \
	"$here/wrong-password.yaml" >"$out/auth-off.yaml"
run auth-off "$out/auth-off.yaml"
check "auth: false: F3 fails, no Authorization" \
	"[ $rc -eq 1 ] && step_says auth-off F3 \"no Authorization answers P's challenge (F2)\""

# a UA whose password is right fails a step that expects a wrong one
grep -v 'password: not-the-secret' "$src/scenarios/rfc3665/registration-unsuccessful.yaml" \
	>"$out/not-invalid.yaml"
run not-invalid "$out/not-invalid.yaml"
check "expect auth: invalid with good credentials: F3 fails" \
	"[ $rc -eq 1 ] && step_says not-invalid F3 'Authorization checks for user alice; the step expects credentials that do not'"

# tamper KIND CREDENTIALS TEXT: F5 answers P's second challenge (nonce-two)
# with these credentials and fails saying TEXT
tamper() {
	sed "s|TAMPER|$2|" "$here/tamper.yaml" >"$out/tamper-$1.yaml"
	run "tamper-$1" "$out/tamper-$1.yaml"
	want=$3
	check "$1: F5 fails: $3" "[ $rc -eq 1 ] && step_says tamper-$1 F5 \"\$want\""
}
base='username="alice", uri="sip:example.test", response="0123"'
tamper stale "Digest $base, realm=\"example.test\", nonce=\"nonce-one\"" \
	"stale nonce: it is from P's 401 (F2), but P challenged again (F4)"
tamper unknown "Digest $base, realm=\"example.test\", nonce=\"nonce-x\"" \
	'unknown nonce "nonce-x": P never issued it'
tamper realm "Digest $base, realm=\"other.test\", nonce=\"nonce-two\"" \
	"realm \"other.test\" is not P's realm \"example.test\""
tamper uri "Digest username=\"alice\", realm=\"example.test\", nonce=\"nonce-two\", uri=\"sip:other.test\", response=\"0123\"" \
	'uri "sip:other.test" is not the Request-URI "sip:example.test"'
tamper algorithm "Digest $base, realm=\"example.test\", nonce=\"nonce-two\", algorithm=SHA-256" \
	"algorithm SHA-256 does not answer P's challenge for MD5"
tamper basic "Basic YWxpY2U6c2VjcmV0" "the scheme is not Digest: 'Basic'"
check "Basic credentials are not echoed" "! grep -q YWxp '$out/tamper-basic.txt'"

# --- no password in any output ---------------------------------------
# (pcap included: the messages carry the response hash, never a password)
check "every run wrote a report, JUnit and HTML" \
	"[ \$(ls '$out'/*/report.json '$out'/*/junit.xml '$out'/*/report.html | wc -l) -ge 42 ]"
# the search does find what is there: the user name is in every report
check "control: user alice is in the reports" \
	"grep -a -r -q -w alice '$out' --include='*.json'"
for pw in secret pw-in-scenario pw-on-the-step sha-secret not-the-secret; do
	check "password '$pw' is in no output" \
		"! grep -a -r -l -w -e '$pw' '$out' --include='*.txt' --include='*.json' --include='*.xml' --include='*.html' --include='*.pcapng'"
done

closing
