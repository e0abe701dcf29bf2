#!/usr/bin/env bash
# cost: 45
# A device's registration through its driver and the testbed, with a
# baresip (Debian package) in the handset's place on 127.0.0.30:
#   testbed register: {with: P, timeout:} on the device: its REGISTER,
#     challenged with digest by the simulated registrar P, before the
#     flow's first step; pressed through the baresip driver (uanew with
#     the testbed's account: line) or an exec command; undone at teardown
#     so the next invocation registers afresh
#   do: A register / unregister as steps (tests/hil/register-unregister.yaml)
#   event: steps (tests/hil/events.yaml) through baresip's control socket
#     and through the Yealink stand-in's Action URLs
# Negatives: a REGISTER that never comes, a wrong password, register on a
# driver that cannot (yealink-http, baresip without account:), a
# registrar that is a device too; an event that does not come (another
# does), an event name the driver does not report, a driver with no
# events, a flow with event: steps and no device.
# usage: hil-device.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
hil="$src/tests/hil"
yl="$src/scenarios/yealink"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$src/tests/interop/lib/checks.sh"
need baresip tshark
# shellcheck source=lib/baresip.sh
. "$src/tests/interop/lib/baresip.sh"

check "baresip alice (A) comes up on 127.0.0.30" \
	"start_baresip alice alice 127.0.0.30 30200 127.0.0.43:5060"

CTL="127.0.0.30:4444"
ACCOUNT='<sip:alice@example.test>;outbound=\"sip:127.0.0.43:5060\";answermode=manual'

# devtb FILE DRIVER [REGISTER] [AUTH]: A is the baresip, the rest simulated
devtb() {
	{
		echo "roles:"
		echo "  B: {address: udp:127.0.0.41:5060}"
		echo "  C: {address: udp:127.0.0.42:5060}"
		echo "  P: {address: udp:127.0.0.43:5060}"
		echo "  A: {kind: dut, address: udp:127.0.0.30:5060, tone: 1000Hz,"
		[ -n "${4-}" ] && echo "      auth: $4,"
		[ -n "${3-}" ] && echo "      register: $3,"
		echo "      driver: $2}"
	} >"$out/$1"
}
run() {
	local name=$1 sc=$2 tb=$3; shift 3
	"$sipflow" run --verbose "$sc" --testbed "$out/$tb" --out "$out/$name" \
		--timeout 3s "$@" >"$out/$name.txt" 2>&1
	rc=$?
}
has() { grep -qE -- "$2" "$out/$1.txt"; }
# lint NAME SCENARIO TESTBED: output in $out/NAME.txt, status in rc
lint() {
	"$sipflow" lint "$2" --testbed "$out/$3" >"$out/$1.txt" 2>&1
	rc=$?
}
# step NAME ID VERDICT: the console line of step ID
step() { grep -qE "^ +$2 .* $3( |\$)" "$out/$1.txt"; }

AUTH='{user: alice, password: lab-secret}'
devtb reg.yaml "{type: baresip, control: \"$CTL\", account: \"$ACCOUNT\"}" \
	'{with: P, timeout: 3s}' "$AUTH"

# 1. the registration before the flow, through the driver, with digest
run reg1 "$yl/basic-call-phones.yaml" reg.yaml
check "register: {with: P}: the flow passes after the device registered" \
	"[ $rc -eq 0 ]"
check "… the driver pressed register first (baresip's account made anew)" \
	"has reg1 'note: setup@A: A register through baresip at $CTL' &&
	 step reg1 'do A register' pass"
check "… REGISTER, P's 401 challenge, REGISTER with valid credentials, 200 OK, before F1" \
	"step reg1 reg-A pass && step reg1 reg-A-401 pass &&
	 step reg1 reg-A-auth pass && step reg1 reg-A-ok pass &&
	 [ \"\$(grep -nE '^ +(reg-A-ok|F1) ' '$out/reg1.txt' | cut -d: -f2 |
	   awk '{print \$1}' | tr '\n' ' ')\" = 'reg-A-ok F1 ' ]"
check "… the device says it registered (its REGISTER_OK event)" \
	"has reg1 'device A: REGISTER_OK'"
