#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing atmwatch needs.
# Idempotent: packages already present are left alone, and the package index is
# refreshed only when something is missing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  clang libclang-rt-14-dev  # libFuzzer and its sanitizers (scripts/fuzz.sh)
  # libraries the code links
  libasio-dev libprotobuf-dev protobuf-compiler prometheus-cpp-dev libcivetweb-dev
  libspdlog-dev libyaml-cpp-dev libcli11-dev
  libnats-dev  # the JetStream ingest source and `atmwatch send --nats`
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers the tests drive
  prometheus curl freeradius-utils
  openssl  # certificates for the TLS tests
  mtail    # bench/compare-mtail.sh
  nats-server  # JetStream for the scale-out tests
  prometheus-alertmanager  # amtool and Alertmanager for the deploy/ checks
  systemd                  # systemd-analyze verify for the units
  python3                  # deploy/grafana/check-dashboard.py
  # TLS and digests (RADIUS authenticators)
  libssl-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi
