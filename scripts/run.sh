#!/usr/bin/env bash
# Runs tokengrid against the bundled development API:
#   dev API on http://127.0.0.1:9080 (demo login printed below),
#   the app on http://127.0.0.1:8080 (trunk serve, proxying /api:* to the dev API).
# Extra arguments go to the dev API, e.g. `scripts/run.sh --token-format jwt --token-ttl 30`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --quiet -p dev-api
"$CARGO_TARGET_DIR/debug/dev-api" --port 9080 "$@" &
api=$!
trap 'kill $api 2>/dev/null; wait $api 2>/dev/null' EXIT INT TERM
sleep 0.5
kill -0 "$api" 2>/dev/null || { echo "the dev API did not start (is port 9080 taken?)" >&2; exit 1; }

# Trunk.toml's [watch] ignore list must exist, even when cargo builds elsewhere.
mkdir -p target node_modules

echo
echo "  tokengrid: http://127.0.0.1:8080"
echo
trunk serve
