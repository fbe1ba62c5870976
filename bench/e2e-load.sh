#!/usr/bin/env bash
# Starts atmwatchd on free loopback ports with a fresh data directory, runs
# atmwatch-load against it with the given settings, prints the driver's
# figures plus the daemon's CPU time and peak RSS, and stops the daemon.
# With 4 CPUs or more the driver is pinned to the last one and the daemon
# to the others, so neither takes the other's CPU; with fewer the daemon
# needs them all and nothing is pinned. The first line says which.
#
#   bench/e2e-load.sh ATMWATCHD ATMWATCH_LOAD [driver flags...]
#   bench/e2e-load.sh --smoke ATMWATCHD ATMWATCH_LOAD     (a 2-second run, for CI)
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
daemon_bin=$1 load_bin=$2
shift 2

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/atmwatch-bench-XXXXXX)
# shellcheck source=bench/daemon.sh
source "$here/daemon.sh"
cleanup() {
  stop_daemon TERM
  rm -rf "$work"
}
trap cleanup EXIT

load=("$load_bin")
cpus=$(nproc)
if [ "$cpus" -ge 4 ]; then
  # exec keeps the pid, so the daemon's /proc figures below are its own.
  printf '#!/bin/sh\nexec taskset -c 0-%d "%s" "$@"\n' $((cpus - 2)) "$daemon_bin" >"$work/atmwatchd"
  chmod +x "$work/atmwatchd"
  daemon_bin="$work/atmwatchd"
  load=(taskset -c $((cpus - 1)) "$load_bin")
  echo "pinning: daemon on CPUs 0-$((cpus - 2)), driver on CPU $((cpus - 1))"
else
  echo "pinning: none ($cpus CPUs: the daemon needs them all)"
fi

# The driver's ATM ids are not in an inventory; let the daemon take them all.
printf 'ingest: {max_unknown_atms: 1000000}\n' >"$work/atmwatch.yaml"
start_daemon "$work/atmwatch.yaml" "$work/data"

if [ "$smoke" = 1 ]; then set -- --seconds 2 --batch 100 --atms 100; fi
"${load[@]}" --ingest "127.0.0.1:$ingest_port" "$@"

ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$daemon/stat")
awk -v u="$utime" -v s="$stime" -v t="$ticks" 'BEGIN { printf "daemon_cpu_seconds=%.2f\n", (u + s) / t }'
awk '/VmHWM/ { printf "daemon_peak_rss_mb=%.1f\n", $2 / 1024 }' "/proc/$daemon/status"
curl -fs "http://127.0.0.1:$http_port/metrics" |
  awk '/^atmwatch_wal_fsync_duration_seconds_(sum|count)/ { v[$1]=$2 }
       END { if (v["atmwatch_wal_fsync_duration_seconds_count"] > 0)
               printf "fsyncs=%d mean_fsync_ms=%.2f\n", v["atmwatch_wal_fsync_duration_seconds_count"],
                      1000 * v["atmwatch_wal_fsync_duration_seconds_sum"] / v["atmwatch_wal_fsync_duration_seconds_count"] }'
