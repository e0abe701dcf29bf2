#!/usr/bin/env bash
# cost: 45
# A device's reaction time, with drivers that take time and a device that
# acts on its own (docs/hil.md "Timing"; docs/decisions/0013-…).
#   slow drivers: a baresip (alice) as A behind a control socket that
#     passes each command on 100 ms late and holds its answer 1 s more
#     (tests/hil/slow_ctrl.py); through each driver kind (baresip, exec,
#     manual, yealink-http) the device dials and hangs up ~100 ms after it
#     was asked, while the driver is still busy: its INVITE and BYE are
#     timestamped when they arrive, pass, and their device_ms counts from
#     the moment the driver was asked, apart from the driver's own time
#   auto-answer: a baresip (bob) as B set to answer on its own: its 200 OK
#     comes before `do: B answer`; that step fails saying the device acted
#     before it was asked, naming the message, its frame and how long
#     before; through the manual driver nobody is even asked
# usage: hil-timing.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
hil="$src/tests/hil"
yl="$src/scenarios/yealink"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$src/tests/interop/lib/checks.sh"
need baresip
. "$src/tests/interop/lib/baresip.sh"

# addresses apart from hil.sh's: devices .50 .51, the slow control .52,
# simulated roles .60-.63, Action URL events .64
check "baresip alice (A, answers on command) comes up on 127.0.0.50" \
	"start_baresip alice alice 127.0.0.50 31200 127.0.0.63:5060"
check "baresip bob (B, answers on its own) comes up on 127.0.0.51" \
	"start_baresip bob bob 127.0.0.51 31400 127.0.0.63:5060 auto"

python3 "$hil/slow_ctrl.py" 127.0.0.52:4444 127.0.0.50:4444 0.1 1.0 240 \
	>"$out/slow.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do
	grep -q listening "$out/slow.log" && break
	sleep 0.1
done

# testbeds (testbed FILE ROLE DRIVER-MAPPING): the devices, and the
# simulated roles elsewhere
DEV_A=127.0.0.50 DEV_B=127.0.0.51
SIM_A=127.0.0.60 SIM_B=127.0.0.61 SIM_C=127.0.0.62 SIM_P=127.0.0.63
has() { grep -qE -- "$2" "$out/$1.txt"; }

# the reaction of STEP to the do: step DO in run NAME (tests/hil/reaction.py)
# and the console's `device N ms` for STEP the same figure
reacts() {
	local name=$1 do=$2 step=$3 n
	python3 "$hil/reaction.py" "$out/$name/report.json" "$do" "$step" 1000 80 \
		>>"$out/$name.reaction" || return 1
	n=$(python3 -c "import json,sys;s=json.load(open(sys.argv[1]))['scenarios'][0];print(next(x['device_ms'] for x in s['steps'] if x['id']==sys.argv[2]))" \
		"$out/$name/report.json" "$step")
	grep -qE "^ +$step +.* pass +frame [0-9]+ +device $n ms" "$out/$name.txt"
}

# slow NAME DRIVER-MAPPING [person]: the basic call with alice as A
slow() {
	local name=$1 map=$2
	testbed "$name.yaml" A "$map"
	if [ "${3:-}" = person ]; then
		python3 "$hil/person.py" 127.0.0.52:4444 -- "$sipflow" run --verbose \
			"$yl/basic-call-phones.yaml" --testbed "$out/$name.yaml" \
			--out "$out/$name" --timeout 3s >"$out/$name.txt" 2>&1
	else
		env PHONE_PW=lab-pw "$sipflow" run --verbose "$yl/basic-call-phones.yaml" \
			--testbed "$out/$name.yaml" --out "$out/$name" \
			--timeout 3s >"$out/$name.txt" 2>&1
	fi
	local rc=$?
	check "$name: the basic call passes with a driver that takes 1 s" \
		"[ $rc -eq 0 ]"
	check "$name: F1 INVITE arrived while the driver was busy, device_ms from the request" \
		"reacts $name 'do A dial B' F1"
	check "$name: F9 BYE likewise after do A hangup" \
		"reacts $name 'do A hangup' F9"
}

ctl="python3 $hil/ctl.py 127.0.0.52:4444"
slow slow-baresip '{type: baresip, control: "127.0.0.52:4444"}'
slow slow-exec "{type: exec, commands: {dial: \"$ctl dial {uri}\", hangup: \"$ctl hangup\"}}"
slow slow-manual '{type: manual, timeout: 20s}' person

# the Action URI endpoint presses the keys through the slow control
python3 "$hil/yealink_endpoint.py" 127.0.0.52:8080 127.0.0.52:4444 \
	127.0.0.64:8081 admin lab-pw "$out/yealink.log" 120 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
	python3 -c "import socket;socket.create_connection(('127.0.0.52',8080),1)" 2>/dev/null && break
	sleep 0.2
done
slow slow-yealink '{type: yealink-http, url: "http://127.0.0.52:8080", user: admin, password-env: PHONE_PW}'
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
cat "$out"/*.reaction

# --- a device that acts on its own: bob answers without being asked ------
testbed auto.yaml B '{type: baresip, control: "127.0.0.51:4444"}'
"$sipflow" run --verbose "$yl/basic-call-phones.yaml" --testbed "$out/auto.yaml" \
	--out "$out/auto" --timeout 3s >"$out/auto.txt" 2>&1
rc=$?
check "auto-answer: exit 1, do B answer fails: B acted before it was asked, naming the 200, its frame, how long before" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +do B answer +FAIL' '$out/auto.txt' | grep -qE 'B acted before it was asked: it sent 200 [A-Za-z ]+ to P \\(frame [0-9]+\\) [0-9]+ ms before the driver was to tell it to answer \\(the driver was not asked\\)'"
check "auto-answer: F5 200 OK is not judged as a reaction (not run)" \
	"has auto '^ +F5 +200 OK +B -> P +not run'"

testbed automan.yaml B '{type: manual, timeout: 20s}'
python3 "$hil/person.py" 127.0.0.51:4444 -- "$sipflow" run --verbose \
	"$yl/basic-call-phones.yaml" --testbed "$out/automan.yaml" \
	--out "$out/automan" --timeout 3s >"$out/automan.txt" 2>&1
rc=$?
check "auto-answer, manual driver: exit 1, the same reason, and the person was never asked to answer" \
	"[ $rc -eq 1 ] && has automan 'B acted before it was asked' && ! has automan 'prompt: .*Phone B: answer'"
