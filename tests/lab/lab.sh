# lab.sh: throwaway network-namespace ARP labs (bridge, kernel hosts, userspace responders). Source it from bash.
#
# Everything lives in namespaces named "$LAB*" (default asw-<pid>-), uses only
# 198.18.0.0/15 and is torn down by lab_down, installed here as the EXIT, INT
# and TERM trap. If you replace those traps, call lab_down from yours.
# See tests/lab/README.md for the functions and the standard lab.

# shellcheck disable=SC2034	# the LAB_* settings are for the callers
LAB_SKIP=77				# status of every function when the lab can't run here
: "${LAB:=asw-$$-}"			# namespace name prefix
: "${LAB_BRIDGE:=virbr0}"		# the bridge (inside the scanner namespace)
LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${LAB_RESPONDER:=$LAB_TOP/${ARPSWEEP_BUILD:-build}/tools/responder}"
LAB_SCAN="${LAB}scan"			# scanner namespace
LAB_IFACE=$LAB_BRIDGE			# what a scanner sweeps from, inside $LAB_SCAN
LAB_SCAN_IP=198.18.0.1
LAB_SCAN_MAC=52:54:00:00:00:01
LAB_NET=198.18.0.0/24
LAB_VLAN=100				# standard lab: the tagged segment
LAB_VLAN_NET=198.18.100.0/24
LAB_DIR=""				# logs, ready files, the planted list
LAB_PLANTED=""				# "ip mac kind vlan ns port opts" per planted host
LAB_SKIP_REASON=""
LAB_NPORTS=0
declare -gA LAB_PORT=()			# NAME -> bridge port (vnetN)
declare -gA LAB_PID=()			# NAME -> responder pid
declare -gA LAB_IP=()			# NAME -> kernel host IP

_lab_err() { echo "lab: $*" >&2; }

_lab_skip()
{
	LAB_SKIP_REASON=$*
	echo "SKIP${LAB_TEST:+ $LAB_TEST}: $*"
	return "$LAB_SKIP"
}

# Fail loudly on a prefix that could match namespaces that are not ours.
_lab_prefix_ok()
{
	[[ $LAB =~ ^[A-Za-z0-9_.-]{3,}$ ]] || { _lab_err "bad LAB prefix '$LAB'"; return 1; }
}

_lab_name_ok()
{
	[[ $1 =~ ^[A-Za-z0-9_-]+$ ]] || { _lab_err "bad name '$1'"; return 1; }
}

# A fresh namespace with lo up and IPv6 off before any link exists, so no
# link inherits IPv6 and the segment carries only what tests send.
_lab_ns_new()
{
	ip netns add "$1" || return 1
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
	ip -n "$1" link set lo up
}

# Checks before building: root, ip netns, bridge and veth links. Returns
# LAB_SKIP after one "SKIP: reason" line when the lab can't run here.
lab_check()
{
	local p="${LAB}probe" ok=1

	_lab_prefix_ok || return 1
	[ "$(id -u)" = 0 ] || { _lab_skip "lab needs root (network namespaces)"; return; }
	command -v ip >/dev/null || { _lab_skip "iproute2 'ip' not installed"; return; }
	ip netns add "$p" 2>/dev/null || { _lab_skip "ip netns does not work here"; return; }
	ip -n "$p" link add b0 type bridge 2>/dev/null || ok=0
	if [ $ok = 1 ]; then
		ip -n "$p" link add v0 type veth peer name v1 2>/dev/null || ok=2
	fi
	ip netns del "$p" 2>/dev/null
	case $ok in
	0) _lab_skip "bridge links unavailable (bridge module)"; return ;;
	2) _lab_skip "veth links unavailable (veth module)"; return ;;
	esac
	return 0
}

