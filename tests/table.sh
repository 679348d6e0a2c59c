#!/bin/sh
# The terminal table (--format table) over replays of pcaps/: width from
# COLUMNS and from the terminal (a pty from script(1)), cells cut with an
# ellipsis, columns dropped and named, optional columns only with values,
# this host shown once and not counted, the (LA) legend, --color with
# NO_COLOR and TERM, findings grouped by severity with what to do.
# Sends nothing. Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
[ -x "$bin" ] || { echo "FAIL table: $bin is not built"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The caller's terminal must not decide what these runs print.
unset COLUMNS NO_COLOR TERM
ESC=$(printf '\033')
oui=tests/golden/oui.txt

pass() { echo "ok table.$1"; }
fail() { echo "FAIL table.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3" | head -40; }
# NAME FILE: the table's lines (header to the last row) as a file.
rows() { sed -n '/^IP  /,/^$/p' "$1" | sed '/^$/d' | grep -v '^Not shown\|^(LA)\|^  ' ; }
# Widest line of FILE in terminal columns (UTF-8 aware).
widest() { LC_ALL=C.UTF-8 wc -L <"$1" | tr -d ' '; }
run() {	# OUT ENV... -- ARGS...: the report of `arpsweep ARGS` under ENV
	o=$1; shift
	envs=
	while [ "$1" != -- ]; do envs="$envs $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env $envs "$bin" --oui "$oui" "$@" >"$tmp/$o" 2>&1
	echo $? >"$tmp/$o.st"
}

# 1. Width: COLUMNS=200 is the whole table; 80 and 60 fit.
run std200 COLUMNS=200 -- -r pcaps/lab-standard.pcap
run std80 COLUMNS=80 -- -r pcaps/lab-standard.pcap
run std60 COLUMNS=60 -- -r pcaps/lab-standard.pcap
run stdpipe -- -r pcaps/lab-standard.pcap
head -n 4 "$tmp/std200" | grep -q '^IP  .*REPLIES  REQUESTS  VENDOR  .*FLAGS$' &&
    ! grep -q 'Not shown' "$tmp/std200" && pass c200-every-column ||
    fail c200-every-column "a column missing at 200" "$tmp/std200"
grep -q 'PROBES' "$tmp/std200" && fail requests-header "PROBES still in the table" "$tmp/std200" ||
    pass requests-header
for w in 80 60; do
	rows "$tmp/std$w" >"$tmp/rows$w"
	[ -s "$tmp/rows$w" ] && [ "$(widest "$tmp/rows$w")" -le $w ] && pass "c$w-rows-fit" ||
	    fail "c$w-rows-fit" "widest row $(widest "$tmp/rows$w") > $w" "$tmp/rows$w"
	# Findings wrap to the width too (no word here is longer than a line).
	sed -n '/^Findings to act on/,/^$/p' "$tmp/std$w" >"$tmp/f$w"
	[ -s "$tmp/f$w" ] && [ "$(widest "$tmp/f$w")" -le $w ] && pass "c$w-findings-fit" ||
	    fail "c$w-findings-fit" "widest findings line $(widest "$tmp/f$w") > $w" "$tmp/f$w"
done
# (wrapped to the width like the findings)
tr -s ' \n' '  ' <"$tmp/std60" | grep -q ' Not shown in 60 columns: REPLIES, REQUESTS, VENDOR (widen the terminal or use --format json) ' &&
    pass c60-not-shown-line || fail c60-not-shown-line "no such line" "$tmp/std60"
# The least useful go first: at 80 columns nothing needs to go here.
! grep -q 'Not shown' "$tmp/std80" && grep -q '  REQUESTS  VENDOR ' "$tmp/std80" &&
    pass c80-keeps-all || fail c80-keeps-all "a column dropped at 80" "$tmp/std80"
grep -q '^198\.18\.0\.50  .*  frame-mismatch$' "$tmp/std60" && pass c60-flags-whole ||
    fail c60-flags-whole "flags cut while a column could go" "$tmp/std60"
# A pipe gets full rows, unwrapped findings; a COLUMNS that is not a
# number is ignored.
run stdbad COLUMNS=wide -- -r pcaps/lab-standard.pcap
rows "$tmp/stdpipe" >"$tmp/a"; rows "$tmp/std200" >"$tmp/b"; rows "$tmp/stdbad" >"$tmp/c"
cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a" "$tmp/c" && pass pipe-full-rows ||
    fail pipe-full-rows "a pipe, COLUMNS=200 and COLUMNS=wide differ" "$tmp/stdbad"
[ "$(grep -c 'What to do' "$tmp/stdpipe")" = 4 ] && [ "$(sed -n '/^Findings to act on/,/^$/p' "$tmp/stdpipe" | wc -l)" = 10 ] &&
    pass pipe-no-wrap || fail pipe-no-wrap "findings wrapped in a pipe" "$tmp/stdpipe"

# 2. Cells: a long vendor (the issue's, cut at 32 with no mark) and a
# UTF-8 one are cut with an ellipsis at a character boundary.
printf '525400\tMotorola Mobility LLC, a Lenovo Company\n' >"$tmp/oui-long"
printf '525400\tSoci\303\251t\303\251 G\303\251n\303\251rale \303\211lectronique \345\215\216\344\270\272 Ltd\n' >"$tmp/oui-utf8"
"$bin" -r pcaps/plain-reply.pcap --oui "$tmp/oui-long" >"$tmp/long" 2>&1
COLUMNS=70 "$bin" -r pcaps/plain-reply.pcap --oui "$tmp/oui-long" >"$tmp/long70" 2>&1
grep -q 'Motorola Mobility LLC, a Lenovo Company  ' "$tmp/long" && pass vendor-whole-in-pipe ||
    fail vendor-whole-in-pipe "vendor cut without a terminal" "$tmp/long"
grep -q 'Motorola Mob[a-zA-Z ,]*…  ' "$tmp/long70" && [ "$(rows "$tmp/long70" | LC_ALL=C.UTF-8 wc -L)" -le 70 ] &&
    pass vendor-ellipsis || fail vendor-ellipsis "no ellipsis, or wider than 70" "$tmp/long70"
"$bin" -r pcaps/plain-reply.pcap --oui "$tmp/oui-long" --format json | grep -q '"vendor": "Motorola Mobility LLC, a Lenovo Company"' &&
    pass json-vendor-whole || fail json-vendor-whole "JSON vendor not whole"
COLUMNS=62 "$bin" -r pcaps/plain-reply.pcap --oui "$tmp/oui-utf8" >"$tmp/utf8" 2>&1
rows "$tmp/utf8" >"$tmp/utf8rows"
if iconv -f UTF-8 -t UTF-8 "$tmp/utf8rows" >/dev/null 2>&1 && grep -q '…  ' "$tmp/utf8rows" &&
    [ "$(widest "$tmp/utf8rows")" -le 62 ]; then pass vendor-utf8-cut
else fail vendor-utf8-cut "invalid UTF-8, no ellipsis or too wide ($(widest "$tmp/utf8rows"))" "$tmp/utf8rows"; fi
# No (LA) legend when no row has the mark.
grep -q '(LA)' "$tmp/long" && fail no-la-no-legend "(LA) with a registered vendor" "$tmp/long" ||
    pass no-la-no-legend

# 3. Optional columns: no VLAN on an untagged sweep; VLAN on a --vlan
# sweep's recording; VLAN and OUTER VLAN on QinQ; PORTS and VM when known.
head -n 4 "$tmp/std200" | grep -q '  VLAN  ' && fail untagged-no-vlan "VLAN column on an untagged capture" "$tmp/std200" ||
    pass untagged-no-vlan
run v100 -- -r pcaps/lab-vlan100.pcap
grep -q '^IP  .*  VLAN  ' "$tmp/v100" && [ "$(grep -c '^198\.18\.100\.[0-9]*  .*  100  ' "$tmp/v100")" = 3 ] &&
    pass vlan-column || fail vlan-column "no VLAN column with 3 hosts on 100" "$tmp/v100"
run qinq -- -r pcaps/qinq.pcap
grep -q '^IP  .*  VLAN  OUTER VLAN  ' "$tmp/qinq" && grep -q '^198\.18\.200\.10  .*  2001  200  ' "$tmp/qinq" &&
    pass qinq-columns || fail qinq-columns "no VLAN 2001 / OUTER VLAN 200" "$tmp/qinq"
grep -q 'OUTER VLAN' "$tmp/v100" && fail no-empty-outer "OUTER VLAN without QinQ" "$tmp/v100" || pass no-empty-outer
run ports -- -r pcaps/bridge-ports.pcapng --vm-xml tests/fixtures/ports
grep -q '^IP  .*  VM  .*  PORTS  .*FLAGS$' "$tmp/ports" && ! grep -q '  NAME  ' "$tmp/ports" &&
    pass vm-ports-columns || fail vm-ports-columns "VM and PORTS, and no NAME, wanted" "$tmp/ports"

# 4. This host: once, untagged, marked, not counted; JSON and CSV keep it.
[ "$(grep -c '^198\.18\.0\.1  ' "$tmp/v100")" = 1 ] &&
    grep -q '^198\.18\.0\.1  *52:54:00:00:00:01  -  .*  this host$' "$tmp/v100" &&
    pass this-host-once-untagged || fail this-host-once-untagged "not one untagged row" "$tmp/v100"
grep -q '; 3 hosts (and this host); ' "$tmp/v100" && pass this-host-not-counted-vlan ||
    fail this-host-not-counted-vlan "summary" "$tmp/v100"
grep -q '; 14 hosts (and this host); 4 findings' "$tmp/std200" && pass this-host-not-counted ||
    fail this-host-not-counted "summary" "$tmp/std200"
n=$("$bin" -r pcaps/lab-standard.pcap --format json | grep -c '^    {"ip"')
c=$("$bin" -r pcaps/lab-standard.pcap --format csv | sed 1d | wc -l)
[ "$n" = 15 ] && [ "$c" = 15 ] && pass json-csv-keep-it || fail json-csv-keep-it "JSON $n, CSV $c host rows, want 15 (unchanged)"
run unsol -- -r pcaps/unsolicited.pcap
! grep -q 'this host' "$tmp/unsol" && grep -q '; 2 hosts; ' "$tmp/unsol" && pass no-requester-no-mark ||
    fail no-requester-no-mark "marked a host with no requests of its own" "$tmp/unsol"

# 5. (LA) replaces "(locally administered)", with one legend line.
! sed -n '/^IP  /,/^$/p' "$tmp/std200" | grep -v '^(LA): ' | grep -q 'locally administered' &&
    [ "$(grep -c '^(LA): ' "$tmp/std200")" = 1 ] && grep -q '  QEMU/KVM (LA)  ' "$tmp/std200" &&
    pass la-legend || fail la-legend "(LA) and one legend wanted" "$tmp/std200"
run std40 COLUMNS=40 -- -r pcaps/lab-standard.pcap
grep -q 'VENDOR' "$tmp/std40" && grep -q '^(LA)' "$tmp/std40" &&
    fail la-legend-with-column "a legend without the column" "$tmp/std40" || pass la-legend-with-column

# 6. Colour: only on request or a terminal, only findings and flags.
run always -- -r pcaps/lab-standard.pcap --color=always
run never -- -r pcaps/lab-standard.pcap --color=never
run nocolor NO_COLOR=1 -- -r pcaps/lab-standard.pcap --color=always
grep -q "$ESC\[" "$tmp/always" && pass color-always || fail color-always "no SGR" "$tmp/always"
grep -q "$ESC" "$tmp/never" "$tmp/stdpipe" && fail color-never "SGR with never or in a pipe" "$tmp/never" ||
    pass color-never
grep -q "$ESC\[" "$tmp/nocolor" && pass no-color-not-always || fail no-color-not-always "always must win over NO_COLOR" "$tmp/nocolor"
# Every coloured span is a finding kind or a severity heading.
kinds=$(sed -n 's/^[[:space:]]*\[FIND_[A-Z_]*\] = { "\([a-z-]*\)",.*/\1/p' report/findings.c | tr '\n' '|')
grep -o "$ESC\[[0-9;]*m[^$ESC]*$ESC\[0m" "$tmp/always" | sed "s/$ESC\[[0-9;]*m//g" | sort -u >"$tmp/spans"
if [ -s "$tmp/spans" ] && ! grep -Evx "(${kinds}Findings to act on \([0-9]+\):|Informational \([0-9]+\):)" "$tmp/spans" >/dev/null; then
	pass color-only-findings
else fail color-only-findings "coloured text that is no finding" "$tmp/spans"; fi
grep -q "^198\.18\.0\.20 .*$ESC\[1;31mtwin$ESC\[0m" "$tmp/always" && pass color-flag-severity ||
    fail color-flag-severity "twin not in the act-on colour" "$tmp/always"
run dbl -- -r pcaps/double-reply.pcap --color=always
grep -q "$ESC\[33mrepeated-reply$ESC\[0m" "$tmp/dbl" && pass color-informational ||
    fail color-informational "repeated-reply not in the informational colour" "$tmp/dbl"
"$bin" -r pcaps/lab-standard.pcap --color=always --format json | grep -q "$ESC" &&
    fail color-not-json "SGR in JSON" || pass color-not-json
"$bin" -r pcaps/lab-standard.pcap --color=sometimes >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && [ ! -s "$tmp/o" ] && [ "$(wc -l <"$tmp/e")" = 1 ] && grep -q "^arpsweep: --color 'sometimes': expected auto, always or never" "$tmp/e" &&
    pass color-bad-value || fail color-bad-value "want exit 2 and one line" "$tmp/e"
# On a terminal (a pty): auto colours, unless NO_COLOR or TERM=dumb; the
# width is the terminal's (TIOCGWINSZ, read before the seccomp stages).
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
	pty() { script -qec "stty cols 70 2>/dev/null; $1 $bin --oui $oui -r pcaps/lab-standard.pcap" /dev/null | tr -d '\r' >"$tmp/$2"; }
	pty "env TERM=xterm" tty
	pty "env TERM=xterm NO_COLOR=1" tty-nocolor
	pty "env TERM=dumb" tty-dumb
	pty "env TERM=xterm NO_COLOR=" tty-empty-nocolor
	grep -q "$ESC\[1;31m" "$tmp/tty" && pass tty-auto-color || fail tty-auto-color "no colour on a terminal" "$tmp/tty"
	grep -q "$ESC\[" "$tmp/tty-nocolor" && fail tty-no-color "NO_COLOR=1 coloured" "$tmp/tty-nocolor" || pass tty-no-color
	grep -q "$ESC\[" "$tmp/tty-dumb" && fail tty-term-dumb "TERM=dumb coloured" "$tmp/tty-dumb" || pass tty-term-dumb
	grep -q "$ESC\[1;31m" "$tmp/tty-empty-nocolor" && pass tty-empty-no-color ||
	    fail tty-empty-no-color "an empty NO_COLOR must not disable" "$tmp/tty-empty-nocolor"
	grep -q '^Not shown in 70 columns: ' "$tmp/tty-dumb" && rows "$tmp/tty-dumb" >"$tmp/ttyrows" &&
	    [ "$(widest "$tmp/ttyrows")" -le 70 ] && pass tty-width || fail tty-width "not fitted to the pty's 70 columns" "$tmp/tty-dumb"
	script -qec "env TERM=xterm $bin --oui $oui -r pcaps/lab-standard.pcap -o $tmp/file.txt" /dev/null >/dev/null
	grep -q "$ESC" "$tmp/file.txt" && fail tty-o-file-plain "colour in a -o file" "$tmp/file.txt" || pass tty-o-file-plain
else
	echo "SKIP table.tty: script(1) cannot open a pty here"
fi

# 7. Findings by severity, each with one What to do line from its kind.
run moved -- -r pcaps/bridge-ports.pcapng --baseline tests/golden/baseline/moved-port-v2.json
a=$(grep -n '^Findings to act on (2):$' "$tmp/moved" | cut -d: -f1)
i=$(grep -n '^Informational (1):$' "$tmp/moved" | cut -d: -f1)
m=$(grep -n '^  moved-port  ' "$tmp/moved" | cut -d: -f1)
t=$(grep -n '^  twin  ' "$tmp/moved" | cut -d: -f1)
[ -n "$a" ] && [ -n "$i" ] && [ -n "$m" ] && [ -n "$t" ] && [ "$a" -lt "$t" ] && [ "$t" -lt "$i" ] && [ "$i" -lt "$m" ] &&
    pass findings-grouped || fail findings-grouped "act-on group, then informational" "$tmp/moved"
nf=$("$bin" -r pcaps/lab-standard.pcap --format json | grep -o '"kind": "[a-z-]*", "audit"' | wc -l)
nw=$(grep -c '^ *What to do: ' "$tmp/std200")
[ "$nf" = 4 ] && [ "$nw" = "$nf" ] && pass what-to-do-each || fail what-to-do-each "$nw What to do lines for $nf findings" "$tmp/std200"
# The sentence is the descriptor's (findings.c), the line after the finding.
next=$(sed -n '/\[FIND_TWIN\]/,/},/p' report/findings.c | sed -n 's/.*"\(Give one of the machines[^"]*\)".*/\1/p')
awk '/^  twin  / { on = 1; next } on && /What to do:/ { print; exit }' "$tmp/stdpipe" |
    grep -qx " *What to do: $next" && pass what-to-do-from-descriptor ||
    fail what-to-do-from-descriptor "twin's next step '$next' not after it" "$tmp/stdpipe"
grep -A1 '^  moved-port  ' "$tmp/moved" | grep -q 'What to do: Nothing if the VM was restarted or moved' &&
    pass what-to-do-informational || fail what-to-do-informational "moved-port's next step" "$tmp/moved"

# 8. One list separator: the table's flags joined as CSV's are.
grep -q '  twin,mac-reuse$' "$tmp/ports" &&
    "$bin" -r pcaps/bridge-ports.pcapng --vm-xml tests/fixtures/ports --format csv | grep -q ',"twin,mac-reuse",' &&
    pass one-separator || fail one-separator "table and CSV flags joined differently" "$tmp/ports"
exit 0
