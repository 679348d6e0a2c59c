#!/bin/sh
# Golden replay tests: each line of tests/golden/LIST is
#   NAME  CAPTURE  [ARGS...]
# and the output of `arpsweep -r CAPTURE --oui tests/golden/oui.txt ARGS`
# (with the elapsed time and the tool version masked) must equal tests/golden/expected/NAME.out,
# exit status included. GOLDEN_UPDATE=1 rewrites the expected files.
# Leading ARGS of the form VAR=value (COLUMNS=80) go to the environment;
# the caller's COLUMNS, NO_COLOR and TERM do not, so an expected file does
# not depend on the terminal it was made in.
set -u
unset COLUMNS NO_COLOR TERM
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin="$B/arpsweep"
[ -x "$bin" ] || { echo "FAIL golden: $bin is not built"; exit 0; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

mask() {
	sed -E -e 's/; [0-9]+\.[0-9]{3} s$/; X.XXX s/' \
	    -e 's/"elapsed_seconds": [0-9.]+/"elapsed_seconds": X/' \
	    -e 's/"tool_version": "[^"]*"/"tool_version": "X"/' \
	    -e 's/^(arpsweep_sweep_duration_seconds) [0-9.]+$/\1 X/'
}

grep -v '^#' tests/golden/LIST | grep -v '^[[:space:]]*$' |
while read -r name cap args; do
	envs=
	while :; do
		case $args in
		[A-Z_]*=*) envs="$envs ${args%% *}"
		    case $args in *" "*) args=${args#* } ;; *) args= ;; esac ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2086
	env $envs "$bin" -r "$cap" --oui tests/golden/oui.txt $args >"$out.raw" 2>&1
	status=$?
	{ mask <"$out.raw"; echo "exit $status"; } >"$out"
	exp="tests/golden/expected/$name.out"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$out" "$exp"
		echo "ok golden.$name (updated)"
	elif [ ! -f "$exp" ]; then
		echo "FAIL golden.$name: no $exp (run with GOLDEN_UPDATE=1 and review it)"
	elif diff -u "$exp" "$out" >"$out.diff"; then
		echo "ok golden.$name"
	else
		echo "FAIL golden.$name: output differs:"
		sed 's/^/    /' "$out.diff"
	fi
	rm -f "$out.raw" "$out.diff"
done
