#!/bin/sh
# Install, with apt-get, the Debian packages arpsweep needs and that are
# missing. Usage: tests/deps.sh [build|test|bench]  (each includes the former)
set -eu
what=${1:-test}
# libvirt-dev is optional (make LIBVIRT=no builds without it) but installed
# here: the test suite runs libvirt's test driver through it.
pkgs="make gcc libc6-dev pkg-config libpcap-dev libnet1-dev libcap-dev libmnl-dev libseccomp-dev ieee-data libxml2-dev libjson-c-dev libvirt-dev"
case "$what" in
build) ;;
test) pkgs="$pkgs libcmocka-dev iproute2 nftables procps clang libclang-rt-14-dev arp-scan bash-completion groff-base libcap2-bin man-db time python3-jsonschema tcpdump tshark" ;;
bench) pkgs="$pkgs libcmocka-dev iproute2 nftables procps clang libclang-rt-14-dev arp-scan bash-completion groff-base libcap2-bin man-db nmap tshark tcpdump gnuplot-nox time python3-jsonschema" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac
missing=
# The fleet test's real parts: tests/lab/test-fleet.sh skips, saying why,
# when they are missing, so a failure to install them is not fatal.
optional=
case "$what" in test|bench) optional="prometheus prometheus-node-exporter curl systemd" ;; esac
for p in $pkgs $optional; do
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
required=
for p in $missing; do
	case " $optional " in *" $p "*) ;; *) required="$required $p" ;; esac
done
# shellcheck disable=SC2086
[ -z "$required" ] || apt-get install -y -qq --no-install-recommends $required >/dev/null
for p in $missing; do
	case " $optional " in *" $p "*) ;; *) continue ;; esac
	apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
	    echo "warning: cannot install $p; the tests that need it will skip" >&2
done
