#!/usr/bin/env bash
# Runs every cargo-fuzz target of threadctl for SECONDS each (default 180).
#
#   fuzz/run.sh            # every target, 180 s each
#   fuzz/run.sh 60         # every target, 60 s each
#   fuzz/run.sh 600 dump_line namespace   # only these targets
#
# Seeds come from fuzz/corpus/<target>/ (committed, read only here); what
# libFuzzer discovers goes to fuzz/target/corpus/<target>/ (not committed).
# A panic, a failed assertion, an input taking longer than TIMEOUT seconds
# (a hang), a process above RSS_LIMIT_MB or a single allocation above
# MALLOC_LIMIT_MB (unbounded allocation) stops the target, saves the input
# under fuzz/artifacts/<target>/ and makes this script exit 1.
# Reproduce one with: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail

SECONDS_EACH="${1:-180}"
shift || true
TIMEOUT="${TIMEOUT:-10}"
RSS_LIMIT_MB="${RSS_LIMIT_MB:-2048}"
MALLOC_LIMIT_MB="${MALLOC_LIMIT_MB:-512}"
MAX_LEN="${MAX_LEN:-65536}"

cd "$(dirname "$0")"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: the nightly toolchain is needed: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: installing cargo-fuzz (once)" >&2
    cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# Build every target once, then run the binaries themselves: edits made
# to the tree while the script runs do not rebuild anything mid-run.
cargo +nightly fuzz build
bin_dir="target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"

failed=()
for target in "${targets[@]}"; do
    found="target/corpus/$target"
    mkdir -p "$found" "corpus/$target" "artifacts/$target"
    echo "== $target: ${SECONDS_EACH}s" >&2
    if ! "$bin_dir/$target" "$found" "corpus/$target" \
        -artifact_prefix="artifacts/$target/" \
        -max_total_time="$SECONDS_EACH" \
        -timeout="$TIMEOUT" \
        -rss_limit_mb="$RSS_LIMIT_MB" \
        -malloc_limit_mb="$MALLOC_LIMIT_MB" \
        -max_len="$MAX_LEN" \
        -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz/run.sh: FAILED: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz/run.sh: ${#targets[@]} target(s), ${SECONDS_EACH}s each, no failure" >&2
