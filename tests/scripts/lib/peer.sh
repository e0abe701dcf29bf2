# tests/scripts/lib/peer.sh — sourced: start and stop a peer process
#   wait_bound IP:PORT [tcp]   wait (at most 5 s) until a UDP address is
#                        bound (with tcp: a TCP address listens)
#   stop PID             let it end by itself (at most 3 s), else SIGTERM;
#                        reaps it
#   peer_start ADDR OUT CMD...   CMD in the background, its output in OUT;
#                        waits until ADDR (IP:PORT, UDP) is bound
#   peer_end             stop it (as stop); its exit status in $peer_rc
wait_bound() {
	local opt=-Hlun
	[ "${2:-udp}" = tcp ] && opt=-Hltn
	for _ in $(seq 50); do
		ss $opt "src $1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

stop() {
	for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; fi
	wait "$1" 2>/dev/null
}

peer_start() {
	local addr=$1 o=$2
	shift 2
	"$@" >"$o" 2>&1 &
	peer_pid=$!
	wait_bound "$addr" || echo "the peer did not bind $addr"
}

peer_end() {
	stop "$peer_pid"
	peer_rc=$?
}
