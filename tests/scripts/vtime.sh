#!/usr/bin/env bash
# Virtual time (engine/run/clock.c): a flow whose roles are all scripted
# jumps its clock to the next timer whenever nothing is in flight. A 32 s
# Timer B and a 10 s wait: finish in a few seconds of wall time with the
# verdicts, the reasons and the timing figures real time gives (the
# report's and the pcap's: the run clock's); --real-time and a device in
# the flow keep real time; the scripted flows of the library and of
# tests/scenarios give equal reports either way.
# usage: vtime.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
A=127.0.62.10:5060 B=127.0.62.11:5060

# run NAME ARGS...: $out/NAME.txt, its exit status in rc, its wall ms
run() {
	local name=$1 t0
	shift
	t0=$(date +%s%N)
	"$sipflow" run --verbose "$@" --out "$out/$name" >"$out/$name.txt" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# the INVITEs' pcap stamps, seconds from the first frame
invites() {
	tshark -r "$1" -T fields -e frame.time_relative \
		-Y 'sip.Method == "INVITE"' 2>/dev/null
}

# a step's field in report.json: step DIR ID FIELD
step() {
	python3 -c "import json,sys; s=json.load(open('$1/report.json'))['scenarios'][0]['steps']; print([x for x in s if x['id']=='$2'][0]['$3'])"
}

# 1. Timer B at RFC 3261's T1 = 500 ms: A's INVITE to a scripted B that
#    never answers, resent at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; F2
#    (waiting up to 40 s) fails at 64*T1 = 32 s
cat >"$out/silent.yaml" <<'YAML'
scenario: silent
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: INVITE A -> B
  - wait: 40s
YAML
run b32 "$out/silent.yaml" --role A=ua:udp:$A --role B=ua:udp:$B
cat "$out/b32.txt"
check "Timer B 32 s, virtual: exit 1" "[ $rc -eq 1 ]"
check "Timer B 32 s, virtual: the wait fails with Timer B after 32.0 s, 7 copies" \
	"grep -q 'no response to INVITE F1 from B: Timer B fired after 32.0 s (64\*T1; sent 7 times)' '$out/b32.txt'"
check "Timer B 32 s, virtual: a few seconds of wall time, not 32 ($ms ms)" \
	"[ $ms -lt 8000 ]"
t=$(step "$out/b32" wait@L7 t_ms 2>/dev/null || echo 0)
check "Timer B 32 s, virtual: the report has it at 32 s ($t ms)" \
	"[ ${t:-0} -ge 32000 ] && [ ${t:-0} -le 32100 ]"
check "Timer B 32 s, virtual: the run's time reads 32 s" \
	"grep -qE 'FAIL silent: .*\(32\.0[0-9]+ s\)' '$out/b32.txt'"
got=$(invites "$out/b32/silent.pcapng" | awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $1 }')
check "Timer B 32 s, virtual: the pcap's INVITEs at 0 0.5 1.5 3.5 7.5 15.5 31.5 s ($got)" \
	"[ '$got' = '0.0 0.5 1.5 3.5 7.5 15.5 31.5' ]"

# 2. the same at T1 = 50 ms, virtual and --real-time: same verdicts and
#    reasons, the same times within a few ms
run b3v "$out/silent.yaml" --role A=ua:udp:$A --role B=ua:udp:$B \
	--timer T1=50ms
rcv=$rc
run b3r "$out/silent.yaml" --role A=ua:udp:$A --role B=ua:udp:$B \
	--timer T1=50ms --real-time
msr=$ms
check "Timer B 3.2 s: exit 1 virtual and real ($rcv, $rc)" \
	"[ $rcv -eq 1 ] && [ $rc -eq 1 ]"
check "Timer B 3.2 s, --real-time: it takes the 3.2 s ($msr ms)" \
	"[ $msr -ge 3200 ]"
got=$(invites "$out/b3v/silent.pcapng" | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 }')
check "Timer B 3.2 s, virtual: the INVITEs at 0 .05 .15 .35 .75 1.55 3.15 s ($got)" \
	"[ '$got' = '0.00 0.05 0.15 0.35 0.75 1.55 3.15' ]"
# real time on a loaded machine runs late, never early: each copy
# within 150 ms after its virtual twin
paste <(invites "$out/b3v/silent.pcapng") <(invites "$out/b3r/silent.pcapng") \
	>"$out/b3.times"
check "Timer B 3.2 s, --real-time: the INVITEs where virtual time has them, or late by < 150 ms" \
	"awk 'NF == 2 { d = \$2 - \$1; if (d < -0.005 || d > 0.150) exit 1 }' '$out/b3.times'"

# 3. a wait: of 10 s between two scripted roles: no time in the wall,
#    all of it in the report
cat >"$out/pause.yaml" <<'YAML'
scenario: pause
roles:
  A: {kind: ua, user: alice}
  B: {kind: ua, user: bob}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
  - wait: 10s
  - F3: OPTIONS A -> B
  - F4: 200 OK B -> A
YAML
run pause "$out/pause.yaml"
check "wait 10 s, virtual: passes in a few seconds ($ms ms)" \
	"[ $rc -eq 0 ] && [ $ms -lt 5000 ]"
t=$(step "$out/pause" F3 t_ms 2>/dev/null || echo 0)
check "wait 10 s, virtual: F3 at 10 s in the report ($t ms)" \
	"[ ${t:-0} -ge 10000 ] && [ ${t:-0} -le 10100 ]"

# 4. a device in the flow: real time, whatever the rest (the silent
#    address is a device's; T1 = 50 ms, Timer B at 3.2 s)
sed 's/B: {kind: ua, user: bob}/B: {kind: dut}/' "$out/silent.yaml" \
	>"$out/silent-dut.yaml"
run dut "$out/silent-dut.yaml" --role A=ua:udp:$A \
	--role B=dut:udp:127.0.62.99:5060 --timer T1=50ms
check "a device in the flow: real time, Timer B takes its 3.2 s ($ms ms)" \
	"[ $rc -eq 1 ] && [ $ms -ge 3200 ]"

# 5. the scripted flows of the library and of tests/scenarios: the same
#    report with and without --real-time
mapfile -t flows < <(grep -L -e 'kind: phone' -e '^block:' \
	"$src"/scenarios/*/*.yaml "$src"/tests/scenarios/*.yaml)
run libv "${flows[@]}" --jobs 1 --quiet
run libr "${flows[@]}" --jobs 1 --quiet --real-time
python3 - "$out/libv/report.json" "$out/libr/report.json" <<'PY' || fail=1
import json, sys
v, r = (json.load(open(p)) for p in sys.argv[1:])
def verdicts(rep):
    return {s["name"]: [(x["id"], x["status"], x["reason"]) for x in s["steps"]]
            for s in rep["scenarios"]}
ok = True
def check(what, cond):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
check(f"scripted flows ({len(v['scenarios'])}): the same verdicts and reasons virtual and real",
      verdicts(v) == verdicts(r) and len(v["scenarios"]) > 20)
check("scripted flows: the same totals", v["totals"] == r["totals"])
worst = max(abs(a["t_ms"] - b["t_ms"])
            for sv, sr in zip(v["scenarios"], r["scenarios"])
            for a, b in zip(sv["steps"], sr["steps"]))
check(f"scripted flows: every step's time within 25 ms ({worst} ms)", worst <= 25)
sys.exit(0 if ok else 1)
PY

closing
