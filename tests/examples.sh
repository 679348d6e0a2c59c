#!/bin/sh
# The shipped examples (doc/examples): the alerting rules pass `promtool
# check rules` and fire, in `promtool test rules`, on the series arpsweep
# writes; the systemd units pass `systemd-analyze verify` without a warning.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
ex=doc/examples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass() { echo "ok examples.$1"; }
fail() { echo "FAIL examples.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }

if command -v promtool >/dev/null; then
	promtool check rules "$ex/arpsweep-alerts.yml" >"$tmp/o" 2>&1 &&
	    pass rules-check || fail rules-check "promtool check rules:" "$tmp/o"
	# Each finding rule fires on its kind at 1 and stays quiet at 0.
	{
		printf 'rule_files: [%s]\nevaluation_interval: 1m\ntests:\n' "$PWD/$ex/arpsweep-alerts.yml"
		printf '  - interval: 1m\n    input_series:\n'
		for k in twin ip-conflict mac-reuse binding-mismatch changed-mac spoofing; do
			printf '      - series: '\''arpsweep_findings{kind="%s",instance="hv1"}'\''\n        values: "1 1"\n' "$k"
			printf '      - series: '\''arpsweep_findings{kind="%s",instance="hv2"}'\''\n        values: "0 0"\n' "$k"
		done
		printf '    alert_rule_test:\n'
		for a in Twin:twin IpConflict:ip-conflict MacReuse:mac-reuse \
		    BindingMismatch:binding-mismatch ChangedMac:changed-mac Spoofing:spoofing; do
			printf '      - eval_time: 1m\n        alertname: Arpsweep%s\n        exp_alerts:\n' "${a%%:*}"
			printf '          - exp_labels: {severity: "%s", kind: "%s", instance: "hv1"}\n' \
			    "$(awk -v n="Arpsweep${a%%:*}" '$3 == n { f = 1 } f && /severity:/ { print $2; exit }' "$ex/arpsweep-alerts.yml")" "${a#*:}"
		done
	} >"$tmp/test.yml"
	# promtool compares annotations too: test a copy without them.
	awk '/annotations:/ { skip = 1; next } skip && /^          / { next } { skip = 0; print }' \
	    "$ex/arpsweep-alerts.yml" >"$tmp/rules.yml"
	sed -i "s#$PWD/$ex/arpsweep-alerts.yml#$tmp/rules.yml#" "$tmp/test.yml"
	promtool test rules "$tmp/test.yml" >"$tmp/o" 2>&1 &&
	    pass rules-fire || fail rules-fire "promtool test rules:" "$tmp/o"
else
	echo "SKIP examples.rules: promtool not installed (tests/deps.sh test installs prometheus)"
fi

if command -v systemd-analyze >/dev/null; then
	# verify runs the binary's path and man page checks: point them here.
	mkdir -p "$tmp/man/man8"
	cp doc/arpsweep.8 "$tmp/man/man8/"
	sed "s#/usr/sbin/arpsweep#$bin#" "$ex/arpsweep-textfile.service" >"$tmp/arpsweep-textfile.service"
	cp "$ex/arpsweep-textfile.timer" "$tmp/"
	MANPATH=$tmp/man systemd-analyze verify "$tmp/arpsweep-textfile.service" \
	    "$tmp/arpsweep-textfile.timer" >"$tmp/o" 2>&1
	st=$?
	[ $st = 0 ] && [ ! -s "$tmp/o" ] && pass units-verify ||
	    fail units-verify "systemd-analyze verify: status $st" "$tmp/o"
	grep -q -- "--format prom -o /var/lib/prometheus/node-exporter/arpsweep.prom" \
	    "$ex/arpsweep-textfile.service" && pass unit-writes-textfile ||
	    fail unit-writes-textfile "the service does not write the textfile with -o"
else
	echo "SKIP examples.units: systemd-analyze not installed (package systemd)"
fi
exit 0
