#!/bin/bash
# Flood test: a /24 sweep at defaults while a neighbour floods the segment
# (tests/tools/responder --flood: every request answered many times, forged
# replies and fake answers to our requests from random senders, forged
# requests, malformed ARP, ~200 k frames/s). arpsweep must finish in bounded
# time under its memory cap, report every real host (and the real twin beside
# the flood) with no false finding, name the flood, and its -w recording must
# replay to the same report. Prints ok/FAIL/SKIP lines for tests/run.sh.
#
# The sweep runs twice at defaults: with the suite's build (sanitizers: the
# correctness checks in JSON, and the replay) and with the plain -O2 build
# ($ARPSWEEP_PLAIN_BUILD, default build; make check builds it) in the default
# table format, whose peak RSS, wall time and report size are the figures (a
# sanitizer's shadow memory and quarantine would make RSS meaningless),
# beside the same sweep without the flood. Then once more with the plain
# build at --rate 100 (JSON), a sweep that lasts as long as the flood.
# Environment: FLOOD_RATE (frames/s, default 200000), FLOOD_SECONDS (8).
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
P=${ARPSWEEP_PLAIN_BUILD:-build}
bin=$PWD/$B/arpsweep
plain=$PWD/$P/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=flood
RATE=${FLOOD_RATE:-200000}
SECONDS_FLOOD=${FLOOD_SECONDS:-8}
FLOOD_SRC=52:54:00:00:0f:01	# the flooder's Ethernet source, in every frame
MAX_RSS_KB=$((100 * 1024))	# issue 8: peak RSS under 100 MB
MAX_REPORT=$((2 * 1024 * 1024))	# and a report under 2 MB
MAX_S=60			# "bounded": the issue's 20 s, with room for a loaded machine
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
out=$(mktemp -d)
trap 'lab_down; rm -rf "$out"' EXIT INT TERM

pass() { echo "ok flood.$1"; }
fail() { echo "FAIL flood.$1: $2"; [ -n "${3:-}" ] && cut -c1-240 "$3" | sed "s/^/    /" | head -n 30; }
info() { echo "    flood: $*"; }

REAL="10 11 12 13 14"
lab_up >"$out/lab.log" 2>&1 && {
	for i in $REAL; do
		lab_host "h$i" "198.18.0.$i" "52:54:00:00:00:$i" host || exit 1
	done
	lab_host twin1 198.18.0.20 52:54:00:00:00:20 twin &&
	    lab_host twin2 198.18.0.20 52:54:00:00:00:20 twin &&
	    lab_responder flood --flood "$SECONDS_FLOOD" --flood-wait --flood-net "$LAB_NET" \
		--flood-rate "$RATE" --flood-src "$FLOOD_SRC"
} >>"$out/lab.log" 2>&1
if [ -z "${LAB_PID[flood]:-}" ]; then
	echo "FAIL flood.lab: the flood lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi

if [ -x /usr/bin/time ]; then
	timed=(/usr/bin/time -f %M -o)
else
	timed=()
	echo "SKIP flood.rss: /usr/bin/time not installed (tests/deps.sh test installs 'time')"
fi

flood_start()
{
	lab_responder_again flood --flood "$SECONDS_FLOOD" --flood-wait --flood-net "$LAB_NET" \
	    --flood-rate "$RATE" --flood-src "$FLOOD_SRC" >>"$out/lab.log" 2>&1
}
lab_responder_stop flood >/dev/null	# the port stays; each sweep starts its own flood

