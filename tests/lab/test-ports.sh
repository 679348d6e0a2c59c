#!/bin/bash
# Bridge ports in the namespace lab: every answer's ingress port, twins proven
# by two ports, ip-conflict and shared-mac with ports, the bridge's forwarding
# database, a port added during a sweep, and the pcapng recording replaying
# to the same ports (read back by libpcap and tshark too).
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=ports
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
out=$(mktemp -d)
trap 'lab_down; rm -rf "$out"' EXIT INT TERM

pass() { echo "ok ports.$1"; }
fail() { echo "FAIL ports.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
sweep() { lab_exec "$bin" "$@"; }

if ! { lab_up &&
    lab_host twin1 198.18.0.20 52:54:00:00:00:20 twin &&		# vnet0
    lab_host twin2 198.18.0.20 52:54:00:00:00:20 twin &&		# vnet1
    lab_host conflict1 198.18.0.30 52:54:00:00:00:30 ip-conflict &&	# vnet2
    lab_host conflict2 198.18.0.30 52:54:00:00:00:31 ip-conflict &&	# vnet3
    lab_host shared1 198.18.0.40 52:54:00:00:00:40 shared-mac &&	# vnet4
    lab_host shared2 198.18.0.41 52:54:00:00:00:40 shared-mac &&	# vnet5
    lab_responder multi 198.18.0.42=52:54:00:00:00:42 \
	198.18.0.43=52:54:00:00:00:42 &&				# vnet6
    lab_host h10 198.18.0.10 52:54:00:00:00:10 host; } >"$out/lab.log" 2>&1; then	# vnet7
	echo "FAIL ports.lab: the lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi

# 1. A recorded sweep: ports per host, the same with and without ports.
sweep -q --format csv -w "$out/rec.pcapng" 198.18.0.0/26 >"$out/live.csv" 2>"$out/live.err"
st=$?
[ $st = 0 ] && pass sweep-exit || fail sweep-exit "status $st" "$out/live.err"
head -1 "$out/live.csv" | grep -q ',flags,vm,name,ports$' && pass csv-column ||
    fail csv-column "no ports column" "$out/live.csv"
# The last column, unquoted (a list of ports is one quoted field, RFC 4180).
port_of() { grep "^$1,$2," "$out/live.csv" | sed -E 's/.*,("[^"]*"|[^,"]*)$/\1/' | tr -d '"'; }
tw=$(port_of 198.18.0.20 52:54:00:00:00:20)
case "$tw" in vnet0,vnet1|vnet1,vnet0) pass twin-ports ;;
*) fail twin-ports "twin ports '$tw', expected vnet0 and vnet1" "$out/live.csv" ;; esac
[ "$(port_of 198.18.0.30 52:54:00:00:00:30)" = vnet2 ] &&
    [ "$(port_of 198.18.0.30 52:54:00:00:00:31)" = vnet3 ] &&
    pass conflict-ports || fail conflict-ports "expected vnet2, vnet3" "$out/live.csv"
[ "$(port_of 198.18.0.42 52:54:00:00:00:42)" = vnet6 ] &&
    [ "$(port_of 198.18.0.43 52:54:00:00:00:42)" = vnet6 ] &&
    pass one-port-ports || fail one-port-ports "expected vnet6 twice" "$out/live.csv"
# Each frame once: the twin answered every request exactly twice, and our
# own requests are not multiplied by the 8 ports they are flooded to.
sweep -q --no-ports --format csv 198.18.0.0/26 >"$out/noports.csv" 2>&1
if [ "$(cut -d, -f1,2,6,7,10 "$out/live.csv" | tail -n +2)" = \
    "$(cut -d, -f1,2,6,7,10 "$out/noports.csv" | tail -n +2)" ]; then
	pass counts-as-without-ports
else
	cut -d, -f1,2,6,7,10 "$out/live.csv" >"$out/a"
	cut -d, -f1,2,6,7,10 "$out/noports.csv" >"$out/b"
	diff "$out/a" "$out/b" >"$out/d"
	fail counts-as-without-ports "counts differ from --no-ports" "$out/d"
fi

# 2. The recording: pcapng that libpcap and tshark read, names included,
# and -r reports the same ports.
"$bin" -r "$out/rec.pcapng" --format csv >"$out/replay.csv" 2>"$out/replay.err"
cmp -s "$out/live.csv" "$out/replay.csv" && pass replay-same-ports || {
	diff "$out/live.csv" "$out/replay.csv" >"$out/d"; fail replay-same-ports "replay differs" "$out/d"; }
