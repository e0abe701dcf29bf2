#!/usr/bin/env bash
# tests/scripts/diff.sh — sipflow diff has no false differences and still
# finds the real ones: two self-play runs of the WHOLE bundled library
# diff equal, flow by flow (digest values, Call-IDs and tags in Replaces
# and Refer-To, Event id=, IPv6 addresses, SDP origins masked); a copy of
# a capture edited so that a masked value is used inconsistently (a
# Replaces naming another dialog, a nonce never challenged, a cnonce
# reused, an SDP version that does not rise …) or that really differs (a
# codec, a missing message) diffs unequal, naming the step and the header.
# usage: diff.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
edit="$src/tests/scripts/pcap_edit.py"
pool=(--address-pool 127.47.0.0/16)

# --- two runs of the whole library diff equal ---------------------------
for r in r1 r2; do
	"$sipflow" run "$src/scenarios" --out "$out/$r" --quiet "${pool[@]}" \
		>"$out/$r.txt" 2>&1 || abort "library run $r: $(tail -1 "$out/$r.txt")"
done
# the flows played (a skipped one, scenarios/rfc4475/ in self-play, has no
# capture), by the name report.json gives them
flows=$(python3 - "$out/r1/report.json" <<'PY' | sort
import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    if s["result"] != "skip":
        print(s["name"])
PY
)
n=0 unequal=""
for name in $flows; do
	"$sipflow" diff "$out/r1/$name.pcapng" "$out/r2/$name.pcapng" \
		>"$out/eq-$name.txt" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q '^0 differences' "$out/eq-$name.txt"; then
		unequal="$unequal $name"
		cat "$out/eq-$name.txt"
	fi
	n=$((n + 1))
done
check "two runs of all $n flows diff equal (unequal:${unequal:- none})" \
	"[ -z '$unequal' ] && [ $n -ge 51 ]"

r1=$out/r1 r2=$out/r2
# edited NAME FLOW EDIT...: r2's capture of FLOW edited (pcap_edit.py),
# diffed against r1's into $out/NAME.txt; rc is diff's exit code
edited() {
	local name=$1 flow=$2
	shift 2
	python3 "$edit" "$r2/$flow.pcapng" "$out/$name.pcap" "$@"
	"$sipflow" diff "$r1/$flow.pcapng" "$out/$name.pcap" \
		>"$out/$name.txt" 2>&1
	rc=$?
	cat "$out/$name.txt"
}
# unequal NAME PATTERN: exit 1, and PATTERN (grep -E) names the difference
unequal() {
	check "$1" "[ $rc -eq 1 ] && grep -qE -- '$2' '$out/$1.txt'"
}

# --- dialogs: Call-IDs and tags, where Replaces names them ----------------
at=attended-transfer-phones
cid1=$(strings -n 8 "$r2/$at.pcapng" | grep -m1 '^Call-ID:' | tr -d '\r' |
	cut -d' ' -f2)
edited replaces-call-id "$at" \
	sub 'Replaces: ' 'Replaces: [^;]*' "Replaces: $cid1"
unequal replaces-call-id \
	'INVITE .*header Replaces: "<call-id 1 of call -1>;.*" -> "<call-id 1 of call -2>;'
check "replaces-call-id: nothing else differs" \
	"grep -q '^1 differences' '$out/replaces-call-id.txt'"

edited replaces-tags "$at" \
	sub 'Replaces: ' 'to-tag=([^;]*);from-tag=([^;\r]*)' \
	'to-tag=\2;from-tag=\1'
unequal replaces-tags \
	'INVITE .*Replaces: ".*to-tag=<tag 2 of call -1>;from-tag=<tag 1 of call -1>" -> ".*to-tag=<tag 1 of call -1>;from-tag=<tag 2 of call -1>"'

edited refer-to-replaces "$at" \
	sub 'Refer-To: ' 'Replaces=[^%]*' "Replaces=$cid1"
unequal refer-to-replaces \
	'REFER .*header Refer-To: ".*Replaces=<call-id 1 of call \+1>;.*" -> ".*Replaces=<call-id 1>;'

edited event-id "$at" \
	sub 'Event: refer' 'id=([0-9]+)' 'id=9\1'
unequal event-id \
	'NOTIFY .*header Event: "refer;id=<id 1>" -> "refer;id=<id 2>"'

# "--keep Replaces" shows the values themselves
"$sipflow" diff "$r1/$at.pcapng" "$r2/$at.pcapng" --keep Replaces \
	>"$out/keep-replaces.txt" 2>&1; rc=$?
