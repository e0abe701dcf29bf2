#!/usr/bin/env bash
# cost: 34
# tests/scripts/capscen.sh — sipflow scenario (capture -> scenario) round
# trip over the WHOLE bundled library: every flow that plays in self-play
# is run, its capture turned into a scenario, the scenarios linted and
# played in self-play (one `sipflow run DIR`, virtual time: they are all
# scripted), and the two captures diffed. A flow that cannot round-trip
# is named with why, and the count printed (the flows self-play skips are
# counted). Then what the generated files
# say (any-order where no causality orders, optional provisional
# responses, expectations, no volatile values, the password a variable,
# digest parameters compared as a set), a B2BUA guessed (role M) and a
# run of pings written as repeat:, and the negative cases: a
# capture with no SIP, --call past the calls, a truncated or garbled
# capture (exit 2, named), a generated flow played against a proxy that
# drops the Record-Route the capture had (fails, naming the step).
# usage: capscen.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out/gen"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"

# Flows whose capture a scenario cannot play back as it was, and why
# (each must still generate, lint and play; only the diff may differ)
declare -A cannot=(
	[always-forward-phones]="the phone follows the 302 in the same call (Call-ID, From tag, CSeq + 1: RFC 3261 8.1.3.4) with the same SDP origin; a scripted ua's new INVITE starts a new call, and told to keep Call-ID, From and CSeq it still starts a new SDP origin (rule SDP-ORIGIN-NEXT fails it)"
	[busy-forward-phones]="the phone follows the 302 in the same call (as always-forward-phones)"
	[no-answer-forward-phones]="the phone follows the 302 in the same call (as always-forward-phones)"
)

# --- the library, played ------------------------------------------------
# A phone flow that fails here (its real-time media starved on a loaded
# machine: "heard nothing: 8 RTP packets in 500 ms") is named and not
# judged: its capture is not the flow. A scripted flow must pass.
# T1 = 2 s in both runs (scripted roles; virtual time skips the waits): a
# machine loaded enough to answer later than 500 ms would otherwise add
# retransmissions to one run and not the other
"$sipflow" run "$src/scenarios" --out "$out/r1" --quiet --timer T1=2s \
	--address-pool 127.49.0.0/16 >"$out/r1.txt" 2>&1
[ -f "$out/r1/report.json" ] || abort "library run: $(tail -1 "$out/r1.txt")"
played=$(python3 - "$out/r1/report.json" <<'PY'
import json, sys
print(sum(s["result"] != "skip" for s in json.load(open(sys.argv[1]))["scenarios"]))
PY
)
# the flows self-play skips (the RFC 4475 torture messages are sent to a
# device under test; a scripted peer has none to judge) have no capture
# to turn into a scenario: counted, not round-tripped
skipped=$(python3 - "$out/r1/report.json" <<'PY'
import json, sys
print(sum(s["result"] == "skip" for s in json.load(open(sys.argv[1]))["scenarios"]))
PY
)
echo "     $skipped flows skipped in self-play (they need a device: RFC 4475 robustness), not round-tripped"
flows=$(python3 - "$out/r1/report.json" <<'PY' | sort
import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    if s["result"] == "pass":
        print(s["name"])
    elif s["result"] != "skip":
        print("     not judged: %s failed in the library run" % s["name"],
              file=sys.stderr)
PY
)
failed=$(python3 - "$out/r1/report.json" <<'PY'
import json, sys
print(" ".join(s["name"] for s in json.load(open(sys.argv[1]))["scenarios"]
               if s["result"] not in ("pass", "skip")))
PY
)
check "the library played $played flows in self-play; every scripted one passed (failed: ${failed:-none})" \
	"[ $played -ge 51 ] && ! echo ' $failed' | tr ' ' '\n' | grep -v -- '-phones\$' | grep -q ."
n=0 genfail=""
for name in $flows; do
	"$sipflow" scenario "$out/r1/$name.pcapng" \
		--out "$out/gen/$name.yaml" 2>"$out/gen-$name.err" ||
		genfail="$genfail $name"
	n=$((n + 1))
