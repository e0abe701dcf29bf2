#!/usr/bin/env bash
# tests/scripts/yaml-input.sh — hostile files given as a scenario, an
# include: or a testbed: a FIFO, a device, a directory, a /proc file, 1 MB
# of unclosed brackets, an alias inside itself. Each is refused with exit 2
# and a sentence naming the file and why, in bounded time: every command
# runs under `timeout`, so a regression that hangs fails (status 124)
# instead of holding the suite.
# usage: yaml-input.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"

# at most 20 s each (a FIFO opened for reading blocks for ever)
run() { timeout 20 "$sipflow" "$@" >"$out/o.txt" 2>&1; echo $?; }
# run's output folder; lint has none (an option it does not take is
# refused before any file is read)
outopt() { [ "$1" = run ] && echo "--out $2"; }
says() { grep -qF -- "$1" "$out/o.txt" || { cat "$out/o.txt"; false; }; }

d=$out/files
mkdir -p "$d/blocks"
mkfifo "$d/fifo.yaml" "$d/blocks/fifo.yaml" || abort "mkfifo failed"

flow() { # NAME INCLUDE: a flow whose one step includes INCLUDE
	printf 'scenario: %s\nroles:\n  A: {kind: ua}\n  P: {kind: proxy}\n' "$1"
	printf 'steps:\n  - include: %s\n' "$2"
}

# the scenario file itself
for cmd in lint run; do
	rc=$(run $cmd "$d/fifo.yaml" $(outopt $cmd "$out/r-fifo"))
	check "$cmd of a FIFO: exit 2, 'it is a FIFO'" \
		"[ $rc -eq 2 ] && says 'fifo.yaml: cannot read: it is a FIFO, not a regular file'"
done
rc=$(run lint /dev/zero)
check "lint of /dev/zero: exit 2, 'it is a character device'" \
	"[ $rc -eq 2 ] && says '/dev/zero: cannot read: it is a character device, not a regular file'"

# include: of each kind (/dev/zero was "the file is empty", a directory
# "too large", a /proc file "the file is empty")
i=0
for inc in blocks/fifo.yaml /dev/zero blocks /proc/self/status; do
	i=$((i + 1))
	flow "inc$i" "$inc" >"$d/inc$i.yaml"
done
for cmd in lint run; do
	rc=$(run $cmd "$d/inc1.yaml" $(outopt $cmd "$out/r-inc1"))
	check "$cmd, include: of a FIFO: exit 2 at the include" \
		"[ $rc -eq 2 ] && says 'inc1.yaml:6:14: include blocks/fifo.yaml: cannot read' && says 'it is a FIFO, not a regular file'"
done
rc=$(run lint "$d/inc2.yaml")
check "include: of /dev/zero: exit 2, 'it is a character device'" \
	"[ $rc -eq 2 ] && says 'inc2.yaml:6:14: include /dev/zero: cannot read /dev/zero: it is a character device, not a regular file'"
rc=$(run lint "$d/inc3.yaml")
check "include: of a directory: exit 2, 'it is a directory'" \
	"[ $rc -eq 2 ] && says 'inc3.yaml:6:14: include blocks: cannot read' && says 'blocks: it is a directory, not a file'"
rc=$(run lint "$d/inc4.yaml")
check "include: of a /proc file: read (not 'empty'), not a block" \
	"[ $rc -eq 2 ] && says 'inc4.yaml:6:14: include /proc/self/status: /proc/self/status is not a block' && ! grep -q empty '$out/o.txt'"

# a testbed, and a file its tls: names
ok=$src/scenarios/rfc3665/direct-call.yaml
rc=$(run lint "$ok" --testbed "$d/fifo.yaml")
check "a testbed that is a FIFO: exit 2, 'it is a FIFO'" \
	"[ $rc -eq 2 ] && says 'fifo.yaml: cannot read: it is a FIFO, not a regular file'"
printf 'roles:\n  B: {kind: dut, address: tls:127.0.0.2,\n      tls: {ca: %s}}\n' \
	"$d/fifo.yaml" >"$d/tb-tls.yaml"
rc=$(run lint "$ok" --testbed "$d/tb-tls.yaml")
check "a testbed whose tls: ca: is a FIFO: exit 2 at its place" \
	"[ $rc -eq 2 ] && says 'tb-tls.yaml:3:17: role B: tls: ca: cannot read' && says 'it is a FIFO, not a regular file'"

