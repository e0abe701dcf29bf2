#!/usr/bin/env bash
# cost: 60
# Hardware in the loop with real software in the handset's place: two
# baresip (Debian package) on loopback, driven through each driver kind.
#   baresip driver: the three Yealink flows with baresip as A (it dials,
#     follows the 302, acts on the REFER); baresip as B answers and hangs
#     up on command; its 1000 Hz sine is checked by the media steps
#   yealink-http: the same flows through an Action URI endpoint that
#     presses the keys on that baresip (tests/hil/yealink_endpoint.py)
#   exec, manual: a command per verb; a person (tests/hil/person.py)
# Negatives: B never told to answer, a wrong tone, a verb the driver
# cannot do (lint time), a wrong password, a malformed control message,
# a baresip that dies, one that is not there, a failing command, a person
# who says no.
# usage: hil.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
hil="$src/tests/hil"
yl="$src/scenarios/yealink"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$src/tests/interop/lib/checks.sh"
need baresip chromium tshark
# a baresip on its own loopback address (start_baresip)
. "$src/tests/interop/lib/baresip.sh"

check "baresip alice (A) comes up on 127.0.0.30" \
	"start_baresip alice alice 127.0.0.30 30200 127.0.0.43:5060"
check "baresip bob (B) comes up on 127.0.0.31" \
	"start_baresip bob bob 127.0.0.31 30400 127.0.0.43:5060"

# testbeds (testbed FILE ROLE DRIVER-MAPPING [TONE]): the devices, and
# the simulated roles elsewhere
DEV_A=127.0.0.30 DEV_B=127.0.0.31
SIM_A=127.0.0.40 SIM_B=127.0.0.41 SIM_C=127.0.0.42 SIM_P=127.0.0.43

# run NAME SCENARIO TESTBED [ENV…]: output in $out/NAME.txt, status in rc
run() {
	local name=$1 sc=$2 tb=$3; shift 3
	env "$@" "$sipflow" run --verbose "$sc" --testbed "$out/$tb" --out "$out/$name" \
		--timeout 3s >"$out/$name.txt" 2>&1
	rc=$?
}
has() { grep -qE -- "$2" "$out/$1.txt"; }

# --- baresip driver ------------------------------------------------------
testbed a.yaml A '{type: baresip, control: "127.0.0.30:4444"}'
testbed b.yaml B '{type: baresip, control: "127.0.0.31:4444"}'

for f in basic-call-phones no-answer-forward-phones blind-transfer-phones; do
	run "bs-$f" "$yl/$f.yaml" a.yaml
	check "baresip as A: $f passes" "[ $rc -eq 0 ]"
done
check "baresip as A: dial went through the driver to the device" \
	"has bs-basic-call-phones 'A dial B through baresip at 127.0.0.30:4444: sip:bob@example.test'"
check "baresip as A: B hears A's 1000 Hz sine (media step measured it)" \
	"has bs-basic-call-phones 'A -> B: [0-9]+ packets, loss'"
check "baresip as A: followed the 302 (F9 INVITE to C passed)" \
	"has bs-no-answer-forward-phones '^ +F9 +INVITE +A -> P +pass'"
check "baresip as A: acted on the REFER (F17 INVITE to C, F25 NOTIFY 200)" \
	"has bs-blind-transfer-phones '^ +F17 +INVITE +A -> P +pass' && has bs-blind-transfer-phones '^ +F25 +NOTIFY +A -> P +pass'"
check "baresip as A: its events are in the log" \
	"has bs-basic-call-phones 'device A: CALL_ESTABLISHED'"
# the HTML report shows the same reaction times as the console
chrome=$(command -v chromium)
check "HTML report: the do: step shows the driver's time, the device's step its reaction" \
	"[ -n '$chrome' ] && '$chrome' --headless --no-sandbox --disable-gpu \
		--no-first-run --disable-background-networking --disable-sync \
		--user-data-dir='$out/chrome' --virtual-time-budget=3000 \
		--dump-dom 'file://$out/bs-basic-call-phones/report.html' \
		>'$out/bs.dom' 2>/dev/null &&
	grep -qE '<td>pass \(driver [0-9]+ ms\)</td>' '$out/bs.dom' &&
	grep -qE '<td>pass \(device [0-9]+ ms\)</td>' '$out/bs.dom'"
check "pcap: the device's own packets are in the run's capture" \
	"tshark -r '$out/bs-basic-call-phones/basic-call-phones.pcapng' -Y 'sip && ip.src==127.0.0.30' 2>/dev/null | grep -q INVITE"

