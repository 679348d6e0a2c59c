#!/bin/bash
# --vm NAME live: a bridge lab whose hosts are the domains of
# tests/fixtures/vm (their MACs and IPs), swept from the scanner namespace
# without -I. The domains' bridge must be chosen over a bridge that comes
# first, the VM's interfaces found with their IPs (exit 0), a silent one
# reported (exit 1), an unknown VM refused (exit 2); the recording replays
# to the same answer. Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
fx=$PWD/tests/fixtures/vm
LAB=asw-vmcli-$$-
LAB_TEST=vm
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
out=$(mktemp -d)
trap 'lab_down; rm -rf "$out"' EXIT INT TERM

pass() { echo "ok vm.$1"; }
fail() { echo "FAIL vm.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }

# The lab: virbr0 (198.18.0.1/24), recreated after br0 so that br0 is the
# first bridge (lower ifindex) and only the inventory can point at virbr0.
setup() {
	lab_up || return
	ip -n "$LAB_SCAN" link del virbr0 &&
	ip -n "$LAB_SCAN" link add br0 type bridge &&
	ip -n "$LAB_SCAN" addr add 198.18.3.1/24 dev br0 &&
	ip -n "$LAB_SCAN" link set br0 up &&
	ip -n "$LAB_SCAN" link add virbr0 address "$LAB_SCAN_MAC" type bridge &&
	ip -n "$LAB_SCAN" addr add "$LAB_SCAN_IP/24" dev virbr0 &&
	ip -n "$LAB_SCAN" link set virbr0 up || return 1
	# web: net0 and net1; db: net0 (its net1, :99, is never there);
	# multi: net0 on virbr0 (its net1 is on br1, which does not exist).
	lab_host web0 198.18.0.10 52:54:00:00:00:10 &&
	lab_host web1 198.18.0.11 52:54:00:00:00:11 &&
	lab_host db0 198.18.0.12 52:54:00:00:00:12 &&
	lab_host multi0 198.18.0.13 52:54:00:00:00:13
}
setup >"$out/lab.log" 2>&1
rc=$?
[ $rc = 77 ] && exit 0
if [ $rc != 0 ]; then
	echo "FAIL vm.lab: the lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi
fast="-q --no-libvirt --retries 1 --timeout 300"

# NAME WANT-STATUS: run arpsweep ARGS in the scanner namespace.
run() {
	name=$1 want=$2
	shift 2
	# shellcheck disable=SC2086
	lab_exec "$bin" $fast "$@" >"$out/$name.out" 2>"$out/$name.err"
	st=$?
	[ $st = "$want" ] && pass "$name-exit" ||
	    fail "$name-exit" "status $st, want $want" "$out/$name.err"
}
has() {	# NAME CHECK PATTERN
	grep -Eq -- "$3" "$out/$1.out" && pass "$1-$2" ||
	    fail "$1-$2" "no line matching /$3/" "$out/$1.out"
}

# 1. Every interface answers: exit 0, each with its IP, on the VM's bridge.
run web 0 --vm web --vm-xml "$fx" -w "$out/web.pcap"
has web header "^arpsweep: VM web: live sweep on virbr0 \(52:54:00:00:00:01, 198\.18\.0\.1\): virbr0: bridge of VM web's interfaces net0, net1"
has web net0 "^net0 +52:54:00:00:00:10 +bridge +virbr0 +virbr0 +vnet0 +running +answered +198\.18\.0\.10\$"
has web net1 "^net1 +52:54:00:00:00:11 +network +lab +virbr0 +vnet1 +running +answered +198\.18\.0\.11\$"
has web summary "^VM web: 2 of 2 interfaces answered\.\$"
[ -s "$out/web.err" ] && fail web-quiet "stderr not empty" "$out/web.err" || pass web-quiet

# JSON: the object, its interfaces and IPs.
run web-json 0 --vm web --vm-xml "$fx" --format json
python3 - "$out/web-json.out" >"$out/web-json.check" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "arpsweep-vm" and d["vm"] == "web", d
assert d["source"]["kind"] == "live" and d["source"]["interface"] == "virbr0", d["source"]
ips = {i["mac"]: i["ips"] for i in d["interfaces"]}
assert ips == {"52:54:00:00:00:10": ["198.18.0.10"], "52:54:00:00:00:11": ["198.18.0.11"]}, ips
assert d["all_answered"] is True and all(i["answered"] and i["swept"] for i in d["interfaces"])
EOF
[ $? = 0 ] && pass web-json-content || fail web-json-content "unexpected JSON" "$out/web-json.check"
python3 tests/tools/schema_check.py doc/arpsweep-vm.schema.json "$out/web-json.out" >"$out/schema" 2>&1
case $? in
0) pass json-schema ;;
3) echo "SKIP vm.json-schema: $(cat "$out/schema")" ;;
*) fail json-schema "not valid against doc/arpsweep-vm.schema.json" "$out/schema" ;;
esac

