#!/usr/bin/env bash
# cost: 49
# The RFC 4475 robustness set (scenarios/rfc4475/) against Kamailio as
# Debian ships it (/etc/kamailio/kamailio.cfg unchanged): it survives every
# message (the alive OPTIONS after each is answered, and it still answers
# a probe after the set), and each verdict is right for what it answers:
# its answers that echo nonsense it cannot decode are judged by their
# status line, one to a branch-less (RFC 2543) INVITE is matched, and the
# one flow that fails, escnull, fails because Kamailio answers that
# REGISTER twice (400, then 500: a request has one final response, RFC
# 3261 §17.2.2) — caught by the 200 ms wait after the answer — not
# because it died.
# usage: rfc4475-kamailio.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need kamailio
# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
trap 'kam_stop' EXIT

kam_start_stock "$out/kam" \
	--listen=udp:127.0.0.1:5060 || abort "kamailio (stock config) did not start"
"$sipflow" run "$src/scenarios/rfc4475" --testbed "$here/rfc4475-testbed.yaml" \
	--out "$out/run" >"$out/run.txt" 2>&1
rc=$?
grep -E '^(\[|scenarios:)' "$out/run.txt"
grep -E -A2 ' FAIL ' "$out/run.txt" | grep -v '^\['

# step SCENARIO STEP-PATTERN TEXT: the step's line (or the one after it)
step() { sed -n "/^rfc4475-$1 —/,/^\[/p" "$out/run.txt" | grep -A1 -E "$2" | grep -q -- "$3"; }

check "Kamailio still runs and answers after the 49 messages" \
	"kill -0 $KAM_PID && KAM_PROBE=probe-keepalive.yaml _kam_probe '$out/kam'"
check "48 passed; escnull alone failed (exit 1)" \
	"[ $rc -eq 1 ] && grep -q '^scenarios: 48 passed, 1 failed' '$out/run.txt' &&
	 grep -q 'FAIL rfc4475-escnull' '$out/run.txt'"
check "escnull: Kamailio answered the REGISTER 400 and then 500, which fails the wait after the answer" \
	"step escnull 'F2 ' pass &&
	 step escnull 'wait 200 ms' \"unexpected 500 I'm terribly sorry\""
check "and it answered the next message and its alive OPTIONS (escruri)" \
	"grep -q 'PASS rfc4475-escruri' '$out/run.txt'"
check "unksm2 (an isbn: To): its 400 echoes the To and does not parse; judged by its status line" \
	"step unksm2 'F2 ' 'judged by its status line: 400 from D'"
check "inv2543 (no branch, RFC 2543): its 404 is matched and passes" \
	"step inv2543 'F3 ' pass"
check "trws (a request line libre cannot decode): its 404 is matched by its Call-ID and passes" \
	"step trws 'F2 ' pass"
check "unkscm: the 200 to an unknown URI scheme passes (416 is a SHOULD, RFC 3261 §8.2.2.1)" \
	"step unkscm 'F2 ' pass"
check "the answers that copy what they were sent are not judged by the rules (scalar02's CSeq, badaspec's To)" \
	"step scalar02 'F2 ' pass && step badaspec 'F2 ' pass"
check "what an earlier flow's INVITE still gets (a resent 404) is absorbed in a later one, named" \
	"grep -q 'left over from scenario rfc4475-' '$out/run.txt'"

closing_counted
