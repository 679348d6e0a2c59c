#!/bin/sh
# Install, with apt-get, the Debian packages arpsweep needs and that are
# missing. Usage: tests/deps.sh [build|test|bench]  (each includes the former)
set -eu
what=${1:-test}
pkgs="make gcc libc6-dev pkg-config libpcap-dev libnet1-dev libcap-dev ieee-data"
case "$what" in
build) ;;
test) pkgs="$pkgs libcmocka-dev iproute2 nftables procps time" ;;
bench) pkgs="$pkgs libcmocka-dev iproute2 nftables procps arp-scan nmap tshark tcpdump gnuplot-nox time" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "arpsweep: missing packages:$missing; run this as root (sudo $0 $what)" >&2
	exit 2
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
