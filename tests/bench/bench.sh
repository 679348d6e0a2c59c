#!/bin/bash
# bench.sh: arpsweep against arp-scan, nmap, a raw sendmmsg loop, tcpdump and tshark, in throwaway namespace labs.
#
# usage: tests/bench/bench.sh [-n ROUNDS] [-o PNG] [-s SECTIONS] [-P]     (also: make bench)
#   -n ROUNDS    rounds per measurement, tools alternating within each (default 5)
#   -o PNG       sweep time vs target-set size plot (default tests/bench/out/sweep-time.png)
#   -s SECTIONS  comma list of: s24 s16 ports plot flood send replay mem arpflood scale (default: all)
#   -P           also profile: sweep phases of one /16 sweep, strace -c of the
#                sender, perf stat + perf record of the replay (needs perf, strace)
# Needs root (network namespaces); installs the peers with tests/deps.sh bench. ARPSWEEP_BUILD=DIR
# benchmarks another build (default build; built with make O=DIR if missing).
# Environment: ARPSCAN_FAST="opts;opts;..." arp-scan settings tried for its
# fastest /16 sweep (the first is the 100M reference). Not --interval=0: it
# means "use --bandwidth", whose default (256 kbit/s) takes 4 minutes.
# ARPSWEEP_BASE=BINARY: another arpsweep (today's main, say) swept in the s16
# rounds too, alternating, for the "within 10% of today" target.
#
# Sections (each prints a markdown table on stdout; progress goes to stderr):
#   s24    /24 with 20 kernel hosts: arpsweep -q (bridge ports on, and
#          --no-ports), arp-scan, nmap -sn, all at defaults
#   s16    /16 with 1020 hosts (1000 played by one responder, stride 65, plus the
#          20 kernel hosts), swept from a veth whose bridge port drops requests
#          for addresses no lab host owns (bench_wide_up says why):
#          arpsweep -q --rate max vs arp-scan at 100M and faster; for
#          information arpsweep --retries 0 (one pass) and rawsend's pps into
#          the lab (its ceiling, whatever the tool), with and without that filter;
#          and arpsweep --rate max from the bridge itself with its ports
#          captured (the default there) and with --no-ports: the ports' cost
#   ports  the s16 lab's /16 at --rate max from the bridge itself, bridge
#          ports captured (the default there) against --no-ports, alternating:
#          the ratio of the medians (target <= 1.10), kernel drops, hosts
#          found (s16 has the same two rows among its others)
#   plot   /24 and /20 at the s16 settings and from the same veth, plotted with
#          the s16 medians (gnuplot)
#   flood  the same 1020 hosts with nothing filtered: the /16 swept from the
#          bridge, every request flooded to every port; the 20 kernel hosts
#          sit behind macvlan interfaces in one namespace on one veth port
#          (their broadcast queue overflows at a rate the sender can beat),
#          the responder's 1000 on another: arpsweep --rate max against
#          arp-scan --bandwidth=100M, hosts found per round, the macvlan
#          port's rx_dropped, arpsweep's settled rate and measured loss
#   send   on a bare veth pair, nothing listening: arpsweep's sender alone
#          (tests/tools/sendbench) vs tests/tools/rawsend, packets/s; for
#          information the whole arpsweep --rate max (its capture taps every
#          request it sends), rawsend with PACKET_QDISC_BYPASS, and rawsend
#          while a tcpdump captures the link as arpsweep's receiver does
#   replay a 1,000,000-frame capture from tests/tools/mkcapture: arpsweep -r vs
#          tcpdump -r -w /dev/null vs tshark -r, frames/s; and arpsweep -r
#          with --vm-xml (300 domain XML files) and --dhcp (a dhcpd.conf of
#          300 host bindings), generated for the capture's hosts (half the
#          domains and half the bindings on the same hosts): the inventory's
#          cost, both rows against tcpdump in the same rounds
#   mem    peak RSS of arpsweep --dry-run --force 198.0.0.0/8
#   flood  a /24 at defaults (5 kernel hosts and a twin) while the responder
#          floods the bridge (--flood: FLOOD_RATE frames/s, default 200000,
#          for 8 s from the sweep's first request; every request answered 16
#          times, forged replies, fake answers, forged requests, malformed
#          ARP), beside the same sweep without the flood: wall time, peak
#          RSS, report size, real hosts found, findings; for information the
#          unpaced flood, and a --rate 100 sweep that lasts the whole flood
#   scale  what a sweep costs at the default rate (README, "Scale on paper"):
#          the /16 of the sweep lab from its bridge at defaults, SCALE_ROUNDS
#          rounds (default 1: each takes ~40 s): requests, broadcasts/s while
#          sending, wall time, peak RSS, hosts found; the --dry-run --force
#          peak RSS of a /24, a /16 and a /8 (what the target set costs), and
#          the /8's time at the default rate computed from the /16's
#          requests per target and pace
# Wall times are date +%s%N around the whole command (ip netns exec included,
# for every tool alike); memory is /usr/bin/time -f %M. The lab uses only
# 198.18.0.0/15, in namespaces named bench<pid>-*, deleted by a trap on exit.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$PWD

ROUNDS=5
PNG=$TOP/tests/bench/out/sweep-time.png
SECTIONS=s24,s16,ports,plot,flood,send,replay,mem,arpflood,scale
PROFILE=0
while getopts "n:o:s:Ph" opt; do
	case $opt in
	n) ROUNDS=$OPTARG ;;
	o) PNG=$OPTARG ;;
	s) SECTIONS=$OPTARG ;;
	P) PROFILE=1 ;;
	h) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [-n ROUNDS] [-o PNG] [-s SECTIONS] [-P]" >&2; exit 2 ;;
	esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: -n wants a positive integer" >&2; exit 2; }
