#!/bin/bash
# Live tests: sweep the standard namespace lab and check that every planted
# host and anomaly is reported exactly, that the -w recording replays to the
# same report, and that signals, privileges and bad interfaces behave.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=live
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
out=$(mktemp -d)
trap 'lab_down; rm -rf "$out"' EXIT INT TERM
if ! lab_standard >"$out/lab.log" 2>&1; then
	echo "FAIL live.lab: the standard lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi

pass() { echo "ok live.$1"; }
fail() { echo "FAIL live.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
sweep() { lab_exec "$bin" "$@"; }

# 1. The default sweep of the bridge subnet, recorded.
sweep -q --format csv -w "$out/sweep.pcap" >"$out/live.csv" 2>"$out/live.err"
st=$?
[ $st = 0 ] && pass sweep-exit || fail sweep-exit "status $st" "$out/live.err"

# Every planted host, with exactly the flags of what was planted there.
expect_host() {	# ip mac flags
	if grep -Eq "^$1,$2,,,[^,]*,[0-9]*,[0-9]*,[^,]*,[^,]*,$3(,[^,]*)*\$" "$out/live.csv"; then
		pass "host-$1-$2${3:+-$3}"
	else
		fail "host-$1-$2" "expected flags '$3'" "$out/live.csv"
	fi
}
for i in 10 11 12 13 14 15; do expect_host 198.18.0.$i 52:54:00:00:00:$i ""; done
expect_host 198.18.0.20 52:54:00:00:00:20 twin
expect_host 198.18.0.30 52:54:00:00:00:30 ip-conflict
expect_host 198.18.0.30 52:54:00:00:00:31 ip-conflict
expect_host 198.18.0.40 52:54:00:00:00:40 shared-mac
expect_host 198.18.0.41 52:54:00:00:00:40 shared-mac
expect_host 198.18.0.50 52:54:00:00:00:50 frame-mismatch
expect_host 198.18.0.60 52:54:00:00:00:60 ""	# slow: found, no finding
expect_host 198.18.0.70 52:54:00:00:00:70 ""	# lossy: found through a retry
# ...and nothing else: the 14 lab bindings plus the scanner's own.
n=$(($(wc -l <"$out/live.csv") - 1))
[ "$n" = 15 ] && pass host-count || fail host-count "$n bindings, expected 15" "$out/live.csv"
# The lossy port lost the first request: the host needed a retry (and a
# canary sent to it may be lost too: every other request is).
awk -F, '$1 == "198.18.0.70" && $6 >= 1 && $7 > $6 { ok = 1 } END { exit !ok }' "$out/live.csv" &&
    pass lossy-needed-retry || fail lossy-needed-retry "expected fewer replies than requests" "$out/live.csv"

# 2. The recording replays to the same table, byte for byte.
"$bin" -r "$out/sweep.pcap" --format csv >"$out/replay.csv" 2>"$out/replay.err"
if cmp -s "$out/live.csv" "$out/replay.csv"; then
	pass replay-identical
else
	diff "$out/live.csv" "$out/replay.csv" >"$out/diff"
	fail replay-identical "live and replayed tables differ" "$out/diff"
fi
# The findings, exactly, from the recording.
"$bin" -r "$out/sweep.pcap" >"$out/replay.txt"
grep -q '; 14 hosts (and this host); 4 findings (1 ip-conflict, 1 twin, 1 shared-mac, 1 frame-mismatch);' \
    "$out/replay.txt" && pass findings-exact || fail findings-exact "summary" "$out/replay.txt"

# 3. --audit turns the findings into exit status 1; JSON carries the source.
sweep -q --audit --format json >"$out/audit.json" 2>&1
st=$?
[ $st = 1 ] && pass audit-exit || fail audit-exit "status $st, expected 1" "$out/audit.json"
grep -q '"source": {"kind": "live", "file": null, "interface": "virbr0", "mac": "52:54:00:00:00:01", "ip": "198.18.0.1"' \
    "$out/audit.json" && pass json-source || fail json-source "source object" "$out/audit.json"
grep -Eq '"targets": 253, "requests_sent": [0-9]+, "send_seconds": [0-9.]+, "kernel_dropped_frames": 0' "$out/audit.json" &&
    pass json-stats || fail json-stats "targets/sent/dropped" "$out/audit.json"
# A live report is valid against the schema too (its live-only fields set).
python3 tests/tools/schema_check.py doc/arpsweep-report.schema.json "$out/audit.json" >"$out/schema" 2>&1
case $? in
0) pass json-schema ;;
3) echo "SKIP live.json-schema: $(cat "$out/schema")" ;;
*) fail json-schema "not valid against doc/arpsweep-report.schema.json" "$out/schema" ;;
esac

# 4. RFC 5227 probes in a random order find the same hosts and findings.
sweep -q --probe --random --seed 7 --format csv >"$out/probe.csv" 2>&1
cut -d, -f1-4,10 "$out/live.csv" | grep -v '^198\.18\.0\.1,' >"$out/a"
cut -d, -f1-4,10 "$out/probe.csv" >"$out/b"
cmp -s "$out/a" "$out/b" && pass probe-random || { diff "$out/a" "$out/b" >"$out/diff"; fail probe-random "differs from the plain sweep" "$out/diff"; }

