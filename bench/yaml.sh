#!/usr/bin/env bash
# bench/yaml.sh — how long sipflow lint takes on large and hostile
# scenario files: 1 MB of unclosed '[' and '{a: ' (refused at the 100th
# level), N steps with N vars, N roles, for N in 10000 20000 30000 (the
# loader's lookups are hashed: the time grows with N, not N^2). The
# tests (tests/scripts/yaml-input.sh) check what lint says, never how
# long it takes. The anchor is libyaml's own loader on the same bytes
# (python3 -c 'yaml.compose', which uses libyaml's C scanner when PyYAML
# has it, else its pure-Python one: printed). On the 1 MB of brackets
# PyYAML's composer stops at Python's recursion limit, early: that row
# says what sipflow's bound costs, not that the two do the same work.
# usage: bench/yaml.sh BUILD_DIR [N...]
set -eu
build=${1:-build}
shift $(( $# > 0 ? 1 : 0 ))
sizes=${*:-10000 20000 30000}
sipflow="$build/sipflow"
[ -x "$sipflow" ] || { echo "yaml.sh: $sipflow is not built" >&2; exit 2; }
grep -qs 'SIPFLOW_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" &&
	echo "yaml.sh: note: $build is a sanitizer build" >&2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

ms() { # COMMAND...: wall ms (the command's exit status ignored)
	local t0
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	echo $((($(date +%s%N) - t0) / 1000000))
}
loader=$(python3 -c 'import yaml; print("libyaml (C)" if getattr(yaml, "__with_libyaml__", False) else "PyYAML (pure Python)")' 2>/dev/null || echo none)
anchor() { # FILE: PyYAML compose, with libyaml's scanner when it has it
	python3 -c 'import sys, yaml
L = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
yaml.compose(open(sys.argv[1]).read(), Loader=L)' "$1"
}

printf '%-34s %12s %14s\n' "input" "sipflow lint" "anchor: $loader"
for open in '[' '{a: '; do
	python3 -c "import sys; sys.stdout.write(sys.argv[1] * (1048576 // len(sys.argv[1])))" \
		"$open" >"$d/deep.yaml"
	printf '%-34s %9s ms %11s ms\n' "1 MB of '$open'" \
		"$(ms "$sipflow" lint "$d/deep.yaml")" \
		"$(ms timeout 60 anchor "$d/deep.yaml")"
done
for n in $sizes; do
	python3 - "$d/many.yaml" "$d/roles.yaml" "$n" <<'PY'
import sys
n = int(sys.argv[3])
with open(sys.argv[1], "w") as f:
	f.write("scenario: many\nvars:\n")
	for i in range(n):
		f.write("  v%d: x\n" % i)
	f.write("roles:\n  A: {kind: ua}\n  B: {kind: ua}\nsteps:\n")
	for i in range(1, n + 1, 2):
		f.write("  - F%d: OPTIONS A -> B\n    headers: {X: \"${v0}\"}\n" % i)
		f.write("  - F%d: 200 OK B -> A\n    answers: F%d\n" % (i + 1, i))
with open(sys.argv[2], "w") as f:
	f.write("scenario: roles\nroles:\n")
	for i in range(n):
		f.write("  R%d: {kind: ua}\n" % i)
	f.write("steps:\n  - F1: OPTIONS R0 -> R1\n  - F2: 200 OK R1 -> R0\n")
PY
	printf '%-34s %9s ms %11s ms\n' "$n steps and $n vars" \
		"$(ms "$sipflow" lint "$d/many.yaml")" \
		"$(ms anchor "$d/many.yaml")"
	printf '%-34s %9s ms %11s ms\n' "$n roles" \
		"$(ms "$sipflow" lint "$d/roles.yaml")" \
		"$(ms anchor "$d/roles.yaml")"
done
