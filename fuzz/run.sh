#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60) with cargo-fuzz on
# the nightly toolchain: `cargo install cargo-fuzz` once. A crash leaves
# its input in fuzz/artifacts/TARGET/; turn it into a regression test
# named after it (tests/errors.rs or the module's tests) before fixing.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: cargo-fuzz on the nightly toolchain is needed: rustup toolchain install nightly; cargo install cargo-fuzz" >&2
  exit 1
fi
for t in tokenize pattern lexicon_toml lexicon_dic manifest jsonl; do
  mkdir -p "corpus/$t"
  echo "== $t ($SECONDS_EACH s)"
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 2>&1 \
    | grep -aE "^(#[0-9]+ *DONE|Done|==[0-9]+== ERROR|SUMMARY|artifact_prefix)" || true
done
