#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the one
# command the README gives for testing, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
ctest --test-dir build --output-on-failure -j 2
