#!/bin/sh
# Conformance with a peer and robustness on hostile captures: every capture of
# arp-scan's test suite must decode to the bindings arp-scan reports for it,
# and tcpdump's bogus-frame captures must be survived and counted. The data is
# read from ../shared/external (never copied into this repository).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin="$B/arpsweep"
ext=${ARPSWEEP_EXTERNAL:-../shared/external}

# Our own captures through arp-scan itself, when it is installed: the
# bindings it reports for the targets must be ours. arp-scan wants an
# interface even when it reads a file, so it runs as root in a namespace of
# our own holding only lo, on a copy of the capture.
peer_arpscan() {	# name capture targets...
	name=$1 cap=$2
	shift 2
	if ! command -v arp-scan >/dev/null 2>&1; then
		echo "SKIP conformance.$name: arp-scan is not installed"
		return
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP conformance.$name: needs root for a network namespace"
		return
	fi
	d=$(mktemp -d) ns=asw-$$-peer
	cp "$cap" "$d/cap.pcap"
	if ! ip netns add "$ns" 2>/dev/null; then
		echo "SKIP conformance.$name: ip netns does not work here"
		rm -rf "$d"
		return
	fi
	ip -n "$ns" link set lo up
	timeout 30 ip netns exec "$ns" arp-scan -I lo --plain --retry=1 \
	    --ouifile=/dev/null --macfile=/dev/null \
	    --readpktfromfile="$d/cap.pcap" "$@" 2>"$d/err" |
	    awk -F'\t' '{ print $1 "," $2 }' | sort -u >"$d/exp"
	ip netns del "$ns"
	"$bin" -r "$cap" --format csv 2>/dev/null | tail -n +2 | cut -d, -f1,2 |
	    grep -F -x -f "$d/exp" | sort -u >"$d/got"
	if [ ! -s "$d/exp" ]; then
		echo "FAIL conformance.$name: arp-scan reported nothing:"
		sed 's/^/    /' "$d/err"
	elif cmp -s "$d/exp" "$d/got"; then
		echo "ok conformance.$name ($(wc -l <"$d/got") bindings, as arp-scan)"
	else
		echo "FAIL conformance.$name: arp-scan's bindings differ from ours:"
		diff "$d/exp" "$d/got" | sed 's/^/    /'
	fi
	rm -rf "$d"
}

# ARP hardware type 6 (IEEE 802): arp-scan reports both replies, as we do.
peer_arpscan ieee802-arp-scan pcaps/ieee802.pcap 198.18.0.10 198.18.0.11

if [ ! -d "$ext/arp-scan" ] || [ ! -d "$ext/tcpdump" ]; then
	echo "SKIP conformance: peer captures not found at $ext (set ARPSWEEP_EXTERNAL)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# arp-scan expected lines: "IP<TAB>MAC[ (frame MAC)]<TAB>vendor [(802.1Q VLAN=N)]..."
# -> "ip,mac,vlan" unique and sorted; arpsweep CSV -> the same shape.
expected_bindings() {
	grep -v '^#' "$ext/arp-scan/expected/$1" | grep -v 'ARP Proto=' |
	    awk -F'\t' '$1 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ {
		vlan = ""
		if (match($0, /VLAN=[0-9]+/))
			vlan = substr($0, RSTART + 5, RLENGTH - 5)
		print $1 "," substr($2, 1, 17) "," vlan
	    }' | sort -u
}

our_bindings() {
	"$bin" -r "$1" --format csv 2>"$tmp/err" | tail -n +2 | cut -d, -f1-3 |
	    sed -E 's/,[0-9]+\.([0-9]+)$/,\1/' | sort -u
}

check() {	# name expected-file capture
	name=$1
	expected_bindings "$2" >"$tmp/exp"
	our_bindings "$ext/arp-scan/$3" >"$tmp/got"
	if [ ! -s "$tmp/exp" ]; then
		echo "FAIL conformance.$name: no bindings parsed from $2"
	elif cmp -s "$tmp/exp" "$tmp/got"; then
		echo "ok conformance.$name ($(wc -l <"$tmp/got") bindings)"
	else
		echo "FAIL conformance.$name: bindings differ from arp-scan's:"
		diff "$tmp/exp" "$tmp/got" | sed 's/^/    /'
	fi
}

