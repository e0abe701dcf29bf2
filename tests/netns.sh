#!/usr/bin/env bash
# tests/netns.sh — run one test in a network namespace of its own: lo up,
# and a veth pair giving a default route (baresip needs an address that is
# not loopback, or it never answers; 192.0.2.0/24 is TEST-NET-1, nothing
# is ever sent there). Tests bind fixed loopback addresses (127.0.0.1:5060
# for Kamailio, 127.0.0.10 for A …); each in its own namespace, ctest may
# run them side by side (scripts/quick.sh test: -j when this works).
# Without the right to make one (not root), the test runs as it is.
# usage: netns.sh COMMAND...
if [ "${SIPFLOW_NETNS:-1}" = 1 ] && unshare -n true 2>/dev/null; then
	exec unshare -n bash -c 'ip link set lo up &&
		ip link add v0 type veth peer name v1 &&
		ip addr add 192.0.2.1/24 dev v0 && ip link set v0 up &&
		ip link set v1 up && ip route add default dev v0 &&
		exec "$@"' netns "$@"
fi
exec "$@"
