#!/usr/bin/env bash
# The seed scenario end to end: starts atmwatchd with the trust-networks
# inventory and no event-age limit on a fresh data directory, streams the
# FY2008-FY2009 history into it (`atmwatch sim --scenario trust-networks`),
# then asks it for the quarter report (`atmwatch report --quarters`). Prints
# the seconds of each step and of both, the report, the fiscal years, and
# the FY2010 plan report as of 2010-03-31 (the plan of
# deploy/atmwatch.example.yaml against the history).
#
#   bench/seed-scenario.sh ATMWATCHD ATMWATCH [CSV]
#       CSV defaults to the repository's data/trust-networks-quarters.csv.
set -euo pipefail

daemon_bin=$1 cli_bin=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
csv=${3:-$repo/data/trust-networks-quarters.csv}
work=$(mktemp -d /tmp/atmwatch-seed-XXXXXX)
source "$(dirname "$0")/daemon.sh"
trap 'stop_daemon; rm -rf "$work"' EXIT

(echo "ingest: {max_event_age: 0}"; "$cli_bin" sim --scenario trust-networks --csv "$csv" \
  --print-inventory; sed -n '/^plan:/,$p' "$repo/deploy/atmwatch.example.yaml") >"$work/seed.yaml"
start_daemon "$work/seed.yaml" "$work/data"

start=$(date +%s.%N)
"$cli_bin" sim --scenario trust-networks --csv "$csv" --config "$work/seed.yaml" \
  --ingest "127.0.0.1:$ingest_port" >"$work/sim.out" 2>&1 || { cat "$work/sim.out"; exit 1; }
ingested=$(date +%s.%N)
"$cli_bin" report --quarters --http "127.0.0.1:$http_port" >"$work/report.txt"
reported=$(date +%s.%N)

tail -n 1 "$work/sim.out"
awk -v s="$start" -v i="$ingested" -v r="$reported" 'BEGIN {
  printf "ingest_seconds=%.2f report_seconds=%.2f total_seconds=%.2f\n", i - s, r - i, r - s
}'
awk '/VmHWM/ { printf "daemon_vmhwm_mb=%.0f\n", $2 / 1024 }' "/proc/$daemon/status"
cat "$work/report.txt"
"$cli_bin" report --years --http "127.0.0.1:$http_port"
"$cli_bin" report --plan --as-of 2010-03-31 --http "127.0.0.1:$http_port"
