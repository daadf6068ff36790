#!/usr/bin/env bash
# threadctl against the reference crate, entelix-persistence 0.5.4, side by
# side in one process (BENCHMARKS.md, "Reference comparison").
#
#   benches/reference/run.sh                          # both servers, 1 and 16 clients
#   benches/reference/run.sh --servers redis --clients 16 --only lock,load-1000
#   benches/reference/run.sh --help                   # every option
#
# It copies template/ (a crate of its own, not in threadctl's workspace)
# to $TMPDIR/threadctl-refbench/harness beside a link `threadctl` to this
# repository, builds it --release --locked there (template/Cargo.lock pins
# the reference and its dependencies) and runs it with the arguments given.
# Each side gets a store of its own, set up as the tests set theirs up:
# a fresh Postgres schema each, a leased Redis logical database each
# (servers: THREADCTL_TEST_PG, THREADCTL_TEST_REDIS, defaults as in the
# tests), removed afterwards.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scratch="${TMPDIR:-/tmp}/threadctl-refbench"

mkdir -p "$scratch"
ln -sfn "$repo" "$scratch/threadctl"
rm -rf "$scratch/harness/src"
mkdir -p "$scratch/harness"
cp -Rp "$here/template/." "$scratch/harness/"

cd "$scratch/harness"
cargo build --release --locked --quiet

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), threadctl $(git -C "$repo" rev-parse --short HEAD)," \
     "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
./target/release/threadctl-refbench "$@"
