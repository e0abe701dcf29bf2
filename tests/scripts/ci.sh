#!/usr/bin/env bash
# What a CI job reads of a run: the console (a line per passing scenario,
# the failing one's steps, the failures block at the end with the file:
# line of each failing step; --quiet the block alone; --verbose every
# step; a progress line on a terminal only), the exit status (2 for a
# selection that keeps nothing and for two scenarios of one name) and
# junit.xml (valid against Ant's schema, tests/data/junit-ant.xsd, with a
# failure, a refused scenario and an interrupt each the right element).
# usage: ci.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
need xmllint python3
xsd=$src/tests/data/junit-ant.xsd

# the flows, copies of the project's own under names of this test
f=$out/flows
mkdir -p "$f/two" "$f/ci" "$f/blocks" "$f/dup/sub" "$f/dup2/sub"
sed 's/^scenario: expect-unmet/scenario: ci-fail/' \
	"$src/tests/scenarios/expect-unmet.yaml" >"$f/two/1-fail.yaml"
sed 's/^scenario: options-ping/scenario: ci-pass/' \
	"$src/tests/scenarios/options-ping.yaml" >"$f/two/2-pass.yaml"
# where F2 is written: the line the failures block must name
line=$(grep -n -- '- F2:' "$f/two/1-fail.yaml" | cut -d: -f1)
why='header Subject: expected present, but the message has none'

# --- the console --------------------------------------------------------
"$sipflow" run "$f/two" --out "$out/brief" >"$out/brief.txt" 2>&1
check "a failing scenario: exit 1" "[ $? -eq 1 ]"
check "brief: the passing scenario is its summary line alone" \
	"grep -q '^\[2/2\] PASS ci-pass: 2 passed, 0 failed' '$out/brief.txt' &&
	 ! grep -q '^ci-pass — ' '$out/brief.txt' &&
	 [ -z \"\$(sed -n '/^\[1\/2\] FAIL/,/^\[2\/2\] PASS/p' '$out/brief.txt' | sed '1d;\$d' | tr -d '\n')\" ]"
check "brief: the failing scenario's steps, F2 with its file:line and reason" \
	"grep -q '^ci-fail — ' '$out/brief.txt' &&
	 grep -A1 '^  F2 .*FAIL' '$out/brief.txt' | tail -1 |
	 grep -qF '$f/two/1-fail.yaml:$line: $why'"
cat >"$out/block.want" <<EOF
failed scenarios (1):
  ci-fail: F2 200 OK B -> A
    $f/two/1-fail.yaml:$line: $why (pcap frame 2)
EOF
check "the failures block: the scenario, its first failing step, file:line, reason" \
	"tail -5 '$out/brief.txt' | head -4 | diff - <(echo; cat '$out/block.want') >/dev/null"
check "the closing line last" \
	"tail -1 '$out/brief.txt' | grep -qE '^scenarios: 1 passed, 1 failed \([0-9.]+ s\)$'"
check "not a terminal: no progress line, no colour (no CR, no ESC)" \
	"! grep -q \$'[\r\x1b]' '$out/brief.txt'"

"$sipflow" run "$f/two" --out "$out/quiet" --quiet >"$out/quiet.txt" 2>&1
check "--quiet: exit 1" "[ $? -eq 1 ]"
check "--quiet prints the failures block and the closing line, nothing else" \
	"head -3 '$out/quiet.txt' | diff - '$out/block.want' >/dev/null &&
	 [ \$(wc -l <'$out/quiet.txt') -eq 4 ] &&
	 tail -1 '$out/quiet.txt' | grep -q '^scenarios: 1 passed, 1 failed'"

"$sipflow" run "$f/two" --out "$out/verbose" --verbose >"$out/verbose.txt" 2>&1
check "--verbose: every scenario's steps, the passing one's too" \
	"[ $? -eq 1 ] && grep -q '^ci-pass — ' '$out/verbose.txt' &&
	 grep -qE '^  F1 +OPTIONS +A -> B +pass' '$out/verbose.txt' &&
	 grep -q '^failed scenarios (1):' '$out/verbose.txt'"

# on a terminal (a pty): the progress line, drawn in place, then erased;
# the lines a log gets are still there, whole
python3 - "$sipflow" "$f/two" "$out/tty" >"$out/tty.raw" <<'PY'
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["NO_COLOR"] = "1"
    os.execv(sys.argv[1], [sys.argv[1], "run", sys.argv[2], "--out",
                           sys.argv[3], "--jobs", "1"])
data, end = b"", time.time() + 60
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 1)
    if not r:
        continue
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    data += b
_, st = os.waitpid(pid, 0)
sys.stdout.buffer.write(data)
sys.stderr.write("rc=%d\n" % os.WEXITSTATUS(st))
PY
check "a terminal: the progress line counts and names what plays" \
	"grep -qaF \$'\r[0/2] 0 passed, 0 failed' '$out/tty.raw' &&
	 grep -qa 'playing ci-fail' '$out/tty.raw' &&
	 grep -qa '\[1/2\] 0 passed, 1 failed .*playing ci-pass' '$out/tty.raw'"
