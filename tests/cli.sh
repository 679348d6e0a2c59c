#!/bin/sh
# Command-line contract: every kind of bad input gets one line on stderr that
# names the thing, and exit status 2; good dry runs print what they would do.
# Needs no privilege and sends nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin="$B/arpsweep"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '198.18.0.0/30\n# a comment\n\n198.18.1.5 # trailing comment\n' >"$tmp/targets"
printf '198.18.0.0/30\nnot-an-address\n' >"$tmp/bad-targets"
mkdir "$tmp/dir"

# NAME  EXPECTED-STATUS  STDOUT-OR-STDERR-PATTERN  ARGS...
check() {
	name=$1 want=$2 pat=$3
	shift 3
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$want" = 2 ]; then
		lines=$(wc -l <"$tmp/err")
		if [ $st = 2 ] && [ "$lines" = 1 ] && grep -q -- "$pat" "$tmp/err" &&
		    [ ! -s "$tmp/out" ]; then
			echo "ok cli.$name"
		else
			echo "FAIL cli.$name: status $st, $lines stderr lines, want 2 and 1 line matching /$pat/:"
			sed 's/^/    /' "$tmp/err" "$tmp/out"
		fi
	elif [ $st = "$want" ] && grep -q -- "$pat" "$tmp/out"; then
		echo "ok cli.$name"
	else
		echo "FAIL cli.$name: status $st (want $want), stdout not matching /$pat/:"
		sed 's/^/    /' "$tmp/out" "$tmp/err"
	fi
}

check unknown-long 2 "unknown option '--frobnicate'" --frobnicate
check unknown-short 2 "unknown option '-y'" -y
check missing-value 2 "option '--rate' needs a value" --rate
check rate-zero 2 "--rate '0'" --rate 0
check rate-word 2 "or 'max'" --rate fast
check format 2 "--format 'xml': expected table, json, csv, csv-findings or prom" --format xml
check retries 2 "--retries '-1'" --retries -1
check vlan 2 "--vlan '4095'" --vlan 4095
check timeout-overflow 2 "--timeout '99999999999999999999'" --timeout 99999999999999999999
check replay-with-targets 2 "-r replays a capture: a target applies only to a live sweep; drop it or drop -r" -r pcaps/twin.pcap 198.18.0.1
check probe-and-source 2 "drop --source-ip or --probe" --probe --source-ip 198.18.0.1
check missing-capture 2 "cannot read capture '$tmp/none.pcap'" -r "$tmp/none.pcap"
check directory-capture 2 "$tmp/dir" -r "$tmp/dir"
check text-capture 2 "is not a pcap or pcapng capture" -r README.md
check record-unwritable 2 "$tmp/dir/x/y.pcap" -r pcaps/twin.pcap -w "$tmp/dir/x/y.pcap"
check bad-target 2 "target 'nonsense'" --dry-run nonsense
check bad-prefix 2 "prefix length must be 0-32" --dry-run 198.18.0.0/33
check bad-target-file 2 "bad-targets:2" --dry-run -f "$tmp/bad-targets"
check missing-target-file 2 "cannot read target file" --dry-run -f "$tmp/none"
check too-many 2 "add --force" --dry-run 198.0.0.0/8
check missing-interface 2 "interface nosuch0 does not exist" -I nosuch0 --dry-run
check dry-run-range 0 "^5 targets on .*from 198\.18\.0\.0 to 198\.18\.1\.5" --dry-run -f "$tmp/targets"
check dry-run-forced 0 "^16777216 targets .*from 198\.0\.0\.0 to 198\.255\.255\.255" \
    --dry-run --force 198.0.0.0/8
check dry-run-forms 0 "^5 targets" --dry-run 198.18.0.1-3 198.18.0.10-198.18.0.11
check dry-run-netmask 0 "^4 targets .*to 198\.18\.0\.3" --dry-run 198.18.0.0:255.255.255.252
check help 0 "usage: arpsweep" --help
check version 0 "^arpsweep [0-9]" --version
check version-libpcap 0 "^libpcap version [0-9]" --version
check version-libnet 0 "^libnet version [0-9]" --version
check version-libvirt 0 "^libvirt" --version
check record-stdout 2 "-w -: the report goes to standard output" -r pcaps/twin.pcap -w -

