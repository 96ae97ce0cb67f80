#!/usr/bin/env bash
# Builds the web page into target/web/:
#   index.html        one self-contained file: the page, its script, the WebAssembly module
#                     (gzip + base64) and the bundled example, openable from disk (file://)
#   nianbao.js        the wasm-bindgen module (`--target web`) for integrators and static servers
#   nianbao_bg.wasm   its WebAssembly, and nianbao.d.ts its TypeScript declarations
# Needs the wasm32-unknown-unknown target (added with rustup when missing), wasm-bindgen-cli of
# exactly the version of the wasm-bindgen crate in Cargo.lock (installed into target/web-tools
# when the one on PATH differs), python3, and optionally wasm-opt (binaryen 120 or later, or
# npm's binaryen package run by Node) to shrink the module. Prints the sizes. Exits 3 when
# wasm-bindgen-cli cannot be installed (.ci/run then skips the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
out=target/web
tools=target/web-tools

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "== rustup target add $target"
  rustup target add "$target"
fi

# Size over speed: the page is downloaded or mailed, and linting one report takes milliseconds.
# The overrides apply to this build only (the wasm target has its own folder under target/).
echo "== cargo build -p nianbao-web --release --target $target"
CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
CARGO_PROFILE_RELEASE_LTO=true \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
CARGO_PROFILE_RELEASE_DEBUG=false \
CARGO_PROFILE_RELEASE_PANIC=abort \
  cargo build -p nianbao-web --release --locked --target "$target"
wasm="target/$target/release/nianbao_web.wasm"

# wasm-bindgen's command and library must be the same version: take it from Cargo.lock.
version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [[ -z $version ]]; then
  echo "build-web.sh: no wasm-bindgen in Cargo.lock" >&2
  exit 2
fi
bindgen=wasm-bindgen
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]]; then
  bindgen="$tools/bin/wasm-bindgen"
  if [[ "$("$bindgen" --version 2>/dev/null)" != "wasm-bindgen $version" ]]; then
    echo "== cargo install wasm-bindgen-cli $version into $tools (a few minutes, once)"
    # --locked first; if a crate that wasm-bindgen-cli's lock file names is missing from the
    # registry, resolve its dependencies afresh (the command itself is still exactly $version).
    if ! cargo install --quiet --locked --version "$version" wasm-bindgen-cli --root "$tools" \
        && ! cargo install --quiet --version "$version" wasm-bindgen-cli --root "$tools"; then
      echo "build-web.sh: wasm-bindgen-cli $version could not be installed" >&2
      exit 3
    fi
  fi
fi

echo "== wasm-bindgen --target web"
rm -rf "$out"
mkdir -p "$out"
"$bindgen" --target web --out-dir "$out" --out-name nianbao "$wasm"

# wasm-opt shrinks the module further. Binaryen before 120 rewrites wasm-bindgen's table of
# JavaScript values into the function table (Debian 12's 108 does: the page then cannot start),
# so an older one on PATH is passed over for the npm registry's `binaryen` package, installed
# into target/web-tools/npm and run by Node. Without either the module is left as it is.
binaryen=132.0.0
wasm_opt=""
if command -v wasm-opt >/dev/null 2>&1 \
    && [[ $(wasm-opt --version | grep -o 'version [0-9]*' | grep -o '[0-9]*') -ge 120 ]]; then
  wasm_opt=wasm-opt
elif [[ -x $tools/npm/node_modules/.bin/wasm-opt ]]; then
  wasm_opt=$tools/npm/node_modules/.bin/wasm-opt
elif command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  echo "== npm install binaryen@$binaryen into $tools/npm (for wasm-opt)"
  if npm install --silent --prefix "$tools/npm" --no-audit --no-fund "binaryen@$binaryen" >/dev/null 2>&1; then
    wasm_opt=$tools/npm/node_modules/.bin/wasm-opt
  fi
