#!/bin/sh
# make fuzz: run each libFuzzer harness in DIR (default build/fuzz) for
# FUZZ_SECONDS (default 60) on a scratch copy of its seeds, and print its
# executions. FUZZ_ONLY="decode vendor" picks harnesses. A crash, leak, hang
# (FUZZ_TIMEOUT seconds, default 5, for one input) or broken invariant
# leaves an artefact under DIR/artifacts/NAME/, named here: copy it into
# tests/fuzz/regress/NAME/ with the fix. Peer captures under
# ${ARPSWEEP_EXTERNAL:-../shared/external} join the capture harness's seeds
# when present (never copied into the repository).
set -u
cd "$(dirname "$0")/../.." || exit 2
D=${1:-build/fuzz}
secs=${FUZZ_SECONDS:-60}
per=${FUZZ_TIMEOUT:-5}
ext=${ARPSWEEP_EXTERNAL:-../shared/external}
failed=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	case " ${FUZZ_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	bin=$D/fuzz/fuzz_$name
	work=$D/work/$name
	art=$D/artifacts/$name
	rm -rf "$work"
	mkdir -p "$work" "$art"
	for s in "tests/fuzz/corpus/$name" "tests/fuzz/regress/$name"; do
		[ -d "$s" ] && find "$s" -type f ! -name '.*' -exec cp {} "$work/" \;
	done
	if [ "$name" = capture ] && [ -d "$ext" ]; then
		find "$ext" -type f \( -name '*.pcap' -o -name '*.pcapng' \) \
		    -size -64k -exec cp {} "$work/" \;
	fi
	"$bin" -max_total_time="$secs" -timeout="$per" -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$art/" "$work" \
	    >"$D/$name.log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$D/$name.log" | tail -1)
	if [ $st -eq 0 ]; then
		echo "ok fuzz.$name: ${execs:-?} executions in ${secs}s, no finding"
	else
		failed=$((failed + 1))
		echo "FAIL fuzz.$name: status $st after ${execs:-?} executions; log $D/$name.log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed)' "$D/$name.log" |
		    head -5 | sed 's/^/    /'
		for a in "$art"/*; do
			[ -f "$a" ] && echo "    artefact: $a (copy into tests/fuzz/regress/$name/)"
		done
	fi
done
[ $failed -eq 0 ]