done
check "a scenario written from each of the $n captures (failed:${genfail:- none})" \
	"[ -z '$genfail' ]"
"$sipflow" lint "$out/gen" >"$out/lint.txt" 2>&1
rc=$?
check "all $n generated scenarios lint" "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || head -20 "$out/lint.txt"

# --- played back in self-play, one run ------------------------------------
"$sipflow" run "$out/gen" --out "$out/r2" --quiet --timer T1=2s \
	--address-pool 127.50.0.0/16 >"$out/r2.txt" 2>&1
rc=$?
check "all $n generated scenarios pass in self-play" "[ $rc -eq 0 ]"
[ $rc -eq 0 ] && grep -E '^\[[0-9]+/[0-9]+\] (FAIL|ERROR)' "$out/r2.txt"

# --- the two captures diff equal ------------------------------------------
# Timing: --tolerance 2s, not the default 500 ms. The generated flows
# carry the capture's pauses (wait:, checked below), but on a loaded
# 2-core machine the same flow's messages drift by more than 500 ms
# between two runs minutes apart (each message costs real time, only the
# waits are virtual).
eq=0 bad="" odd=""
for name in $flows; do
	"$sipflow" diff --tolerance 2s "$out/r1/$name.pcapng" \
		"$out/r2/$name.pcapng" >"$out/diff-$name.txt" 2>&1
	if grep -q '^0 differences' "$out/diff-$name.txt"; then
		eq=$((eq + 1))
		[ -n "${cannot[$name]:-}" ] && odd="$odd $name"
	elif [ -n "${cannot[$name]:-}" ]; then
		echo "     cannot round-trip: $name: ${cannot[$name]}"
	else
		bad="$bad $name"
		head -8 "$out/diff-$name.txt"
	fi
done
ncan=0
for name in $flows; do [ -n "${cannot[$name]:-}" ] && ncan=$((ncan + 1)); done
echo "     $eq of $n flows round-trip (capture -> scenario -> run -> diff equal); $ncan cannot, named above; $((played - n)) not judged"
check "every flow round-trips but those named (unequal:${bad:- none})" \
	"[ -z '$bad' ] && [ $eq -eq $((n - ncan)) ]"
check "no flow named as one that cannot round-trip does (stale:${odd:- none})" \
	"[ -z '$odd' ]"

# --- TCP, TLS (the run's own pcapng holds TLS's SIP decrypted), IPv6 -----
# every role on one transport: a connection's far port (the one its
# system chose) is the role whose Via it carries, not a role of its own;
# on IPv6 every role is on [::1], told apart by port
for tp in tcp tls udp6; do
	if [ $tp = udp6 ]; then
		roles=(--role A=ua:udp:[::1]:5171 --role B=ua:udp:[::1]:5172
			--role C=ua:udp:[::1]:5173 --role P=proxy:udp:[::1]:5174)
	else
		p=5060; [ $tp = tls ] && p=5061
		roles=(--role A=ua:$tp:127.52.0.1:$p --role B=ua:$tp:127.52.0.2:$p
			--role C=ua:$tp:127.52.0.3:$p --role P=proxy:$tp:127.52.0.4:$p)
	fi
	"$sipflow" run "$src/scenarios/yealink/blind-transfer.yaml" "${roles[@]}" \
		--out "$out/$tp/r1" --quiet >"$out/$tp-r1.txt" 2>&1 ||
		abort "blind-transfer over $tp: $(tail -1 "$out/$tp-r1.txt")"
	"$sipflow" scenario "$out/$tp/r1/blind-transfer.pcapng" \
		--out "$out/$tp/blind-transfer.yaml" 2>"$out/$tp-gen.err"
	rc=$?
	"$sipflow" run "$out/$tp/blind-transfer.yaml" "${roles[@]}" \
		--out "$out/$tp/r2" --quiet >"$out/$tp-r2.txt" 2>&1
	rc2=$?
	"$sipflow" diff --tolerance 2s "$out/$tp/r1/blind-transfer.pcapng" \
		"$out/$tp/r2/blind-transfer.pcapng" >"$out/$tp-diff.txt" 2>&1
	check "$tp: four roles (no role for a connection's far port), played, diff equal" \
		"[ $rc -eq 0 ] && [ $rc2 -eq 0 ] &&
		 [ \$(sed -n '/^roles:/,/^steps:/p' '$out/$tp/blind-transfer.yaml' | grep -c 'kind:') -eq 4 ] &&
		 grep -q '^0 differences' '$out/$tp-diff.txt'"
