#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): the bundle size, the table model
# natively, and in headless Chromium the time to the first table (vs a
# plain-JS page) and interaction-to-render at 1k/10k/100k rows.
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
node e2e/bench/run.mjs