# the testbed's capture: puts the device's own packets in the run's pcap
# (live, libpcap on lo), each once
testbed acap.yaml A '{type: baresip, control: "127.0.0.30:4444"}'
sed -i 's/^  A: {kind: dut,/  A: {kind: dut, capture: {interface: lo},/' "$out/acap.yaml"
run bs-cap "$yl/basic-call-phones.yaml" acap.yaml
n=$(tshark -r "$out/bs-cap/basic-call-phones.pcapng" -Y 'sip.Method==INVITE && ip.src==127.0.0.30 && !(sip.resend == 1)' 2>/dev/null | wc -l)
check "capture: {interface: lo} in the testbed: passes, the device's INVITE once in the pcap ($n)" \
	"[ $rc -eq 0 ] && [ $n -eq 1 ]"

sed 's/interface: lo/interface: nosuch0/' "$out/acap.yaml" >"$out/acap2.yaml"
run bs-cap2 "$yl/basic-call-phones.yaml" acap2.yaml
check "capture: on an interface that does not exist: exit 2, named" \
	"[ $rc -eq 2 ] && has bs-cap2 'testbed capture: of A: nosuch0: No such device'"

run bs-b-basic "$yl/basic-call-phones.yaml" b.yaml
check "baresip as B: answers on command (basic call passes)" "[ $rc -eq 0 ]"
run bs-b-hangup "$hil/callee-hangs-up.yaml" b.yaml
check "baresip as B: hangs up on command (BYE B -> P within 1 s)" \
	"[ $rc -eq 0 ] && has bs-b-hangup '^ +F9 +BYE +B -> P +pass'"

# a setting the driver can apply: the scenario's auto-answer: 0s reaches
# baresip (answermode auto) before the first step, and B answers by itself
run bs-b-auto "$hil/auto-answer.yaml" b.yaml
check "baresip as B: auto-answer: 0s applied through the driver, the call is answered without do: B answer" \
	"[ $rc -eq 0 ] && has bs-b-auto 'note: B: set auto-answer: 0s through baresip at 127.0.0.31:4444' &&
	 has bs-b-auto '^ +F5 +200 OK +B -> P +pass'"
# negative, and back to answering when told: auto-answer: off (answermode
# manual) leaves the call ringing, and F5 says so
sed 's/auto-answer: 0s/auto-answer: off/' "$hil/auto-answer.yaml" >"$out/auto-off.yaml"
run bs-b-auto-off "$out/auto-off.yaml" b.yaml
check "baresip as B: auto-answer: off applied: F5 fails, no 200 OK" \
	"[ $rc -eq 1 ] && has bs-b-auto-off 'note: B: set auto-answer: off through baresip' &&
	 grep -A1 -E '^ +F5 +200 OK +B -> P +FAIL' '$out/bs-b-auto-off.txt' | grep -q 'no 200 OK from B at P within'"
# a setting baresip cannot apply: the run skips the flow, naming the
# setting, role and driver; lint --testbed calls it an error
run bs-b-busy "$src/scenarios/yealink/busy-phones.yaml" b.yaml
check "baresip as B: busy: true skipped before the run (exit 0), naming the setting, role and driver" \
	"[ $rc -eq 0 ] && has bs-b-busy 'SKIP busy-phones: .*busy-phones.yaml:[0-9]+:[0-9]+: B is bound to device udp:127.0.0.31:5060 \\(driver baresip\\), which cannot apply busy: true'"
"$sipflow" lint "$src/scenarios/yealink/busy-phones.yaml" --testbed "$out/b.yaml" \
	>"$out/lint-busy.txt" 2>&1
rc=$?
check "sipflow lint --testbed: busy: true on baresip is an error, exit 2" \
	"[ $rc -eq 2 ] && has lint-busy 'which cannot apply busy: true'"

# negative: B is never told to answer
sed '/do: B answer/d' "$yl/basic-call-phones.yaml" >"$out/no-answer.yaml"
run bs-noanswer "$out/no-answer.yaml" b.yaml
check "B not told to answer: exit 1, F5 fails naming the 200 OK it waited for" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +F5 +200 OK +B -> P +FAIL' '$out/bs-noanswer.txt' | grep -q 'no 200 OK from B at P within'"

# negative: the device sends another tone than the testbed says
testbed a700.yaml A '{type: baresip, control: "127.0.0.30:4444"}' 700Hz
run bs-tone "$yl/basic-call-phones.yaml" a700.yaml
check "wrong tone from the device: the media step fails with what it measured" \
	"[ $rc -eq 1 ] && has bs-tone 'A -> B: expected the talker.s tone at 700 Hz, measured a share of'"