done

# --- what the generated files say -----------------------------------------
g=$out/gen
check "a header names the capture and the calls" \
	"grep -q '^# Written by sipflow scenario from the capture .*/blind-transfer.pcapng, all 2 calls' '$g/blind-transfer.yaml'"
check "roles guessed: A sends the first INVITE, P relays with Record-Route, B and C are reached" \
	"grep -q '^  A: {kind: ua, user: \"alice\", display: \"Alice\"' '$g/blind-transfer.yaml' &&
	 grep -q '^  P: {kind: proxy, domain: \"example.test\", record-route: true}' '$g/blind-transfer.yaml' &&
	 grep -q '^  B: {kind: ua, user: \"bob\"' '$g/blind-transfer.yaml' &&
	 grep -q '^  C: {kind: ua, user: \"carol\"' '$g/blind-transfer.yaml'"
check "two proxies: P1 and P2" \
	"grep -q '^  P1: {kind: proxy' '$g/session-two-proxies.yaml' && grep -q '^  P2: {kind: proxy' '$g/session-two-proxies.yaml'"
# the proxy's provisional response upstream and its CANCEL downstream
check "any-order: the proxy's 180 upstream and its CANCEL downstream are one group" \
	"awk '/any-order:/{g=1; s=\"\"; next} /^  - /{if (g && s ~ /180 Ringing P -> A/ && s ~ /CANCEL P -> B/) f=1; g=0} g{s=s \$0} END{exit !f}' '$g/forward-no-answer-server.yaml'"
check "a reaction is never grouped with what caused it (200 OK B -> P after INVITE P -> B)" \
	"! awk '/any-order:/{g=1; s=\"\"; next} /^  - /{if (g && s ~ /INVITE P -> B/ && s ~ /200 OK B -> P/) f=1; g=0} g{s=s \$0} END{exit !f}' '$g/basic-call.yaml'"
check "provisional responses are optional" \
	"grep -A1 -E 'F[0-9]+: 180 Ringing B -> P' '$g/basic-call.yaml' | grep -q 'optional: true'"
check "expectations: Record-Route (the proxy's host), Contact, Refer-To" \
	"grep -q 'Record-Route: \"~{P.host}\"' '$g/blind-transfer.yaml' &&
	 grep -q 'Contact: \"~^(\[^<\]\*<)?sips?:bob@\"' '$g/blind-transfer.yaml' &&
	 grep -q 'Refer-To: \"~carol@\"' '$g/blind-transfer.yaml'"
ev='Event: "~^refer([ ;]|$)", Subscription-State: "~^active([ ;]|$)"'
check "expectations: Event, Subscription-State, Content-Type of a NOTIFY; Replaces" \
	"grep -qF '$ev' '$g/call-park.yaml' &&
	 grep -qF 'Content-Type: \"~^message/sipfrag' '$g/call-park.yaml' &&
	 grep -qF 'Replaces: \"present\"' '$g/call-park.yaml'"
sb='body: "~m=audio [0-9]+ [^ ]+ 0 8 101([[:space:]]|$).*a=sendonly"'
check "SDP: codecs and direction sent and expected (hold: sendonly)" \
	"grep -qF 'sdp: {codecs: [PCMU, PCMA, telephone-event], direction: sendonly}' '$g/hold-resume.yaml' &&
	 grep -qF '$sb' '$g/hold-resume.yaml'"
