#!/usr/bin/env bash
# Where simulated roles listen: an automatic address skips every address
# another role of the scenario already has; --jobs slots stay inside the
# address pool (--address-pool, testbed address-pool:); a slot that cannot
# listen (its address held by another process) is retired and the suite
# goes on in the others; a pool too small or malformed is refused (exit 2).
# usage: addresses.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
sc=$src/scenarios
direct=$sc/rfc3665/direct-call.yaml         # A, B
two=$sc/rfc3665/session-two-proxies.yaml    # A, P1, P2, B
few=("$direct" "$two" "$sc/rfc3665/registration.yaml"
     "$sc/rfc3665/unsuccessful-404.yaml")

# the role addresses of every scenario in a report, one per line
addrs() {
	python3 - "$1" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    for r in s["roles"]:
        print(s["name"], r["name"], r["address"])
PY
}
# exit 0 when every address of the report lies in FIRST-LAST (IPv4)
in_pool() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys, ipaddress as ip
lo, hi = ip.ip_address(sys.argv[2]), ip.ip_address(sys.argv[3])
r = json.load(open(sys.argv[1]))
a = [ip.ip_address(x["address"].rsplit(":", 1)[0])
     for s in r["scenarios"] for x in s["roles"]]
sys.exit(0 if a and all(lo <= x <= hi for x in a) else 1)
PY
}
totals() {
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]
print(t["scenarios"], t["passed"], t["failed"], t["not_run"], t["refused"])' "$1"
}

# holder ADDR PORT: a UDP socket held by another process; sets holder_pid
# once it is bound (it says so on a fifo; read waits at most 5 s)
holder() {
	local fifo=$out/holder.fifo line=""
	rm -f "$fifo"; mkfifo "$fifo"
	python3 -c 'import socket, signal, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
signal.pause()' "$1" "$2" >"$fifo" &
	holder_pid=$!
	read -r -t 5 line <"$fifo"
	[ "$line" = ready ]
}
unhold() { kill "$holder_pid" 2>/dev/null; wait "$holder_pid" 2>/dev/null; }

# (a) A pinned to 127.0.0.11, B without an address: B must not get .11
cat >"$out/pin-a.yaml" <<'EOF'
roles:
  A: {kind: ua, address: udp:127.0.0.11:5060}
EOF
"$sipflow" run "$direct" --testbed "$out/pin-a.yaml" --out "$out/a" \
	--quiet >"$out/a.txt" 2>&1
check "A pinned to B's default address: both listen, the flow passes" \
	"[ $? -eq 0 ]"
check "... A at 127.0.0.11:5060, B skips it to 127.0.0.12:5060" \
	"[ \"\$(addrs $out/a/report.json)\" = \"direct-call A 127.0.0.11:5060
direct-call B 127.0.0.12:5060\" ]"
"$sipflow" run "$direct" --role A=ua:udp:127.0.0.11:5060 --out "$out/a2" \
	--quiet >"$out/a2.txt" 2>&1
check "the same with --role A=ua:udp:127.0.0.11:5060" "[ $? -eq 0 ]"
"$sipflow" run "$direct" --out "$out/a3" --quiet >"$out/a3.txt" 2>&1
check "nothing pinned: A and B keep 127.0.0.10 and .11" \
	"[ \"\$(addrs $out/a3/report.json)\" = \"direct-call A 127.0.0.10:5060
direct-call B 127.0.0.11:5060\" ]"

# (b) --jobs 2, slot 1's 127.0.1.11:5060 (B's there) held by another process
# (rfc3665/: 22 flows, enough for both slots to start and one to retire;
# the whole library's --jobs 2 run is suite.sh's)
few3665=$src/scenarios/rfc3665
n=$(find "$few3665" -name '*.yaml' | xargs grep -L '^block:' | wc -l)
if holder 127.0.1.11 5060; then
	"$sipflow" run "$few3665" --jobs 2 --out "$out/b" --quiet \
		>"$out/b.txt" 2>&1
	rc=$?
	unhold
	check "a busy address in slot 1: the suite passes (exit 0)" \
		"[ $rc -eq 0 ]"
	check "... every scenario played and passed ($n)" \
		"[ \"\$(totals $out/b/report.json)\" = \"$n $n 0 0 0\" ]"
	check "... slot 1 retired in one line naming its address and cause" \
		"[ \$(grep -c 'slot 1 retired: .*127.0.1.11:5060.*Address already in use' $out/b.txt) -eq 1 ]"
	check "... nothing refused" "! grep -q 'refused' $out/b.txt"
else
	unhold
	check "holder socket on 127.0.1.11:5060 ready" false
