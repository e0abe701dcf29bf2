#!/usr/bin/env bash
# tests/scripts/escape.sh — bytes a peer sent reach no reader raw: a peer
# (tests/scripts/hostile_peer.py) answers with terminal escapes, bare CR
# and LF, NUL bytes, bytes that are not UTF-8 and markup in its reason
# phrase, a header and the body; the run fails the step, and
# check_escape.py finds report.json strict UTF-8 JSON holding the whole
# message, report.html strict UTF-8 without the peer's markup, junit.xml
# well-formed, and the console free of ESC, CR and NUL bytes; ladder,
# ladder --html and diff of the capture likewise; merge keeps the exact
# bytes (text_base64).
# usage: escape.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/peer.sh
. "$src/tests/scripts/lib/peer.sh"
# shellcheck source=lib/browser.sh
. "$src/tests/scripts/lib/browser.sh"
peer=127.0.63.1:5070

peer_start $peer "$out/peer.txt" python3 "$src/tests/scripts/hostile_peer.py" \
	127.0.63.1 5070 20
trap 'kill -TERM $peer_pid 2>/dev/null; wait $peer_pid 2>/dev/null' EXIT

"$sipflow" run "$src/tests/scenarios/options-ping.yaml" \
	--role A=ua:udp:127.0.63.10:5060 --role B=dut:udp:$peer \
	--out "$out/run" --timeout 2s >"$out/console.txt" 2>&1
rc=$?
check "the peer's 486 fails F2: exit 1" "[ $rc -eq 1 ]"
check "the console names F2 and why: malformed, the ESC by its column" \
	"grep -a -A1 -E '^  F2 .*FAIL' '$out/console.txt' | grep -aq 'malformed message from B at A (frame 2): line 1 (the status line) holds the control byte 0x1b at column 18'"
python3 "$src/tests/scripts/check_escape.py" "$out/run" "$out/console.txt"
check "every reader gets the peer's bytes escaped (check_escape.py)" \
	"[ $? -eq 0 ]"
check "report.json keeps its schema; text is text_base64 decoded" \
	"python3 '$src/tests/scripts/check_reports.py' '$out/run' fail 1"

# the page, in a real browser: its JSON parses, a click on the 486 shows
# the whole message as text, past the NUL
browser
headless "$out/chrome" --virtual-time-budget=3000 --dump-dom "file://$out/run/report.html?click=options-ping:2" \
	>"$out/click.dom" 2>/dev/null
check "report.html in Chromium: a click shows the 486 whole, its markup as text" \
	"python3 -c \"import re,sys; d=open('$out/click.dom').read(); m=re.search(r'<pre class=\\\"msg\\\">(.*?)</pre>', d, re.S); sys.exit(not (m and '486 Busy' in m.group(1) and '&lt;script&gt;alert' in m.group(1) and 'after-nul' in m.group(1) and 'past the nul' in m.group(1)))\""

# clean FILE: what a terminal gets holds no ESC, CR or NUL byte
clean() {
	python3 "$src/tests/scripts/check_escape.py" --term "$1"
}
hostile="$out/run/options-ping.pcapng"

# the commands that read a capture show its bytes escaped too
"$sipflow" ladder "$hostile" >"$out/ladder.txt" 2>&1
check "ladder: the peer's bytes escaped" "clean '$out/ladder.txt'"
"$sipflow" ladder "$hostile" --html "$out/ladder.html" >/dev/null 2>&1
check "ladder --html: strict UTF-8, none of the peer's markup raw" \
	"python3 -c \"import sys; t=open('$out/ladder.html','rb').read().decode('utf-8'); sys.exit('<script>alert' in t or '<b>bold' in t)\""
"$sipflow" run "$src/tests/scenarios/options-ping.yaml" --quiet \
	--address-pool 127.0.63.0/24 --out "$out/good" >/dev/null 2>&1
"$sipflow" diff "$out/good/options-ping.pcapng" "$hostile" >"$out/diff.txt" 2>&1
check "diff: the peer's bytes escaped" "clean '$out/diff.txt'"
"$sipflow" diff "$out/good/options-ping.pcapng" "$hostile" --json \
	>"$out/diff.json" 2>&1
check "diff --json: strict UTF-8 JSON" \
	"python3 -c \"import json; json.loads(open('$out/diff.json','rb').read().decode('utf-8'))\""

# a 486 that is SIP to the grammar but carries C1 controls (U+009B CSI,
# …) in its reason phrase: judged as a 486, and the console shows what
# came with the controls escaped
peer_end
peer_start $peer "$out/peer-c1.txt" python3 \
	"$src/tests/scripts/hostile_peer.py" 127.0.63.1 5070 20 c1
"$sipflow" run "$src/tests/scenarios/options-ping.yaml" \
	--role A=ua:udp:127.0.63.10:5060 --role B=dut:udp:$peer \
	--out "$out/c1" --timeout 2s >"$out/c1.txt" 2>&1
check "C1 controls: F2 fails naming what came (exit 1)" \
	"[ $? -eq 1 ] && grep -a -A1 -E '^  F2 .*FAIL' '$out/c1.txt' | grep -aq 'got 486 Busy'"
check "C1 controls: the console shows them escaped, none raw" \
	"python3 '$src/tests/scripts/check_escape.py' --term '$out/c1.txt' '\\xc2\\x9b' &&
	 ! grep -aq \$'\\xc2\\x9b' '$out/c1.txt'"

# a long message of valid UTF-8 is cut where the reports cut it (start
# line at 200 bytes, text at 16 KiB) between characters, never in one
peer_end
peer_start $peer "$out/peer-long.txt" python3 \
	"$src/tests/scripts/hostile_peer.py" 127.0.63.1 5070 20 long
"$sipflow" run "$src/tests/scenarios/options-ping.yaml" \
	--role A=ua:udp:127.0.63.10:5060 --role B=dut:udp:$peer \
	--out "$out/long" --timeout 2s >"$out/long.txt" 2>&1
check "a long 200 OK passes: exit 0" "[ $? -eq 0 ]"
check "its line and text end before a character they would split: no U+FFFD, no text_base64" \
	"python3 -c \"import json,sys; m=[m for s in json.load(open('$out/long/report.json'))['scenarios'] for m in s['messages'] if m['line'].startswith('SIP/2.0 200')][0]; sys.exit(not (m['line'].endswith('x') and len(m['line'].encode()) == 199 and len(m['text'].encode()) == 16383 and '\\ufffd' not in m['text'] and 'text_base64' not in m))\""
check "report.json keeps its schema (the line begins the text)" \
	"python3 '$src/tests/scripts/check_reports.py' '$out/long' pass 1"

# merge carries the exact bytes over
"$sipflow" merge "$out/merged" "$out/run" >"$out/merge.txt" 2>&1
check "merge keeps text_base64" \
	"python3 -c \"import json,sys; g=lambda p: [m for s in json.load(open(p))['scenarios'] for m in s['messages'] if m['line'].startswith('SIP/2.0 486')][0]; a=g('$out/run/report.json'); b=g('$out/merged/report.json'); sys.exit(not (a.get('text_base64') and a == b))\""
closing_counted