[[ $PNG == /* ]] || PNG=$TOP/$PNG
want() { [[ ,$SECTIONS, == *,$1,* ]]; }

B=${ARPSWEEP_BUILD:-build}
ASW=$TOP/$B/arpsweep
export LAB_RESPONDER=$TOP/$B/tools/responder
RAWSEND=$TOP/$B/tools/rawsend
SENDBENCH=$TOP/$B/tools/sendbench
MKCAP=$TOP/$B/tools/mkcapture
: "${ARPSCAN_FAST:=--bandwidth=100M;--bandwidth=1000M;--bandwidth=1000M --retry=1;--bandwidth=1000M --retry=1 --timeout=100;--bandwidth=1000M --retry=1 --timeout=10}"

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces); run: sudo $0"
"$TOP/tests/deps.sh" bench || die "could not install the peers (tests/deps.sh bench)"
for c in arp-scan nmap tshark tcpdump gnuplot /usr/bin/time ip; do
	command -v "$c" >/dev/null || die "$c missing; run: tests/deps.sh bench"
done
if [ $PROFILE = 1 ]; then
	for c in perf strace; do
		command -v "$c" >/dev/null || die "-P needs $c"
	done
	# shellcheck source=tests/bench/profile.sh
	source tests/bench/profile.sh
fi
make -s O="$B" "$B/arpsweep" "$B/tools/responder" "$B/tools/rawsend" "$B/tools/sendbench" \
    "$B/tools/mkcapture" >&2 || die "build failed"

LAB=bench$$-
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check >/dev/null || die "the namespace lab can't run here: $LAB_SKIP_REASON"
W=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 2
cleanup() { lab_down; rm -rf -- "$W"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

SCAN_IP=198.18.0.1
WIDE_NS=${LAB}wide		# the /16 scanner: see bench_wide_up
WIDE_IFACE=wide0
WIDE_IP=198.18.0.2
WIDE_MAC=52:54:00:00:00:02
NKERNEL=20
NRESP=1000
RESP_FIRST=198.18.1.1
RESP_STRIDE=65

# --- helpers ---------------------------------------------------------------

now_ns() { date +%s%N; }


# The sweep lab: the standard bridge, but the scanner is SCAN_IP/16 so a /16
# sweep stays on-link; NKERNEL kernel hosts in the first /24 (also /16) and
# one responder playing NRESP hosts spread over the rest of the /16.
bench_lab_up()
{
	local i

	lab_up >/dev/null || return 1
	ip -n "$LAB_SCAN" addr del "$SCAN_IP/24" dev "$LAB_IFACE" || return 1
	ip -n "$LAB_SCAN" addr add "$SCAN_IP/16" dev "$LAB_IFACE" || return 1
	for ((i = 0; i < NKERNEL; i++)); do
		lab_host "k$i" "198.18.0.$((10 + i * 11))/16" \
		    "$(printf '52:54:00:00:01:%02x' "$i")" || return 1
	done
	lab_responder many -k host \
	    "range:$RESP_FIRST:$NRESP:$RESP_STRIDE=52:54:00:10:00:00" || return 1
	grep -v '^#' "$LAB_PLANTED" | awk '{ print $1 }' | sort -u >"$W/planted.all"
	bench_wide_up
}

# The wide-sweep scanner (/16, /20 and the plot): its own namespace on a
# veth into the bridge whose bridge-side end drops, at ingress, requests for
# addresses no lab host owns. On a real segment those requests cost the
# other hosts' CPUs; here every one would be flooded to every port and
# handled on the two CPUs the tools run on, capping any tool at the lab's
# pace (~27k requests/s with 20 kernel hosts) instead of its own. Requests
# for lab hosts still reach every port, so every host answers as before.
bench_wide_up()
{
	local port=wideport

	_lab_ns_new "$WIDE_NS" || return 1
	ip -n "$LAB_SCAN" link add "$port" type veth peer name "$WIDE_IFACE" netns "$WIDE_NS" || return 1
	ip -n "$WIDE_NS" link set "$WIDE_IFACE" address "$WIDE_MAC" || return 1
	ip -n "$WIDE_NS" addr add "$WIDE_IP/16" dev "$WIDE_IFACE" || return 1
	ip -n "$WIDE_NS" link set "$WIDE_IFACE" up || return 1
	ip -n "$LAB_SCAN" link set "$port" master "$LAB_BRIDGE" up || return 1
	{
		echo "table netdev benchwide {"
		echo "	set owned { type ipv4_addr; elements = { $(paste -sd, "$W/planted.all") } }"
		echo "	chain in {"
		echo "		type filter hook ingress device \"$port\" priority 0; policy accept;"
		echo "		arp operation request arp daddr ip != @owned counter drop"
		echo "	}"
		echo "}"
	} >"$W/wide.nft"
	ip netns exec "$LAB_SCAN" nft -f "$W/wide.nft" || return 1
}

# The send lab: a veth pair between two namespaces, nothing answering.
# Its namespaces are "$LAB"*, so lab_down deletes them too.
bench_veth_up()
{
	_lab_ns_new "${LAB}tx" || return 1
	_lab_ns_new "${LAB}rx" || return 1
	ip -n "${LAB}tx" link add tx0 type veth peer name rx0 netns "${LAB}rx" || return 1
	ip -n "${LAB}tx" link set tx0 address 52:54:00:00:00:01 || return 1
	ip -n "${LAB}tx" addr add 198.18.0.1/15 dev tx0 || return 1
	ip -n "${LAB}tx" link set tx0 up || return 1
	# NOARP: the far end drops the requests at once (arp_rcv), so its
	# softirq work doesn't eat the 2 CPUs the senders are measured on.
	ip -n "${LAB}rx" link set rx0 arp off up || return 1
}

# A capture on tx0 like arpsweep's own (32 MB buffer, every ARP frame), for
# the price of seeing one's own requests; sets tap to its pid.
start_tap()
{
	local i
	ip netns exec "${LAB}tx" tcpdump -i tx0 -B 32768 -n -w /dev/null arp 2>"$W/tap.err" &
	tap=$!
	for ((i = 0; i < 200; i++)); do
		grep -q 'listening on' "$W/tap.err" && return 0
		kill -0 "$tap" 2>/dev/null || break
		sleep 0.025
	done
	stop_tap
	return 1
}
stop_tap()
{
	kill -TERM "$tap" 2>/dev/null
	wait "$tap" 2>/dev/null
	tap=""
}

# Planted IPs inside CIDR, one per line, into FILE.
planted_in()
{
	awk -v net="$1" '
	function ip2n(s,  a) { split(s, a, "."); return ((a[1] * 256 + a[2]) * 256 + a[3]) * 256 + a[4] }
	BEGIN { split(net, p, "/"); base = ip2n(p[1]); size = 2 ^ (32 - p[2]); base -= base % size }
	{ n = ip2n($1); if (n >= base && n < base + size) print $1 }' "$W/planted.all" >"$2"
}

# run_timed KEY NS CMD...: run CMD in namespace NS ("-": here), stdout to
# $W/KEY.out, stderr $W/KEY.err; sets T_MS (wall) and T_KB (peak RSS).
run_timed()
{
	local key=$1 ns=$2 t0 t1
	shift 2
	t0=$(now_ns)
	if [ "$ns" = - ]; then
		/usr/bin/time -f %M -o "$W/$key.mem" "$@" >"$W/$key.out" 2>"$W/$key.err"
	else
		ip netns exec "$ns" /usr/bin/time -f %M -o "$W/$key.mem" "$@" \
		    >"$W/$key.out" 2>"$W/$key.err"
	fi
	T_RC=$?
	t1=$(now_ns)
	T_MS=$(( (t1 - t0) / 1000000 ))
	T_KB=$(tail -n 1 "$W/$key.mem" 2>/dev/null)
	[[ $T_KB =~ ^[0-9]+$ ]] || T_KB=0
}

# IPs a tool reported, one per line (the scanner's own address left out).
not_scanner() { grep -vx -e "$SCAN_IP" -e "$WIDE_IP"; }
ips_arpsweep() { grep -o '^    {"ip": "[0-9.]*"' "$1" | grep -o '[0-9.]*"$' | tr -d '"' | not_scanner | sort -u; }
ips_arpscan() { grep -E $'^[0-9.]+\t[0-9a-f:]{17}' "$1" | cut -f1 | not_scanner | sort -u; }
ips_nmap() { sed -n 's/^Nmap scan report for \([0-9.]*\)$/\1/p' "$1" | not_scanner | sort -u; }
json_num() { grep -o "\"$2\": [0-9.]*" "$1" | head -n 1 | awk '{ print $2 }'; }
findings_arpsweep() { sed -n '/^ "findings": \[/,$p' "$1" | grep -c '"kind":'; }

# Results: R[KEY.FIELD] holds one value per round, space-separated.
declare -A R=()
add() { R[$1.$2]="${R[$1.$2]:-} $3"; }
median()
{
	# shellcheck disable=SC2086
	printf '%s\n' ${R[$1]:-} | sort -g | awk '{ v[NR] = $1 }
	    END { if (NR == 0) { print "-"; exit }
		  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
minmax()
{
	# shellcheck disable=SC2086
	printf '%s\n' ${R[$1]:-} | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
	    END { if (NR == 0) print "-"; else if (lo == hi) print lo; else print lo "-" hi }'
}
fmt_s() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.3f", x / 1000 }'; }
fmt_mb() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.1f", x / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

# Score one sweep run: found/false against the planted IPs in $W/planted.cur.
score()
{
	local key=$1 parser=$2 ips=$W/$1.ips
	"$parser" "$W/$key.out" >"$ips"
	add "$key" found "$(comm -12 "$ips" "$W/planted.cur" | wc -l)"
	add "$key" false "$(comm -23 "$ips" "$W/planted.cur" | wc -l)"
	add "$key" ms "$T_MS"
	add "$key" kb "$T_KB"
	add "$key" rc "$T_RC"
	if [ "$parser" = ips_arpsweep ]; then
		add "$key" findings "$(findings_arpsweep "$W/$key.out")"
		add "$key" dropped "$(json_num "$W/$key.out" kernel_dropped_frames)"
		add "$key" sent "$(json_num "$W/$key.out" requests_sent)"
		add "$key" elapsed "$(json_num "$W/$key.out" elapsed_seconds)"
		add "$key" rate "$(json_num "$W/$key.out" rate_per_second)"
		add "$key" loss "$(json_num "$W/$key.out" loss_ratio)"
	fi
	# The last round's value of a field, for the per-round lines.
	LAST_FOUND=$(comm -12 "$ips" "$W/planted.cur" | wc -l)
}

# rotate N WORDS...: the words starting at the (N mod count)th, wrapping.
rotate()
{
	local n=$1; shift
	local words=("$@") i k=$#
	for ((i = 0; i < k; i++)); do
		echo "${words[$(( (n + i) % k ))]}"
	done
}

# One sweep tool run, by name: TOOL TARGET KEY, from namespace SW_NS and
# interface SW_IF (the bridge for the /24, the wide scanner beyond).
declare -A SWEEP_CMD=()
SW_NS=""; SW_IF=""
sweep_one()
{
	local tool=$1 target=$2 key=$3
	# shellcheck disable=SC2086
	case $tool in
	asw-default) run_timed "$key" "$SW_NS" "$ASW" -q -I "$SW_IF" --format json "$target"; score "$key" ips_arpsweep ;;
	asw-max) run_timed "$key" "$SW_NS" "$ASW" -q -I "$SW_IF" --rate max --format json "$target"; score "$key" ips_arpsweep ;;
	asw-default-np) run_timed "$key" "$SW_NS" "$ASW" -q -I "$SW_IF" --no-ports --format json "$target"; score "$key" ips_arpsweep ;;
	# From the bridge itself: bridge ports captured (the default) or not.
	asw-br-max) run_timed "$key" "$LAB_SCAN" "$ASW" -q -I "$LAB_IFACE" --rate max --format json "$target"; score "$key" ips_arpsweep ;;
	asw-br-max-np) run_timed "$key" "$LAB_SCAN" "$ASW" -q -I "$LAB_IFACE" --rate max --no-ports --format json "$target"; score "$key" ips_arpsweep ;;
	asw-base) run_timed "$key" "$SW_NS" "$ARPSWEEP_BASE" -q -I "$SW_IF" --rate max --format json "$target"; score "$key" ips_arpsweep ;;
	asw-max-r0) run_timed "$key" "$SW_NS" "$ASW" -q -I "$SW_IF" --rate max --retries 0 --format json "$target"; score "$key" ips_arpsweep ;;
	arpscan-default) run_timed "$key" "$SW_NS" arp-scan -I "$SW_IF" "$target"; score "$key" ips_arpscan ;;
	arpscan-*) run_timed "$key" "$SW_NS" arp-scan -I "$SW_IF" ${SWEEP_CMD[$tool]} "$target"; score "$key" ips_arpscan ;;
	nmap) run_timed "$key" "$SW_NS" nmap -sn -n -e "$SW_IF" "$target"; score "$key" ips_nmap ;;
	esac
}

complete_all() { [ "$(minmax "$1.found")" = "$2" ] && [ "$(minmax "$1.false")" = 0 ]; }

# A markdown row for a sweep measurement KEY against reference REF.
sweep_row()
{
	local key=$1 label=$2 ref=$3 planted=$4 ms
	ms=$(median "$key.ms")
	printf '| %s | %s | %s/%s | %s | %s | %s | %s | %s |\n' "$label" "$(fmt_s "$ms")" \
	    "$(minmax "$key.found")" "$planted" "$(minmax "$key.false")" \
	    "$(minmax "$key.findings")" "$(minmax "$key.dropped")" \
	    "$(fmt_mb "$(median "$key.kb")")" "$(ratio "$ms" "$(median "$ref.ms")")"
}
sweep_head()
{
	echo
	echo "### $1"
	echo
	echo "| tool | median wall (s) | hosts found/planted | false hosts | findings (arpsweep) | dropped | peak RSS (MB) | time ratio to $2 |"
	echo "|---|---|---|---|---|---|---|---|"
}

# --- the sweep lab -------------------------------------------------------

TARGETS=()	# "name|verdict|detail" lines for the summary
target() { TARGETS+=("$1|$2|$3"); }
pass_if() { if eval "$1" 2>/dev/null; then echo PASS; else echo MISS; fi; }

if want s24 || want s16 || want ports || want plot || want scale; then
	log "building the sweep lab ($NKERNEL kernel hosts, $NRESP responder hosts)"
	bench_lab_up >"$W/lab.log" 2>&1 || { cat "$W/lab.log" >&2; die "the sweep lab did not come up"; }
	NPLANTED=$(wc -l <"$W/planted.all")
fi

echo "# arpsweep benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $ROUNDS rounds, $(nproc) CPUs, kernel $(uname -r))"
echo
echo "arpsweep $("$ASW" -V 2>&1 | head -n 1); $(arp-scan --version 2>&1 | head -n 1); $(nmap --version | head -n 1);"
echo "$(tcpdump --version 2>&1 | head -n 1); $(tshark --version 2>/dev/null | head -n 1 | sed "s/\.$//"). Medians of $ROUNDS rounds; ranges are min-max."

if want s24; then
	SW_NS=$LAB_SCAN; SW_IF=$LAB_IFACE
	planted_in 198.18.0.0/24 "$W/planted.cur"
	n24=$(wc -l <"$W/planted.cur")
	for ((r = 0; r < ROUNDS; r++)); do
		log "/24 round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" asw-default asw-default-np arpscan-default nmap); do
			sweep_one "$t" 198.18.0.0/24 "s24-$t"
		done
	done
	sweep_head "/24 at defaults ($n24 kernel hosts; the responder's hosts are outside it)" "arp-scan"
	sweep_row s24-asw-default "arpsweep -q (bridge ports on)" s24-arpscan-default "$n24"
	sweep_row s24-asw-default-np "arpsweep -q --no-ports" s24-arpscan-default "$n24"
	sweep_row s24-arpscan-default "arp-scan -I $LAB_IFACE" s24-arpscan-default "$n24"
	sweep_row s24-nmap "nmap -sn -n" s24-arpscan-default "$n24"
	if [ $PROFILE = 1 ]; then
		bench_profile_sweep24
	fi
	a=$(median s24-asw-default.ms); p=$(median s24-arpscan-default.ms)
	v=$(pass_if "complete_all s24-asw-default $n24 && [ \"\$(ratio $a $p)\" != - ] && awk 'BEGIN { exit !($a * 4 <= $p) }'")
	target "/24 defaults: complete, <= 1/4 of arp-scan's time" "$v" \
	    "found $(minmax s24-asw-default.found)/$n24, false $(minmax s24-asw-default.false); $(fmt_s "$a") s vs $(fmt_s "$p") s = $(ratio "$a" "$p") (target 0.25)"
fi

if want s16 || want plot; then
	IFS=';' read -r -a fast <<<"$ARPSCAN_FAST"
	fast_tools=()
	for ((i = 0; i < ${#fast[@]}; i++)); do
		SWEEP_CMD[arpscan-f$i]=${fast[$i]}
		fast_tools+=("arpscan-f$i")
	done
fi

FASTEST=""
SW_NS=$WIDE_NS; SW_IF=$WIDE_IFACE
if want s16; then
	cp "$W/planted.all" "$W/planted.cur"
	base_tool=()
	[ -n "${ARPSWEEP_BASE:-}" ] && base_tool=(asw-base)
	for ((r = 0; r < ROUNDS; r++)); do
		log "/16 round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" asw-max "${base_tool[@]}" "${fast_tools[@]}" asw-max-r0 asw-br-max asw-br-max-np raw-lab); do
			if [ "$t" = raw-lab ]; then
				# The lab's ceiling as the tools see it, and without
				# the port filter (from the bridge itself).
				run_timed s16-raw "$WIDE_NS" "$RAWSEND" -i "$WIDE_IFACE" -n 65536 -t 198.18.0.0/16
				add s16-raw pps "$(sed -n 's/.*: \([0-9]*\) pps.*/\1/p' "$W/s16-raw.out")"
				run_timed s16-rawbr "$LAB_SCAN" "$RAWSEND" -i "$LAB_IFACE" -n 65536 -t 198.18.0.0/16
				add s16-rawbr pps "$(sed -n 's/.*: \([0-9]*\) pps.*/\1/p' "$W/s16-rawbr.out")"
				continue
			fi
			sweep_one "$t" 198.18.0.0/16 "s16-$t"
		done
	done
	# arp-scan's fastest setting that found every host in every round.
	best=""
	for t in "${fast_tools[@]}"; do
		complete_all "s16-$t" "$NPLANTED" || continue
		m=$(median "s16-$t.ms")
		if [ -z "$best" ] || awk "BEGIN { exit !($m < $(median "s16-$best.ms")) }"; then
			best=$t
		fi
	done
	FASTEST=$best
	[ -n "$best" ] || best=${fast_tools[0]}
	sweep_head "/16 ($NPLANTED hosts: $NKERNEL kernel + $NRESP responder, stride $RESP_STRIDE), arpsweep --rate max" \
	    "arp-scan's fastest complete setting (${SWEEP_CMD[$best]})"
	sweep_row s16-asw-max "arpsweep -q --rate max" "s16-$best" "$NPLANTED"
	for t in "${fast_tools[@]}"; do
		mark=""
		[ "$t" = "$FASTEST" ] && mark=" (fastest complete)"
		sweep_row "s16-$t" "arp-scan ${SWEEP_CMD[$t]}$mark" "s16-$best" "$NPLANTED"
	done
	sweep_row s16-asw-max-r0 "(info) arpsweep -q --rate max --retries 0" "s16-$best" "$NPLANTED"
	[ -n "${base_tool[*]}" ] && sweep_row s16-asw-base "(today) $ARPSWEEP_BASE -q --rate max" "s16-$best" "$NPLANTED"
	echo
	echo "Per round (ms, hosts found): arpsweep --rate max${R[s16-asw-max.ms]} (${R[s16-asw-max.found]# });"
	[ -n "${base_tool[*]}" ] && echo "today's build${R[s16-asw-base.ms]} (${R[s16-asw-base.found]# });"
	echo "arp-scan ${SWEEP_CMD[arpscan-f0]}${R[s16-arpscan-f0.ms]} (${R[s16-arpscan-f0.found]# }). arpsweep's settled rate${R[s16-asw-max.rate]}; loss${R[s16-asw-max.loss]}."
	sweep_row s16-asw-br-max "arpsweep -q --rate max from the bridge (ports on)" "s16-asw-br-max-np" "$NPLANTED"
	sweep_row s16-asw-br-max-np "arpsweep -q --rate max from the bridge --no-ports" "s16-asw-br-max-np" "$NPLANTED"
	echo
	echo "arpsweep --rate max, JSON stats per round: sent${R[s16-asw-max.sent]}; elapsed_s${R[s16-asw-max.elapsed]}."
	lp=$(median s16-raw.pps); lb=$(median s16-rawbr.pps); ss=$(median s16-asw-max.sent)
	echo
	echo "Lab ceiling: a bare sendmmsg loop (rawsend) puts $lp broadcasts/s into this lab from $WIDE_IFACE, whose"
	echo "bridge port drops requests for addresses no lab host owns (bench_wide_up); from the bridge itself, where"
	echo "every request is flooded to all $((NKERNEL + 1)) ports and handled by $NKERNEL kernel ARP stacks and the responder"
	echo "on the same 2 CPUs, it manages $lb/s. One request per target costs >= $(awk -v p="$lp" 'BEGIN { printf "%.3f", 65536 / p }') s for any tool;"
	echo "arpsweep's $ss requests >= $(awk -v p="$lp" -v n="$ss" 'BEGIN { printf "%.3f", n / p }') s."
	if [ $PROFILE = 1 ]; then
		bench_profile_sweep
	fi
	a=$(median s16-asw-max.ms); p=$(median "s16-$best.ms")
	v=$(pass_if "complete_all s16-asw-max $NPLANTED && [ \"\$(minmax s16-asw-max.findings)\" = 0 ] && [ -n \"$FASTEST\" ] && awk 'BEGIN { exit !($a * 5 <= $p) }'")
	target "/16 --rate max: all found, no false finding, <= 1/5 of arp-scan's fastest" "$v" \
	    "found $(minmax s16-asw-max.found)/$NPLANTED, false hosts $(minmax s16-asw-max.false), findings $(minmax s16-asw-max.findings); $(fmt_s "$a") s vs $(fmt_s "$p") s (arp-scan ${SWEEP_CMD[$best]}) = $(ratio "$a" "$p") (target 0.20: $(awk -v p="$p" 'BEGIN { printf "%.3f", p / 5000 }') s, while one request per target at the lab's ceiling takes $(awk -v l="$lp" 'BEGIN { printf "%.3f", (l > 0 ? 65536 / l : 0) }') s)"
	d=$(minmax s16-asw-max.dropped)
	target "receiver: dropped 0 during the /16 sweep" "$(pass_if "[ '$d' = 0 ]")" "stats.dropped $d"
	if [ -n "${base_tool[*]}" ]; then
		b=$(median s16-asw-base.ms)
		target "/16 filtered lab within 10% of today's build" "$(pass_if "awk 'BEGIN { exit !($a <= 1.10 * $b) }'")" \
		    "$(fmt_s "$a") s vs $(fmt_s "$b") s ($ARPSWEEP_BASE, same rounds) = $(ratio "$a" "$b") (target 1.10)"
	fi
	a=$(median s16-asw-br-max.ms); p=$(median s16-asw-br-max-np.ms); d=$(minmax s16-asw-br-max.dropped)
	v=$(pass_if "complete_all s16-asw-br-max $NPLANTED && [ '$d' = 0 ] && awk 'BEGIN { exit !($a <= 1.10 * $p) }'")
	target "/16 --rate max from the bridge: ports cost <= 10%, 0 dropped" "$v" \
	    "$(fmt_s "$a") s with ports vs $(fmt_s "$p") s without = $(ratio "$a" "$p") (target 1.10); dropped $d; found $(minmax s16-asw-br-max.found)/$NPLANTED"
fi

if want ports; then
	cp "$W/planted.all" "$W/planted.cur"
	for ((r = 0; r < ROUNDS; r++)); do
		log "/16 from the bridge, ports on and off, round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" asw-br-max asw-br-max-np); do
			sweep_one "$t" 198.18.0.0/16 "pt-$t"
		done
	done
	sweep_head "/16 --rate max from the bridge itself ($NPLANTED hosts, $((NKERNEL + 1)) ports): the cost of bridge ports" "--no-ports"
	sweep_row pt-asw-br-max "arpsweep -q --rate max (ports on)" pt-asw-br-max-np "$NPLANTED"
	sweep_row pt-asw-br-max-np "arpsweep -q --rate max --no-ports" pt-asw-br-max-np "$NPLANTED"
	echo
	echo "Per round (ms): ports on${R[pt-asw-br-max.ms]}; --no-ports${R[pt-asw-br-max-np.ms]}."
	echo "Requests sent: ports on${R[pt-asw-br-max.sent]}; --no-ports${R[pt-asw-br-max-np.sent]}. Settled rate/s: ports on${R[pt-asw-br-max.rate]}; --no-ports${R[pt-asw-br-max-np.rate]}."
	a=$(median pt-asw-br-max.ms); p=$(median pt-asw-br-max-np.ms); d=$(minmax pt-asw-br-max.dropped)
	v=$(pass_if "complete_all pt-asw-br-max $NPLANTED && [ '$d' = 0 ] && awk 'BEGIN { exit !($a <= 1.10 * $p) }'")
	target "/16 --rate max from the bridge (-s ports): ports cost <= 10%, 0 dropped" "$v" \
	    "$(fmt_s "$a") s with ports vs $(fmt_s "$p") s without = $(ratio "$a" "$p") (target 1.10); dropped $d (--no-ports $(minmax pt-asw-br-max-np.dropped)); found $(minmax pt-asw-br-max.found)/$NPLANTED (--no-ports $(minmax pt-asw-br-max-np.found))"
fi

if want plot; then
	pt=${FASTEST:-${fast_tools[0]}}
	for net in 198.18.0.0/24 198.18.0.0/20; do
		planted_in "$net" "$W/planted.cur"
		sz=${net#*/}
		for ((r = 0; r < ROUNDS; r++)); do
			log "plot /$sz round $((r + 1))/$ROUNDS"
			for t in $(rotate "$r" asw-max "$pt"); do
				sweep_one "$t" "$net" "p$sz-$t"
			done
		done
	done
	sweep_head "sweep time against target-set size (arpsweep --rate max, arp-scan ${SWEEP_CMD[$pt]})" "arp-scan"
	: >"$W/plot.dat"
	for sz in 24 20 16; do
		k=p$sz
		[ $sz = 16 ] && k=s16
		[ -n "${R[$k-asw-max.ms]:-}" ] || continue
		case $sz in 24) net=198.18.0.0/24 ;; 20) net=198.18.0.0/20 ;; 16) net=198.18.0.0/16 ;; esac
		planted_in "$net" "$W/planted.cur"
		np=$(wc -l <"$W/planted.cur")
		sweep_row "$k-asw-max" "/$sz arpsweep --rate max" "$k-$pt" "$np"
		sweep_row "$k-$pt" "/$sz arp-scan ${SWEEP_CMD[$pt]}" "$k-$pt" "$np"
		echo "$((1 << (32 - sz))) $np $(fmt_s "$(median "$k-asw-max.ms")") $(fmt_s "$(median "$k-$pt.ms")")" >>"$W/plot.dat"
	done
	mkdir -p "$(dirname "$PNG")"
	xt=$(awk '{ printf "%s\"/%d: %d targets, %d hosts\" %d", (NR > 1 ? ", " : ""), 32 - log($1) / log(2) + 0.5, $1, $2, $1 }' "$W/plot.dat")
	gnuplot <<-EOF 2>"$W/gnuplot.err" || log "gnuplot failed: $(cat "$W/gnuplot.err")"
	set terminal pngcairo size 900,600 font "sans,11"
	set output "$PNG"
	set title "ARP sweep time against target-set size\n(namespace lab, hosts spread over 198.18.0.0/16; median of $ROUNDS rounds)"
	set xlabel "target set (log scale)"
	set ylabel "wall time, s (log scale)"
	set logscale xy
	set xrange [100:200000]
	set yrange [0.05:*]
	set grid
	set key top left box opaque
	set xtics ($xt)
	set pointsize 1.5
	plot "$W/plot.dat" using 1:3 with linespoints lw 2 pt 7 lc rgb "#c0392b" title "arpsweep -q --rate max", \
	     "$W/plot.dat" using 1:4 with linespoints lw 2 pt 5 lc rgb "#2471a3" title "arp-scan ${SWEEP_CMD[$pt]}", \
	     "$W/plot.dat" using 1:3:(sprintf("%s s", stringcolumn(3))) with labels right offset -1.2,0.6 tc rgb "#c0392b" notitle, \
	     "$W/plot.dat" using 1:4:(sprintf("%s s", stringcolumn(4))) with labels left offset 1.2,-0.9 tc rgb "#2471a3" notitle
	EOF
	echo
	echo "Plot: $PNG"