check "… the pcap has the REGISTER with the digest answer from the device" \
	"tshark -r '$out/reg1/basic-call-phones.pcapng' \
		-Y 'sip.Method==REGISTER && ip.src==127.0.0.30 && sip.Authorization' \
		2>/dev/null | grep -q REGISTER"
check "… the password is nowhere in the report or the console" \
	"! grep -rq lab-secret '$out/reg1' '$out/reg1.txt'"
check "… the teardown unregisters it (the next flow waits for a REGISTER of its own)" \
	"has reg1 'note: A: unregister through baresip at $CTL'"

# 2. again, in another invocation, and two flows in one: each registers
run reg2 "$yl/basic-call-phones.yaml" reg.yaml
check "a second invocation registers afresh and passes" \
	"[ $rc -eq 0 ] && step reg2 reg-A-ok pass"
"$sipflow" run --verbose "$yl/basic-call-phones.yaml" "$yl/no-answer-forward-phones.yaml" \
	--testbed "$out/reg.yaml" --out "$out/reg3" --timeout 3s \
	>"$out/reg3.txt" 2>&1
rc=$?
check "two flows in one invocation: both register and pass" \
	"[ $rc -eq 0 ] && [ \$(grep -cE '^ +reg-A-ok .* pass' '$out/reg3.txt') -eq 2 ]"

# 3. do: A register / unregister as steps of the flow
devtb noreg.yaml "{type: baresip, control: \"$CTL\", account: \"$ACCOUNT\"}" \
	'' "$AUTH"
run steps "$hil/register-unregister.yaml" noreg.yaml
check "do: A register, do: A unregister through baresip: REGISTER 401 REGISTER 200, then expires=0 and 200" \
	"[ $rc -eq 0 ] && step steps F3 pass && step steps F5 pass &&
	 has steps 'A unregister through baresip at $CTL'"

# 4. exec: the user's own commands register the device
X="python3 $hil/ctl.py $CTL"
# (one python each: under load its start takes seconds)
XREG="$X uadel sip:alice@example.test >/dev/null; $X uanew '$ACCOUNT;regint=3600;auth_user=alice;auth_pass=lab-secret' -- uafind sip:alice@example.test >/dev/null"
XUNREG="$X uadel sip:alice@example.test -- uanew '$ACCOUNT;regint=0' -- uafind sip:alice@example.test >/dev/null"
devtb exec.yaml "{type: exec, commands: {register: \"$XREG\", unregister: \"$XUNREG\", dial: \"$X dial {uri}\", hangup: \"$X hangup\"}}" \
	'{with: P, timeout: 3s}' "$AUTH"
run exec1 "$yl/basic-call-phones.yaml" exec.yaml
check "exec register: command: the device registers before the flow, which passes" \
	"[ $rc -eq 0 ] && step exec1 'do A register' pass && step exec1 reg-A-ok pass &&
	 has exec1 'note: A: unregister through exec'"

# negative: the REGISTER never comes (a driver with no register command,
# a device that does not register by itself): the wait fails, naming it
devtb never.yaml "{type: exec, commands: {dial: \"$X dial {uri}\", hangup: \"$X hangup\"}}" \
	'{with: P, timeout: 1s}' "$AUTH"
run never "$yl/basic-call-phones.yaml" never.yaml
check "REGISTER never comes: exit 1, reg-A fails naming the REGISTER and the bound" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +reg-A +REGISTER +A -> P +FAIL' '$out/never.txt' |
	 grep -q 'no REGISTER from A at P within 1.0 s'"
check "… nothing of the flow is played" \
	"step never F1 'not run' && ! has never 'do A register'"

# negative: the device answers the challenge with a wrong password
WRONG='<sip:alice@example.test>;outbound=\"sip:127.0.0.43:5060\";auth_pass=wrong;answermode=manual'
devtb wrong.yaml "{type: baresip, control: \"$CTL\", account: \"$WRONG\"}" \
	'{with: P, timeout: 3s}' "$AUTH"
run wrong "$yl/basic-call-phones.yaml" wrong.yaml
check "wrong password on the device: exit 1, reg-A-auth fails on its credentials" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +reg-A-auth .*FAIL' '$out/wrong.txt' | grep -q 'digest response does not match for user alice realm example.test (wrong password?)'"