fi
if [[ -n $wasm_opt ]]; then
  echo "== wasm-opt -Oz ($("$wasm_opt" --version))"
  "$wasm_opt" -Oz -o "$out/nianbao_bg.opt.wasm" "$out/nianbao_bg.wasm"
  mv "$out/nianbao_bg.opt.wasm" "$out/nianbao_bg.wasm"
else
  echo "== no wasm-opt of binaryen 120 or later (npm install binaryen): the module is not shrunk further"
fi

echo "== assemble $out/index.html"
python3 - "$out" <<'PY'
import base64, gzip, hashlib, pathlib, re, sys

out = pathlib.Path(sys.argv[1])
web = pathlib.Path("web")
template = (web / "index.html").read_text(encoding="utf-8")
style = (web / "page.css").read_text(encoding="utf-8")
bindings = (out / "nianbao.js").read_text(encoding="utf-8")
page = (web / "page.js").read_text(encoding="utf-8")
example_path = pathlib.Path("examples/qingshan-2023.yaml")
example = example_path.read_text(encoding="utf-8")
wasm = (out / "nianbao_bg.wasm").read_bytes()

# page.js imports the bindings when served beside nianbao.js; inlined after them, the import
# goes and the page runs in a block of its own, so its names never meet the bindings'.
lines = page.splitlines()
kept = [line for line in lines if not line.rstrip().endswith("// nianbao:strip")]
if len(kept) != len(lines) - 1:
    sys.exit("build-web.sh: page.js must have exactly one `// nianbao:strip` import line")
if "__wbg_init as default" not in bindings:
    sys.exit("build-web.sh: nianbao.js does not export __wbg_init as default (wasm-bindgen changed?)")
script = bindings + "\n{\nconst init = __wbg_init;\n" + "\n".join(kept) + "\n}\n"
for name, text in [("nianbao.js + page.js", script), ("page.css", style), (str(example_path), example)]:
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        sys.exit(f"build-web.sh: {name} contains a closing </script> or </style> tag")

def digest(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

# Only these two inline blocks may run or style; no request of any kind may leave the page.
csp = "; ".join([
    "default-src 'none'",
    f"script-src {digest(script)} 'wasm-unsafe-eval'",
    f"style-src {digest(style)}",
    "img-src data:",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
])
packed = base64.b64encode(gzip.compress(wasm, compresslevel=9, mtime=0)).decode("ascii")
parts = {
    "<!-- nianbao:style -->": f"<style>{style}</style>",
    "<!-- nianbao:example -->":
        f'<script type="text/plain" id="nianbao-example" data-name="{example_path.name}">{example}</script>',
    "<!-- nianbao:wasm -->":
        f'<script type="application/octet-stream" id="nianbao-wasm">\n{packed}\n</script>',
    "<!-- nianbao:script -->": f'<script type="module">{script}</script>',
    "__NIANBAO_CSP__": csp,
}
html = template
for marker, text in parts.items():
    if html.count(marker) != 1:
        sys.exit(f"build-web.sh: web/index.html must hold {marker} exactly once")
    html = html.replace(marker, text)
html = re.sub(r"<!--\n  The page's source\..*?-->\n", "", html, flags=re.DOTALL)
(out / "index.html").write_text(html, encoding="utf-8")
PY

size() { stat -c %s "$1"; }
gz=$(gzip -9 -c "$out/nianbao_bg.wasm" | wc -c)
echo "== sizes"
printf '   %-44s %9d bytes\n' "$wasm (cargo)" "$(size "$wasm")"
printf '   %-44s %9d bytes (%d gzipped)\n' "$out/nianbao_bg.wasm" "$(size "$out/nianbao_bg.wasm")" "$gz"
printf '   %-44s %9d bytes\n' "$out/nianbao.js" "$(size "$out/nianbao.js")"
printf '   %-44s %9d bytes\n' "$out/index.html" "$(size "$out/index.html")"
