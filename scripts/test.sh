#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the one
# command the README gives for testing, and what CI runs. A test that did not
# run fails it when CI is set or as root (scripts/ctest-no-skips.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache reuses objects compiled in other checkouts (paths relative to here).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# With debug info ccache also hashes the build directory, which would defeat
# the base directory: objects differ only in the paths their debug info names.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
scripts/ctest-no-skips.sh --test-dir build --output-on-failure -j 2
