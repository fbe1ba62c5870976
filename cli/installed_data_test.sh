#!/usr/bin/env bash
# An installed atmwatch finds the reference quarter table in
# <prefix>/share/atmwatch/ without --csv: the binary and the CSV are copied
# into a prefix layout in a temporary directory, and a broken copy there
# must be the one sim complains about (so the lookup took the installed file,
# not the source tree's).
#
#   installed_data_test.sh ATMWATCH CSV DATA_INSTALL_DIR   (e.g. share/atmwatch)
set -euo pipefail

cli=$1 csv=$2 data_dir=$3
prefix=$(mktemp -d /tmp/atmwatch-prefix-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
mkdir -p "$prefix/bin" "$prefix/$data_dir"
cp "$cli" "$prefix/bin/atmwatch"
cp "$csv" "$prefix/$data_dir/trust-networks-quarters.csv"
cd "$prefix"  # nowhere near the source tree

fail() { echo "FAIL: $*" >&2; exit 1; }

# The installed table is found and parsed: the inventory it implies comes out.
"$prefix/bin/atmwatch" sim --scenario trust-networks --print-inventory >inventory.yaml ||
  fail "sim --print-inventory without --csv exited $?"
grep -q "atms:" inventory.yaml || fail "no inventory printed: $(head -c 300 inventory.yaml)"

# The installed copy is the one read: break it and sim names it.
echo "not,a,quarter,table" >"$prefix/$data_dir/trust-networks-quarters.csv"
if "$prefix/bin/atmwatch" sim --scenario trust-networks --print-inventory >out.txt 2>&1; then
  fail "sim accepted a broken installed table"
fi
grep -qF "$prefix/$data_dir/trust-networks-quarters.csv" out.txt ||
  fail "the error does not name the installed file: $(cat out.txt)"

# --help shows the installed location, never a build-tree path.
"$prefix/bin/atmwatch" sim --help >help.txt
grep -qF "<prefix>/share/atmwatch/trust-networks-quarters.csv" help.txt ||
  fail "sim --help does not show the installed default: $(grep -- --csv help.txt)"
echo "ok: $prefix/bin/atmwatch reads $prefix/$data_dir/trust-networks-quarters.csv"
