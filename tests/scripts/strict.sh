#!/usr/bin/env bash
# tests/scripts/strict.sh — run --strict: a rule warning (a SHOULD of the
# RFC) fails its step, and the verdict says so; without it the step
# passes and the warning is a note. A 302 without Contact breaks the
# SHOULD of CONTACT-3XX (RFC 3261 §21.3.3).
# usage: strict.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
run() { "$sipflow" "$@" >"$out/o.txt" 2>&1; echo $?; }

moved="$src/tests/reports/moved.yaml"
roles="--role A=ua:udp:127.0.49.10:5060 --role B=ua:udp:127.0.49.11:5060"

# shellcheck disable=SC2086
rc=$(run run "$moved" --out "$out/plain" $roles)
cat "$out/o.txt"
check "a 302 without Contact: exit 0 (a warning)" "[ $rc -eq 0 ]"
check "the warning names CONTACT-3XX" \
	"grep -q 'warning: rule CONTACT-3XX (RFC 3261 §8.3, §21.3.2, §21.3.3)' '$out/o.txt'"

# shellcheck disable=SC2086
rc=$(run run "$moved" --out "$out/strict" --strict $roles)
cat "$out/o.txt"
check "the same under --strict: exit 1" "[ $rc -eq 1 ]"
check "F2 fails naming the rule and --strict" \
	"grep -A1 '^  F2 ' '$out/o.txt' | grep -q 'rule CONTACT-3XX .*a SHOULD of the RFC: a warning, failing the step under --strict'"
check "report.json keeps its severity: warning" \
	"python3 -c \"import json,sys; d=json.load(open('$out/strict/report.json')); s=json.dumps(d); sys.exit(not ('CONTACT-3XX' in s and '\\\"warning\\\"' in s))\""
run run --help >/dev/null
check "usage names --strict" "grep -q -- '--strict' '$out/o.txt'"

closing