check simple check-decode.01.expected.txt pkt-simple-response.pcap
check padding check-decode.02.expected.txt pkt-padding-response.pcap
check vlan check-decode.03.expected.txt pkt-vlan-response.pcap
check llc check-decode.04.expected.txt pkt-llc-response.pcap
check net1921681 check-decode.05.expected.txt pkt-net1921681-response.pcap
check trailer check-decode.08.expected.txt pkt-trailer-response.pcap
check vlan-llc check-decode.09.expected.txt pkt-vlan-llc-response.pcap
check dup check-decode.10.expected.txt pkt-dup-response.pcap
check diff-frame-addr check-decode.13.expected.txt pkt-diff-frame-addr.pcap
check local-admin check-decode.14.expected.txt pkt-local-admin.pcap

# Exact output expectations beyond the bindings.
expect() {	# name pattern args...
	name=$1 pat=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>&1
	echo "exit $?" >>"$tmp/out"
	if grep -Eq -- "$pat" "$tmp/out"; then
		echo "ok conformance.$name"
	else
		echo "FAIL conformance.$name: /$pat/ not in:"
		sed 's/^/    /' "$tmp/out"
	fi
}

as=$ext/arp-scan td=$ext/tcpdump
expect net1921681-count '56 hosts; 0 findings' -r "$as/pkt-net1921681-response.pcap"
expect dup-repeated '"kind": "repeated-reply", "audit": false, "ip": "192.168.14.254".*"replies": 5' \
    -r "$as/pkt-dup-response.pcap" --format json
expect diff-frame-mismatch '"frame_mac": "08:00:2b:08:07:06"' \
    -r "$as/pkt-diff-frame-addr.pcap" --format json
expect local-admin-vendor '02:00:00:00:00:00  .*  \(LA\)  ' \
    -r "$as/pkt-local-admin.pcap"
expect trailer-ignored '2 frames, 1 ARP .*0 malformed, 1 ignored' \
    -r "$as/pkt-trailer-response.pcap"
expect too-short-skipped '0 hosts.*|exit 0' -r "$as/pkt-too-short.pcap"
expect too-short-malformed '1 malformed' -r "$as/pkt-too-short.pcap"
# Vendors from each IEEE registry (needs Debian's ieee-data).
if [ -r /usr/share/ieee-data/oui36.csv ]; then
	"$bin" -r "$as/pkt-ieee-regcheck.pcap" --format csv |
	    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "vendor") v = i; next }
	        { print $1 "," $2 "," $v }' >"$tmp/got"
	grep -P '^\d' "$as/expected/check-ieee-reg.01.expected.txt" >"$tmp/exp"
	if cmp -s "$tmp/exp" "$tmp/got"; then
		echo "ok conformance.ieee-vendors"
	else
		echo "FAIL conformance.ieee-vendors:"; diff "$tmp/exp" "$tmp/got" | sed 's/^/    /'
	fi
else
	echo "SKIP conformance.ieee-vendors: /usr/share/ieee-data is not installed"
fi
expect host-list '^256 targets on .*from 192\.168\.1\.0 to 192\.168\.1\.255' \
    --dry-run 192.168.1.0/24

expect qinq '  2001  200  ' -r "$td/802.1ad_QinQ.pcap"
expect arcnet-refused "link type .* is not supported.*exit 2|exit 2" \
    -r "$td/arcnet-rfc1051-arp-icmp-http.pcap"
expect arcnet-message "arcnet-rfc1051-arp-icmp-http.pcap.*not supported" \
    -r "$td/arcnet-rfc1051-arp-icmp-http.pcap"
expect empty-pcapng '0 frames.*0 hosts' -r "$td/empty.pcapng"
expect too-long-tha '1 ignored' -r "$td/arp-too-long-tha.pcap"
expect aarp-other '0 ARP .*1 other' -r "$td/aarp-heapoverflow-1.pcap"
expect oobr-counted '2282 frames, 1949 ARP .*333 ignored' -r "$td/arp-oobr.pcap"
expect oobr-exit0 '^exit 0$' -r "$td/arp-oobr.pcap"
