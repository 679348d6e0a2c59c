#!/bin/sh
# The JSON report against its schema (doc/arpsweep-report.schema.json), and
# --vm's object against doc/arpsweep-vm.schema.json:
# the report of every capture in pcaps/, with the inventory, the table's
# bounds and every baseline the golden tests read, must be valid; and the
# schema must be strict enough to reject a report that is not (a list made
# null, an old field name, an unknown key, missing evidence, a version-1
# report). Needs python3-jsonschema (tests/deps.sh test installs it); SKIP
# with the reason without it. Sends nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$B/arpsweep
schema=doc/arpsweep-report.schema.json
check=tests/tools/schema_check.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$bin" ] || { echo "FAIL schema: $bin is not built"; exit 0; }
if ! command -v python3 >/dev/null; then
	echo "SKIP schema: python3 is not installed (tests/deps.sh test installs python3-jsonschema)"
	exit 0
fi
python3 "$check" "$schema" >"$tmp/probe" 2>&1
case $? in
0) echo "ok schema.is-a-schema" ;;
3) echo "SKIP schema: $(cat "$tmp/probe") (tests/deps.sh test installs python3-jsonschema)"; exit 0 ;;
*) echo "FAIL schema.is-a-schema: $(head -c 300 "$tmp/probe")"; exit 0 ;;
esac

