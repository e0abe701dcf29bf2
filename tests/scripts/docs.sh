#!/usr/bin/env bash
# Every command and YAML example of README.md and docs/*.md runs against
# the built sipflow (docexamples.py; the convention: docs/doc-examples.md),
# the blocks marked device or skip are counted and named; and the test
# fails, naming the page and the line, when an example is broken: a
# wrong key in a YAML block, a wrong flag in a command, an option a
# synopsis names that sipflow lacks, output that differs, an excerpt that
# drifted from its file, a command nobody marked.
# usage: docs.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need python3 kamailio tshark sipp
dx() { python3 "$src/tests/scripts/docexamples.py" "$sipflow" "$src" "$@"; }

# --- the pages as they are ----------------------------------------------
dx "$out/all" >"$out/all.txt" 2>&1
rc=$?
grep -E '^(FAIL|  )' "$out/all.txt"
tail -1 "$out/all.txt"
check "every example of README.md and docs/*.md runs as shown (exit 0)" \
	"[ $rc -eq 0 ]"
check "the pages hold examples: at least 50 checked" \
	"[ \$(sed -nE 's/^([0-9]+) example.*/\1/p' '$out/all.txt') -ge 50 ]"
check "the tutorial's every block ran, none marked away" \
	"[ \$(grep -c '^ok   docs/tutorial.md:' '$out/all.txt') -ge 10 ] &&
	 ! grep -q '^  docs/tutorial.md:' '$out/all.txt'"
check "the blocks not run are counted and named with their reasons" \
	"grep -qE '^[0-9]+ block\(s\) not run on this machine' '$out/all.txt' &&
	 grep -q '^  docs/hil.md:[0-9]*: needs a device this machine lacks' '$out/all.txt'"

# --- broken on purpose: each fails, naming the page and the block's line --
mkdir -p "$out/neg"
# a wrong key in the opening example of scenario-format.md (line 7)
sed '0,/^steps:$/s//stpes:/' "$src/docs/scenario-format.md" \
	>"$out/neg/scenario-format.md"
dx "$out/sf" "$out/neg/scenario-format.md" >"$out/sf.txt" 2>&1
check "a wrong key in a YAML block: exit 1" "[ $? -eq 1 ]"
check "... named at the block's line, with lint's reason" \
	"grep -q \"^FAIL $out/neg/scenario-format.md:7: lint and run in self-play: exit 2\" '$out/sf.txt' &&
	 grep -q \"unknown key 'stpes' (did you mean 'steps'?)\" '$out/sf.txt'"
# a wrong flag in a command of testbed.md
sed 's/^sipflow lint scenarios\/ --testbed testbed.yaml$/sipflow lint scenarios\/ --testbd testbed.yaml/' \
	"$src/docs/testbed.md" >"$out/neg/testbed.md"
line=$(grep -n -- '--testbd' "$out/neg/testbed.md" | cut -d: -f1)
dx "$out/tb" "$out/neg/testbed.md" >"$out/tb.txt" 2>&1
check "a wrong flag in a command: exit 1, named at its block's line" \
	"[ $? -eq 1 ] && [ -n '$line' ] &&
	 grep -q \"^FAIL $out/neg/testbed.md:$((line - 1)): exit 2, expected 0\" '$out/tb.txt'"
# an option the README's synopsis names that sipflow does not have
sed 's/\[--strict\]/[--strickt]/' "$src/README.md" >"$out/neg/README.md"
dx "$out/rd" "$out/neg/README.md" >"$out/rd.txt" 2>&1
check "a synopsis naming an option sipflow lacks: exit 1, named" \
	"[ $? -eq 1 ] && grep -qE \"^FAIL $out/neg/README.md:[0-9]+: synopsis: sipflow run has no option --strickt\" '$out/rd.txt'"

# a page of its own: each kind of block broken once, and two not run
cat >"$out/neg/page.md" <<'MD'
# A page with broken examples

```console test
$ sipflow lint scenarios/rfc3665/direct-call.yaml
1 files: 2 ok, 0 with errors
```

```yaml excerpt=scenarios/rfc3665/direct-call.yaml
  - F2: 180 Ringing B -> A
  - F3: 183 Session Progress B -> A
```

```yaml lint with=abp-steps.yaml
  - F1: OPTIONS A -> P
    expct: {header: {Subject: present}}
```

    sipflow run scenarios/rfc3665/direct-call.yaml

```yaml
roles: {}
```

```sh device
sipflow run x.yaml --role A=dut:udp:192.0.2.5:5060
```

```sh skip="runs for an hour"
bash scripts/fuzz.sh run sip 3600
```

Lint it with `sipflow lint --frobnicate x.yaml` first.

```yaml run
scenario: fine
roles:
  A: {kind: ua}
  B: {kind: ua}
steps:
  - F1: OPTIONS A -> B
  - F2: 200 OK B -> A
```
MD
dx "$out/pg" "$out/neg/page.md" >"$out/pg.txt" 2>&1
check "a page of broken examples: exit 1" "[ $? -eq 1 ]"
p="FAIL $out/neg/page.md"
check "output that differs from the page: named at line 3" \
	"grep -q \"^$p:3: \\\`sipflow lint scenarios/rfc3665/direct-call.yaml\\\`: output differs\" '$out/pg.txt'"
check "an excerpt that drifted from its file: named at line 8, with the line" \
	"grep -q \"^$p:8: excerpt of scenarios/rfc3665/direct-call.yaml: '- F3: 183 Session Progress B -> A' is not there\" '$out/pg.txt'"
check "a fragment with a wrong key: named at line 13, with lint's reason" \
	"grep -q \"^$p:13: sipflow lint exits 2\" '$out/pg.txt' &&
	 grep -q \"unknown key 'expct'\" '$out/pg.txt'"
check "an indented command nobody marked: named at line 18" \
	"grep -q \"^$p:18: a command in a block that is not run\" '$out/pg.txt'"
check "a YAML block that says nothing: named at line 20" \
	"grep -q \"^$p:20: a YAML block says neither\" '$out/pg.txt'"
check "the good flow on the page passes" \
	"grep -q \"^ok   $out/neg/page.md:34: lint accepts it and it passes in self-play\" '$out/pg.txt'"
check "a command in the prose with an option sipflow lacks: named at line 32" \
	"grep -q \"^$p:32: \\\`sipflow lint --frobnicate x.yaml\\\`: sipflow lint has no option --frobnicate\" '$out/pg.txt'"
check "device and skip blocks: counted (2) and named with their reasons" \
	"grep -q '^2 block(s) not run on this machine, as marked:' '$out/pg.txt' &&
	 grep -q \"^  $out/neg/page.md:24: needs a device this machine lacks\" '$out/pg.txt' &&
	 grep -q \"^  $out/neg/page.md:28: runs for an hour\" '$out/pg.txt' &&
	 grep -q ' 6 failed, 2 not run' '$out/pg.txt'"

closing_counted
