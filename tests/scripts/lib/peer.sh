# tests/scripts/lib/peer.sh — sourced by scripts that play a second
# sipflow run as the peer (timers.sh, status.sh): wait until it is bound,
# stop it by pid
# wait_bound ADDR: wait (bounded, 5 s) until a UDP address is bound
wait_bound() {
	for _ in $(seq 50); do
		ss -Hlun "src $1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# stop PID: let the peer finish (3 s at most), else end it
stop() {
	for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; fi
	wait "$1" 2>/dev/null
}
