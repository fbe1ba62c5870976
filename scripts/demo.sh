#!/usr/bin/env bash
# Installs, builds and runs the whole job on loopback: atmwatchd, a simulated
# fleet with 28 days of history, a cost model calibrated on the reference
# network and six ATMs misbehaving on purpose (`atmwatch sim --scenario
# demo`), and Prometheus and Alertmanager with deploy/'s config and rules.
# Ctrl-C stops everything it started and says where the data is.
#
#   scripts/demo.sh [--no-stack] [--no-build]
#     --no-stack   atmwatchd and the simulator only, no Prometheus or Alertmanager
#     --no-build   use the binaries already in $BUILD_DIR (no setup, no build)
#
# Environment: ATMS (20, at least 8), INGEST_PORT (7420), HTTP_PORT (9742),
# PROMETHEUS_PORT (9090), ALERTMANAGER_PORT (9093), DATA_DIR (an empty
# directory; default a new /tmp/atmwatch-demo-XXXXXX), BUILD_DIR (build).
set -euo pipefail
cd "$(dirname "$0")/.."

stack=1
build=1
for arg in "$@"; do
  case $arg in
    --no-stack) stack=0 ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "demo: unknown option '$arg' (--no-stack, --no-build, --help)" >&2; exit 2 ;;
  esac
done

atms=${ATMS:-20}
ingest_port=${INGEST_PORT:-7420}
http_port=${HTTP_PORT:-9742}
prometheus_port=${PROMETHEUS_PORT:-9090}
alertmanager_port=${ALERTMANAGER_PORT:-9093}
build_dir=${BUILD_DIR:-build}

if ((build)); then
  scripts/setup-debian.sh
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" --target atmwatchd atmwatch
fi
atmwatchd=$build_dir/daemon/atmwatchd
atmwatch=$build_dir/cli/atmwatch
for binary in "$atmwatchd" "$atmwatch"; do
  [ -x "$binary" ] || { echo "demo: $binary is missing; run without --no-build" >&2; exit 1; }
done
if ((stack)); then
  for tool in prometheus prometheus-alertmanager; do
    command -v "$tool" >/dev/null || {
      echo "demo: $tool is not installed: scripts/setup-debian.sh installs it, or run with --no-stack" >&2
      exit 1
    }
  done
fi

# A port someone already listens on: say whose variable moves it.
port_free() {
  local name=$1 variable=$2 port=$3 hint=${4:-}
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: port $port ($name) is taken on 127.0.0.1.${hint:+ $hint}" >&2
    echo "demo: pick another: $variable=<port> scripts/demo.sh" >&2
    exit 1
  fi
}
port_free "atmwatchd ingest" INGEST_PORT "$ingest_port"
port_free "atmwatchd HTTP" HTTP_PORT "$http_port"
if ((stack)); then
  # On a Debian host the packages' own services hold the default ports.
  hint() { [ "$1" = "$2" ] && echo "Is Debian's $3 service running (systemctl stop $3)?"; }
  port_free Prometheus PROMETHEUS_PORT "$prometheus_port" \
    "$(hint "$prometheus_port" 9090 prometheus)"
  port_free Alertmanager ALERTMANAGER_PORT "$alertmanager_port" \
    "$(hint "$alertmanager_port" 9093 prometheus-alertmanager)"
fi

demo=${DATA_DIR:-$(mktemp -d /tmp/atmwatch-demo-XXXXXX)}
mkdir -p "$demo"
if [ -n "$(ls -A "$demo")" ]; then
  echo "demo: $demo is not empty; give DATA_DIR an empty (or new) directory" >&2
  exit 1
fi
demo=$(cd "$demo" && pwd)

# Everything started is stopped on the way out, last started first.
pids=()
stop() {
  local pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "demo: stopped; config, data and logs are in $demo (atmwatchd's data: $demo/data)"
}
trap stop EXIT
trap 'exit 0' INT TERM

# Waits (bounded) until URL answers, while the process `pid` runs.
wait_ready() {
  local url=$1 pid=$2 name=$3 log=$4
  for _ in $(seq 300); do
    curl -fs -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "demo: $name exited; its log:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "demo: $name not ready after 30 s; its log is $log" >&2
  exit 1
}