# arp-scan's habits: one line naming arpsweep's equivalent, exit 2.
check arpscan-l 2 "^arpsweep: -l is arp-scan's; arpsweep sweeps the interface's own subnets" -l
check arpscan-localnet 2 "^arpsweep: --localnet is arp-scan's" --localnet
check arpscan-retry 2 "^arpsweep: --retry is arp-scan's; use --retries N .*--retry=3 is --retries 2" --retry=3
check arpscan-retry-space 2 "^arpsweep: --retry is arp-scan's" --retry 3
check arpscan-x 2 "^arpsweep: -x is arp-scan's; use --format csv" -x
check arpscan-plain 2 "^arpsweep: --plain is arp-scan's; use --format csv" --plain
check arpscan-g 2 "^arpsweep: -g is arp-scan's; .*drop it" -g
check arpscan-ignoredups 2 "^arpsweep: --ignoredups is arp-scan's" --ignoredups
check arpscan-t 2 "^arpsweep: -t is arp-scan's; use --timeout MS" -t 500
check arpscan-W 2 "^arpsweep: -W is arp-scan's; use -w FILE" -W x.pcap
check arpscan-pcapsavefile 2 "^arpsweep: --pcapsavefile is arp-scan's; use -w FILE" --pcapsavefile=x.pcap
check arpscan-bandwidth 2 "^arpsweep: --bandwidth is arp-scan's; use --rate PPS" --bandwidth=256000
check arpscan-B 2 "^arpsweep: -B is arp-scan's; use --rate PPS" -B 1M
check arpscan-interval 2 "^arpsweep: --interval is arp-scan's; use --rate PPS" --interval=10
check arpscan-R 2 "^arpsweep: -R is arp-scan's; use --random" -R
check arpscan-randomseed 2 "^arpsweep: --randomseed is arp-scan's; use --seed N" --randomseed=5
check arpscan-ouifile 2 "^arpsweep: --ouifile is arp-scan's; use --oui FILE" --ouifile=x
check arpscan-O 2 "^arpsweep: -O is arp-scan's; use --oui FILE" -O x
check arpscan-macfile 2 "^arpsweep: --macfile is arp-scan's; use --oui FILE" --macfile=x
check arpscan-Q 2 "^arpsweep: -Q is arp-scan's; use --vlan ID" -Q 5
check arpscan-arpspa 2 "^arpsweep: --arpspa is arp-scan's; use --source-ip A" --arpspa=198.18.0.1
check arpscan-numeric 2 "^arpsweep: -N is arp-scan's; targets are always addresses" -N
check arpscan-F 2 "^arpsweep: -F is arp-scan's; use --format" -F x
check arpscan-verbose 2 "^arpsweep: -v is arp-scan's" -v
check arpscan-interface-equals 2 "interface nosuch0 does not exist" --interface=nosuch0 --dry-run 198.18.0.1
check arpscan-r-number 2 "^arpsweep: -r '3': -r reads a capture file and there is none of that name; for arp-scan's -r (retry count) use --retries N" -r 3
: >"$tmp/3"
(cd "$tmp" && "$OLDPWD/$bin" -r 3) >/dev/null 2>"$tmp/err3"
grep -q "'3' is empty" "$tmp/err3" && echo "ok cli.arpscan-r-number-file" ||
    { echo "FAIL cli.arpscan-r-number-file: a file named 3 is a capture to read:"; sed 's/^/    /' "$tmp/err3"; }
check prefix-not-arpscan 2 "unknown option '--retryx'" --retryx

# Options a replay has no use for: refused the same way, each alone, one line.
for o in "--rate 10" "--rate max" "--retries 1" "--timeout 5" "--confirm 1" --random \
    "--seed 1" "--source-ip 198.18.0.1" --probe "--vlan 5" --dry-run --force \
    "-I eth0" "-f $tmp/targets"; do
	set -- $o
	name=$(echo "$1" | tr -d -)
	check "replay-refuses-$name" 2 "^arpsweep: -r replays a capture: $1 applies only to a live sweep; drop it or drop -r\$" \
	    -r pcaps/twin.pcap "$@"
	check "replay-refuses-$name-first" 2 "^arpsweep: -r replays a capture: $1 applies only to a live sweep" \
	    "$@" -r pcaps/twin.pcap
done
set --
check replay-keeps-max-bindings 0 "^Summary: 33 frames" -r pcaps/twin.pcap --max-bindings 5000
check replay-keeps-quiet 0 "^Summary: 33 frames" -r pcaps/twin.pcap -q

# The bad-input table of README.md, row by row: one line naming the thing,
# control characters escaped, exit 2, and no file lost or overwritten.
esc=$(printf '\033')
nl='
'
# Options: malformed, signed, padded, zero, huge or conflicting values.
check rate-plus 2 "--rate '+5': expected requests per second" --rate +5
check rate-space 2 "--rate ' 5'" --rate " 5"
check rate-negative 2 "--rate '-1'" --rate -1
check rate-fraction 2 "--rate '2.5'" --rate 2.5
check rate-huge 2 "--rate '100000001'" --rate 100000001
check rate-empty 2 "--rate ''" --rate ""
check retries-hex 2 "--retries '0x3': expected a whole number from 0 to 100" --retries 0x3
check retries-plus 2 "--retries '+1'" --retries +1
check retries-huge 2 "--retries '101'" --retries 101
check timeout-zero 2 "--timeout '0': expected a whole number from 1 to 600000" --timeout 0
check timeout-space 2 "--timeout ' 5'" --timeout " 5"
check confirm-huge 2 "--confirm '101'" --confirm 101
check seed-space-negative 2 "--seed ' -1': expected a whole number from 0 to 18446744073709551615" --seed " -1"
check seed-negative 2 "--seed '-1'" --seed -1
check seed-overflow 2 "--seed '18446744073709551616'" --seed 18446744073709551616
check vlan-zero 2 "--vlan '0': expected a whole number from 1 to 4094" --vlan 0
check vlan-plus 2 "--vlan '+1'" --vlan +1
check format-empty 2 "--format '': expected table, json, csv, csv-findings or prom" --format ""
check source-ip-dry-run 2 "--source-ip '300.1.1.1': not an IPv4 address" --dry-run --source-ip 300.1.1.1 198.18.0.1
check source-ip-padded 2 "--source-ip ' 198.18.0.1': not an IPv4 address" --dry-run --source-ip " 198.18.0.1" 198.18.0.1
check replay-with-interface 2 "applies only to a live sweep" -r pcaps/twin.pcap -I eth0
check replay-with-target-file 2 "applies only to a live sweep" -r pcaps/twin.pcap -f "$tmp/targets"
check replay-dry-run 2 "applies only to a live sweep" -r pcaps/twin.pcap --dry-run
check interface-empty 2 "-I '': not an interface name" -I "" --dry-run
check interface-long 2 "-I 'abcdefghijklmnop': not an interface name" -I abcdefghijklmnop --dry-run
check interface-slash 2 "-I 'a/b': not an interface name" -I a/b --dry-run
check interface-escape 2 "-I 'a\\\\x1b\[2Jb'" -I "a$esc[2Jb" --dry-run
check unknown-escape 2 "unknown option '--x\\\\x1b\[31m'" "--x$esc[31m"
check file-empty-name 2 "-f '': empty file name" -f "" --dry-run
check read-empty-name 2 "-r '': empty file name" -r ""
check write-empty-name 2 "-w '': empty file name" -r pcaps/twin.pcap -w ""
check oui-empty-name 2 "--oui '': empty file name" -r pcaps/twin.pcap --oui ""

# Targets and target files.
check target-newline 2 "target '198.18.0.1\\\\nfoo': not an IPv4 address" --dry-run "198.18.0.1${nl}foo"
check target-escape 2 "target '\\\\x1b\[2J'" --dry-run "$esc[2J"
check target-empty 2 "target '': empty target spec" --dry-run ""
check target-long 2 "too long for an IPv4 address" --dry-run 198.18.0.1111111111111111111111111111111111111111111111111111111111111111
check target-reversed 2 "range start is above its end" --dry-run 198.18.0.9-198.18.0.1
check target-octet 2 "last octet must be 9-255" --dry-run 198.18.0.9-3
printf '198.18.0.1\nroot-secret-line\n' >"$tmp/secret-targets"
check target-file-no-echo 2 "secret-targets:2: not a target (expected a\.b\.c\.d/n" --dry-run -f "$tmp/secret-targets"
grep -q secret-line "$tmp/err" && echo "FAIL cli.target-file-no-echo-content: the line was echoed" ||
    echo "ok cli.target-file-no-echo-content"
