#!/usr/bin/env bash
# scripts/setup.sh — install what sipflow needs from Debian 12, if missing.
# Build: cmake, pkg-config, libre/librem, libyaml, libpcap, CUnit.
# Tests: kamailio (proxy), tshark (pcap decoding), sip-tester (SIPp).
set -eu
pkgs=(build-essential cmake pkg-config libre-dev librem-dev libyaml-dev
      libpcap-dev libcunit1-dev kamailio tshark sip-tester)
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
