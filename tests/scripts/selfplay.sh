#!/usr/bin/env bash
# cost: 30
# The bundled suite in self-play: every scenario passes, every pcap decodes
# in tshark without malformed packets, with the SIP messages in the order
# of the flow's steps.
# usage: selfplay.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"

"$sipflow" run "$src/scenarios" --out "$out" --timeout 3s \
	>"$out/console.txt" 2>&1
rc=$?
cat "$out/console.txt"
check "suite exits 0" "[ $rc -eq 0 ]"
# block files (block:) are included by flows, not played; the robustness
# set (a device must offer robustness: docs/robustness.md) is skipped
flows=$(find "$src/scenarios" -name '*.yaml' | sort | xargs grep -L '^block:' |
	xargs grep -L '^requires: {D: \[robustness\]}')
n=$(echo "$flows" | wc -l)
k=$(grep -rl '^requires: {D: \[robustness\]}' "$src/scenarios" | wc -l)
check "closing line counts $n passed, $k skipped (each saying why)" \
	"grep -q '^scenarios: $n passed, 0 failed, $k skipped' '$out/console.txt' &&
	 [ \$(grep -c 'SKIP rfc4475-.*: skipped: D (a simulated role) does not implement robustness' '$out/console.txt') -eq $k ]"

. "$src/tests/scripts/lib/steps.sh"

need tshark mergecap capinfos

# malformed packets: one tshark over all the captures; only when it finds
# some, one per capture, to name the flows
pcaps=()
for yaml in $flows; do
	pcaps+=("$out/$(basename "$yaml" .yaml).pcapng")
done
malformed() {
	tshark -r "$1" "${SIP_DECODE[@]}" -T fields -e frame.number \
		-Y '_ws.malformed' 2>/dev/null
}
mergecap -a -w "$out/all.pcapng" "${pcaps[@]}" 2>"$out/mergecap.txt"
malformed "$out/all.pcapng" >"$out/all.malformed"
check "the captures were read together" "[ -s '$out/all.pcapng' ]"
check "no malformed packets in any flow's capture" \
	"[ ! -s '$out/all.malformed' ]"

# each flow's SIP messages from one tshark over all the captures (frame
# numbers: mergecap -a put them one after the other, capinfos counts
# each), and what its steps list from one python (flow_messages.py)
capinfos -T -r -c "${pcaps[@]}" >"$out/counts.txt" 2>&1
tshark -r "$out/all.pcapng" "${SIP_DECODE[@]}" -T fields -E separator='|' \
	-E occurrence=f -e frame.number -e sip.Method -e sip.Status-Code \
	-e sip.Call-ID -e sip.CSeq -e sip.Via.branch -e sip.to.tag -Y sip \
	2>/dev/null >"$out/all.sip"
# shellcheck disable=SC2086
python3 "$src/tests/scripts/flow_messages.py" --to "$out" $flows
check "each capture's packets counted" \
	"[ \$(grep -c '\.pcapng	[0-9][0-9]*\$' '$out/counts.txt') -eq ${#pcaps[@]} ]"
first=1
for yaml in $flows; do
	name=$(basename "$yaml" .yaml)
	pcap="$out/$name.pcapng"
	n=$(awk -F'\t' -v f="$pcap" '$1 == f { print $2 }' "$out/counts.txt")
	n=${n:-0}
	check "$name: pcap written" "[ -s '$pcap' ]"
	if [ -s "$out/all.malformed" ]; then
		malformed "$pcap" >"$out/$name.malformed"
		check "$name: no malformed packets" \
			"[ ! -s '$out/$name.malformed' ]"
	fi
	# a retransmission (RFC 3261 timers) repeats a message: same method
	# or status, Call-ID, CSeq, top Via branch and To tag. It is counted
	# apart, and only a flow that loses a copy on purpose may have one
	awk -F'|' -v lo="$first" -v hi="$((first + n - 1))" \
		'$1 >= lo && $1 <= hi { sub(/^[^|]*\|/, ""); print }' "$out/all.sip" |
		awk -F'|' -v copies="$out/$name.copies" '
			seen[$0]++ { n++; next }
			{ print ($1 != "" ? $1 : $2) }
			END { print n + 0 >copies }' >"$out/$name.seen"
	first=$((first + n))
	lost=$(grep -cE '^\s*(drop: true|lose: [1-9])' "$yaml")
	copies=$(cat "$out/$name.copies")
	if [ "$lost" -eq 0 ]; then
		check "$name: no retransmissions" "[ '$copies' -eq 0 ]"
	else
		check "$name: $lost lost on purpose, $copies resent" \
			"[ '$copies' -ge '$lost' ]"
	fi
	if grep -q 'kind: phone' "$yaml"; then
		# phones act on their own: what they send at once (a 180 and an
		# auto-answer 200, a 202 and a NOTIFY) may leave in either order
		sort -o "$out/$name.want" "$out/$name.want"
		sort -o "$out/$name.seen" "$out/$name.seen"
		check "$name: the $(wc -l <"$out/$name.want") SIP messages of the steps" \
			"diff '$out/$name.want' '$out/$name.seen' >/dev/null"
		continue
	fi
	# in self-play the engine sends group members in file order too, so
	# the capture holds exactly the steps' messages, in the steps' order
	check "$name: $(wc -l <"$out/$name.want") SIP messages in flow order" \
		"diff '$out/$name.want' '$out/$name.seen' >/dev/null"
done

closing