unequal keep-replaces "header Replaces: \"[0-9a-f]+;to-tag=[0-9a-f]+"

# --- digest: a nonce never challenged, a cnonce or response reused -------
ra=registration-auth
edited digest-nonce "$ra" \
	sub 'Authorization: ' ' nonce="[0-9a-f]*"' ' nonce="0123456789abcdef"'
unequal digest-nonce \
	'REGISTER .*header Authorization: ".* nonce="<nonce 1>".*" -> ".* nonce="<nonce 2>"'

edited digest-opaque "$ra" \
	sub 'Authorization: ' 'opaque="[0-9a-f]*"' 'opaque="0badcafe"'
unequal digest-opaque \
	'REGISTER .*header Authorization: ".*opaque="<opaque 1>".*" -> ".*opaque="<opaque 2>"'

ruc=registration-update-cancel
auth1=$(strings -n 8 "$r2/$ruc.pcapng" | grep -m1 '^Authorization:')
cn1=$(echo "$auth1" | grep -o 'cnonce="[0-9a-f]*"')
rs1=$(echo "$auth1" | grep -o 'response="[0-9a-f]*"')
edited digest-cnonce "$ruc" \
	sub 'nc=00000002' 'cnonce="[0-9a-f]*"' "$cn1"
unequal digest-cnonce \
	'REGISTER .*header Authorization: ".*cnonce="<cnonce 2>".*" -> ".*cnonce="<cnonce 1>"'

edited digest-response "$ruc" \
	sub 'nc=00000002' 'response="[0-9a-f]*"' "$rs1"
unequal digest-response \
	'REGISTER .*header Authorization: ".*response="<response 2>".*" -> ".*response="<response 1>"'
check "digest-response: nc is compared, not masked" \
	"grep -q 'nc=00000002' '$out/digest-response.txt'"

# --- IPv6 addresses are masked like IPv4 ones ----------------------------
bc=basic-call
python3 "$edit" "$r1/$bc.pcapng" "$out/v6a.pcap" \
	suball 'alice@127\.[0-9.]+:5060' 'alice@[2001:db8::a]:5060' \
	suball 'bob@127\.[0-9.]+' 'bob@[fe80::b]'
python3 "$edit" "$r2/$bc.pcapng" "$out/v6b.pcap" \
	suball 'alice@127\.[0-9.]+:5060' 'alice@[2001:db8:0:1::1a]:5062' \
	suball 'bob@127\.[0-9.]+' 'bob@[2001:db8:0:0:0:0:0:1b]'
"$sipflow" diff "$out/v6a.pcap" "$out/v6b.pcap" >"$out/ipv6.txt" 2>&1
rc=$?
cat "$out/ipv6.txt"
check "ipv6: other IPv6 addresses and ports diff equal" \
	"[ $rc -eq 0 ] && grep -q '^0 differences' '$out/ipv6.txt'"

# --- SDP: a version that fails to rise, a codec, media added, a direction,
# --- and a missing message ---------------------------------------------
hr=hold-resume
sid=$(strings -n 4 "$r2/$hr.pcapng" | grep -m1 '^o=' | cut -d' ' -f2)
edited sdp-version "$hr" \
	suball "o=- $sid [0-9]+ " "o=- $sid 1 "
unequal sdp-version 'F9 INVITE .*sdp version step: "o\+1" -> "o="'

edited sdp-codec "$hr" \
	sub 'a=sendonly' 'PCMA' 'G722'
unequal sdp-codec \
	'F9 INVITE .*sdp audio codecs: "PCMU PCMA telephone-event" -> "PCMU G722 telephone-event"'
check "sdp-codec: nothing else differs" \
	"grep -q '^1 differences' '$out/sdp-codec.txt'"

edited sdp-media "$hr" \
	sub 'a=recvonly' 'a=recvonly\r\n' \
	'a=recvonly\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n' \
	sub 'a=sendonly' 'a=sendonly' 'a=inactive'
unequal sdp-media 'F11 200 OK .*sdp media: \(none\) -> "video"'
check "sdp-media: the direction sendonly -> inactive named" \
	"grep -q 'F9 INVITE .*sdp audio direction: \"sendonly\" -> \"inactive\"' '$out/sdp-media.txt'"
check "sdp-media: nothing else differs" \
	"grep -q '^2 differences' '$out/sdp-media.txt'"

edited missing-message "$hr" \
	drop 'a=recvonly'
unequal missing-message '200 OK [0-9]->[0-9] +missing in NEW'

closing_counted
