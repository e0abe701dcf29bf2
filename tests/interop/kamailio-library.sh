#!/usr/bin/env bash
# cost: 144
# The whole library in ONE invocation against one Kamailio (issue #13's
# acceptance): every flow passes or is skipped with its reason; twice in
# a row against the same Kamailio process, the second time with a failure
# injected into an early flow (only that flow fails, every other ends as
# in the first run: what one flow or run leaves behind fails no other).
# Then the same against Kamailio configured as Debian ships it
# (/etc/kamailio/kamailio.cfg unchanged, its own tm timers, no sipflow
# replies): the simulated roles register with it first (testbed
# register: P, tests/interop/stock-testbed.yaml).
# Run 1 plays the whole library; run 2 and the stock run leave out
# rtcp-reports-phones (11 s of RTP between two phones for its RTCP
# reports): the proxy relays none of its media, and its SIP is the basic
# phone call that basic-call-phones plays in every run.
# usage: kamailio-library.sh SIPFLOW SRCDIR OUTDIR
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

# results RUNDIR: "name result" per scenario of its report.json, sorted;
# fails (exit 1) when a scenario neither passed nor was skipped with a
# reason, unless it is named in $2
results() {
	python3 - "$1/report.json" "${2:-}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
allowed = set(sys.argv[2].split()) if sys.argv[2] else set()
bad = 0
for s in sorted(d["scenarios"], key=lambda s: s["name"]):
    r = s["result"]
    why = s.get("skip_reason") or ""
    print(s["name"], r, why)
    if r == "skip" and not why:
        bad = 1
    if r not in ("pass", "skip") and s["name"] not in allowed:
        bad = 1
sys.exit(bad)
PY
}

# library RUNDIR TESTBED [DIR]: the whole library (or DIR), one invocation
library() {
	"$sipflow" run --verbose "${3:-$src/scenarios}" --testbed "$2" --out "$1" \
		--timeout 3s >"$1.txt" 2>&1
	rc=$?
	# each failed step with the lines that say why, then the summary
	grep -E -A3 '^ +[^ ]+ .* FAIL ' "$1.txt" | grep -v '^--$'
	grep -E '^(\[|scenarios:)' "$1.txt" | grep -v '] PASS '
}

# --- the project's Kamailio config, no defines ---------------------------
# run 1: the library as it is; run 2, right after against the same
# Kamailio process: the same with a wrong expectation in an early flow,
# which fails at F2 (the call left ringing at B) — that flow alone
# fails, and every other ends as in run 1 (neither run 1's leftovers nor
# the failed flow's reach any other)
kam_start "$here/kamailio.cfg" "$out/kam" || abort "kamailio did not start"
testbed="$here/kamailio-testbed.yaml"
library "$out/run1" "$testbed"
check "run 1 against one Kamailio: exit 0" "[ $rc -eq 0 ]"
check "run 1: every flow passed or was skipped with its reason" \
	"results '$out/run1' >'$out/run1.res'"
check "run 1: the flows were played, not skipped (>= 40 passed)" \
	"[ \$(grep -c ' pass ' '$out/run1.res') -ge 40 ]"

# the library but for the flow whose media is all it adds (above)
cp -r "$src/scenarios" "$out/sip"
rm "$out/sip/rfc3550/rtcp-reports-phones.yaml"
cp -r "$out/sip" "$out/lib"
sed -i 's/^  - F2: INVITE P -> B$/  - F2: INVITE P -> B\n    expect: {header: {X-Never-Sent: "~."}}/' \
	"$out/lib/rfc3665/early-media-phones.yaml"
library "$out/run2" "$testbed" "$out/lib"
check "run 2, a failure injected into early-media-phones: exit 1" \
	"[ $rc -eq 1 ]"
results "$out/run2" early-media-phones >"$out/run2.res"
check "run 2: early-media-phones fails at F2, naming the missing header" \
	"grep -A1 -E '^ +F2 +INVITE +P -> B +FAIL' '$out/run2.txt' |
	 grep -q 'X-Never-Sent'"
check "run 2: every other flow ends as in run 1" \
	"diff <(grep -Ev '^(early-media-phones|rtcp-reports-phones) ' '$out/run1.res') \
	      <(grep -v '^early-media-phones ' '$out/run2.res')"
kam_stop

# --- Kamailio as Debian ships it -----------------------------------------
cfg=/etc/kamailio/kamailio.cfg
if [ ! -r "$cfg" ]; then
	echo "FAIL $cfg is not there (the kamailio package installs it)"
	fail=1
else
	KAM_PROBE=probe-keepalive.yaml kam_start "$cfg" "$out/kam-stock" \
		--listen=udp:127.0.0.1:5060 --alias=example.test ||
		abort "kamailio (stock config) did not start"
	library "$out/stock" "$here/stock-testbed.yaml" "$out/sip"
	check "stock Kamailio: exit 0" "[ $rc -eq 0 ]"
	check "stock Kamailio: every flow passed or was skipped with its reason" \
		"results '$out/stock' >'$out/stock.res'"
	check "stock Kamailio: the call flows were played (>= 35 passed)" \
		"[ \$(grep -c ' pass ' '$out/stock.res') -ge 35 ]"
	check "stock Kamailio: each user registered before the flow" \
		"grep -Eq '^ +reg-B-ok +200 OK +P -> B +pass' '$out/stock.txt'"
	check "stock Kamailio: no-response ends with its 408 or 480 (Timer C/B, fr_timer 30 s)" \
		"grep -q '^no-response pass' '$out/stock.res'"
	check "stock Kamailio: forwarding flows are skipped, saying why" \
		"grep -q '^forward-busy-server skip P (kamailio-stock) does not offer forward-on-busy' '$out/stock.res'"
	kam_stop
fi

closing
