#!/usr/bin/env bash
# /metrics of a large fleet under ingest load. Starts atmwatchd with an
# inventory of --atms ATMs, lines 1..--bound-lines bound to ATMs 1..N, loads
# --days days of daily history for every ATM plus --lines MVNO lines
# (atmwatch-bench-events history, streamed with past event times, so the
# default ingest.max_event_age of 400d has to take them), then scrapes
# /metrics --scrapes times while atmwatch-load offers --rate events/s to the
# same ATMs, from a second before the first scrape until the last one is
# done. Prints scrape time p50/p99, body bytes, series, the daemon's RSS and
# what the load driver saw meanwhile.
#
#   bench/scrape-load.sh ATMWATCHD ATMWATCH_LOAD ATMWATCH_BENCH_EVENTS [flags]
#   bench/scrape-load.sh --smoke ...   (a small fleet, for CI)
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
daemon_bin=$1 load_bin=$2 events_bin=$3
shift 3
atms=15000 days=400 lines=200000 bound_lines=15000 scrapes=100 rate=100000
if [ "$smoke" = 1 ]; then
  atms=200 days=10 lines=2000 bound_lines=200 scrapes=5 rate=10000
fi
while [ $# -gt 0 ]; do
  case $1 in
    --atms) atms=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --bound-lines) bound_lines=$2; shift 2 ;;
    --scrapes) scrapes=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    *) echo "unknown flag $1"; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/atmwatch-scrape-XXXXXX)
# shellcheck source=bench/daemon.sh
source "$here/daemon.sh"
load=""
cleanup() {
  [ -n "$load" ] && kill "$load" 2>/dev/null || true
  stop_daemon TERM
  rm -rf "$work"
}
trap cleanup EXIT

# Only inventory ATMs: the load driver's ids are ATM00001..; no unknown ones.
{
  echo "ingest: {max_unknown_atms: 0}"
  echo "lines: {max_lines: $((lines > 500000 ? lines : 500000))}"
  "$events_bin" inventory --atms "$atms" --bound-lines "$bound_lines"
} >"$work/atmwatch.yaml"
"$events_bin" history --atms "$atms" --days "$days" --lines "$lines" \
  --frames "$work/history.frames" | sed 's/^/history: /'

start_daemon "$work/atmwatch.yaml" "$work/data"
"$load_bin" --ingest "127.0.0.1:$ingest_port" --frames "$work/history.frames" --window 64 |
  sed -n 's/^events_acked/history loaded: events_acked/p; s/^connections=.*seconds=/history load seconds=/p'
curl -fs "http://127.0.0.1:$http_port/metrics" >"$work/loaded.txt"
# A limit that refused part of the state shows up here.
awk '/^(atmwatch_ingest_events_rejected_total|atmwatch_mvno_line_events_ignored_total)/ && $2 > 0 {
       print "refused:", $0
     }' "$work/loaded.txt"
awk '/^atmwatch_mvno_lines\{/ { n += $2 } END { printf "mvno_lines_in_table=%d\n", n }' "$work/loaded.txt"
awk '/VmRSS/ { printf "daemon_rss_after_history_mb=%.0f\n", $2 / 1024 }' "/proc/$daemon/status"

"$load_bin" --ingest "127.0.0.1:$ingest_port" --rate "$rate" --atms "$atms" --batch 100 \
  --window 64 --seconds 86400 --source-prefix scrape-load >"$work/load.out" &
load=$!
sleep 1  # let the load reach its rate before the first scrape

: >"$work/scrapes"
for _ in $(seq "$scrapes"); do
  curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' \
    "http://127.0.0.1:$http_port/metrics" >>"$work/scrapes"
done
# SIGINT: the driver stops sending, collects the outstanding acks and reports.
kill -INT "$load"
wait "$load" || { cat "$work/load.out"; echo "atmwatch-load failed"; exit 1; }
load=""

sort -n "$work/scrapes" | awk -v n="$scrapes" '
  { t[NR] = $1; bytes = $2 }
  END {
    printf "scrapes=%d scrape_ms p50=%.1f p99=%.1f max=%.1f body_bytes=%d\n",
           n, 1000 * t[int((n - 1) * 0.5) + 1], 1000 * t[int((n - 1) * 0.99) + 1],
           1000 * t[n], bytes
  }'
# Counted on a scrape of its own: the timed ones go to /dev/null, as a
# scraper parses the body rather than writing it to a file.
curl -fs "http://127.0.0.1:$http_port/metrics" | awk '!/^#/ && NF { n++ } END { printf "series=%d\n", n }'
awk '/VmHWM|VmRSS/ { printf "daemon_%s_mb=%.0f\n", tolower(substr($1, 1, length($1) - 1)), $2 / 1024 }' \
  "/proc/$daemon/status"
sed 's/^/load: /' "$work/load.out"
