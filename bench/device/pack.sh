#!/bin/bash
# Builds gpu-pack/ (git-ignored) for bench/device/run.sh: Node itself (xz), the train/simulate/graphs/gnn-bench CLIs
# bundled with esbuild (tfjs inside; the wasm binaries beside them), the webgpu package's linux-x64 Dawn, and the
# Vulkan/EGL loader packages the lent machine lacks (.gl/, the device README's recipe). Carry gpu-pack and .gl.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p gpu-pack gpu-build/cli gpu-build/node_modules/webgpu/dist .gl
banner="import { createRequire as __cr } from 'module'; import { fileURLToPath as __fu } from 'url'; import { dirname as __dn } from 'path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
# Bundles sit two folders down (gpu-pack/cli/) like src/cli/*.ts, so paths relative to the source stay right.
# index.mjs holds every command (src/cli/index.ts); <name>.mjs runs command <name> (src/cli/commands/<name>.ts).
for e in src/cli/index.ts bench/gnn.bench.ts; do
  n=$(basename "$e" .ts); n=${n%.bench}
  npx esbuild "$e" --bundle --platform=node --format=esm --target=node20 --outfile="gpu-build/cli/$n.mjs" \
    --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --banner:js="$banner" --log-level=error
done
for c in train simulate stage-graphs:graphs pipeline; do
  printf '%s\n' "process.argv.splice(2, 0, '${c%%:*}');" "await import('./index.mjs');" > "gpu-build/cli/${c##*:}.mjs"
done
# The pipeline's tracks worker (overlap): its boot file imports the bundled module instead of registering tsx.
npx esbuild src/pipeline/finish-worker.ts --bundle --platform=node --format=esm --target=node20 --outfile=gpu-build/cli/finish-worker.mjs --banner:js="$banner" --log-level=error
printf '%s\n' "import { workerData } from 'node:worker_threads';" "await import(workerData.module.replace(/\\.ts\$/, '.mjs'));" > gpu-build/cli/worker-boot.mjs
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm gpu-build/cli/
cp node_modules/webgpu/{index.js,package.json} gpu-build/node_modules/webgpu/
cp -r node_modules/webgpu/dist/linux-x64 gpu-build/node_modules/webgpu/dist/
tar -cJf gpu-pack/pack.tar.xz -C gpu-build cli node_modules
[ -f gpu-pack/node.xz ] || xz -T2 -6 -c "$(command -v node)" > gpu-pack/node.xz
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial; apt-get $o update >/dev/null
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
for p in /gpu-pack/ /gpu-build/ /.gl/; do grep -qx "$p" .git/info/exclude || echo "$p" >> .git/info/exclude; done
du -sh gpu-pack .gl
