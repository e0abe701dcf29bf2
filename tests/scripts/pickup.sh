#!/usr/bin/env bash
# Call pickup (RFC 5359 §2.16) end to end in self-play: Bill's INVITE
# carries a Replaces that names the early dialog Alice has with Bob (its
# Call-ID, Alice's tag as to-tag, Bob's as from-tag, early-only), the
# NOTIFY describes that dialog and goes inside the subscription's dialog;
# all of it checked in the pcap against the other messages (tshark), not
# against what sipflow says. A Bill that leaves out early-only fails F7
# naming Replaces.
# usage: pickup.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
flow="$src/scenarios/rfc5359/call-pickup.yaml"

"$sipflow" run "$flow" --out "$out/ok" --timeout 3s >"$out/ok.txt" 2>&1
rc=$?
cat "$out/ok.txt"
check "call-pickup passes" "[ $rc -eq 0 ]"
check "15 steps passed" "grep -q 'PASS call-pickup: 15 passed, 0 failed' '$out/ok.txt'"

if command -v tshark >/dev/null; then
	pcap="$out/ok/call-pickup.pcap"
	# fields of the n-th SIP message of the capture
	f() { tshark -r "$pcap" -Y sip -T fields -E occurrence=f -e "$2" \
		2>/dev/null | sed -n "$1p"; }
	cid=$(f 1 sip.Call-ID) atag=$(f 1 sip.from.tag) btag=$(f 2 sip.to.tag)
	echo "early dialog: Call-ID $cid, Alice's tag $atag, Bob's tag $btag"
	check "the early dialog has its three values" "[ -n '$cid' ] && [ -n '$atag' ] && [ -n '$btag' ]"
	check "F7 INVITE from Bill: Replaces $cid;to-tag=$atag;from-tag=$btag;early-only" \
		"[ \"\$(f 7 sip.Replaces)\" = '$cid;to-tag=$atag;from-tag=$btag;early-only' ]"
	check "F5 NOTIFY goes in the subscription's dialog (SUBSCRIBE's Call-ID)" \
		"[ \"\$(f 5 sip.Call-ID)\" = \"\$(f 3 sip.Call-ID)\" ] && [ \"\$(f 5 sip.Call-ID)\" != '$cid' ]"
	check "F5 NOTIFY's From tag is Bob's tag of the subscription (F4's To tag)" \
		"[ \"\$(f 5 sip.from.tag)\" = \"\$(f 4 sip.to.tag)\" ]"
	tshark -r "$pcap" -Y 'sip.Method == "NOTIFY"' -x 2>/dev/null |
		sed -n 's/^[0-9a-f]\{4\}  \(.\{48\}\).*/\1/p' | tr -d ' \n' |
		xxd -r -p >"$out/notify.txt"
	check "F5 body: call-id, local-tag (Bob), remote-tag (Alice), early" \
		"grep -q 'call-id=\"$cid\"' '$out/notify.txt' && grep -q 'local-tag=\"$btag\"' '$out/notify.txt' && grep -q 'remote-tag=\"$atag\"' '$out/notify.txt' && grep -q '<state>early</state>' '$out/notify.txt'"
	check "Alice CANCELs her INVITE to Bob (F9 has F1's Call-ID)" \
		"[ \"\$(f 9 sip.Method)\" = CANCEL ] && [ \"\$(f 9 sip.Call-ID)\" = '$cid' ]"
	check "Bob's 487 ends the early dialog (F11: F1's Call-ID, Bob's tag)" \
		"[ \"\$(f 11 sip.Status-Code)\" = 487 ] && [ \"\$(f 11 sip.to.tag)\" = '$btag' ]"
else
	echo "skip pcap checks: tshark not installed"
fi

# a Bill whose Replaces lacks early-only (it could take a call Bob has
# already answered, RFC 5359 §2.16): F7 fails and says why
sed 's/;early-only"/"/' "$flow" >"$out/no-early-only.yaml"
check "the broken copy differs only in early-only" \
	"[ \$(diff '$flow' '$out/no-early-only.yaml' | grep -c '^>') -eq 1 ]"
"$sipflow" run "$out/no-early-only.yaml" --out "$out/bad" --timeout 3s >"$out/bad.txt" 2>&1
rc=$?
cat "$out/bad.txt"
check "without early-only: exit 1" "[ $rc -eq 1 ]"
check "F7 fails naming Replaces" \
	"grep -A2 -E '^  F7 ' '$out/bad.txt' | grep -q 'Replaces'"

exit $fail
