# tests/interop/lib/baresip.sh — a baresip as a device for a test, and the
# testbed that puts it in a role.
# Sourced (bash), never run by ctest itself (it is not in tests/interop/*.sh).
#
#   start_baresip NAME USER IP RTPBASE PROXY [ANSWERMODE]
#   testbed FILE ROLE DRIVER-MAPPING [TONE]
#
# A baresip (Debian package, `ausine` at 1000 Hz as its microphone) in
# $out/NAME, listening for SIP on IP:5060 and for control commands
# (ctrl_tcp) on IP:4444, its account USER@example.test with PROXY
# (IP:PORT) as outbound proxy, answering calls manually (or as ANSWERMODE
# says: auto, early). Its pid goes to the caller's `pids` array; it is
# ready when its control socket and its SIP side (an OPTIONS to its user,
# played by $sipflow) answer: at most 50 tries, ~10 s. 0 ready, 1 not (its
# log printed).
#
# BARESIP_MODULES="srtp.so …" (environment): more modules it loads.
# BARESIP_ACCOUNT=LINE (environment): its accounts line instead of the
# one above.
#
# BARESIP_RECORD=DIR (environment): baresip also loads its sndfile
# module and writes WAV files of what it sends and hears into DIR
# (dump-TIME-enc.wav, dump-TIME-dec.wav), for a testbed's
# driver: {recording: DIR}.
#
# Uses the caller's $out, $src and $sipflow. Baresip needs a network
# address of its own: in a network namespace with only lo, give it a
# default route (`ip route add default dev lo`).

start_baresip() {
	local d="$out/$1" i
	mkdir -p "$d"
	cat >"$d/config" <<CFG
sip_listen		$3:5060
audio_player		aubridge,nil
audio_source		ausine,1000
audio_alert		aubridge,alert
ausrc_srate		48000
ausrc_channels		2
auplay_srate		8000
auplay_channels		1
rtp_ports		$4-$(($4 + 99))
module_path		/usr/lib/baresip/modules
module			g711.so
module			aubridge.so
module			ausine.so
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		$3:4444
CFG
	if [ -n "${BARESIP_RECORD:-}" ]; then
		mkdir -p "$BARESIP_RECORD"
		printf 'module\t\t\tsndfile.so\nsnd_path\t\t%s\n' \
			"$BARESIP_RECORD" >>"$d/config"
	fi
	for m in ${BARESIP_MODULES:-}; do
		printf 'module\t\t\t%s\n' "$m" >>"$d/config"
	done
	echo "${BARESIP_ACCOUNT:-<sip:$2@example.test>;outbound=\"sip:$5\";regint=0;answermode=${6:-manual}}" \
		>"$d/accounts"
	baresip -f "$d" -t 240 >"$d/log" 2>&1 &
	pids+=($!)
	sed "s/to-user: ping/to-user: $2/" "$src/tests/interop/lib/probe.yaml" \
		>"$d/probe.yaml"
	for i in $(seq 1 50); do
		kill -0 "${pids[-1]}" 2>/dev/null || break
		if python3 "$src/tests/hil/ctl.py" "$3:4444" listcalls >/dev/null 2>&1 &&
		   "$sipflow" run --verbose "$d/probe.yaml" --role "A=ua:udp:127.0.0.9:5099" \
			--role "P=dut:udp:$3:5060" --timeout 200ms --quiet \
			--out "$d/probe" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	cat "$d/log"
	return 1
}


# A testbed in $out/FILE: ROLE (A or B) is the device at $DEV_A or $DEV_B
# (port 5060) with the given driver: mapping and tone (default 1000Hz);
# the other roles of A, B, C, P are simulated at IP:5060 from the
# caller's $SIM_A, $SIM_B, $SIM_C, $SIM_P.
testbed() {
	local ip=$DEV_A; [ "$2" = B ] && ip=$DEV_B
	{
		echo "roles:"
		[ "$2" = A ] || echo "  A: {address: udp:$SIM_A:5060}"
		[ "$2" = B ] || echo "  B: {address: udp:$SIM_B:5060}"
		echo "  C: {address: udp:$SIM_C:5060}"
		echo "  P: {address: udp:$SIM_P:5060}"
		echo "  $2: {kind: dut, address: udp:$ip:5060, tone: ${4:-1000Hz},"
		echo "      driver: $3}"
	} >"$out/$1"
}