# negative: a verb the driver cannot do: the run skips the flow, naming
# the step's line
run bs-lint "$yl/attended-transfer-phones.yaml" b.yaml
check "attended transfer through baresip: skipped (exit 0) at the step's line" \
	"[ $rc -eq 0 ] && has bs-lint 'SKIP attended-transfer-phones: .*attended-transfer-phones.yaml:[0-9]+:[0-9]+: do: B transfer C \\(attended\\): B.s driver \\(baresip\\) cannot do it'"
"$sipflow" lint "$yl/attended-transfer-phones.yaml" --testbed "$out/b.yaml" \
	>"$out/lint.txt" 2>&1
rc=$?
check "sipflow lint --testbed says the same, exit 2" \
	"[ $rc -eq 2 ] && has lint 'cannot do it: baresip transfers blind only'"

# negative: control sockets that misbehave, or none
python3 "$hil/fake_ctrl.py" 127.0.0.32:4444 garbage 60 >"$out/f32.log" 2>&1 & pids+=($!)
python3 "$hil/fake_ctrl.py" 127.0.0.33:4444 close 60 >"$out/f33.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do    # both listening: at most ~5 s
	grep -q listening "$out/f32.log" && grep -q listening "$out/f33.log" && break
	sleep 0.1
done
for m in 32 33 34; do
	cat >"$out/f$m.yaml" <<TB
roles:
  A: {kind: dut, address: udp:127.0.0.$m:5060,
      driver: {type: baresip, control: "127.0.0.$m:4444"}}
  B: {address: udp:127.0.0.41:5060}
  P: {address: udp:127.0.0.43:5060}
TB
	run "fake$m" "$yl/basic-call-phones.yaml" "f$m.yaml"
	eval "rc$m=$rc"
done
check "malformed control message: exit 1, the do: step fails saying so" \
	"[ $rc32 -eq 1 ] && grep -A1 -E '^ +do A dial B +FAIL' '$out/fake32.txt' | grep -q 'sent a malformed control message (not a netstring: \"HTTP/1.0 200 OK\\\\r'"
check "baresip dies mid-run: exit 1, the waiting step names the lost device" \
	"[ $rc33 -eq 1 ] && grep -A1 -E '^ +F1 +INVITE +A -> P +FAIL' '$out/fake33.txt' | grep -q 'device A is out of reach: baresip.s control connection at 127.0.0.33:4444 closed'"
check "no baresip there: exit 1, connection refused named" \
	"[ $rc34 -eq 1 ] && has fake34 'cannot reach baresip.s control socket at 127.0.0.34:4444: Connection refused'"
check "the pcap is written even when the driver fails" \
	"[ -s '$out/fake32/basic-call-phones.pcapng' ]"

# --- yealink-http driver --------------------------------------------------
# the endpoint takes over alice's control socket (one client at a time)
python3 "$hil/yealink_endpoint.py" 127.0.0.30:8080 127.0.0.30:4444 \
	127.0.0.44:8081 admin lab-pw "$out/yealink.log" 180 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
	python3 -c "import socket;socket.create_connection(('127.0.0.30',8080),1)" 2>/dev/null && break
	sleep 0.2
done
testbed y.yaml A '{type: yealink-http, url: "http://127.0.0.30:8080", user: admin, password-env: PHONE_PW, events: "127.0.0.44:8081"}'
for f in basic-call-phones no-answer-forward-phones blind-transfer-phones; do
	run "yl-$f" "$yl/$f.yaml" y.yaml PHONE_PW=lab-pw
	check "yealink-http as A: $f passes" "[ $rc -eq 0 ]"
done
check "yealink-http: dial is number= the callee and outgoing_uri= the phone's own line, with the login" \
	"grep -qx 'GET /servlet?key=number=bob&outgoing_uri=alice@example.test auth=admin:ok' '$out/yealink.log'"
check "yealink-http: hangup is key=CALLEND" \
	"grep -qx 'GET /servlet?key=CALLEND auth=admin:ok' '$out/yealink.log'"
check "yealink-http: every request carried the right login" \
	"! grep -v 'auth=admin:ok\$' '$out/yealink.log' | grep -q ."
check "yealink-http: the phone's Action URL events reached the run's log" \
	"has yl-basic-call-phones 'device A: Action URL /event\\?name=call_established&remote=sip:bob@example.test'"
check "yealink-http: the password is in no report" \
	"! grep -rq lab-pw '$out'/yl-*"
