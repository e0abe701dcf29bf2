#!/usr/bin/env bash
# bench/pcap.sh — sipflow ladder and diff against tshark -Y sip on the same
# generated capture, in one run; prints time, peak memory and the ratio.
# usage: bench/pcap.sh BUILD_DIR [MESSAGES]   (default 1,000,000 messages)
set -eu
build=${1:-build}
n=${2:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/bench/gencap" "$tmp/a.pcap" "$n"
cp "$tmp/a.pcap" "$tmp/b.pcap"   # FILE2: a copy (two runs of one flow)
echo "capture: $n SIP messages, $(du -h "$tmp/a.pcap" | cut -f1)"

# seconds (wall clock) of one run, output discarded
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N);
	echo "$t1 - $t0" | bc -l; }
# peak resident memory (KiB) of one run, or - without GNU time
rss() { if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
	else echo -; fi; }

t_ladder=$(secs "$build/sipflow" ladder "$tmp/a.pcap")
t_diff=$(secs "$build/sipflow" diff "$tmp/a.pcap" "$tmp/b.pcap")
m_ladder=$(rss "$build/sipflow" ladder "$tmp/a.pcap")
m_diff=$(rss "$build/sipflow" diff "$tmp/a.pcap" "$tmp/b.pcap")
# tshark is slow on large captures: one run per file gives both figures.
# diff reads two captures, so its fair anchor is tshark over both (what
# one would run before comparing text); the single-file figure is kept.
tshark_run() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M" tshark -r "$1" -Y sip \
			2>&1 >/dev/null | tail -1
	else
		echo "$(secs tshark -r "$1" -Y sip) -"
	fi
}
read -r t_tshark m_tshark < <(tshark_run "$tmp/a.pcap")
read -r t_tshark_b m_tshark_b < <(tshark_run "$tmp/b.pcap")
t_tshark2=$(echo "$t_tshark + $t_tshark_b" | bc -l)
m_tshark2=$m_tshark
if [ "$m_tshark" != - ] && [ "$m_tshark_b" != - ] &&
	[ "$m_tshark_b" -gt "$m_tshark" ]; then m_tshark2=$m_tshark_b; fi

ratio() { echo "$1 / $2" | bc -l; }
printf '%-34s %9s %12s\n' "" "time" "max RSS"
printf '%-34s %7.2f s %8s KiB\n' "tshark -r FILE -Y sip" "$t_tshark" \
	"$m_tshark"
printf '%-34s %7.2f s %8s KiB  (two runs; RSS the larger)\n' \
	"tshark -Y sip on both files" "$t_tshark2" "$m_tshark2"
printf '%-34s %7.2f s %8s KiB  %6.1fx tshark on FILE\n' \
	"sipflow ladder FILE" "$t_ladder" "$m_ladder" \
	"$(ratio "$t_tshark" "$t_ladder")"
printf '%-34s %7.2f s %8s KiB  %6.1fx tshark on both files' \
	"sipflow diff FILE FILE2" "$t_diff" "$m_diff" \
	"$(ratio "$t_tshark2" "$t_diff")"
printf ' (%.1fx on one)\n' "$(ratio "$t_tshark" "$t_diff")"
