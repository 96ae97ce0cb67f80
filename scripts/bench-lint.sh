#!/usr/bin/env bash
# Lint throughput on the shared samples: copies them N times (default 40) into a temporary
# corpus and times `nianbao lint` over it (release build), then one file on its own.
# Usage: scripts/bench-lint.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40}
cargo build --release --quiet
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for i in $(seq 1 "$n"); do
  for f in ../shared/samples/*.txt; do cp "$f" "$corpus/$(basename "$f" .txt)-$i.txt"; done
done
files=$(ls "$corpus" | wc -l)
bytes=$(cat "$corpus"/* | wc -c)
start=$(date +%s.%N)
./target/release/nianbao lint "$corpus" >/dev/null 2>&1 || true
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
printf 'corpus: %d files, %.1f MB in %.3f s = %.0f files/s, %.1f MB/s\n' "$files" "$(echo "$bytes/1000000" | bc -l)" "$secs" "$(echo "$files/$secs" | bc -l)" "$(echo "$bytes/1000000/$secs" | bc -l)"
one=../shared/samples/huaian-2024-pdftotext-layout.txt
start=$(date +%s.%N); ./target/release/nianbao lint "$one" >/dev/null 2>&1 || true; end=$(date +%s.%N)
printf 'one file (%s, whole process): %.1f ms\n' "$(basename "$one")" "$(echo "($end - $start)*1000" | bc -l)"