run yl-badpw "$yl/basic-call-phones.yaml" y.yaml PHONE_PW=wrong-pw
check "wrong password: exit 1, the do: step names the HTTP 401" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +do A dial B +FAIL' '$out/yl-badpw.txt' | grep -q 'refused the credentials (HTTP 401 Unauthorized)'"
kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
# alice's control socket takes a client again once baresip saw the
# endpoint's connection close
for _ in $(seq 1 50); do
	python3 "$hil/ctl.py" 127.0.0.30:4444 listcalls >/dev/null 2>&1 && break
	sleep 0.1
done

# --- exec driver ---------------------------------------------------------
ctl="python3 $hil/ctl.py 127.0.0.30:4444"
testbed x.yaml A "{type: exec, commands: {dial: \"$ctl dial {uri}\", hangup: \"$ctl hangup\"}}"
run ex-basic "$yl/basic-call-phones.yaml" x.yaml
check "exec as A: the basic call passes, the command line in the log" \
	"[ $rc -eq 0 ] && has ex-basic \"exec: python3 .*ctl.py 127.0.0.30:4444 dial 'sip:bob@example.test'\""
testbed x2.yaml A "{type: exec, commands: {dial: \"echo no such phone >&2; exit 3\", hangup: \"true\"}}"
run ex-fail "$yl/basic-call-phones.yaml" x2.yaml
check "exec command failing: exit 1, its status and last line named" \
	"[ $rc -eq 1 ] && has ex-fail 'failed: the command exited with 3: no such phone'"
run ex-lint "$yl/hold-resume-phones.yaml" x.yaml
check "exec without a command for hold: skipped (exit 0) at the step's line" \
	"[ $rc -eq 0 ] && has ex-lint 'hold-resume-phones.yaml:[0-9]+:[0-9]+: do: A hold: .*no command for it'"
# set: one command per setting, {setting} and {value} filled in: here a
# script that turns auto-answer into baresip's answer mode
cat >"$out/set-bob.sh" <<SH
#!/bin/sh
[ "\$1" = auto-answer ] || { echo "cannot set \$1" >&2; exit 4; }
case \$2 in 0s) m=auto ;; off) m=manual ;; *) echo "no delay" >&2; exit 4 ;; esac
exec python3 $hil/ctl.py 127.0.0.31:4444 answermode \$m
SH
chmod +x "$out/set-bob.sh"
testbed xs.yaml B "{type: exec, commands: {set: \"$out/set-bob.sh {setting} {value}\"}}"
run ex-set "$hil/auto-answer.yaml" xs.yaml
check "exec as B: its set: command applies auto-answer: 0s and B answers by itself" \
	"[ $rc -eq 0 ] && has ex-set \"exec: .*set-bob.sh 'auto-answer' '0s'\" &&
	 has ex-set '^ +F5 +200 OK +B -> P +pass'"
run ex-set-off "$out/auto-off.yaml" xs.yaml
check "exec as B: auto-answer: off through the same command: F5 fails" \
	"[ $rc -eq 1 ] && has ex-set-off \"exec: .*set-bob.sh 'auto-answer' 'off'\""
testbed xb.yaml B '{type: exec, commands: {answer: "true"}}'
run ex-set-lint "$src/scenarios/yealink/busy-phones.yaml" xb.yaml
check "exec without a set: command: busy: true skipped at its line (exit 0)" \
	"[ $rc -eq 0 ] && has ex-set-lint 'busy-phones.yaml:[0-9]+:[0-9]+: B is bound to device udp:127.0.0.31:5060 \\(driver exec\\), which cannot apply busy: true \\(the testbed gives no command for it'"

# --- manual driver: prompts read and answered through pipes ----------------
testbed m.yaml A '{type: manual, timeout: 20s}'
python3 "$hil/person.py" 127.0.0.30:4444 -- "$sipflow" run --verbose \
	"$yl/basic-call-phones.yaml" --testbed "$out/m.yaml" --out "$out/man" \
	>"$out/man.txt" 2>&1
rc=$?
check "manual as A: the person dials and hangs up when prompted; passes" \
	"[ $rc -eq 0 ] && has man 'prompt: \\[sipflow\\] Phone A: dial bob \\(sip:bob@example.test\\)' && has man 'prompt: \\[sipflow\\] Phone A: hang up'"
python3 "$hil/person.py" 127.0.0.30:4444 --refuse -- "$sipflow" run --verbose \
	"$yl/basic-call-phones.yaml" --testbed "$out/m.yaml" --out "$out/man-no" \
	>"$out/man-no.txt" 2>&1
rc=$?
check "manual: a person who says it cannot be done fails the step with why" \
	"[ $rc -eq 1 ] && has man-no 'the person at the phone said it could not be done: the handset shows no dial tone'"