# The same from a pipe (-r -), where the interface blocks cannot be read
# ahead: the ports are learnt as libpcap reads.
"$bin" -r - --format csv <"$out/rec.pcapng" >"$out/stdin-file.csv" 2>&1
cat "$out/rec.pcapng" | "$bin" -r - --format csv >"$out/stdin.csv" 2>"$out/stdin.err"
cmp -s "$out/live.csv" "$out/stdin.csv" && cmp -s "$out/live.csv" "$out/stdin-file.csv" &&
    pass replay-stdin-same-ports || {
	diff "$out/live.csv" "$out/stdin.csv" >"$out/d"; fail replay-stdin-same-ports "-r - differs" "$out/d"; }
frames=$(sweep_frames() { "$bin" -r "$out/rec.pcapng" --format json | grep -o '"frames": [0-9]*' | head -1 | cut -d' ' -f2; }; sweep_frames)
command -v tcpdump >/dev/null || echo "    tcpdump is not installed: tests/deps.sh test installs it"
td=$(tcpdump -r "$out/rec.pcapng" -n 2>/dev/null | wc -l)
[ -n "$frames" ] && [ "$td" = "$frames" ] && pass libpcap-reads ||
    fail libpcap-reads "tcpdump read $td frames, arpsweep $frames"
if command -v tshark >/dev/null; then
	tshark -r "$out/rec.pcapng" -T fields -e frame.interface_name 2>/dev/null |
	    sort -u >"$out/ifs"
	grep -qx virbr0 "$out/ifs" && grep -qx vnet0 "$out/ifs" && grep -qx vnet6 "$out/ifs" &&
	    pass tshark-names || fail tshark-names "interface names missing" "$out/ifs"
else
	echo "SKIP ports.tshark-names: tshark not installed"
fi

# 3. Findings: from the replay (the same ports), then live with the FDB.
"$bin" -r "$out/rec.pcapng" >"$out/replay.txt" 2>&1
grep -Eq '^  twin .*entering on bridge ports vnet[01] and vnet[01]: certainly two machines' "$out/replay.txt" &&
    pass twin-certain || fail twin-certain "no certain twin with both ports" "$out/replay.txt"
grep -q '^  ip-conflict .*52:54:00:00:00:30 on vnet2, 52:54:00:00:00:31 on vnet3' "$out/replay.txt" &&
    pass conflict-finding || fail conflict-finding "ports not named" "$out/replay.txt"
grep -q '^  shared-mac .*52:54:00:00:00:40 claims 2 IPs .*different bridge ports, so two machines' "$out/replay.txt" &&
    pass shared-two-machines || fail shared-two-machines "not two machines" "$out/replay.txt"
grep -q '^  shared-mac .*52:54:00:00:00:42 claims 2 IPs .*every answer entered on bridge port vnet6, so one host' "$out/replay.txt" &&
    pass shared-one-host || fail shared-one-host "not one host" "$out/replay.txt"
# The same in the JSON evidence, where a script reads it: each twin copy's
# port with its frames, each conflicting MAC's port, the shared-mac verdicts;
# a baseline whose conflicting MAC entered elsewhere gives moved-port.
"$bin" -r "$out/rec.pcapng" --format json >"$out/replay.json" 2>&1
python3 - "$out/replay.json" >"$out/evidence" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = {}
for x in d["findings"]:
    f.setdefault(x["kind"], []).append(x)
tw = f["twin"][0]["evidence"]
assert tw["certain"] is True, tw
assert sorted(p["name"] for p in tw["ports"]) == ["vnet0", "vnet1"], tw
assert all(p["frames"] >= 1 for p in tw["ports"]), tw
ic = f["ip-conflict"][0]["evidence"]["claims"]
assert {c["mac"]: [p["name"] for p in c["ports"]] for c in ic} == \
    {"52:54:00:00:00:30": ["vnet2"], "52:54:00:00:00:31": ["vnet3"]}, ic
v = {x["mac"]: x["evidence"]["verdict"] for x in f["shared-mac"]}
assert v == {"52:54:00:00:00:40": "two-machines", "52:54:00:00:00:42": "one-host"}, v
for h in d["hosts"]:
    if h["mac"] == "52:54:00:00:00:30":
        h["ports"] = ["vnet9"]
