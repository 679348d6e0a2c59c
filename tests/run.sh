#!/bin/sh
# Run every test suite and count: unit (cmocka), golden replay, the JSON
# report against its schema, fuzz-harness
# replay of seeds and past crashes, conformance with a peer's captures, live
# namespace lab, --vm in a lab of domains, a flood in that lab, the bad input that needs root, least
# privilege read from /proc. Each suite prints "ok NAME", "FAIL NAME: why" or
# "SKIP NAME: why"; this script ends with the one line "N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
ONLY=${ARPSWEEP_ONLY:-all}
export ARPSWEEP_BUILD="$B"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# cmocka prints "[       OK ] name", "[  FAILED  ] name", "[  SKIPPED ] name"
# per test, then repeats failures and skips in its summary: read up to the
# "[==========] N test(s) run." line only. A skip's reason is the last line
# the test printed before it.
unit() {
	for t in "$B"/tests/${unit_only:-test_*}; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$log.u" 2>&1
		status=$?
		awk -v n="$name" '
		    /^\[==========\] .* run\./ { done = 1 }
		    done { next }
		    /^\[ *OK *\]/ { sub(/^\[[^]]*\] */, ""); print "ok " n "." $0; next }
		    /^\[ *FAILED *\]/ { sub(/^\[[^]]*\] */, ""); print "FAIL " n "." $0 ": " why; next }
		    /^\[ *SKIPPED *\]/ { sub(/^\[[^]]*\] */, ""); print "SKIP " n "." $0 ": " why; next }
		    /^\[ *RUN *\]/ { why = "see its output"; next }
		    /^\[/ { next }
		    NF { why = $0; print "    " $0 }' "$log.u"
		if ! grep -q '^\[==========\] .* run\.' "$log.u"; then
			echo "FAIL $name: crashed before reporting"
			sed 's/^/    /' "$log.u"
		elif [ $status != 0 ] && ! grep -q '^\[  FAILED  \]' "$log.u"; then
			# Every test passed, yet a sanitizer changed the status.
			echo "FAIL $name: exit status $status after passing tests (sanitizer report above)"
		fi
	done
	rm -f "$log.u"
}

suite() {	# ARPSWEEP_ONLY: "all" or a space-separated list of suites
	case " $ONLY " in *" all "*|*" $1 "*) ;; *) return ;; esac
	shift
	"$@"
}

# The threaded code (sender, receiver, main) again under ThreadSanitizer,
# when make check built it: the unit tests and the live lab, renamed tsan.*.
tsan() {
	[ -n "${ARPSWEEP_TSAN_BUILD:-}" ] || return 0
	B=$ARPSWEEP_TSAN_BUILD ARPSWEEP_BUILD=$ARPSWEEP_TSAN_BUILD
	export ARPSWEEP_BUILD
	{ unit; tests/lab/test-live.sh; tests/lab/test-rate.sh; tests/lab/test-privs.sh; } |
	    sed -e 's/^ok /ok tsan./' \
	    -e 's/^FAIL /FAIL tsan./' -e 's/^SKIP /SKIP tsan./'
}

# The unit tests again in the clang build, renamed clang.*: the tree must
# build and behave the same with both compilers.
clang_suite() {
	if [ -z "${ARPSWEEP_CLANG_BUILD:-}" ]; then
		echo "SKIP clang: clang is not installed (tests/deps.sh test installs it)"
		return 0
	fi
	B=$ARPSWEEP_CLANG_BUILD
	unit | sed -e 's/^ok /ok clang./' -e 's/^FAIL /FAIL clang./' \
	    -e 's/^SKIP /SKIP clang./'
}

# The build without libvirt (make LIBVIRT=no, as on a machine without
# libvirt-dev): it links no libvirt, says so in --version, and its libvirt
# source refuses with the message that names the way out.
nolibvirt() {
	NB=${ARPSWEEP_NOLIBVIRT_BUILD:-}
	if [ -z "$NB" ]; then
		echo "SKIP nolibvirt: make check builds it (build/nolibvirt)"
		return 0
	fi
	if ldd "$NB/arpsweep" | grep -q libvirt; then
		echo "FAIL nolibvirt.links: $NB/arpsweep links libvirt"
	else
		echo "ok nolibvirt.links"
	fi
	if "$NB/arpsweep" --version | grep -q '^libvirt: not built in' &&
	    "$B/arpsweep" --version | grep -q '^libvirt version [0-9]*\.[0-9]*\.[0-9]*$'; then
		echo "ok nolibvirt.version"
	else
		echo "FAIL nolibvirt.version: --version does not say whether libvirt is built in"
	fi
	# --vm needs no libvirt: saved XML answers it the same.
	"$NB/arpsweep" -r pcaps/lab-standard.pcap --vm-xml tests/fixtures/vm --vm web --format csv >"$log.nv" 2>&1
	st=$?
	if [ $st = 0 ] && grep -q '^web,net1,52:54:00:00:00:11,network,lab,virbr0,vnet1,running,answered,198.18.0.11$' "$log.nv"; then
		echo "ok nolibvirt.vm-xml"
	else
		echo "FAIL nolibvirt.vm-xml: status $st"; sed 's/^/    /' "$log.nv"
	fi
	rm -f "$log.nv"
	B=$NB
	unit_only=test_virt unit | sed -e 's/^ok /ok nolibvirt./' \
	    -e 's/^FAIL /FAIL nolibvirt./' -e 's/^SKIP /SKIP nolibvirt./'
}

{
	suite unit unit
	suite cli tests/cli.sh
	suite docs tests/docs.sh
	suite install tests/install.sh
	suite golden tests/golden/run.sh
	suite output tests/output.sh
	suite table tests/table.sh
	suite schema tests/schema.sh
	suite examples tests/examples.sh
	suite robust tests/robust.sh
	suite fuzz tests/fuzz/replay.sh
	suite conformance tests/conformance.sh
	suite live tests/lab/test-live.sh
	suite ports tests/lab/test-ports.sh
	suite vm tests/lab/test-vm.sh
	suite demo tests/lab/test-demo.sh
	suite live tests/lab/test-rate.sh
	suite flood tests/lab/test-flood.sh
	suite badinput tests/lab/test-badinput.sh
	suite fleet tests/lab/test-fleet.sh
	suite privs tests/lab/test-privs.sh
	suite tsan tsan
	suite clang clang_suite
	suite nolibvirt nolibvirt
} 2>&1 | tee "$log"

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo
echo "$skipped skipped (each SKIP line above says why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
