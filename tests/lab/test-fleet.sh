#!/bin/bash
# The fleet path with the real parts: a lab sweep writes node_exporter's
# textfile with --format prom -o, Debian's prometheus-node-exporter serves
# it, Debian's prometheus scrapes it with doc/examples/arpsweep-alerts.yml,
# and the query API must say arpsweep_findings{kind="twin"} is 1 and that
# ArpsweepTwin fires (and ArpsweepSpoofing does not). Both daemons run in
# the lab's scanner namespace, on its loopback, on ports free there, each
# with its own temporary data, stopped by the trap. Waits are bounded
# (FLEET_WAIT seconds); nothing asserts on how long anything took.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
rules=$PWD/doc/examples/arpsweep-alerts.yml
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=fleet
WAIT=${FLEET_WAIT:-60}
for c in prometheus prometheus-node-exporter curl; do
	if ! command -v "$c" >/dev/null; then
		echo "SKIP fleet: $c is not installed (tests/deps.sh test installs prometheus, prometheus-node-exporter and curl)"
		exit 0
	fi
done
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
dir=$(mktemp -d)
pids=""
cleanup() {
	local p
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	lab_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
pass() { echo "ok fleet.$1"; }
fail() { echo "FAIL fleet.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }

if ! lab_standard >"$dir/lab.log" 2>&1; then
	fail lab "the standard lab did not come up" "$dir/lab.log"
	exit 0
fi

# A TCP port nothing listens on in the scanner namespace.
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		lab_exec ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}
# URL: the body, from inside the namespace.
get() { lab_exec curl -sf --max-time 5 "$@"; }
# QUERY: the instant query's JSON.
query() { get -G --data-urlencode "query=$1" "http://127.0.0.1:$pp/api/v1/query"; }
# QUERY VALUE: wait up to $WAIT s until QUERY has one sample equal to VALUE.
wait_value() {
	local end=$((SECONDS + WAIT))
	while [ $SECONDS -le $end ]; do
		query "$1" >"$dir/q" 2>/dev/null &&
		    grep -q "\"value\":\[[0-9.e+]*,\"$2\"\]" "$dir/q" && return 0
		sleep 0.5
	done
	return 1
}

# 1. The sweep writes the textfile, atomically, with the twin in it.
mkdir "$dir/textfile" "$dir/prom-data"
lab_exec "$bin" -q --format prom -o "$dir/textfile/arpsweep.prom" >"$dir/sweep.out" 2>"$dir/sweep.err"
st=$?
[ $st = 0 ] && [ ! -s "$dir/sweep.out" ] && pass sweep || fail sweep "status $st" "$dir/sweep.err"
grep -q '^arpsweep_findings{kind="twin"} 1$' "$dir/textfile/arpsweep.prom" && pass textfile-twin ||
    fail textfile-twin "no twin in the textfile" "$dir/textfile/arpsweep.prom"
grep -q '^arpsweep_sweep_info{source="live",interface="virbr0"} 1$' "$dir/textfile/arpsweep.prom" &&
    pass textfile-live || fail textfile-live "no live sweep info" "$dir/textfile/arpsweep.prom"
if command -v promtool >/dev/null; then
	promtool check metrics <"$dir/textfile/arpsweep.prom" >"$dir/lint" 2>&1 && pass textfile-promtool ||
	    fail textfile-promtool "promtool check metrics:" "$dir/lint"
fi

# 1b. A sweep interrupted by SIGTERM puts its partial report in place,
# marked partial (in a directory of its own: node_exporter must not serve
# two files with one metric). A /16 at the default rate sends for ~40 s.
mkdir "$dir/partial"
echo 'arpsweep_previous 1' >"$dir/partial/a.prom"
# exec: $! must be arpsweep itself, not a subshell around it.
(exec ip netns exec "$LAB_SCAN" "$bin" -q --format prom -o "$dir/partial/a.prom" \
    198.18.0.0/16) >/dev/null 2>"$dir/partial.err" &
spid=$!
end=$((SECONDS + WAIT))
until [ -n "$(find "$dir/partial" -name '.a.prom.*' -print)" ] || [ $SECONDS -gt $end ]; do
	sleep 0.1
done
sleep 1
kill -TERM "$spid"
wait "$spid"
st=$?
[ $st = 0 ] && grep -q '^arpsweep_sweep_partial 1$' "$dir/partial/a.prom" && pass interrupted-partial-committed ||
    fail interrupted-partial-committed "status $st, or no partial report in place" "$dir/partial.err"
[ "$(ls -A "$dir/partial")" = a.prom ] && pass interrupted-no-temporary ||
    fail interrupted-no-temporary "left: $(ls -A "$dir/partial" | tr '\n' ' ')"

# 2. node_exporter with the textfile collector only.
np=$(free_port) || { fail ports "no free port"; exit 0; }
lab_exec prometheus-node-exporter --web.listen-address="127.0.0.1:$np" \
    --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$dir/textfile" >"$dir/node.log" 2>&1 &
pids="$pids $!"
end=$((SECONDS + WAIT))
until get "http://127.0.0.1:$np/metrics" >"$dir/node.metrics" 2>/dev/null; do
	[ $SECONDS -le $end ] && kill -0 "${pids##* }" 2>/dev/null || break
	sleep 0.2
done
grep -q '^arpsweep_findings{kind="twin"} 1$' "$dir/node.metrics" && pass node-exporter-serves ||
    fail node-exporter-serves "node_exporter does not serve the twin" "$dir/node.log"
grep -q '^node_textfile_scrape_error 0$' "$dir/node.metrics" && pass node-exporter-parses ||
    fail node-exporter-parses "node_textfile_scrape_error is not 0" "$dir/node.metrics"

# 3. Prometheus scraping it every second, with the shipped rules.
pp=$(free_port) || { fail ports "no free port"; exit 0; }
while [ "$pp" = "$np" ]; do pp=$(free_port); done
cat >"$dir/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$np']
EOC
lab_exec prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prom-data" \
    --web.listen-address="127.0.0.1:$pp" >"$dir/prom.log" 2>&1 &
pids="$pids $!"
if wait_value 'arpsweep_findings{kind="twin"}' 1; then pass prometheus-twin
else fail prometheus-twin "arpsweep_findings{kind=\"twin\"} not 1 within $WAIT s" "$dir/q"; sed 's/^/    /' "$dir/prom.log" | tail -5; fi
if wait_value 'ALERTS{alertname="ArpsweepTwin",alertstate="firing"}' 1; then pass alert-twin-fires
else fail alert-twin-fires "ArpsweepTwin not firing within $WAIT s" "$dir/q"; fi
get "http://127.0.0.1:$pp/api/v1/alerts" >"$dir/alerts" 2>/dev/null
grep -q '"alertname":"ArpsweepTwin"' "$dir/alerts" && pass alerts-api-twin ||
    fail alerts-api-twin "/api/v1/alerts does not list ArpsweepTwin" "$dir/alerts"
# The lab plants no spoofing: its alert must stay silent (the rules are
# evaluated by now: ArpsweepTwin fired).
grep -q '"alertname":"ArpsweepSpoofing"' "$dir/alerts" &&
    fail alert-spoofing-silent "ArpsweepSpoofing fired on a lab without spoofing" "$dir/alerts" ||
    pass alert-spoofing-silent
# ...and the planted ip-conflict fires too.
if wait_value 'ALERTS{alertname="ArpsweepIpConflict",alertstate="firing"}' 1; then pass alert-ip-conflict-fires
else fail alert-ip-conflict-fires "ArpsweepIpConflict not firing within $WAIT s" "$dir/q"; fi
exit 0