check "a retransmission is absorbed, not a step; the lost copy is lose: 1" \
	"grep -q '200 OK B -> A    # frame 3, 2 copies' '$g/dropped-200-ok.yaml' &&
	 grep -A1 '200 OK B -> A    # frame 3, 2 copies' '$g/dropped-200-ok.yaml' | grep -q 'lose: 1' &&
	 [ \$(grep -c ': 200 OK B -> A' '$g/dropped-200-ok.yaml') -eq 2 ]"
check "a pause of the capture is a wait: (basic-call's 500 ms, and what load adds)" \
	"grep -qE '^  - wait: (49[0-9]|[5-9][0-9][0-9])ms' '$g/basic-call.yaml'"
# volatile values: no Call-ID, tag, branch or nonce of the capture is
# expected; a Replaces names the dialog by placeholders
vol=$(strings -n 6 "$out/r1/call-park.pcapng" |
	grep -oE '(tag|branch|nonce)=[A-Za-z0-9]+' | cut -d= -f2 | sort -u)
cid=$(strings -n 6 "$out/r1/call-park.pcapng" | grep -E '^Call-ID:' |
	cut -d' ' -f2 | tr -d '\r' | sort -u)
leak=""
for v in $vol $cid; do
	grep -qF "$v" "$g/call-park.yaml" && leak="$leak $v"
done
check "no Call-ID, tag, branch or nonce of the capture in the scenario (leaked:${leak:- none})" \
	"[ -z '$leak' ] && [ -n '$cid' ]"
check "a Replaces is written with the placeholders of the step that made the dialog" \
	"grep -qE 'Replaces: \"\{F[0-9]+\.call-id\};to-tag=\{F[0-9]+\.(from|to)-tag\};from-tag=\{F[0-9]+\.(from|to)-tag\}\"' '$g/call-park.yaml'"

# digest authentication: no password in a capture, a variable for it
check "a role that answered a challenge: its password is \${password}, a vars: entry" \
	"grep -q '^  password: secret ' '$g/registration-auth-phones.yaml' &&
	 grep -qF 'auth: {user: \"alice\", password: \"\${password}\"}' '$g/registration-auth-phones.yaml'"
check "a REGISTER the phone sent without credentials after a challenge: auth: false" \
	"grep -A1 'F5: REGISTER A -> P' '$g/registration-auth-phones.yaml' | grep -q 'auth: false'"
check "a challenge without opaque (the scripted one has it) is sent as captured" \
	"grep -A3 'F2: 401 Unauthorized P -> A' '$g/registration-auth-phones.yaml' | grep -q 'WWW-Authenticate: \"Digest realm='"

# diff compares digest parameters as a set (their order and an
# algorithm=MD5 said or implied are not differences), but a parameter
# renamed or missing still is: registration-auth's capture with F3's
# qop=auth made qop=aut2 (same length: the frame stays whole)
python3 - "$out/r1/registration-auth.pcapng" "$out/qop.pcapng" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"Authorization: Digest")
j = b.index(b"qop=auth", i)
open(sys.argv[2], "wb").write(b[:j] + b"qop=aut2" + b[j + 8:])
PY
"$sipflow" diff "$out/r1/registration-auth.pcapng" "$out/qop.pcapng" \
	>"$out/qop.txt" 2>&1
check "a digest parameter changed is still a difference (F3 Authorization qop)" \
	"grep -q '^1 difference' '$out/qop.txt' &&
	 grep -qE 'F3 REGISTER .*header Authorization: .*qop=auth,.*qop=aut2' '$out/qop.txt'"

check "a media's own c= that is not its sender's: sdp: address: (reinvite-address-change)" \
	"grep -A3 'F5: INVITE B -> A' '$g/reinvite-address-change.yaml' | grep -q 'address: 192.0.2.201}'"
