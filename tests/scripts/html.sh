#!/usr/bin/env bash
# report.html in headless Chromium, checked against report.json (which the
# checker reads itself): the summary (counts, failures first, links, a
# filter), lanes ordered for the fewest crossings, a wrong message drawn
# red and named, media steps as bands with their figures (a wrong tone red
# with the frequency heard, silence red with "no audio"), the pane beside
# the ladder showing the clicked message, a capture's ladder claiming no
# verdict. Media figures are data: in report.json with --jobs and --quiet,
# and through merge. Screenshots go to OUTDIR/*.png.
# usage: html.sh SIPFLOW SRCDIR OUTDIR
set -u
sipflow=$1 src=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=lib/check.sh
. "$src/tests/scripts/lib/check.sh"
# shellcheck source=lib/browser.sh
. "$src/tests/scripts/lib/browser.sh"
browser

# dom NAME URL-QUERY DIR: the page of DIR as Chromium drew it, in
# $out/NAME.dom, and its screenshot $out/NAME.png
dom() {
	headless "$out/chrome" --virtual-time-budget=3000 \
		--window-size=1400,1000 --screenshot="$out/$1.png" \
		--dump-dom "file://$3/report.html$2" >"$out/$1.dom" \
		2>>"$out/chrome.log"
}
html_ok() {  # html_ok DIR NAME ARGS...: check_html.py on that page
	local d=$1 n=$2
	shift 2
	python3 "$src/tests/scripts/check_html.py" "$d/report.json" \
		"$out/$n.dom" "$@"
}
# media_id SCN N: the id of scenario SCN's Nth media step (from 0)
media_id() {
	python3 -c "import json,sys; sc=[s for s in json.load(open('$out/suite/report.json'))['scenarios'] if s['name']=='$1'][0]; print([s['id'] for s in sc['steps'] if s['type']=='media'][$2])"
}

# --- a suite: a passing call, a wrong tone, silence for a tone, a 302
# without Contact (a rule's warning: a finding); in parallel and --quiet:
# the figures are data all the same
moved="$src/tests/reports/moved.yaml"
"$sipflow" run "$src/scenarios/yealink/basic-call.yaml" "$moved" \
	"$src/tests/phone/wrong-tone.yaml" "$src/tests/phone/no-tone.yaml" \
	--out "$out/suite" --jobs 3 --quiet --timeout 3s \
	--address-pool 127.46.0.0/16 >"$out/suite.txt" 2>&1
check "suite: exit 1 (two scenarios fail)" "[ $? -eq 1 ]"
sed -n '/^scenarios:/p' "$out/suite.txt"

py() { python3 -c "import json,sys; r=json.load(open('$out/suite/report.json')); sc={s['name']: s for s in r['scenarios']}; md=lambda n: [s for s in sc[n]['steps'] if s['type']=='media']; $1"; }
check "report.json: the wrong tone's step names 800 Hz expected, about 650 Hz heard, audio, the packets" \
	"py \"f=md('wrong-tone')[1]; m=f['media'][0]; sys.exit(not (f['status']=='fail' and m['from']=='B' and m['to']=='A' and m['tone_hz']==800 and abs(m['heard_hz']-650)<=3 and m['heard_share']>0.9 and m['tone_share']<0.1 and m['audio'] and m['packets']>=20 and 'the dominant frequency heard is 6' in f['reason']))\""
check "report.json: the two-way step has both directions, each hearing the other's tone" \
	"py \"f=md('wrong-tone')[0]['media']; sys.exit(not (len(f)==2 and [(m['from'],m['to']) for m in f]==[('A','B'),('B','A')] and abs(f[0]['heard_hz']-1004)<=3 and abs(f[1]['heard_hz']-650)<=3 and all(m['loss_pct']==0 and m['mos']>4 and m['jitter_ms']>=0 for m in f)))\""
check "report.json: silence for a tone: packets but no audio, nothing heard" \
	"py \"f=md('no-tone')[0]; m=f['media'][0]; sys.exit(not (f['status']=='fail' and m['packets']>=20 and not m['audio'] and m['heard_hz'] is None and m['level_dbov']<-50))\""
