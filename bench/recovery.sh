#!/usr/bin/env bash
# Time to ready after a restart, two ways:
#   1. crash: --events events in the write-ahead log after the last snapshot
#      (the snapshot interval and record count are set out of reach), then
#      SIGKILL; the restart replays the whole log.
#   2. clean: SIGTERM, which writes a snapshot; the restart loads it and
#      replays nothing.
# Each restart is timed from exec until /readyz answers 200, polled every
# 20 ms, next to the daemon's own "recovered ... in X s" line. The
# transaction counters after each restart must add up to what was acked.
#
#   bench/recovery.sh ATMWATCHD ATMWATCH_LOAD [--events N]
#   bench/recovery.sh --smoke ATMWATCHD ATMWATCH_LOAD   (200,000 events, for CI)
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
daemon_bin=$1 load_bin=$2
shift 2
events=10000000
[ "$smoke" = 1 ] && events=200000
while [ $# -gt 0 ]; do
  case $1 in
    --events) events=$2; shift 2 ;;
    *) echo "unknown flag $1"; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/atmwatch-recovery-XXXXXX)
# shellcheck source=bench/daemon.sh
source "$here/daemon.sh"
cleanup() {
  stop_daemon TERM
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/atmwatch.yaml" <<'EOF'
ingest: {max_unknown_atms: 1000000}
wal: {snapshot_interval: 24h, snapshot_every_records: 1000000000}
EOF

transactions_total() {
  curl -fs "http://127.0.0.1:$http_port/metrics" |
    awk '/^atmwatch_atm_transactions_total\{/ { n += $2 } END { printf "%.0f\n", n }'
}

# Restarts on the same ports and prints the figures of the recovery.
restart_and_time() {  # LABEL
  local start end code="" lines_before
  lines_before=$(wc -l <"$work/daemon.log")
  start=$(date +%s%N)
  "$daemon_bin" --config "$work/atmwatch.yaml" --ingest-listen "127.0.0.1:$ingest_port" \
    --http-listen "127.0.0.1:$http_port" --data-dir "$work/data" >>"$work/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 30000); do  # 10 minutes at most
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/readyz" || true)
    [ "$code" = 200 ] && break
    kill -0 "$daemon" 2>/dev/null || { tail "$work/daemon.log"; echo "atmwatchd exited"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  [ "$code" = 200 ] || { echo "$1: /readyz never answered 200"; exit 1; }
  wait_ready_line "$lines_before"
  awk -v s="$start" -v e="$end" -v l="$1" 'BEGIN { printf "%s: ready_after_s=%.3f\n", l, (e - s) / 1e9 }'
  tail -n "+$((lines_before + 1))" "$work/daemon.log" | grep -m1 'recovered ' | sed "s/^/$1: log: /"
  awk '/VmHWM/ { printf "'"$1"': daemon_peak_rss_mb=%.0f\n", $2 / 1024 }' "/proc/$daemon/status"
  local counted
  counted=$(transactions_total)
  [ "$counted" = "$acked" ] || { echo "$1: $counted transactions counted, $acked acked"; exit 1; }
  echo "$1: transactions_after_restart=$counted (all acked events)"
}

start_daemon "$work/atmwatch.yaml" "$work/data"
"$load_bin" --ingest "127.0.0.1:$ingest_port" --max-events "$events" --batch 1000 --window 64 \
  --connections 2 --seconds 3600 --atms 10000 >"$work/load.out"
acked=$(sed -nE 's/^events_acked=([0-9]+) .*/\1/p' "$work/load.out")
sed -n 's/^events_acked/fill: events_acked/p' "$work/load.out"
echo "fill: wal_bytes=$(du -sb "$work/data/wal" | cut -f1)" \
  "snapshots=$(find "$work/data/snapshots" -type f 2>/dev/null | wc -l)"

stop_daemon KILL
restart_and_time crash

start=$(date +%s%N)
stop_daemon TERM
awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "clean: shutdown_with_snapshot_s=%.3f\n", (e - s) / 1e9 }'
grep 'snapshot at record' "$work/daemon.log" | tail -n1 | sed 's/^/clean: log: /'
restart_and_time clean
