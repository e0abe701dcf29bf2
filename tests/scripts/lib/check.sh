# tests/scripts/lib/check.sh — sourced: a script's checks and its closing
# line
#   check NAME CONDITION   evaluate CONDITION: "ok   NAME" or "FAIL NAME"
#   closing                "1 passed, 0 failed" (or "0 passed, 1 failed")
#                          for ctest's count, and exit 1 if a check failed
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
closing() {
	[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
	exit $fail
}
