#!/bin/sh
# Command-line contract: every kind of bad input gets one line on stderr that
# names the thing, and exit status 2; good dry runs print what they would do.
# Needs no privilege and sends nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin="$B/arpsweep"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '198.18.0.0/30\n# a comment\n\n198.18.1.5 # trailing comment\n' >"$tmp/targets"
printf '198.18.0.0/30\nnot-an-address\n' >"$tmp/bad-targets"
mkdir "$tmp/dir"

# NAME  EXPECTED-STATUS  STDOUT-OR-STDERR-PATTERN  ARGS...
check() {
	name=$1 want=$2 pat=$3
	shift 3
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$want" = 2 ]; then
		lines=$(wc -l <"$tmp/err")
		if [ $st = 2 ] && [ "$lines" = 1 ] && grep -q -- "$pat" "$tmp/err" &&
		    [ ! -s "$tmp/out" ]; then
			echo "ok cli.$name"
		else
			echo "FAIL cli.$name: status $st, $lines stderr lines, want 2 and 1 line matching /$pat/:"
			sed 's/^/    /' "$tmp/err" "$tmp/out"
		fi
	elif [ $st = "$want" ] && grep -q -- "$pat" "$tmp/out"; then
		echo "ok cli.$name"
	else
		echo "FAIL cli.$name: status $st (want $want), stdout not matching /$pat/:"
		sed 's/^/    /' "$tmp/out" "$tmp/err"
	fi
}

check unknown-long 2 "unknown option '--frobnicate'" --frobnicate
check unknown-short 2 "unknown option '-x'" -x
check missing-value 2 "option '--rate' needs a value" --rate
check rate-zero 2 "--rate '0'" --rate 0
check rate-word 2 "or 'max'" --rate fast
check format 2 "--format 'xml': expected table, json or csv" --format xml
check retries 2 "--retries '-1'" --retries -1
check vlan 2 "--vlan '4095'" --vlan 4095
check timeout-overflow 2 "--timeout '99999999999999999999'" --timeout 99999999999999999999
check replay-with-targets 2 "apply only to a live sweep" -r pcaps/twin.pcap 198.18.0.1
check probe-and-source 2 "drop --source-ip or --probe" --probe --source-ip 198.18.0.1
check missing-capture 2 "cannot read capture '$tmp/none.pcap'" -r "$tmp/none.pcap"
check directory-capture 2 "$tmp/dir" -r "$tmp/dir"
check text-capture 2 "is not a pcap or pcapng capture" -r README.md
check record-unwritable 2 "$tmp/dir/x/y.pcap" -r pcaps/twin.pcap -w "$tmp/dir/x/y.pcap"
check bad-target 2 "target 'nonsense'" --dry-run nonsense
check bad-prefix 2 "prefix length must be 0-32" --dry-run 198.18.0.0/33
check bad-target-file 2 "bad-targets:2" --dry-run -f "$tmp/bad-targets"
check missing-target-file 2 "cannot read target file" --dry-run -f "$tmp/none"
check too-many 2 "add --force" --dry-run 198.0.0.0/8
check missing-interface 2 "interface nosuch0 does not exist" -I nosuch0 --dry-run
check dry-run-range 0 "^5 targets on .*from 198\.18\.0\.0 to 198\.18\.1\.5" --dry-run -f "$tmp/targets"
check dry-run-forced 0 "^16777216 targets .*from 198\.0\.0\.0 to 198\.255\.255\.255" \
    --dry-run --force 198.0.0.0/8
check dry-run-forms 0 "^5 targets" --dry-run 198.18.0.1-3 198.18.0.10-198.18.0.11
check dry-run-netmask 0 "^4 targets .*to 198\.18\.0\.3" --dry-run 198.18.0.0:255.255.255.252
check help 0 "usage: arpsweep" --help
check version 0 "^arpsweep [0-9]" --version
check record-stdout 2 "-w -: the report goes to standard output" -r pcaps/twin.pcap -w -
# A recording that cannot be written: the report still comes, then the error.
"$bin" -r pcaps/twin.pcap -w /dev/full >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st = 2 ] && grep -q '^Summary:' "$tmp/out" &&
    grep -q "cannot record to '/dev/full': write failed" "$tmp/err"; then
	echo "ok cli.record-full-disk"
else
	echo "FAIL cli.record-full-disk: status $st"; sed 's/^/    /' "$tmp/err"
fi
# A file name that is not UTF-8 still gives valid JSON (U+FFFD in its place).
odd="$tmp/odd$(printf '\377')name.pcap"
cp pcaps/plain-reply.pcap "$odd"
check json-odd-name 0 '"file": ".*odd\\ufffdname.pcap"' -r "$odd" --format json
check oui-missing 0 "QEMU/KVM" -r pcaps/plain-reply.pcap --oui "$tmp/none"
grep -q "warning: .*$tmp/none" "$tmp/err" && echo "ok cli.oui-missing-warns" ||
    { echo "FAIL cli.oui-missing-warns:"; sed 's/^/    /' "$tmp/err"; }
exit 0