# a scripted ua resending its INVITE with credentials makes the same offer
# (the same o= line, version too), as the phone does
o1=$(strings -n 3 "$out/r1/session-auth.pcapng" | grep '^o=' | sed -n 1p)
o2=$(strings -n 3 "$out/r1/session-auth.pcapng" | grep '^o=' | sed -n 2p)
check "an INVITE resent with credentials keeps its offer's o= version (session-auth: $o2)" \
	"[ -n '$o1' ] && [ '$o1' = '$o2' ]"

# --call and --roles
"$sipflow" scenario "$out/r1/blind-transfer.pcapng" --call 2 \
	>"$out/call2.yaml" 2>"$out/call2.err"
rc=$?
check "--call 2: the second call only, named in the header" \
	"[ $rc -eq 0 ] && grep -q 'call 2 of 2 (Call-ID ' '$out/call2.yaml' &&
	 ! grep -q 'REFER' '$out/call2.yaml' && grep -q 'to-user: B' '$out/call2.yaml' &&
	 grep -q '^  B: {kind: ua, user: \"carol\"' '$out/call2.yaml'"
addr=$(sed -n 's/^  B: .*# \([0-9.:]*\) .*/\1/p' "$g/blind-transfer.yaml")
"$sipflow" scenario "$out/r1/blind-transfer.pcapng" --roles "BOB=$addr" \
	>"$out/roles.yaml" 2>&1
check "--roles BOB=$addr names B's address BOB" \
	"grep -q '^  BOB: {kind: ua, user: \"bob\"' '$out/roles.yaml' && grep -q 'REFER BOB -> P' '$out/roles.yaml'"