fi

# Scale on paper: the default rate's cost to the segment and to the host.
# From the bridge itself, as a KVM host's timer sweeps: every request is
# flooded to every port (at 5,000/s the lab keeps up), ports captured.
if want scale; then
	SW_NS=$LAB_SCAN; SW_IF=$LAB_IFACE
	cp "$W/planted.all" "$W/planted.cur"
	: "${SCALE_ROUNDS:=1}"
	for ((r = 0; r < SCALE_ROUNDS; r++)); do
		log "scale: /16 at the default rate, round $((r + 1))/$SCALE_ROUNDS (~40 s)"
		sweep_one asw-default 198.18.0.0/16 sc16
		add sc16 sendsec "$(json_num "$W/sc16.out" send_seconds)"
	done
	# The target set alone, by size: the base a sweep starts from.
	for net in 198.18.0.0/24 198.18.0.0/16 198.0.0.0/8; do
		k=dry${net#*/}
		for ((r = 0; r < ROUNDS; r++)); do
			run_timed "$k" "$LAB_SCAN" "$ASW" --dry-run --force -I "$LAB_IFACE" "$net"
			add "$k" kb "$T_KB"
		done
	done
	sent=$(median sc16.sent); ssec=$(median sc16.sendsec); el=$(median sc16.elapsed)
	pace=$(awk -v n="$sent" -v s="$ssec" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
	per=$(awk -v n="$sent" 'BEGIN { printf "%.3f", n / 65536 }')
	echo
	echo "### scale: the default rate (--rate 5000), from the bridge ($NPLANTED hosts in the /16, $SCALE_ROUNDS round(s))"
	echo
	echo "| sweep | requests | requests/target | broadcasts/s while sending | send time (s) | elapsed (s) | wall (s) | peak RSS (MB) | hosts found |"
	echo "|---|---|---|---|---|---|---|---|---|"
	echo "| /16 at defaults | $sent | $per | $pace | $ssec | $el | $(fmt_s "$(median sc16.ms)") | $(fmt_mb "$(median sc16.kb)") | $(minmax sc16.found)/$NPLANTED |"
	# A /8 by the same pace and the same requests per target (almost all
	# silent: three passes), and by one pass alone.
	awk -v per="$per" -v pace="$pace" -v el="$el" -v ss="$ssec" 'BEGIN {
	    n = 16777216; tail = el - ss
	    printf "| /8 (computed) | %.0f | %s | %s | %.0f (%.2f h) | %.0f | - | see below | - |\n", n * per, per, pace, n * per / pace, n * per / pace / 3600, n * per / pace + tail
	    printf "| /8, one pass (computed) | %d | 1 | %s | %.0f (%.2f h) | - | - | - | - |\n", n, pace, n / pace, n / pace / 3600 }'
	echo
	echo "| --dry-run --force | peak RSS (MB), median of $ROUNDS |"
	echo "|---|---|"
	for net in 198.18.0.0/24 198.18.0.0/16 198.0.0.0/8; do
		echo "| $net ($(head -n 1 "$W/dry${net#*/}.out" | awk '{ print $1 }') targets) | $(fmt_mb "$(median "dry${net#*/}.kb")") |"
	done
fi

# The sweep lab is no longer needed: its kernel hosts would only add noise.
if want s24 || want s16 || want ports || want plot || want scale; then
	lab_down
fi

# The flood lab (see the header): nothing filters before the bridge, and
# the kernel hosts share one port through macvlan, whose broadcast queue
# drops what its worker cannot keep up with (counted in the port's
# rx_dropped). arp_ignore=1: each macvlan answers only for its own address,
# as separate machines would.
FLOOD_NS=${LAB}mv
bench_flood_up()
{
	local i

	lab_up >/dev/null || return 1
	ip -n "$LAB_SCAN" addr del "$SCAN_IP/24" dev "$LAB_IFACE" || return 1
	ip -n "$LAB_SCAN" addr add "$SCAN_IP/16" dev "$LAB_IFACE" || return 1
	_lab_ns_new "$FLOOD_NS" || return 1
	ip netns exec "$FLOOD_NS" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
	    net.ipv4.conf.all.arp_announce=2 || return 1
	ip -n "$LAB_SCAN" link add vnetmv type veth peer name eth0 netns "$FLOOD_NS" || return 1
	ip -n "$LAB_SCAN" link set vnetmv master "$LAB_BRIDGE" up || return 1
	ip -n "$FLOOD_NS" link set eth0 up || return 1
	for ((i = 0; i < NKERNEL; i++)); do
		ip -n "$FLOOD_NS" link add "mv$i" link eth0 \
		    address "$(printf '52:54:00:00:01:%02x' "$i")" type macvlan mode bridge || return 1
		ip -n "$FLOOD_NS" addr add "198.18.0.$((10 + i * 11))/16" dev "mv$i" || return 1
		ip -n "$FLOOD_NS" link set "mv$i" up || return 1
	done
	lab_responder many "range:$RESP_FIRST:$NRESP:$RESP_STRIDE=52:54:00:10:00:00" || return 1
}
flood_rxdrop() { ip netns exec "$FLOOD_NS" cat /sys/class/net/eth0/statistics/rx_dropped; }

if want flood; then
	log "building the flood lab ($NKERNEL macvlan hosts on one port, $NRESP responder hosts)"
	bench_flood_up >"$W/flood.log" 2>&1 || { cat "$W/flood.log" >&2; die "the flood lab did not come up"; }
	cp "$W/planted.all" "$W/planted.cur" 2>/dev/null || {
		# planted.all comes from the sweep lab; the same hosts here.
		{ for ((i = 0; i < NKERNEL; i++)); do echo "198.18.0.$((10 + i * 11))"; done
		  awk -v n="$NRESP" -v s="$RESP_STRIDE" 'BEGIN { b = (198 * 256 + 18) * 65536 + 256 + 1
		    for (k = 0; k < n; k++) { x = b + k * s; printf "%d.%d.%d.%d\n", int(x / 16777216), int(x / 65536) % 256, int(x / 256) % 256, x % 256 } }'
		} | sort -u >"$W/planted.cur"
	}
	nfl=$(wc -l <"$W/planted.cur")
	SW_NS=$LAB_SCAN; SW_IF=$LAB_IFACE
	SWEEP_CMD[arpscan-100m]="--bandwidth=100M"
	FLOOD_ROWS=()
	flood_ok=1
	for ((r = 0; r < ROUNDS; r++)); do
		log "flood /16 round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" asw-max arpscan-100m); do
			d0=$(flood_rxdrop)
			sweep_one "$t" 198.18.0.0/16 "fl-$t"
			add "fl-$t" rxdrop "$(( $(flood_rxdrop) - d0 ))"
			cp "$W/fl-$t.ips" "$W/fl-$t.ips.$r"
		done
		missing=$(comm -13 "$W/fl-asw-max.ips.$r" "$W/fl-arpscan-100m.ips.$r" | wc -l)
		[ "$missing" = 0 ] || flood_ok=0
		# shellcheck disable=SC2206
		am=(${R[fl-asw-max.ms]}) af=(${R[fl-asw-max.found]}) ad=(${R[fl-asw-max.rxdrop]})
		# shellcheck disable=SC2206
		ar=(${R[fl-asw-max.rate]}) al=(${R[fl-asw-max.loss]}) as=(${R[fl-asw-max.sent]})
		# shellcheck disable=SC2206
		sm=(${R[fl-arpscan-100m.ms]}) sf=(${R[fl-arpscan-100m.found]}) sd=(${R[fl-arpscan-100m.rxdrop]})
		FLOOD_ROWS+=("| $((r + 1)) | ${af[$r]}/$nfl | $(fmt_s "${am[$r]}") | ${as[$r]} | ${ar[$r]} | ${al[$r]} | ${ad[$r]} | ${sf[$r]}/$nfl | $(fmt_s "${sm[$r]}") | ${sd[$r]} | $missing |")
	done
	echo
	echo "### flood lab: /16 from the bridge, nothing filtered; $NKERNEL kernel hosts behind macvlan on one port, $NRESP responder hosts on another"
	echo
	echo "| round | arpsweep --rate max found | wall (s) | sent | settled rate (/s) | measured loss | macvlan rx_dropped | arp-scan --bandwidth=100M found | wall (s) | macvlan rx_dropped | hosts arp-scan found and arpsweep did not |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${FLOOD_ROWS[@]}"
	sweep_head "flood lab medians" "arp-scan --bandwidth=100M"
	sweep_row fl-asw-max "arpsweep -q --rate max" fl-arpscan-100m "$nfl"
	sweep_row fl-arpscan-100m "arp-scan --bandwidth=100M" fl-arpscan-100m "$nfl"
	a=$(median fl-asw-max.ms); p=$(median fl-arpscan-100m.ms)
	target "flood lab: every round finds every host arp-scan finds" "$(pass_if "[ $flood_ok = 1 ]")" \
	    "arpsweep found $(minmax fl-asw-max.found)/$nfl, arp-scan $(minmax fl-arpscan-100m.found)/$nfl"
	target "flood lab: /16 median no slower than arp-scan --bandwidth=100M" "$(pass_if "awk 'BEGIN { exit !($a <= $p) }'")" \
	    "$(fmt_s "$a") s vs $(fmt_s "$p") s = $(ratio "$a" "$p") (target 1.00); settled rate $(median fl-asw-max.rate)/s, loss $(median fl-asw-max.loss)"
	lab_down