check "... erased in place before each line and at the end" \
	"grep -qaF \$'\r\x1b[K[1/2] FAIL ci-fail' '$out/tty.raw' ||
	 grep -qaF \$'\r\x1b[Kci-fail — ' '$out/tty.raw'"
# what stays on the screen: each line's last part after a carriage return
screen() {
	python3 -c 'import re, sys
t = open(sys.argv[1], "rb").read().decode()
for l in t.replace("\r\n", "\n").split("\n"):
    l = l.split("\r")[-1].replace("\x1b[K", "")
    print(re.sub(r"\([0-9.]+ s\)", "(T)", l.replace(sys.argv[2], "OUT")))' "$@"
}
check "... what stays on the screen is what a log gets" \
	"diff <(screen '$out/tty.raw' '$out/tty') <(screen '$out/brief.txt' '$out/brief') >'$out/tty.diff'"

# --- exit status 2: nothing selected, two scenarios of one name ----------
"$sipflow" run "$f/two" --tag nosuch --out "$out/none" >"$out/none.txt" 2>&1
check "--tag matching nothing: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -qF 'no scenario selected: --tag nosuch matches none of the 2 scenarios loaded' '$out/none.txt' &&
	 [ ! -e '$out/none/report.json' ]"
"$sipflow" run "$f/two" --shard 3/3 --out "$out/none" >"$out/shard.txt" 2>&1
check "an empty shard: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -qF 'no scenario selected: --shard 3/3 leaves none of the 2 scenarios loaded' '$out/shard.txt'"
"$sipflow" run "$f/two" --tag smoke --shard 2/2 --out "$out/none" \
	>"$out/tagshard.txt" 2>&1
check "tags and shard together: exit 2, naming both" \
	"[ $? -eq 2 ] && grep -qF -- '--tag smoke --shard 2/2 leaves none of the 2 scenarios loaded (1 past the filters' '$out/tagshard.txt'"
cp "$src/scenarios/blocks/hangup.yaml" "$f/blocks/"
"$sipflow" run "$f/blocks" --out "$out/none" >"$out/blocks.txt" 2>&1
check "only blocks: exit 2, saying so" \
	"[ $? -eq 2 ] && grep -qF 'no scenario selected: the files given hold no flow' '$out/blocks.txt'"

# one name twice: scenario: in one, the file's name in the other
sed 's/^scenario: options-ping/scenario: ci-dup/' \
	"$src/tests/scenarios/options-ping.yaml" >"$f/dup/a.yaml"
grep -v '^scenario:' "$src/tests/scenarios/options-ping.yaml" \
	>"$f/dup/sub/ci-dup.yaml"
"$sipflow" run "$f/dup" --out "$out/dup" >"$out/dup.txt" 2>&1
check "two scenarios of one name: exit 2, nothing played" \
	"[ $? -eq 2 ] && [ ! -e '$out/dup/report.json' ]"
check "... naming both files and where each name is given" \
	"grep -qF \"$f/dup/sub/ci-dup.yaml: scenario name 'ci-dup' (its file's name) is also the name of $f/dup/a.yaml:2:1\" '$out/dup.txt'"
sed 's/^scenario: options-ping/scenario: ci-dup/' \
	"$src/tests/scenarios/options-ping.yaml" >"$f/dup2/a.yaml"
{ echo "# the same name, a line lower"; cat "$f/dup2/a.yaml"; } \
	>"$f/dup2/sub/b.yaml"
"$sipflow" run "$f/dup2" --tag nosuch --out "$out/dup2" >"$out/dup2.txt" 2>&1
check "... both with scenario:, each file:line:col (before any --tag)" \
	"[ $? -eq 2 ] && grep -qF \"$f/dup2/sub/b.yaml:3:1: scenario name 'ci-dup' is also the name of $f/dup2/a.yaml:2:1\" '$out/dup2.txt'"

# --- junit.xml: a failure, a refused scenario, an interrupt -------------
cp "$f/two/1-fail.yaml" "$f/ci/1-fail.yaml"
sed -e 's/^scenario: options-ping/scenario: ci-refused/' \
	-e 's/^  A:/  Q:/; s/^  B:/  R:/; s/A -> B/Q -> R/; s/B -> A/R -> Q/' \
	"$src/tests/scenarios/options-ping.yaml" >"$f/ci/2-refused.yaml"
sed 's/^scenario: basic-call/scenario: ci-interrupt/' \
	"$src/scenarios/yealink/basic-call.yaml" >"$f/ci/3-interrupt.yaml"
sed 's/^scenario: options-ping/scenario: ci-after/' \
	"$src/tests/scenarios/options-ping.yaml" >"$f/ci/4-after.yaml"
