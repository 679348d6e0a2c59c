#!/bin/sh
# Run every test suite and count: unit (cmocka), golden replay, conformance
# with a peer's captures, live namespace lab. Each suite prints "ok NAME",
# "FAIL NAME: why" or "SKIP NAME: why"; this script ends with the one line
# "N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
ONLY=${ARPSWEEP_ONLY:-all}
export ARPSWEEP_BUILD="$B"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# cmocka prints "[       OK ] name" / "[  FAILED  ] name" / "[  SKIPPED ] name".
unit() {
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		CMOCKA_MESSAGE_OUTPUT=stdout "$t" 2>&1 | tee "$log.u" | sed -n \
		    -e "s/^\[ *OK *\] \(.*\)/ok $name.\1/p" \
		    -e "s/^\[ *FAILED *\] \([^ ]*\)$/FAIL $name.\1: see output above/p" \
		    -e "s/^\[ *SKIPPED *\] \(.*\)/SKIP $name.\1: skipped (reason printed above)/p"
		grep -v '^\[' "$log.u" | grep -v '^$' | sed 's/^/    /' >&2
		grep -q '^\[  PASSED  \]\|^\[  FAILED  \]\|^\[  SKIPPED \]' "$log.u" ||
		    echo "FAIL $name: crashed before reporting"
	done
	rm -f "$log.u"
}

suite() {	# ARPSWEEP_ONLY: "all" or a space-separated list of suites
	case " $ONLY " in *" all "*|*" $1 "*) ;; *) return ;; esac
	shift
	"$@"
}

{
	suite unit unit
	suite golden tests/golden/run.sh
	suite conformance tests/conformance.sh
	suite live tests/lab/test-live.sh
} 2>&1 | tee "$log"

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
