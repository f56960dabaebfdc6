#!/usr/bin/env bash
# Packs bench/gpu-probe.ts for a GPU machine that has no registry: one CommonJS bundle, the
# wasm files, the examples and samples, Dawn (the optional `webgpu` package, not a project
# dependency) and a compressed Node binary, into .gpu/ (git-ignored). On that machine:
#   xz -dc .gpu/node.xz >/tmp/node && chmod +x /tmp/node
#   /tmp/node .gpu/probe.cjs --wasm-dir $PWD/.gpu/wasm/ --public $PWD/.gpu/public
# (Dawn needs the Vulkan loader: libvulkan1 and the glvnd libraries from Debian.)
set -euo pipefail
cd "$(dirname "$0")/.."
out=.gpu
mkdir -p "$out/wasm" "$out/public" "$out/node_modules"
npx esbuild bench/gpu-probe.ts --bundle --platform=node --format=cjs --external:webgpu --minify --log-level=error --outfile="$out/probe.cjs"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/wasm/"
cp -r public/examples public/samples "$out/public/"
if [ ! -d "$out/node_modules/webgpu" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent webgpu@0.6.2 >/dev/null && tar xzf webgpu-0.6.2.tgz package/index.js package/package.json package/dist/linux-x64)
  mv "$tmp/package" "$out/node_modules/webgpu"
fi
[ -f "$out/node.xz" ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"
du -sh "$out"
