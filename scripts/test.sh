#!/usr/bin/env bash
# Runs every check and test of tokengrid, installing what is missing first:
#   formatting and clippy (native and wasm32), native tests (client, model,
#   dev API), browser tests (wasm-bindgen-test in headless Chromium against a
#   live dev API), the release build and its size against the budget
#   (scripts/size.sh --check), and the end-to-end suite
#   (Chromium driving the release dist/ against the dev API), and the
#   end-to-end suite's core flows again in Debian's Firefox ESR
#   (puppeteer-core over WebDriver BiDi).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export DEV_API_BIN="$CARGO_TARGET_DIR/debug/dev-api"

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; shift; "$@"; }

api_pids=()
stop_apis() {
  for pid in "${api_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  api_pids=()
}
trap stop_apis EXIT

# Starts a dev API on a free loopback port; sets api_url.
start_api() {
  local log pid
  log=$(mktemp)
  "$DEV_API_BIN" --port 0 --login-rate-limit 0 "$@" >"$log" 2>&1 &
  pid=$!
  api_pids+=("$pid")
  for _ in $(seq 1 100); do
    api_url=$(sed -n 's/^dev-api listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$api_url" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the dev API did not start:" >&2
  cat "$log" >&2
  exit 1
}

step "formatting" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy -p tokengrid -p wasm-streams --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings
step "native tests" cargo test --workspace

step "building the dev API" cargo build --quiet -p dev-api
start_api --counters --token-ttl 1
export TOKENGRID_TEST_API="$api_url"
start_api --counters   # a second origin, for the bearer-only-to-API-origins test
export TOKENGRID_TEST_OTHER_API="$api_url"
start_api --counters --token-ttl 1 --refresh-tokens   # rotating refresh tokens (tests/browser_refresh.rs)
export TOKENGRID_TEST_REFRESH_API="$api_url"
step "browser tests (wasm-bindgen-test, headless Chromium, dev APIs at $TOKENGRID_TEST_API, $TOKENGRID_TEST_OTHER_API and $TOKENGRID_TEST_REFRESH_API)" \
  cargo test -p tokengrid --target wasm32-unknown-unknown
stop_apis
step "browser tests of vendor/wasm-streams (headless Chromium)" cargo test -p wasm-streams --target wasm32-unknown-unknown

step "release build" trunk build --release
step "bundle size, against its budget (150 KB gzip, 125 KB brotli)" scripts/size.sh --check

step "end-to-end tests (headless Chromium, release dist/)" node --test --test-concurrency=1 e2e/*.test.mjs
step "end-to-end tests in Firefox (headless Firefox ESR, release dist/)" node --test --test-concurrency=1 e2e/firefox/*.test.mjs
