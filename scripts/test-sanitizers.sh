#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer (leaks included)
# and UndefinedBehaviorSanitizer into build-asan/: a memory error, a leak or
# undefined behaviour fails the test that hits it. CI runs this after
# scripts/test.sh. Extra arguments go to ctest (e.g. -R engine_test).
#
# Left out: the bench-smoke label (benchmarks are not built here; timings
# under ASan mean nothing) and the demo label (scripts/demo.sh with Prometheus
# and Alertmanager: the daemon's paths it takes are covered by the other
# tests, and its minutes of waiting would be spent twice).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache reuses objects compiled in other checkouts (paths relative to here).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# With debug info ccache also hashes the build directory, which would defeat
# the base directory: objects differ only in the paths their debug info names.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

scripts/setup-debian.sh
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DATMWATCH_SANITIZE=address,undefined -DATMWATCH_BUILD_BENCH=OFF
cmake --build build-asan -j 2

# Test binaries and the daemons the integration tests start inherit these.
# alloc_dealloc_mismatch=0: Debian's Asio 1.24 frees the handler memory it
# took with aligned_alloc through operator delete (asio::aligned_delete),
# which ASan reports in every daemon at its first accept.
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:alloc_dealloc_mismatch=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
scripts/ctest-no-skips.sh --test-dir build-asan --output-on-failure -j 2 -LE 'bench-smoke|demo' "$@"