# (check_reports.py wants one result for all: the passes are right)
check "report.json: its schema, media and findings included" \
	"! python3 '$src/tests/scripts/check_reports.py' '$out/suite' fail 4 | grep -v -E 'scenario (basic-call|moved): (result pass|no failing step)' | grep ."
check "report.json: the 302's finding" \
	"py \"f=sc['moved']['findings']; sys.exit(not (len(f)==1 and f[0]['rule']=='CONTACT-3XX' and f[0]['severity']=='warning' and f[0]['frame']==2))\""

# merge reads the figures back and writes them again
"$sipflow" merge "$out/merged" "$out/suite/report.json" >/dev/null 2>&1
check "merge: the media figures survive" \
	"python3 -c \"import json,sys; f=lambda p: {sc['name']: [s.get('media') for s in sc['steps']] for sc in json.load(open(p))['scenarios']}; a=f('$out/suite/report.json'); sys.exit(not (a == f('$out/merged/report.json') and a['no-tone'][-1]))\""

wt=$(media_id wrong-tone 1) nt=$(media_id no-tone 0)
dom suite "?click=basic-call:2" "$out/suite"
check "suite page: counts, table (failures first, links), lanes A P B, every failed step red, bands with figures, the finding marked, pane beside the ladder" \
	"html_ok '$out/suite' suite --lanes basic-call=A,P,B --click basic-call:2 --heard wrong-tone:$wt:650 --says no-tone:$nt:'no audio'"
dom wrong-tone "?show=fail&filter=wrong-tone&click=wrong-tone:$wt" \
	"$out/suite"
check "wrong tone: the pane gives the figures and the frequency heard" \
	"grep -q 'the dominant frequency heard is 6[45][0-9] Hz' '$out/wrong-tone.dom'"
check "filter: one scenario shown of four" \
	"grep -q '1 of 4 shown' '$out/wrong-tone.dom'"

# --- the wrong message: 180 where the flow says 183 (basic-call's own
# capture verified against a copy that expects 183)
mkdir -p "$out/v"
sed 's/F3: 180 Ringing B -> P/F3: 183 Session Progress B -> P/' \
	"$src/scenarios/yealink/basic-call.yaml" >"$out/v/basic-call.yaml"
# (the suite ran on addresses of its pool: the roles are told where)
roles=$(python3 -c "import json; sc=[s for s in json.load(open('$out/suite/report.json'))['scenarios'] if s['name']=='basic-call'][0]; print(' '.join('--role %s=%s' % (r['name'], r['address']) for r in sc['roles']))")
# shellcheck disable=SC2086
"$sipflow" verify "$out/v/basic-call.yaml" $roles \
	--pcap "$out/suite/basic-call.pcapng" --out "$out/verify" \
	>"$out/verify.txt" 2>&1
check "verify: exit 1" "[ $? -eq 1 ]"
dom unexpected "?click=basic-call:3" "$out/verify"
check "the 180 is a red arrow named: F3 got 180 Ringing, expected 183 Session Progress" \
	"html_ok '$out/verify' unexpected F3 --unexpected basic-call:F3 --lanes basic-call=A,P,B --click basic-call:3"

# --- a capture's ladder: no verdict claimed
mkdir -p "$out/cap"
"$sipflow" ladder "$out/suite/basic-call.pcapng" --html "$out/cap/report.html" \
	>/dev/null 2>&1
# the page's own JSON (its escapes are JSON's), for the checker
python3 - "$out/cap/report.html" "$out/cap/report.json" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'id="data">\n(.*?)\n</script>', t, re.S)
open(sys.argv[2], "w").write(m.group(1) if m else "{}")
PY
dom capture "" "$out/cap"
check "ladder --html: 12 messages drawn, no pass or fail claimed" \
	"html_ok '$out/cap' capture --capture && ! grep -Eq 'class=\"badge (pass|fail)' '$out/capture.dom'"

closing
