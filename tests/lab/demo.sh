#!/bin/bash
# The README's first command: install what is missing, build, build a
# throwaway lab of "VMs" behind a bridge, sweep it, print the report, tear
# the lab down. Nothing is sent outside the lab's network namespaces.
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root for apt-get and network namespaces: sudo $0" >&2
	exit 2
fi
# The suite (tests/lab/test-demo.sh) has its packages already: no apt-get there.
[ -n "${ARPSWEEP_DEMO_NO_DEPS:-}" ] || tests/deps.sh test || exit 2
make -s build/arpsweep build/tools/responder >/dev/null || exit 2
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 2
echo "Building the lab: bridge $LAB_BRIDGE (198.18.0.1/24) in namespace $LAB_SCAN, with"
echo "  6 ordinary VMs (.10-.15); twins: two VMs with MAC 52:54:00:00:00:20 and IP .20;"
echo "  an IP conflict at .30; one MAC on .40 and .41; a frame mismatch at .50;"
echo "  a host that answers 150 ms late (.60); a port losing every 2nd request (.70);"
echo "  and three hosts on VLAN 100 (198.18.100.10-12)."
lab_standard >/dev/null || { echo "demo: the lab did not come up" >&2; exit 2; }
echo
# The lab's "VMs" as libvirt would describe them (virsh dumpxml), and the
# dhcpd.conf that binds the twins' MAC: the report names them.
vms=tests/fixtures/lab-vms
echo "\$ arpsweep --vm-xml $vms --dhcp $vms/dhcpd.conf"
echo "  (in the lab's host namespace: no -I and no targets, so the bridge of the running domains)"
lab_exec build/arpsweep --vm-xml "$vms" --dhcp "$vms/dhcpd.conf"
echo
echo "\$ arpsweep --vm-xml $vms --vm build-b     # what is the IP of VM build-b?"
lab_exec build/arpsweep -q --vm-xml "$vms" --vm build-b
echo
echo "\$ arpsweep --vlan 100 198.18.100.0/28"
lab_exec build/arpsweep -q --vlan 100 198.18.100.0/28 | sed -n '/^IP /,/^$/p'
echo "The lab is being removed. Replay a recording of it with: build/arpsweep -r pcaps/lab-standard.pcap"
