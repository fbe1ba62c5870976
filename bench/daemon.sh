# Sourced by the benchmark scripts: start atmwatchd on loopback and wait for
# it. Needs $work (the script's temp dir) and $daemon_bin.
#
#   start_daemon CONFIG DATA_DIR [INGEST_ADDR HTTP_ADDR]
#       Starts atmwatchd (port 0 = free ports by default) and sets $daemon
#       (pid), $ingest_port and $http_port from its "ready" line; the log
#       goes to $work/daemon.log (appended, so restarts keep the history).
#   stop_daemon [SIGNAL]
#       Sends SIGNAL (TERM) and waits for the process; after 60 s it is killed.

daemon=""
ingest_port=""
http_port=""

start_daemon() {
  local config=$1 data_dir=$2 ingest_addr=${3:-127.0.0.1:0} http_addr=${4:-127.0.0.1:0}
  local lines_before
  touch "$work/daemon.log"
  lines_before=$(wc -l <"$work/daemon.log")
  "$daemon_bin" --config "$config" --ingest-listen "$ingest_addr" --http-listen "$http_addr" \
    --data-dir "$data_dir" >>"$work/daemon.log" 2>&1 &
  daemon=$!
  wait_ready_line "$lines_before"
}

# Waits (at most 10 minutes: recovery of a big log takes a while) for a
# "ready" line after line $1 of the log.
wait_ready_line() {
  local skip=$1 ready=""
  for _ in $(seq 12000); do
    ready=$(tail -n "+$((skip + 1))" "$work/daemon.log" | grep -m1 ' ready: ingest on ' || true)
    [ -n "$ready" ] && break
    kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.log"; echo "atmwatchd exited"; return 1; }
    sleep 0.05
  done
  [ -n "$ready" ] || { echo "atmwatchd did not become ready"; tail "$work/daemon.log"; return 1; }
  ingest_port=$(sed -E 's/.*ingest on [0-9.]+:([0-9]+),.*/\1/' <<<"$ready")
  http_port=$(sed -E 's/.*\(port ([0-9]+)\).*/\1/' <<<"$ready")
}

stop_daemon() {
  local signal=${1:-TERM}
  [ -n "$daemon" ] || return 0
  kill "-$signal" "$daemon" 2>/dev/null || true
  for _ in $(seq 1200); do
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL "$daemon" 2>/dev/null && echo "atmwatchd did not stop in 60 s; killed"
  wait "$daemon" 2>/dev/null || true
  daemon=""
}

