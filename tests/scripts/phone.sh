#!/usr/bin/env bash
# cost: 29
# The phone agent's media verdicts: a good call passes every kind of media
# check; each misbehaving phone fails its media step, naming the direction
# and the measured figure. Also: the phone scenarios' pcaps hold both RTP
# streams of each call (tshark -z rtp,streams).
# usage: phone.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark
# lib_variant SCENARIO NAME: the file for a variant of a library flow,
# $out/lib-v/DIR/NAME.yaml next to a link to the library's blocks, so
# that its include: ../blocks/… finds the real ones
mkdir -p "$out/lib-v"; ln -s "$src/scenarios/blocks" "$out/lib-v/blocks"
lib_variant() {
	local d="$out/lib-v/$(basename "$(dirname "$1")")"
	mkdir -p "$d"; echo "$d/$2.yaml"
}

run() {  # run NAME: the scenario tests/phone/NAME.yaml; sets rc
	"$sipflow" run --verbose "$src/tests/phone/$1.yaml" --out "$out/$1" \
		--timeout 3s >"$out/$1.txt" 2>&1
	rc=$?
	cat "$out/$1.txt"
}

# call_setup NAME SED-SCRIPT: media-ok's call set-up (through F4), named
# NAME and edited by the sed script, on standard output
call_setup() {
	sed -n '1,/^  - F4:/p' "$src/tests/phone/media-ok.yaml" |
		sed "s/^scenario: media-ok/scenario: $1/; $2"
}

# verdict NAME STEP-REGEX REASON-REGEX: the step failed with that reason
verdict() {
	grep -A1 -E "^ +$2 +FAIL" "$out/$1.txt" | tail -1 | grep -qE "$3"
}

run media-ok
check "media-ok: every media check passes (exit 0)" "[ $rc -eq 0 ]"

run one-way
check "one-way: exit 1" "[ $rc -eq 1 ]"
# (packets already on their way when B mutes may still arrive; "heard
# nothing" means fewer than half the expected 50)
check "one-way: the two-way step names B -> A and (almost) no packets" \
	"verdict one-way 'media A <-> B two-way' 'B -> A: heard nothing: [0-9]+ RTP packets in 1000 ms \(expected about 50\)'"

run wrong-dtmf
check "wrong-dtmf: exit 1" "[ $rc -eq 1 ]"
check "wrong-dtmf: expected 123#, received 124#" \
	"verdict wrong-dtmf 'media A -> B dtmf 123#' 'expected DTMF \"123#\", received \"124#\"'"

run no-tone
check "no-tone: exit 1" "[ $rc -eq 1 ]"
check "no-tone: silence measured in dBov" \
	"verdict no-tone 'media B -> A tone 1004 Hz' 'B -> A: [0-9]+ packets but only silence \(-[0-9.]+ dBov\)'"

run bad-codec
check "bad-codec: exit 1" "[ $rc -eq 1 ]"
check "bad-codec: payload type 8 was not negotiated" \
	"verdict bad-codec 'media A <-> B two-way' 'B -> A: [0-9]+ packets with payload type 8, which was not negotiated'"

run malformed
check "malformed: exit 1" "[ $rc -eq 1 ]"
check "malformed: bytes libre cannot parse fail F2 as malformed, not as a timeout" \
	"verdict malformed 'F2 .*' 'malformed message from B at A \(frame [0-9]+\)'"

run loss
check "loss: exit 1" "[ $rc -eq 1 ]"
check "loss: the measured loss is about 10 %" \
	"verdict loss 'media A -> B audio' 'A -> B: loss (9|10|11|12)\.[0-9] % \([0-9]+ of [0-9]+ packets\), at most 1\.0 % allowed'"

# play: a WAV file (made here, next to its scenario) replaces the tone
mkdir -p "$out/play"
for hz in 1004 600; do
	python3 - "$out/play/tone-$hz.wav" "$hz" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
hz = int(sys.argv[2])
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / 8000)))
                       for i in range(8000)))
w.close()
PY
	call_setup "play-$hz" "" >"$out/play/play-$hz.yaml"
	cat >>"$out/play/play-$hz.yaml" <<YAML
  - do: A play tone-$hz.wav
  - media: {from: A, to: B, expect: tone 1004Hz, for: 500ms}
YAML
	"$sipflow" run --verbose "$out/play/play-$hz.yaml" --out "$out/play/o" \
		>"$out/play-$hz.txt" 2>&1
	echo "rc=$?" >>"$out/play-$hz.txt"
