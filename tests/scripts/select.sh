#!/usr/bin/env bash
# Which scenarios a run plays: --list (prints them, plays nothing),
# --filter REGEX, --rerun-failed OUTDIR, with --tag and --shard; a
# selection of none is exit 2 (but a rerun of a run where nothing failed
# is exit 0, saying so). What was played is read from the report.json
# and pcaps of the run, never from what the command says it chose.
# usage: select.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
sc="$src/tests/scenarios"
run() { "$sipflow" "$@" >"$out/o.txt" 2>"$out/e.txt"; echo $?; }
# the names of the scenarios a report.json holds, sorted, one line
played() { python3 -c "import json,sys; print(' '.join(sorted(s['name'] for s in json.load(open(sys.argv[1]))['scenarios'])))" "$1/report.json"; }
listed() { grep -oE '^[a-z0-9-]+  ' "$out/o.txt" | tr -d ' ' | sort | tr '\n' ' ' | sed 's/ $//'; }

# --- --list ----------------------------------------------------------------
rc=$(run run "$sc" --list --out "$out/l")
check "--list: exit 0, each scenario with its file, tags and roles, nothing played" \
	"[ $rc -eq 0 ] && [ \"\$(listed)\" = 'calls-in-a-row expect-unmet options-ping' ] &&
	 grep -qE '^options-ping  [^ ]*tests/scenarios/options-ping.yaml  tags: smoke  roles: A=ua B=ua$' '$out/o.txt' &&
	 grep -q '^3 scenarios selected' '$out/o.txt' && [ ! -e '$out/l' ]"
rc=$(run run "$sc" --list --tag smoke)
check "--list --tag smoke: options-ping only" "[ $rc -eq 0 ] && [ \"\$(listed)\" = options-ping ]"

# --- --filter ----------------------------------------------------------------
rc=$(run run "$sc" --list --filter '^exp')
check "--filter '^exp': expect-unmet only" "[ $rc -eq 0 ] && [ \"\$(listed)\" = expect-unmet ]"
rc=$(run run "$sc" --list --filter 'ping|row$')
check "--filter is POSIX extended ('ping|row\$'): two" \
	"[ $rc -eq 0 ] && [ \"\$(listed)\" = 'calls-in-a-row options-ping' ]"
rc=$(run run "$sc" --list --filter 'ping|row$' --shard 1/2)
s1=$(listed)
rc2=$(run run "$sc" --list --filter 'ping|row$' --shard 2/2)
s2=$(listed)
check "--shard cuts what --filter left: 1/2 and 2/2 one each, both covered" \
	"[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && [ -n '$s1' ] && [ -n '$s2' ] && [ '$s1' != '$s2' ] &&
	 [ \"\$(printf '%s\n' $s1 $s2 | sort | tr '\n' ' ')\" = 'calls-in-a-row options-ping ' ]"
rc=$(run run "$sc" --filter '(' --out "$out/f")
check "--filter '(': exit 2 naming the regex, nothing played" \
	"[ $rc -eq 2 ] && grep -q \"^--filter: '(' is not a regular expression\" '$out/e.txt' && [ ! -e '$out/f' ]"
rc=$(run run "$sc" --filter 'no-such-name' --out "$out/f")
check "--filter matching nothing: exit 2, 'no scenario selected', nothing played" \
	"[ $rc -eq 2 ] && grep -q 'no scenario selected: 3 files read, 0 past the filters; --filter' '$out/e.txt' && [ ! -e '$out/f' ]"
rc=$(run run "$sc" --tag no-such-tag --out "$out/f")
check "--tag matching nothing: exit 2" "[ $rc -eq 2 ] && grep -q 'no scenario selected' '$out/e.txt'"

# --- --rerun-failed ----------------------------------------------------------
rc=$(run run "$sc" --out "$out/all" --quiet)
check "the whole folder: exit 1 (expect-unmet fails by design), all three played" \
	"[ $rc -eq 1 ] && [ \"\$(played '$out/all')\" = 'calls-in-a-row expect-unmet options-ping' ]"
rc=$(run run "$sc" --rerun-failed "$out/all" --out "$out/re" --quiet)
check "--rerun-failed: only the one that failed is played again (exit 1: it fails again)" \
	"[ $rc -eq 1 ] && [ \"\$(played '$out/re')\" = expect-unmet ] &&
	 ! ls '$out/re' | grep -q options-ping && ! ls '$out/re' | grep -q calls-in-a-row"
rc=$(run run "$sc" --rerun-failed "$out/all" --list)
check "--rerun-failed --list: expect-unmet" "[ $rc -eq 0 ] && [ \"\$(listed)\" = expect-unmet ]"
rc=$(run run "$sc/options-ping.yaml" --rerun-failed "$out/all" --out "$out/re2")
check "--rerun-failed whose failures are not among the files given: exit 2, says so" \
	"[ $rc -eq 2 ] && grep -q 'not among those given' '$out/e.txt' && [ ! -e '$out/re2' ]"

rc=$(run run "$sc" --tag smoke --out "$out/ok" --quiet)
check "a run where all passed: exit 0" "[ $rc -eq 0 ] && [ \"\$(played '$out/ok')\" = options-ping ]"
rc=$(run run "$sc" --rerun-failed "$out/ok" --out "$out/re3")
check "--rerun-failed of a run where nothing failed: exit 0, says so, nothing played" \
	"[ $rc -eq 0 ] && grep -q 'nothing failed in .*/ok/report.json: nothing to rerun' '$out/o.txt' && [ ! -e '$out/re3' ]"

mkdir -p "$out/empty"
rc=$(run run "$sc" --rerun-failed "$out/empty" --out "$out/re4")
check "--rerun-failed of a folder without report.json: exit 2, the path named" \
	"[ $rc -eq 2 ] && grep -q 'empty/report.json: No such file or directory' '$out/e.txt' && [ ! -e '$out/re4' ]"
mkdir -p "$out/garbled"; printf '{"schema": 1, "scenarios": [' >"$out/garbled/report.json"
rc=$(run run "$sc" --rerun-failed "$out/garbled" --out "$out/re4")
check "--rerun-failed of a garbled report.json: exit 2, says it is not one" \
	"[ $rc -eq 2 ] && grep -q 'garbled/report.json: not a sipflow report.json' '$out/e.txt'"
mkdir -p "$out/foreign"; echo '{"schema": 7, "scenarios": []}' >"$out/foreign/report.json"
rc=$(run run "$sc" --rerun-failed "$out/foreign" --out "$out/re4")
check "--rerun-failed of another schema: exit 2" \
	"[ $rc -eq 2 ] && grep -q 'unknown schema' '$out/e.txt'"

closing_counted
