# tests/interop/lib/checks.sh — counted checks for a test script that
# starts devices. Sourced (bash), never run by ctest itself.
#
#   check NAME CONDITION   as tests/scripts/lib/check.sh
#   need TOOL...           as tests/scripts/lib/check.sh
#   pids                   the processes the script started (kill, reap)
#   stop_all PID...        stop processes and reap them (below)
#
# On exit (a trap): every pid in $pids is stopped and reaped, and the
# closing line "N passed, N failed" printed; the exit status is 1 if a
# check failed.
#
# Stopping: a TERM to each at once, ~2 s for them all to end, then a
# second TERM to those left. A baresip ends on its first signal only when
# its hang-ups and un-REGISTERs are answered, by peers (simulated roles)
# that are gone by then: 30 s or more of SIP timers each, one after the
# other; on its second signal it ends at once. A test's teardown proves
# nothing, so nothing waits for it.
# shellcheck source=../../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
pids=()
# stop_all PID...: each stopped and reaped (as above)
stop_all() {
	local p left
	for p in "$@"; do kill "$p" 2>/dev/null; done
	for _ in $(seq 1 20); do    # all ended: at most ~2 s
		left=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && left=1; done
		[ "$left" = 0 ] && break
		sleep 0.1
	done
	for p in "$@"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
_checks_finish() {
	stop_all "${pids[@]}"
	# an EXIT trap's `exit` inside closing_counted sets the status
	closing_counted
}
trap _checks_finish EXIT
