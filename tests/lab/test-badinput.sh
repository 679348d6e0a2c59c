#!/bin/bash
# The rows of README's bad-input table that need root: a full disk (a small
# tmpfs), unreadable files (as nobody), -w under sudo and after a SIGTERM,
# and interfaces that cannot be swept (missing, down, no IPv4, lo, tun) in a
# namespace of our own. One line each, exit 2, nothing lost or overwritten.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=badinput
if [ "$(id -u)" != 0 ]; then
	echo "SKIP badinput: needs root (tmpfs mounts, namespaces, running as nobody)"
	exit 0
fi
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
tmp=$(mktemp -d)
chmod 755 "$tmp"
full=$tmp/full
cleanup() { mountpoint -q "$full" 2>/dev/null && umount "$full"; lab_down; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

pass() { echo "ok badinput.$1"; }
fail() { echo "FAIL badinput.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
sum() { cksum <"$1"; }
# NAME PATTERN FILE: FILE is one line matching PATTERN.
one_line() {
	if [ "$(wc -l <"$3")" = 1 ] && grep -q -- "$2" "$3"; then pass "$1"
	else fail "$1" "want one line matching /$2/" "$3"; fi
}
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$@"; }

# A big replay: many copies of the lab recording's frames (mkcapture-free:
# the records of a pcap can simply be repeated after its 24-byte header).
big=$tmp/big.pcap
head -c 24 pcaps/lab-standard.pcap >"$big"
for _ in $(seq 200); do tail -c +25 pcaps/lab-standard.pcap; done >>"$big"

# 1. Full disk: the recording does not fit; the previous file stays byte for
# byte, the report is still printed, one line says so, exit 2.
mkdir "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
	cp pcaps/twin.pcap "$full/x.pcap"
	old=$(sum "$full/x.pcap")
	"$bin" -r "$big" -w "$full/x.pcap" >"$tmp/o" 2>"$tmp/e"
	st=$?
	[ $st = 2 ] && pass full-disk-exit || fail full-disk-exit "status $st" "$tmp/e"
	one_line full-disk-message "cannot record to '$full/x.pcap': write failed (No space left on device); the previous file is unchanged" "$tmp/e"
	[ "$(sum "$full/x.pcap")" = "$old" ] && pass full-disk-previous-kept ||
	    fail full-disk-previous-kept "x.pcap changed"
	grep -q '^Summary:' "$tmp/o" && pass full-disk-report-printed ||
	    fail full-disk-report-printed "no report" "$tmp/o"
	[ "$(ls -A "$full")" = x.pcap ] && pass full-disk-no-temporary ||
	    fail full-disk-no-temporary "left: $(ls -A "$full" | tr '\n' ' ')"
	# No previous file: none is left either.
	rm "$full/x.pcap"
	"$bin" -r "$big" -w "$full/y.pcap" >/dev/null 2>"$tmp/e"
	one_line full-disk-new-file "no file was written" "$tmp/e"
	[ -z "$(ls -A "$full")" ] && pass full-disk-new-nothing-left ||
	    fail full-disk-new-nothing-left "left: $(ls -A "$full" | tr '\n' ' ')"
	umount "$full"
else
	echo "SKIP badinput.full-disk: cannot mount a tmpfs here"
fi

# 2. Unreadable inputs, as a user who may not read them.
cp pcaps/twin.pcap "$tmp/secret.pcap"
printf '198.18.0.1\n' >"$tmp/secret-targets"
chmod 600 "$tmp/secret.pcap" "$tmp/secret-targets"
nobody "$bin" -r "$tmp/secret.pcap" >/dev/null 2>"$tmp/e"
st=$?
[ $st = 2 ] && one_line capture-unreadable "cannot read capture '$tmp/secret.pcap': Permission denied" "$tmp/e" ||
    fail capture-unreadable "status $st" "$tmp/e"
nobody "$bin" --dry-run -f "$tmp/secret-targets" >/dev/null 2>"$tmp/e"
st=$?
[ $st = 2 ] && one_line target-file-unreadable "cannot read target file '$tmp/secret-targets': Permission denied" "$tmp/e" ||
    fail target-file-unreadable "status $st" "$tmp/e"
mkdir -m 755 "$tmp/ro"
nobody "$bin" -r pcaps/twin.pcap -w "$tmp/ro/x.pcap" >/dev/null 2>"$tmp/e"
st=$?
[ $st = 2 ] && one_line write-unwritable-directory "cannot record to '$tmp/ro/x.pcap': cannot create a file in its directory: Permission denied" "$tmp/e" ||
    fail write-unwritable-directory "status $st" "$tmp/e"

# 3. Under sudo: a root-only --oui and -f are still read (opened before the
# drop), and the -w file belongs to the invoking user.
printf '525400\tSecret Vendor Inc\n' >"$tmp/oui"
chmod 600 "$tmp/oui"
mkdir -m 1777 "$tmp/shared"
SUDO_UID=65534 SUDO_GID=65534 "$bin" -r pcaps/twin.pcap --oui "$tmp/oui" \
    -w "$tmp/shared/mine.pcap" >"$tmp/o" 2>"$tmp/e"
st=$?
[ $st = 0 ] && grep -q 'Secret Vendor Inc' "$tmp/o" && pass sudo-root-only-oui-read ||
    fail sudo-root-only-oui-read "status $st" "$tmp/e"
[ "$(stat -c %u:%g "$tmp/shared/mine.pcap" 2>/dev/null)" = 65534:65534 ] && pass sudo-write-owned-by-user ||
    fail sudo-write-owned-by-user "owner $(stat -c %u:%g "$tmp/shared/mine.pcap" 2>&1)"
SUDO_UID=65534 SUDO_GID=65534 "$bin" --dry-run -f "$tmp/secret-targets" >"$tmp/o" 2>"$tmp/e"
grep -q '^1 targets' "$tmp/o" && pass sudo-root-only-target-file-read ||
    fail sudo-root-only-target-file-read "not read" "$tmp/e"
# Started as root (dropping to nobody), into a directory only root may
# write: the helper renames it in place, owned by root.
cp pcaps/plain-reply.pcap "$tmp/ro/old.pcap"
"$bin" -r pcaps/twin.pcap -w "$tmp/ro/old.pcap" >/dev/null 2>"$tmp/e"
st=$?
[ $st = 0 ] && "$bin" -r "$tmp/ro/old.pcap" | grep -q '^Summary: 33 frames' &&
    pass root-write-root-only-directory || fail root-write-root-only-directory "status $st" "$tmp/e"
[ "$(ls -A "$tmp/ro")" = old.pcap ] && pass root-write-no-temporary ||
    fail root-write-no-temporary "left: $(ls -A "$tmp/ro" | tr '\n' ' ')"
pgrep -f arpsweep-w >/dev/null && fail root-write-helper-gone "a helper is still running" || pass root-write-helper-gone

# 4. Interfaces and privilege, in a namespace of our own.
lab_check || exit 0
if ! lab_up >"$tmp/lab.log" 2>&1; then
	fail lab "the lab did not come up" "$tmp/lab.log"
	exit 0
fi
ip -n "$LAB_SCAN" link add down0 type veth peer name down1
ip -n "$LAB_SCAN" link add noip0 type veth peer name noip1
ip -n "$LAB_SCAN" link set noip0 up
ip -n "$LAB_SCAN" link set noip1 up
have_tun=0
ip -n "$LAB_SCAN" tuntap add dev tun0 mode tun 2>/dev/null &&
    ip -n "$LAB_SCAN" link set tun0 up && have_tun=1
# NAME PATTERN ARGS...: one line, exit 2, nothing on stdout.
live_bad() {
	local name=$1 pat=$2 st
	shift 2
	lab_exec "$bin" -q "$@" >"$tmp/o" 2>"$tmp/e"
	st=$?
	if [ $st = 2 ] && [ ! -s "$tmp/o" ]; then one_line "$name" "$pat" "$tmp/e"
	else fail "$name" "status $st" "$tmp/e"; fi
}
live_bad interface-missing "interface nosuch0 does not exist" -I nosuch0
live_bad interface-down "interface down0 is down; bring it up with 'ip link set down0 up'" -I down0
live_bad interface-no-ipv4 "interface noip0 has no IPv4 address to send from; pass --source-ip A or --probe" -I noip0
live_bad interface-no-ipv4-targets "interface noip0 has no IPv4 address" -I noip0 198.18.0.2
live_bad interface-lo "interface lo is not Ethernet" -I lo 198.18.0.2
if [ $have_tun = 1 ]; then
	live_bad interface-tun "interface tun0 has no hardware address, so it is not Ethernet" -I tun0 198.18.0.2
else
	echo "SKIP badinput.interface-tun: cannot create a tun device here"
fi
lab_exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$bin" -q -I "$LAB_IFACE" >"$tmp/o" 2>"$tmp/e"
st=$?
[ $st = 2 ] && one_line no-privilege "interface $LAB_IFACE: permission denied: arpsweep needs CAP_NET_RAW" "$tmp/e" ||
    fail no-privilege "status $st" "$tmp/e"
# A live sweep that fails before sending (bad interface) leaves -w as it was.
cp pcaps/twin.pcap "$tmp/live.pcap"
old=$(sum "$tmp/live.pcap")
live_bad live-failed-run-write "is down" -I down0 -w "$tmp/live.pcap"
[ "$(sum "$tmp/live.pcap")" = "$old" ] && pass live-failed-run-write-kept ||
    fail live-failed-run-write-kept "changed"
# SIGTERM mid-sweep: the partial report's -w file replaces the old one and
# replays; no temporary file is left.
(trap - INT; exec ip netns exec "$LAB_SCAN" "$bin" --rate 50 -w "$tmp/live.pcap" \
    198.18.0.0/24) >"$tmp/o" 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
st=$?
[ $st = 0 ] && [ "$(sum "$tmp/live.pcap")" != "$old" ] &&
    "$bin" -r "$tmp/live.pcap" >/dev/null 2>&1 && pass live-sigterm-write-committed ||
    fail live-sigterm-write-committed "status $st" "$tmp/o"
[ -z "$(find "$tmp" -maxdepth 1 -name '.live.pcap.*')" ] && pass live-sigterm-no-temporary ||
    fail live-sigterm-no-temporary "temporary file left"
exit 0
