#!/usr/bin/env bash
# The RFC 4475 robustness set (scenarios/rfc4475/) without a real device:
# each scenario sends its RFC message byte for byte (rfc4475_check.py, and
# a copy with one octet changed is caught); the set lints; in self-play it
# is skipped with its reason (no simulated role can show it survives) and
# the run exits 0; against a careful device (tests/scripts/
# fragile_device.py) every verdict passes; the same device made to die on
# a negative Content-Length fails the alive step of rfc4475-ncl, the
# message that killed it, and every scenario before it passes.
# usage: rfc4475.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
set_dir="$src/scenarios/rfc4475"
dev=127.0.44.75

# --- the messages are the RFC's -------------------------------------
python3 "$src/tests/scripts/rfc4475_check.py" "$set_dir" >"$out/exact.txt" 2>&1
rc=$?
grep FAIL "$out/exact.txt"
check "every scenario sends its RFC 4475 message byte for byte (49)" \
	"[ $rc -eq 0 ] && grep -q '(49 of 49)' '$out/exact.txt'"
mkdir -p "$out/changed"
cp "$set_dir"/*.yaml "$out/changed/"
sed -i 's/Content-Length: -999/Content-Length: -998/' "$out/changed/ncl.yaml"
python3 "$src/tests/scripts/rfc4475_check.py" "$out/changed" \
	>"$out/changed.txt" 2>&1
check "a copy with one octet changed is caught, naming the file" \
	"[ $? -eq 1 ] && grep -q '^FAIL ncl.yaml: the message is not the RFC' '$out/changed.txt'"

"$sipflow" lint "$set_dir" >"$out/lint.txt" 2>&1
check "the set lints" "[ $? -eq 0 ] && grep -q '49 files: 49 ok' '$out/lint.txt'"

# --- self-play: skipped, saying why ---------------------------------
"$sipflow" run --verbose "$set_dir" --out "$out/self" >"$out/self.txt" 2>&1
rc=$?
check "self-play: exit 0, all 49 skipped" \
	"[ $rc -eq 0 ] && grep -q '^scenarios: 0 passed, 0 failed, 49 skipped' '$out/self.txt'"
check "self-play: the reason names the capability a device must offer" \
	"grep -q 'SKIP rfc4475-wsinv: skipped: D (a simulated role) does not implement robustness' '$out/self.txt'"

# --- a device on the bench ------------------------------------------
cat >"$out/testbed.yaml" <<YAML
roles:
  A: {kind: ua, address: udp:127.0.44.10:5060}
  L: {kind: ua, address: udp:127.0.44.11:5060}
  D: {kind: dut, name: fragile, address: udp:$dev:5060,
      offers: [robustness]}
settle: 100ms
YAML
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# device NAME [--die-on X]: start it and wait (bounded) until it listens
device() {
	local log="$out/$1.log" i
	shift
	python3 "$src/tests/scripts/fragile_device.py" $dev 5060 "$log" \
		--life 300 "$@" &
	pids+=($!)
	for i in $(seq 50); do
		ss -Hlun "sport = :5060" 2>/dev/null | grep -q "$dev:5060" && return 0
		sleep 0.1
	done
	return 1
}
stop() { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; }

device careful || abort "fragile_device.py did not listen on $dev:5060"
"$sipflow" run --verbose "$set_dir" --testbed "$out/testbed.yaml" --out "$out/careful" \
	>"$out/careful.txt" 2>&1
rc=$?
stop
grep -E '^\[.* FAIL ' "$out/careful.txt"
check "a careful device passes every verdict of the set (49)" \
	"[ $rc -eq 0 ] && grep -q '^scenarios: 49 passed, 0 failed' '$out/careful.txt'"
check "its rejections are judged: 420 to Require (bext01), 505 to SIP/7.0 (badvers)" \
	"grep -A3 '^rfc4475-bext01' '$out/careful.txt' | grep -Eq 'F2 +3xx, 4xx, 5xx or 6xx +D -> A +pass' &&
	 grep -A3 '^rfc4475-badvers' '$out/careful.txt' | grep -Eq 'F2 +3xx, 4xx, 5xx or 6xx +D -> A +pass'"

# a careless device accepts everything: it fails where RFC 4475 says a
# message must not be accepted, and only there
device careless --careless || abort "fragile_device.py did not listen on $dev:5060"
mkdir -p "$out/careless-set/rfc4475"
cp -r "$src/scenarios/blocks" "$out/careless-set/"
cp "$set_dir"/{esc02,mismatch01,lwsdisp,unksm2}.yaml "$out/careless-set/rfc4475/"
"$sipflow" run --verbose "$out/careless-set/rfc4475" --testbed "$out/testbed.yaml" \
	--out "$out/careless" >"$out/careless.txt" 2>&1
rc=$?
stop
cat "$out/careless.txt"
check "a 200 to RE%47IST%45R (not REGISTER, §3.1.1.5) fails F2, naming it" \
	"grep -A3 '^rfc4475-esc02' '$out/careless.txt' | grep -q 'expected 3xx, 4xx, 5xx or 6xx from D, got 200 OK'"
check "a 200 to an OPTIONS whose CSeq says INVITE (§3.1.2.17) fails F2" \
	"grep -A2 '^rfc4475-mismatch01' '$out/careless.txt' | grep -Eq 'F2 .* FAIL'"
check "a 200 that copies an isbn: To (§3.3.4) does not parse, and fails F2 by its status line" \
	"grep -A3 '^rfc4475-unksm2' '$out/careless.txt' | grep -q 'expected 3xx, 4xx, 5xx or 6xx from D, got 200 (frame 2), which does not parse'"
check "a 200 to a valid message (§3.1.1.6) passes; the run exits 1" \
	"[ $rc -eq 1 ] && grep -q 'PASS rfc4475-lwsdisp' '$out/careless.txt'"

# the same device dies on a negative Content-Length (RFC 4475 §3.1.2.3)
device fragile --die-on negative-content-length ||
	abort "fragile_device.py did not listen on $dev:5060"
mkdir -p "$out/three/rfc4475"
cp -r "$src/scenarios/blocks" "$out/three/"
cp "$set_dir"/{mcl01,ncl,noreason}.yaml "$out/three/rfc4475/"
"$sipflow" run --verbose "$out/three/rfc4475" --testbed "$out/testbed.yaml" --out "$out/dies" \
	>"$out/dies.txt" 2>&1
rc=$?
stop
cat "$out/dies.txt"
check "the device died on ncl.dat's message (its log says so)" \
	"tail -1 '$out/fragile.log' | grep -q 'killed by negative-content-length'"
check "the run fails (exit 1); the message before it passed" \
	"[ $rc -eq 1 ] && grep -q 'PASS rfc4475-mcl01' '$out/dies.txt'"
check "rfc4475-ncl fails at its alive step: no answer to the OPTIONS, the dead port named" \
	"grep -A8 '^rfc4475-ncl' '$out/dies.txt' | grep -Eq 'F4 +2xx, 3xx, 4xx, 5xx or 6xx +D -> L +FAIL' &&
	 grep -A8 '^rfc4475-ncl' '$out/dies.txt' | grep -q 'no 2xx, 3xx, 4xx, 5xx or 6xx from D at L within 2.0 s; D.s address [0-9.:]* answered ICMP port unreachable'"
# failed NAME TEXT: report.json has NAME failed, TEXT in its record
failed() {
	python3 - "$out/dies/report.json" "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = [x for x in r["scenarios"] if x["name"] == sys.argv[2]]
sys.exit(not (s and s[0]["result"] == "fail" and
              sys.argv[3] in json.dumps(s[0], ensure_ascii=False)))
PY
}
check "the report names the message: RFC 4475 §3.1.2.3, Negative Content-Length" \
	"failed rfc4475-ncl 'RFC 4475 §3.1.2.3 Negative Content-Length'"
check "and its pcap holds the message that killed it" \
	"[ -s '$out/dies/rfc4475-ncl.pcapng' ]"

closing_counted
