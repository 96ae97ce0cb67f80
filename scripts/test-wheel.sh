#!/usr/bin/env bash
# Builds the wheel (`pip install nianbao`), installs it in a fresh virtual environment and
# lints a seed sample with the installed command, as a user without Rust would.
# Needs python3 (with venv) and maturin (installed into a build venv when missing).
# Prints the wheel's size. Exit status: 0 when the installed command works.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! python3 -m venv "$work/build" >/dev/null 2>&1; then
  echo "test-wheel: python3 -m venv is not available; skipped" >&2
  exit 0
fi
if command -v maturin >/dev/null 2>&1; then
  maturin=maturin
else
  "$work/build/bin/pip" install -q 'maturin>=1.5,<2'
  maturin="$work/build/bin/maturin"
fi

"$maturin" build --locked --out "$work/wheels" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
wheel=$(ls "$work"/wheels/nianbao-*.whl)
echo "wheel: $(basename "$wheel") $(du -k "$wheel" | cut -f1) KiB"

python3 -m venv "$work/user"
"$work/user/bin/pip" install -q --no-index "$wheel"
installed="$work/user/bin/nianbao"
[[ -x $installed ]] || { echo "test-wheel: the wheel installed no nianbao command" >&2; exit 1; }
"$installed" --version

# A seed sample: a published report, which lints with findings (exit 1) but never fails
# to run (exit 2).
set +e
"$installed" lint --output-format concise tests/fixtures/samples/shaoxing-2019.txt >"$work/lint.txt"
status=$?
set -e
tail -n 1 "$work/lint.txt"
if ((status > 1)); then
  echo "test-wheel: the installed nianbao failed (exit $status)" >&2
  exit 1
fi
grep -q "检查了 1 个文件" "$work/lint.txt" \
  || { echo "test-wheel: the installed nianbao did not check the sample" >&2; exit 1; }
echo "test-wheel: ok"
