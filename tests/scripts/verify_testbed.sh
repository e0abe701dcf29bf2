#!/usr/bin/env bash
# sipflow verify --testbed: the testbed a run was played with places the
# roles in its capture; a role placed where the capture has no message
# fails the verdict, and verify says which address the role was expected
# at and which address the capture has instead.
# usage: verify_testbed.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
flow="$src/tests/scenarios/options-ping.yaml"
cat >"$out/tb.yaml" <<'YAML'
roles:
  A: {kind: ua, address: udp:127.0.47.10:5060}
  B: {kind: ua, address: udp:127.0.47.11:5060}
YAML
sed 's/47\.11/47.99/' "$out/tb.yaml" >"$out/tb-wrong.yaml"
printf 'roles:\n  A: {kind: martian}\n' >"$out/tb-bad.yaml"
v() { "$sipflow" verify "$flow" --pcap "$out/r/options-ping.pcapng" "$@" \
	>"$out/o.txt" 2>"$out/e.txt"; echo $?; }

"$sipflow" run "$flow" --testbed "$out/tb.yaml" --out "$out/r" --quiet >/dev/null 2>&1
[ -s "$out/r/options-ping.pcapng" ] || abort "the run with the testbed made no capture"

rc=$(v --testbed "$out/tb.yaml" --out "$out/v")
check "verify --testbed of the run's own testbed: exit 0, every step passes, reports written" \
	"[ $rc -eq 0 ] && grep -q '^PASS options-ping: 2 passed' '$out/o.txt' && [ -s '$out/v/report.json' ] && [ ! -s '$out/e.txt' ]"
rc=$(v --testbed "$out/tb-wrong.yaml")
check "a testbed placing B elsewhere: exit 1, F1 fails" \
	"[ $rc -eq 1 ] && grep -qE '^  F1 .* FAIL' '$out/o.txt'"
check "... and verify names the address B was expected at and the one the capture has" \
	"grep -q 'role B: expected at 127.0.47.99:5060 (--role or --testbed); the capture has no SIP message from or to that address' '$out/e.txt' &&
	 grep -q 'the capture has 127.0.47.11:5060 instead, which no role is at (2 messages, the first: OPTIONS sip:bob@127.0.47.11:5060 SIP/2.0)' '$out/e.txt'"
rc=$(v --testbed "$out/tb.yaml" --role B=127.0.47.98:5060)
check "--role over the testbed: B moved, exit 1, the expected address is --role's" \
	"[ $rc -eq 1 ] && grep -q 'role B: expected at 127.0.47.98:5060' '$out/e.txt'"
rc=$(v --role A=127.0.47.10:5060)
check "B placed by nobody: exit 1, its address is where a run alone puts it, said so" \
	"[ $rc -eq 1 ] && grep -qE 'role B: expected at 127\.0\.0\.[0-9]+:5060 \(given by no --role or --testbed' '$out/e.txt' &&
	 grep -q 'has 127.0.47.11:5060 instead' '$out/e.txt'"
rc=$(v)
check "no role placed: both named, the capture's addresses listed" \
	"[ $rc -eq 1 ] && grep -q 'role A: expected at' '$out/e.txt' && grep -q 'role B: expected at' '$out/e.txt' &&
	 grep -q '^  127.0.47.10:5060 (2 messages' '$out/e.txt' && grep -q '^  127.0.47.11:5060 (2 messages' '$out/e.txt'"
rc=$(v --testbed "$out/tb-bad.yaml")
check "a bad testbed: exit 2 at its line" "[ $rc -eq 2 ] && grep -q 'tb-bad.yaml:2:' '$out/e.txt'"
rc=$(v --testbed "$out/none.yaml")
check "a missing testbed: exit 2" "[ $rc -eq 2 ]"
rc=$(v --role B)
check "--role without =HOST:PORT: exit 2, said why" \
	"[ $rc -eq 2 ] && grep -q \"'B' is not NAME=HOST:PORT\" '$out/e.txt'"

closing_counted
