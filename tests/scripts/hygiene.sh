#!/usr/bin/env bash
# The shell tests keep honest (tests/scripts/hygiene.py): every tool a
# test uses is asked for with need (a missing one fails the test, it never
# passes with its checks dropped), and sleep only polls a condition in a
# bounded loop. need itself: a missing tool gives a FAIL line naming it, a
# closing line, exit 1, and nothing after it runs. A copy of a test with
# one breach of each kind is refused, naming file and line.
# usage: hygiene.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
hygiene="$src/tests/scripts/hygiene.py"

python3 "$hygiene" "$src" >"$out/tree.txt" 2>&1
rc=$?
cat "$out/tree.txt"
check "every shell test asks for its tools and polls instead of sleeping" \
	"[ $rc -eq 0 ]"

# need, on a tool that is there and one that is not
bash -c ". '$src/tests/scripts/lib/check.sh'; need sh; echo sh-ok;
	need sh no-such-tool-sipflow; echo reached" >"$out/need.txt" 2>&1
rc=$?
cat "$out/need.txt"
check "need: a tool that is there lets the test go on" \
	"grep -qx sh-ok '$out/need.txt'"
check "need: a missing tool fails the test (exit 1), naming it" \
	"[ $rc -eq 1 ] && grep -qx 'FAIL no-such-tool-sipflow is not installed (bash scripts/setup.sh test installs it)' '$out/need.txt'"
check "need: the closing line counts the failure, and nothing runs after" \
	"grep -qx '0 passed, 1 failed' '$out/need.txt' && ! grep -q reached '$out/need.txt'"
# in a script with an EXIT trap (tests/interop/lib/checks.sh), the trap
# prints the closing line, once
bash -c "src='$src'; . '$src/tests/interop/lib/checks.sh'; check one true;
	need no-such-tool-sipflow; echo reached" >"$out/need2.txt" 2>&1
rc=$?
cat "$out/need2.txt"
check "need under an EXIT trap: exit 1, one closing line with the check before" \
	"[ $rc -eq 1 ] && [ \$(grep -c 'passed, ' '$out/need2.txt') -eq 1 ] && grep -qx '1 passed, 1 failed' '$out/need2.txt'"

# breaches injected into a copy
mkdir -p "$out/bad/tests/scripts" "$out/bad/tests/interop"
cp "$src/tests/scripts/reuse.sh" "$out/bad/tests/scripts/"
f="$out/bad/tests/scripts/reuse.sh"
printf 'if command -v tshark >/dev/null; then\n\ttrue\nfi\n' >>"$f"
printf 'some_device &\nsleep 0.3\n' >>"$f"
printf 'for _ in $(seq 5); do\n\ttrue && break\n\tsleep 0.1\ndone\n' >>"$f"
n=$(wc -l <"$f")
python3 "$hygiene" "$out/bad" >"$out/bad.txt" 2>&1
rc=$?
cat "$out/bad.txt"
check "breaches: refused" "[ $rc -eq 1 ]"
check "a tool guarded with command -v, with its line" \
	"grep -qx 'tests/scripts/reuse.sh:$((n - 8)): a tool guarded with command -v (use: need TOOL)' '$out/bad.txt'"
check "a sleep as synchronisation, with its line" \
	"grep -qx 'tests/scripts/reuse.sh:$((n - 4)): sleep outside a polling loop (wait for the condition)' '$out/bad.txt'"
check "the sleep of a polling loop is not named" \
	"[ \$(wc -l <'$out/bad.txt') -eq 2 ]"

closing_counted
