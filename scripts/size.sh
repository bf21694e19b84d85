#!/usr/bin/env bash
# Prints the size of the built dist/ (run `trunk build --release` first):
# each file raw and gzip -9, and the total gzip, the figure the budget is about.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "no dist/: run trunk build --release" >&2; exit 1; }
total=0
for f in dist/*; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '%-48s %8d B raw %8d B gzip\n' "${f#dist/}" "$raw" "$gz"
done
awk -v t="$total" 'BEGIN { printf "total gzip: %d B (%.1f KB); budget 130 KB\n", t, t / 1024 }'
