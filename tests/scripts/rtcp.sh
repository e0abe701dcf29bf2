#!/usr/bin/env bash
# RTCP as the wire carries it: the library flow rfc3550/rtcp-reports-phones
# (1.5 s of two-way audio, both phones reporting every 500 ms with
# rtcp-interval:, so three report rounds) sends SRs every 500 ms whose RTP
# timestamps follow the RTP clock and whose report blocks tshark decodes
# to the very figures the run reports (fraction and cumulative lost,
# jitter, RTT); with 10 % loss on A's audio, B's reports say so, the run's
# figures say the same, and the loss bound fails naming it. Both runs at
# once (~2 s), then the check is fed a log with one figure wrong, each of
# cumulative lost, jitter and RTT in turn, and must fail on it.
# usage: rtcp.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out/lib-v/rfc3550"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need tshark python3
flow=$src/scenarios/rfc3550/rtcp-reports-phones.yaml
ln -s "$src/scenarios/blocks" "$out/lib-v/blocks"
sed 's/^scenario: rtcp-reports-phones/scenario: loss/
	s/^  A: {kind: phone, /  A: {kind: phone, impair: {loss: 10%, seed: 7}, /' \
	"$flow" >"$out/lib-v/rfc3550/loss.yaml"

# one run, two job slots: the flows play side by side
"$sipflow" run --verbose "$flow" "$out/lib-v/rfc3550/loss.yaml" --jobs 2 \
	--out "$out/run" >"$out/run.txt" 2>&1
rc=$?
cat "$out/run.txt"
# each scenario's lines, by its name
awk '/^rtcp-reports-phones — / {on=1} /^loss — / {on=0} on' "$out/run.txt" \
	>"$out/good.txt"
awk '/^loss — / {on=1} /^rtcp-reports-phones — / {on=0} on' "$out/run.txt" \
	>"$out/loss.txt"

check "the run fails for the loss scenario only (exit 1)" "[ $rc -eq 1 ]"
check "good: the flow passes" "grep -qE '^\\[./2\\] PASS rtcp-reports-phones' '$out/good.txt'"
python3 "$src/tests/scripts/rtcp_check.py" \
	"$out/run/rtcp-reports-phones.pcapng" "$out/good.txt" \
	>"$out/good-check.txt" 2>&1
rc=$?; cat "$out/good-check.txt"
check "good: tshark's SR timestamps and report blocks agree with the run's figures" \
	"[ $rc -eq 0 ]"
check "good: each phone sent at least two SRs (at 0.25, 0.75, 1.25 s … until the hangup)" \
	"[ \$(grep -cE '^srs 0x[0-9a-f]{8} ([2-9]|[1-9][0-9])\$' '$out/good-check.txt') -eq 2 ]"
check "good: its SRs 500 ms apart (rtcp-interval; 450 ms to 1.5 s, a loaded loop's timer fires late), not libre's 5 s" \
	"[ \$(awk '\$1 == \"gaps\" && \$3 >= 0.45 && \$4 < 1.5' '$out/good-check.txt' | wc -l) -eq 2 ]"
check "good: both directions show an RTT and the far end's report" \
	"[ \$(grep -cE 'MOS [0-9.]+ \(delay [0-9.]+ ms: jitter buffer [0-9.]+ ms\); RTT [0-9.]+ ms, [AB].s RTCP on [AB].s audio' '$out/good.txt') -eq 2 ]"

check "loss: the scenario fails" "grep -qE '^\\[./2\\] FAIL loss' '$out/loss.txt'"
check "loss: the two-way step fails on A -> B's measured loss" \
	"grep -A1 -E '^ +media A <-> B two-way +FAIL' '$out/loss.txt' | tail -1 | grep -qE 'A -> B: loss ([4-9]|1[0-5])\.[0-9] % \([0-9]+ of [0-9]+ packets\), at most 1\.0 % allowed'"
python3 "$src/tests/scripts/rtcp_check.py" \
	"$out/run/loss.pcapng" "$out/loss.txt" >"$out/loss-check.txt" 2>&1
rc=$?; cat "$out/loss-check.txt"
check "loss: tshark's report blocks agree with the run's figures" "[ $rc -eq 0 ]"
# B's last block on A's SSRC: 4..15 % of the ~500 packets A sent by then
ssrc_a=$(grep -oE "B's RTCP on A's audio \(SSRC 0x[0-9a-f]{8}\)" "$out/loss.txt" |
	grep -oE '0x[0-9a-f]{8}' | head -1)
check "loss: B's report counts A's lost packets (cumulative 2..15) and a fraction lost" \
	"awk -v s='$ssrc_a' '\$1 == \"blocks\" && \$2 == s { ok = \$3 > 0 && \$4 >= 2 && \$4 <= 15 } END { exit !ok }' '$out/loss-check.txt'"
check "loss: the report shows B's cumulative lost and A's own loss counts alike" \
	"grep -qE \"A -> B: [0-9]+ packets, loss ([4-9]|1[0-5])\.[0-9] %.*B's RTCP on A's audio \(SSRC $ssrc_a\): fraction lost [1-9][0-9.]* %, cumulative lost ([2-9]|1[0-5]),\" '$out/loss.txt'"
check "loss: the MOS reflects the loss without concealment (below 3)" \
	"grep -qE 'A -> B: .*MOS [12]\.[0-9]+ ' '$out/loss.txt'"

# the check itself: a log whose figures differ from the wire must fail,
# naming each figure that differs: on the good run's pcap, A -> B's line
# with a cumulative lost one higher, B -> A's with a jitter and an RTT
# its RR and tshark's round trip do not show
sed -E "/ A -> B: /s/cumulative lost ([0-9]+),/cumulative lost 1\1,/
	/ B -> A: /s/(cumulative lost -?[0-9]+, jitter )[0-9.]+ ms/\19.99 ms/
	/ B -> A: /s/RTT [0-9.]+ ms, /RTT 20.0 ms, /" \
	"$out/good.txt" >"$out/wrong.txt"
python3 "$src/tests/scripts/rtcp_check.py" \
	"$out/run/rtcp-reports-phones.pcapng" "$out/wrong.txt" \
	>"$out/wrong-check.txt" 2>&1
rc=$?; cat "$out/wrong-check.txt"
check "wrong: the check fails on a log with wrong figures" "[ $rc -eq 1 ]"
check "wrong: a cumulative lost one higher than B's RR says is named" \
	"grep -qE '^MISMATCH 0x[0-9a-f]{8}: report [0-9.]+ % 10 ' '$out/wrong-check.txt'"
check "wrong: a jitter 9.99 ms A's RR did not carry is named" \
	"grep -qE '^MISMATCH 0x[0-9a-f]{8}: report [0-9.]+ % 0 9\.99 ms' '$out/wrong-check.txt'"
check "wrong: an RTT of 20 ms that tshark's round trip does not show is named" \
	"grep -q '^MISMATCH RTT: report 20.0 ms' '$out/wrong-check.txt'"
check "wrong: the figures left alone still agree (A -> B's RTT)" \
	"[ \$(grep -c '^ok   RTT ' '$out/wrong-check.txt') -eq 1 ]"
closing_counted
