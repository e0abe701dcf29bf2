# tests/interop/lib/checks.sh — counted checks for a test script that
# starts devices. Sourced (bash), never run by ctest itself.
#
#   check NAME CONDITION   as tests/scripts/lib/check.sh
#   need TOOL...           as tests/scripts/lib/check.sh
#   pids                   the processes the script started (kill, reap)
#
# On exit (a trap): every pid in $pids is stopped and reaped, and the
# closing line "N passed, N failed" printed; the exit status is 1 if a
# check failed.
# shellcheck source=../../scripts/lib/check.sh
. "$src/tests/scripts/lib/check.sh"
pids=()
_checks_finish() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	# an EXIT trap's `exit` inside closing_counted sets the status
	closing_counted
}
trap _checks_finish EXIT
