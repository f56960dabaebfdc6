#!/usr/bin/env bash
# Packs bench/training-loop.ts (figure 10) for a machine without a registry: one CommonJS
# bundle, the wasm files, the examples and samples, and a compressed Node binary, into .gpu/
# (git-ignored). On that machine:
#   xz -dc .gpu/node.xz >/tmp/node && chmod +x /tmp/node
#   /tmp/node .gpu/training-loop.cjs --wasm-dir $PWD/.gpu/wasm/ --public $PWD/.gpu/public
set -euo pipefail
cd "$(dirname "$0")/.."
out=.gpu
mkdir -p "$out/wasm" "$out/public"
npx esbuild bench/training-loop.ts --bundle --platform=node --format=cjs --minify --log-level=error --outfile="$out/training-loop.cjs"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/wasm/"
cp -r public/examples public/samples "$out/public/"
[ -f "$out/node.xz" ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"
du -sh "$out"
