#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): the bundle size, the table model
# natively, and in headless Chromium the time to the first table row vs a
# plain-JS page (first and repeat visit, 40/300/10k rows, on loopback and over a
# 50 ms round trip: e2e/bench/load.mjs),
# interaction-to-render at 1k/10k/100k rows (e2e/bench/run.mjs), the mean of 200
# page changes (e2e/bench/changes.mjs) and where an interaction's
# main-thread time goes (e2e/bench/frames.mjs), ≈ 30 MiB answers
# of three shapes with their longest tasks (e2e/bench/bounds.mjs) and memory
# over 1,000 token refreshes. Arguments are passed to load.mjs
# (e.g. --loads 25, --rows 300, --modes repeat).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export DEV_API_BIN="$CARGO_TARGET_DIR/debug/dev-api"
trunk build --release
scripts/size.sh
cargo bench --bench table_model
cargo build --quiet -p dev-api
node e2e/bench/load.mjs "$@"
node e2e/bench/load.mjs --latency 50 "$@"
node e2e/bench/run.mjs
BENCH_ROWS=1000,10000 node e2e/bench/changes.mjs
node e2e/bench/frames.mjs
node e2e/bench/bounds.mjs --loads 3

# Memory over 1,000 token refreshes: the real client in Chromium against a
# dev API whose tokens are revoked before each load.
log=$(mktemp)
"$DEV_API_BIN" --port 0 --counters --faults --login-rate-limit 0 >"$log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  url=$(sed -n 's/^dev-api listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
TOKENGRID_BENCH_API="$url" WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p tokengrid --target wasm32-unknown-unknown --test bench_memory -- --include-ignored --nocapture \
  | grep -E "memory over"
