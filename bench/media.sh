#!/usr/bin/env bash
# bench/media.sh — how many G.711 streams one core carries in real time,
# with a jitter buffer and DTMF detection on every received stream
# (bench/media.c). Builds nothing: point it at a Release build dir.
# usage: bench/media.sh BUILD_DIR [SECONDS] [PAIRS...]
#        (default 5 s per step; 100 250 500 1000 1250 1500 2000 pairs)
# The binary raises RLIMIT_NOFILE itself (3 fds per stream, 2 streams per
# pair) up to the hard limit; a step that needs more is skipped.
set -eu
build=${1:-build}
secs=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
bin="$build/bench/media"

if [ ! -x "$bin" ]; then
	echo "media.sh: $bin is not built" \
	     "(cmake --build $build --target bench_media)" >&2
	exit 2
fi
if grep -qs 'SIPFLOW_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" ||
   grep -qs 'CMAKE_BUILD_TYPE:STRING=Debug' "$build/CMakeCache.txt"; then
	echo "media.sh: note: $build is a Debug/sanitizer build;" \
	     "its figures say little" >&2
fi

echo "host: $(nproc) CPUs,$(grep -m1 'model name' /proc/cpuinfo |
	cut -d: -f2), kernel $(uname -r); fd hard limit $(ulimit -Hn)"
exec "$bin" -s "$secs" "$@"