# lab_up [BRIDGE]: the scanner namespace with the bridge, LAB_SCAN_IP/24 and
# LAB_SCAN_MAC on it (a fixed MAC: a bridge otherwise takes a port's MAC).
lab_up()
{
	local rc

	if [ $# -gt 0 ]; then
		LAB_BRIDGE=$1
		LAB_IFACE=$1
	fi
	lab_check || { rc=$?; return $rc; }
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/${LAB}XXXXXX") || return 1
	LAB_PLANTED=$LAB_DIR/planted
	echo "# ip mac kind vlan ns port opts" >"$LAB_PLANTED"
	_lab_ns_new "$LAB_SCAN" || return 1
	ip -n "$LAB_SCAN" link add "$LAB_BRIDGE" address "$LAB_SCAN_MAC" type bridge || return 1
	ip -n "$LAB_SCAN" addr add "$LAB_SCAN_IP/24" dev "$LAB_BRIDGE" || return 1
	ip -n "$LAB_SCAN" link set "$LAB_BRIDGE" up || return 1
	export LAB LAB_SCAN LAB_IFACE LAB_DIR LAB_PLANTED
}

# A new namespace NAME whose eth0 is the peer of a new bridge port vnetN.
_lab_port()
{
	local name=$1 ns="${LAB}$1" port="vnet$LAB_NPORTS"

	_lab_name_ok "$name" || return 1
	[ -n "$LAB_DIR" ] || { _lab_err "call lab_up first"; return 1; }
	[ -z "${LAB_PORT[$name]:-}" ] || { _lab_err "$name exists"; return 1; }
	_lab_ns_new "$ns" || return 1
	ip -n "$LAB_SCAN" link add "$port" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$LAB_SCAN" link set "$port" master "$LAB_BRIDGE" up || return 1
	LAB_NPORTS=$((LAB_NPORTS + 1))
	LAB_PORT[$name]=$port
}

# lab_plant IP MAC KIND [VLAN [NAME [OPTS]]]: one line of the planted list.
lab_plant()
{
	local name=${5:--} ns=-

	[ "$name" = - ] || ns="$LAB$name"
	echo "$1 ${2,,} $3 ${4:--} $ns ${LAB_PORT[$name]:--} ${6:--}" >>"$LAB_PLANTED"
}

# lab_host NAME IP[/LEN] MAC [KIND]: a kernel host in its own namespace.
# Twins, IP conflicts and shared MACs are simply several calls.
lab_host()
{
	local name=$1 ip=$2 mac=$3 kind=${4:-host} ns="${LAB}$1"

	[ $# -ge 3 ] || { _lab_err "usage: lab_host NAME IP MAC [KIND]"; return 1; }
	[[ $ip == */* ]] || ip="$ip/24"
	_lab_port "$name" || return 1
	ip -n "$ns" link set eth0 address "$mac" || return 1
	ip -n "$ns" addr add "$ip" dev eth0 || return 1
	ip -n "$ns" link set eth0 up || return 1
	LAB_IP[$name]=${ip%/*}
	lab_plant "${ip%/*}" "$mac" "$kind" - "$name"
}

# Plant every host a responder HOSTSPEC plays (ranges expanded).
_lab_plant_spec()
{
	local name=$1 kind=$2 spec=$3 addr mac opts="" vlan=- first count stride k m ip a b c d

	addr=${spec%%=*}
	mac=${spec#*=}
	if [[ $mac == *,* ]]; then
		opts=${mac#*,}
		mac=${mac%%,*}
	fi
	[[ ,$opts, =~ ,vlan=([0-9]+), ]] && vlan=${BASH_REMATCH[1]}
	if [[ $addr != range:* ]]; then
		lab_plant "$addr" "$mac" "$kind" "$vlan" "$name" "${opts:--}"
		return
	fi
	IFS=: read -r _ first count stride <<<"$addr"
	IFS=. read -r a b c d <<<"$first"
	first=$(( (a << 24) | (b << 16) | (c << 8) | d ))
	m=$((16#${mac//:/}))
	for ((k = 0; k < count; k++)); do
		ip=$((first + k * ${stride:-1}))
		lab_plant "$((ip >> 24 & 255)).$((ip >> 16 & 255)).$((ip >> 8 & 255)).$((ip & 255))" \
		    "$(printf '%012x' $((m + k)) | sed 's/../&:/g; s/:$//')" \
		    "$kind" "$vlan" "$name" "${opts:--}"
	done
}

# Start the responder on NAME's port, in the background, and wait until it
# reports ready.
_lab_responder_run()
{
	local name=$1 ns="${LAB}$1" pid i
	shift
	[ -x "$LAB_RESPONDER" ] || { _lab_err "$LAB_RESPONDER not built (make build/tools/responder)"; return 1; }
	rm -f "$LAB_DIR/$name.ready"
	ip netns exec "$ns" "$LAB_RESPONDER" -i eth0 --ready "$LAB_DIR/$name.ready" "$@" \
	    </dev/null >"$LAB_DIR/$name.log" 2>&1 &
	pid=$!				# ip netns exec execs: this is the responder
	LAB_PID[$name]=$pid
	for ((i = 0; i < 200; i++)); do
		[ -s "$LAB_DIR/$name.ready" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.025
	done
	if ! [ -s "$LAB_DIR/$name.ready" ]; then
		_lab_err "responder $name did not start: $(cat "$LAB_DIR/$name.log")"
		return 1
	fi
}

# lab_responder NAME [-k KIND] [RESPONDER-OPTS] HOSTSPEC...: a namespace on a
# bridge port running the userspace responder on its eth0, in the background,
# once it reports ready. With -k, the hosts it plays go into the planted list.
lab_responder()
{
	local name=$1 kind="" a
	shift
	if [ "${1:-}" = -k ]; then
		kind=$2
		shift 2
	fi
	[ $# -ge 1 ] || { _lab_err "usage: lab_responder NAME [-k KIND] HOSTSPEC..."; return 1; }
	[ -x "$LAB_RESPONDER" ] || { _lab_err "$LAB_RESPONDER not built (make build/tools/responder)"; return 1; }
	_lab_port "$name" || return 1
	ip -n "${LAB}$name" link set eth0 up || return 1
	_lab_responder_run "$name" "$@" || return 1
	if [ -n "$kind" ]; then
		for a in "$@"; do
			[[ $a == -* ]] || _lab_plant_spec "$name" "$kind" "$a"
		done
	fi
}

# lab_responder_again NAME [RESPONDER-OPTS] [HOSTSPEC...]: after
# lab_responder_stop NAME, a new responder on the same port (the planted
# list is left as it is). Its log replaces the old one.
lab_responder_again()
{
	local name=$1
	shift
	[ -n "${LAB_PORT[$name]:-}" ] || { _lab_err "no responder port $name"; return 1; }
	[ -z "${LAB_PID[$name]:-}" ] || { _lab_err "responder $name still runs"; return 1; }
	_lab_responder_run "$name" "$@"
}

# lab_responder_stop NAME: SIGTERM the responder, wait, print its counters line.
lab_responder_stop()
{
	local pid=${LAB_PID[$1]:-} i

	[ -n "$pid" ] || return 1
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "LAB_PID[$1]"
	grep -h 'requests seen' "$LAB_DIR/$1.log" 2>/dev/null
	return 0
}

# lab_lossy PORT|NAME [IP]: from now on drop the 1st, 3rd, 5th... untagged
# ARP request for IP (default: the kernel host NAME's IP; none known: any
# target) that the bridge sends out of that port, whether the scanner (bridge
# output hook) or another port (forward hook) sent it. One numgen counter
# serves both hooks and counts only those requests, so other traffic can't
# shift it: a request is lost and its retry gets through. Calling it again
# for the same port starts the count over.
lab_lossy()
{
	local port=${LAB_PORT[$1]:-$1} ip=${2:-${LAB_IP[$1]:-}} t=lab_lossy match=""

	command -v nft >/dev/null || { _lab_skip "nft (nftables) not installed"; return; }
	ip -n "$LAB_SCAN" link show "$port" >/dev/null 2>&1 || { _lab_err "no port $1"; return 1; }
	[ -n "$ip" ] && match="arp daddr ip $ip"
	if ! ip netns exec "$LAB_SCAN" nft list table bridge "$t" >/dev/null 2>&1; then
		ip netns exec "$LAB_SCAN" nft -f - <<-EOF || { _lab_skip "nftables bridge family unusable"; return; }
		table bridge $t {
			chain from_bridge { type filter hook output priority 0; policy accept; }
			chain from_port { type filter hook forward priority 0; policy accept; }
		}
		EOF
	fi
	if ip netns exec "$LAB_SCAN" nft list chain bridge "$t" "drop_$port" >/dev/null 2>&1; then
		ip netns exec "$LAB_SCAN" nft flush chain bridge "$t" "drop_$port" || return 1
	else
		ip netns exec "$LAB_SCAN" nft -f - <<-EOF || return 1
		add chain bridge $t drop_$port
		add rule bridge $t from_bridge oifname "$port" jump drop_$port
		add rule bridge $t from_port oifname "$port" jump drop_$port
		EOF
	fi
	# shellcheck disable=SC2086	# $match is several nft words, or none
	ip netns exec "$LAB_SCAN" nft add rule bridge "$t" "drop_$port" \
	    arp operation request $match numgen inc mod 2 == 0 counter drop
}

# lab_exec CMD...: run CMD in the scanner namespace.
lab_exec() { ip netns exec "$LAB_SCAN" "$@"; }

# lab_exec_in NAME CMD...: run CMD in host NAME's namespace.
lab_exec_in() { local ns="${LAB}$1"; shift; ip netns exec "$ns" "$@"; }

# lab_standard: the lab the live tests and the demo use (README.md).
lab_standard()
{
	local rc i

	command -v nft >/dev/null || { _lab_skip "nft (nftables) not installed"; return; }
	lab_up "$@" || { rc=$?; return $rc; }
	for i in 10 11 12 13 14 15; do
		lab_host "h$i" "198.18.0.$i" "52:54:00:00:00:$i" host || return 1
	done
	lab_host twin1 198.18.0.20 52:54:00:00:00:20 twin || return 1
	lab_host twin2 198.18.0.20 52:54:00:00:00:20 twin || return 1
	lab_host conflict1 198.18.0.30 52:54:00:00:00:30 ip-conflict || return 1
	lab_host conflict2 198.18.0.30 52:54:00:00:00:31 ip-conflict || return 1
	lab_host shared1 198.18.0.40 52:54:00:00:00:40 shared-mac || return 1
	lab_host shared2 198.18.0.41 52:54:00:00:00:40 shared-mac || return 1
	lab_responder mismatch -k frame-mismatch \
	    198.18.0.50=52:54:00:00:00:50,src=52:54:00:00:05:50 || return 1
	lab_responder slow -k slow 198.18.0.60=52:54:00:00:00:60,delay=150 || return 1
	lab_host lossy 198.18.0.70 52:54:00:00:00:70 lossy || return 1
	lab_lossy lossy || { rc=$?; return $rc; }
	lab_responder vlan100 -k vlan \
	    198.18.100.10=52:54:00:00:64:0a,vlan=$LAB_VLAN \
	    198.18.100.11=52:54:00:00:64:0b,vlan=$LAB_VLAN \
	    198.18.100.12=52:54:00:00:64:0c,vlan=$LAB_VLAN || return 1
}

# lab_down: stop our responders and anything else still running in our
# namespaces (by pid), delete every "$LAB*" namespace. Idempotent.
lab_down()
{
	local name ns pid

	_lab_prefix_ok 2>/dev/null || return 0
	for name in "${!LAB_PID[@]}"; do
		lab_responder_stop "$name" >/dev/null
	done
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		[[ $ns == "$LAB"* ]] || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$LAB_DIR" ] && [ -z "${LAB_KEEP:-}" ]; then
		rm -rf -- "$LAB_DIR"
	fi
	LAB_DIR=""
	LAB_NPORTS=0
	LAB_PORT=()
	LAB_IP=()
	return 0
}

trap lab_down EXIT
trap 'lab_down; exit 130' INT
trap 'lab_down; exit 143' TERM
