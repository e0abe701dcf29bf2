#!/usr/bin/env bash
# bench/pcap.sh — sipflow ladder and diff against tshark -Y sip on the same
# generated capture, in one run; prints both figures and the ratio.
# usage: bench/pcap.sh BUILD_DIR [MESSAGES]   (default 1,000,000 messages)
set -eu
build=${1:-build}
n=${2:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/bench/gencap" "$tmp/a.pcap" "$n"
cp "$tmp/a.pcap" "$tmp/b.pcap"
echo "capture: $n SIP messages, $(du -h "$tmp/a.pcap" | cut -f1)"

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N);
	echo "$t1 - $t0" | bc -l; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

t_ladder=$(secs "$build/sipflow" ladder "$tmp/a.pcap")
t_diff=$(secs "$build/sipflow" diff "$tmp/a.pcap" "$tmp/b.pcap")
t_tshark=$(secs tshark -r "$tmp/a.pcap" -Y sip)
printf '%-34s %8.2f s\n' "tshark -r FILE -Y sip" "$t_tshark"
printf '%-34s %8.2f s   %6.1fx tshark\n' "sipflow ladder FILE" "$t_ladder" \
	"$(echo "$t_tshark / $t_ladder" | bc -l)"
printf '%-34s %8.2f s   %6.1fx tshark (reads two captures)\n' \
	"sipflow diff FILE FILE" "$t_diff" "$(echo "$t_tshark / $t_diff" | bc -l)"
if [ -x /usr/bin/time ]; then
	printf '%-34s %8s KiB\n' "max RSS tshark" "$(rss tshark -r "$tmp/a.pcap" -Y sip)"
	printf '%-34s %8s KiB\n' "max RSS sipflow ladder" "$(rss "$build/sipflow" ladder "$tmp/a.pcap")"
fi
