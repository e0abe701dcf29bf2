#!/usr/bin/env bash
# cost: 61
# The RFC 4475 robustness set (scenarios/rfc4475/) against baresip, the
# Debian package with its own configuration (tests/interop/lib/baresip.sh:
# no proxy reachable, manual answer): it survives every message — the
# alive OPTIONS after each is answered, the process still runs — and each
# verdict is right for what it answers. What baresip answers is in
# $OUTDIR/run.txt.
# usage: rfc4475-baresip.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$here/lib/checks.sh"
need baresip
# shellcheck source=lib/baresip.sh
. "$here/lib/baresip.sh"
cleanup() {
	stop_all "${pids[@]}"
}
trap cleanup EXIT

# its outbound proxy is an address nobody serves: it registers with none
start_baresip dev device 127.0.45.31 30600 127.0.45.1:5060 ||
	abort "baresip did not come up at 127.0.45.31"
sed 's/127.0.0.1:5060/127.0.45.31:5060/; s/udp:127.0.0.10:5060/udp:127.0.45.10:5060/' \
	"$here/rfc4475-testbed.yaml" >"$out/testbed.yaml"
"$sipflow" run --verbose "$src/scenarios/rfc4475" --testbed "$out/testbed.yaml" \
	--out "$out/run" >"$out/run.txt" 2>&1
rc=$?
grep -E '^(\[|scenarios:)' "$out/run.txt"
grep -E -A2 ' FAIL ' "$out/run.txt" | grep -v '^\['

check "baresip is still running after the 49 messages" "kill -0 ${pids[0]}"
check "every verdict passes (49)" \
	"[ $rc -eq 0 ] && grep -q '^scenarios: 49 passed, 0 failed' '$out/run.txt'"
# step SCENARIO STEP-PATTERN TEXT: the step's line (or the one after it)
step() { sed -n "/^rfc4475-$1 —/,/^\[/p" "$out/run.txt" | grep -A1 -E "$2" | grep -q -- "$3"; }
check "wsinv (its To has a tag): answered 481, a final answer to an INVITE, then the teardown ACKs it" \
	"step wsinv 'F3 ' 'pass' && step wsinv 'F5 ' 'teardown: A sent ACK to D'"
check "esc02 (RE%47IST%45R) and intmeth: unknown methods, rejected (501), not taken for REGISTER" \
	"step esc02 'F2 +3xx, 4xx, 5xx or 6xx' pass && step intmeth 'F2 +3xx, 4xx, 5xx or 6xx' pass"
check "badvers (SIP/7.0): ignored, which the set allows (the step skipped, the device alive)" \
	"step badvers 'F2 ' skip && step badvers 'F4 ' pass"

closing_counted
