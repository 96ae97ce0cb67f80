#!/usr/bin/env bash
# The readers' benchmark (issue 10), reproducible from a fresh clone:
#
#   scripts/bench-readers.sh
#
# 1. builds nianbao and the readers' fixture tool (release);
# 2. makes the Word, PDF, GB18030 and UTF-16 forms of tests/fixtures/samples/shaoxing-2019.txt
#    and a 40 MB GB18030 file into target/bench/readers (the fixtures the tests build);
# 3. times, median of 21 runs, wall clock: `nianbao lint` on each form, whole process; reading
#    each into a Document in process (input::read); pdftotext alone on each PDF (its share of
#    the PDF's whole process); and the peak memory of reading the 40 MB file.
# The official template and the huaian PDF from ../shared/samples are measured when present.
# PDF rows need pdftotext (apt-get install poppler-utils poppler-data).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench/readers
runs=21
mkdir -p "$out"

cargo build --release --quiet --bin nianbao --example bench_readers
nianbao=target/release/nianbao
tool=target/release/examples/bench_readers
"$tool" make "$out" tests/fixtures/samples/shaoxing-2019.txt

# shellcheck source=scripts/median.sh
source scripts/median.sh

files=(
  tests/fixtures/samples/shaoxing-2019.txt
  "$out/shaoxing-2019-gb18030.txt"
  "$out/shaoxing-2019-utf16le.txt"
  "$out/shaoxing-2019.docx"
  "$out/shaoxing-2019.pdf"
)
for f in ../shared/samples/official-template-2021.docx ../shared/samples/huaian-2024.pdf; do
  [ -f "$f" ] && files+=("$f")
done
have_pdftotext=$(command -v pdftotext || true)

printf '%-52s %12s %14s %14s %10s\n' "file" "lint, whole" "input::read" "pdftotext" "share"
for f in "${files[@]}"; do
  case "$f" in *.pdf) [ -z "$have_pdftotext" ] && { echo "$f: skipped (no pdftotext)"; continue; } ;; esac
  lint=$(median_ms "$nianbao" lint "$f")
  if ! "$nianbao" lint "$f" >/dev/null 2>"$out/err.txt" && grep -q "不是 UTF-8\|无法" "$out/err.txt"; then
    lint="(unread)"
  fi
  read_ms=$("$tool" read "$f" "$runs" | sed -E 's/.*: ([0-9.]+) ms median.*/\1/')
  pdf="-"
  share="-"
  case "$f" in
    *.pdf)
      pdf=$(median_ms pdftotext -layout -enc UTF-8 "$f" -)
      share=$(awk -v p="$pdf" -v l="$lint" -v r="$read_ms" 'BEGIN { t = (l ~ /^[0-9.]+$/) ? l : r; printf "%.0f%%", 100 * p / t }')
      ;;
  esac
  printf '%-52s %9s ms %11s ms %11s ms %10s\n' "$f" "$lint" "$read_ms" "$pdf" "$share"
done

echo
/usr/bin/time -f '%M' -o "$out/time.txt" "$tool" read "$out/big-gb18030.txt" 1
awk '{ printf "peak RSS reading the 40 MB GB18030 file into a Document: %.0f MB\n", $1 / 1024 }' "$out/time.txt"
echo
echo "targets: one .docx report, whole process, < 20 ms; a PDF dominated by pdftotext; 40 MB file well under 200 MB"
echo "(\"(unread)\": lint does not read this format yet, so only input::read is timed)"
