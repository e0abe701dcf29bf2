#!/usr/bin/env bash
# cost: 45
# The phone-firmware CI gate, end to end, with a baresip (Debian package)
# as the handset A on 127.0.0.30: a suite of two flows in one invocation
# (A calls B, B calls A), each with the device
#   reset before it but the first (testbed reset: {between: true}): the
#     baresip driver makes it quit and starts it again (start:), and the
#     flow waits until its control socket answers
#   registered with the simulated registrar P (register:, digest): its
#     200 OK lists the binding (RFC 3261 §10.3 step 8)
#   in a call with SRTP (its srtp module, mediaenc=srtp-mand) where
#     Debian's baresip has it, both audio directions judged: B's 650 Hz
#     from the device's own recording, its 1000 Hz by B's ears
# and a flow that fails followed by one that passes with reset:
# {after-failure: true}: reset only after the failure; a person at the
# device (the manual driver, tests/hil/person.py) saying whether they
# hear the call judges the direction towards it; the device provisioned
# by sipflow (its accounts file written, restarted, registering itself).
# Negatives: a device that does not come back after its reset (its start:
# starts nothing): the next flow fails at reset@A naming the scenario and
# the wait; a person who hears nothing; a provision the device does not
# take (no REGISTER); at load (exit 2): srtp: on a device not
# provisioned, reset: on a baresip without start:, on a simulated role,
# or not true/false.
# usage: hil-gate.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/checks.sh
. "$src/tests/interop/lib/checks.sh"
need baresip tshark
# shellcheck source=lib/baresip.sh
. "$src/tests/interop/lib/baresip.sh"

rec="$out/rec" dev="$out/alice"
SRTP= CRYPTO= MEDIAENC=
if [ -f /usr/lib/baresip/modules/srtp.so ]; then
	SRTP=srtp.so MEDIAENC=';mediaenc=srtp-mand'
	CRYPTO=', srtp: [AES_CM_128_HMAC_SHA1_80]'
fi
ACCOUNT="<sip:alice@example.test>;outbound=\"sip:127.0.0.43:5060\";regint=0;answermode=manual$MEDIAENC"
check "baresip alice (A) comes up on 127.0.0.30, recording into $rec${SRTP:+, with srtp}" \
	"BARESIP_RECORD='$rec' BARESIP_MODULES='$SRTP' BARESIP_ACCOUNT='$ACCOUNT' \
	 start_baresip alice alice 127.0.0.30 30200 127.0.0.43:5060"
# a reset starts it again: its pid in $dev/pid, stopped at the end
START="baresip -f $dev -t 240 >>$dev/log 2>&1 & echo \$! >$dev/pid"
stop_restarted() {
	[ -f "$dev/pid" ] && kill "$(cat "$dev/pid")" 2>/dev/null
	_checks_finish
}
trap stop_restarted EXIT

