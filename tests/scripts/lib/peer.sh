# tests/scripts/lib/peer.sh — sourced: start and stop a peer process
#   wait_bound IP:PORT   wait (at most 5 s) until a UDP address is bound
#   stop PID             let it end by itself (at most 3 s), else SIGTERM;
#                        reaps it
wait_bound() {
	for _ in $(seq 50); do
		ss -Hlun "src $1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

stop() {
	for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; fi
	wait "$1" 2>/dev/null
}
