#!/usr/bin/env bash
# Installs whatever tokengrid's build needs and is missing; safe to re-run.
#   scripts/setup.sh            build tools: wasm32 target, trunk, wasm-bindgen-cli, npm tools
#   scripts/setup.sh --browser  for tests: the above plus rustfmt, clippy, Debian's chromium,
#                               chromium-driver and firefox-esr (driven by puppeteer-core, never downloaded)
# Nothing is downloaded from outside crates.io, npm and Debian: trunk is
# configured offline and finds the pinned tools installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14          # trunk 0.22 needs a newer rustc than 1.95
WASM_BINDGEN_VERSION=0.2.130   # = Cargo.toml's pin = Trunk.toml's [tools]

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

locked=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$locked" != "$WASM_BINDGEN_VERSION" ]; then
  echo "Cargo.lock has wasm-bindgen $locked but scripts/setup.sh pins $WASM_BINDGEN_VERSION: keep them equal" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "${1:-}" = "--browser" ]; then
  # The checks in scripts/test.sh; rustup's minimal profile has neither.
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component-"; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes the first time)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes the first time)"
  # Not --locked: its lock file names a webpki-roots the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

need_apt=()
command -v node >/dev/null && command -v npm >/dev/null || need_apt+=(nodejs npm)
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  [ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
  [ -x /usr/bin/firefox-esr ] || need_apt+=(firefox-esr)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# playwright-core, puppeteer-core 24 and `node --test --test-concurrency` need Node.js 20 or newer
# (Debian 13 has it; Debian 12's is 18: install a newer one first).
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old: the tools and the end-to-end suite need 20 or newer" >&2
  exit 1
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/puppeteer-core ] || [ ! -d node_modules/esbuild ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools (binaryen's wasm-opt, esbuild, playwright-core, puppeteer-core)"
  # The suites drive Debian's browsers: npm never downloads one.
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

# trunk builds offline: fetch the crates once here.
cargo fetch --quiet
cargo fetch --quiet --target wasm32-unknown-unknown
say "ready"
