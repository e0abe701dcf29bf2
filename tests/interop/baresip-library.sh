#!/usr/bin/env bash
# Every phone flow of the library in ONE invocation with a real phone as
# B — a baresip driven through its control socket — and Kamailio as P
# (issue #13's acceptance): what baresip can play passes; what its driver
# cannot apply or do (busy:, forwarding, an attended transfer, a 480, a
# tone of its own) and what the proxy does not offer is skipped with the
# reason; what it plays differently from the flow fails at the step that
# says how. What one flow sets on the phone (auto-answer) is undone after
# it, so the next flow finds the phone as it was. The steps between the
# two devices are captured live (--capture lo).
# usage: baresip-library.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$here/lib/checks.sh"
need kamailio baresip
# shellcheck source=lib/kamailio.sh
. "$here/lib/kamailio.sh"
# shellcheck source=lib/baresip.sh
. "$here/lib/baresip.sh"
cleanup() {
	stop_all "${pids[@]}"
	kam_stop
}
trap cleanup EXIT

kam_start "$here/kamailio.cfg" "$out/kam" || abort "kamailio did not start"
start_baresip bob bob 127.0.0.11 30400 127.0.0.1:5060 ||
	abort "baresip did not come up at 127.0.0.11"

"$sipflow" run --verbose "$src"/scenarios/*/*-phones.yaml \
	--testbed "$here/baresip-testbed.yaml" --out "$out/run" --timeout 3s \
	--capture lo >"$out/run.txt" 2>&1
rc=$?
grep -E '^(\[|scenarios:)' "$out/run.txt"
python3 - "$out/run/report.json" >"$out/run.res" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in sorted(d["scenarios"], key=lambda s: s["name"]):
    print(s["name"], s["result"], s.get("skip_reason") or "")
PY
res() { grep -q "^$1 $2" "$out/run.res"; }
step() { sed -n "/^$1 —/,/^\[/p" "$out/run.txt" | grep -A1 -E "$2" | grep -q -- "$3"; }

check "one invocation: exit 1 (baresip plays two flows its own way)" \
	"[ $rc -eq 1 ]"
check "nothing refused: every flow played or skipped" \
	"! grep -q 'refused' '$out/run.txt'"
for f in basic-call-phones hold-resume-phones call-waiting-phones \
	 no-answer-cancel-phones blind-transfer-phones basic-transfer-phones \
	 consultation-hold-phones registration-auth-phones \
	 registration-refresh-phones unsuccessful-404-phones; do
	check "$f passes with baresip as B" "res $f pass"
done
check "busy-phones skipped: baresip cannot apply busy: true" \
	"res busy-phones 'skip .*B is bound to device baresip (driver baresip), which cannot apply busy: true'"
check "attended-transfer-phones skipped: baresip transfers blind only" \
	"res attended-transfer-phones 'skip .*baresip transfers blind only'"
check "unavailable-480-phones skipped: baresip rejects with 486 only" \
	"res unavailable-480-phones 'skip .*baresip rejects a call with 486 only'"
check "session-auth-phones skipped: the proxy does not challenge INVITE" \
	"res session-auth-phones 'skip P (kamailio) does not offer invite-digest'"
check "every skip says why" "! grep -Eq ' skip $' '$out/run.res'"
# baresip ends the call when a transfer fails (RFC 5589's flow has the
# transferor resume it): the flow fails where baresip did it unasked
for f in failed-transfer-busy-phones failed-transfer-no-answer-phones; do
	check "$f fails: B hung up instead of waiting to resume" \
		"res $f fail && step $f 'do B resume +FAIL' 'B acted before it was asked: it sent BYE'"
done
# hold-resume-phones sets auto-answer on B; the flow after it finds the
# phone ringing until asked again
check "the auto-answer hold-resume set is undone after it" \
	"sed -n '/^hold-resume-phones —/,/^\[/p' '$out/run.txt' | grep -q 'B: set auto-answer: off through baresip'"
check "no flow after it finds B answering by itself" \
	"! grep -q 'acted before it was asked: it sent 200' '$out/run.txt'"

closing