# negative: drivers that cannot register, at lint time and skipped by run
devtb yl.yaml '{type: yealink-http, url: "http://127.0.0.30:8080"}'
lint lint-yl "$hil/register-unregister.yaml" yl.yaml
check "lint: do: A register on yealink-http is an error at the step (exit 2), saying why" \
	"[ $rc -eq 2 ] && has lint-yl 'register-unregister.yaml:[0-9]+:[0-9]+: .*A register.*yealink-http.*no key that registers or unregisters a line'"
devtb noacc.yaml "{type: baresip, control: \"$CTL\"}"
lint lint-noacc "$hil/register-unregister.yaml" noacc.yaml
check "lint: do: A register on baresip without account: is an error naming the key" \
	"[ $rc -eq 2 ] && has lint-noacc 'no account: line'"

# negative: the registrar is a device too: nobody to answer the REGISTER
devtb dutp.yaml "{type: baresip, control: \"$CTL\", account: \"$ACCOUNT\"}" P
echo "  P: {kind: dut, address: udp:127.0.0.43:5060}" >>"$out/dutp.yaml"
lint lint-dutp "$yl/basic-call-phones.yaml" dutp.yaml
check "lint: a device registering with a device: exit 2, named" \
	"[ $rc -eq 2 ] && has lint-dutp 'the testbed registers device A with P, a device too'"

# --- event: steps -------------------------------------------------------
devtb ev.yaml "{type: baresip, control: \"$CTL\"}"
run ev "$hil/events.yaml" ev.yaml
check "event: steps through baresip: incoming_call, call_established, call_terminated pass" \
	"[ $rc -eq 0 ] && step ev 'event A incoming_call' pass &&
	 step ev 'event A call_established' pass && step ev 'event A call_terminated' pass"
check "… the run's log names the event and how long after its stimulus" \
	"has ev 'A reported incoming_call sip:bob@example.test \\(\\+[0-9]+ ms\\)'"

# negative: the event expected does not come; another does
sed 's/name: incoming_call, within: 1s/name: log_on, within: 500ms/' \
	"$hil/events.yaml" >"$out/ev-none.yaml"
run ev-none "$out/ev-none.yaml" ev.yaml
check "an event that does not come: exit 1, the step fails naming its stimulus and what came instead" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +event A log_on +FAIL' '$out/ev-none.txt' |
	 grep -qE 'no log_on event from A within 0.5 s of F2; A reported incoming_call \\(\\+[0-9]+ ms\\)'"
check "… the flow stops there" "step ev-none F3 'not run'"

# negative: an event the device reported before the step's stimulus is
# not taken (incoming_call expected after do: A answer, which comes at
# least 200 ms after the device's last message)
sed 's/^  - event: {from: A, name: incoming_call, within: 1s}$//; s/^  - do: A answer$/&\n  - event: {from: A, name: incoming_call, within: 300ms}/' \
	"$hil/events.yaml" >"$out/ev-early.yaml"
run ev-early "$out/ev-early.yaml" ev.yaml
check "an event the device reported before the step's stimulus: fails, saying it came before" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +event A incoming_call +FAIL' '$out/ev-early.txt' |
	 grep -qE 'no incoming_call event from A within 0.3 s of do@L[0-9]+; A reported incoming_call \\([0-9]+ ms before it\\)'"

# negative, at lint time: a name baresip does not report, a driver that
# reports none, a flow with event: steps played without a device
sed 's/name: incoming_call/name: ringing/' "$hil/events.yaml" >"$out/ev-name.yaml"
lint lint-evname "$out/ev-name.yaml" ev.yaml
check "lint: an event name baresip does not report: exit 2 at the step, the names it does listed" \
	"[ $rc -eq 2 ] && has lint-evname 'ev-name.yaml:[0-9]+:[0-9]+: event: A ringing: A.s driver \\(baresip\\) cannot report it: it reports no event of that name \\(events: incoming_call, call_established'"