fi

if want send; then
	log "building the veth pair"
	bench_veth_up >"$W/veth.log" 2>&1 || { cat "$W/veth.log" >&2; die "the veth pair did not come up"; }
	passes=2
	# /15 swept twice (a pass and one retry pass: nothing answers, so no
	# further retry pass is earned) stays inside 198.18.0.0/15. The send
	# phase is the sender's own time sending (JSON stats.send_s), so
	# start-up and the waits do not count.
	for ((r = 0; r < ROUNDS; r++)); do
		log "send round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" sender asw raw raw-bypass raw-tap); do
			case $t in
			sender)
				run_timed send-sender "${LAB}tx" "$SENDBENCH" -i tx0 -t 198.18.0.0/15 -p $passes
				add send-sender sent "$(sed -n 's/^sent \([0-9]*\) .*/\1/p' "$W/send-sender.out")"
				add send-sender pps "$(sed -n 's/.*: \([0-9]*\) pps.*/\1/p' "$W/send-sender.out")"
				add send-sender ms "$T_MS"; add send-sender kb "$T_KB"
				;;
			asw)
				run_timed send-asw "${LAB}tx" "$ASW" -I tx0 --rate max --retries $((passes - 1)) \
				    --confirm 0 --timeout 1 -q --force --format json 198.18.0.0/15
				s=$(json_num "$W/send-asw.out" requests_sent); e=$(json_num "$W/send-asw.out" elapsed_seconds)
				add send-asw sent "$s"; add send-asw ms "$T_MS"; add send-asw kb "$T_KB"
				add send-asw dropped "$(json_num "$W/send-asw.out" kernel_dropped_frames)"
				# Send phase: stats.send_s, the sender thread's time in
				# sendmmsg batches (start-up and waits excluded).
				add send-asw pps "$(awk -v s="$s" -v t="$(json_num "$W/send-asw.out" send_seconds)" \
				    'BEGIN { printf "%.0f", (t > 0 ? s / t : 0) }')"
				add send-asw ppsall "$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", (e > 0 ? s / e : 0) }')"
				;;
			raw|raw-bypass|raw-tap)
				n=$(json_num "$W/send-asw.out" requests_sent 2>/dev/null)
				[[ ${n:-} =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || n=1048576
				args=()
				[ "$t" = raw-bypass ] && args=(--bypass)
				tap=""
				if [ "$t" = raw-tap ]; then
					start_tap || { log "tcpdump did not start: $(cat "$W/tap.err")"; continue; }
				fi
				run_timed "send-$t" "${LAB}tx" "$RAWSEND" -i tx0 -n "$n" -t 198.18.0.0/15 "${args[@]}"
				[ -n "$tap" ] && stop_tap
				add "send-$t" sent "$(sed -n 's/^sent \([0-9]*\) .*/\1/p' "$W/send-$t.out")"
				add "send-$t" pps "$(sed -n 's/.*: \([0-9]*\) pps.*/\1/p' "$W/send-$t.out")"
				add "send-$t" ms "$T_MS"; add "send-$t" kb "$T_KB"
				;;
			esac
		done
	done
	ref=$(median send-raw.pps)
	echo
	echo "### send path alone (veth pair, nothing answering; 198.18.0.0/15 x $passes passes)"
	echo
	echo "| sender | median pps | frames | median wall (s) | peak RSS (MB) | pps ratio to raw sendmmsg |"
	echo "|---|---|---|---|---|---|"
	for k in send-sender send-asw send-raw send-raw-bypass send-raw-tap; do
		case $k in
		send-sender) label="arpsweep's sender alone (tests/tools/sendbench: scanner/sender.c at --rate max, no capture)" ;;
		send-asw) label="(info) the whole arpsweep --rate max --retries $((passes - 1)) --confirm 0 --timeout 1, its capture seeing every request (send phase: stats.send_s)" ;;
		send-raw) label="rawsend: sendmmsg x64, qdisc path" ;;
		send-raw-bypass) label="rawsend --bypass: PACKET_QDISC_BYPASS (reference only)" ;;
		send-raw-tap) label="(info) rawsend while tcpdump -B 32768 -w /dev/null captures tx0" ;;
		esac
		p=$(median "$k.pps")
		printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$p" "$(minmax "$k.sent")" \
		    "$(fmt_s "$(median "$k.ms")")" "$(fmt_mb "$(median "$k.kb")")" "$(ratio "$p" "$ref")"
	done
	echo
	echo "arpsweep pps over its whole elapsed_s: $(median send-asw.ppsall); stats.dropped $(minmax send-asw.dropped)."
	a=$(median send-sender.pps); w=$(median send-asw.pps); tp=$(median send-raw-tap.pps)
	target "sender >= 80% of the raw sendmmsg loop" "$(pass_if "awk 'BEGIN { exit !($a >= 0.8 * $ref) }'")" \
	    "sender alone $a vs $ref pps = $(ratio "$a" "$ref") (target 0.80); the whole tool $w pps = $(ratio "$w" "$ref") of the loop, $(ratio "$w" "$tp") of the loop with a capture on the link"
	if [ $PROFILE = 1 ]; then
		bench_profile_send
	fi
	lab_down
