# tests/interop/lib/checks.sh — counted checks for a test script that
# starts devices. Sourced (bash), never run by ctest itself.
#
#   check NAME CONDITION   evaluate CONDITION: "ok   NAME" or "FAIL NAME"
#   need TOOL              TOOL missing: say so, fail, exit
#   pids                   the processes the script started (kill, reap)
#
# On exit (a trap): every pid in $pids is stopped and reaped, and the
# closing line "N passed, N failed" printed; the exit status is 1 if a
# check failed.
pass=0 fail=0 pids=()
check() {
	if eval "$2"; then echo "ok   $1"; pass=$((pass + 1))
	else echo "FAIL $1"; fail=$((fail + 1)); fi
}
need() {
	command -v "$1" >/dev/null && return 0
	echo "FAIL $1 is not installed (bash scripts/setup.sh test installs it)"
	fail=$((fail + 1)); exit
}
_checks_finish() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	echo "$pass passed, $fail failed"
	# an EXIT trap's bare `exit` keeps the status from before the trap
	exit $((fail > 0))
}
trap _checks_finish EXIT