# round_trip DIR POOL FLOW: every flow of DIR/*.yaml played (addresses from
# 127.POOL.0.0/16), a scenario written from each capture into DIR/gen,
# those played (127.POOL+1), FLOW's two captures diffed into DIR/diff.txt;
# rc: the second run's exit status
round_trip() {
	local dir=$1 pool=$2 flow=$3 f
	"$sipflow" run "$dir" --out "$dir/r1" --quiet \
		--address-pool "127.$pool.0.0/16" >"$dir/r1.txt" 2>&1 ||
		abort "$dir: $(tail -1 "$dir/r1.txt")"
	mkdir -p "$dir/gen"
	for f in "$dir"/*.yaml; do
		f=$(basename "$f" .yaml)
		"$sipflow" scenario "$dir/r1/$f.pcapng" \
			--out "$dir/gen/$f.yaml" 2>"$dir/gen-$f.err"
	done
	"$sipflow" run "$dir/gen" --out "$dir/r2" --quiet \
		--address-pool "127.$((pool + 1)).0.0/16" >"$dir/r2.txt" 2>&1
	rc=$?
	"$sipflow" diff --tolerance 2s "$dir/r1/$flow.pcapng" \
		"$dir/r2/$flow.pcapng" >"$dir/diff.txt" 2>&1
}

# --- a B2BUA: the legs are two calls, correlated by time -----------------
# X answers A's call and calls B with a new Call-ID 0 ms later: not a
# relay (the Call-ID changes), so not a proxy; guessed a B2BUA, M, a ua
# that plays both legs, and the flow round-trips
mkdir -p "$out/b2b"
cat >"$out/b2b/b2bua.yaml" <<'YAML'
scenario: b2bua
title: A calls B through a B2BUA
source: sipflow tests (capscen.sh)
roles:
  A: {kind: ua, user: alice}
  X: {kind: ua, user: pbx}
  B: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> X
    dialog: a
  - F2: 100 Trying X -> A
  - F3: INVITE X -> B
    to-user: B
    dialog: b
  - F4: 180 Ringing B -> X
  - F5: 180 Ringing X -> A
  - F6: 200 OK B -> X
  - F7: ACK X -> B
    dialog: b
  - F8: 200 OK X -> A
  - F9: ACK A -> X
    dialog: a
  - F10: BYE A -> X
    dialog: a
  - F11: 200 OK X -> A
  - F12: BYE X -> B
    dialog: b
  - F13: 200 OK B -> X
YAML
round_trip "$out/b2b" 53 b2bua
sed -n '/^roles:/,/^steps:/p' "$out/b2b/gen/b2bua.yaml"
check "a B2BUA (a new Call-ID on its other leg, at once): role M, a ua, so named" \
	"grep -q '^  M: {kind: ua, user: \"pbx\"}.* is a B2BUA: it calls on (a new Call-ID) within 1 s of being called' '$out/b2b/gen/b2bua.yaml' &&
	 grep -q 'INVITE M -> B' '$out/b2b/gen/b2bua.yaml'"
check "... and its flow plays (exit $rc) and diffs equal" \
	"[ $rc -eq 0 ] && grep -q '^0 differences' '$out/b2b/diff.txt'"

# --- repeat: a run of the same exchange is written once --------------------
# four OPTIONS pings a second apart: the first three (each with the pause
# after it) are one repeat: 3, the last (no pause after it) a step; then a
# capture whose pings differ (each its own Subject) has no repeat:
mkdir -p "$out/rep"
cat >"$out/rep/pings.yaml" <<'YAML'
scenario: pings
title: four pings
source: sipflow tests (capscen.sh)
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
  - wait: 1s
  - F3: OPTIONS A -> B
  - F4: 200 OK B -> A
  - wait: 1s
  - F5: OPTIONS A -> B
  - F6: 200 OK B -> A
  - wait: 1s
  - F7: OPTIONS A -> B
  - F8: 200 OK B -> A
YAML
sed -e 's/^scenario: pings/scenario: pings-differ/' \
	-e 's/^  - F\([0-9]\): OPTIONS.*/&\n    headers: {Subject: "ping F\1"}/' \
	"$out/rep/pings.yaml" >"$out/rep/pings-differ.yaml"
round_trip "$out/rep" 55 pings
sed -n '/^steps:/,$p' "$out/rep/gen/pings.yaml"
check "four pings: repeat: 3 of the first ping, its 200 and the pause; the fourth alone" \
	"grep -q '^  - repeat: 3    # steps F1 to F6: the same exchange 3 times' '$out/rep/gen/pings.yaml' &&
	 [ \$(grep -c 'OPTIONS A -> B' '$out/rep/gen/pings.yaml') -eq 2 ] &&
	 grep -q '^      - F1: OPTIONS A -> B' '$out/rep/gen/pings.yaml' &&
	 grep -q '^      - wait: 1[0-9][0-9][0-9]ms' '$out/rep/gen/pings.yaml' &&
	 grep -q '^  - F7: OPTIONS A -> B' '$out/rep/gen/pings.yaml'"
check "... it plays (exit $rc) and diffs equal" \
	"[ $rc -eq 0 ] && grep -q '^0 differences' '$out/rep/diff.txt'"
check "pings that differ (each its own Subject): no repeat:" \
	"[ \$(grep -c 'Subject: \"ping F' '$out/rep/gen/pings-differ.yaml') -eq 4 ] &&
	 ! grep -q 'repeat:' '$out/rep/gen/pings-differ.yaml'"

# --- bad input: exit 2, named ---------------------------------------------
"$sipflow" scenario "$out/r1/blind-transfer.pcapng" --call 9 \
	>"$out/call9.yaml" 2>"$out/call9.err"
rc=$?
cat "$out/call9.err"
check "--call 9 of 2 calls: exit 2 naming how many there are" \
	"[ $rc -eq 2 ] && grep -q 'the capture has 2 calls' '$out/call9.err' && [ ! -s '$out/call9.yaml' ]"
python3 - "$out/nosip.pcap" <<'PY'
import struct, sys
# one UDP datagram that is not SIP, raw IPv4 (DLT_RAW 101)
payload = b"hello, this is not SIP\r\n"
udp = struct.pack("!HHHH", 4000, 4001, 8 + len(payload), 0) + payload
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                 bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2])) + udp
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    f.write(struct.pack("<IIII", 1, 0, len(ip), len(ip)) + ip)
PY
"$sipflow" scenario "$out/nosip.pcap" >"$out/nosip.yaml" 2>"$out/nosip.err"
rc=$?
cat "$out/nosip.err"
check "a capture with no SIP: exit 2, named" \
	"[ $rc -eq 2 ] && grep -q 'no SIP message in the capture' '$out/nosip.err'"