fi

if want replay; then
	cap=$W/replay.pcap
	log "writing the 1,000,000-frame capture"
	"$MKCAP" -n 1000000 "$cap" || die "mkcapture failed"
	nframes=1000000
	# mkcapture's hosts: offset 5 + 16k of 198.18.0.0/16, MAC
	# 52:54:00:aa:HI:LO of that offset. Domains for hosts 0-299, bindings
	# for hosts 150-449.
	log "writing 300 domain XML files and 300 DHCP bindings"
	mkdir -p "$W/inv/vms"
	for ((k = 0; k < 450; k++)); do
		off=$((5 + 16 * k))
		ip="198.18.$((off >> 8)).$((off & 255))"
		mac=$(printf '52:54:00:aa:%02x:%02x' $((off >> 8)) $((off & 255)))
		[ $k -lt 300 ] && printf "<domain type='kvm' id='%d'><name>vm%03d</name><devices><interface type='bridge'><mac address='%s'/><source bridge='virbr0'/><target dev='vnet%d'/></interface></devices></domain>\n" \
		    $((k + 1)) $k "$mac" $k >"$W/inv/vms/vm$k.xml"
		[ $k -ge 150 ] && printf 'host h%03d { hardware ethernet %s; fixed-address %s; }\n' $k "$mac" "$ip"
	done >"$W/inv/dhcpd.conf"
	for ((r = 0; r < ROUNDS; r++)); do
		log "replay round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" asw asw-inv tcpdump tshark); do
			case $t in
			asw) run_timed rp-asw - "$ASW" -r "$cap" -q --format csv ;;
			asw-inv) run_timed rp-asw-inv - "$ASW" -r "$cap" -q --format csv \
			    --vm-xml "$W/inv/vms" --dhcp "$W/inv/dhcpd.conf" ;;
			tcpdump) run_timed rp-tcpdump - tcpdump -r "$cap" -w /dev/null ;;
			tshark) run_timed rp-tshark - tshark -r "$cap" ;;
			esac
			add "rp-$t" ms "$T_MS"; add "rp-$t" kb "$T_KB"
		done
	done
	echo
	echo "### replay of a $nframes-frame ARP capture ($(du -m "$cap" | cut -f1) MB, mkcapture)"
	echo
	echo "| reader | median wall (s) | frames/s | peak RSS (MB) | time ratio to tcpdump | frames/s ratio to tshark |"
	echo "|---|---|---|---|---|---|"
	for k in asw asw-inv tcpdump tshark; do
		case $k in
		asw) label="arpsweep -r F -q --format csv >/dev/null" ;;
		asw-inv) label="the same with --vm-xml DIR (300 domains) --dhcp dhcpd.conf (300 bindings)" ;;
		tcpdump) label="tcpdump -r F -w /dev/null" ;;
		tshark) label="tshark -r F >/dev/null" ;;
		esac
		ms=$(median "rp-$k.ms")
		printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(fmt_s "$ms")" \
		    "$(awk -v n=$nframes -v m="$ms" 'BEGIN { printf "%.0f", n / (m / 1000) }')" \
		    "$(fmt_mb "$(median "rp-$k.kb")")" "$(ratio "$ms" "$(median rp-tcpdump.ms)")" \
		    "$(ratio "$(median rp-tshark.ms)" "$ms")"
	done
	a=$(median rp-asw.ms); td=$(median rp-tcpdump.ms); ts=$(median rp-tshark.ms)
	target "replay within 3x tcpdump's read time" "$(pass_if "awk 'BEGIN { exit !($a <= 3 * $td) }'")" \
	    "$(fmt_s "$a") s vs $(fmt_s "$td") s = $(ratio "$a" "$td")x (target 3)"
	ai=$(median rp-asw-inv.ms)
	names=$(grep -c ',vm[0-9]\{3\},' "$W/rp-asw-inv.out")
	target "replay with 300 domains and 300 bindings: still within 3x tcpdump" \
	    "$(pass_if "[ '$names' -ge 300 ] && awk 'BEGIN { exit !($ai <= 3 * $td) }'")" \
	    "$(fmt_s "$ai") s vs $(fmt_s "$td") s = $(ratio "$ai" "$td")x (plain replay $(ratio "$a" "$td")x; $names rows name their VM)"
	target "replay >= 10x tshark's frames/s" "$(pass_if "awk 'BEGIN { exit !($ts >= 10 * $a) }'")" \
	    "$(ratio "$ts" "$a")x (target 10)"
	if [ $PROFILE = 1 ]; then
		bench_profile_replay "$cap"
	fi