# flooded_sweep KEY yes|no BINARY ARGS...: one sweep of the /24, with (yes)
# a flood starting at its first request, stopped when the sweep ends. Sets ST
# (status), MS (wall), KB (peak RSS, 0 unknown), FRAMES and FPS (what the
# flooder sent, its rate).
flooded_sweep()
{
	local key=$1 flood=$2 b=$3 t0 t1
	shift 3
	FRAMES=0 FPS=0
	if [ "$flood" = yes ] && ! flood_start; then
		fail "$key.flooder" "the flooder did not start" "$out/lab.log"
		return
	fi
	t0=$(date +%s%N)
	if [ ${#timed[@]} -gt 0 ]; then
		lab_exec "${timed[@]}" "$out/$key.mem" "$b" -I "$LAB_IFACE" -q "$@" \
		    >"$out/$key.out" 2>"$out/$key.err"
	else
		lab_exec "$b" -I "$LAB_IFACE" -q "$@" >"$out/$key.out" 2>"$out/$key.err"
	fi
	ST=$?
	t1=$(date +%s%N)
	MS=$(( (t1 - t0) / 1000000 ))
	KB=$(tail -n 1 "$out/$key.mem" 2>/dev/null)
	[[ $KB =~ ^[0-9]+$ ]] || KB=0
	if [ "$flood" = yes ]; then
		lab_responder_stop flood >/dev/null
		cp "$LAB_DIR/flood.log" "$out/$key.flood"
		FRAMES=$(sed -n 's/^responder: flood: \([0-9]*\) frames.*/\1/p' "$out/$key.flood")
		FPS=$(sed -n 's/^responder: flood: .* (\([0-9]*\) frames\/s).*/\1/p' "$out/$key.flood")
	fi
	info "$key: exit $ST, $(awk -v m="$MS" 'BEGIN { printf "%.2f", m / 1000 }') s," \
	    "peak RSS $((KB / 1024)) MB, report $(stat -c %s "$out/$key.out") bytes;" \
	    "flooder: ${FRAMES:-?} frames at ${FPS:-?}/s"
}

# The documented bound on the table (README, Under attack): a binding costs
# at most 202 bytes, a round 126; answered bindings (at most 32 MACs per
# target), unsolicited ones up to max_bindings, frame mismatches up to the
# binding cap (counted at a binding's price), rounds up to targets + 1024.
# Plus the capture ring, 2 MiB for a /24 (README, Performance). In KB.
documented_kb()
{
	local f=$1 cap targets
	cap=$(head_of "$f" | grep -o '"max_bindings": [0-9]*' | grep -o '[0-9]*$')
	targets=$(head_of "$f" | grep -o '"targets": [0-9]*' | grep -o '[0-9]*$')
	[ -n "$cap" ] && [ -n "$targets" ] || return 1
	echo $(( ((cap + 32 * targets + cap) * 202 + (targets + 1024) * 126) / 1024 + 2048 ))
}

# The JSON report up to its host list (source and stats), and from it on.
head_of() { sed '/^ "hosts": \[/,$d' "$1"; }
# What the bridge forwards a MAC to now is read live from its forwarding
# database, which no recording holds: compared without that sentence.
body_of() { sed -n '/^ "hosts": \[/,$p' "$1" | sed -E 's/ The bridge (forwards it to|has no forwarding entry)[^"]*"/"/'; }
# The JSON host line of IP/MAC (untagged), or nothing.
host_line() { grep -F "{\"ip\": \"$2\", \"mac\": \"$3\", \"vlan\": null," "$1"; }
findings_of() { grep "^    {\"kind\": \"$2\"" "$1"; }

# check_report KEY FILE: the real hosts, the twin, no false finding, the flood named.
check_report()
{
	local k=$1 f=$2 i line n bad
	for i in $REAL; do
		line=$(host_line "$f" "198.18.0.$i" "52:54:00:00:00:$i")
		if [ -z "$line" ]; then
			fail "$k.host-198.18.0.$i" "real host not reported" "$f"
		elif [[ $line != *'"flags": []'[,}]* ]]; then
			fail "$k.host-198.18.0.$i" "a finding on a real host: ${line##*\"flags\": }"
		else
			pass "$k.host-198.18.0.$i"
		fi
	done
	line=$(host_line "$f" 198.18.0.20 52:54:00:00:00:20)
	[[ $line == *'"flags": ["twin"]'[,}]* ]] && pass "$k.real-twin" ||
	    fail "$k.real-twin" "198.18.0.20 52:54:00:00:00:20 not flagged twin (alone): ${line:-not reported}"
	n=$(findings_of "$f" twin | wc -l)
	[ "$n" = 1 ] && findings_of "$f" twin | grep -q '"ip": "198.18.0.20", "mac": "52:54:00:00:00:20"' &&
	    pass "$k.no-false-twin" || fail "$k.no-false-twin" "$n twin findings, expected the real one only"
	bad=0
	for i in $REAL 20; do
		if grep '^    {"kind": "\(ip-conflict\|twin\|shared-mac\|repeated-reply\)"' "$f" |
		    grep -v '"kind": "twin", "audit": true, "ip": "198.18.0.20", "mac": "52:54:00:00:00:20"' |
		    grep -q "\"198.18.0.$i\""; then
			bad=$((bad + 1))
		fi
	done
	[ $bad = 0 ] && pass "$k.no-false-finding" ||
	    fail "$k.no-false-finding" "$bad real IPs in an ip-conflict, twin, shared-mac or repeated-reply finding"
	findings_of "$f" arp-flood | grep -qi "$FLOOD_SRC" && pass "$k.arp-flood" ||
	    fail "$k.arp-flood" "no arp-flood finding naming $FLOOD_SRC"
	head_of "$f" | grep -Eq '"not_stored": {"bindings": [1-9]' && pass "$k.bounded" ||
	    fail "$k.bounded" "the stats show no dropped bindings: $(head_of "$f" | tr -d '\n' | cut -c1-600)"
	# "Ours" is the scanner, and the real hosts' replies count as answers to
	# it (at least one per real host and two for the twin).
	local ours answers
	ours=$(head_of "$f" | grep -o '"main_requester": {"mac": "[0-9a-f:]*"' | grep -o '[0-9a-f:]\{17\}')
	answers=$(head_of "$f" | grep -o '"answers": [0-9]*' | grep -o '[0-9]*$')
	[ "$ours" = "$LAB_SCAN_MAC" ] && [ "${answers:-0}" -ge 7 ] && pass "$k.ours" ||
	    fail "$k.ours" "ours ${ours:-none} (the scanner is $LAB_SCAN_MAC), ${answers:-no} answers"
	# At most the cap of unsolicited bindings plus the answers, which are
	# always kept, up to 16 MACs per target of each kind, under their own
	# MAC as Ethernet source or not (README, Under attack).
	local cap targets nb
	cap=$(head_of "$f" | grep -o '"max_bindings": [0-9]*' | grep -o '[0-9]*$')
	targets=$(head_of "$f" | grep -o '"targets": [0-9]*' | grep -o '[0-9]*$')
	nb=$(grep -c '^    {"ip": ' "$f")
	[ -n "$cap" ] && [ "$nb" -le $((cap + 32 * ${targets:-0})) ] && pass "$k.cap" ||
	    fail "$k.cap" "$nb bindings, cap ${cap:-unknown} + 32 x ${targets:-?} targets"
	info "$k findings: $(grep -o '^    {"kind": "[a-z-]*"' "$f" | sed 's/.*: //' | sort | uniq -c |
	    awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }'); bindings $(grep -c '^    {"ip": ' "$f")"
}

