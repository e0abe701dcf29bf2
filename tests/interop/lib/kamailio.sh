# tests/interop/lib/kamailio.sh — start and stop a Kamailio for a test.
# Sourced (bash), never run by ctest itself (it is not in tests/interop/*.sh).
#
#   kam_start CFG WORKDIR [DEFINE...]   start in the foreground, wait until it
#                                       answers OPTIONS; 0 ready, 1 not
#   kam_start_stock WORKDIR [DEFINE...] the same with the config Debian
#                                       ships (/etc/kamailio/kamailio.cfg,
#                                       unchanged) and the probe it answers
#                                       (probe-keepalive.yaml); 1 also when
#                                       that file is not there, saying so
#   kam_keep                            set the running one aside, so that
#                                       kam_start can start a second (two
#                                       proxies: another LISTEN address)
#   kam_stop                            stop it (and any kept) by process id
#
# DEFINE is passed as `-A DEFINE`, except --listen=udp:IP:PORT (passed as
# `-l`, for a config that does not read LISTEN, e.g. the one Debian ships)
# and any other --option=VALUE (passed as it is: --alias=example.test).
# Otherwise: SIPFLOW_BAD, SIPFLOW_NO_RR,
# SIPFLOW_REFER_403, LISTEN=udp:IP:PORT, ALICE_ADDR=IP:PORT (an *_ADDR value
# without quotes is turned into "sip:IP:PORT" here). Without LISTEN the proxy
# listens on $KAM_ADDR (default 127.0.0.1:5060).
#
# Call kam_start in the test's own shell (not in $(...)): KAM_PID must
# survive for kam_stop. Pair it with `trap kam_stop EXIT`.
#
# Readiness probe: with $sipflow set (the binary under test) it plays
# lib/probe.yaml (or lib/$KAM_PROBE: probe-keepalive.yaml for a config as
# its package ships it); otherwise it sends tests/interop/options.xml with SIPp.
# Both expect 200 OK to an OPTIONS sent to the proxy itself. At most 50
# probes and at most 10 s (plus one probe's time).
#
# After this:   KAM_PID   the main Kamailio process (foreground, -DD)
#               KAM_KEPT  the ones set aside by kam_keep
#               KAM_LOG   its stderr log
#               KAM_RUN_ADDR  IP:PORT it listens on