n=0
# report NAME ARGS...: the JSON report of `arpsweep ARGS --format json`
# (exit 0 or 1) into $tmp/NAME.json.
report() {
	name=$1
	shift
	"$bin" --oui tests/golden/oui.txt "$@" --format json >"$tmp/$name.json" 2>"$tmp/$name.err"
	st=$?
	if [ $st -gt 1 ]; then
		echo "FAIL schema.$name: exit status $st: $(head -c 200 "$tmp/$name.err")"
		rm -f "$tmp/$name.json"
	fi
	n=$((n + 1))
}
for cap in pcaps/*.pcap pcaps/*.pcapng; do
	report "$(basename "$cap")" -r "$cap"
done
report flood-capped -r pcaps/flood-beside.pcap --max-bindings 100
report inventory -r pcaps/twin.pcap --vm-xml tests/fixtures/seed \
    --dhcp tests/fixtures/seed/dhcpd.conf --dhcp tests/fixtures/seed/dnsmasq.hosts
report leases -r pcaps/twin.pcap --dhcp tests/fixtures/seed/dnsmasq.leases
report ports-vms -r pcaps/bridge-ports.pcapng --vm-xml tests/fixtures/ports
for bl in lab-vlan100 gone changed lab-vlan100-v2 changed-v2; do
	report "baseline-$bl" -r pcaps/lab-vlan100.pcap --baseline "tests/golden/baseline/$bl.json"
done
for bl in moved-port-v1 moved-port-v2; do
	report "baseline-$bl" -r pcaps/bridge-ports.pcapng --baseline "tests/golden/baseline/$bl.json"
done
python3 "$check" "$schema" "$tmp"/*.json >"$tmp/valid" 2>&1
sed -e "s|$tmp/||" -e 's/\.json\( \|:\|$\)/\1/' "$tmp/valid" |
    sed -e 's/^valid /ok schema./' -e 's/^invalid \([^:]*\): /FAIL schema.\1: /'
v=$(grep -c '^valid ' "$tmp/valid")
[ "$v" -ge "$n" ] && echo "ok schema.every-report ($v)" ||
    echo "FAIL schema.every-report: $v of $n reports valid"
# Every finding kind the reports above hold has been checked: the kinds
# without one here are the ones the schema is not tested on.
kinds=$(sed -n 's/^[[:space:]]*\[FIND_[A-Z_]*\] = { "\([a-z-]*\)",.*/\1/p' report/findings.c)
missing=
for k in $kinds; do
	grep -q "\"kind\": \"$k\"" "$tmp"/*.json || missing="$missing $k"
done
[ -z "$missing" ] && echo "ok schema.every-kind-checked" ||
    echo "FAIL schema.every-kind-checked: no report above has$missing"

# The schema rejects what is not a version 2 report: each mutation of a
# valid one (ports, a twin, an ip-conflict and a moved-port in it).
src=$tmp/baseline-moved-port-v2.json
mutate() {	# NAME PYTHON-STATEMENT (on d, the report)
	python3 - "$src" "$tmp/mut-$1.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
	if python3 "$check" "$schema" "$tmp/mut-$1.json" >"$tmp/mut.out" 2>&1; then
		echo "FAIL schema.catches-$1: the mutated report passed"
	else
		echo "ok schema.catches-$1"
	fi
	rm -f "$tmp/mut-$1.json"
}
mutate null-list 'd["findings"][0]["macs"] = None'
mutate old-name 'd["hosts"][1]["probes"] = d["hosts"][1].pop("requests")'
mutate unknown-key 'd["stats"]["send_s"] = 0.5'
mutate twin-no-ports 'next(f for f in d["findings"] if f["kind"] == "twin")["evidence"].pop("ports")'
mutate conflict-one-claim 'f = d["findings"][0]; f["evidence"]["claims"] = f["evidence"]["claims"][:1]'
mutate bad-last-seen 'next(f for f in d["findings"] if f["kind"] == "moved-port")["evidence"]["baseline_last_seen"] = "yesterday"'
mutate bad-flag 'd["hosts"][1]["flags"] = ["twins"]'
mutate version-1 'd["format_version"] = 1'
mutate missing-key 'del d["tool_version"]'
# --vm's own object against doc/arpsweep-vm.schema.json: every domain of the
# fixtures (answered, silent, stopped, two bridges, direct, mac-reuse), and
# the mutations it must reject.
vschema=doc/arpsweep-vm.schema.json
mkdir "$tmp/vm"
for vm in web db off multi far; do
	"$bin" -r pcaps/lab-standard.pcap --vm-xml tests/fixtures/vm --vm $vm --format json >"$tmp/vm/$vm.json" 2>/dev/null
	[ $? -le 1 ] || echo "FAIL schema.vm-$vm: exit status above 1"
done
"$bin" -r pcaps/twin.pcap --vm-xml tests/fixtures/seed --vm clone-a --format json >"$tmp/vm/clone-a.json" 2>/dev/null
python3 "$check" "$vschema" "$tmp/vm"/*.json >"$tmp/vvalid" 2>&1
sed -e "s|$tmp/vm/|vm-|" -e 's/\.json\( \|:\|$\)/\1/' "$tmp/vvalid" |
    sed -e 's/^valid /ok schema./' -e 's/^invalid \([^:]*\): /FAIL schema.\1: /'
[ "$(grep -c '^valid ' "$tmp/vvalid")" = 6 ] && echo "ok schema.every-vm-report" ||
    echo "FAIL schema.every-vm-report: not all 6 valid"
vmutate() {	# NAME PYTHON-STATEMENT (on d, db's report)
	python3 - "$tmp/vm/db.json" "$tmp/vmut.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
	if python3 "$check" "$vschema" "$tmp/vmut.json" >/dev/null 2>&1; then
		echo "FAIL schema.vm-catches-$1: the mutated report passed"
	else
		echo "ok schema.vm-catches-$1"
	fi
}
vmutate null-ips 'd["interfaces"][0]["ips"] = None'
vmutate bad-ip 'd["interfaces"][0]["ips"] = ["198.18.0.256"]'
vmutate no-interfaces 'd["interfaces"] = []'
vmutate unknown-key 'd["interfaces"][0]["found"] = "silent"'
vmutate bad-state 'd["state"] = "on"'
vmutate other-format 'd["format"] = "arpsweep-report"'
vmutate missing-key 'del d["all_answered"]'
# ...and neither schema takes the other's report.
python3 "$check" "$vschema" "$src" >/dev/null 2>&1 && echo "FAIL schema.vm-not-report: a report passed as a --vm object" ||
    echo "ok schema.vm-not-report"
python3 "$check" "$schema" "$tmp/vm/web.json" >/dev/null 2>&1 && echo "FAIL schema.report-not-vm: a --vm object passed as a report" ||
    echo "ok schema.report-not-vm"

# A version 1 report (what arpsweep wrote before) is not a version 2 one.
if python3 "$check" "$schema" tests/golden/baseline/moved-port-v1.json >/dev/null 2>&1; then
	echo "FAIL schema.catches-version-1-report: tests/golden/baseline/moved-port-v1.json passed"
else
	echo "ok schema.catches-version-1-report"
fi
exit 0
