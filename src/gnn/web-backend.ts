/// <reference lib="dom" />
// Run-time backend choice for tfjs in a browser (the web page's worker), as backend.ts does in Node: 'auto' tries
// webgpu (a hardware adapter; a software one — SwiftShader, llvmpipe — is skipped, being slower than wasm) → wasm
// (XNNPACK, one thread: the same binary and thread count as Node's wasm backend, so the same scores to the bit) →
// cpu, and reports which ran and why each earlier one did not. A forced backend that fails is an error.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendAttempt, BackendName, BackendReport } from './backend-common.ts';

export const WEB_BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
export type WebBackendChoice = (typeof WEB_BACKENDS)[number] | 'auto';

tf.env().set('PROD', true);

const firstLine = (err: unknown): string =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 200);

/** Names that mark a software adapter (CPU rasterisers exposing WebGPU). */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i;

async function tryWebgpu(forced: boolean): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'webgpu: this browser exposes no navigator.gpu (WebGPU off or unsupported here)';
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return `webgpu adapter request failed: ${firstLine(err)}`;
  }
  if (!adapter) return 'webgpu: no adapter (no GPU driver the browser will use)';
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ');
  const software = info?.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(name);
  if (software && !forced)
    return `webgpu: only a software adapter (${name || 'fallback'}), slower than wasm; force it with ?backend=webgpu`;
  if (!tf.findBackendFactory('webgpu')) return 'webgpu: the tfjs webgpu backend did not register (navigator.gpu missing when it loaded)';
  if (!(await tf.setBackend('webgpu'))) return 'webgpu: backend failed to initialise';
  return undefined;
}

async function tryWasm(wasmDir: string): Promise<string | undefined> {
  // Never the threaded build (it needs cross-origin isolation, which a plain static host does not give): the SIMD
  // build with one thread is what tfjs picks in Node too.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(wasmDir);
  setThreadsCount(1);
  try {
    if (!(await tf.setBackend('wasm'))) return 'wasm: backend failed to initialise';
  } catch (err) {
    return `wasm: ${firstLine(err)}`;
  }
  return undefined;
}

/** Activates `choice`; `wasmDir` is the URL folder (ending in /) holding the tfjs wasm binaries. */
export async function selectWebBackend(choice: WebBackendChoice, wasmDir: string): Promise<BackendReport> {
  const order: readonly BackendName[] = choice === 'auto' ? WEB_BACKENDS : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const reason =
      name === 'webgpu'
        ? await tryWebgpu(choice !== 'auto')
        : name === 'wasm'
          ? await tryWasm(wasmDir)
          : (await tf.setBackend('cpu'))
            ? undefined
            : 'cpu: failed to initialise';
    attempts.push(reason === undefined ? { backend: name, ok: true } : { backend: name, ok: false, reason });
    if (reason === undefined) {
      await tf.ready();
      return { backend: name, tfName: tf.getBackend(), attempts };
    }
  }
  throw new Error(`backend ${choice} unavailable: ${attempts.map((a) => a.reason).join('; ')}`);
}
