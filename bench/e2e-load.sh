#!/usr/bin/env bash
# Starts atmwatchd on free loopback ports with a fresh data directory, runs
# atmwatch-load against it with the given settings, prints the driver's
# figures plus the daemon's CPU time and peak RSS, and stops the daemon.
#
#   bench/e2e-load.sh ATMWATCHD ATMWATCH_LOAD [driver flags...]
#   bench/e2e-load.sh --smoke ATMWATCHD ATMWATCH_LOAD     (a 2-second run, for CI)
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
daemon_bin=$1 load_bin=$2
shift 2

work=$(mktemp -d /tmp/atmwatch-bench-XXXXXX)
# The driver's ATM ids are not in an inventory; let the daemon take them all.
printf 'ingest: {max_unknown_atms: 1000000}\n' >"$work/atmwatch.yaml"
# Port 0: the daemon picks free ports and names them in its "ready" line.
"$daemon_bin" --config "$work/atmwatch.yaml" --ingest-listen 127.0.0.1:0 \
  --http-listen 127.0.0.1:0 --data-dir "$work/data" >"$work/daemon.log" 2>&1 &
daemon=$!
cleanup() {
  kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ingest_port="" http_port=""
for _ in $(seq 200); do
  ready=$(grep -m1 ' ready: ingest on ' "$work/daemon.log" || true)
  if [ -n "$ready" ]; then
    ingest_port=$(sed -E 's/.*ingest on [0-9.]+:([0-9]+),.*/\1/' <<<"$ready")
    http_port=$(sed -E 's/.*\(port ([0-9]+)\).*/\1/' <<<"$ready")
    break
  fi
  kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.log"; exit 1; }
  sleep 0.05
done
[ -n "$ingest_port" ] || { echo "atmwatchd did not become ready"; cat "$work/daemon.log"; exit 1; }

if [ "$smoke" = 1 ]; then set -- --seconds 2 --batch 100 --atms 100; fi
"$load_bin" --ingest "127.0.0.1:$ingest_port" "$@"

ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$daemon/stat")
awk -v u="$utime" -v s="$stime" -v t="$ticks" 'BEGIN { printf "daemon_cpu_seconds=%.2f\n", (u + s) / t }'
awk '/VmHWM/ { printf "daemon_peak_rss_mb=%.1f\n", $2 / 1024 }' "/proc/$daemon/status"
curl -fs "http://127.0.0.1:$http_port/metrics" |
  awk '/^atmwatch_wal_fsync_duration_seconds_(sum|count)/ { v[$1]=$2 }
       END { if (v["atmwatch_wal_fsync_duration_seconds_count"] > 0)
               printf "fsyncs=%d mean_fsync_ms=%.2f\n", v["atmwatch_wal_fsync_duration_seconds_count"],
                      1000 * v["atmwatch_wal_fsync_duration_seconds_sum"] / v["atmwatch_wal_fsync_duration_seconds_count"] }'
