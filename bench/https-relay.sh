#!/usr/bin/env bash
# What the HTTPS front costs a scrape: two daemons with the same fleet and
# history, one serving /metrics over plain HTTP (CivetWeb alone), one over
# HTTPS (TLS terminated by daemon/http/TlsFront and relayed to CivetWeb on a
# private loopback port). Scrapes alternate between them on kept-alive
# connections, as Prometheus scrapes, so the TLS handshake is left out and
# both see the same machine load. The difference is TLS on the body plus the
# relay's extra hop; `openssl speed` gives the first alone.
#
#   bench/https-relay.sh ATMWATCHD ATMWATCH_LOAD ATMWATCH_BENCH_EVENTS [--atms N] [--days N] [--scrapes N]
set -euo pipefail

daemon_bin=$1 load_bin=$2 events_bin=$3
shift 3
atms=3000 days=30 scrapes=50
while [ $# -gt 0 ]; do
  case $1 in
    --atms) atms=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --scrapes) scrapes=$2; shift 2 ;;
    *) echo "unknown flag $1"; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/atmwatch-https-relay-XXXXXX)
source "$here/daemon.sh"
plain_pid="" tls_pid=""
cleanup() {
  for pid in $plain_pid $tls_pid; do
    daemon=$pid
    stop_daemon TERM
  done
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/http.key" -out "$work/http.crt" 2>/dev/null

{
  echo "ingest: {max_unknown_atms: 0}"
  "$events_bin" inventory --atms "$atms" --bound-lines "$atms"
} >"$work/plain.yaml"
cp "$work/plain.yaml" "$work/tls.yaml"
echo "http: {tls: {cert_file: $work/http.crt, key_file: $work/http.key}}" >>"$work/tls.yaml"
"$events_bin" history --atms "$atms" --days "$days" --lines "$atms" \
  --frames "$work/history.frames" | sed 's/^/history: /'

start_daemon "$work/plain.yaml" "$work/plain-data"
plain_pid=$daemon plain_port=$http_port
"$load_bin" --ingest "127.0.0.1:$ingest_port" --frames "$work/history.frames" --window 64 >/dev/null
start_daemon "$work/tls.yaml" "$work/tls-data"
tls_pid=$daemon tls_port=$http_port
"$load_bin" --ingest "127.0.0.1:$ingest_port" --frames "$work/history.frames" --window 64 >/dev/null

# One curl per daemon and round: `scrapes` requests on one connection each.
urls() { for _ in $(seq "$scrapes"); do printf -- '-o /dev/null %s ' "$1"; done; }
: >"$work/plain.times"
: >"$work/tls.times"
for _ in 1 2 3; do
  # shellcheck disable=SC2046
  curl -fs -w '%{time_total} %{size_download}\n' \
    $(urls "http://127.0.0.1:$plain_port/metrics") >>"$work/plain.times"
  # shellcheck disable=SC2046
  curl -fs --cacert "$work/http.crt" -w '%{time_total} %{size_download}\n' \
    $(urls "https://127.0.0.1:$tls_port/metrics") >>"$work/tls.times"
done

report() {
  sort -n "$2" | awk -v name="$1" '
    { t[NR] = $1; bytes = $2 }
    END {
      printf "%s scrapes=%d ms p50=%.2f p90=%.2f max=%.2f body_bytes=%d\n", name, NR,
             1000 * t[int((NR - 1) * 0.5) + 1], 1000 * t[int((NR - 1) * 0.9) + 1],
             1000 * t[NR], bytes
    }'
}
report http "$work/plain.times"
report https "$work/tls.times"
for pid in $plain_pid $tls_pid; do
  awk -v pid="$pid" '{ printf "daemon %s cpu_seconds=%.2f\n", pid, ($14 + $15) / 100 }' \
    "/proc/$pid/stat"
done
openssl speed -elapsed -seconds 2 -bytes 16384 -evp aes-256-gcm 2>/dev/null | tail -1 |
  awk '{ printf "openssl aes-256-gcm 16 KiB blocks: %s\n", $2 }'