json.dump(d, open(sys.argv[1] + ".moved", "w"))
PY
[ $? = 0 ] && pass json-evidence || fail json-evidence "JSON evidence" "$out/evidence"
"$bin" -r "$out/rec.pcapng" --format csv-findings --baseline "$out/replay.json.moved" >"$out/moved.csv" 2>&1
grep -q '^moved-port,no,198\.18\.0\.30,52:54:00:00:00:30,,,,,vnet2,[0-9T:.-]*Z,' "$out/moved.csv" &&
    [ "$(grep -c '^moved-port,' "$out/moved.csv")" = 1 ] && pass moved-port ||
    fail moved-port "want one moved-port for :30 (vnet9 then, vnet2 now)" "$out/moved.csv"
python3 tests/tools/schema_check.py doc/arpsweep-report.schema.json "$out/replay.json" >"$out/schema" 2>&1
case $? in
0) pass json-schema ;;
3) echo "SKIP ports.json-schema: $(cat "$out/schema")" ;;
*) fail json-schema "not valid against doc/arpsweep-report.schema.json" "$out/schema" ;;
esac
sweep -q 198.18.0.0/26 >"$out/live.txt" 2>&1
fdb=$(lab_exec bridge fdb show br virbr0 2>/dev/null | awk '$1 == "52:54:00:00:00:20" {print $3; exit}')
if [ -z "$fdb" ]; then
	echo "SKIP ports.fdb: 'bridge fdb show' gave no entry to compare with"
else
	grep -q "^  twin .*The bridge forwards it to $fdb now: the machine on vnet[01] loses its traffic" "$out/live.txt" &&
	    pass fdb || fail fdb "expected the bridge to forward to $fdb" "$out/live.txt"
	# With the domains' XML (target devices vnet0, vnet1), the sentence
	# names the VMs: the one the bridge forwards to, the one that loses.
	mkdir -p "$out/vms"
	for d in one:vnet0 two:vnet1; do
		cat >"$out/vms/twin-${d%%:*}.xml" <<-EOF
		<domain type='kvm' id='1'><name>twin-${d%%:*}</name><devices>
		<interface type='bridge'><mac address='52:54:00:00:00:20'/>
		<source bridge='virbr0'/><target dev='${d#*:}'/></interface>
		</devices></domain>
		EOF
	done
	sweep -q --vm-xml "$out/vms" 198.18.0.0/26 >"$out/live-vms.txt" 2>&1
	fdb=$(lab_exec bridge fdb show br virbr0 2>/dev/null | awk '$1 == "52:54:00:00:00:20" {print $3; exit}')
	case $fdb in vnet0) now="vnet0 (twin-one)" lose="vnet1 (twin-two)" ;; *) now="vnet1 (twin-two)" lose="vnet0 (twin-one)" ;; esac
	grep -qF "The bridge forwards it to $now now: the VM on $lose loses its traffic." "$out/live-vms.txt" &&
	    pass fdb-vm-names || fail fdb-vm-names "want: forwards it to $now now: the VM on $lose loses its traffic" "$out/live-vms.txt"
fi

# 4. A port added while the sweep runs (a VM starting): named at its first
# frame. The sweep goes up from .1 at 100/s; the new host is .60.
sweep -q --rate 100 --format csv 198.18.0.0/26 >"$out/late.csv" 2>"$out/late.err" &
spid=$!
sleep 0.2
lab_host late 198.18.0.60 52:54:00:00:00:60 host >>"$out/lab.log" 2>&1	# vnet8
wait $spid
lp=$(grep '^198\.18\.0\.60,' "$out/late.csv" | awk -F, '{print $NF}')
[ "$lp" = vnet8 ] && pass port-added || fail port-added "late host's port '$lp', expected vnet8" "$out/late.csv"

