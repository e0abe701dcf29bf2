#!/usr/bin/env bash
# The parts of STYLE.md a machine can check hold for every C file
# (tests/scripts/style.py: the first line names the file and what it is
# for, tabs indent, at most 79 columns, no trailing white space); a copy
# with one breach of each kind is refused, naming file and line.
# usage: style.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
style="$src/tests/scripts/style.py"

python3 "$style" "$src" >"$out/tree.txt" 2>&1
rc=$?
cat "$out/tree.txt"
check "every C file of the tree keeps to the checkable style" "[ $rc -eq 0 ]"

mkdir -p "$out/bad/engine/sip"
cp "$src/engine/sip/hdr.c" "$src/engine/sip/hdr.h" "$out/bad/engine/sip/"
f="$out/bad/engine/sip/hdr.c"
sed -i '1s|engine/sip/hdr.h|engine/sip/header.h|' "$out/bad/engine/sip/hdr.h"
printf '\nint style_breach(void)\n{\n    return 0; \n}\n' >>"$f"
printf '/* %s */\n' "$(printf 'x%.0s' $(seq 1 80))" >>"$f"
python3 "$style" "$out/bad" >"$out/bad.txt" 2>&1
rc=$?
cat "$out/bad.txt"
check "breaches: refused" "[ $rc -eq 1 ]"
check "a first line naming another file" \
	"grep -q '^engine/sip/hdr.h:1: the first line does not say' '$out/bad.txt'"
check "indentation with spaces, with its line" \
	"grep -Eq '^engine/sip/hdr.c:[0-9]+: indented with spaces' '$out/bad.txt'"
check "trailing white space, with its line" \
	"grep -Eq '^engine/sip/hdr.c:[0-9]+: trailing white space' '$out/bad.txt'"
check "a line of 86 columns" \
	"grep -Eq '^engine/sip/hdr.c:[0-9]+: 86 columns \\(at most 79\\)' '$out/bad.txt'"

closing
