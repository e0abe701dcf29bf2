#!/usr/bin/env bash
# Interop: a phone role calls a real baresip (Debian package) with its
# srtp module and mediaenc=srtp-mand, as baresip's documentation says to
# make SRTP mandatory; baresip echoes the audio (aubridge), so A hearing
# its own tone proves SRTP worked both ways. The pcap keeps the SRTP as
# sent and report.json the keys: an independent decrypter
# (srtp_decrypt.py) finds A's tone in both directions with them, and
# nothing with a wrong key. Negative: a phone without SRTP offers RTP/AVP,
# which baresip refuses with 488, and the step waiting says so.
# usage: baresip-srtp.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
here="$src/tests/interop"
rm -rf "$out"; mkdir -p "$out/cfg"
# shellcheck source=../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
addr=127.0.0.23:5060

need baresip tshark python3
[ -f /usr/lib/baresip/modules/srtp.so ] ||
	abort "baresip's srtp module is not installed (/usr/lib/baresip/modules/srtp.so)"
python3 -c 'import cryptography' 2>/dev/null ||
	abort "python3-cryptography is not installed (srtp_decrypt.py needs it)"

# shellcheck source=lib/echo.sh
. "$here/lib/echo.sh"
ready=0
start_echo "$addr" 30200-30300 srtp.so ";mediaenc=srtp-mand" && ready=1
check "baresip (pid $pid) answers on $addr" "[ $ready -eq 1 ]"
[ $ready -eq 1 ] || closing

"$sipflow" run --verbose "$here/baresip-srtp.yaml" --role "B=dut:udp:$addr" \
	--out "$out/good" --timeout 3s >"$out/good.txt" 2>&1
rc=$?
cat "$out/good.txt"
check "SRTP call to baresip: exit 0" "[ $rc -eq 0 ]"
check "baresip answers a=crypto:1 AES_CM_128_HMAC_SHA1_80 on RTP/SAVP (F4)" \
	"grep -q '^  *F4  *200 OK  *B -> A  *pass' '$out/good.txt'"
check "A hears its own 700 Hz tone back through baresip's SRTP" \
	"grep -q '^  *media B -> A tone 700 Hz  *pass' '$out/good.txt'"
check "the phone keyed SRTP with baresip" \
	"grep -q 'A: SRTP AES_CM_128_HMAC_SHA1_80 with' '$out/good.txt'"

pcap=$out/good/baresip-srtp.pcapng
python3 "$src/tests/scripts/srtp_decrypt.py" "$pcap" "$out/good/report.json" \
	>"$out/decrypt.txt" 2>&1
cat "$out/decrypt.txt"
check "the report's keys decrypt both directions, no tag fails, A's tone in each" \
	"[ \$(grep -c 'authfail=0 tone=700$' '$out/decrypt.txt') -eq 2 ]"
python3 "$src/tests/scripts/srtp_decrypt.py" "$pcap" "$out/good/report.json" \
	--flip-key >"$out/flip.txt" 2>&1
check "a wrong key fails every packet's tag" \
	"! grep -qE 'authfail=0 |packets=0 ' '$out/flip.txt' && [ -s '$out/flip.txt' ]"

# negative: a phone without SRTP offers RTP/AVP; baresip wants RTP/SAVP
sed -e '/srtp: \[/d' -e 's/tone: 700Hz,/tone: 700Hz}/' \
	-e '/expect: {sdp:/d' "$here/baresip-srtp.yaml" >"$out/plain.yaml"
"$sipflow" run "$out/plain.yaml" --role "B=dut:udp:$addr" --out "$out/plain" \
	--timeout 3s >"$out/plain.txt" 2>&1
rc=$?
cat "$out/plain.txt"
check "plain RTP to an SRTP-mandatory baresip: exit 1" "[ $rc -eq 1 ]"
check "plain RTP: baresip refuses the RTP/AVP offer, and the step says so" \
	"grep -q 'got 488 Not Acceptable Here' '$out/plain.txt'"

closing