KAM_PID=
KAM_KEPT=()
KAM_LOG=
KAM_RUN_ADDR=
KAM_ADDR=${KAM_ADDR:-127.0.0.1:5060}
KAM_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# who holds UDP IP:PORT (or the wildcard on PORT)? prints ss lines, 0 if any
_kam_bound() {
	local ip=${1%:*} port=${1##*:}
	command -v ss >/dev/null || return 1
	ss -Hlunp "sport = :$port" 2>/dev/null | awk -v ip="$ip" -v port="$port" '
		{ l = $4; sub(/%[^:]*:/, ":", l) }
		l == ip ":" port || l == "0.0.0.0:" port || l == "*:" port ||
		l == "[::]:" port { print; n++ }
		END { exit n ? 0 : 1 }'
}

# the pid and every descendant of it
_kam_tree() {
	local p c
	for p in "$@"; do
		echo "$p"
		for c in $(pgrep -P "$p" 2>/dev/null); do _kam_tree "$c"; done
	done
}

# is any of these pids still there?
_kam_alive() {
	local p
	for p in "$@"; do [ -e "/proc/$p" ] && return 0; done
	return 1
}

# one readiness probe of $KAM_RUN_ADDR; 0 when it answered 200
_kam_probe() {
	local dir=$1
	if [ -n "${sipflow:-}" ] && [ -x "${sipflow:-}" ]; then
		"$sipflow" run --verbose "$KAM_LIB_DIR/${KAM_PROBE:-probe.yaml}" \
			--role "A=ua:udp:127.0.0.9:5099" --role "P=dut:udp:$KAM_RUN_ADDR" \
			--timeout 200ms --quiet --out "$dir/probe" >/dev/null 2>&1
	else
		(cd "$dir" && timeout 5 sipp "$KAM_RUN_ADDR" \
			-sf "$KAM_LIB_DIR/../options.xml" -m 1 -timeout 2s \
			-i 127.0.0.9 -p 5099 -nostdin >>"$dir/probe-sipp.log" 2>&1)
	fi
}

kam_start_stock() {
	local cfg=/etc/kamailio/kamailio.cfg
	if [ ! -r "$cfg" ]; then
		echo "kam_start_stock: $cfg is not there (the kamailio package installs it)" >&2
		return 1
	fi
	KAM_PROBE=probe-keepalive.yaml kam_start "$cfg" "$@"
}

kam_start() {
	local cfg=$1 dir=$2 defs=() d listen='' deadline busy
	shift 2
	if [ -n "$KAM_PID" ]; then
		echo "kam_start: a Kamailio (pid $KAM_PID) is already running; kam_stop first" >&2
		return 1
	fi
	for d in "$@"; do
		case $d in
		--listen=*) listen=${d#--listen=}; defs+=(-l "$listen"); continue ;;
		--*) defs+=("$d"); continue ;;
		LISTEN=*) listen=${d#LISTEN=} ;;
		*_ADDR=\"*) ;;
		*_ADDR=sip:*) d="${d%%=*}=\"${d#*=}\"" ;;
		*_ADDR=*) d="${d%%=*}=\"sip:${d#*=}\"" ;;
		esac
		defs+=(-A "$d")
	done
	if [ -z "$listen" ]; then
		listen=udp:$KAM_ADDR
		defs+=(-A "LISTEN=$listen")
	fi
	KAM_RUN_ADDR=${listen#udp:}
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	KAM_LOG=$dir/kamailio.log

	if ! command -v kamailio >/dev/null; then
		echo "kam_start: kamailio is not installed (apt-get install -y kamailio)" >&2
		return 1
	fi
	if busy=$(_kam_bound "$KAM_RUN_ADDR"); then
		echo "kam_start: udp $KAM_RUN_ADDR is already in use:" >&2
		echo "$busy" >&2
		return 1
	fi
	if ! kamailio -c -f "$cfg" "${defs[@]}" >"$dir/kamailio-check.log" 2>&1; then
		echo "kam_start: the config does not check (kamailio -c); its log:" >&2
		grep -E 'CRITICAL|ERROR' "$dir/kamailio-check.log" | head -5 >&2
		return 1
	fi

	# -DD: the creator stays in the foreground (its children are forked
	# from it), so $! is the process to stop; -E: log to stderr
	# -Y: its runtime files (the ctl socket of a stock config) in dir
	kamailio -f "$cfg" -DD -E -w "$dir" -Y "$dir" "${defs[@]}" \
		>"$KAM_LOG" 2>&1 &
	KAM_PID=$!

	deadline=$((SECONDS + 10))
	for _ in $(seq 50); do
		if ! kill -0 "$KAM_PID" 2>/dev/null; then
			echo "kam_start: kamailio exited; its log:" >&2
			tail -20 "$KAM_LOG" >&2
			wait "$KAM_PID" 2>/dev/null
			KAM_PID=
			return 1
		fi
		if _kam_probe "$dir"; then
			# nobody else on the same socket (SO_REUSEADDR lets two bind it)
			busy=$(_kam_bound "$KAM_RUN_ADDR" | grep 'pid=' |
				grep -v -E "pid=($(_kam_tree "$KAM_PID" | paste -sd'|')),")
			if [ -n "$busy" ]; then
				echo "kam_start: another process shares udp $KAM_RUN_ADDR:" >&2
				echo "$busy" >&2
				kam_stop
				return 1
			fi
			echo "kamailio (pid $KAM_PID) answers on $KAM_RUN_ADDR"
			return 0
		fi
		[ $SECONDS -lt $deadline ] || break
		sleep 0.2
	done
	echo "kam_start: kamailio did not answer OPTIONS on $KAM_RUN_ADDR within 10 s; its log:" >&2
	tail -20 "$KAM_LOG" >&2
	kam_stop
	return 1
}

# stop one Kamailio we started, by its pid: TERM, then KILL
_kam_stop_pid() {
	local main=$1 pids p
	pids=$(_kam_tree "$main")
	kill -TERM "$main" 2>/dev/null
	# bounded: 50 x 0.1 s for the main process to take its children down
	for _ in $(seq 50); do
		kill -0 "$main" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$main" 2>/dev/null
	wait "$main" 2>/dev/null
	# children left behind (only after a KILL): by pid, if still Kamailio's
	for p in $pids; do
		[ "$p" = "$main" ] && continue
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = kamailio ] && kill -KILL "$p" 2>/dev/null
	done
	# and gone (bounded: 20 x 0.1 s)
	for _ in $(seq 20); do
		# shellcheck disable=SC2086 # one pid a word
		_kam_alive $pids || break
		sleep 0.1
	done
}

# keep the running Kamailio and free kam_start for another one (a second
# proxy on another address); kam_stop stops both
kam_keep() {
	[ -n "$KAM_PID" ] || return 0
	KAM_KEPT+=("$KAM_PID")
	KAM_PID=
}

kam_stop() {
	local p
	[ -n "$KAM_PID" ] && _kam_stop_pid "$KAM_PID"
	KAM_PID=
	for p in "${KAM_KEPT[@]}"; do _kam_stop_pid "$p"; done
	KAM_KEPT=()
}