# The recording replays to the same answer.
"$bin" -r "$out/web.pcap" --vm-xml "$fx" --vm web --format csv >"$out/replay.csv" 2>"$out/replay.err"
st=$?
if [ $st = 0 ] && grep -q '^web,net0,52:54:00:00:00:10,bridge,virbr0,virbr0,vnet0,running,answered,198.18.0.10$' "$out/replay.csv" &&
    grep -q '^web,net1,52:54:00:00:00:11,network,lab,virbr0,vnet1,running,answered,198.18.0.11$' "$out/replay.csv"; then
	pass replay-same
else
	fail replay-same "status $st" "$out/replay.csv"
fi

# 2. One interface silent (a firewall, or never there): exit 1, and why.
run db 1 --vm db --vm-xml "$fx"
has db net0 "^net0 +52:54:00:00:00:12 .* answered +198\.18\.0\.12\$"
has db net1 "^net1 +52:54:00:00:00:99 .* silent +-\$"
has db says "^  net1 \(52:54:00:00:00:99\) was silent: the domain is not running"

# A host that goes away (the guest stopped) makes web exit 1 as well.
lab_exec_in web1 ip link set eth0 down
run web-stopped 1 --vm web --vm-xml "$fx"
has web-stopped net1 "^net1 +52:54:00:00:00:11 .* silent +-\$"
has web-stopped net0 "^net0 +52:54:00:00:00:10 .* answered +198\.18\.0\.10\$"
lab_exec_in web1 ip link set eth0 up

# A defined, stopped domain: silent.
run off 1 --vm off --vm-xml "$fx"
has off net0 "^net0 +52:54:00:00:00:98 +network +lab +virbr0 +- +defined +silent +-\$"

# Two bridges: the first swept, said in one line; the other not swept.
run multi 1 --vm multi --vm-xml "$fx"
has multi net0 "^net0 +52:54:00:00:00:13 .* answered +198\.18\.0\.13\$"
has multi net1 "^net1 +52:54:00:00:01:13 +bridge +br1 +br1 .* not-swept +-\$"
grep -qx "arpsweep: warning: VM multi is on 2 bridges; sweeping virbr0, the first: sweep the others with -I" "$out/multi.err" &&
    pass multi-says-so || fail multi-says-so "no warning line" "$out/multi.err"

# 3. Unknown: one line, exit 2, no report.
run nosuch 2 --vm nosuch --vm-xml "$fx"
[ "$(wc -l <"$out/nosuch.err")" = 1 ] && grep -q "^arpsweep: --vm 'nosuch': no such domain among the 5 known" "$out/nosuch.err" &&
    [ ! -s "$out/nosuch.out" ] && pass nosuch-one-line || fail nosuch-one-line "want one line" "$out/nosuch.err"

# 4. Without --vm: the running domains' bridge, not the first bridge...
run default 0 --vm-xml "$fx"
has default header "^arpsweep: live sweep on virbr0 \(.*\): virbr0: bridge of running domains db, multi, web; inventory"
has default vm-column "^198\.18\.0\.10 .* web/net0 "
# ...and without the inventory, the first bridge that is up with IPv4.
run no-inventory 0 --format json
grep -q '"interface": "br0", .*"reason": "br0: first bridge that is up with an IPv4 address"' "$out/no-inventory.out" &&
    pass no-inventory-first-bridge || fail no-inventory-first-bridge "br0 not chosen" "$out/no-inventory.out"
exit 0