# check_table KEY FILE: the same, from a report at defaults (table format).
check_table()
{
	local k=$1 f=$2 i row n
	for i in $REAL 20; do
		row=$(grep -E "^198\.18\.0\.$i +52:54:00:00:00:$i " "$f")
		if [ -z "$row" ]; then
			fail "$k.host-198.18.0.$i" "real host not reported" "$f"
		elif [ "$i" = 20 ]; then
			[ "${row##* }" = twin ] && pass "$k.real-twin" || fail "$k.real-twin" "flags ${row##* }"
		elif [ "${row##* }" != - ]; then
			fail "$k.host-198.18.0.$i" "a finding on a real host: ${row##* }"
		else
			pass "$k.host-198.18.0.$i"
		fi
	done
	n=$(grep -c '^  twin ' "$f")
	[ "$n" = 1 ] && grep -q '^  twin  *198\.18\.0\.20 52:54:00:00:00:20 ' "$f" && pass "$k.no-false-twin" ||
	    fail "$k.no-false-twin" "$n twin findings, expected the real one only"
	grep '^  arp-flood ' "$f" | grep -qi "$FLOOD_SRC" && pass "$k.arp-flood" ||
	    fail "$k.arp-flood" "no arp-flood finding naming $FLOOD_SRC"
	info "$k: $(grep '^Summary:' "$f" | cut -c1-300)"
}

# 1. Sanitized build, defaults, recorded: correctness.
flooded_sweep san yes "$bin" --format json -w "$out/san.pcap"
[ "$ST" = 0 ] && pass san.exit || fail san.exit "status $ST" "$out/san.err"
check_report san "$out/san.out"
awk -v f="${FPS:-0}" -v r="$RATE" 'BEGIN { exit !(f >= r / 4) }' && pass san.flood-rate ||
    fail san.flood-rate "the flooder reached ${FPS:-?} frames/s of $RATE: the lab did not flood"

