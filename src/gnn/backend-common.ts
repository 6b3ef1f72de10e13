// What every tfjs backend choice shares, in Node (backend.ts) and in the web page's worker (web-backend.ts): the
// backend names, the report of which ran and why each earlier one did not, and the WebGPU buffer-pool trim.
// Pure: no Node builtins.
import * as tf from '@tensorflow/tfjs';

import type { BackendName } from './backend-names.ts';

export { BACKENDS, type BackendChoice, type BackendName } from './backend-names.ts';

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it was not used (one line), when ok is false. */
  reason?: string;
}

export interface BackendReport {
  /** The backend now active. */
  backend: BackendName;
  /** tf.getBackend() name ('tensorflow', 'webgpu', 'wasm', 'cpu'). */
  tfName: string;
  attempts: BackendAttempt[];
}

/** One line per skipped backend plus the one that ran, e.g. for stderr. */
export function describeBackend(r: BackendReport): string {
  const skipped = r.attempts.filter((a) => !a.ok).map((a) => `${a.backend} unavailable: ${a.reason}`);
  return [...skipped, `backend: ${r.backend}`].join('\n');
}

interface WebgpuBufferPool {
  freeBuffers: Map<string, GPUBuffer[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
}

/** On webgpu, destroys the buffers tfjs keeps for reuse and returns how many bytes that freed (0 on other
 * backends). tfjs-webgpu pools freed GPU buffers by exact size and never destroys them, so a loop over tensors of
 * varying shapes — training steps on φ sectors of different edge counts — grows GPU memory by roughly one step's
 * worth per step until allocations fail; on an 80 GB H100 training ran out of buffers in its second epoch (invalid
 * buffers, then NaN losses). Call it between steps or events. The map's keys are kept: tfjs-webgpu stops pooling
 * once that map is empty. */
export function trimGpuBufferPool(): number {
  if (tf.getBackend() !== 'webgpu') return 0;
  const pool = (tf.backend() as unknown as { bufferManager?: WebgpuBufferPool }).bufferManager;
  if (!pool?.freeBuffers) return 0;
  let freed = 0;
  for (const list of pool.freeBuffers.values()) {
    for (const b of list) {
      freed += b.size;
      b.destroy();
    }
    list.length = 0;
  }
  pool.numFreeBuffers = 0;
  pool.numBytesAllocated -= freed;
  return freed;
}
