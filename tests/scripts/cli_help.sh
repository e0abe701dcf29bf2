#!/usr/bin/env bash
# Command-line conventions: -h/--help and -V/--version, did-you-mean for
# commands and options (exit 2), and the man page and bash completion
# generated from the command table. The drift check asks the parser
# itself which options each command accepts (every --name found in the
# CLI's sources and docs, every -X letter) and requires each accepted one
# in that command's --help, its man page section and its completion.
# usage: cli_help.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need man groff
run() { "$sipflow" "$@" >"$out/o.txt" 2>"$out/e.txt"; echo $?; }

# --- help and version -----------------------------------------------------
check "-h: exit 0, the commands listed" \
	"[ $(run -h) -eq 0 ] && grep -q '^  run  ' '$out/o.txt' && grep -q -- '--version' '$out/o.txt'"
check "--help: exit 0" "[ $(run --help) -eq 0 ] && grep -q '^usage: sipflow' '$out/o.txt'"
check "-V and --version: exit 0, 'sipflow VERSION'" \
	"[ $(run -V) -eq 0 ] && grep -qE '^sipflow [0-9]+\.[0-9]+' '$out/o.txt' &&
	 [ $(run --version) -eq 0 ] && grep -qE '^sipflow [0-9]+\.[0-9]+' '$out/o.txt'"
cmds=$("$sipflow" --completion bash | sed -n "s/^_sipflow_cmds='\(.*\)'$/\1/p")
check "the completion names the commands" "[ \$(echo $cmds | wc -w) -ge 10 ]"
for c in $cmds; do
	check "$c --help: exit 0, its usage on stdout" \
		"[ $(run "$c" --help) -eq 0 ] && grep -q '^usage: sipflow $c ' '$out/o.txt' && [ ! -s '$out/e.txt' ]"
	check "$c ARG -h (help after an argument): exit 0, nothing done" \
		"[ $(run "$c" "$out/none.yaml" -h) -eq 0 ] && grep -q '^usage: sipflow $c ' '$out/o.txt'"
	check "help $c: the same help" \
		"[ $(run help "$c") -eq 0 ] && grep -q '^usage: sipflow $c ' '$out/o.txt'"
done
check "lint --help does not read a file named --help" \
	"[ $(run lint --help) -eq 0 ] && ! grep -q 'files:' '$out/o.txt'"
# its lines wrapped before column 80, read as one
check "run --help: every option with its argument and default, no line past 79 columns" \
	"[ $(run run --help) -eq 0 ] && ! awk 'length > 79' '$out/o.txt' | grep -q . &&
	 tr '\n' ' ' <'$out/o.txt' | tr -s ' ' >'$out/o1.txt' && mv '$out/o1.txt' '$out/o.txt' && grep -qE -- '-o, --out DIR .*\(default: sipflow-out\)' '$out/o.txt' &&
	 grep -qE -- '--timeout DURATION .*\(default: 5s\)' '$out/o.txt' &&
	 grep -qE -- '--tag TAG .*\(repeatable\)' '$out/o.txt' &&
	 grep -qE -- '--filter REGEX ' '$out/o.txt' && grep -qE -- '--rerun-failed OUTDIR ' '$out/o.txt' &&
	 grep -qE -- '--list ' '$out/o.txt'"
check "after --, --help is a scenario's name: not found, exit 2" \
	"[ $(run lint -- --help) -eq 2 ] && grep -q '^--help: ' '$out/e.txt'"

# --- mistakes: did-you-mean, exit 2 ---------------------------------------
check "unknown command: exit 2, did you mean" \
	"[ $(run verfy x) -eq 2 ] && grep -q \"unknown command 'verfy' (did you mean 'verify'?)\" '$out/e.txt'"
check "unknown command far from any: exit 2, named, no guess" \
	"[ $(run frobnicate) -eq 2 ] && grep -q \"unknown command 'frobnicate'\" '$out/e.txt' && ! grep -q 'did you mean' '$out/e.txt'"
check "unknown option of run: exit 2, did you mean" \
	"[ $(run run "$src/scenarios" --filtr x) -eq 2 ] && grep -q \"sipflow run: unknown option '--filtr' (did you mean '--filter'?)\" '$out/e.txt'"
