#!/bin/sh
# make check's fuzz suite: every harness, linked with the standalone driver
# in the sanitizer build, over its seed corpus and every input that ever
# crashed, leaked or hung it (tests/fuzz/regress/NAME). One line per
# harness: "ok fuzz.NAME (N inputs)" or "FAIL fuzz.NAME: FILE ...".
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Far above any input's real time under ASan; a regress input that hung
# the fuzzer ends here instead of stalling the suite.
export FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-20}
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin=$B/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz.$name: $bin is not built"
		continue
	fi
	find "tests/fuzz/corpus/$name" "tests/fuzz/regress/$name" -type f \
	    ! -name '.*' 2>/dev/null | sort >"$tmp/list"
	n=$(wc -l <"$tmp/list")
	if [ "$n" -eq 0 ]; then
		echo "FAIL fuzz.$name: no seeds in tests/fuzz/corpus/$name"
		continue
	fi
	# All inputs in one process (fast); on failure, one by one to name it.
	if xargs "$bin" <"$tmp/list" >"$tmp/out" 2>&1; then
		echo "ok fuzz.$name ($n inputs)"
		continue
	fi
	found=
	while IFS= read -r f; do
		if ! "$bin" "$f" >"$tmp/out" 2>&1; then
			found=$f
			break
		fi
	done <"$tmp/list"
	echo "FAIL fuzz.$name: ${found:-the set of inputs together} (sanitizer or invariant report below)"
	head -40 "$tmp/out" | sed 's/^/    /'
done
