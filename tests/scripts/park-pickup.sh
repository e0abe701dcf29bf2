#!/usr/bin/env bash
# Call park and call pickup (RFC 5359) end to end in self-play.
# Pickup (§2.16): Bill's INVITE
# carries a Replaces that names the early dialog Alice has with Bob (its
# Call-ID, Alice's tag as to-tag, Bob's as from-tag, early-only), the
# NOTIFY describes that dialog and goes inside the subscription's dialog;
# all of it checked in the pcap against the other messages (tshark), not
# against what sipflow says. A Bill that leaves out early-only fails F7
# naming Replaces.
# Park: Bob's REFER to the park server (outside his call with Alice)
# carries a Refer-To whose Replaces names that call, the server's INVITE
# replaces it, its NOTIFYs go in the REFER's dialog; the server's
# dialog-info NOTIFY to Carol names its dialog with Alice, and Carol's
# INVITE replaces that one. A Bob whose Refer-To has no Replaces fails F5.
# usage: park-pickup.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
# plays NAME N: scenarios/rfc5359/NAME.yaml passes its N steps (out/NAME)
plays() {
	"$sipflow" run --verbose "$src/scenarios/rfc5359/$1.yaml" --out "$out/$1" \
		--timeout 3s >"$out/$1.txt" 2>&1
	local rc=$?
	cat "$out/$1.txt"
	check "$1 passes" "[ $rc -eq 0 ]"
	check "$1: $2 steps passed" "grep -q 'PASS $1: $2 passed, 0 failed' '$out/$1.txt'"
}

flow="$src/scenarios/rfc5359/call-pickup.yaml"
plays call-pickup 15

# broken FLOW SED NAME STEP HEADER: a copy of FLOW with one line changed
# by SED (a misbehaving peer) exits 1, and STEP fails naming HEADER
broken() {
	local flow=$1 expr=$2 name=$3 step=$4 hdr=$5
	sed "$expr" "$flow" >"$out/$name.yaml"
	check "$name: the copy differs in one line" \
		"[ \$(diff '$flow' '$out/$name.yaml' | grep -c '^>') -eq 1 ]"
	"$sipflow" run --verbose "$out/$name.yaml" --out "$out/$name" --timeout 3s \
		>"$out/$name.txt" 2>&1
	local rc=$?
	cat "$out/$name.txt"
	check "$name: exit 1" "[ $rc -eq 1 ]"
	check "$name: $step fails naming $hdr" \
		"grep -A2 -E '^  $step ' '$out/$name.txt' | grep -q '$hdr'"
}

# the bytes of frame n of a pcap (a NOTIFY's body, as sent)
body() { tshark -r "$1" -Y "frame.number == $2" -x 2>/dev/null |
	sed -n 's/^[0-9a-f]\{4\}  \(.\{48\}\).*/\1/p' | tr -d ' \n' |
	xxd -r -p; }

pcap="$out/call-pickup/call-pickup.pcapng"
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
body "$pcap" 5 >"$out/notify.txt"
check "F5 body: call-id, local-tag (Bob), remote-tag (Alice), early" \
	"grep -q 'call-id=\"$cid\"' '$out/notify.txt' && grep -q 'local-tag=\"$btag\"' '$out/notify.txt' && grep -q 'remote-tag=\"$atag\"' '$out/notify.txt' && grep -q '<state>early</state>' '$out/notify.txt'"
check "Alice CANCELs her INVITE to Bob (F9 has F1's Call-ID)" \
	"[ \"\$(f 9 sip.Method)\" = CANCEL ] && [ \"\$(f 9 sip.Call-ID)\" = '$cid' ]"
check "Bob's 487 ends the early dialog (F11: F1's Call-ID, Bob's tag)" \
	"[ \"\$(f 11 sip.Status-Code)\" = 487 ] && [ \"\$(f 11 sip.to.tag)\" = '$btag' ]"

# a Bill whose Replaces lacks early-only (it could take a call Bob has
# already answered, RFC 5359 §2.16): F7 fails and says why
broken "$flow" 's/;early-only"/"/' no-early-only F7 Replaces

# ---- call park
flow="$src/scenarios/rfc5359/call-park.yaml"
plays call-park 26

pcap="$out/call-park/call-park.pcapng"
cid=$(f 1 sip.Call-ID) atag=$(f 1 sip.from.tag) btag=$(f 3 sip.to.tag)
echo "Alice-Bob call: Call-ID $cid, Alice's tag $atag, Bob's tag $btag"
check "the call has its three values" "[ -n '$cid' ] && [ -n '$atag' ] && [ -n '$btag' ]"
check "F5 REFER goes to the server outside the Alice-Bob call" \
	"[ \"\$(f 5 sip.Method)\" = REFER ] && [ \"\$(f 5 sip.Call-ID)\" != '$cid' ] && [ -z \"\$(f 5 sip.to.tag)\" ]"
check "F5 Refer-To: Alice, Replaces=$cid;to-tag=$atag;from-tag=$btag" \
	"f 5 sip.Refer-To | grep -qF 'sip:alice@' && f 5 sip.Refer-To | grep -qF '?Replaces=$cid%3Bto-tag%3D$atag%3Bfrom-tag%3D$btag>'"
check "F7 and F14 NOTIFY go in the REFER's dialog" \
	"[ \"\$(f 7 sip.Call-ID)\" = \"\$(f 5 sip.Call-ID)\" ] && [ \"\$(f 14 sip.Call-ID)\" = \"\$(f 5 sip.Call-ID)\" ] && [ \"\$(f 7 sip.from.tag)\" = \"\$(f 6 sip.to.tag)\" ]"
check "F9 INVITE from the server: Replaces $cid;to-tag=$atag;from-tag=$btag" \
	"[ \"\$(f 9 sip.Replaces)\" = '$cid;to-tag=$atag;from-tag=$btag' ]"
pcid=$(f 10 sip.Call-ID) stag=$(f 10 sip.from.tag) patag=$(f 10 sip.to.tag)
echo "parked dialog: Call-ID $pcid, server's tag $stag, Alice's tag $patag"
body "$pcap" 18 >"$out/park-notify.txt"
check "F18 body: the parked dialog (call-id, local-tag server, remote-tag Alice), confirmed" \
	"grep -q 'call-id=\"$pcid\"' '$out/park-notify.txt' && grep -q 'local-tag=\"$stag\"' '$out/park-notify.txt' && grep -q 'remote-tag=\"$patag\"' '$out/park-notify.txt' && grep -q '<state>confirmed</state>' '$out/park-notify.txt'"
check "F18 NOTIFY goes in Carol's subscription (F16's Call-ID)" \
	"[ \"\$(f 18 sip.Call-ID)\" = \"\$(f 16 sip.Call-ID)\" ]"
check "F20 INVITE from Carol: Replaces $pcid;to-tag=$patag;from-tag=$stag" \
	"[ \"\$(f 20 sip.Replaces)\" = '$pcid;to-tag=$patag;from-tag=$stag' ]"
check "F23 Alice ends the parked dialog (BYE with its Call-ID)" \
	"[ \"\$(f 23 sip.Method)\" = BYE ] && [ \"\$(f 23 sip.Call-ID)\" = '$pcid' ]"

# a Bob whose Refer-To carries no Replaces (the server would call Alice
# as a new call, and she would have two): F5 fails naming Refer-To
broken "$flow" '/Refer-To: "<{A.contact}/s/?Replaces=[^>]*>/>/' no-replaces F5 Refer-To

closing