CTL=127.0.0.30:4444
ACC="${ACCOUNT//\"/\\\"}"
# gatetb FILE RESET START [ACCOUNT-KEY]: A the baresip, B a phone, P the
# registrar; its account line from the testbed (or the key given)
gatetb() {
	cat >"$out/$1" <<YAML
roles:
  B: {address: udp:127.0.0.41:5060}
  P: {address: udp:127.0.0.43:5060}
  A: {kind: dut, address: udp:127.0.0.30:5060, tone: 1000Hz,
      auth: {user: alice, password: lab-secret},
      register: {with: P, timeout: 3s},
      reset: $2,
      driver: {type: baresip, control: "$CTL", ${4:-account: \"$ACC\"},
               start: "$3", recording: "$rec"}}
YAML
}
gatetb gate.yaml '{between: true, timeout: 5s}' "$START"

# scenario NAME CALLER CALLEE B-TONE: CALLER dials, CALLEE answers (A
# through its driver, B by itself), two-way media, CALLER hangs up
scenario() {
	local answer="  - do: A answer"
	[ "$3" = B ] && answer=""
	cat >"$out/$1.yaml" <<YAML
scenario: $1
roles:
  A: {kind: phone, user: alice, proxy: P}
  B: {kind: phone, user: bob, proxy: P, tone: $4, auto-answer: 0s$CRYPTO}
  P: {kind: proxy, domain: example.test, record-route: true}
steps:
  - do: $2 dial $3
  - F1: INVITE $2 -> P
  - F2: INVITE P -> $3
  - F3: 180 Ringing $3 -> P
    optional: true
  - F4: 180 Ringing P -> $2
    optional: true
$answer
  - F5: 200 OK $3 -> P
    within: 2s
  - F6: 200 OK P -> $2
  - F7: ACK $2 -> P
  - F8: ACK P -> $3
  - media: {between: [A, B], expect: two-way, for: 2s}
  - do: $2 hangup
  - F9: BYE $2 -> P
  - F10: BYE P -> $3
  - F11: 200 OK $3 -> P
  - F12: 200 OK P -> $2
YAML
}
scenario gate-out A B 650Hz
scenario gate-in B A 650Hz
scenario gate-fail A B 700Hz
sed -i 's/between: \[A, B\], expect: two-way, for: 2s/from: B, to: A, expect: tone 650Hz, for: 1s/' \
	"$out/gate-fail.yaml"

run() {  # run NAME TESTBED SCENARIO...: output in $out/NAME.txt, rc
	local name=$1 tb=$2; shift 2
	"$sipflow" run --verbose "$@" --testbed "$out/$tb" --out "$out/$name" \
		--timeout 3s >"$out/$name.txt" 2>&1
	rc=$?
	cat "$out/$name.txt"
}
has() { grep -qE -- "$2" "$out/$1.txt"; }
step() { grep -qE "^ +$2 .* $3( |\$)" "$out/$1.txt"; }
# verdict NAME N PASS|FAIL SCENARIO: the Nth flow's closing line
verdict() { grep -qE "^\[$2/[0-9]+\] $3 $4:" "$out/$1.txt"; }
# nth NAME N ID VERDICT: step ID of the Nth flow of the run has VERDICT
nth() {
	awk -v n="$2" '/^\[[0-9]+\/[0-9]+\] (PASS|FAIL|SKIP) /{k++} k==n-1' \
		"$out/$1.txt" | grep -qE "^ +$3 .* $4( |\$)"
}

# 1. the suite: two flows, the device reset between them
run gate gate.yaml "$out/gate-out.yaml" "$out/gate-in.yaml"
check "gate: both flows pass (exit 0)" \
	"[ $rc -eq 0 ] && verdict gate 1 PASS gate-out && verdict gate 2 PASS gate-in"
check "… the first flow is not reset, the second is, before its registration" \
	"! nth gate 1 'do A reset' pass && nth gate 2 'do A reset' pass &&
	 [ \"\$(grep -oE '^ +(do A reset|reg-A|F1) ' '$out/gate.txt' | tail -3 |
	   tr -s ' ' | tr '\n' '/')\" = ' do A reset / reg-A / F1 /' ]"
check "… the driver made baresip quit, started it again, and it came back" \
	"has gate 'baresip quit; starting it again' && has gate 'baresip is back after its reset'"
check "… a new baresip process runs (its pid from start:)" \
	"[ -f '$dev/pid' ] && kill -0 \$(cat '$dev/pid')"
check "… both flows register with digest: REGISTER, 401, REGISTER, 200 OK" \
	"[ \$(grep -cE '^ +reg-A-ok .* pass' '$out/gate.txt') -eq 2 ] &&
	 [ \$(grep -cE '^ +reg-A-auth .* pass' '$out/gate.txt') -eq 2 ]"
check "… the registrar's 200 OK lists the device's binding with its expires (RFC 3261 §10.3)" \
	"tshark -r '$out/gate/gate-in.pcapng' -Y 'sip.Status-Code==200 && sip.CSeq.method==REGISTER' \
		-T fields -e sip.Contact 2>/dev/null | grep -qE '<sip:alice[^>]*@127\\.0\\.0\\.30[^>]*>;expires=3600'"
check "… B -> A judged from the device's recording (B's 650 Hz), A -> B by B's ears (1000 Hz), in both flows" \
	"[ \$(grep -cE 'B -> A \\(the device.s recording $rec/dump-[0-9-]+-dec\\.wav\\): [0-9]+ ms, level -[0-9.]+ dBov, strongest tone 650 Hz' '$out/gate.txt') -eq 2 ] &&
	 ! has gate '-> [AB] not measured'"
if [ -n "$SRTP" ]; then
	check "… the media is SRTP: the device offers RTP/SAVP with a=crypto, B answers it" \
		"tshark -r '$out/gate/gate-out.pcapng' -Y 'sdp.media.proto==\"RTP/SAVP\" && ip.src==127.0.0.30' \
			2>/dev/null | grep -q INVITE && tshark -r '$out/gate/gate-in.pcapng' -Y 'sdp && ip.src==127.0.0.30' \
			-T fields -e sdp.media_attr 2>/dev/null | grep -q 'crypto:1 AES_CM_128_HMAC_SHA1_80'"
else
	echo "note: Debian's baresip has no srtp module here: the gate runs on RTP"
fi

# 2. reset after a failure only
gatetb af.yaml '{after-failure: true, timeout: 5s}' "$START"
run af af.yaml "$out/gate-fail.yaml" "$out/gate-out.yaml" "$out/gate-in.yaml"
check "after-failure: the failed flow fails (B's 700 Hz heard where 650 Hz is wanted), the two after it pass" \
	"[ $rc -eq 1 ] && verdict af 1 FAIL gate-fail && verdict af 2 PASS gate-out &&
	 verdict af 3 PASS gate-in"
check "… the device is reset before the flow after the failure, not before the next" \
	"nth af 2 'do A reset' pass && ! nth af 3 'do A reset' pass &&
	 ! nth af 1 'do A reset' pass"

# 3. a person listening at the device (manual driver, no recording):
# their y or n is the verdict of the direction towards it; person.py
# presses the keys on the baresip for them (through its control socket)
cat >"$out/man.yaml" <<YAML
roles:
  B: {address: udp:127.0.0.41:5060}
  P: {address: udp:127.0.0.43:5060}
  A: {kind: dut, address: udp:127.0.0.30:5060, tone: 1000Hz,
      driver: {type: manual, timeout: 10s}}
YAML
person() {  # person NAME SCENARIO [--deaf]: a person at A
	python3 "$src/tests/hil/person.py" "$CTL" ${3:-} -- "$sipflow" run \
		--verbose "$out/$2.yaml" --testbed "$out/man.yaml" \
		--out "$out/$1" --timeout 3s >"$out/$1.txt" 2>&1
	rc=$?
	cat "$out/$1.txt"
}
person man gate-in
check "a person at the device: asked to listen when the audio towards it plays, says y: the flow passes" \
	"[ $rc -eq 0 ] && has man '^prompt: \\[sipflow\\] Phone A: listen: do you hear' &&
	 has man 'B -> A: the person at A heard it' && ! has man '-> A not measured'"
person deaf gate-out --deaf
# the failed flow leaves its call at the baresip, whose BYE nobody
# answers once the run is over (baresip would wait for it at quit): a
# fresh baresip for what follows
kill -9 "$(cat "$dev/pid")" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$(cat "$dev/pid")" 2>/dev/null || break; sleep 0.1; done
BARESIP_RECORD="$rec" BARESIP_MODULES="$SRTP" BARESIP_ACCOUNT="$ACCOUNT" \
	start_baresip alice alice 127.0.0.30 30200 127.0.0.43:5060 >/dev/null
check "… says n (A calling B this time): the media step fails with their words" \
	"[ $rc -eq 1 ] && grep -A1 -E '^ +media A <-> B two-way +FAIL' '$out/deaf.txt' |
	 grep -q 'B -> A: the person at A said they heard nothing: the handset is silent'"

# 4. provisioning: sipflow writes baresip's accounts file for the flow
# (its role's account, P as outbound proxy, the testbed's credentials,
# SRTP as the role's srtp: says) and restarts it; it registers by itself
provtb() {  # provtb FILE DIR: A provisioned into DIR, no account: line
	gatetb "$1" '{between: true, timeout: 5s}' "$START" "provision: \"$2\""
}
sed "s/  A: {kind: phone, user: alice, proxy: P}/  A: {kind: phone, user: alice, proxy: P$CRYPTO}/" \
	"$out/gate-out.yaml" >"$out/gate-prov.yaml"
sed -i 's/^scenario: gate-out/scenario: gate-prov/' "$out/gate-prov.yaml"
# negative first, while baresip's own accounts file does not register:
# the provision goes where the device does not read it
mkdir -p "$out/elsewhere"
provtb notaken.yaml "$out/elsewhere"
sed -i 's/register: {with: P, timeout: 3s}/register: {with: P, timeout: 1s}/' "$out/notaken.yaml"
run notaken notaken.yaml "$out/gate-prov.yaml"
check "a provision the device does not take: exit 1, reg-A fails for want of its REGISTER" \
	"[ $rc -eq 1 ] && step notaken 'do A provision' pass &&
	 grep -A1 -E '^ +reg-A +REGISTER +A -> P +FAIL' '$out/notaken.txt' |
	 grep -q 'no REGISTER from A at P within 1.0 s'"
provtb prov.yaml "$dev"
run prov prov.yaml "$out/gate-prov.yaml"
check "provision: the flow passes after the device took its provisioned account" \
	"[ $rc -eq 0 ] && step prov 'do A provision' pass && step prov reg-A-ok pass &&
	 ! has prov 'do A register'"
check "… the accounts file sipflow wrote: the role's account, P, digest, regint, SRTP as srtp: says, mode 0600" \
	"grep -qE '^<sip:alice@example.test>;outbound=\"sip:127.0.0.43:5060\";auth_user=alice;auth_pass=lab-secret;regint=3600;answermode=manual${MEDIAENC}\$' '$dev/accounts' &&
	 [ \$(stat -c %a '$dev/accounts') = 600 ] && ! grep -q lab-secret '$out/prov.txt'"

# negatives at load: reset: where nothing can reset
lint() {  # lint NAME: gate-out against $out/NAME.yaml, output NAME.txt
	"$sipflow" lint "$out/gate-out.yaml" --testbed "$out/$1.yaml" \
		>"$out/$1.txt" 2>&1
	rc=$?
}
gatetb nostart.yaml '{between: true}' ""
sed -i 's/start: "", //' "$out/nostart.yaml"
lint nostart
check "lint: reset: on a baresip without start: is an error at reset: (exit 2)" \
	"[ $rc -eq 2 ] && has nostart 'nostart.yaml:[0-9]+:[0-9]+: role A: reset: its driver \\(baresip\\) cannot reset it: .*no start: command'"
printf 'roles:\n  B: {address: udp:127.0.0.41:5060, reset: {between: true}}\n' \
	>"$out/sim.yaml"
lint sim
check "lint: reset: on a simulated role is an error at reset: (exit 2)" \
	"[ $rc -eq 2 ] && has sim 'sim.yaml:2:[0-9]+: role B: reset: needs a device with a driver'"
printf '%s\n' 'roles:' \
	'  A: {kind: dut, address: udp:127.0.0.30:5060, reset: {between: maybe},' \
	'      driver: {type: yealink-http, url: "http://127.0.0.30:8080"}}' \
	>"$out/yl.yaml"
lint yl
check "lint: reset: {between: maybe} is an error at its value (exit 2)" \
	"[ $rc -eq 2 ] && has yl \"yl.yaml:2:[0-9]+: role A: reset: between: 'maybe' is not true or false\""

"$sipflow" lint "$out/gate-prov.yaml" --testbed "$out/gate.yaml" >"$out/srtp.txt" 2>&1
rc=$?
[ -n "$SRTP" ] &&
check "lint: srtp: on the device's role without provision: is an error at srtp: (exit 2)" \
	"[ $rc -eq 2 ] && has srtp 'gate-prov.yaml:3:[0-9]+: A is bound to device udp:127.0.0.30:5060 \\(driver baresip\\), which cannot apply srtp:'"

# 5. negative: the device does not come back (its start: starts nothing)
gatetb gone.yaml '{between: true, timeout: 1s}' "true"
run gone gone.yaml "$out/gate-out.yaml" "$out/gate-in.yaml"
check "a device that does not come back: exit 1, the second flow fails at reset@A" \
	"[ $rc -eq 1 ] && verdict gone 1 PASS gate-out && verdict gone 2 FAIL gate-in"
check "… naming the wait: not back within 1.0 s of its reset, its control socket refusing" \
	"grep -A1 -E '^ +do A reset +FAIL' '$out/gone.txt' | grep -qE \"A's driver \\(baresip at $CTL\\) failed: the device was not back within 1\\.0 s of its reset \\(baresip's control socket at $CTL does not answer: Connection refused\\)\""
check "… nothing of that flow is played; the summary names the scenario and the step" \
	"nth gone 2 F1 'not run' && nth gone 2 reg-A 'not run' &&
	 grep -A1 '^  gate-in: reset@A do A reset' '$out/gone.txt' | grep -q 'not back within 1.0 s'"