check target-file-dev-zero 2 "/dev/zero:1: the line contains a NUL byte" --dry-run -f /dev/zero
head -c 100000 /dev/zero | tr '\0' 1 >"$tmp/huge-line"
check target-file-huge-line 2 "huge-line:1: the line is longer than 4096 bytes" --dry-run -f "$tmp/huge-line"
printf '198.18.0.1\n198.18.0.2\0junk\n' >"$tmp/nul-targets"
check target-file-nul 2 "nul-targets:2: the line contains a NUL byte" --dry-run -f "$tmp/nul-targets"
yes '# a comment' | head -n 1048577 >"$tmp/many-lines"
check target-file-too-long 2 "many-lines:1048577: the file is longer than 1048576 lines" --dry-run -f "$tmp/many-lines"
check target-file-directory 2 "cannot read target file '$tmp/dir': Is a directory" --dry-run -f "$tmp/dir"
check target-file-escape 2 "cannot read target file 'a\\\\nb'" --dry-run -f "a${nl}b"
: >"$tmp/empty-targets"
check target-file-empty 2 "no targets left to sweep" --dry-run -f "$tmp/empty-targets"

# Capture files (-r).
: >"$tmp/empty.pcap"
check capture-empty 2 "'$tmp/empty.pcap' is empty: no pcap or pcapng capture in it" -r "$tmp/empty.pcap"
head -c 100 pcaps/twin.pcap >"$tmp/truncated.pcap"
check capture-truncated 2 "cannot read capture '$tmp/truncated.pcap': truncated dump file" -r "$tmp/truncated.pcap"
head -c 10 pcaps/twin.pcap >"$tmp/header-cut.pcap"
check capture-header-cut 2 "is not a pcap or pcapng capture (truncated dump file" -r "$tmp/header-cut.pcap"
{ head -c 20 pcaps/twin.pcap; printf '\201\000\000\000'; tail -c +25 pcaps/twin.pcap; } >"$tmp/arcnet.pcap"
check capture-link-type 2 "link type ARCNET_LINUX (129) is not supported" -r "$tmp/arcnet.pcap"
mkfifo "$tmp/fifo"
(: >"$tmp/fifo") &
check capture-fifo-closed 2 "'$tmp/fifo' is empty" -r "$tmp/fifo"
wait
cp pcaps/twin.pcap "$tmp/a$esc[2Jb.pcap"
check report-name-escaped 0 "^arpsweep: replay of $tmp/a\\\\x1b\[2Jb.pcap\$" -r "$tmp/a$esc[2Jb.pcap"
check capture-escape 2 "cannot read capture 'x\\\\x1b\[2J': No such file" -r "x$esc[2J"

# Output paths (-w): refused before anything is written, the previous file
# and whatever a link points to left byte for byte.
sum() { cksum <"$1"; }
# NAME FILE SUM: FILE still has SUM.
same() {
	if [ "$(sum "$2")" = "$3" ]; then echo "ok cli.$1"
	else echo "FAIL cli.$1: $2 changed"; fi
}
# NAME DIR: no temporary file left in DIR.
no_tmp() {
	if [ -z "$(find "$2" -maxdepth 1 -name '.*.??????' -print)" ]; then echo "ok cli.$1"
	else echo "FAIL cli.$1: temporary file left:"; ls -A "$2" | sed 's/^/    /'; fi
}
mkdir "$tmp/wd"
cp pcaps/twin.pcap "$tmp/wd/in.pcap"
cp pcaps/plain-reply.pcap "$tmp/wd/old.pcap"
old=$(sum "$tmp/wd/old.pcap")
in=$(sum "$tmp/wd/in.pcap")
check write-same-as-read 2 "-w '$tmp/wd/in.pcap' is the same file as -r '$tmp/wd/in.pcap'" \
    -r "$tmp/wd/in.pcap" -w "$tmp/wd/in.pcap"