fi

if want mem; then
	# In a namespace of our own with a dummy link for the source address
	# (a dry run still wants one); nothing is sent anyway.
	_lab_ns_new "${LAB}mem" || die "cannot create a namespace"
	memopt=()
	if ! { ip -n "${LAB}mem" link add d0 type dummy &&
	    ip -n "${LAB}mem" addr add 198.18.0.1/15 dev d0 &&
	    ip -n "${LAB}mem" link set d0 up; } 2>/dev/null; then
		memopt=(--source-ip 198.18.0.1)
	fi
	for ((r = 0; r < ROUNDS; r++)); do
		run_timed mem "${LAB}mem" "$ASW" --dry-run --force "${memopt[@]}" 198.0.0.0/8
		add mem kb "$T_KB"; add mem ms "$T_MS"
	done
	echo
	echo "### memory: arpsweep --dry-run --force 198.0.0.0/8"
	echo
	echo "| run | median wall (s) | peak RSS (MB) | output |"
	echo "|---|---|---|---|"
	echo "| arpsweep --dry-run --force 198.0.0.0/8 | $(fmt_s "$(median mem.ms)") | $(fmt_mb "$(median mem.kb)") | $(head -n 1 "$W/mem.out") |"
	k=$(median mem.kb)
	target "/8 dry run < 16 MB RSS" "$(pass_if "[ $k -lt 16384 ]")" "$(fmt_mb "$k") MB"
	lab_down
