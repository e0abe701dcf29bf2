#!/usr/bin/env bash
# The bundled suite in self-play: every scenario passes, every pcap decodes
# in tshark without malformed packets, with the SIP messages in the order
# of the flow's steps.
# usage: selfplay.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$sipflow" run "$src/scenarios" --out "$out" --quiet --timeout 3s \
	>"$out/console.txt" 2>&1
rc=$?
cat "$out/console.txt"
check "suite exits 0" "[ $rc -eq 0 ]"
n=$(find "$src/scenarios" -name '*.yaml' | wc -l)
check "closing line counts $n passed" \
	"grep -q '^scenarios: $n passed, 0 failed' '$out/console.txt'"

. "$src/tests/scripts/lib/steps.sh"

for yaml in $(find "$src/scenarios" -name "*.yaml" | sort); do
	name=$(basename "$yaml" .yaml)
	pcap="$out/$name.pcap"
	check "$name: pcap written" "[ -s '$pcap' ]"
	if ! command -v tshark >/dev/null; then
		echo "skip $name: tshark not installed"; continue
	fi
	tshark -r "$pcap" "${SIP_DECODE[@]}" -T fields -e _ws.malformed -e _ws.expert.severity \
		-Y '_ws.malformed' 2>/dev/null >"$out/$name.malformed"
	check "$name: no malformed packets" "[ ! -s '$out/$name.malformed' ]"
	tshark -r "$pcap" "${SIP_DECODE[@]}" -T fields -e sip.Method -e sip.Status-Code \
		-Y sip 2>/dev/null | awk '{print $1}' >"$out/$name.seen"
	steps_of "$yaml" >"$out/$name.want"
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

[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
