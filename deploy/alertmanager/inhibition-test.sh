#!/usr/bin/env bash
# Proves the inhibitions of alertmanager.yml on a real Alertmanager: starts
# prometheus-alertmanager on a free loopback port with the given config, posts
# alerts with amtool and checks which ones Alertmanager reports as inhibited.
# Usage: inhibition-test.sh ALERTMANAGER_YML   (run by ctest: deploy_alertmanager_inhibition)
set -euo pipefail

config=${1:?usage: $0 alertmanager.yml}
am=${ALERTMANAGER:-prometheus-alertmanager}
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: try a few random ones; Alertmanager exits at once when the
# address is taken.
url=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  "$am" --config.file="$config" --storage.path="$work" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
    --log.level=warn >"$work/am.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    if curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then url="http://127.0.0.1:$port"; break 2; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
done
if [[ -z $url ]]; then echo "FAIL: $am did not start"; cat "$work/am.log"; exit 1; fi

add() { amtool --alertmanager.url="$url" alert add "$@"; }
# Alerts matching the matchers, one per line: active ones (neither inhibited nor
# silenced) by default, inhibited ones with --inhibited.
listed() { amtool --alertmanager.url="$url" alert query -o simple "$@" | tail -n +2; }
failures=0
expect() {  # expect DESCRIPTION WANT_COUNT [--inhibited] matchers...
  local what=$1 want=$2; shift 2
  local got
  got=$(listed "$@" | grep -c . || true)
  if [[ $got != "$want" ]]; then echo "FAIL: $what: $got active, want $want"; failures=$((failures + 1));
  else echo "ok: $what"; fi
}

# Line 819012345678 is down and ATM0001 on it is down: the line wins.
add alertname=MvnoLineDown severity=critical line_id=819012345678 atm_id=ATM0001 region=kanto
add alertname=AtmDown severity=critical line_id=819012345678 atm_id=ATM0001 region=kanto
# ATM0002 is down with its line up: nothing inhibits it.
add alertname=AtmDown severity=critical line_id=819087654321 atm_id=ATM0002 region=kansai
# ATM0003 is silent and therefore also low usage: only silence is sent.
add alertname=AtmSilent severity=warning atm_id=ATM0003 region=kansai
add alertname=AtmLowUsage severity=warning atm_id=ATM0003 region=kansai
# ATM0004 is only low usage.
add alertname=AtmLowUsage severity=warning atm_id=ATM0004 region=kanto
# ATM0005's dispenser failed, which took it down: the part is sent.
add alertname=AtmComponentFatal severity=critical component=dispenser line_id=819055556666 atm_id=ATM0005 region=kanto
add alertname=AtmDown severity=critical line_id=819055556666 atm_id=ATM0005 region=kanto

expect "MvnoLineDown is sent" 1 alertname=MvnoLineDown
expect "AtmDown on the down line is inhibited" 0 alertname=AtmDown atm_id=ATM0001
expect "AtmDown on a working line is sent" 1 alertname=AtmDown atm_id=ATM0002
expect "AtmLowUsage of a silent ATM is inhibited" 0 alertname=AtmLowUsage atm_id=ATM0003
expect "AtmLowUsage alone is sent" 1 alertname=AtmLowUsage atm_id=ATM0004
expect "AtmComponentFatal is sent" 1 alertname=AtmComponentFatal
expect "AtmDown of an ATM with a failed part is inhibited" 0 alertname=AtmDown atm_id=ATM0005
expect "AtmDown on the down line is reported inhibited" 1 --inhibited alertname=AtmDown atm_id=ATM0001
expect "AtmLowUsage of the silent ATM is reported inhibited" 1 --inhibited alertname=AtmLowUsage atm_id=ATM0003

if ((failures)); then cat "$work/am.log"; exit 1; fi
echo "all inhibitions hold"
