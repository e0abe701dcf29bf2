# tests/scripts/lib/check.sh — sourced: a script's checks and its closing
# line, the same for tests/scripts/ and tests/interop/
#   check NAME CONDITION   evaluate CONDITION: "ok   NAME" or "FAIL NAME"
#   abort REASON           a set-up the checks cannot go on without
#                          failed: "FAIL REASON", "0 passed, 1 failed",
#                          exit 1
#   closing                "1 passed, 0 failed" (or "0 passed, 1 failed")
#                          for ctest's count, and exit 1 if a check failed
#   closing_counted        the same with every check counted: "N passed,
#                          N failed"
#   need TOOL...           a tool the checks use is missing: "FAIL TOOL is
#                          not installed", the test fails at once (never
#                          passes with its checks dropped)
# $fail is 1 once a check failed (a script may set it for a failure it
# reports itself); $npass and $nfail count the checks.
fail=0 npass=0 nfail=0
check() {
	if eval "$2"; then echo "ok   $1"; npass=$((npass + 1))
	else echo "FAIL $1"; fail=1; nfail=$((nfail + 1)); fi
}
abort() { echo "FAIL $1"; echo "0 passed, 1 failed"; exit 1; }
closing() {
	[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
	exit $fail
}
closing_counted() {
	echo "$npass passed, $nfail failed"
	exit $fail
}
need() {
	local t missing=0
	for t in "$@"; do
		command -v "$t" >/dev/null && continue
		echo "FAIL $t is not installed (bash scripts/setup.sh test installs it)"
		missing=1
	done
	[ $missing -eq 0 ] && return 0
	fail=1 nfail=$((nfail + 1))
	# a script with an EXIT trap prints its closing line there
	[ -n "$(trap -p EXIT)" ] || echo "$npass passed, $nfail failed"
	exit 1
}
