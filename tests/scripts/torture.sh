#!/usr/bin/env bash
# tests/scripts/torture.sh — sipflow torture against a fragile device
# (fragile_torture_device.py, which exits on a CSeq with a negative
# number): it is caught (exit 1), the console and report.json name the
# mutation, the reproducer it writes kills a fresh device again under
# `sipflow run`; a robust device survives (exit 0); the same seed sends
# the same bytes, another seed others; bad input exits 2
# usage: torture.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"

dev="$src/tests/scripts/fragile_torture_device.py"
flow="$src/tests/torture/target.yaml"
addr=127.0.0.1:5060
pids=()
cleanup() {
	local p
	for p in "${pids[@]}" $(cat "$out"/*.pid 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
}
trap cleanup EXIT

# device NAME KIND: a fragile device in the background, bound; its pid
# in $out/NAME.pid, its log in $out/NAME.log
device() {
	python3 "$dev" 127.0.0.1 5060 --die-on "$2" --life 60 \
		2>>"$out/$1.log" &
	echo $! >"$out/$1.pid"
	wait_bound "$addr" || abort "the fragile device did not bind $addr"
}

# gone PIDFILE: the device exited (at most 3 s); its status in $gone_rc
gone() {
	local p
	p=$(cat "$1")
	for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$p" 2>/dev/null && return 1
	wait "$p" 2>/dev/null
	gone_rc=$?
	return 0
}

torture() {
	"$sipflow" torture "$flow" --role "P=dut:udp:$addr" --gap 2ms \
		--timeout 1s "$@"
}

# 1. caught: it dies at a mutation; restarted, the last K are replayed
#    one by one and the one that kills it is named
device fragile1 cseq-negative
torture --seed 1 --count 400 --every 10 --out "$out/caught" \
	--restart "python3 $dev 127.0.0.1 5060 --life 60 \
2>>$out/fragile2.log & echo \$! >$out/fragile2.pid" >"$out/caught.txt" 2>&1
rc=$?
check "a fragile device is caught: exit 1 (got $rc)" "[ $rc -eq 1 ]"
check "the console names the mutation that killed it" \
	"grep -q \"^FAIL P stopped answering after mutation [0-9]* (bad-cseq): CSeq number '-1'\" '$out/caught.txt'"
check "… replayed alone after a restart" \
	"grep -q 'replayed alone after it came back' '$out/caught.txt'"
check "the device died on that message, and again after the restart" \
	"grep -q '^died on: ' '$out/fragile1.log' && grep -q '^died on: ' '$out/fragile2.log'"
check "the summary line counts mutations, checks and time" \
	"grep -Eq '^torture: [0-9]+ mutations sent to P \(udp:$addr\), seed 1, in [0-9.]+ s; [0-9]+ liveness checks passed' '$out/caught.txt'"
check "the pcap of the torture is kept" \
	"[ -s '$out/caught/torture-target.pcapng' ]"
repro="$out/caught/reproducer.yaml"
check "the reproducer is a raw: scenario with the message's bytes" \
	"grep -q 'raw: \"' '$repro' && grep -q 'CSeq: -1 ' '$repro' && grep -q '{P.addr}' '$repro'"
check "… and its exact bytes beside it" \
	"ls '$out'/caught/reproducer-M*.raw >/dev/null 2>&1"
python3 - "$out/caught/report.json" >"$out/caught-report.txt" 2>&1 <<'PY'
import json, sys
# report.json is strict UTF-8 whatever bytes the mutations carried
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
t = [s for s in d["scenarios"] if s["name"] == "torture-target"][0]
assert t["result"] == "fail", t["result"]
bad = [st for st in t["steps"] if st["status"] == "fail"]
assert any("(bad-cseq): CSeq number '-1'" in (st.get("reason") or "")
           for st in bad), bad
print("ok")
PY
check "report.json: the torture failed, a step names the mutation" \
	"grep -qx ok '$out/caught-report.txt'"
cleanup

# 2. the reproducer replays: sipflow run of it kills a fresh device
device fragile3 cseq-negative
"$sipflow" run "$repro" --role "P=dut:udp:$addr" --timeout 1s \
	--out "$out/replay" >"$out/replay.txt" 2>&1
rc=$?
check "sipflow run of the reproducer fails (exit 1, got $rc)" \
	"[ $rc -eq 1 ] && grep -q 'alive-ok .*FAIL' '$out/replay.txt'"
gone_rc=
check "… because the fresh device died on it (status 3)" \
	"gone '$out/fragile3.pid' && [ \"\$gone_rc\" = 3 ] && grep -q '^died on: ' '$out/fragile3.log'"

# 3. not restarted: the last K since its last answer are the reproducer
device fragile4 cseq-negative
torture --seed 1 --count 400 --every 10 --revive 300ms \
	--out "$out/norestart" >"$out/norestart.txt" 2>&1
rc=$?
check "without --restart: exit 1 (got $rc), the last K are reproduced" \
	"[ $rc -eq 1 ] && grep -q 'did not come back' '$out/norestart.txt' && [ \$(grep -c '^  - M' '$out/norestart/reproducer.yaml') -gt 1 ]"
cleanup

# 4. a robust device survives them all
device robust none
torture --seed 3 --count 300 --every 25 --out "$out/robust" \
	>"$out/robust.txt" 2>&1
rc=$?
check "a robust device survives 300 mutations: exit 0 (got $rc)" \
	"[ $rc -eq 0 ] && grep -q '^PASS P answered after all 300 mutations' '$out/robust.txt'"
check "… every mutation kind was sent" \
	"[ \$(grep '^  by kind:' '$out/robust.txt' | wc -w) -ge 28 ]"
check "… report.json and junit.xml follow their schema" \
	"python3 '$src/tests/scripts/check_reports.py' '$out/robust' pass 2 >'$out/robust-schema.txt' 2>&1"
check "… a progress line every 100 mutations" \
	"grep -q '^  100 mutations sent, 4 liveness checks passed' '$out/robust.txt'"

# 5. the same seed sends the same bytes; another seed other bytes
for run in a b; do
	torture --seed 7 --count 120 --every 40 --out "$out/seed-$run" \
		>"$out/seed-$run.txt" 2>&1
done
torture --seed 8 --count 120 --every 40 --out "$out/seed-c" \
	>"$out/seed-c.txt" 2>&1
sent() {
	python3 "$src/tests/scripts/torture_sent.py" \
		"$1/torture-target.pcapng" 127.0.0.1
}
a=$(sent "$out/seed-a") b=$(sent "$out/seed-b") c=$(sent "$out/seed-c")
echo "seed 7: $a / $b; seed 8: $c" >"$out/seeds.txt"
check "the same seed twice: the same bytes sent ($a)" \
	"[ -n '$a' ] && [ '${a%% *}' -gt 120 ] && [ '$a' = '$b' ]"
check "another seed: other bytes" "[ '$a' != '$c' ]"
cleanup

# 6. bad input and a device that cannot be judged: exit 2
"$sipflow" torture "$flow" --out "$out/bad1" >"$out/bad1.txt" 2>&1
rc=$?
check "a device role without an address: exit 2 (got $rc), saying so" \
	"[ $rc -eq 2 ] && grep -q 'role P is bound to a DUT but has no address' '$out/bad1.txt'"
torture --count many --out "$out/bad2" >"$out/bad2.txt" 2>&1
rc=$?
check "--count many: exit 2 (got $rc)" \
	"[ $rc -eq 2 ] && grep -q -- \"--count: 'many' is not a number\" '$out/bad2.txt'"
torture --count 5 --out "$out/nobody" >"$out/nobody.txt" 2>&1
rc=$?
check "nothing listening: exit 2 (got $rc), it cannot be judged" \
	"[ $rc -eq 2 ] && grep -q '^CANNOT JUDGE P' '$out/nobody.txt'"
"$sipflow" torture "$src/tests/torture/two-devices.yaml" \
	--role "P=dut:udp:$addr" --role Q=dut:udp:127.0.0.2:5060 \
	--out "$out/bad3" >"$out/bad3.txt" 2>&1
rc=$?
check "two roles bound to devices: exit 2 (got $rc), one at a time" \
	"[ $rc -eq 2 ] && grep -q 'roles P and Q are both devices' '$out/bad3.txt'"
"$sipflow" torture "$src/tests/torture/device-speaks-first.yaml" \
	--role "P=dut:udp:$addr" --out "$out/bad4" >"$out/bad4.txt" 2>&1
rc=$?
check "no request to the device to mutate: exit 2 (got $rc), saying so" \
	"[ $rc -eq 2 ] && grep -q 'sent P no request from a ua or proxy role: nothing to mutate' '$out/bad4.txt'"

closing_counted
