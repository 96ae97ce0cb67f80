#!/usr/bin/env bash
# The lint benchmark (issue 5), reproducible from a fresh clone:
#
#   scripts/bench.sh [N]        # N reports, default 2000
#
# 1. builds nianbao as it ships (Cargo.toml's `dist` profile: fat LTO, one codegen unit,
#    what the release binaries and the wheels are built with) and the corpus tool (release);
# 2. generates N reports into target/bench/corpus (fixed seed): every 10th a copy of a real
#    sample from ../shared/samples, the rest rendered from random balanced data files, 30% of
#    those with one planted defect (table figure, statistics-period year, or missing section);
#    the manifest is target/bench/corpus.manifest.tsv;
# 3. times, side by side (ripgrep and nianbao in turn, medians of 9 rounds, wall clock; peak
#    RSS from GNU time):
#    ripgrep counting one year pattern over the corpus (the floor: reading the bytes),
#    nianbao lint on all cores and on one thread (-j1), and nianbao lint on one ~20 KB file;
#    then a table of where the time goes by stage (input, reading, rules, output), summed over
#    a -j1 run with NIANBAO_STAGE_TIMES set;
# 4. checks the corpus run against the manifest: every planted defect found, no error on an
#    unplanted file;
# 5. big inputs (issue 9): 600 of the corpus's Markdown reports concatenated into one file and
#    the same twice over (time must grow linearly), and a 40 MB text file made of the seed
#    samples (peak memory must stay within a few times its size; target < 200 MB).
# Needs ripgrep: uses `rg` from PATH, or installs it with cargo into target/bench-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
# The real samples beside the repository when they are there, else the project's own copies.
samples=../shared/samples
[ -d "$samples" ] || samples=tests/fixtures/samples
out=target/bench
mkdir -p "$out"

cargo build --profile dist --quiet --bin nianbao
cargo build --release --quiet --example bench_corpus
nianbao=target/dist/nianbao

rg=$(command -v rg || true)
if [ -z "$rg" ]; then
  if [ ! -x target/bench-tools/bin/rg ]; then
    echo "installing ripgrep into target/bench-tools (once)…" >&2
    cargo install --quiet --locked ripgrep --root target/bench-tools
  fi
  rg=target/bench-tools/bin/rg
fi

