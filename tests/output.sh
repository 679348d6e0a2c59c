#!/bin/sh
# -o FILE and --format prom: the report file is replaced only when complete
# (never half written, never through a link, never an input), for every
# format; the prom output passes `promtool check metrics` for every capture
# in pcaps/. As root, a full disk (a small tmpfs) leaves the previous file.
# Sends nothing. Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
tmp=$(mktemp -d)
full=$tmp/full
cleanup() { mountpoint -q "$full" 2>/dev/null && umount "$full"; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

pass() { echo "ok output.$1"; }
fail() { echo "FAIL output.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
sum() { cksum <"$1"; }
# NAME PATTERN FILE: FILE is one line matching PATTERN.
one_line() {
	if [ "$(wc -l <"$3")" = 1 ] && grep -q -- "$2" "$3"; then pass "$1"
	else fail "$1" "want one line matching /$2/" "$3"; fi
}
# NAME DIR: no temporary file left in DIR.
no_tmp() {
	if [ -z "$(find "$2" -maxdepth 1 -name '.*.??????' -print)" ]; then pass "$1"
	else fail "$1" "temporary file left: $(ls -A "$2" | tr '\n' ' ')"; fi
}
# NAME STATUS PATTERN ARGS...: exit STATUS, one stderr line matching, no stdout.
refused() {
	name=$1 want=$2 pat=$3
	shift 3
	"$bin" "$@" >"$tmp/o" 2>"$tmp/e"
	st=$?
	if [ $st = "$want" ] && [ ! -s "$tmp/o" ]; then one_line "$name" "$pat" "$tmp/e"
	else fail "$name" "status $st (want $want), or stdout not empty" "$tmp/e"; fi
}

# 1. Every format to a file is what it is on standard output, and nothing
# goes to standard output.
mkdir "$tmp/wd"
for fmt in table json csv csv-findings prom; do
	"$bin" -r pcaps/lab-standard.pcap --format $fmt --oui tests/golden/oui.txt \
	    >"$tmp/stdout.$fmt" 2>&1
	"$bin" -r pcaps/lab-standard.pcap --format $fmt --oui tests/golden/oui.txt \
	    -o "$tmp/wd/r.$fmt" >"$tmp/o" 2>&1
	st=$?
	# The elapsed time differs from run to run.
	m='s/[0-9]+\.[0-9]{3,6}( s)?$/X/; s/"elapsed_seconds": [0-9.]+/X/'
	if [ $st = 0 ] && [ ! -s "$tmp/o" ] && [ "$(sed -E "$m" "$tmp/stdout.$fmt")" = \
	    "$(sed -E "$m" "$tmp/wd/r.$fmt")" ]; then pass "file-$fmt"
	else fail "file-$fmt" "status $st, or the file differs from standard output" "$tmp/o"; fi
done
"$bin" -r pcaps/twin.pcap -o - >"$tmp/o" 2>&1 && grep -q '^Summary:' "$tmp/o" &&
    pass dash-is-stdout || fail dash-is-stdout "no report on standard output" "$tmp/o"
# --audit still fails with the file written.
"$bin" -r pcaps/twin.pcap --audit -o "$tmp/wd/audit.txt" >/dev/null 2>&1
st=$?
[ $st = 1 ] && grep -q '^Summary:' "$tmp/wd/audit.txt" && pass audit-writes ||
    fail audit-writes "status $st (want 1), or no report written"
no_tmp no-temporary-after-good "$tmp/wd"

# 2. Refusals: before anything is written, previous files byte for byte.
cp pcaps/twin.pcap "$tmp/wd/in.pcap"
in=$(sum "$tmp/wd/in.pcap")
refused same-as-read 2 "-o '$tmp/wd/in.pcap' is the same file as -r '$tmp/wd/in.pcap'; write the report to another file" \
    -r "$tmp/wd/in.pcap" -o "$tmp/wd/in.pcap"
[ "$(sum "$tmp/wd/in.pcap")" = "$in" ] && pass same-as-read-kept || fail same-as-read-kept "the input changed"
ln "$tmp/wd/in.pcap" "$tmp/wd/hard.pcap"
refused hard-link-to-read 2 "is the same file as -r" -r "$tmp/wd/in.pcap" -o "$tmp/wd/hard.pcap"
printf '198.18.0.1\n' >"$tmp/wd/targets"
refused same-as-target-file 2 "-o '$tmp/wd/targets' is the same file as -f" \
    --dry-run -f "$tmp/wd/targets" -o "$tmp/wd/targets"
printf '525400\tX\n' >"$tmp/wd/oui"
refused same-as-oui 2 "is the same file as --oui" -r pcaps/twin.pcap --oui "$tmp/wd/oui" -o "$tmp/wd/oui"
refused same-as-record 2 "-o '$tmp/wd/x' is the same file as -w '$tmp/wd/x'" \
    -r pcaps/twin.pcap -w "$tmp/wd/x" -o "$tmp/wd/x"
cp tests/golden/baseline/lab-vlan100.json "$tmp/wd/base.json"
base=$(sum "$tmp/wd/base.json")
refused same-as-baseline 2 "-o '$tmp/wd/base.json' is the same file as --baseline" \
    -r pcaps/lab-vlan100.pcap --format json --baseline "$tmp/wd/base.json" -o "$tmp/wd/base.json"
refused record-same-as-baseline 2 "-w '$tmp/wd/base.json' is the same file as --baseline" \
    -r pcaps/lab-vlan100.pcap --baseline "$tmp/wd/base.json" -w "$tmp/wd/base.json"
[ "$(sum "$tmp/wd/base.json")" = "$base" ] && pass same-as-baseline-kept || fail same-as-baseline-kept "the baseline changed"
# The baseline may come on standard input, but not together with -r -.
"$bin" -r pcaps/lab-vlan100.pcap --audit --baseline - <"$tmp/wd/base.json" >"$tmp/o" 2>&1 &&
    grep -q '^Findings: none' "$tmp/o" && pass baseline-stdin || fail baseline-stdin "not read from stdin" "$tmp/o"
refused baseline-and-read-stdin 2 "--baseline - and -r - both read standard input" -r - --baseline - </dev/null
cp pcaps/README.md "$tmp/wd/old.txt"
old=$(sum "$tmp/wd/old.txt")
ln -s old.txt "$tmp/wd/link.txt"
refused symlink 2 "cannot write the report to '$tmp/wd/link.txt': it is a symbolic link" \
    -r pcaps/twin.pcap -o "$tmp/wd/link.txt"
[ "$(sum "$tmp/wd/old.txt")" = "$old" ] && pass symlink-target-kept || fail symlink-target-kept "old.txt changed"
ln -s nowhere "$tmp/wd/dangling"
refused dangling-symlink 2 "it is a symbolic link" -r pcaps/twin.pcap -o "$tmp/wd/dangling"
[ ! -e "$tmp/wd/nowhere" ] && pass dangling-not-created || fail dangling-not-created "the link was followed"
mkdir "$tmp/dir"
refused directory 2 "cannot write the report to '$tmp/dir': it is a directory" -r pcaps/twin.pcap -o "$tmp/dir"
refused device 2 "cannot write the report to '/dev/full': it is not a regular file" -r pcaps/twin.pcap -o /dev/full
refused no-directory 2 "cannot write the report to '$tmp/none/r.txt': its directory: No such file" \
    -r pcaps/twin.pcap -o "$tmp/none/r.txt"
refused empty-name 2 "-o '': empty file name" -r pcaps/twin.pcap -o ""
refused format-word 2 "--format 'xml': expected table, json, csv, csv-findings or prom" --format xml
# A run that fails after -o was opened (a truncated capture) leaves the
# previous file and no temporary one.
head -c 100 pcaps/twin.pcap >"$tmp/truncated.pcap"
refused failed-run 2 "truncated dump file" -r "$tmp/truncated.pcap" -o "$tmp/wd/old.txt"
[ "$(sum "$tmp/wd/old.txt")" = "$old" ] && pass failed-run-kept || fail failed-run-kept "old.txt changed"
# A dry run writes no report file.
"$bin" --dry-run -o "$tmp/wd/old.txt" 198.18.0.1 >"$tmp/o" 2>&1
[ "$(sum "$tmp/wd/old.txt")" = "$old" ] && grep -q '^1 targets' "$tmp/o" && pass dry-run-kept ||
    fail dry-run-kept "old.txt changed or no dry-run line" "$tmp/o"
no_tmp no-temporary-after-refusals "$tmp/wd"
(umask 077 && "$bin" -r pcaps/twin.pcap -o "$tmp/wd/private.txt" >/dev/null)
[ "$(stat -c %a "$tmp/wd/private.txt")" = 600 ] && pass mode-umask ||
    fail mode-umask "mode $(stat -c %a "$tmp/wd/private.txt"), want 600 under umask 077"

# 3. promtool accepts the prom output of every capture we have.
if command -v promtool >/dev/null; then
	for cap in pcaps/*.pcap pcaps/*.pcapng; do
		n=$(basename "$cap")
		"$bin" -r "$cap" --format prom >"$tmp/p" 2>/dev/null
		st=$?
		[ $st = 0 ] || [ $st = 1 ] || { pass "promtool-$n-refused-input"; continue; }
		if promtool check metrics <"$tmp/p" >"$tmp/lint" 2>&1; then pass "promtool-$n"
		else fail "promtool-$n" "promtool check metrics:" "$tmp/lint"; fi
	done
	# And its strictness is real: a repeated series and a bad name are caught.
	printf '# HELP arpsweep_x X.\n# TYPE arpsweep_x gauge\narpsweep_x_total 1\n' >"$tmp/p"
	promtool check metrics <"$tmp/p" >/dev/null 2>&1 && fail promtool-catches "a gauge named _total passed" ||
	    pass promtool-catches
else
	echo "SKIP output.promtool: promtool not installed (tests/deps.sh test installs prometheus)"
fi
# Every finding kind is a series, with 0 when none: alerts compare numbers.
"$bin" -r pcaps/plain-reply.pcap --format prom >"$tmp/p" 2>&1
for k in ip-conflict twin repeated-reply shared-mac frame-mismatch spoofing arp-flood new-host gone changed-mac moved-port; do
	grep -q "^arpsweep_findings{kind=\"$k\"} 0\$" "$tmp/p" || { fail "every-kind" "no $k 0" "$tmp/p"; break; }
done && pass every-kind
# The info series stay bounded however many findings there are.
"$bin" -r pcaps/flood-beside.pcap --format prom >"$tmp/p" 2>&1
n=$(grep -c '^arpsweep_finding_info{' "$tmp/p")
[ "$n" -le 64 ] && pass info-bounded || fail info-bounded "$n info series"
# No ip or mac label anywhere but the info metric.
grep -v '^#' "$tmp/p" | grep -v '^arpsweep_finding_info{' | grep -q 'ip=\|mac=' &&
    fail low-cardinality "an ip or mac label outside arpsweep_finding_info" "$tmp/p" || pass low-cardinality

# 4. As root: a full disk (a small tmpfs) leaves the previous report.
if [ "$(id -u)" != 0 ]; then
	echo "SKIP output.full-disk: needs root (tmpfs mount)"
	exit 0
fi
big=$tmp/big.pcap
head -c 24 pcaps/flood-beside.pcap >"$big"
for _ in $(seq 20); do tail -c +25 pcaps/flood-beside.pcap; done >>"$big"
mkdir "$full"
if mount -t tmpfs -o size=16k tmpfs "$full" 2>/dev/null; then
	echo 'arpsweep_previous 1' >"$full/arpsweep.prom"
	old=$(sum "$full/arpsweep.prom")
	"$bin" -r "$big" --format json -o "$full/arpsweep.prom" >"$tmp/o" 2>"$tmp/e"
	st=$?
	[ $st = 2 ] && pass full-disk-exit || fail full-disk-exit "status $st" "$tmp/e"
	one_line full-disk-message "cannot write the report to '$full/arpsweep.prom': write failed (No space left on device); the previous file is unchanged" "$tmp/e"
	[ "$(sum "$full/arpsweep.prom")" = "$old" ] && pass full-disk-previous-kept ||
	    fail full-disk-previous-kept "the previous file changed"
	[ "$(ls -A "$full")" = arpsweep.prom ] && pass full-disk-no-temporary ||
	    fail full-disk-no-temporary "left: $(ls -A "$full" | tr '\n' ' ')"
	rm "$full/arpsweep.prom"
	"$bin" -r "$big" --format json -o "$full/new.json" >/dev/null 2>"$tmp/e"
	one_line full-disk-new-file "no file was written" "$tmp/e"
	[ -z "$(ls -A "$full")" ] && pass full-disk-new-nothing-left ||
	    fail full-disk-new-nothing-left "left: $(ls -A "$full" | tr '\n' ' ')"
	umount "$full"
else
	echo "SKIP output.full-disk: cannot mount a tmpfs here"
fi
exit 0