same write-same-as-read-kept "$tmp/wd/in.pcap" "$in"
ln "$tmp/wd/in.pcap" "$tmp/wd/hardlink.pcap"
check write-hard-link-to-read 2 "is the same file as -r" -r "$tmp/wd/in.pcap" -w "$tmp/wd/hardlink.pcap"
(cd "$tmp/wd" && "$OLDPWD/$bin" -r in.pcap -w ./in.pcap) >"$tmp/out.txt" 2>"$tmp/err"
grep -q "is the same file as -r 'in.pcap'" "$tmp/err" && echo "ok cli.write-same-other-spelling" ||
    { echo "FAIL cli.write-same-other-spelling:"; sed 's/^/    /' "$tmp/err"; }
check write-same-as-stdin 2 "is the same file as -r '-'" -r - -w "$tmp/wd/in.pcap" <"$tmp/wd/in.pcap"
cp "$tmp/targets" "$tmp/wd/targets"
check write-same-as-target-file 2 "is the same file as -f" --dry-run -f "$tmp/wd/targets" -w "$tmp/wd/targets"
check write-same-as-oui 2 "is the same file as --oui" -r pcaps/twin.pcap --oui "$tmp/wd/old.pcap" -w "$tmp/wd/old.pcap"
same write-same-as-oui-kept "$tmp/wd/old.pcap" "$old"
ln -s old.pcap "$tmp/wd/link.pcap"
check write-symlink 2 "cannot record to '$tmp/wd/link.pcap': it is a symbolic link" -r pcaps/twin.pcap -w "$tmp/wd/link.pcap"
same write-symlink-target-kept "$tmp/wd/old.pcap" "$old"
ln -s nowhere.pcap "$tmp/wd/dangling.pcap"
check write-dangling-symlink 2 "it is a symbolic link" -r pcaps/twin.pcap -w "$tmp/wd/dangling.pcap"
[ ! -e "$tmp/wd/nowhere.pcap" ] && echo "ok cli.write-dangling-symlink-not-created" ||
    echo "FAIL cli.write-dangling-symlink-not-created: the link was followed"
check write-directory 2 "cannot record to '$tmp/dir': it is a directory" -r pcaps/twin.pcap -w "$tmp/dir"
check write-trailing-slash 2 "it names a directory" -r pcaps/twin.pcap -w "$tmp/dir/"
check write-device 2 "cannot record to '/dev/full': it is not a regular file" -r pcaps/twin.pcap -w /dev/full
check write-fifo 2 "it is not a regular file" -r pcaps/twin.pcap -w "$tmp/fifo"
check write-no-directory 2 "cannot record to '$tmp/dir/x/y.pcap': its directory: No such file" -r pcaps/twin.pcap -w "$tmp/dir/x/y.pcap"
check write-escape 2 "cannot record to 'x\\\\x1b/y'" -r pcaps/twin.pcap -w "x$esc/y"
# A replay that fails (truncated input) leaves the previous recording.
check write-failed-run 2 "truncated dump file" -r "$tmp/truncated.pcap" -w "$tmp/wd/old.pcap"
same write-failed-run-kept "$tmp/wd/old.pcap" "$old"
# A dry run records nothing and leaves nothing.
check write-dry-run 0 "^1 targets" --dry-run -w "$tmp/wd/old.pcap" 198.18.0.1
same write-dry-run-kept "$tmp/wd/old.pcap" "$old"
no_tmp write-no-temporary-left "$tmp/wd"
# A good run replaces the previous file, whole, with its own mode.
check write-replaces 0 "^Summary: 33 frames" -r pcaps/twin.pcap -w "$tmp/wd/old.pcap"
"$bin" -r "$tmp/wd/old.pcap" >"$tmp/replayed" 2>&1 && grep -q "^Summary: 33 frames" "$tmp/replayed" &&
    echo "ok cli.write-replaced-replays" || { echo "FAIL cli.write-replaced-replays:"; sed 's/^/    /' "$tmp/replayed"; }