check "unknown option of lint before its file: exit 2, nothing read" \
	"[ $(run lint --testbd x.yaml "$src/scenarios") -eq 2 ] && grep -q \"did you mean '--testbed'\" '$out/e.txt' && ! grep -q 'files:' '$out/o.txt'"
check "unknown option --=value form: named without its value" \
	"[ $(run diff a b --tolerence=1s) -eq 2 ] && grep -q \"unknown option '--tolerence' (did you mean '--tolerance'?)\" '$out/e.txt'"
check "unknown sipflow option: exit 2, did you mean" \
	"[ $(run --verison) -eq 2 ] && grep -q \"did you mean '--version'\" '$out/e.txt'"
check "an option without its value: exit 2, says what it needs" \
	"[ $(run run "$src/scenarios" --out) -eq 2 ] && grep -q \"option '--out' needs DIR\" '$out/e.txt'"
check "a flag given a value: exit 2" \
	"[ $(run run "$src/scenarios" --quiet=yes) -eq 2 ] && grep -q \"'--quiet' takes no value\" '$out/e.txt'"

# --- the man page and the completion --------------------------------------
"$sipflow" --man >"$out/sipflow.1"
"$sipflow" --completion bash >"$out/sipflow.bash"
man --warnings -l "$out/sipflow.1" >/dev/null 2>"$out/man-warn.txt"
groff -man -ww -z "$out/sipflow.1" 2>>"$out/man-warn.txt"
check "the man page renders with man -l and groff without a warning" \
	"[ ! -s '$out/man-warn.txt' ]" || cat "$out/man-warn.txt"
MANWIDTH=200 man -l "$out/sipflow.1" 2>/dev/null | col -b >"$out/man.txt"
check "the man page has NAME, SYNOPSIS, COMMANDS, EXIT STATUS" \
	"grep -q '^NAME' '$out/man.txt' && grep -q '^SYNOPSIS' '$out/man.txt' && grep -q '^COMMANDS' '$out/man.txt' && grep -q '^EXIT STATUS' '$out/man.txt'"
bld=$(dirname "$sipflow")
if [ -f "$bld/CMakeCache.txt" ]; then
	check "the build wrote sipflow.1 and the completion as sipflow writes them" \
		"cmp -s '$out/sipflow.1' '$bld/sipflow.1' && cmp -s '$out/sipflow.bash' '$bld/sipflow.bash'"
	cmake --install "$bld" --prefix "$out/inst" >"$out/install.txt" 2>&1
	check "cmake --install puts the man page in man1 and the completion where bash-completion looks" \
		"cmp -s '$out/sipflow.1' '$out/inst/share/man/man1/sipflow.1' &&
		 cmp -s '$out/sipflow.bash' '$out/inst/share/bash-completion/completions/sipflow' &&
		 MANPATH='$out/inst/share/man' man -w sipflow | grep -q '$out/inst/share/man/man1/sipflow.1'"
fi

# the completion, driven through bash as readline would
comp() {
	bash -c '. "$1"; shift; complete -p sipflow >/dev/null || exit 9
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_sipflow; printf "%s\n" "${COMPREPLY[@]}"' _ "$out/sipflow.bash" "$@"
}
check "completion is registered for sipflow (complete -p)" \
	"bash -c '. \"$out/sipflow.bash\"; complete -p sipflow' | grep -q '_sipflow sipflow'"
check "completion of a command: 'sipflow ver' -> verify, version" \
	"[ \"\$(comp sipflow ver | sort | tr '\n' ' ')\" = 'verify version ' ]"
check "completion of an option: 'sipflow run --rer' -> --rerun-failed" \
	"[ \"\$(comp sipflow run --rer)\" = '--rerun-failed' ]"
check "completion of an option's value: --pcap-format p -> pcapng pcap" \
	"[ \"\$(comp sipflow run --pcap-format p | sort | tr '\n' ' ')\" = 'pcap pcapng ' ]"
