#!/bin/bash
# readme-examples.sh: the README's example blocks are pasted from real runs, by this tool.
#
# usage: tests/tools/readme-examples.sh [--record] [--update FILE | --check FILE] [--only NAME]
#   --record       as root: build the README's lab (a bridge virbr0 with five
#                  "VMs" that are kernel hosts, in network namespaces of our
#                  own, 198.18.0.0/24), record pcaps/lab-before.pcapng, change
#                  the lab (web2 shut down, db1 recreated with a new MAC,
#                  clone-b started as a clone of clone-a: a twin), record
#                  pcaps/lab-after.pcapng, and keep the lab up for the live
#                  examples of --update; torn down on exit
#   --update FILE  run each example's commands and replace its block in FILE
#                  (between "<!-- example: NAME -->" and "<!-- /example -->")
#                  with the commands and their real output. Live examples run
#                  only with --record (they need the lab); the others are left
#                  as they are, and so is an example whose command the binary
#                  does not have yet
#   --check FILE   the same runs, compared with FILE: prints ok/FAIL/SKIP
#                  lines (docs.readme-NAME) for tests/run.sh, exit 1 on a
#                  stale block. Replays are compared, with the one time that
#                  varies from run to run (the Summary's processing time)
#                  normalised; a live example's command line is compared, its
#                  output not (another sweep answers in other times)
#   --only NAME    just that example
# Examples run in a scratch directory holding links to pcaps/ and tests/, so
# their paths read as from a clone; ARPSWEEP_BUILD picks the binary (default
# build). Environment fixed for them: LC_ALL=C, TZ=UTC, NO_COLOR=1, no COLUMNS or TERM.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$PWD
B=${ARPSWEEP_BUILD:-build}
case $B in /*) ASW=$B/arpsweep ;; *) ASW=$TOP/$B/arpsweep ;; esac

record=0 mode="" file="" only=""
while [ $# -gt 0 ]; do
	case $1 in
	--record) record=1 ;;
	--update|--check)
		[ -z "$mode" ] || { echo "readme-examples: one of --update and --check" >&2; exit 2; }
		mode=${1#--}; file=${2:-}; shift
		[ -n "$file" ] || { echo "readme-examples: --$mode wants a FILE (README.md)" >&2; exit 2; } ;;
	--only) only=${2:-}; shift ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "readme-examples: unknown argument '$1'; see --help" >&2; exit 2 ;;
	esac
	shift
done
[ $record = 1 ] || [ -n "$mode" ] || { echo "usage: $0 [--record] [--update FILE | --check FILE] [--only NAME]" >&2; exit 2; }
[ -z "$file" ] || [ -r "$file" ] || { echo "readme-examples: cannot read '$file'" >&2; exit 2; }
[ -x "$ASW" ] || { echo "readme-examples: $ASW not built (make O=$B)" >&2; exit 2; }

# --- the examples ------------------------------------------------------------
# EX_KIND: live (a sweep of the lab, as root) or replay (anywhere).
# EX_CMD: the command lines, one per line, exactly as the README shows them.
# EX_NEEDS: a shell condition; false: the example is skipped and its block
# left as it is (a command the binary does not have yet); EX_WHY says why.
EX_NAMES=(sweep replay vm audit baseline)
declare -A EX_KIND=() EX_CMD=() EX_NEEDS=() EX_WHY=()
INV="--vm-xml tests/fixtures/readme-vms --dhcp tests/fixtures/readme-vms/dhcpd.conf"
EX_KIND[sweep]=live
EX_CMD[sweep]="sudo arpsweep -I virbr0 $INV"
EX_KIND[replay]=replay
EX_CMD[replay]="arpsweep -r pcaps/lab-after.pcapng $INV"
EX_KIND[vm]=replay
EX_CMD[vm]="arpsweep -r pcaps/lab-after.pcapng --vm-xml tests/fixtures/readme-vms --vm clone-b"
# shellcheck disable=SC2016	# expanded when the example runs
EX_NEEDS[vm]='"$ASW" --help 2>&1 | grep -q -- "--vm NAME"'
EX_WHY[vm]="this arpsweep has no --vm NAME yet (not in its --help)"
EX_KIND[audit]=replay
EX_CMD[audit]='arpsweep -r pcaps/lab-after.pcapng --vm-xml tests/fixtures/readme-vms --audit --format json -o report.json; echo "exit status $?"
jq -r '\''.findings[] | select(.audit) | [.kind, .mac, .ip // "-", ([.evidence.vms[]?.name] | join(","))] | @tsv'\'' report.json'
EX_NEEDS[audit]='command -v jq >/dev/null'
EX_WHY[audit]="jq is not installed (tests/deps.sh test installs it)"
EX_KIND[baseline]=replay
EX_CMD[baseline]='arpsweep -r pcaps/lab-before.pcapng --format json -o expected.json
arpsweep -r pcaps/lab-after.pcapng --baseline expected.json --audit; echo "exit status $?"'

W=$(mktemp -d "${TMPDIR:-/tmp}/readme-examples.XXXXXX") || exit 2
# shellcheck disable=SC2317	# called from the traps
cleanup_w() { rm -rf -- "$W"; }
trap cleanup_w EXIT
mkdir -p "$W/bin" "$W/blocks" "$W/have"
ln -s "$ASW" "$W/bin/arpsweep"

# --- the lab (--record) ----------------------------------------------------

# The lab's VMs: name IP MAC, one bridge port each, in this order (vnet0...);
# tests/fixtures/readme-vms names them with these ports.
LAB_VMS="web1 198.18.0.11 52:54:00:3a:10:11
web2 198.18.0.12 52:54:00:3a:10:12
db1 198.18.0.13 52:54:00:3a:10:13
ci-runner 198.18.0.14 52:54:00:3a:10:14
clone-a 198.18.0.20 52:54:00:3a:10:20"
DB1_NEW_MAC=52:54:00:3a:10:93

# record FILE: one sweep at defaults from the bridge into pcaps/FILE.
record_one()
{
	ip netns exec "$LAB_SCAN" "$ASW" -q -I virbr0 --no-libvirt -w "$W/$1" >"$W/$1.report" 2>&1 ||
	    { echo "readme-examples: the sweep for $1 failed:" >&2; cat "$W/$1.report" >&2; return 1; }
}

# The recordings must show what the README says they do: after against
# before has gone, changed-mac and a twin, and before has no finding.
recordings_ok()
{
	local k kinds
	"$ASW" -r "$W/lab-before.pcapng" --format json -o "$W/before.json" 2>/dev/null || return 1
	[ "$(jq '.findings | length' "$W/before.json")" = 0 ] || { echo "readme-examples: before has findings" >&2; return 1; }
	kinds=$("$ASW" -r "$W/lab-after.pcapng" --baseline "$W/before.json" --format json 2>/dev/null |
	    jq -r '.findings[].kind' | sort | tr '\n' ' ')
	for k in changed-mac gone twin; do
		[[ " $kinds" == *" $k "* ]] || { echo "readme-examples: after lacks $k (has: $kinds)" >&2; return 1; }
	done
}

lab_record()
{
	local name ip mac try
	command -v jq >/dev/null || { echo "readme-examples: --record checks the recordings with jq; install it" >&2; return 1; }
	LAB=readme$$-
	LAB_BRIDGE=virbr0
	# shellcheck source=tests/lab/lab.sh
	source tests/lab/lab.sh
	trap 'lab_down; cleanup_w' EXIT
	trap 'lab_down; cleanup_w; exit 130' INT
	trap 'lab_down; cleanup_w; exit 143' TERM
	for try in 1 2 3; do
		lab_up >/dev/null || return 1
		while read -r name ip mac; do
			lab_host "$name" "$ip" "$mac" >/dev/null || return 1
		done <<<"$LAB_VMS"
		record_one lab-before.pcapng || return 1
		# web2 is shut down (its tap goes with it), db1 is recreated
		# with a new MAC, clone-b is started from clone-a's disk and XML.
		ip netns del "${LAB}web2" || return 1
		ip -n "${LAB}db1" link set eth0 down &&
		    ip -n "${LAB}db1" link set eth0 address "$DB1_NEW_MAC" &&
		    ip -n "${LAB}db1" link set eth0 up || return 1
		lab_host clone-b 198.18.0.20 52:54:00:3a:10:20 twin >/dev/null || return 1
		record_one lab-after.pcapng || return 1
		if recordings_ok; then
			cp "$W/lab-before.pcapng" "$W/lab-after.pcapng" pcaps/ || return 1
			echo "readme-examples: recorded pcaps/lab-before.pcapng and pcaps/lab-after.pcapng" >&2
			return 0
		fi
		echo "readme-examples: recording $try was not as planned; again" >&2
		lab_down
	done
	return 1
}

if [ $record = 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "readme-examples: --record needs root (network namespaces)" >&2; exit 2; }
	lab_record || { echo "readme-examples: recording failed; pcaps/ unchanged" >&2; exit 1; }
fi
[ -n "$mode" ] || exit 0

# --- running and pasting -------------------------------------------------

# run_example NAME: the block's body (commands and output) into $W/blocks/NAME.
run_example()
{
	local name=$1 cmd out=$W/blocks/$1 ns=()
	rm -rf "$W/run"; mkdir -p "$W/run"
	ln -s "$TOP/pcaps" "$W/run/pcaps"; ln -s "$TOP/tests" "$W/run/tests"
	[ "${EX_KIND[$name]}" = live ] && ns=(ip netns exec "$LAB_SCAN")
	{
		echo '```console'
		while IFS= read -r cmd; do
			echo "\$ $cmd"
			# We are root already: sudo is what a reader types.
			(cd "$W/run" && env -u COLUMNS -u TERM LC_ALL=C TZ=UTC NO_COLOR=1 PATH="$W/bin:$PATH" \
			    "${ns[@]}" bash -c "${cmd#sudo }" 2>&1)
		done <<<"${EX_CMD[$name]}"
		echo '```'
	} >"$out"
}

# The block NAME of FILE (without its markers) into $W/have/NAME; status 1
# when FILE has no such block.
extract()
{
	awk -v n="$1" '$0 == "<!-- example: " n " -->" { on = 1; found = 1; next }
	    on && $0 == "<!-- /example -->" { on = 0; next } on { print }
	    END { exit !found }' "$file" >"$W/have/$1"
}

# Summary lines end with the replay's processing time: the one figure
# that differs from run to run.
normalise() { sed -E '/^Summary: /s/; [0-9]+\.[0-9]+ s$/; N s/' "$1"; }

commands_of() { sed -n 's/^\$ //p' "$1"; }

failed=0
for name in "${EX_NAMES[@]}"; do
	[ -z "$only" ] || [ "$only" = "$name" ] || continue
	t=docs.readme-$name
	if ! extract "$name"; then
		if [ "$mode" = check ]; then
			echo "FAIL $t: $file has no block <!-- example: $name -->"; failed=1
		else
			echo "readme-examples: $file has no block <!-- example: $name -->; add the markers" >&2
		fi
		continue
	fi
	if [ -n "${EX_NEEDS[$name]:-}" ] && ! eval "${EX_NEEDS[$name]}"; then
		echo "SKIP $t: ${EX_WHY[$name]:-its command is not available here}; block left as it is"
		continue
	fi
	if [ "${EX_KIND[$name]}" = live ]; then
		if [ "$mode" = check ]; then
			if [ "$(commands_of "$W/have/$name")" = "${EX_CMD[$name]}" ]; then
				echo "ok $t (command; a live sweep's output is not compared: --record --update pastes it)"
			else
				echo "FAIL $t: the block's command is not the one this tool runs:"
				diff <(commands_of "$W/have/$name") <(echo "${EX_CMD[$name]}") | sed 's/^/    /'
				failed=1
			fi
			continue
		fi
		if [ $record = 0 ]; then
			echo "SKIP $t: a live sweep of the lab: run with --record (as root) to paste it"
			continue
		fi
	fi
	run_example "$name"
	if [ "$mode" = check ]; then
		if diff -u <(normalise "$W/have/$name") <(normalise "$W/blocks/$name") >"$W/diff"; then
			echo "ok $t"
		else
			echo "FAIL $t: $file's pasted output is not what the command prints now" \
			    "(tests/tools/readme-examples.sh --update $file):"
			sed 's/^/    /' "$W/diff"
			failed=1
		fi
	else
		echo "updated $name"
	fi
done

if [ "$mode" = update ]; then
	# Replace each rendered block between its markers, keep the rest.
	awk -v dir="$W/blocks" '
	    match($0, /^<!-- example: [a-z0-9-]+ -->$/) {
		print; n = substr($0, 15, length($0) - 18); f = dir "/" n
		if ((getline line < f) > 0) {
			print line; while ((getline line < f) > 0) print line; close(f); skip = 1
		}
		next
	    }
	    $0 == "<!-- /example -->" { skip = 0 }
	    !skip { print }' "$file" >"$W/new" || exit 1
	cat "$W/new" >"$file"
fi
exit $failed