(umask 077 && "$bin" -r pcaps/twin.pcap -w "$tmp/wd/private.pcap" >/dev/null)
[ "$(stat -c %a "$tmp/wd/private.pcap")" = 600 ] && echo "ok cli.write-mode-umask" ||
    echo "FAIL cli.write-mode-umask: mode $(stat -c %a "$tmp/wd/private.pcap"), want 600 under umask 077"
no_tmp write-no-temporary-after "$tmp/wd"

# --vm refusals that need no interface.
check vm-empty 2 "^arpsweep: --vm '': empty domain name" --vm ""
check vm-audit 2 "^arpsweep: --vm prints one domain's interfaces, not findings: --audit does not apply" --vm web --audit --dry-run
check vm-prom 2 "--format prom does not apply" --vm web --format prom
check vm-baseline 2 "--baseline does not apply" --vm web --baseline "$tmp/none.json"
check vm-unknown-dry-run 2 "^arpsweep: --vm 'nosuch': no such domain among the 5 known (db, far, multi, off, web); check the name with 'virsh list --all'\$" \
    --no-libvirt --vm-xml tests/fixtures/vm --vm nosuch --dry-run 198.18.0.1
check vm-no-inventory 2 "^arpsweep: --vm 'web': no domain is known here" --no-libvirt --vm web --dry-run 198.18.0.1
check vm-direct-no-bridge 2 "^arpsweep: --vm 'far': no interface of it is on a bridge known here (net0: type direct (macvtap on eth0), not on a bridge); name the interface to sweep with -I\$" \
    --no-libvirt --vm-xml tests/fixtures/vm --vm far --dry-run
check vm-network-not-known 2 "net0: network 'lab' is not in the inventory (add 'virsh net-dumpxml lab' to --vm-xml)" \
    --no-libvirt --vm-xml tests/fixtures/vm/off.xml --vm off --dry-run

# The interface choice (iface_pick) in an empty network namespace of our
# own (unshare -rn): links made there, dry runs only. NS_SETUP runs first.
printf '#!/bin/sh\nexec unshare -rn sh -c '\''eval "$NS_SETUP" >/dev/null 2>&1 || exit 99; exec "$0" "$@"'\'' "%s" "$@"\n' \
    "$PWD/$bin" >"$tmp/inns"
chmod +x "$tmp/inns"
if ! unshare -rn sh -c 'ip link add b0 type bridge && ip link add v0 type veth peer name v1' 2>/dev/null; then
	echo "SKIP cli.iface-choice: no unshare -rn with bridge and veth links here"
