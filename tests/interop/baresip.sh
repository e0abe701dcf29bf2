#!/usr/bin/env bash
# Interop: a phone role calls a real baresip (Debian package) on loopback;
# baresip echoes the audio (aubridge as both source and player), so the
# phone hearing its own tone proves two-way audio. Negative: a phone that
# sends nothing hears nothing back, and the media step says so.
# usage: baresip.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out/cfg"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
addr=127.0.0.21:5060

need baresip tshark

# shellcheck source=lib/echo.sh
. "$here/lib/echo.sh"
ready=0
start_echo "$addr" 30000-30100 && ready=1
check "baresip (pid $pid) answers on $addr" "[ $ready -eq 1 ]"
[ $ready -eq 1 ] || closing

"$sipflow" run "$here/baresip-echo.yaml" --role "B=dut:udp:$addr" \
	--out "$out/good" --timeout 3s >"$out/good.txt" 2>&1
rc=$?
cat "$out/good.txt"
check "phone calls baresip: exit 0" "[ $rc -eq 0 ]"
check "A hears its own 700 Hz tone back through baresip" \
	"grep -q '^  *media B -> A tone 700 Hz  *pass' '$out/good.txt'"
check "two-way with a device: B -> A judged, A -> B noted as not measured" \
	"grep -q '^  *media A <-> B two-way  *pass' '$out/good.txt' && grep -q 'A -> B not measured: B is a device under test' '$out/good.txt'"
n=$(tshark -r "$out/good/baresip-echo.pcapng" -q -z rtp,streams 2>/dev/null |
	grep -cE '^ +[0-9.]+ +[0-9.]+ +127\.')
check "pcap: both RTP streams of the call (tshark found $n)" "[ $n -eq 2 ]"

# negative: A sends nothing, so baresip has nothing to echo
sed 's/tone: 700Hz/tone: 700Hz, mute: true/' "$here/baresip-echo.yaml" \
	>"$out/mute.yaml"
"$sipflow" run "$out/mute.yaml" --role "B=dut:udp:$addr" --out "$out/mute" \
	--timeout 3s >"$out/mute.txt" 2>&1
rc=$?
cat "$out/mute.txt"
check "muted phone: exit 1" "[ $rc -eq 1 ]"
check "muted phone: the media step fails with what it measured" \
	"grep -A1 '^  *media B -> A tone 700 Hz  *FAIL' '$out/mute.txt' | grep -qE 'B -> A: ([0-9]+ packets but only silence|heard nothing)'"

kill $pid 2>/dev/null; wait $pid 2>/dev/null
trap - EXIT
closing
