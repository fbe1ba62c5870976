#!/usr/bin/env bash
# JetStream ingest throughput: fills a stream on a local nats-server with
# BATCHES batches of EVENTS transactions (over 10,000 ATM ids), then starts
# atmwatchd with a consumer on it and times how long the daemon takes to
# apply and ack them all (durable acks: wal.fsync on). The publishing is not
# timed; the daemon drains a full stream as fast as it can. REPLICAS 1 (the
# default) runs one nats-server; more runs a cluster of that many (at least
# 3) on loopback with the stream replicated REPLICAS times, so that every
# ack is agreed by a majority of the servers.
#
#   bench/jetstream-drain.sh ATMWATCHD ATMWATCH_CLI [BATCHES [EVENTS [REPLICAS]]]
set -euo pipefail

daemon_bin=$1 cli_bin=$2 batches=${3:-500} events=${4:-1000} replicas=${5:-1}
nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)

work=$(mktemp -d /tmp/atmwatch-js-bench-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
servers=1
[ "$replicas" -gt 1 ] && servers=$((replicas < 3 ? 3 : replicas))
nats_pids=() urls=() routes=()
for i in $(seq "$servers"); do
  client_ports[i]=$(free_port) route_ports[i]=$(free_port)
  urls+=("nats://127.0.0.1:${client_ports[i]}")
  routes+=("nats://127.0.0.1:${route_ports[i]}")
done
for i in $(seq "$servers"); do
  cluster_args=()
  if [ "$servers" -gt 1 ]; then
    cluster_args=(-n "n$i" --cluster_name bench --cluster "${routes[i - 1]}"
      --routes "$(IFS=,; echo "${routes[*]}")")
  fi
  "$nats_bin" -js -a 127.0.0.1 -p "${client_ports[i]}" -sd "$work/nats$i" "${cluster_args[@]}" \
    >"$work/nats$i.log" 2>&1 &
  nats_pids+=($!)
done
daemon=""
cleanup() {
  [ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  for pid in "${nats_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
url=$(IFS=,; echo "${urls[*]}")
# A cluster takes a few seconds to elect its JetStream leader.
for _ in $(seq 300); do
  "$cli_bin" add-stream --nats "$url" --stream ATMWATCH --replicas "$replicas" >/dev/null 2>&1 && break
  sleep 0.1
done

python3 - "$batches" "$events" >"$work/events.jsonl" <<'PY'
import json, random, sys, time
batches, events = int(sys.argv[1]), int(sys.argv[2])
now = int(time.time() * 1000)
rng = random.Random(1)
for i in range(batches * events):
    print(json.dumps({"timeUnixMs": str(now), "transaction": {
        "atmId": "ATM%05d" % rng.randint(1, 10000), "type": "WITHDRAWAL",
        "result": "APPROVED", "amountYen": "10000"}}))
PY
"$cli_bin" send --nats "$url" --subject atmwatch.events.bench --source-id bench \
  --batch "$events" "$work/events.jsonl"

cat >"$work/atmwatch.yaml" <<YAML
ingest: {max_unknown_atms: 1000000}
jetstream:
  url: $url
  stream: ATMWATCH
  durable: bench
  subjects: [atmwatch.events.bench]
YAML
"$daemon_bin" --config "$work/atmwatch.yaml" --ingest-listen 127.0.0.1:0 \
  --http-listen 127.0.0.1:0 --data-dir "$work/data" >"$work/daemon.log" 2>&1 &
daemon=$!
http_port=""
for _ in $(seq 200); do
  ready=$(grep -m1 ' ready: ingest on ' "$work/daemon.log" 2>/dev/null || true)
  [ -n "$ready" ] && { http_port=$(sed -E 's/.*\(port ([0-9]+)\).*/\1/' <<<"$ready"); break; }
  sleep 0.05
done
[ -n "$http_port" ] || { echo "atmwatchd did not become ready"; cat "$work/daemon.log"; exit 1; }
start=$(date +%s.%N)
acked=0
for _ in $(seq 12000); do  # at most 10 minutes
  acked=$(curl -fs "http://127.0.0.1:$http_port/metrics" |
    awk '/^atmwatch_jetstream_messages_acked_total/ { n += $2 } END { print n + 0 }')
  [ "$acked" -ge "$batches" ] && break
  sleep 0.05
done
end=$(date +%s.%N)
ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$daemon/stat")
awk -v r="$replicas" -v b="$batches" -v e="$events" -v a="$acked" -v s="$start" -v f="$end" -v u="$utime" \
  -v k="$stime" -v t="$ticks" 'BEGIN {
    printf "replicas=%d batches_acked=%d events=%d seconds=%.2f events_per_second=%.0f daemon_cpu_seconds=%.2f\n",
           r, a, a * e, f - s, a * e / (f - s), (u + k) / t }'
