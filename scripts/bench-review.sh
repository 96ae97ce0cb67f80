#!/usr/bin/env bash
# The review benchmark (issue 21), not run in CI:
#
#   scripts/bench-review.sh [N]      # N reports, default 500
#
# Generates the lint benchmark's corpus (scripts/bench.sh, same generator and seed) and times
# `nianbao lint --output-format json` and `nianbao review -o X` (X = .xlsx, .csv, .html)
# alternately, 3 runs each, so that the machine's drift does not decide the comparison; prints
# each median wall time and its ratio to lint's (target: review <= 1.5x lint), and review's
# peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
samples=../shared/samples
[ -d "$samples" ] || samples=tests/fixtures/samples
out=target/bench-review
mkdir -p "$out"
cargo build --release --quiet --bin nianbao --example bench_corpus
nianbao=target/release/nianbao
rm -rf "$out/corpus" "$out/corpus.manifest.tsv"
target/release/examples/bench_corpus generate "$out/corpus" "$n" "$samples" 2026 >/dev/null
"$nianbao" lint "$out/corpus" >/dev/null 2>&1 || true # warm the page cache

declare -A times
kinds=(lint xlsx csv html)
for _ in 1 2 3; do
  for kind in "${kinds[@]}"; do
    start=$(date +%s%N)
    if [ "$kind" = lint ]; then
      "$nianbao" lint --output-format json "$out/corpus" >/dev/null 2>&1 || true
    else
      "$nianbao" review "$out/corpus" -o "$out/review.$kind" >/dev/null 2>&1
    fi
    end=$(date +%s%N)
    times[$kind]+="$((end - start)) "
  done
done
median() { printf '%s\n' $1 | sort -n | awk 'NR==2 { printf "%.3f", $1 / 1e9 }'; }
lint=$(median "${times[lint]}")
echo "cores: $(nproc)   corpus: $(find "$out/corpus" -type f | wc -l) files"
printf '%-28s %8s s\n' "nianbao lint (json)" "$lint"
for kind in xlsx csv html; do
  m=$(median "${times[$kind]}")
  awk -v k="$kind" -v m="$m" -v l="$lint" 'BEGIN { printf "%-28s %8s s  %.2fx lint\n", "nianbao review -o ." k, m, m / l }'
done
/usr/bin/time -f '%M' -o "$out/time.txt" "$nianbao" review "$out/corpus" -o "$out/review.xlsx" >/dev/null 2>&1 || true
awk '{ printf "review -o .xlsx peak RSS: %.1f MB\n", $1 / 1024 }' "$out/time.txt"
ls -l "$out"/review.* | awk '{ print "  " $5 " bytes  " $9 }'
