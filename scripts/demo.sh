#!/usr/bin/env bash
# Installs, builds and runs atmwatchd with a simulated fleet streaming into it.
# Metrics: http://127.0.0.1:9742/metrics. Ctrl-C stops both.
#   ATMS=20 RATE=50 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

atms=${ATMS:-20}
rate=${RATE:-50}

scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target atmwatchd atmwatch

demo=$(mktemp -d /tmp/atmwatch-demo-XXXXXX)
build/collectors/cli/atmwatch sim --atms "$atms" --print-inventory >"$demo/atmwatch.yaml"
build/daemon/atmwatchd --config "$demo/atmwatch.yaml" --data-dir "$demo/data" &
daemon=$!
stop() {
  kill -TERM "$daemon" 2>/dev/null && wait "$daemon" || true
  echo "demo stopped; its config and data are in $demo"
}
trap stop EXIT
trap 'exit 0' INT TERM

for _ in $(seq 100); do
  curl -fs http://127.0.0.1:9742/readyz >/dev/null && break
  kill -0 "$daemon" 2>/dev/null || exit 1
  sleep 0.1
done
echo "atmwatchd is up: curl -s http://127.0.0.1:9742/metrics | grep atmwatch_"
build/collectors/cli/atmwatch sim --scenario live --atms "$atms" --rate "$rate"
