#!/bin/sh
# Robustness: hundreds of randomly damaged copies of the project's captures
# (bytes changed, cut short, garbage appended) are each either read (exit 0)
# or refused with one line on stderr (exit 2); anything else (a crash, a
# sanitizer report, a hang) fails. Deterministic: fixed seeds.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin="$B/arpsweep"
mut="$B/tools/mutate"
[ -x "$mut" ] || { echo "FAIL robust: $mut is not built"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=1
for cap in pcaps/lab-sweep.pcap pcaps/bogus.pcap pcaps/qinq.pcap pcaps/llc-snap.pcap \
    pcaps/sll.pcap pcaps/sll2.pcap pcaps/plain-reply.pcapng pcaps/twin.pcap; do
	name=$(basename "$cap")
	"$mut" "$cap" 40 "$seed" "$tmp/m" || { echo "FAIL robust.$name: mutate failed"; continue; }
	seed=$((seed + 1))
	bad=0
	for f in "$tmp"/m*.pcap; do
		timeout 20 "$bin" -r "$f" --format json --oui tests/golden/oui.txt \
		    >"$tmp/out" 2>"$tmp/err"
		st=$?
		lines=$(wc -l <"$tmp/err")
		if ! { [ $st = 0 ] || { [ $st = 2 ] && [ "$lines" = 1 ]; }; }; then
			bad=$((bad + 1))
			echo "    $name mutant $(basename "$f"): status $st" >&2
			head -5 "$tmp/err" | sed 's/^/      /' >&2
		fi
	done
	rm -f "$tmp"/m*.pcap
	[ $bad = 0 ] && echo "ok robust.$name (40 damaged copies)" ||
	    echo "FAIL robust.$name: $bad of 40 damaged copies crashed or misreported"
done
