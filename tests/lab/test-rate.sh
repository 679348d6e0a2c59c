#!/bin/bash
# Rate adaptation, live: a responder that can take only CAP requests a
# second (a token bucket, as a macvlan broadcast queue or a busy VM's virtio
# queue; above CAP it drops a growing share, 1 - CAP/rate) plays the hosts.
# --rate max must settle below CAP and still find every host; a fixed rate
# above CAP keeps its pace and warns on stderr; one below CAP measures no
# loss and says nothing. Asserts rate decisions and hosts, never timings.
# Prints ok/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${ARPSWEEP_BUILD:-build}
bin=$PWD/$B/arpsweep
export LAB_RESPONDER=$PWD/$B/tools/responder
LAB_TEST=rate
# shellcheck source=tests/lab/lab.sh
source tests/lab/lab.sh
lab_check || exit 0
out=$(mktemp -d)
trap 'lab_down; rm -rf "$out"' EXIT INT TERM

CAP=20000
NET=198.18.128.0/17		# 32768 targets: time for the pace to come down
NHOSTS=200			# 198.18.128.7 + k * 160
SMALL=198.18.128.0/20		# 26 of them, for the slow fixed rate
if ! { lab_up && lab_exec ip addr replace 198.18.0.1/16 dev "$LAB_IFACE" &&
    lab_responder capped -k host --capacity $CAP \
	"range:198.18.128.7:$NHOSTS:160=52:54:00:20:00:00"; } >"$out/lab.log" 2>&1; then
	echo "FAIL rate.lab: the lab did not come up:"
	sed 's/^/    /' "$out/lab.log"
	exit 0
fi

pass() { echo "ok rate.$1"; }
fail() { echo "FAIL rate.$1: $2"; [ -n "${3:-}" ] && sed 's/^/    /' "$3"; }
num() { grep -o "\"$2\": [0-9.]*" "$1" | head -n 1 | awk '{ print $2 }'; }
hosts() { grep -Ec '^    \{"ip": "198\.18\.(1[2-9][0-9]|2[0-9][0-9])\.' "$1"; }
sweep() { lab_exec "$bin" -q --format json "$@"; }

# 1. --rate max: the pace comes down below what the receiver takes, and the
# retries, at the pace that was loss-free, find everyone pass 0 lost.
sweep --rate max "$NET" >"$out/max.json" 2>"$out/max.err"
st=$?
rate=$(num "$out/max.json" rate_per_second); lost=$(num "$out/max.json" canaries_lost)
echo "    --rate max against a $CAP/s receiver: settled at ${rate:-?}/s, loss $(num "$out/max.json" loss_ratio)" \
    "($lost of $(num "$out/max.json" canaries) canaries), sent $(num "$out/max.json" requests_sent)," \
    "$(hosts "$out/max.json")/$NHOSTS hosts"
[ $st = 0 ] && pass max-exit || fail max-exit "status $st" "$out/max.err"
n=$(hosts "$out/max.json")
[ "$n" = $NHOSTS ] && pass max-every-host || fail max-every-host "$n of $NHOSTS hosts" "$out/max.err"
[ -n "$rate" ] && awk -v r="$rate" -v c=$CAP 'BEGIN { exit !(r > 0 && r < c) }' &&
    pass max-settles-below || fail max-settles-below "settled at ${rate:-?}/s, capacity $CAP/s"
grep -q '"rate_max": true' "$out/max.json" && [ "$(num "$out/max.json" canaries)" -gt 0 ] &&
    pass max-canaries || fail max-canaries "no canary resolved" "$out/max.json"

# 2. A fixed rate above the receiver's: kept, the loss reported, a warning.
sweep --rate 100000 "$NET" >"$out/fast.json" 2>"$out/fast.err"
rate=$(num "$out/fast.json" rate_per_second); loss=$(num "$out/fast.json" loss_ratio)
echo "    --rate 100000: rate ${rate:-?}/s, loss ${loss:-?}, $(hosts "$out/fast.json")/$NHOSTS hosts"
awk -v r="${rate:-0}" -v c=$CAP 'BEGIN { exit !(r > c) }' && pass fixed-keeps-rate ||
    fail fixed-keeps-rate "rate ${rate:-?}/s, expected above $CAP" "$out/fast.json"
awk -v l="${loss:-0}" 'BEGIN { exit !(l > 0.2) }' && pass fixed-loss-measured ||
    fail fixed-loss-measured "loss ${loss:-?}" "$out/fast.json"
if [ "$(wc -l <"$out/fast.err")" = 1 ] &&
    grep -q '^arpsweep: warning: [0-9]* of [0-9]* canary requests .* went unanswered, some in every pass (the last at 100000 requests/s): about [0-9]* hosts\{0,1\} may have been missed' "$out/fast.err"; then
	pass fixed-warns
else
	fail fixed-warns "expected one warning line on stderr" "$out/fast.err"
fi

# 3. A fixed rate the receiver takes: every host, no warning, and at most
# a stray lost canary (one answered after the timeout: under a sanitizer
# on a loaded machine the receiver can fall that far behind).
sweep --rate 10000 "$SMALL" >"$out/slow.json" 2>"$out/slow.err"
n=$(hosts "$out/slow.json")
lost=$(num "$out/slow.json" canaries_lost); asked=$(num "$out/slow.json" canaries)
[ "$n" = 26 ] && [ -n "$lost" ] && [ "$lost" -le $((1 + ${asked:-0} / 10)) ] && [ ! -s "$out/slow.err" ] &&
    pass fixed-below-quiet || fail fixed-below-quiet "$n of 26 hosts, $lost of ${asked:-?} canaries lost" "$out/slow.err"
lab_responder_stop capped | sed 's/^/    /'
exit 0