fi

if want arpflood; then
	FLOOD_RATE=${FLOOD_RATE:-200000}
	FLOOD_SRC=52:54:00:00:0f:01
	log "building the flood lab"
	{
		lab_up &&
		    for i in 10 11 12 13 14; do lab_host "h$i" "198.18.0.$i" "52:54:00:00:00:$i" || exit 1; done &&
		    lab_host twin1 198.18.0.20 52:54:00:00:00:20 twin &&
		    lab_host twin2 198.18.0.20 52:54:00:00:00:20 twin &&
		    lab_responder flood --flood 8 --flood-wait --flood-net 198.18.0.0/24 \
			--flood-rate "$FLOOD_RATE" --flood-src "$FLOOD_SRC"
	} >"$W/flood-lab.log" 2>&1 || { cat "$W/flood-lab.log" >&2; die "the flood lab did not come up"; }
	lab_responder_stop flood >/dev/null
	nreal=6		# .10-.14 and the twin, each with its own MAC
	# One sweep of the /24 at defaults (table output) with or without the
	# flood; the flooder is stopped when the sweep ends, so its line gives
	# the rate it kept up while the sweep ran.
	flood_one()
	{
		local key=$1 fopt=$2 f found i
		shift 2
		if [ "$fopt" != none ]; then
			# shellcheck disable=SC2086
			lab_responder_again flood --flood 8 --flood-wait --flood-net 198.18.0.0/24 \
			    $fopt --flood-src "$FLOOD_SRC" >>"$W/flood-lab.log" 2>&1 || die "the flooder did not start"
		fi
		run_timed "$key" "$LAB_SCAN" "$ASW" -I "$LAB_IFACE" -q "$@" 198.18.0.0/24
		f=$W/$key.out
		if [ "$fopt" != none ]; then
			lab_responder_stop flood >/dev/null
			add "$key" fps "$(sed -n 's/^responder: flood: .* (\([0-9]*\) frames\/s).*/\1/p' "$LAB_DIR/flood.log")"
		fi
		found=0
		for i in 10 11 12 13 14 20; do
			grep -Eq "^198\.18\.0\.$i +52:54:00:00:00:$i " "$f" && found=$((found + 1))
		done
		add "$key" found "$found"
		add "$key" ms "$T_MS"; add "$key" kb "$T_KB"; add "$key" rc "$T_RC"
		add "$key" bytes "$(stat -c %s "$f")"
		add "$key" frames "$(sed -n 's/^Summary: \([0-9]*\) frame.*/\1/p' "$f")"
		add "$key" hosts "$(sed -n 's/^Summary: .*; \([0-9]*\) hosts\{0,1\};.*/\1/p' "$f")"
		# "1 finding (1 twin)" -> "twin" ; the kinds, in the order printed
		FINDINGS[$key]=$(sed -n 's/^Summary: .* findings\{0,1\} (\([^)]*\)).*/\1/p' "$f")
	}
	declare -A FINDINGS=()
	for ((r = 0; r < ROUNDS; r++)); do
		log "flood round $((r + 1))/$ROUNDS"
		for t in $(rotate "$r" quiet flood max slowq slowf); do
			case $t in
			quiet) flood_one fl-quiet none ;;
			flood) flood_one fl-flood "--flood-rate $FLOOD_RATE" ;;
			max) flood_one fl-max "" ;;
			slowq) flood_one fl-slowq none --rate 100 ;;
			slowf) flood_one fl-slowf "--flood-rate $FLOOD_RATE" --rate 100 ;;
			esac
		done
	done
	echo
	echo "### /24 at defaults under an ARP flood (5 kernel hosts + a twin; the flooder on another bridge port, 8 s from the sweep's first request)"
	echo
	echo "| sweep | flood (median frames/s while the sweep ran) | median wall (s) | peak RSS (MB) | report (KB) | real hosts found | bindings | frames captured | findings (last round) | time ratio to no flood |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for k in fl-quiet fl-flood fl-max fl-slowq fl-slowf; do
		case $k in
		fl-quiet) label="arpsweep -q (defaults)"; fl="none"; ref=fl-quiet ;;
		fl-flood) label="arpsweep -q (defaults)"; fl="--flood-rate $FLOOD_RATE: $(median "$k.fps")"; ref=fl-quiet ;;
		fl-max) label="(info) arpsweep -q (defaults)"; fl="unpaced: $(median "$k.fps")"; ref=fl-quiet ;;
		fl-slowq) label="(info) arpsweep -q --rate 100"; fl="none"; ref=fl-slowq ;;
		fl-slowf) label="(info) arpsweep -q --rate 100"; fl="--flood-rate $FLOOD_RATE: $(median "$k.fps")"; ref=fl-slowq ;;
		esac
		ms=$(median "$k.ms")
		printf '| %s | %s | %s | %s | %s | %s/%s | %s | %s | %s | %s |\n' "$label" "$fl" "$(fmt_s "$ms")" \
		    "$(fmt_mb "$(median "$k.kb")")" "$(awk -v b="$(median "$k.bytes")" 'BEGIN { printf "%.0f", b / 1024 }')" \
		    "$(minmax "$k.found")" "$nreal" "$(minmax "$k.hosts")" "$(minmax "$k.frames")" \
		    "${FINDINGS[$k]:-none}" "$(ratio "$ms" "$(median "$ref.ms")")"
	done
	echo
	echo "exit status per round: flood${R[fl-flood.rc]}; unpaced${R[fl-max.rc]}; --rate 100 flood${R[fl-slowf.rc]}."
	kb=$(median fl-flood.kb); by=$(median fl-flood.bytes); ms=$(median fl-flood.ms)
	target "flood: ~$FLOOD_RATE frames/s through a /24 sweep at defaults: peak RSS < 100 MB, report < 2 MB, done < 20 s, every real host" \
	    "$(pass_if "[ $kb -lt 102400 ] && [ $by -lt 2097152 ] && [ $ms -lt 20000 ] && [ \"\$(minmax fl-flood.found)\" = $nreal ]")" \
	    "$(fmt_mb "$kb") MB, $(awk -v b="$by" 'BEGIN { printf "%.0f", b / 1024 }') KB, $(fmt_s "$ms") s, hosts $(minmax fl-flood.found)/$nreal, flood $(median fl-flood.fps) frames/s"
	lab_down
fi

if [ ${#TARGETS[@]} -gt 0 ]; then
	echo
	echo "### targets (same run)"
	echo
	echo "| target | verdict | numbers |"
	echo "|---|---|---|"
	for t in "${TARGETS[@]}"; do
		IFS='|' read -r name verdict detail <<<"$t"
		echo "| $name | $verdict | $detail |"
	done
fi
exit 0