# 2. Its recording replays to the same report, and stays bounded.
rec=$(stat -c %s "$out/san.pcap" 2>/dev/null || echo 0)
info "recording: $rec bytes"
"$bin" -r "$out/san.pcap" --format json >"$out/replay.json" 2>"$out/replay.err"
st=$?
[ $st = 0 ] && pass replay.exit || fail replay.exit "status $st" "$out/replay.err"
# Hosts and findings are compared whole; the stats' frame counters too.
body_of "$out/san.out" >"$out/a"
body_of "$out/replay.json" >"$out/b"
counters() { head_of "$1" | grep -o '"\(frames\|arp_frames\|malformed\|ignored\|other\|requests\|replies\|dropped_[a-z_]*\|unsolicited_[a-z]*\|answers\)": [0-9]*'; }
if cmp -s "$out/a" "$out/b" && [ "$(counters "$out/san.out")" = "$(counters "$out/replay.json")" ]; then
	pass replay-identical
else
	{ diff <(counters "$out/san.out") <(counters "$out/replay.json"); diff "$out/a" "$out/b"; } >"$out/diff"
	fail replay-identical "live and replayed reports differ" "$out/diff"
fi
"$bin" -r "$out/san.pcap" >"$out/replay.txt" 2>&1
sz=$(stat -c %s "$out/replay.txt")
info "replayed table report: $sz bytes; $(grep '^Summary:' "$out/replay.txt" | cut -c1-300)"
[ "$sz" -lt $MAX_REPORT ] && pass replay.report-size || fail replay.report-size "$sz bytes >= 2 MB"
# Bounded: whatever the flood, the recording holds at most what one
# sweep's capture could take in (the flooder sent FRAMES during it).
[ "$rec" -gt 0 ] && [ "$rec" -lt $((64 * 1024 * 1024)) ] && pass recording-bounded ||
    fail recording-bounded "$rec bytes"

# 3. Plain build, defaults: the figures.
if [ -x "$plain" ]; then
	flooded_sweep quiet no "$plain" --format json
	quiet_kb=$KB
	# At defaults, so in the table format: the report the issue sizes.
	flooded_sweep plain yes "$plain"
	[ "$ST" = 0 ] && pass plain.exit || fail plain.exit "status $ST" "$out/plain.err"
	check_table plain "$out/plain.out"
	[ "$MS" -lt $((MAX_S * 1000)) ] && pass plain.time || fail plain.time "$MS ms >= $MAX_S s"
	if [ ${#timed[@]} -gt 0 ]; then
		[ "$KB" -gt 0 ] && [ "$KB" -lt $MAX_RSS_KB ] && pass plain.rss ||
		    fail plain.rss "peak RSS $KB KB, cap $MAX_RSS_KB KB"
		# What the flood added stays within the documented bound.
		doc=$(documented_kb "$out/san.out")
		info "peak RSS $KB KB flooded, $quiet_kb KB without the flood; documented table bound + ring ${doc:-?} KB"
		[ -n "$doc" ] && [ "$quiet_kb" -gt 0 ] && [ $((KB - quiet_kb)) -le "$doc" ] &&
		    pass plain.documented-cap ||
		    fail plain.documented-cap "grew $((KB - quiet_kb)) KB under the flood, documented ${doc:-?} KB"
	fi
	sz=$(stat -c %s "$out/plain.out")
	[ "$sz" -lt $MAX_REPORT ] && pass plain.report-size || fail plain.report-size "$sz bytes >= 2 MB"

	# 4. A slow sweep, flooded from its first request to its end.
	flooded_sweep slow yes "$plain" --rate 100 --format json -w "$out/slow.pcap"
	info "slow recording: $(stat -c %s "$out/slow.pcap" 2>/dev/null || echo 0) bytes"
	[ "$ST" = 0 ] && pass slow.exit || fail slow.exit "status $ST" "$out/slow.err"
	check_report slow "$out/slow.out"
	[ "$MS" -lt $((MAX_S * 1000)) ] && pass slow.time || fail slow.time "$MS ms >= $MAX_S s"
	if [ ${#timed[@]} -gt 0 ]; then
		[ "$KB" -gt 0 ] && [ "$KB" -lt $MAX_RSS_KB ] && pass slow.rss ||
		    fail slow.rss "peak RSS $KB KB, cap $MAX_RSS_KB KB"
		doc=$(documented_kb "$out/slow.out")
		[ -n "$doc" ] && [ "$quiet_kb" -gt 0 ] && [ $((KB - quiet_kb)) -le "$doc" ] &&
		    pass slow.documented-cap ||
		    fail slow.documented-cap "grew $((KB - quiet_kb)) KB under the flood, documented ${doc:-?} KB"
	fi
	# Its report is JSON, larger than the table the issue sizes: printed only.
else
	echo "SKIP flood.plain: no plain build at $P/arpsweep (make O=$P) for the RSS and time figures"
fi
exit 0