mkdir -p "$out/c/sub"; : >"$out/c/a.yaml"; : >"$out/c/b.pcap"
check "completion of a scenario: yaml files and folders, not a pcap" \
	"(cd '$out' && [ \"\$(comp sipflow lint c/ | sort | tr '\n' ' ')\" = 'c/a.yaml c/sub ' ])"

# --- drift: every option the parser accepts is in all three ---------------
# The parser is asked, not the table: it compares an argument with the
# strings and letters of the sources, so the candidates are every string
# literal and --word of the CLI's sources and docs, and every letter.
# main() names every unknown option of a command line (not only the
# first), so one call per command probes them all: "--name=x" (a flag
# refuses the value, which is not "unknown"), "-L x" (a value letter
# takes x, a flag letter leaves it positional); --help last, so that
# nothing runs.
cands=$( (cat "$src"/engine/cli/*.c "$src/README.md" "$src/docs/suites.md" |
	grep -oE -- '--[a-z][a-z0-9-]+'
	cat "$src"/engine/cli/*.c | grep -oE '"[a-z][a-z0-9-]+"' | tr -d '"' |
		sed 's/^/--/'
	for l in {a..z} {A..Z}; do echo "-$l"; done
	echo --no-such-option) | sort -u)
probe=()
for o in $cands; do
	if [ "${o#--}" != "$o" ]; then probe+=("$o=x"); else probe+=("$o" x); fi
done
# a command's part of the man page and of the completion
man_of() { awk -v h="   sipflow $1 " 'index($0, h) == 1 {on = 1; print; next}
	/^   sipflow / || /^[A-Z]/ {on = 0} on' "$out/man.txt"; }
comp_of() { awk -v h="	$1)" '$0 == h {on = 1; next} /^	[a-z]+\)$/ || /^	esac$/ {on = 0} on' \
	"$out/sipflow.bash" | grep -E '^		-\*\)'; }
top_man() { awk '/^OPTIONS/ {on = 1; next} /^[A-Z]/ {on = 0} on' "$out/man.txt"; }
accepted=0 missing="" probed=""
for c in "" $cmds; do
	if [ -z "$c" ]; then
		"$sipflow" --help >"$out/h.txt"; top_man >"$out/m.txt"
		awk "/^	'')\$/ {on = 1; next} /^	[a-z]+\)\$/ {on = 0} on" "$out/sipflow.bash" |
			grep -E '^		-\*\)' >"$out/c.txt"
	else
		"$sipflow" "$c" --help >"$out/h.txt"; man_of "$c" >"$out/m.txt"
		comp_of "$c" >"$out/c.txt"
	fi
	"$sipflow" ${c:+"$c"} "${probe[@]}" --help >/dev/null 2>"$out/p.txt"
	# bash's own matching: a thousand greps would take a minute on a
	# busy machine
	perr=$(<"$out/p.txt") h=$(<"$out/h.txt") m=$(<"$out/m.txt") ct=$(<"$out/c.txt")
	[[ $perr == *"unknown option '--no-such-option'"* ]] ||
		probed="$probed ${c:-sipflow}"
	for o in $cands; do
		[[ $perr == *"unknown option '$o'"* ]] && continue
		accepted=$((accepted + 1))
		if [ "${o#--}" != "$o" ]; then pat="(^|[[:space:],|'])$o([[:space:]=']|\$)"
		else pat="(^|[[:space:]'])$o([[:space:],']|\$)"; fi
		[[ $h =~ $pat ]] || missing="$missing ${c:-sipflow}:$o(help)"
		[[ $m =~ $pat ]] || missing="$missing ${c:-sipflow}:$o(man)"
		[[ $ct =~ $pat ]] || missing="$missing ${c:-sipflow}:$o(completion)"
	done
done
check "the probe reached every command's parser (each named --no-such-option)${probed:+ (not:$probed)}" \
	"[ -z '$probed' ]"
check "the parser accepts options of every command (found: $accepted of $(echo $cands | wc -w) candidates a command)" \
	"[ $accepted -ge 60 ]"
check "every accepted option is in --help, the man page and the completion${missing:+ (missing:$missing)}" \
	"[ -z '$missing' ]"

closing_counted
