#!/bin/bash
# Runs on a lent GPU machine that has no Node and no registry (bench/device/pack.sh builds what it needs into
# gpu-pack/): unpacks Node and the bundled CLIs, simulates and builds graphs on all cores, then (MODE probe) times
# inference of the shipped model on webgpu and wasm, and trains with TRAIN_CFG (bench/device/*.yaml) if set.
# usage, from the repo root: [TRAIN_CFG=bench/device/train-ft-webgpu.yaml] [TRAIN_EVENTS=192] bash bench/device/run.sh probe|train|pipeline
# (DRY=1 runs it here, without unpacking).
set -uo pipefail
T0=$(date +%s)
el() { echo "[$(( $(date +%s) - T0 ))s] $*"; }
if [ -z "${DRY:-}" ]; then
  for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
  mkdir -p /tmp/gp; xz -dc gpu-pack/node.xz > /tmp/gp/node; chmod +x /tmp/gp/node; export PATH=/tmp/gp:$PATH
  tar -xJf gpu-pack/pack.tar.xz -C gpu-pack
  export XDG_RUNTIME_DIR=/tmp/xdg; mkdir -p $XDG_RUNTIME_DIR; chmod 700 $XDG_RUNTIME_DIR
  nvidia-smi --query-gpu=name,driver_version,memory.total,utilization.gpu --format=csv
  for d in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d; do ls $d 2>/dev/null | sed "s|^|$d/|"; done
  if [ ! -e /usr/share/vulkan/icd.d/nvidia_icd.json ] && [ ! -e /etc/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  fi
fi
node --version; nproc
P=${PROCS:-16}
G=${GD:-/tmp/gd}
mkdir -p $G
# gen SEED FIRST COUNT NAME: COUNT events split over P processes → $G/NAME (links to per-process graph dirs)
gen() {
  local seed=$1 first=$2 count=$3 name=$4 per=$(( ($3 + P - 1) / P )) i=0
  for ((k = first; k < first + count; k += per)); do
    local n=$(( first + count - k < per ? first + count - k : per ))
    ( node gpu-pack/cli/simulate.mjs --output $G/sim-$name-$i --events $n --seed $seed --first-event $k --format csv >/dev/null &&
      node gpu-pack/cli/graphs.mjs --input $G/sim-$name-$i --output $G/gr-$name-$i --config pipelines/graphs-modulemap-pixel.yaml >/dev/null ) 2>&1 | tail -3 &
    i=$((i + 1))
  done
  wait
  mkdir -p $G/$name
  for d in $G/gr-$name-*; do ln -sf $d/*.arrow $G/$name/; cp $d/provenance-graphs.json $G/$name/; done
  el "$name: $(ls $G/$name | grep -c nodes.arrow) graphs"
}
if [ "$1" = pipeline ]; then
  # The pipeline benchmark's 3 events (seed 4242, events 1–3), run with the default config (auto: webgpu on a
  # hardware adapter) and with the wasm backend, both on this machine; then the shipped model's inference alone.
  node gpu-pack/cli/simulate.mjs --output $G/pipe --events 3 --seed 4242 --first-event 1 --format csv >/dev/null
  sed 's/^backend: auto/backend: wasm/' pipelines/pipeline-default.yaml > $G/pipeline-wasm.yaml
  for c in pipelines/pipeline-default.yaml $G/pipeline-wasm.yaml; do
    el "pipeline $c"; node gpu-pack/cli/pipeline.mjs --input $G/pipe --output $G/out-$(basename $c .yaml) --config $c 2>&1 | tail -25
  done
  P=1 gen 12 1000 1 test
  for b in webgpu wasm; do el "infer $b"; node gpu-pack/cli/gnn.mjs --child $b $G/test/event000001000 trackml-data/model ${REPEATS:-5} 2>&1 | tail -1; done
  el done; exit 0
fi
gen 12 1000 ${TEST_EVENTS:-3} test
gen 13 2000 ${VAL_EVENTS:-6} val
gen 11 0 ${TRAIN_EVENTS:-96} train
el "data ready"
if [ "$1" = probe ]; then
  for b in webgpu wasm; do el "infer $b"; node gpu-pack/cli/gnn.mjs --child $b $G/test/event000001000 trackml-data/model ${REPEATS:-10} 2>&1 | tail -4; done
fi
if [ -n "${TRAIN_CFG:-}" ]; then
  mkdir -p runs
  el "train $TRAIN_CFG"
  node gpu-pack/cli/train.mjs --config $TRAIN_CFG ${TRAIN_ARGS:-} 2>&1 | tr '\r' '\n' | grep -v "^\s*$" | grep -v " steps " | tail -40
  el "trained"
  [ -n "${OUT:-}" ] && tar -czf $OUT/run.tgz -C runs . && ls -la $OUT
fi
el done
