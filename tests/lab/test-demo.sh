#!/bin/bash
# The README's first command, as a new user runs it: tests/lab/demo.sh
# builds the standard lab, sweeps it with the lab's domain XML and dhcpd.conf
# and tears it down. Its report must name the planted problems and the VMs
# behind them, --vm must answer, and no namespace may be left behind.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP demo: needs root for network namespaces"
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
pass() { echo "ok demo.$1"; }
fail() { echo "FAIL demo.$1: $2"; sed 's/^/    /' "$out"; }
before=$(ip netns list | wc -l)
ARPSWEEP_DEMO_NO_DEPS=1 tests/lab/demo.sh >"$out" 2>&1
rc=$?
[ $rc = 0 ] && pass exit || fail exit "demo.sh exited $rc"
grep -q 'bridge of running domains' "$out" && pass bridge-chosen ||
    fail bridge-chosen "the sweep did not pick the domains' bridge"
grep -Eq '^  twin .*domains build-a \(running\), build-b \(running\) share this MAC, and dhcpd host build-a' "$out" &&
    pass twin-names-vms || fail twin-names-vms "the twin finding does not name both VMs and the binding"
grep -Eq '^  ip-conflict .*52:54:00:00:00:30 on vnet8, 52:54:00:00:00:31 on vnet9' "$out" &&
    pass conflict-ports || fail conflict-ports "the ip-conflict finding lacks each MAC's port"
grep -Eq '^net0 +52:54:00:00:00:20 .* answered +198\.18\.0\.20$' "$out" &&
    pass vm-answer || fail vm-answer "--vm build-b did not answer with 198.18.0.20"
grep -Eq '^198\.18\.100\.12 +52:54:00:00:64:0c +100 ' "$out" &&
    pass vlan || fail vlan "the VLAN 100 sweep lacks its hosts"
grep -Eq '14 hosts \(and this host\); 7 findings' "$out" && pass summary ||
    fail summary "the summary does not count 14 hosts and 7 findings"
after=$(ip netns list | wc -l)
[ "$after" = "$before" ] && pass cleanup || fail cleanup "$((after - before)) namespaces left"
