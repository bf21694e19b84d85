#!/usr/bin/env bash
# Prints the size of the built site (run `trunk build --release` first): each file raw,
# gzip -9 and brotli (quality 11, Node's zlib, as scripts/compress.mjs writes it), and the
# totals the budget is about. The precompressed copies (*.gz, *.br) and _headers (host
# configuration) are not the app and are left out.
#
#   scripts/size.sh [--check] [dir]        dir defaults to dist/
#
# --check (or TOKENGRID_SIZE_CHECK=1): exit 1, saying by how much, when a total is over its
# budget (150 KB gzip, 125 KB brotli; KB = 1024 bytes). Sizes are deterministic, so this is
# a check, not a timed test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_GZIP_KB=150
BUDGET_BROTLI_KB=125
check="${TOKENGRID_SIZE_CHECK:-0}"
dir=dist
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "size.sh: unknown option $arg" >&2; exit 2 ;;
    *) dir="$arg" ;;
  esac
done
[ -d "$dir" ] || { echo "no $dir/: run trunk build --release" >&2; exit 1; }
brotli_size() {
  node -e 'const z = require("node:zlib");
    const data = require("node:fs").readFileSync(process.argv[1]);
    process.stdout.write(String(z.brotliCompressSync(data, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length));' "$1"
}
total_gz=0
total_br=0
while IFS= read -r -d '' f; do
  name="${f#"$dir"/}"
  case "$name" in *.gz|*.br|_headers) continue ;; esac
  raw=$(stat -c %s "$f"); gz=$(gzip -9cn "$f" | wc -c); br=$(brotli_size "$f")
  total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-48s %8d B raw %8d B gzip %8d B brotli\n' "$name" "$raw" "$gz" "$br"
done < <(find "$dir" -type f -print0 | sort -z)
awk -v g="$total_gz" -v b="$total_br" -v bg="$BUDGET_GZIP_KB" -v bb="$BUDGET_BROTLI_KB" 'BEGIN {
  printf "total: %d B gzip (%.1f KB; budget %d KB), %d B brotli (%.1f KB; budget %d KB)\n", g, g / 1024, bg, b, b / 1024, bb }'
[ "$check" = 1 ] || exit 0
over=0
if [ "$total_gz" -gt $((BUDGET_GZIP_KB * 1024)) ]; then
  awk -v g="$total_gz" -v bg="$BUDGET_GZIP_KB" 'BEGIN {
    printf "size check failed: %.1f KB gzip is %.1f KB over the %d KB budget\n", g / 1024, g / 1024 - bg, bg }' >&2
  over=1
fi
if [ "$total_br" -gt $((BUDGET_BROTLI_KB * 1024)) ]; then
  awk -v b="$total_br" -v bb="$BUDGET_BROTLI_KB" 'BEGIN {
    printf "size check failed: %.1f KB brotli is %.1f KB over the %d KB budget\n", b / 1024, b / 1024 - bb, bb }' >&2
  over=1
fi
[ "$over" = 0 ] && echo "size check: within budget"
exit "$over"
