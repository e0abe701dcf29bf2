#!/usr/bin/env bash
# The modules keep to their layering (docs/architecture.md): no include or
# call runs from a module to one it does not link, private headers stay in
# their folder, every other module (engine/, reports/) reaches the agents
# only through agents/agent.h. The source tree and the built static
# libraries are checked as they are (tests/scripts/layers.py); then a copy
# with one breach of each kind injected must be refused, naming the file
# and line or the symbol.
# usage: layers.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
build=$(dirname "$sipflow")
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
layers="$src/tests/scripts/layers.py"

python3 "$layers" "$src" --libs "$build" >"$out/tree.txt" 2>&1
rc=$?
cat "$out/tree.txt"
check "the tree and its libraries keep to the layering" "[ $rc -eq 0 ]"

# a copy of the sources with one breach of each kind
mkdir -p "$out/src"
(cd "$src" && git ls-files -z 2>/dev/null ||
	find . -name '*.[ch]' -o -name CMakeLists.txt | tr '\n' '\0') |
	(cd "$src" && xargs -0 cp --parents -t "$out/src" 2>/dev/null)
cp "$src/CMakeLists.txt" "$out/src/"
sed -i '0,/#include "hdr.h"/s//#include "hdr.h"\n#include "run.h"/' \
	"$out/src/engine/sip/msgb.c"
sed -i '0,/#include "scenario.h"/s//#include "scenario.h"\n#include "phone.h"/' \
	"$out/src/engine/run/run_teardown.c"
sed -i '0,/#include "scenario.h"/s//#include "scenario.h"\n#include "run_priv.h"/' \
	"$out/src/engine/cli/suite.c"
sed -i '0,/#include "console.h"/s//#include "console.h"\n#include "hil\/hil.h"/' \
	"$out/src/reports/console.c"
python3 "$layers" "$out/src" >"$out/bad.txt" 2>&1
rc=$?
cat "$out/bad.txt"
check "breaches injected: refused" "[ $rc -eq 1 ]"
check "an include upward is named with its file and line" \
	"grep -Eq '^engine/sip/msgb.c:[0-9]+: includes engine/run/run.h of module run, which sip does not link' '$out/bad.txt'"
check "a way into the agents other than the door is named" \
	"grep -Eq '^engine/run/run_teardown.c:[0-9]+: includes agents/phone.h: engine/run enters agents only through agent.h, media/mstream.h' '$out/bad.txt'"
check "outside engine/ too: reports reaching a driver header is named" \
	"grep -Eq '^reports/console.c:[0-9]+: includes agents/hil/hil.h: reports enters agents only through agent.h' '$out/bad.txt'"
check "a private header used outside its folder is named" \
	"grep -Eq '^engine/cli/suite.c:[0-9]+: includes engine/run/run_priv.h, private to engine/run/' '$out/bad.txt'"

# a call upward that dodges the includes: sip's library gets an object
# that calls the runner
mkdir -p "$out/libs"
cp "$build"/libsf_*.a "$out/libs/"
printf 'int run_alloc(void);\nint sneak(void) { return run_alloc(); }\n' \
	>"$out/sneak.c"
cc -c "$out/sneak.c" -o "$out/sneak.o" &&
	ar rcs "$out/libs/libsf_sip.a" "$out/sneak.o"
python3 "$layers" "$src" --libs "$out/libs" >"$out/call.txt" 2>&1
rc=$?
cat "$out/call.txt"
check "a call upward (sip calls run_alloc): refused, naming the symbol" \
	"[ $rc -eq 1 ] && grep -q '^sip: uses run_alloc of module run, which sip does not link' '$out/call.txt'"

closing