done
check "play: A plays a 1004 Hz WAV, B hears 1004 Hz" "grep -q '^rc=0' '$out/play-1004.txt'"
check "play: a 600 Hz WAV is not the 1004 Hz tone" \
	"grep -q '^rc=1' '$out/play-600.txt' && verdict play-600 'media A -> B tone 1004 Hz' 'A -> B: expected a tone at 1004 Hz, measured a share of 0\.[0-4]'"
check "play: the failure names the 600 Hz heard" \
	"verdict play-600 'media A -> B tone 1004 Hz' 'the dominant frequency heard is (59[7-9]|60[0-3]) Hz'"

# an any-order: group of media steps listens at once: each for 1 s, both
# judged about when the first is (one after the other, 1 s apart); a wrong
# tone in the group fails its own step, naming what was measured
mkdir -p "$out/grp"
for want in 650 800; do
	call_setup "group-$want" 's/auto-answer: 0s}/auto-answer: 0s, tone: 650Hz}/' \
		>"$out/grp/group-$want.yaml"
	cat >>"$out/grp/group-$want.yaml" <<YAML
  - any-order:
      - media: {from: A, to: B, expect: tone 1004Hz, for: 1s}
      - media: {from: B, to: A, expect: tone ${want}Hz, for: 1s}
  - do: A hangup
  - F5: BYE A -> B
  - F6: 200 OK B -> A
YAML
	"$sipflow" run --verbose "$out/grp/group-$want.yaml" --out "$out/grp/$want" \
		>"$out/group-$want.txt" 2>&1
	echo "rc=$?" >>"$out/group-$want.txt"
	cat "$out/group-$want.txt"
done
check "any-order media: both tones heard (exit 0)" \
	"grep -q '^rc=0' '$out/group-650.txt'"
check "any-order media: the two 1 s windows overlap (judged < 500 ms apart)" \
	"python3 -c \"import json,sys; s=json.load(open('$out/grp/650/report.json'))['scenarios'][0]['steps']; t=[x['t_ms'] for x in s if x['type'] == 'media']; print(t); sys.exit(not (len(t) == 2 and abs(t[0] - t[1]) < 500))\""
check "any-order media: a wrong tone fails its step, naming the tone measured" \
	"grep -q '^rc=1' '$out/group-800.txt' && verdict group-800 'media B -> A tone 800 Hz' 'B -> A: expected a tone at 800 Hz, measured a share of 0\.[0-4]'"

# media windows longer than the step timeout: the group waits for its
# windows (it used to be taken for a missing message, and crash)
sed 's/for: 1s/for: 1500ms/' "$out/grp/group-650.yaml" >"$out/grp/long.yaml"
"$sipflow" run --verbose "$out/grp/long.yaml" --out "$out/grp/long" --timeout 1s \
	>"$out/group-long.txt" 2>&1
check "any-order media windows longer than --timeout: both judged, exit 0" \
	"[ $? -eq 0 ] && [ \$(grep -cE '^ +media .* pass' '$out/group-long.txt') -eq 2 ]"

# record: B records what it hears; the WAV holds A's 500 Hz tone (read
# back here with Python, not with sipflow)
mkdir -p "$out/rec"
call_setup rec 's/tone: 1004Hz//; s/auto-answer: 0s/auto-answer: 0s, record: true/' \
	>"$out/rec/rec.yaml"
echo "  - wait: 1s" >>"$out/rec/rec.yaml"
"$sipflow" run --verbose "$out/rec/rec.yaml" --out "$out/rec/o" >"$out/rec.txt" 2>&1
check "record: the run passes" "[ $? -eq 0 ]"
python3 - "$out/rec/o/rec-B-1.wav" >"$out/rec-check.txt" 2>&1 <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1])
assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2), w.getparams()
n = w.getnframes()
s = struct.unpack("<%dh" % n, w.readframes(n))[-4000:]
def share(f):
    c = sum(x * math.cos(2 * math.pi * f * i / 8000) for i, x in enumerate(s))
    d = sum(x * math.sin(2 * math.pi * f * i / 8000) for i, x in enumerate(s))
    return (c * c + d * d) * 2 / len(s) / max(1, sum(x * x for x in s))
print("frames", n, "share500", round(share(500), 2), "share650", round(share(650), 2))
assert n >= 6000 and share(500) > 0.5 and share(650) < 0.1
PY
rc=$?
cat "$out/rec-check.txt"
check "record: rec-B-1.wav is 8 kHz mono and holds A's 500 Hz tone" "[ $rc -eq 0 ]"