devtb evx.yaml "{type: exec, commands: {answer: true, hangup: true}}"
lint lint-evx "$hil/events.yaml" evx.yaml
check "lint: event: on an exec device: exit 2, it reports no events" \
	"[ $rc -eq 2 ] && has lint-evx 'A.s driver \\(exec\\) cannot report it: it reports no events'"
"$sipflow" run "$hil/events.yaml" --out "$out/ev-self" >"$out/ev-self.txt" 2>&1
rc=$?
check "self-play: a flow with event: steps is skipped, saying only a device reports events" \
	"[ $rc -eq 0 ] && has ev-self 'SKIP events: .*A is not bound to a device .*only a device.s driver reports events'"

# --- the same through the Yealink stand-in's Action URLs ----------------
# (it takes over alice's control socket: one client at a time, so last)
python3 "$hil/yealink_endpoint.py" 127.0.0.30:8080 "$CTL" \
	127.0.0.44:8081 admin lab-pw "$out/yealink.log" 120 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
	python3 -c "import socket;socket.create_connection(('127.0.0.30',8080),1)" 2>/dev/null && break
	sleep 0.2
done
YL='{type: yealink-http, url: "http://127.0.0.30:8080", user: admin, password: lab-pw'
devtb yl.yaml "$YL, events: \"127.0.0.44:8081\"}"
run yl-ev "$hil/events.yaml" yl.yaml
check "event: steps through yealink-http: the phone's Action URLs pass them" \
	"[ $rc -eq 0 ] && step yl-ev 'event A incoming_call' pass &&
	 step yl-ev 'event A call_established' pass && step yl-ev 'event A call_terminated' pass &&
	 has yl-ev 'device A: Action URL /event\\?name=incoming_call'"
devtb yl-noev.yaml "$YL}"
lint lint-ylnoev "$hil/events.yaml" yl-noev.yaml
check "lint: event: through yealink-http without an events: listener: exit 2, named" \
	"[ $rc -eq 2 ] && has lint-ylnoev 'cannot report it: the testbed gives it no events: listener'"

# --- Yealink fidelity: outgoing_uri is the phone's own line -----------
run yl-call "$yl/basic-call-phones.yaml" yl.yaml
check "yealink-http dial: number= the callee, outgoing_uri= the phone's own line (the role's AOR)" \
	"[ $rc -eq 0 ] &&
	 grep -qx 'GET /servlet?key=number=bob&outgoing_uri=alice@example.test auth=admin:ok' '$out/yealink.log'"
# negative: the stand-in refuses a callee in outgoing_uri, as the phone
# would (the old key sequence, given as the testbed's)
devtb yl-old.yaml "$YL, keys: {dial: \"number={user}&outgoing_uri={uri}\"}}"
run yl-old "$yl/basic-call-phones.yaml" yl-old.yaml
check "a callee in outgoing_uri: the phone refuses it, do A dial fails naming the request" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +do A dial B +FAIL' '$out/yl-old.txt' |
	 grep -q 'the phone answered HTTP 400 Bad Request to ?key=number=bob&outgoing_uri=sip:bob@example.test'"
# key sequences per verb from the testbed (firmware differs)
devtb yl-keys.yaml "$YL, line: alice@example.test, keys: {dial: \"number={user}\", hangup: [CALLEND]}}"
run yl-keys "$yl/basic-call-phones.yaml" yl-keys.yaml
check "keys: from the testbed replace a verb's sequence (dial without outgoing_uri: the phone's default line)" \
	"[ $rc -eq 0 ] && grep -qx 'GET /servlet?key=number=bob auth=admin:ok' '$out/yealink.log'"
devtb yl-badkeys.yaml "$YL, keys: {set: OK, dial: [a, b, c, d, e]}}"
lint lint-ylkeys "$yl/basic-call-phones.yaml" yl-badkeys.yaml
check "lint: keys: for set:, and more than 4 requests: exit 2 at their place" \
	"[ $rc -eq 2 ] && has lint-ylkeys 'yl-badkeys.yaml:[0-9]+:[0-9]+: role A: driver: keys: .set. is not a do: verb with keys' &&
	 has lint-ylkeys 'yl-badkeys.yaml:[0-9]+:[0-9]+: role A: driver: keys: dial: at most 4 requests'"
