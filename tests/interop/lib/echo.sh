# tests/interop/lib/echo.sh — a baresip that echoes the audio it hears
# (aubridge as both source and player), answering on its own: the far end
# for a phone role in baresip.sh and baresip-srtp.sh.
# Sourced (bash), never run by ctest itself (it is not in tests/interop/*.sh).
#
#   start_echo ADDR RTPPORTS [MODULE] [ACCOUNT-PARAMS]
#
# A baresip in $out/cfg listening on ADDR (IP:PORT), RTP in RTPPORTS
# (30000-30100), loading MODULE too (srtp.so), its account
# bob@IP with ;regint=0;answermode=auto and ACCOUNT-PARAMS after it
# (;mediaenc=srtp-mand). Its pid in $pid, stopped by the EXIT trap this
# sets; ready when it answers an OPTIONS to bob (at most 50 probes, ~10
# s): 0 ready, 1 not (its log printed). Uses the caller's $out, $src and
# $sipflow.

start_echo() {
	local addr=$1
	mkdir -p "$out/cfg"
	cat >"$out/cfg/config" <<CFG
sip_listen		$addr
audio_player		aubridge,echo
audio_source		aubridge,echo
audio_alert		aubridge,alert
ausrc_srate		8000
ausrc_channels		1
auplay_srate		8000
auplay_channels		1
rtp_ports		$2
module_path		/usr/lib/baresip/modules
module			g711.so
module			aubridge.so
${3:+module			$3}
module_app		account.so
CFG
	echo "<sip:bob@${addr%:*}>;regint=0;answermode=auto${4:-}" \
		>"$out/cfg/accounts"

	# started here, stopped by its pid; -t bounds it if the test dies
	baresip -f "$out/cfg" -t 120 >"$out/baresip.log" 2>&1 &
	pid=$!
	trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT

	sed 's/to-user: ping/to-user: bob/' "$src/tests/interop/lib/probe.yaml" \
		>"$out/probe.yaml"
	for _ in $(seq 1 50); do
		kill -0 $pid 2>/dev/null || break
		if "$sipflow" run "$out/probe.yaml" \
			--role "A=ua:udp:127.0.0.9:5099" --role "P=dut:udp:$addr" \
			--timeout 200ms --quiet --out "$out/probe" >/dev/null 2>&1
		then
			return 0
		fi
		sleep 0.2
	done
	cat "$out/baresip.log"
	return 1
}