# impair-sip: every SIP message A sends leaves twice (the duplicates are on
# the wire and absorbed as retransmissions), or none leaves at all
mkdir -p "$out/imp"
call_setup dup 's/tone: 1004Hz/impair-sip: {duplicate: 100%}/' \
	>"$out/imp/dup.yaml"
printf '  - do: A hangup\n  - F5: BYE A -> B\n  - F6: 200 OK B -> A\n' >>"$out/imp/dup.yaml"
sed 's/^scenario: dup/scenario: lost/; s/duplicate: 100%/loss: 100%/' \
	"$out/imp/dup.yaml" >"$out/imp/lost.yaml"
"$sipflow" run --verbose "$out/imp/dup.yaml" --out "$out/imp/o" >"$out/dup.txt" 2>&1
check "impair-sip duplicate: the flow passes" "[ $? -eq 0 ]"
check "impair-sip duplicate: the duplicates are absorbed and noted" \
	"grep -q 'absorbed a retransmission of INVITE from A at B' '$out/dup.txt'"
n=$(tshark -r "$out/imp/o/dup.pcapng" -Y 'sip.Method == "INVITE"' 2>/dev/null | wc -l)
check "impair-sip duplicate: the pcap holds the INVITE twice ($n)" "[ $n -eq 2 ]"
"$sipflow" run --verbose "$out/imp/lost.yaml" --out "$out/imp/o" --timeout 1s \
	>"$out/lost.txt" 2>&1
rc=$?
check "impair-sip loss 100 %: exit 1" "[ $rc -eq 1 ]"
check "impair-sip loss 100 %: F1 never arrives" \
	"grep -A1 '^  F1 ' '$out/lost.txt' | grep -q 'no INVITE from A at B within 1.0 s'"
n=$(tshark -r "$out/imp/o/lost.pcapng" -Y sip 2>/dev/null | wc -l)
check "impair-sip loss 100 %: nothing lost is in the pcap ($n)" "[ $n -eq 0 ]"

# early media: without it, the media step before the answer hears nothing
flow=$src/scenarios/rfc3665/early-media-phones.yaml
sed 's/early-media: true,//; s/183 Session Progress/180 Ringing/g; /expect: {body: "~m=audio \[1-9\]/d' \
	"$flow" >"$(lib_variant "$flow" no-early)"
"$sipflow" run --verbose "$(lib_variant "$flow" no-early)" --out "$out/no-early" >"$out/no-early.txt" 2>&1
rc=$?
check "no early media: exit 1" "[ $rc -eq 1 ]"
check "no early media: the tone before the answer is not heard" \
	"verdict no-early 'media B -> A tone 425 Hz' 'B -> A: heard nothing: 0 RTP packets in 500 ms'"

# mutant NAME SCENARIO SED-SCRIPT: a library scenario edited by the sed
# script, run as NAME with a 1 s timeout; it must fail (exit 1)
mutant() {
	sed "$3" "$2" >"$(lib_variant "$2" "$1")"
	"$sipflow" run --verbose "$(lib_variant "$2" "$1")" --out "$out/$1" --timeout 1s \
		>"$out/$1.txt" 2>&1
	rc=$?
	check "$1: exit 1" "[ $rc -eq 1 ]"
}

# forwarding: without its forward key a phone rings (always) or answers
# 486 (busy), and the 302 step names what came instead
mutant no-fwd-always "$src/scenarios/yealink/always-forward-phones.yaml" \
	's/, forward-always: C}/}/'
check "no forward-always: F3 names the 180 B sent instead of the 302" \
	"verdict no-fwd-always 'F3 .*' '180 Ringing'"
mutant no-fwd-busy "$src/scenarios/yealink/busy-forward-phones.yaml" \
	's/busy: true,$/busy: true}/; /^      forward-busy: C}$/d'
check "no forward-busy: F3 names the 486 B sent instead of the 302" \
	"verdict no-fwd-busy 'F3 .*' '486 Busy Here'"

# three-way conference: A resumes B instead of conferencing, so nothing
# is mixed; B hears only A's silence, not C's 800 Hz
mutant no-conf "$src/scenarios/yealink/three-way-conference-phones.yaml" \
	's/^  - do: A conference$/  - do: A resume/'
