#!/bin/bash
# make install / make uninstall: into a DESTDIR (any user: files, modes, no
# capability, man finds the page, uninstall leaves nothing); as root into a
# temporary PREFIX (the capabilities set, exactly the set the permission
# messages name, and nobody can then sweep a namespace lab with the
# installed binary; SWEEP_GROUP limits who may run it). Prints ok/FAIL/SKIP.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
LAB_TEST=install
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# nobody runs the installed binary from here
# -o: the build under test is what gets installed, never rebuilt here.
mk() { make -s --no-print-directory -o "$B/arpsweep" O="$B" "$@"; }
pass() { echo "ok install.$1"; }
fail() { echo "FAIL install.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
# The set every permission message names (scanner/sweep.c).
caps=$(sed -n "s/.*'setcap \([a-z_,+]*\) arpsweep'.*/\1/p" scanner/sweep.c | head -n 1)

# NAME PATH MODE: PATH is a regular file with octal MODE.
has() {
	if [ -f "$2" ] && [ "$(stat -c %a "$2")" = "$3" ]; then pass "$1"
	else fail "$1" "$2: $(stat -c %a "$2" 2>&1), want a file of mode $3"; fi
}

d=$tmp/dest
if mk install DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1; then
	pass destdir-install
else
	fail destdir-install "make install failed" "$tmp/log"
fi
has destdir-binary "$d/usr/sbin/arpsweep" 755
has destdir-man "$d/usr/share/man/man8/arpsweep.8" 644
has destdir-completion "$d/usr/share/bash-completion/completions/arpsweep" 644
has destdir-doc "$d/usr/share/doc/arpsweep/README.md" 644
has destdir-schema "$d/usr/share/doc/arpsweep/arpsweep-report.schema.json" 644
cmp -s doc/arpsweep-report.schema.json "$d/usr/share/doc/arpsweep/arpsweep-report.schema.json" &&
    pass destdir-schema-same || fail destdir-schema-same "the installed schema is not doc/arpsweep-report.schema.json"
has destdir-vm-schema "$d/usr/share/doc/arpsweep/arpsweep-vm.schema.json" 644
cmp -s doc/arpsweep-vm.schema.json "$d/usr/share/doc/arpsweep/arpsweep-vm.schema.json" &&
    pass destdir-vm-schema-same || fail destdir-vm-schema-same "the installed schema is not doc/arpsweep-vm.schema.json"
has destdir-example-timer "$d/usr/share/doc/arpsweep/examples/arpsweep-textfile.timer" 644
has destdir-example-rules "$d/usr/share/doc/arpsweep/examples/arpsweep-alerts.yml" 644
cmp -s "$B/arpsweep" "$d/usr/sbin/arpsweep" && pass destdir-binary-same ||
    fail destdir-binary-same "the installed binary is not $B/arpsweep"
if command -v getcap >/dev/null; then
	[ -z "$(getcap "$d/usr/sbin/arpsweep" 2>&1)" ] && pass destdir-no-capability ||
	    fail destdir-no-capability "a DESTDIR install set $(getcap "$d/usr/sbin/arpsweep")"
fi
if command -v man >/dev/null; then
	MANPATH="$d/usr/share/man" MANWIDTH=80 man arpsweep 2>"$tmp/man.err" |
	    grep -q 'sweep a Layer-2 segment' && pass destdir-man-found ||
	    fail destdir-man-found "man arpsweep with MANPATH=$d/usr/share/man" "$tmp/man.err"
else
	echo "SKIP install.destdir-man-found: man is not installed"
fi
"$d/usr/sbin/arpsweep" -r pcaps/twin.pcap >"$tmp/run" 2>&1 && grep -q '^Summary:' "$tmp/run" &&
    pass destdir-binary-runs || fail destdir-binary-runs "the installed binary" "$tmp/run"
mk uninstall DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1 || fail destdir-uninstall "make uninstall failed" "$tmp/log"
left=$(find "$d" \( -type f -o -type l -o -name '*arpsweep*' \) -print)
[ -z "$left" ] && pass destdir-uninstall-leaves-nothing ||
    { echo "$left" >"$tmp/left"; fail destdir-uninstall-leaves-nothing "left behind:" "$tmp/left"; }

# The default PREFIX is /usr/local, and the completion goes under it, where
# bash-completion looks too (XDG_DATA_DIRS).
mk -n install DESTDIR="$tmp/dry" >"$tmp/dry.log" 2>&1
grep -q "$tmp/dry/usr/local/sbin/arpsweep" "$tmp/dry.log" &&
    grep -q "$tmp/dry/usr/local/share/bash-completion/completions/arpsweep" "$tmp/dry.log" &&
    grep -q "$tmp/dry/usr/local/share/man/man8/arpsweep.8" "$tmp/dry.log" &&
    pass default-prefix || fail default-prefix "paths under /usr/local" "$tmp/dry.log"

if [ "$(id -u)" != 0 ]; then
	echo "SKIP install.live: needs root (setcap, namespaces, running as nobody)"
	rm -rf "$tmp"
	exit 0
fi

# SWEEP_GROUP: only that group may execute the binary.
mk install DESTDIR="$tmp/grp" PREFIX=/usr SWEEP_GROUP=nogroup >"$tmp/log" 2>&1 ||
    fail group-install "make install SWEEP_GROUP=nogroup failed" "$tmp/log"
[ "$(stat -c %a:%G "$tmp/grp/usr/sbin/arpsweep" 2>&1)" = 750:nogroup ] && pass group-mode ||
    fail group-mode "$(stat -c %a:%G "$tmp/grp/usr/sbin/arpsweep" 2>&1), want 750:nogroup"

# Root, no DESTDIR: the capabilities are set.
p=$tmp/prefix
if ! command -v setcap >/dev/null || ! command -v getcap >/dev/null; then
	echo "SKIP install.live: setcap/getcap not installed (libcap2-bin; tests/deps.sh test installs it)"
	rm -rf "$tmp"
	exit 0
fi
mk install PREFIX="$p" >"$tmp/log" 2>&1 && pass root-install ||
    fail root-install "make install PREFIX=$p failed" "$tmp/log"
# getcap prints them in its own order: compare the sets.
capset() { echo "$1" | sed -E 's/[+=]ep$//' | tr , '\n' | sort | tr '\n' ' '; }
got=$(getcap "$p/sbin/arpsweep" | awk '{ print $2 }')
[ -n "$caps" ] && [ "$(capset "$got")" = "$(capset "$caps")" ] &&
    [ "${got##*[=+]}" = ep ] && pass root-capabilities ||
    fail root-capabilities "getcap says '$got', the messages name '$caps'"

# Installed and setcap'd, run as nobody inside a namespace lab.
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
trap 'lab_down; rm -rf "$tmp"' EXIT INT TERM
if lab_check && lab_up >"$tmp/lab.log" 2>&1 &&
    lab_host h10 198.18.0.10 52:54:00:00:00:10 >>"$tmp/lab.log" 2>&1 &&
    lab_host h11 198.18.0.11 52:54:00:00:00:11 >>"$tmp/lab.log" 2>&1; then
	asnobody() { lab_exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	asnobody "$p/sbin/arpsweep" -q --format csv 198.18.0.8/29 >"$tmp/nobody.csv" 2>"$tmp/nobody.err"
	st=$?
	[ $st = 0 ] && grep -q '^198\.18\.0\.10,52:54:00:00:00:10,' "$tmp/nobody.csv" &&
	    grep -q '^198\.18\.0\.11,52:54:00:00:00:11,' "$tmp/nobody.csv" &&
	    pass nobody-sweeps || { cat "$tmp/nobody.err" >>"$tmp/nobody.csv"
	    fail nobody-sweeps "status $st, want 0 and both hosts" "$tmp/nobody.csv"; }
	# Without the file capabilities nobody gets the one line naming them.
	cp "$B/arpsweep" "$tmp/plain-arpsweep"
	chmod 0755 "$tmp/plain-arpsweep"
	asnobody "$tmp/plain-arpsweep" -q 198.18.0.8/29 >"$tmp/e" 2>&1
	st=$?
	[ $st = 2 ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q "setcap $caps arpsweep" "$tmp/e" &&
	    pass nobody-message-names-caps || fail nobody-message-names-caps "status $st" "$tmp/e"
	# The completion offers the bridge first, then its ports.
	lab_exec bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null
	    source "$0"; _arpsweep_ifaces' "$p/share/bash-completion/completions/arpsweep" \
	    >"$tmp/ifaces" 2>&1
	[ "$(head -n 1 "$tmp/ifaces")" = virbr0 ] && [ "$(wc -l <"$tmp/ifaces")" = 3 ] &&
	    pass completion-bridges-first || fail completion-bridges-first "want virbr0 then 2 ports" "$tmp/ifaces"
else
	[ -n "$LAB_SKIP_REASON" ] || fail lab "the lab did not come up" "$tmp/lab.log"
fi
mk uninstall PREFIX="$p" >"$tmp/log" 2>&1 || fail root-uninstall "make uninstall failed" "$tmp/log"
left=$(find "$p" \( -type f -o -type l \) -print)
[ -z "$left" ] && pass root-uninstall-leaves-nothing ||
    { echo "$left" >"$tmp/left"; fail root-uninstall-leaves-nothing "left behind:" "$tmp/left"; }
exit 0
