# shellcheck shell=bash
# profile.sh: bench.sh -P, where arpsweep's time goes (sourced by bench.sh; uses its helpers and labs).

# The top N lines of a perf report, self time by symbol.
_prof_top()
{
	perf report -i "$1" --no-children --sort dso,sym --stdio 2>/dev/null |
	    grep -E '^ +[0-9.]+%' | head -n "$2"
}

# Requests in a -w recording, cut into phases at every gap of 15 ms or more
# between two requests: the passes and the waits between them (the shortest
# adapted timeout is 20 ms; a busy lab makes shorter gaps inside a pass).
_prof_phases()
{
	tcpdump -tt -nr "$1" 2>/dev/null | awk '
	{ t = $1; req = ($0 ~ /Request/) }
	NR == 1 { t0 = t }
	req {
		if (n == 0) ps = t
		else if (t - last >= 0.015) {
			printf "  %+8.1f ms  %6d requests in %7.1f ms (%6.0f/s), then %6.1f ms with none\n",
			    (ps - t0) * 1000, n, (last - ps) * 1000, (last > ps ? n / (last - ps) : 0), (t - last) * 1000
			ps = t; n = 0
		}
		n++; last = t
	}
	!req { rep++; lastrep = t }
	END {
		printf "  %+8.1f ms  %6d requests in %7.1f ms (%6.0f/s)\n", (ps - t0) * 1000, n,
		    (last - ps) * 1000, (last > ps ? n / (last - ps) : 0)
		printf "  %d replies, the last at %+.1f ms; last frame at %+.1f ms\n", rep, (lastrep - t0) * 1000, (t - t0) * 1000
	}'
}

# In the sweep lab: the phases of one default /24 sweep.
bench_profile_sweep24()
{
	echo
	echo "### profile: one /24 sweep at defaults, arpsweep -q (recorded with -w)"
	echo
	echo '```'
	ip netns exec "$LAB_SCAN" "$ASW" -q --format json -w "$W/prof24.pcap" 198.18.0.0/24 \
	    >"$W/prof24.json" 2>&1
	echo "elapsed_s $(json_num "$W/prof24.json" elapsed_s), sent $(json_num "$W/prof24.json" sent); phases from the recording (t from the first frame):"
	_prof_phases "$W/prof24.pcap"
	echo '```'
}

# From the wide scanner: the phases of one /16 --rate max sweep and its syscalls.
bench_profile_sweep()
{
	echo
	echo "### profile: one /16 sweep, arpsweep -q --rate max (recorded with -w)"
	echo
	echo '```'
	ip netns exec "$SW_NS" "$ASW" -q -I "$SW_IF" --rate max --format json -w "$W/prof16.pcap" 198.18.0.0/16 \
	    >"$W/prof16.json" 2>&1
	echo "elapsed_s $(json_num "$W/prof16.json" elapsed_s), sent $(json_num "$W/prof16.json" sent), dropped $(json_num "$W/prof16.json" dropped); phases from the recording (t from the first frame):"
	_prof_phases "$W/prof16.pcap"
	echo
	echo "strace -f -c of the same sweep (time inside syscalls, all threads):"
	ip netns exec "$SW_NS" strace -f -c -o "$W/prof16.strace" "$ASW" -q -I "$SW_IF" --rate max --format json \
	    198.18.0.0/16 >/dev/null 2>&1
	head -n 8 "$W/prof16.strace"
	echo
	echo "the lab's own ceiling, perf stat -a of rawsend putting 65536 broadcasts into it:"
	ip netns exec "$SW_NS" perf stat -a -e task-clock,context-switches -- "$RAWSEND" -i "$SW_IF" \
	    -n 65536 -t 198.18.0.0/16 2>&1 | grep -E 'pps|task-clock|context|elapsed' | sed 's/^ *//'
	ip netns exec "$SW_NS" perf record -q -a -g -o "$W/lab.perf" -- "$RAWSEND" -i "$SW_IF" \
	    -n 65536 -t 198.18.0.0/16 >/dev/null 2>&1
	echo "where both CPUs go meanwhile (perf record -a, self time):"
	_prof_top "$W/lab.perf" 14
	echo '```'
}

# On the veth pair: the sender's syscalls and CPU profile.
bench_profile_send()
{
	local args=(-I tx0 --rate max --retries 7 --confirm 0 --timeout 1 -q --force --format json 198.18.0.0/15)

	echo
	echo "### profile: the send path (veth pair), arpsweep ${args[*]}"
	echo
	echo '```'
	echo "strace -f -c:"
	ip netns exec "${LAB}tx" strace -f -c -o "$W/send.strace" "$ASW" "${args[@]}" >/dev/null 2>&1
	head -n 8 "$W/send.strace"
	ip netns exec "${LAB}tx" perf record -q -g -o "$W/send.perf" -- "$ASW" "${args[@]}" >/dev/null 2>&1
	echo "perf record (arpsweep's threads, self time):"
	_prof_top "$W/send.perf" 16
	echo '```'
}

# The replay: counters and the hottest functions.
bench_profile_replay()
{
	echo
	echo "### profile: replay, arpsweep -r F -q --format csv"
	echo
	echo '```'
	perf stat -e task-clock,cycles,instructions,cache-misses,page-faults -- "$ASW" -r "$1" -q \
	    --format csv 2>&1 >/dev/null | grep -E 'task-clock|cycles|instructions|cache|faults|elapsed|user|sys' |
	    sed 's/^ *//'
	perf record -q -g -o "$W/replay.perf" -- "$ASW" -r "$1" -q --format csv >/dev/null 2>&1
	echo "perf record (self time):"
	_prof_top "$W/replay.perf" 20
	echo '```'
}