check "no conference: B does not hear C (the step names silence)" \
	"verdict no-conf 'media B tone 800 Hz' 'at B: [0-9]+ packets but only silence \(-[0-9.]+ dBov\)'"

# a transferee without give-up never cancels the unanswered INVITE: the
# final NOTIFY (487) never comes, and F27 says so
mutant no-giveup "$src/scenarios/rfc5589/failed-transfer-no-answer-phones.yaml" \
	'/give-up: 1s/d'
check "no give-up: F27 names the NOTIFY that never came" \
	"verdict no-giveup 'F27 .*' 'no NOTIFY from A at P within 1.0 s'"

# a failure inside an included block is named by the flow's step id:
# C not busy rings instead of refusing (blocks/refused.yaml, F25 here),
# and A holds C instead of taking B off hold (blocks/reinvite-phones.yaml,
# F23: the re-INVITE offers sendonly, not sendrecv)
mutant c-not-busy "$src/scenarios/rfc5589/failed-transfer-busy-phones.yaml" \
	's/^\(  C: {.*\), busy: true}$/\1}/'
check "C not busy: F25 (in the refused block) names the 180 it got" \
	"verdict c-not-busy 'F25 +486 Busy Here +C -> P' 'expected 486 Busy Here from C, got 180 Ringing'"
mutant hold-not-conf "$src/scenarios/yealink/three-way-conference-phones.yaml" \
	's/^  - do: A conference$/  - do: A hold/'
check "hold for conference: F23 (in the reinvite block) names the body" \
	"verdict hold-not-conf 'F23 +INVITE +A -> P' 'body: expected a value matching a=sendrecv'"

# rejected credentials are not sent again: a flow that waits for a third
# REGISTER fails on it
mutant reg-again "$src/scenarios/rfc3665/registration-unsuccessful-phones.yaml" \
	's/^  - wait: 500ms$/  - F5: REGISTER A -> P/'
check "rejected credentials: F5 names the REGISTER that never came" \
	"verdict reg-again 'F5 .*' 'no REGISTER from A at P within 1.0 s'"
check "rejected credentials: the phone says why" \
	"grep -q 'the registrar rejects its credentials; it does not send them again' '$out/reg-again.txt'"

# a run that fails while a phone's 2xx still awaits its ACK must not keep
# the phone's address: the next scenario of the suite listens on it
flow=$src/scenarios/yealink/attended-transfer-phones.yaml
sed '/- F33: 200 OK C -> P/{n;s/expect: .*/expect: {header: {Contact: "~dave@"}}/}' \
	"$flow" >"$(lib_variant "$flow" xfer-bad)"
check "the variant changes F33's expectation" \
	"grep -A1 -- '- F33: 200 OK C -> P' '$(lib_variant "$flow" xfer-bad)' | grep -q dave@"
"$sipflow" run "$(lib_variant "$flow" xfer-bad)" "$src/scenarios/yealink/basic-call-phones.yaml" \
	--out "$out/seq" >"$out/seq.txt" 2>&1
cat "$out/seq.txt"
check "a failed transfer fails at F33" \
	"grep -q 'FAIL attended-transfer-phones: 38 passed, 1 failed' '$out/seq.txt'"
check "the next scenario on the same addresses passes" \
	"grep -q 'PASS basic-call-phones' '$out/seq.txt'"
check "no address left in use" "! grep -q 'in use' '$out/seq.txt'"

# the phone scenarios of the library: both RTP streams of each call
"$sipflow" run "$src"/scenarios/yealink/*-phones.yaml --out "$out/lib" \
	--quiet >"$out/lib.txt" 2>&1
check "phone scenarios of the library pass in self-play" "[ $? -eq 0 ]"
# basic call: A <-> B; blind transfer: A <-> B, then A <-> C;
# attended: A <-> B, B <-> C, then A <-> C; forwards: only A <-> C
for want in basic-call-phones:2 blind-transfer-phones:4 \
	    no-answer-forward-phones:2 hold-resume-phones:2 \
	    attended-transfer-phones:6 always-forward-phones:2 \
	    busy-forward-phones:2; do
	name=${want%%:*} n=${want##*:}
	tshark -r "$out/lib/$name.pcapng" -q -z rtp,streams 2>/dev/null |
		grep -cE '^ +[0-9.]+ +[0-9.]+ +127\.' >"$out/$name.streams"
	check "$name: $n RTP streams in the pcap (tshark)" \
		"[ \$(cat '$out/$name.streams') -eq $n ]"
done

closing