# 4b. A --vlan sweep of the bridge: the kernel takes the tag off frames
# entering a port (the `any` capture sees it only in metadata); the ports
# capture passes the swept VLAN's frames and puts the tag back, so hosts
# keep their VLAN and their ports, live and replayed. A twin on VLAN 100
# behind two ports, a host on VLAN 200 and an untagged host with the IP of
# a VLAN 100 host (neither is on the swept VLAN: neither answers).
if { lab_responder vlana 198.18.100.5=52:54:00:00:01:05,vlan=100 \
	198.18.100.6=52:54:00:00:01:06,vlan=100 198.18.100.7=52:54:00:00:01:07,vlan=200 &&	# vnet9
    lab_responder vlanb 198.18.100.5=52:54:00:00:01:05,vlan=100 &&			# vnet10
    lab_host vlanu 198.18.100.6 52:54:00:00:01:99 host; } >>"$out/lab.log" 2>&1; then	# vnet11
	sweep -q --vlan 100 --format csv -w "$out/vlan.pcapng" 198.18.100.0/28 >"$out/vlan.csv" 2>"$out/vlan.err"
	vrow() { grep "^$1,$2," "$out/vlan.csv"; }
	vport() { vrow "$1" "$2" | sed -E 's/.*,("[^"]*"|[^,"]*)$/\1/' | tr -d '"'; }
	tw=$(vport 198.18.100.5 52:54:00:00:01:05)
	if vrow 198.18.100.5 52:54:00:00:01:05 | grep -q '^[^,]*,[^,]*,100,' &&
	    vrow 198.18.100.6 52:54:00:00:01:06 | grep -q '^[^,]*,[^,]*,100,' &&
	    [ "$(vport 198.18.100.6 52:54:00:00:01:06)" = vnet9 ] &&
	    { [ "$tw" = vnet9,vnet10 ] || [ "$tw" = vnet10,vnet9 ]; } &&
	    ! grep -q -e '52:54:00:00:01:07' -e '52:54:00:00:01:99' "$out/vlan.csv"; then
		pass vlan-ports
	else
		fail vlan-ports "want VLAN 100 on .5 (vnet9, vnet10) and .6 (vnet9), nothing else" "$out/vlan.csv"
	fi
	sweep -q --vlan 100 --no-ports --format csv 198.18.100.0/28 >"$out/vlan-np.csv" 2>&1
	[ "$(cut -d, -f1-3,6,7,10 "$out/vlan.csv")" = "$(cut -d, -f1-3,6,7,10 "$out/vlan-np.csv")" ] &&
	    pass vlan-as-without-ports || fail vlan-as-without-ports "VLAN rows or counts differ from --no-ports" "$out/vlan-np.csv"
	"$bin" -r "$out/vlan.pcapng" --format csv >"$out/vlan-replay.csv" 2>&1
	cmp -s "$out/vlan.csv" "$out/vlan-replay.csv" && pass vlan-replay ||
	    { diff "$out/vlan.csv" "$out/vlan-replay.csv" >"$out/d"; fail vlan-replay "replay differs" "$out/d"; }
	"$bin" -r "$out/vlan.pcapng" >"$out/vlan.txt" 2>&1
	grep -Eq '^  twin +198\.18\.100\.5 .*entering on bridge ports vnet(9|10) and vnet(9|10): certainly two machines' "$out/vlan.txt" &&
	    pass vlan-twin-certain || fail vlan-twin-certain "no certain twin on VLAN 100" "$out/vlan.txt"
	if command -v tshark >/dev/null; then
		tshark -r "$out/vlan.pcapng" -Y arp.opcode==2 -T fields -e frame.interface_name -e vlan.id 2>/dev/null |
		    sort -u >"$out/vlan.ifs"
		[ "$(cat "$out/vlan.ifs")" = "$(printf 'vnet10\t100\nvnet9\t100')" ] && pass vlan-tshark ||
		    fail vlan-tshark "replies not tagged 100 on vnet9, vnet10" "$out/vlan.ifs"
	fi
else
	fail vlan-lab "the VLAN responders did not come up" "$out/lab.log"
fi

# 5. Not a bridge: the report says so and is what it was.
lab_exec_in h10 "$bin" -q -I eth0 198.18.0.20/32 >"$out/plain.txt" 2>&1
grep -q '^Ports: not available (not a Linux bridge' "$out/plain.txt" && ! grep -q PORTS "$out/plain.txt" &&
    pass not-a-bridge || fail not-a-bridge "no 'not available' line" "$out/plain.txt"
sweep -q --no-ports --format json 198.18.0.20/32 >"$out/np.json" 2>&1
grep -q '"ports_available": false' "$out/np.json" && grep -q '"ports": \[\]' "$out/np.json" &&
    pass no-ports-json || fail no-ports-json "ports not empty" "$out/np.json"
exit 0
