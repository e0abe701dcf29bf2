#!/usr/bin/env bash
# scripts/quick.sh — the README's two commands.
#   run   install what is missing, build, play the bundled suite (self-play)
#   test  install what is missing, build with ASan+UBSan, run every test
set -eu
cd "$(dirname "$0")/.."
what=${1:-}
case "$what" in
run)
	bash scripts/setup.sh
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j"$(nproc)"
	exec build/sipflow run scenarios/ --out sipflow-out
	;;
test)
	bash scripts/setup.sh test
	cmake -S . -B build-asan -DSIPFLOW_SANITIZE=ON -DSIPFLOW_WERROR=ON \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-asan -j"$(nproc)"
	cd build-asan
	# each test in a network namespace of its own (tests/netns.sh), so
	# they may run side by side; without that right, one at a time
	jobs=1
	if unshare -n true 2>/dev/null; then jobs=$(nproc); fi
	exec ctest --output-on-failure --timeout 300 -j"$jobs"
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
