#!/usr/bin/env bash
# cost: 31
# timers.sh and status.sh once more with --real-time on every run: the
# timer flows pass on libre's clock as they do on a virtual one (ctest
# runs them as they are, where every flow of scripted roles only is
# played on virtual time).
# usage: realtime.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"

# sipflow, with --real-time after "run"
cat >"$out/sipflow-rt" <<SH
#!/usr/bin/env bash
if [ "\${1:-}" = run ]; then shift; exec "$sipflow" run --real-time "\$@"; fi
exec "$sipflow" "\$@"
SH
chmod +x "$out/sipflow-rt"

for t in timers status; do
	bash "$src/tests/scripts/$t.sh" "$out/sipflow-rt" "$src" "$out/$t" \
		>"$out/$t.txt" 2>&1
	rc=$?
	# its checks (a scenario's own FAIL line is not one)
	grep -E '^(ok  |FAIL) ' "$out/$t.txt" | grep -vE ': [0-9]+ passed, ' |
		sed "s/^\(ok  \|FAIL\) /&$t: /"
	check "$t.sh with --real-time: passes" \
		"[ $rc -eq 0 ] && tail -1 '$out/$t.txt' | grep -q '^1 passed, 0 failed'"
done

closing
