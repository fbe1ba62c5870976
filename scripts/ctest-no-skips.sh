#!/usr/bin/env bash
# Runs ctest with the arguments given and fails when a test did not run:
# a skipped test (GTEST_SKIP, or a script's skip exit code) proves nothing,
# so it counts as a failure in CI (CI set) and for root, who can run every
# test there is. Otherwise the skipped tests are named and ctest's own exit
# code stands: a developer without root may skip the few tests that need it.
# Used by scripts/test.sh, scripts/test-sanitizers.sh and scripts/fuzz.sh.
set -euo pipefail

log=$(mktemp /tmp/atmwatch-ctest-XXXXXX.log)
trap 'rm -f "$log"' EXIT

status=0
ctest "$@" 2>&1 | tee "$log" || status=$?

# ctest lists them after the run, one per line under this heading:
#   The following tests did not run:
#   	 12 - name (Skipped)
not_run=$(awk '/^The following tests did not run:/ { listing = 1; next }
               listing && /^\t/ { print; next }
               { listing = 0 }' "$log")
if [ -n "$not_run" ]; then
  echo "ctest-no-skips: these tests did not run:"
  echo "$not_run"
  if [ -n "${CI:-}" ] || [ "$(id -u)" -eq 0 ]; then
    echo "ctest-no-skips: a test that did not run fails the suite (CI is set or running as root)"
    [ "$status" -ne 0 ] || status=1
  fi
fi
exit "$status"