rm -rf "$out/corpus" "$out/corpus.manifest.tsv"
target/release/examples/bench_corpus generate "$out/corpus" "$n" "$samples" 2026
files=$(find "$out/corpus" -type f | wc -l)
bytes=$(cat "$out"/corpus/* | wc -c)
one=tests/fixtures/samples/shaoxing-2019.txt
one_bytes=$(wc -c <"$one")

# shellcheck source=scripts/median.sh
source scripts/median.sh

# peak resident memory in MB of one run
peak() {
  /usr/bin/time -f '%M' -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out/time.txt" | awk '{ printf "%.1f", $1 / 1024 }'
}

echo "cores: $(nproc)   corpus: $files files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB   $("$rg" --version 2>/dev/null | sed -n 1p)"
"$nianbao" lint "$out/corpus" >/dev/null 2>&1 || true # warm the page cache

# ripgrep and nianbao timed in turn, round by round, so that their ratio compares the same
# moments: this machine's speed swings by half within minutes, and timing all of one command's
# runs before the other's measured the swing as much as the programs.
rg_times=() all_times=() one_thread_times=()
for _ in $(seq 1 9); do
  rg_times+=("$(once_ns "$rg" -c 2024年 "$out/corpus")")
  all_times+=("$(once_ns "$nianbao" lint --output-format json "$out/corpus")")
  one_thread_times+=("$(once_ns "$nianbao" lint -j1 --output-format json "$out/corpus")")
done
rg_all=$(as_seconds "$(median_of "${rg_times[@]}")")
nb_all=$(as_seconds "$(median_of "${all_times[@]}")")
nb_one_thread=$(as_seconds "$(median_of "${one_thread_times[@]}")")
file_times=() true_times=()
for _ in $(seq 1 21); do
  file_times+=("$(once_ns "$nianbao" lint "$one")")
  true_times+=("$(once_ns /bin/true)")
done
file_ms=$(awk -v ns="$(median_of "${file_times[@]}")" 'BEGIN { printf "%.2f", ns / 1e6 }')
true_ms=$(awk -v ns="$(median_of "${true_times[@]}")" 'BEGIN { printf "%.1f", ns / 1e6 }')
mem_all=$(peak "$nianbao" lint --output-format json "$out/corpus")
mem_rg=$(peak "$rg" -c 2024年 "$out/corpus")

row() { # name seconds peak_mb
  awk -v name="$1" -v s="$2" -v m="$3" -v f="$files" -v b="$bytes" -v rg="$rg_all" \
    'BEGIN { printf "%-30s %8.3f s %8.0f files/s %7.1f MB/s %7s MB %6.1fx\n", name, s, f/s, b/1e6/s, m, s/rg }'
}
echo
printf '%-30s %10s %15s %12s %10s %7s\n' "" "wall" "files/s" "MB/s" "peak RSS" "vs rg"
row "ripgrep, one year pattern" "$rg_all" "$mem_rg"
row "nianbao lint, all cores" "$nb_all" "$mem_all"
row "nianbao lint -j1" "$nb_one_thread" "-"
# The ratio in each round (all cores against the ripgrep run just before it): its spread says
# how far the machine moved during the measurement.
for i in "${!rg_times[@]}"; do
  echo "${all_times[$i]} ${rg_times[$i]}"
done | awk '{ print $1 / $2 }' | sort -n |
  awk '{ r[NR] = $1 } END { printf "%-30s %.1fx to %.1fx, median %.1fx (all cores over ripgrep, round by round)\n", "ratio by round", r[1], r[NR], r[int((NR + 1) / 2)] }'
awk -v ms="$file_ms" -v b="$one_bytes" -v t="$true_ms" 'BEGIN { printf "%-30s %8.1f ms  (%.1f KB file, whole process, median of 21, in turn with /bin/true: %.1f ms)\n", "nianbao lint, one file", ms, b/1000, t }'

echo
echo "where the time goes (lint -j1 --output-format json over the corpus, one run, NIANBAO_STAGE_TIMES):"
NIANBAO_STAGE_TIMES=1 "$nianbao" lint -j1 --output-format json "$out/corpus" 2>&1 >/dev/null |
  sed -n '/^各阶段耗时/,$p' || true

echo
"$nianbao" lint --output-format json "$out/corpus" >"$out/lint.json" 2>/dev/null || true
target/release/examples/bench_corpus check "$out/corpus.manifest.tsv" "$out/lint.json"

echo
echo "big inputs:"
# awk rather than head: head stops reading after 600 lines, sort may then still be writing
# and die of SIGPIPE, which pipefail turns into the script's failure.
find "$out/corpus" -name '*.md' | sort | awk 'NR <= 600' | xargs cat >"$out/big600.md"
cat "$out/big600.md" "$out/big600.md" >"$out/big1200.md"
: >"$out/big40.txt"
while [ "$(wc -c <"$out/big40.txt")" -lt 41943040 ]; do
  cat tests/fixtures/samples/*.txt >>"$out/big40.txt"
done
runs=3
for f in big600.md big1200.md big40.txt; do
  s=$(median "$nianbao" lint --output-format json "$out/$f")
  m=$(peak "$nianbao" lint --output-format json "$out/$f")
  awk -v name="$f" -v s="$s" -v m="$m" -v b="$(wc -c <"$out/$f")" \
    'BEGIN { printf "  %-12s %6.1f MB  %7.2f s  peak %6.1f MB (%.1fx the file)\n", name, b/1e6, s, m, m*1.048576e6/b }'
done

echo
echo "targets (issue 23): all cores within 15x ripgrep; >= 2500 files/s on one core; one file within 3 ms; peak < 25 MB with json output;"
echo "         every planted defect found, no error on an unplanted file;"
echo "         big inputs: time linear in the input, a 40 MB file under 200 MB peak"
