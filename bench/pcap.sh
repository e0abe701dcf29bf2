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
cp "$tmp/a.pcap" "$tmp/b.pcap"
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
# tshark is slow on large captures: one run gives both figures
if [ -x /usr/bin/time ]; then
	read -r t_tshark m_tshark < <(/usr/bin/time -f "%e %M" \
		tshark -r "$tmp/a.pcap" -Y sip 2>&1 >/dev/null | tail -1)
else
	t_tshark=$(secs tshark -r "$tmp/a.pcap" -Y sip) m_tshark=-
fi

printf '%-28s %9s %12s\n' "" "time" "max RSS"
printf '%-28s %7.2f s %8s KiB\n' "tshark -r FILE -Y sip" "$t_tshark" \
	"$m_tshark"
printf '%-28s %7.2f s %8s KiB  %6.1fx tshark\n' "sipflow ladder FILE" \
	"$t_ladder" "$m_ladder" "$(echo "$t_tshark / $t_ladder" | bc -l)"
printf '%-28s %7.2f s %8s KiB  %6.1fx tshark (reads two captures)\n' \
	"sipflow diff FILE FILE" "$t_diff" "$m_diff" \
	"$(echo "$t_tshark / $t_diff" | bc -l)"