else
	realbin=$bin
	bin=$tmp/inns
	br() { echo "ip link add $1 type bridge && ip addr add $2 dev $1 && ip link set $1 up"; }
	veth="ip link add v0 type veth peer name v1 && ip addr add 198.18.5.1/24 dev v0 && ip link set v0 up"
	docker="$(br docker0 198.18.17.1/24) && $(br br-abc 198.18.18.1/24)"
	export NS_SETUP=""
	check ns-empty-refuses 2 "^arpsweep: no bridge is up with an IPv4 address; name the interface with -I (-I IFACE sweeps its subnet) or the targets (e.g. 198.18.0.0/24)\$" \
	    --no-libvirt --dry-run
	NS_SETUP=$veth
	check ns-veth-refuses 2 "^arpsweep: no bridge is up with an IPv4 address; name the interface with -I (-I v0 sweeps its subnet) or the targets" \
	    --no-libvirt --dry-run
	check ns-veth-target 0 "^interface v0: its subnet 198.18.5.0/24 holds the first target 198.18.5.9\$" \
	    --no-libvirt --dry-run 198.18.5.9-20
	check ns-veth-named 0 "^interface v0: named with -I\$" --no-libvirt --dry-run -I v0
	check ns-veth-other-target 0 "^interface v0: first Ethernet interface that is up with an IPv4 address (no bridge found)\$" \
	    --no-libvirt --dry-run 198.19.0.1
	NS_SETUP="$veth && $docker"
	check ns-docker-refuses 2 "^arpsweep: no bridge is up with an IPv4 address but docker's, which are never chosen unasked; name the interface with -I (-I v0 sweeps its subnet)" \
	    --no-libvirt --dry-run
	check ns-docker-named 0 "^253 targets on docker0, from 198.18.17.2 to 198.18.17.254" --no-libvirt --dry-run -I docker0
	check ns-docker-target 0 "^interface br-abc: its subnet 198.18.18.0/24 holds the first target 198.18.18.7\$" \
	    --no-libvirt --dry-run 198.18.18.7
	NS_SETUP="$docker && $veth && $(br br0 198.18.3.1/24)"
	check ns-bridge-not-docker 0 "^interface br0: first bridge that is up with an IPv4 address; docker0, br-abc skipped (docker's: name one with -I)\$" \
	    --no-libvirt --dry-run
	check ns-bridge-default-targets 0 "^253 targets on br0, from 198.18.3.2 to 198.18.3.254" --no-libvirt --dry-run
	# br0 comes first; the domains' bridge virbr0 wins (tests/fixtures/vm).
	NS_SETUP="$(br br0 198.18.3.1/24) && $(br virbr0 198.18.0.1/24) && $docker"
	check ns-running-domains 0 "^interface virbr0: bridge of running domains db, multi, web\$" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm
	check ns-running-domains-inventory 0 "^inventory: 8 VM interfaces, 0 DHCP bindings, 0 leases\$" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm
	check ns-running-domains-other-target 0 "^interface virbr0: bridge of running domains" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm 203.0.113.1
	check ns-running-domains-target-elsewhere 0 "^interface br0: its subnet" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm 198.18.3.9
	check ns-vm 0 "^interface virbr0: bridge of VM web's interfaces net0, net1\$" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web
	check ns-vm-targets 0 "^16 targets on virbr0, from 198.18.3.0 to 198.18.3.15" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web 198.18.3.0/28
	check ns-vm-named 0 "^interface br0: named with -I\$" --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web -I br0
	check ns-vm-two-bridges 0 "^interface virbr0: bridge of VM multi's interface net0\$" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm multi
	grep -q "^arpsweep: warning: VM multi is on 2 bridges; sweeping virbr0, the first: sweep the others with -I\$" "$tmp/err" &&
	    [ "$(wc -l <"$tmp/err")" = 1 ] && echo "ok cli.ns-vm-two-bridges-says-so" ||
	    { echo "FAIL cli.ns-vm-two-bridges-says-so:"; sed 's/^/    /' "$tmp/err"; }
	NS_SETUP="$(br br0 198.18.3.1/24)"
	check ns-vm-bridge-missing 2 "^arpsweep: bridge virbr0 (bridge of VM web's interfaces net0, net1) does not exist here; run arpsweep on the VM's host, or name the interface with -I\$" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web
	NS_SETUP="$(br br0 198.18.3.1/24) && ip link add virbr0 type bridge"
	check ns-vm-bridge-down 2 "^arpsweep: bridge virbr0 (bridge of VM web's interfaces net0, net1) is down; bring it up with 'ip link set virbr0 up'" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web
	# The domains' bridge down: the next rule, not an error.
	check ns-running-domains-down 0 "^interface br0: first bridge" --no-libvirt --dry-run --vm-xml tests/fixtures/vm
	NS_SETUP="ip link add virbr0 type bridge && ip link set virbr0 up"
	check ns-vm-bridge-no-ipv4 2 "^arpsweep: interface virbr0 has no IPv4 address, so there is no subnet to sweep; name the targets" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web
	check ns-vm-bridge-no-ipv4-targets 0 "^interface virbr0: bridge of VM web's" \
	    --no-libvirt --dry-run --vm-xml tests/fixtures/vm --vm web 198.18.0.0/28
	unset NS_SETUP
	bin=$realbin
fi

# A file name that is not UTF-8 still gives valid JSON (U+FFFD in its place).
odd="$tmp/odd$(printf '\377')name.pcap"
cp pcaps/plain-reply.pcap "$odd"
check json-odd-name 0 '"file": ".*odd\\ufffdname.pcap"' -r "$odd" --format json
check oui-missing 0 "QEMU/KVM" -r pcaps/plain-reply.pcap --oui "$tmp/none"
grep -q "warning: .*$tmp/none" "$tmp/err" && echo "ok cli.oui-missing-warns" ||
    { echo "FAIL cli.oui-missing-warns:"; sed 's/^/    /' "$tmp/err"; }
exit 0