# a file a phone plays (do: A play FILE): a FIFO held the run for ever
printf 'scenario: play\nroles:\n  A: {kind: phone}\n  B: {kind: phone}\nsteps:\n  - do: A dial B\n  - do: B answer\n  - do: A play %s\n' \
	"$d/fifo.yaml" >"$d/play.yaml"
for cmd in lint run; do
	rc=$(run $cmd "$d/play.yaml" $(outopt $cmd "$out/r-play"))
	check "$cmd, do: play of a FIFO: exit 2 at its place" \
		"[ $rc -eq 2 ] && says 'play.yaml:8:9: do: play: cannot read' && says 'it is a FIFO, not a regular file'"
done

# 1 MB of unclosed brackets: libyaml's scanner took quadratic time in
# the depth (100000 took 34 s); refused at the 100th level at once
for open in '[' '{a: '; do
	python3 -c "import sys; sys.stdout.write(sys.argv[1] * (1048576 // len(sys.argv[1])))" \
		"$open" >"$d/deep.yaml"
	rc=$(run lint "$d/deep.yaml")
	check "1 MB of '$open': exit 2 at the 100th level (within the 20 s guard)" \
		"[ $rc -eq 2 ] && says 'deep.yaml:1:' && says 'nested deeper than 100 levels'"
done

# an alias inside the node it names: a stack overflow in lint and run
printf 'x: &s\n  - *s\n' >"$d/self.yaml"
for cmd in lint run; do
	rc=$(run $cmd "$d/self.yaml" $(outopt $cmd "$out/r-self"))
	check "$cmd of an alias inside itself: exit 2 at the alias" \
		"[ $rc -eq 2 ] && says 'self.yaml:2:5: alias *s is inside the node it names' && ! grep -q Sanitizer '$out/o.txt'"
done

lints_big() { # WHAT FILE: lint passes (a hang guard of 120 s, no timing:
	# how long it takes is bench/yaml.sh's figure)
	local rc
	rc=$(timeout 120 "$sipflow" lint "$2" >"$out/o.txt" 2>&1; echo $?)
	check "$1 lints (exit $rc)" "[ $rc -eq 0 ]"
}

# 30000 steps (each response answering its request) and 30000 vars, and
# 30000 roles: step ids, variables and roles were looked up by walking
# lists (n^2/2 comparisons: 20000 steps took 30 s, 30000 vars 20 s,
# 20000 roles 12 s, under ASan)
python3 - "$d/many.yaml" "$d/roles.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
	f.write("scenario: many\nvars:\n")
	for i in range(30000):
		f.write("  v%d: x\n" % i)
	f.write("roles:\n  A: {kind: ua}\n  B: {kind: ua}\nsteps:\n")
	for i in range(1, 30001, 2):
		f.write("  - F%d: OPTIONS A -> B\n    headers: {X: \"${v0}\"}\n" % i)
		f.write("  - F%d: 200 OK B -> A\n    answers: F%d\n" % (i + 1, i))
with open(sys.argv[2], "w") as f:
	f.write("scenario: roles\nroles:\n")
	for i in range(30000):
		f.write("  R%d: {kind: ua}\n" % i)
	f.write("steps:\n  - F1: OPTIONS R0 -> R29999\n")
PY
lints_big "a flow of 30000 steps and 30000 vars" "$d/many.yaml"
lints_big "a flow of 30000 roles" "$d/roles.yaml"

# a value made of YAML escapes ("\e", "\a") quoted back in an error: the
# terminal gets \xNN, never the bytes (a title rewrite, a bell, colours)
printf 'scenario: t\nroles:\n  A: {kind: ua}\n  P: {kind: proxy}\n' \
	>"$d/esc.yaml"
printf 'steps:\n  - "b\\e]0;x\\aad": 1\n' >>"$d/esc.yaml"
rc=$(run lint "$d/esc.yaml")
check "lint quoting a value with escape bytes: shown as \\xNN, no raw ESC" \
	"[ $rc -eq 2 ] && says \"'b\\x1b]0;x\\x07ad' is not a step id\" && ! grep -q \$'\\e' '$out/o.txt'"

closing_counted