sz=$(stat -c %s "$out/r1/basic-call.pcapng")
head -c $((sz * 2 / 3)) "$out/r1/basic-call.pcapng" >"$out/cut.pcapng"
"$sipflow" scenario "$out/cut.pcapng" >"$out/cut.yaml" 2>"$out/cut.err"
rc=$?
cat "$out/cut.err"
check "a truncated capture: exit 2, named" \
	"[ $rc -eq 2 ] && grep -qE 'cut short|truncated' '$out/cut.err' && [ ! -s '$out/cut.yaml' ]"
head -c 4096 /dev/urandom >"$out/garbled.pcap"
"$sipflow" scenario "$out/garbled.pcap" >"$out/garbled.yaml" 2>"$out/garbled.err"
rc=$?
cat "$out/garbled.err"
check "a garbled file: exit 2, named" \
	"[ $rc -eq 2 ] && grep -q 'garbled.pcap' '$out/garbled.err'"
# a capture of thousands of calls (bench/gencap): no scenario of it all,
# but any one call of it
gencap=$(dirname "$sipflow")/bench/gencap
check "bench/gencap is built beside sipflow" "[ -x '$gencap' ]"
if [ -x "$gencap" ]; then
	"$gencap" "$out/many.pcap" 12000 >/dev/null 2>&1
	"$sipflow" scenario "$out/many.pcap" >"$out/many.yaml" 2>"$out/many.err"
	rc=$?
	cat "$out/many.err"
	check "12000 messages of many calls: exit 2, saying to pick a call" \
		"[ $rc -eq 2 ] && grep -q 'pick a call with --call N' '$out/many.err' && [ ! -s '$out/many.yaml' ]"
	"$sipflow" scenario "$out/many.pcap" --call 1000 >"$out/many1000.yaml" 2>&1
	rc=$?
	check "... and --call 1000 of it is a scenario" \
		"[ $rc -eq 0 ] && grep -q '^# Written by .*, call 1000 of ' '$out/many1000.yaml'"
fi
"$sipflow" scenario "$out/r1/basic-call.pcapng" --roles "A=127.0.0.99" \
	>/dev/null 2>"$out/roles-none.err"
rc=$?
check "--roles naming an address the capture lacks: exit 2, named" \
	"[ $rc -eq 2 ] && grep -q 'no message of the capture comes from or goes to that address' '$out/roles-none.err'"

# --- a generated scenario against a peer that misbehaves ----------------
# the capture's proxy added Record-Route; this one does not
mkdir -p "$out/bad"
sed 's/^\(  P: {kind: proxy.*\), record-route: true}/\1}/' \
	"$g/basic-call.yaml" >"$out/bad/basic-call-no-rr.yaml"
check "the misbehaving copy differs only in its proxy's record-route" \
	"[ \$(diff '$g/basic-call.yaml' '$out/bad/basic-call-no-rr.yaml' | grep -c '^>') -eq 1 ]"
"$sipflow" run "$out/bad/basic-call-no-rr.yaml" --out "$out/bad/o" \
	--address-pool 127.51.0.0/16 >"$out/bad.txt" 2>&1
rc=$?
grep -m2 -A1 'FAIL' "$out/bad.txt"
check "a proxy that omits the Record-Route: the run fails naming the step (F2) and the header" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +F2 +INVITE +P -> B +FAIL' '$out/bad.txt' | grep -q 'Record-Route'"

closing_counted
