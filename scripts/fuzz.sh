#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan into
# build-fuzz/ and runs each for ATMWATCH_FUZZ_SECONDS (a CMake cache
# variable, 60 by default) from its seed corpus: the ctest label fuzz. A
# crash, leak, sanitizer report or broken invariant fails the test; the
# input that caused it is written to build-fuzz/fuzz/artifacts/. CI runs this
# after scripts/test-sanitizers.sh. Extra arguments go to ctest
# (e.g. -R fuzz.radius).
#
#   scripts/fuzz.sh                                  # every target, as CI does
#   cmake -B build-fuzz -DATMWATCH_FUZZ_SECONDS=600 && scripts/fuzz.sh   # longer
#   build-fuzz/fuzz/radius_fuzzer build-fuzz/fuzz/artifacts/radius-crash-...  # replay one
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache reuses objects compiled in other checkouts (paths relative to here).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# With debug info ccache also hashes the build directory, which would defeat
# the base directory: objects differ only in the paths their debug info names.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

scripts/setup-debian.sh
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DATMWATCH_FUZZ=ON \
  -DATMWATCH_BUILD_TESTS=OFF -DATMWATCH_BUILD_BENCH=OFF
cmake --build build-fuzz -j 2 --target fuzz_targets

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
scripts/ctest-no-skips.sh --test-dir build-fuzz --output-on-failure -j 2 -L fuzz "$@"