"$atmwatch" sim --scenario demo --atms "$atms" --print-inventory >"$demo/atmwatch.yaml"
"$atmwatchd" --config "$demo/atmwatch.yaml" --data-dir "$demo/data" \
  --ingest-listen "127.0.0.1:$ingest_port" --http-listen "127.0.0.1:$http_port" \
  >"$demo/atmwatchd.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$http_port/readyz" "${pids[-1]}" atmwatchd "$demo/atmwatchd.log"

if ((stack)); then
  # deploy/'s Prometheus config and rules, with only what a demo cannot wait
  # for shortened: every `for:` (minutes to days) becomes 1m, scrapes and
  # evaluations run every 5s; only atmwatchd is scraped (the demo runs no
  # collectors), at the demo's ports.
  mkdir -p "$demo/prometheus/rules" "$demo/alertmanager"
  for rules in deploy/prometheus/rules/*.yml; do
    sed -E 's/^( +for: )[0-9]+[mhd]$/\11m/' "$rules" >"$demo/prometheus/rules/$(basename "$rules")"
  done
  sed -E -e 's/^(  (scrape|evaluation)_interval: )15s$/\15s/' -e 's/^(  scrape_timeout: )10s$/\15s/' \
    -e "s/127\\.0\\.0\\.1:9093/127.0.0.1:$alertmanager_port/" \
    -e "s/127\\.0\\.0\\.1:9742/127.0.0.1:$http_port/" deploy/prometheus/prometheus.yml |
    awk '/^scrape_configs:/ { jobs = 1; print; next }
         jobs && /^ *#/ { next }
         jobs && /^  - job_name:/ { keep = $3 == "atmwatchd" }
         !jobs || keep' >"$demo/prometheus/prometheus.yml"

  prometheus --config.file="$demo/prometheus/prometheus.yml" \
    --storage.tsdb.path="$demo/prometheus/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$demo/prometheus/prometheus.log" 2>&1 &
  pids+=($!)
  prometheus_pid=$!
  prometheus-alertmanager --config.file="$PWD/deploy/alertmanager/alertmanager.yml" \
    --storage.path="$demo/alertmanager/data" --cluster.listen-address= \
    --web.listen-address="127.0.0.1:$alertmanager_port" >"$demo/alertmanager/alertmanager.log" 2>&1 &
  pids+=($!)
  alertmanager_pid=$!
fi

# The simulator names the misbehaving ATMs, sends the history, then
# streams; its log is shown as it grows.
: >"$demo/sim.log"
tail -n +1 -f "$demo/sim.log" &
pids+=($!)
"$atmwatch" sim --scenario demo --atms "$atms" --ingest "127.0.0.1:$ingest_port" 2>"$demo/sim.log" &
pids+=($!)
sim=$!
for _ in $(seq 1200); do
  grep -q 'live now' "$demo/sim.log" && break
  kill -0 "$sim" 2>/dev/null || { sleep 0.5; echo "demo: the simulator exited" >&2; exit 1; }
  sleep 0.1
done

echo
echo "demo: open"
if ((stack)); then
  wait_ready "http://127.0.0.1:$prometheus_port/-/ready" "$prometheus_pid" Prometheus \
    "$demo/prometheus/prometheus.log"
  wait_ready "http://127.0.0.1:$alertmanager_port/-/ready" "$alertmanager_pid" Alertmanager \
    "$demo/alertmanager/alertmanager.log"
  echo "  http://127.0.0.1:$prometheus_port/alerts   Prometheus: the alerts named above fire within 5 minutes"
  echo "  http://127.0.0.1:$alertmanager_port          Alertmanager: AtmSilent holds back AtmLowUsage of its ATM"
fi
echo "  http://127.0.0.1:$http_port/metrics  atmwatchd; the breakeven figures:"
echo "    curl -s http://127.0.0.1:$http_port/metrics | grep -E '^atmwatch_(breakeven|operating_income|plan|forecast)'"
if ((stack)); then
  echo "demo: shortened for the demo (deploy/ keeps its values): every alert's 'for:' is 1m"
  echo "  (AtmSilent waits 1h there, AtmLowUsage 30m); scrapes and rule evaluations every 5s (15s);"
  echo "  only atmwatchd is scraped (the demo runs no collectors)"
fi
echo "demo: Ctrl-C stops everything; config, data and logs are in $demo"
set +e
wait "$sim"
status=$?
set -e
echo "demo: the simulator stopped (exit $status)" >&2
exit "$status"