# 5. 802.1Q: tagged requests find the tagged hosts, with their VLAN.
sweep -q --vlan 100 --format csv 198.18.100.0/28 >"$out/vlan.csv" 2>&1
v=$(grep -c '^198\.18\.100\.1[012],52:54:00:00:64:0[abc],100,' "$out/vlan.csv")
[ "$v" = 3 ] && pass vlan-hosts || fail vlan-hosts "$v of 3 tagged hosts" "$out/vlan.csv"

# 6. SIGINT and SIGTERM: a partial report, exit 0, a recording that replays.
# (ip netns exec execs arpsweep, so $! is arpsweep itself; a background job
# of a script ignores SIGINT, so the handler is set up in the subshell.)
for sig in INT TERM; do
	(trap - INT; exec ip netns exec "$LAB_SCAN" "$bin" --rate 50 \
	    -w "$out/$sig.pcap" 198.18.0.0/24) >"$out/$sig.txt" 2>&1 &
	pid=$!
	sleep 1
	kill -"$sig" "$pid"
	wait "$pid"
	st=$?
	[ $st = 0 ] && pass "sig$sig-exit" || fail "sig$sig-exit" "status $st" "$out/$sig.txt"
	grep -q '^Partial:' "$out/$sig.txt" && pass "sig$sig-partial" ||
	    fail "sig$sig-partial" "no Partial line" "$out/$sig.txt"
	"$bin" -r "$out/$sig.pcap" >"$out/$sig-replay.txt" 2>&1 &&
	    grep -q 'ARP (' "$out/$sig-replay.txt" && pass "sig$sig-recording" ||
	    fail "sig$sig-recording" "recording unreadable" "$out/$sig-replay.txt"
done

# 7. Bad input: a missing interface, missing privilege -> one line, exit 2.
sweep -I nosuch0 >"$out/e1" 2>&1
st=$?
[ $st = 2 ] && grep -q "interface nosuch0 does not exist" "$out/e1" && [ "$(wc -l <"$out/e1")" = 1 ] &&
    pass missing-interface || fail missing-interface "status $st" "$out/e1"
lab_exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$bin" -q >"$out/e2" 2>&1
st=$?
[ $st = 2 ] && grep -q "needs CAP_NET_RAW" "$out/e2" && pass no-privilege ||
    fail no-privilege "status $st" "$out/e2"

# 8. --dry-run: the default target set, nothing sent.
sweep --dry-run >"$out/dry" 2>&1
grep -q '^253 targets on virbr0, from 198\.18\.0\.2 to 198\.18\.0\.254' "$out/dry" &&
    pass dry-run || fail dry-run "output" "$out/dry"

# 9. The progress line appears on a terminal (util-linux script gives one),
# on standard error only: targets asked of targets (never more), retries
# apart, and nothing of it when standard error is not a terminal.
if command -v script >/dev/null; then
	lab_exec script -qec "$bin --rate 150 198.18.0.0/24 --retries 1 --confirm 0" \
	    /dev/null >"$out/tty" 2>&1
	tr '\r' '\n' <"$out/tty" | grep -a 'targets asked' >"$out/progress"
	grep -aq '^.*[0-9]*/256 targets asked, [0-9]* retries, [0-9]* answers, [0-9]* hosts, [0-9.]* s' \
	    "$out/progress" && pass progress-line || fail progress-line "no progress on a tty" "$out/tty"
	over=$(sed -n 's/.*K\{0,1\}\([0-9][0-9]*\)\/256 targets asked.*/\1/p' "$out/progress" |
	    awk '$1 > 256' | head -n 1)
	[ -s "$out/progress" ] && [ -z "$over" ] && pass progress-asked-at-most-targets ||
	    fail progress-asked-at-most-targets "asked ${over:-?} of 256" "$out/progress"
	grep -aq '256/256 targets asked, [1-9][0-9]* retries' "$out/progress" &&
	    pass progress-retries-apart || fail progress-retries-apart "no line with all asked and retries counted apart" "$out/progress"
	lab_exec script -qec "$bin --rate 150 198.18.0.0/24 --retries 0 --confirm 0 2>/dev/null" \
	    /dev/null >"$out/tty-noerr" 2>&1
	! grep -aq 'targets asked' "$out/tty-noerr" && grep -aq '^Summary:' "$out/tty-noerr" &&
	    pass progress-on-stderr || fail progress-on-stderr "progress on stdout, or no report" "$out/tty-noerr"
	sweep --rate 150 --retries 0 --confirm 0 198.18.0.0/24 >"$out/notty" 2>"$out/notty.err"
	! grep -aq 'targets asked' "$out/notty.err" && pass progress-only-on-tty ||
	    fail progress-only-on-tty "a progress line on a stderr that is a file" "$out/notty.err"
else
	echo "SKIP live.progress-line: util-linux 'script' not installed"
fi
exit 0
