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
check "run --help: every option with its argument and default" \
	"[ $(run run --help) -eq 0 ] && grep -qE -- '-o, --out DIR .*\(default: sipflow-out\)' '$out/o.txt' &&
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
if [ -f "$(dirname "$sipflow")/sipflow.1" ]; then
	check "the build wrote sipflow.1 and the completion as sipflow writes them" \
		"cmp -s '$out/sipflow.1' '$(dirname "$sipflow")/sipflow.1' && cmp -s '$out/sipflow.bash' '$(dirname "$sipflow")/sipflow.bash'"
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
# the candidates: every --word of the CLI's sources and docs, and every
# string and letter of the command table (main() refuses any argument the
# table does not have before a command runs)
cands=$( (cat "$src"/engine/cli/*.c "$src/README.md" "$src/docs/suites.md" |
	grep -oE -- '--[a-z][a-z0-9-]+'
	grep -oE '"[a-z][a-z0-9-]+"' "$src/engine/cli/cmdtab.c" | tr -d '"' |
		sed 's/^/--/'
	grep -oE "'[a-zA-Z]'" "$src/engine/cli/cmdtab.c" | tr -d "'" |
		sed 's/^/-/') | sort -u)
# a command's part of the man page and of the completion
man_of() { awk -v h="   sipflow $1 " 'index($0, h) == 1 {on = 1; print; next}
	/^   sipflow / || /^[A-Z]/ {on = 0} on' "$out/man.txt"; }
comp_of() { awk -v h="	$1)" '$0 == h {on = 1; next} /^	[a-z]+\)$/ || /^	esac$/ {on = 0} on' \
	"$out/sipflow.bash" | grep -E '^		-\*\)'; }
top_man() { awk '/^OPTIONS/ {on = 1; next} /^[A-Z]/ {on = 0} on' "$out/man.txt"; }
accepted=0 missing=""
for c in "" $cmds; do
	if [ -z "$c" ]; then
		"$sipflow" --help >"$out/h.txt"; top_man >"$out/m.txt"
		awk "/^	'')\$/ {on = 1; next} /^	[a-z]+\)\$/ {on = 0} on" "$out/sipflow.bash" |
			grep -E '^		-\*\)' >"$out/c.txt"
	else
		"$sipflow" "$c" --help >"$out/h.txt"; man_of "$c" >"$out/m.txt"
		comp_of "$c" >"$out/c.txt"
	fi
	for o in $cands; do
		# a value option takes =x and then shows help; a flag refuses
		# the value; an unknown one is named so
		if [ "${o#--}" != "$o" ]; then
			e=$("$sipflow" ${c:+"$c"} "$o=x" --help 2>&1 >/dev/null)
		else
			e=$("$sipflow" ${c:+"$c"} "$o" x --help 2>&1 >/dev/null)
		fi
		[[ $e == *"unknown option"* ]] && continue
		accepted=$((accepted + 1))
		if [ "${o#--}" != "$o" ]; then pat="(^|[ ,|'])$o([ =]|\$|')"
		else pat="(^|[ '])$o(,| |\$|')"; fi
		grep -qE -- "$pat" "$out/h.txt" || missing="$missing ${c:-sipflow}:$o(help)"
		grep -qE -- "$pat" "$out/m.txt" || missing="$missing ${c:-sipflow}:$o(man)"
		grep -qE -- "$pat" "$out/c.txt" || missing="$missing ${c:-sipflow}:$o(completion)"
	done
done
check "the parser accepts options of every command (found: $accepted of $(echo $cands | wc -w) candidates)" "[ $accepted -ge 60 ]"
check "every accepted option is in --help, the man page and the completion${missing:+ (missing:$missing)}" \
	"[ -z '$missing' ]"

closing_counted
