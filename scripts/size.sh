#!/usr/bin/env bash
# Prints the size of the built dist/ (run `trunk build --release` first):
# each file raw, gzip -9 and brotli (quality 11, Node's zlib), and the totals
# the budget is about (150 KB gzip, 125 KB brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "no dist/: run trunk build --release" >&2; exit 1; }
brotli_size() {
  node -e 'const z = require("node:zlib");
    const data = require("node:fs").readFileSync(process.argv[1]);
    process.stdout.write(String(z.brotliCompressSync(data, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length));' "$1"
}
total_gz=0
total_br=0
for f in dist/*; do
  [ -f "$f" ] || continue
  case "$f" in *.gz|*.br|dist/_headers) continue ;; esac  # _headers: host configuration, not the app
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli_size "$f")
  total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-48s %8d B raw %8d B gzip %8d B brotli\n' "${f#dist/}" "$raw" "$gz" "$br"
done
awk -v g="$total_gz" -v b="$total_br" 'BEGIN {
  printf "total: %d B gzip (%.1f KB; budget 150 KB), %d B brotli (%.1f KB; budget 125 KB)\n", g, g / 1024, b, b / 1024 }'
