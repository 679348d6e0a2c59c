#!/bin/bash
# Least privilege, proven: catch arpsweep while it parses and while it reports
# and read, from /proc, every thread's credentials, capabilities and seccomp
# state and the process's sockets. Three settings: as root, under sudo
# (SUDO_UID/SUDO_GID of ids no account has), and as a plain user running a
# copy of the binary with file capabilities. Prints ok/FAIL/SKIP lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=privs
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
command -v setcap >/dev/null && command -v setpriv >/dev/null ||
    { echo "SKIP privs: setcap (libcap2-bin) or setpriv (util-linux) missing"; exit 0; }
out=$(mktemp -d)
chmod 755 "$out"		# the plain user runs a binary and reads a FIFO here
trap 'lab_down; rm -rf "$out"' EXIT INT TERM
HOSTS=1500			# a report well over a 64 KiB pipe buffer
if ! { lab_up && lab_responder many range:198.18.1.0:$HOSTS=52:54:00:01:00:00; } >"$out/lab.log" 2>&1; then
	echo "FAIL privs.lab: the lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi
TARGETS=198.18.1.0-198.18.6.219	# the responder's 1500 hosts

pass() { echo "ok privs.$1"; }
fail() { echo "FAIL privs.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }

# A copy with file capabilities, for a plain user: the set the docs name,
# and the old one (cap_net_raw alone), which must be refused.
mkdir "$out/fcap"
cp "$bin" "$out/fcap/arpsweep"
cp "$bin" "$out/fcap/arpsweep-rawonly"
chmod 755 "$out/fcap" "$out/fcap/arpsweep" "$out/fcap/arpsweep-rawonly"
setcap cap_net_raw,cap_setpcap+ep "$out/fcap/arpsweep" &&
    setcap cap_net_raw+ep "$out/fcap/arpsweep-rawonly" ||
    { echo "SKIP privs.filecaps: setcap failed (file system without xattrs?)"; }

# check NAME PID UID GID GROUPS FILTERS PACKET-SOCKETS: every thread's status
# and the process's sockets. Writes the reasons to $out/why.
check() {
	local name=$1 pid=$2 uid=$3 gid=$4 groups=$5 filters=$6 npacket=$7 t f ino
	local bad=0 nsock=0 np=0 nnl=0
	: >"$out/why"
	for t in /proc/"$pid"/task/*; do
		f=$t/status
		[ -r "$f" ] || continue
		awk -v uid="$uid" -v gid="$gid" -v groups="$groups" -v filters="$filters" -v t="${t##*/}" '
		    function want(k, v) { if (!(k in s)) print t ": no " k; else if (s[k] != v) print t ": " k " is \"" s[k] "\", want \"" v "\"" }
		    { k = $1; sub(/:$/, "", k); $1 = ""; sub(/^[ \t]+/, ""); gsub(/[ \t]+/, " "); sub(/ $/, ""); s[k] = $0 }
		    END {
			want("Uid", uid " " uid " " uid " " uid); want("Gid", gid " " gid " " gid " " gid)
			want("Groups", groups)
			want("CapInh", "0000000000000000"); want("CapPrm", "0000000000000000")
			want("CapEff", "0000000000000000"); want("CapBnd", "0000000000000000")
			want("CapAmb", "0000000000000000"); want("NoNewPrivs", "1")
			want("Seccomp", "2"); want("Seccomp_filters", filters)
		    }' "$f" >>"$out/why"
	done
	# Sockets: which are packet sockets (in this netns's /proc/net/packet).
	for f in /proc/"$pid"/fd/*; do
		ino=$(readlink "$f" 2>/dev/null) || continue
		[[ $ino == socket:\[*\] ]] || continue
		ino=${ino#socket:[}; ino=${ino%]}
		nsock=$((nsock + 1))
		awk -v i="$ino" 'NR > 1 && $9 == i { f = 1 } END { exit !f }' /proc/"$pid"/net/packet &&
		    np=$((np + 1))
		# The bridge's forwarding database (scanner/fdb.c): one
		# NETLINK_ROUTE socket, opened before the drop, read at the end;
		# without capabilities it can change nothing.
		awk -v i="$ino" 'NR > 1 && $2 == 0 && $10 == i { f = 1 } END { exit !f }' /proc/"$pid"/net/netlink &&
		    nnl=$((nnl + 1))
	done
	[ "$np" = "$npacket" ] || echo "$np packet sockets, want $npacket" >>"$out/why"
	[ "$nnl" -le 1 ] || echo "$nnl netlink sockets, want at most 1" >>"$out/why"
	[ "$nsock" = "$((np + nnl))" ] || echo "$((nsock - np - nnl)) other sockets, want none" >>"$out/why"
	[ -s "$out/why" ] && bad=1
	if [ $bad = 0 ]; then pass "$name"; else fail "$name" "credentials or sockets" "$out/why"; fi
}

# wait_for PID CMD...: poll (up to ~20 s) until CMD succeeds while PID lives.
wait_for() {
	local pid=$1 i
	shift
	for ((i = 0; i < 400; i++)); do
		"$@" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
field() { awk -v k="$2:" '$1 == k { print $2 }' /proc/"$1"/status 2>/dev/null; }
filters_are() { [ "$(field "$1" Seccomp_filters)" = "$2" ]; }
threads_are() { [ "$(field "$1" Threads)" = "$2" ]; }
# The main thread blocked in write(2) on fd 1: the report, into a full pipe
# (not "one thread": a TSan build has a background thread of its own).
in_report_write() { filters_are "$1" 3 && [[ $(cat /proc/"$1"/syscall 2>/dev/null) == "1 0x1 "* ]]; }
packet_sockets() {	# PID: how many of its fds are packet sockets
	local n=0 f ino
	for f in /proc/"$1"/fd/*; do
		ino=$(readlink "$f" 2>/dev/null) || continue
		[[ $ino == socket:\[*\] ]] || continue
		ino=${ino#socket:[}; ino=${ino%]}
		awk -v i="$ino" 'NR > 1 && $9 == i { f = 1 } END { exit !f }' /proc/"$1"/net/packet && n=$((n + 1))
	done
	echo $n
}
# Filters: the sweep stage and the capture sockets' write guard, then the
# report stage on top; a replay has the report stage alone. The lab sweeps
# its bridge, ports on: the capture of `any`, the bridge's own, the sender's.
sweeping() { filters_are "$1" 2 && [ "$(packet_sockets "$1")" = 3 ]; }

# A recording to replay through a FIFO: a header and some frames now, the
# rest once /proc has been read, so the replay is caught parsing.
lab_exec "$bin" -q --rate max "$TARGETS" -w "$out/rec.pcap" >/dev/null 2>&1

# setting NAME UID GID GROUPS RUNNER...: a replay and a live sweep.
setting() {
	local name=$1 uid=$2 gid=$3 groups=$4 pid st
	shift 4

	# 1. Replay from a FIFO that we hold open: parsing, seccomp report stage only.
	rm -f "$out/fifo"; mkfifo -m 644 "$out/fifo"
	"$@" "$bin" -r "$out/fifo" --format csv >"$out/$name-replay.csv" 2>"$out/$name-replay.err" &
	pid=$!
	exec 3>"$out/fifo"
	head -c 4096 "$out/rec.pcap" >&3
	if wait_for "$pid" filters_are "$pid" 1; then
		check "$name.replay-parsing" "$pid" "$uid" "$gid" "$groups" 1 0
	else
		fail "$name.replay-parsing" "never confined" "$out/$name-replay.err"
	fi
	tail -c +4097 "$out/rec.pcap" >&3
	exec 3>&-
	wait "$pid"; st=$?
	n=$(($(wc -l <"$out/$name-replay.csv") - 1))
	[ $st = 0 ] && [ "$n" -ge "$HOSTS" ] && pass "$name.replay-report" ||
	    fail "$name.replay-report" "status $st, $n rows" "$out/$name-replay.err"

	# 2. A live sweep: caught while sending (sweep stage, the capture's
	# two and the sender's packet sockets, nothing from libnet), then while
	# writing a report bigger than the pipe it goes to (report stage, the
	# sender's socket closed, the capture's too).
	rm -f "$out/pipe"; mkfifo "$out/pipe"
	(exec ip netns exec "$LAB_SCAN" "$@" "$bin" -q --rate 500 --retries 0 \
	    --confirm 0 "$TARGETS" >"$out/pipe" 2>"$out/$name-live.err") &
	pid=$!
	exec 4<"$out/pipe"
	if wait_for "$pid" sweeping "$pid"; then
		check "$name.live-sending" "$pid" "$uid" "$gid" "$groups" 2 3
	else
		fail "$name.live-sending" "never seen sending under the sweep stage" "$out/$name-live.err"
	fi
	if wait_for "$pid" in_report_write "$pid"; then
		check "$name.live-reporting" "$pid" "$uid" "$gid" "$groups" 3 0
	else
		fail "$name.live-reporting" "never seen blocked writing the report" "$out/$name-live.err"
	fi
	cat <&4 >"$out/$name-live.txt"
	exec 4<&-
	wait "$pid"; st=$?
	# Every responder host, and our own binding (shown, not counted).
	grep -q "; $HOSTS hosts (and this host);" "$out/$name-live.txt" && [ $st = 0 ] && pass "$name.live-report" ||
	    fail "$name.live-report" "status $st, not $HOSTS hosts: $(grep '^Summary' "$out/$name-live.txt")" "$out/$name-live.err"
}

setting root 65534 65534 65534 env
setting sudo 4242 4243 4243 env SUDO_UID=4242 SUDO_GID=4243
if [ -n "$(getcap "$out/fcap/arpsweep" 2>/dev/null)" ]; then
	bin=$out/fcap/arpsweep setting filecaps 65534 65534 "" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
	# cap_net_raw alone cannot empty the bounding set: refused, naming the set that works.
	lab_exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    "$out/fcap/arpsweep-rawonly" -q "$TARGETS" >"$out/rawonly" 2>&1
	st=$?
	[ $st = 2 ] && [ "$(wc -l <"$out/rawonly")" = 1 ] &&
	    grep -q "bounding set: CAP_SETPCAP is missing; .*'setcap cap_net_raw,cap_setpcap+ep arpsweep'" "$out/rawonly" &&
	    pass filecaps.raw-only-refused || fail filecaps.raw-only-refused "status $st" "$out/rawonly"
fi
exit 0