fi

# --jobs 1 and its only slot busy: every scenario refused, saying why
if holder 127.0.0.11 5060; then
	"$sipflow" run "$direct" "$two" --jobs 1 --out "$out/b1" --quiet \
		>"$out/b1.txt" 2>&1
	rc=$?
	unhold
	check "the only slot busy: exit 2" "[ $rc -eq 2 ]"
	check "... slot 0 retired, naming 127.0.0.11:5060" \
		"grep -q 'slot 0 retired: .*127.0.0.11:5060.*Address already in use' $out/b1.txt"
	check "... both scenarios refused, each saying why" \
		"[ \$(grep -c 'refused: no job slot is left' $out/b1.txt) -eq 2 ]"
	check "... counted as refused" \
		"[ \"\$(totals $out/b1/report.json)\" = \"2 0 0 0 2\" ]"
else
	unhold
	check "holder socket on 127.0.0.11:5060 ready" false
fi

# (c) the address pool, from the command line and from the testbed
"$sipflow" run "${few[@]}" --jobs 2 --address-pool 127.0.5.0/24 \
	--out "$out/c1" --quiet >"$out/c1.txt" 2>&1
check "--address-pool 127.0.5.0/24 --jobs 2: exit 0" "[ $? -eq 0 ]"
check "... every role in 127.0.5.1-127.0.5.254" \
	"in_pool $out/c1/report.json 127.0.5.1 127.0.5.254"
check "... both slots' blocks used (127.0.5.1-127 and 128-254)" \
	"addrs $out/c1/report.json | grep -q ' 127.0.5.1:' &&
	 addrs $out/c1/report.json | grep -q ' 127.0.5.128:'"
cat >"$out/pool.yaml" <<'EOF'
address-pool: 127.0.6.10-127.0.6.40
EOF
"$sipflow" run "${few[@]}" --jobs 2 --testbed "$out/pool.yaml" \
	--out "$out/c2" --quiet >"$out/c2.txt" 2>&1
check "testbed address-pool: 127.0.6.10-127.0.6.40 --jobs 2: exit 0" \
	"[ $? -eq 0 ]"
check "... every role in 127.0.6.10-127.0.6.40" \
	"in_pool $out/c2/report.json 127.0.6.10 127.0.6.40"
"$sipflow" run "$direct" --testbed "$out/pool.yaml" \
	--address-pool 127.0.7.1-127.0.7.2 --out "$out/c3" --quiet \
	>"$out/c3.txt" 2>&1
check "--address-pool wins over the testbed's" \
	"[ $? -eq 0 ] && in_pool $out/c3/report.json 127.0.7.1 127.0.7.2"

"$sipflow" run "$direct" "$two" --jobs 2 --address-pool 127.0.0.10-127.0.0.16 \
	--out "$out/c4" >"$out/c4.txt" 2>&1
check "a pool of 7 for --jobs 2 and 4 roles: exit 2" "[ $? -eq 2 ]"
check "... saying 8 addresses are needed" \
	"grep -q 'address pool 127.0.0.10-127.0.0.16 has 7 addresses; --jobs 2 needs 8' $out/c4.txt"
check "... and nothing played" "! grep -q PASS $out/c4.txt"

for bad in 127.0.0.300/24 127.0.0.0/33 127.0.0.20-127.0.0.10 ::1/128 \
	   banana 127.0.0.1-; do
	"$sipflow" run "$direct" --address-pool "$bad" --out "$out/c5" \
		>"$out/c5.txt" 2>&1
	check "--address-pool $bad: exit 2, said why" \
		"[ $? -eq 2 ] && grep -q \"^--address-pool: '$bad' is not\" $out/c5.txt"
done

printf 'roles: {}\naddress-pool: 127.0.0.9/40\n' >"$out/badpool.yaml"
"$sipflow" run "$direct" --testbed "$out/badpool.yaml" --out "$out/c6" \
	>"$out/c6.txt" 2>&1
check "testbed address-pool: 127.0.0.9/40: exit 2 at file:line:column" \
	"[ $? -eq 2 ] && grep -q 'badpool.yaml:2:15: address-pool' $out/c6.txt"
printf 'base-address: 127.0.0.10\naddress-pool: 127.0.0.0/24\n' \
	>"$out/both.yaml"
"$sipflow" run "$direct" --testbed "$out/both.yaml" --out "$out/c7" \
	>"$out/c7.txt" 2>&1
check "base-address and address-pool together: exit 2" \
	"[ $? -eq 2 ] && grep -q 'both.yaml:2:1: ' $out/c7.txt"

closing_counted
