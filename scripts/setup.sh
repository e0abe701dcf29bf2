#!/usr/bin/env bash
# scripts/setup.sh — install what sipflow needs from Debian 12, if missing.
#   setup.sh        to build and run: cmake, pkg-config, libre/librem,
#                   libyaml, libpcap, CUnit
#   setup.sh test   and what the tests use: kamailio (proxy under test),
#                   tshark (pcap decoding), sip-tester (SIPp), chromium
#                   (the HTML report), python3 (report checks), baresip-core
#                   (a real phone for the phone agent and HIL tests),
#                   openssl (TLS test certificates), kamailio-tls-modules
#                   (Kamailio as P over TLS), clang (the libFuzzer
#                   harnesses, tests/fuzz/), libxml2-utils (xmllint:
#                   junit.xml against Ant's schema, tests/scripts/ci.sh)
set -eu
pkgs=(build-essential cmake pkg-config libre-dev librem-dev libyaml-dev
      libpcap-dev libcunit1-dev)
if [ "${1:-}" = test ]; then
	pkgs+=(kamailio tshark sip-tester chromium python3 iproute2
	       baresip-core openssl kamailio-tls-modules clang libxml2-utils)
fi
# python3-yaml: the CI definitions of docs/ci/ (tests/scripts/ci-shards.sh)
if [ "${1:-}" = test ]; then pkgs+=(python3-yaml); fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
