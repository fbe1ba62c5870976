#!/usr/bin/env bash
# atmwatchd against mtail on one event set: N mixed ATM transactions, written
# once as delimited Batch frames (batches of 1000, one source, seq 1..) and
# once as a CSV log. mtail counts the log in one shot with
# bench/compare-mtail/atm.mtail (and again with the variant that also sets
# each sample's time from the event); atmwatchd, with fsync and a fresh data
# directory, takes the frames from atmwatch-load --frames over loopback.
# Both must end with the same counts: per type/result, commission, and a few
# ATMs on their own. Prints wall time and events/s of each, and the ratio.
#
#   bench/compare-mtail.sh ATMWATCHD ATMWATCH_LOAD ATMWATCH_BENCH_EVENTS [--events N] [--atms N]
#   bench/compare-mtail.sh --smoke ...   (20,000 events, for CI)
#
# Exits 77 (skipped) when mtail is not installed.
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
daemon_bin=$1 load_bin=$2 events_bin=$3
shift 3
events=5000000 atms=10000
[ "$smoke" = 1 ] && events=20000 atms=1000
while [ $# -gt 0 ]; do
  case $1 in
    --events) events=$2; shift 2 ;;
    --atms) atms=$2; shift 2 ;;
    *) echo "unknown flag $1"; exit 2 ;;
  esac
done

mtail_bin=$(command -v mtail || true)
if [ -z "$mtail_bin" ]; then
  echo "compare-mtail: skipped: mtail is not installed (Debian: apt-get install mtail)"
  exit 77
fi

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/atmwatch-compare-XXXXXX)
# shellcheck source=bench/daemon.sh
source "$here/daemon.sh"
cleanup() {
  stop_daemon TERM
  rm -rf "$work"
}
trap cleanup EXIT

now_s() { date +%s.%N; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# First, middle and last ATM, and two in between, on their own in the tally.
spots="$(printf 'ATM%05d,ATM%05d,ATM%05d,ATM%05d,ATM%05d' 1 $((atms / 3)) $((atms / 2)) \
  $((atms * 7 / 9)) "$atms")"
"$events_bin" transactions --events "$events" --atms "$atms" --batch 1000 \
  --frames "$work/events.frames" --csv "$work/events.csv" --expected "$work/expected.tally" \
  --spot "$spots" >/dev/null
# Both sides read their input from the page cache, not the disk.
cat "$work/events.frames" "$work/events.csv" >/dev/null

run_mtail() {  # PROGS_DIR NAME: sets mtail_seconds
  local start
  start=$(now_s)
  # Even in one-shot mode mtail opens its HTTP listener: a free loopback port.
  "$mtail_bin" --one_shot --logs "$work/events.csv" --progs "$1" --logtostderr \
    --address 127.0.0.1 --port 0 \
    >"$work/$2.json" 2>"$work/$2.log" || { cat "$work/$2.log"; exit 1; }
  mtail_seconds=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
  "$events_bin" tally --mtail-json "$work/$2.json" --spot "$spots" >"$work/$2.tally"
}
run_mtail "$here/compare-mtail" mtail
mtail_counts_seconds=$mtail_seconds
run_mtail "$here/compare-mtail/timestamped" mtail-timestamped
mtail_timestamped_seconds=$mtail_seconds

# Ids beyond the inventory are the point here: let the daemon take them all.
printf 'ingest: {max_unknown_atms: 1000000}\nwal: {fsync: true}\n' >"$work/atmwatch.yaml"
start_daemon "$work/atmwatch.yaml" "$work/data"
"$load_bin" --ingest "127.0.0.1:$ingest_port" --frames "$work/events.frames" --window 64 \
  >"$work/load.out"
daemon_seconds=$(sed -nE 's/.* seconds=([0-9.]+)$/\1/p' "$work/load.out")
grep -q ' rejected=0 ' "$work/load.out" || { cat "$work/load.out"; echo "events were rejected"; exit 1; }
curl -fs "http://127.0.0.1:$http_port/metrics" >"$work/metrics.txt"
"$events_bin" tally --metrics "$work/metrics.txt" --spot "$spots" >"$work/atmwatchd.tally"

same=1
for side in mtail mtail-timestamped atmwatchd; do
  if ! diff -u "$work/expected.tally" "$work/$side.tally" >"$work/$side.diff"; then
    echo "compare-mtail: $side does not end with the generated counts:"
    cat "$work/$side.diff"
    same=0
  fi
done

echo "events=$events atms=$atms counts_match=$([ "$same" = 1 ] && echo yes || echo no)"
echo "mtail seconds=$mtail_counts_seconds events_per_second=$(per_second "$events" "$mtail_counts_seconds")"
echo "mtail_timestamped seconds=$mtail_timestamped_seconds events_per_second=$(per_second "$events" "$mtail_timestamped_seconds")"
echo "atmwatchd seconds=$daemon_seconds events_per_second=$(per_second "$events" "$daemon_seconds")" \
  "(fsync, loopback TCP, window 64)"
awk -v d="$daemon_seconds" -v m="$mtail_counts_seconds" -v t="$mtail_timestamped_seconds" \
  'BEGIN { printf "atmwatchd_vs_mtail=%.2fx atmwatchd_vs_mtail_timestamped=%.2fx\n", m / d, t / d }'
sed -n 's/^transactions_all /transactions_all=/p; s/^commission_yen /commission_yen=/p' \
  "$work/expected.tally"
[ "$same" = 1 ]
