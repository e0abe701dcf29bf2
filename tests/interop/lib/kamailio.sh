# tests/interop/lib/kamailio.sh — start and stop a Kamailio for a test.
# Sourced by tests; needs $sipflow (the binary) for the readiness probe.
#   kam_start CFG WORKDIR [DEFINE...]   start, wait until it answers OPTIONS
#   kam_stop                            stop it by its process id

KAM_PID=
KAM_ADDR=${KAM_ADDR:-127.0.0.1:5060}

kam_start() {
	local cfg=$1 dir=$2 defs=() d
	shift 2
	for d in "$@"; do defs+=(-A "$d"); done
	mkdir -p "$dir"
	if ss -Hlun "sport = :${KAM_ADDR##*:}" 2>/dev/null | grep -q "${KAM_ADDR%:*}"; then
		echo "kam_start: $KAM_ADDR is already in use" >&2
		return 1
	fi
	kamailio -f "$cfg" -DD -E -w "$dir" "${defs[@]}" >"$dir/kamailio.log" 2>&1 &
	KAM_PID=$!
	# bounded wait: at most 50 probes of 200 ms
	local i
	for i in $(seq 50); do
		if ! kill -0 "$KAM_PID" 2>/dev/null; then
			echo "kam_start: kamailio exited; its log:" >&2
			tail -20 "$dir/kamailio.log" >&2
			KAM_PID=
			return 1
		fi
		if "$sipflow" run "$(dirname "${BASH_SOURCE[0]}")/probe.yaml" \
			--role "A=ua:udp:127.0.0.9:5099" --role "P=dut:udp:$KAM_ADDR" \
			--timeout 200ms --quiet --out "$dir/probe" >/dev/null 2>&1; then
			echo "kamailio (pid $KAM_PID) answers on $KAM_ADDR"
			return 0
		fi
	done
	echo "kam_start: kamailio did not answer within 10 s" >&2
	kam_stop
	return 1
}

kam_stop() {
	[ -n "$KAM_PID" ] || return 0
	kill -TERM "$KAM_PID" 2>/dev/null
	local i
	for i in $(seq 50); do
		kill -0 "$KAM_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$KAM_PID" 2>/dev/null
	wait "$KAM_PID" 2>/dev/null
	KAM_PID=
}
