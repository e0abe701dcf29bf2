#!/usr/bin/env bash
# Reports: report.json follows the schema in docs/reports.md, junit.xml has
# the structure CI parsers read, report.html draws the ladder (checked in
# headless Chromium) — for a passing suite and for a failing run.
# usage: reports.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/browser.sh
. "$src/tests/scripts/lib/browser.sh"

# a passing suite, on addresses of its own (jobs in parallel, as by
# default)
"$sipflow" run "$src/scenarios" --out "$out/pass" --quiet \
	--address-pool 127.45.0.0/16 >"$out/pass.txt" 2>&1
check "passing suite: exit 0" "[ $? -eq 0 ]"

# a failing run: P bound to a device that never answers
"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" --out "$out/fail" \
	--role A=ua:udp:127.0.45.10:5060 --role B=ua:udp:127.0.45.11:5060 \
	--role P=dut:udp:127.0.45.99:5060 --timeout 300ms \
	--junit "$out/fail/ci-junit.xml" >"$out/fail.txt" 2>&1
check "failing run: exit 1" "[ $? -eq 1 ]"

nscn=$(find "$src/scenarios" -name '*.yaml' | xargs grep -L '^block:' | wc -l)
python3 "$src/tests/scripts/check_reports.py" "$out/pass" pass "$nscn" &&
	echo "ok   passing suite: report.json and junit.xml" ||
	{ echo "FAIL passing suite: report.json and junit.xml"; fail=1; }
python3 "$src/tests/scripts/check_reports.py" "$out/fail" fail 1 \
	"$out/fail/ci-junit.xml" &&
	echo "ok   failing run: report.json and junit.xml" ||
	{ echo "FAIL failing run: report.json and junit.xml"; fail=1; }

# the HTML, rendered by a real browser
browser
for kind in pass fail; do
	html="$out/$kind/report.html"
	headless "$out/chrome-$kind" --virtual-time-budget=3000 \
		--dump-dom "file://$html" >"$out/$kind.dom" 2>"$out/$kind.chrome.log"
	headless "$out/chrome-$kind" --window-size=1400,1600 \
		--screenshot="$out/$kind.png" "file://$html" \
		>/dev/null 2>>"$out/$kind.chrome.log"
	check "$kind: screenshot taken" "[ -s '$out/$kind.png' ]"
done
python3 "$src/tests/scripts/check_html.py" "$out/pass/report.json" \
	"$out/pass.dom" && echo "ok   pass: ladder has one arrow per message, none red" ||
	{ echo "FAIL pass: ladder"; fail=1; }
python3 "$src/tests/scripts/check_html.py" "$out/fail/report.json" \
	"$out/fail.dom" F2 && echo "ok   fail: ladder marks F2 red" ||
	{ echo "FAIL fail: ladder"; fail=1; }
# a click on F2's arrow of basic-call shows that message in full
headless "$out/chrome-click" --virtual-time-budget=3000 \
	--dump-dom "file://$out/pass/report.html?click=basic-call:2" \
	>"$out/click.dom" 2>/dev/null
check "a click on an arrow shows the whole message" \
	"python3 -c \"import re,sys; d=open('$out/click.dom').read(); m=re.search(r'<pre class=\\\"msg\\\">(.*?)</pre>', d, re.S); sys.exit(not (m and 'frame 2' in m.group(1) and 'INVITE sip:bob@' in m.group(1) and 'Max-Forwards: 69' in m.group(1)))\""
check "the page loads nothing from the network" \
	"! grep -Eq '(src|href)=\"https?:' '$out/pass/report.html'"

closing