# Q's address held by another process: ci-refused cannot start
fifo=$out/holder.fifo
mkfifo "$fifo"
python3 -c 'import socket, signal, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.44.30", 5060))
print("ready", flush=True)
signal.pause()' >"$fifo" &
holder=$!
read -r -t 10 ready <"$fifo" || ready=""
[ "$ready" = ready ] || { kill "$holder"; abort "cannot hold 127.0.44.30:5060"; }
# P a silent device: ci-interrupt waits at F2 until SIGINT
"$sipflow" run "$f/ci" --out "$out/ci" --verbose --timeout 30s \
	--role Q=ua:udp:127.0.44.30:5060 --role P=dut:udp:127.0.44.99:5060 \
	--timer T1=30s --timer T2=30s >"$out/ci.txt" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q '^  F1 .*A -> P' "$out/ci.txt" 2>/dev/null && break
	sleep 0.1
done
kill -INT "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
wait "$pid"; rc=$?
kill "$holder"; wait "$holder" 2>/dev/null
check "a refusal, a failure and an interrupt: exit 2" "[ $rc -eq 2 ]"
check "the failures block names all three" \
	"sed -n '/^failed scenarios (3):/,\$p' '$out/ci.txt' >'$out/ci.block' &&
	 grep -q '^  ci-fail: F2 200 OK B -> A' '$out/ci.block' &&
	 grep -q '^  ci-refused: refused' '$out/ci.block' &&
	 grep -A1 '^  ci-refused: refused' '$out/ci.block' | grep -q '127.0.44.30' &&
	 grep -q '^  ci-interrupt: F2 INVITE P -> B (interrupted)' '$out/ci.block' &&
	 grep -q 'interrupted (SIGINT)' '$out/ci.block'"
check "junit.xml is valid against Ant's JUnit schema" \
	"xmllint --noout --schema '$xsd' '$out/ci/junit.xml' 2>'$out/xmllint.txt'"
python3 - "$out/ci/junit.xml" "$f/ci" "$line" <<'PY' || fail=1
import sys, xml.etree.ElementTree as ET
path, flows, line = sys.argv[1], sys.argv[2], sys.argv[3]
ok = True
def check(what, cond):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
root = ET.parse(path).getroot()
suites = {s.get("name"): s for s in root.findall("testsuite")}
check("junit: a testsuite for the failed, the refused and the interrupted "
      "scenario (the one not reached has none)",
      sorted(suites) == ["ci-fail", "ci-interrupt", "ci-refused"])
kinds = lambda s: [c[0].tag if len(c) else "pass" for c in s.findall("testcase")]
f = suites["ci-fail"]
check("junit ci-fail: F1 passed, F2 a <failure>; F3, F4 (not run) no testcase",
      kinds(f) == ["pass", "failure"] and
      [c.get("name") for c in f.findall("testcase")] ==
      ["F1 OPTIONS A -> B", "F2 200 OK B -> A"])
check("junit ci-fail: counted tests 2, failures 1, errors 0, skipped 0",
      [f.get(k) for k in ("tests", "failures", "errors", "skipped")] ==
      ["2", "1", "0", "0"])
c = f.findall("testcase")[1]
check("junit ci-fail F2: file and line where it is written",
      c.get("file") == flows + "/1-fail.yaml" and c.get("line") == line)
check("junit ci-fail F2: the failure says why, where, and what did not run",
      c[0].get("type") == "verdict" and c[0].get("message") ==
      "header Subject: expected present, but the message has none" and
      "not run after it: F3 OPTIONS A -> B, F4 200 OK B -> A" in c[0].text)
check("junit ci-fail: classname sipflow.<folder>.<scenario>",
      {x.get("classname") for x in f.findall("testcase")} == {"sipflow.ci.ci-fail"}
      and f.get("package") == "sipflow.ci")
out = f.find("system-out").text or ""
check("junit ci-fail: <system-out> is its console text, the failing step too",
      out.startswith("ci-fail — ") and "F2     200 OK" in out and
      "1-fail.yaml:" + line + ": header Subject" in out and "FAIL ci-fail:" in out)
r = suites["ci-refused"]
check("junit ci-refused: one testcase, an <error type=refused> with why",
      kinds(r) == ["error"] and r.find("testcase/error").get("type") == "refused"
      and "127.0.44.30" in r.find("testcase/error").get("message")
      and r.get("errors") == "1" and r.get("tests") == "1")
i = suites["ci-interrupt"]
check("junit ci-interrupt: F1 passed, F2 an <error type=interrupted>, nothing after",
      kinds(i) == ["pass", "error"] and
      i.find("testcase/error").get("type") == "interrupted" and
      i.find("testcase/error").get("message") == "interrupted (SIGINT)" and
      [i.get(k) for k in ("tests", "failures", "errors", "skipped")] ==
      ["2", "0", "1", "0"])
check("junit: no <skipped> for a step that was not run",
      root.find(".//skipped") is None)
sys.exit(0 if ok else 1)
PY

closing
