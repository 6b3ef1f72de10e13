// Backend selection: 'auto' walks tfjs-node-gpu → tfjs-node → webgpu → wasm → cpu and reports why each skipped
// backend was skipped; a forced backend either runs or fails with its reason; results agree across backends.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BACKENDS, describeBackend, selectBackend } from '../../src/gnn/backend.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { createModel } from '../../src/gnn/model.ts';
import { toyGraph } from './helpers.ts';

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

describe('backend selection', () => {
  it('auto: reports every backend tried before the one that ran, each skip with a one-line reason', async () => {
    const r = await selectBackend('auto');
    expect(tf.getBackend()).toBe(r.tfName);
    const tried = r.attempts.map((a) => a.backend);
    expect(tried).toEqual(BACKENDS.slice(0, BACKENDS.indexOf(r.backend) + 1));
    for (const a of r.attempts.slice(0, -1)) {
      expect(a.ok).toBe(false);
      expect(a.reason).toMatch(new RegExp(`^(@tensorflow/)?${a.backend === 'webgpu' ? 'webgpu' : a.backend}`));
      expect(a.reason).not.toContain('\n');
    }
    expect(r.attempts[r.attempts.length - 1].ok).toBe(true);
    const text = describeBackend(r);
    expect(text.split('\n')).toHaveLength(r.attempts.length);
    expect(text.endsWith(`backend: ${r.backend}`)).toBe(true);
  });

  it('a native backend that is not installed is skipped with the reason, and forcing it is an error', async () => {
    for (const pkg of ['tfjs-node-gpu', 'tfjs-node'] as const) {
      if (installed(`@tensorflow/${pkg}`)) continue; // a machine with libtensorflow: covered by the auto test
      await expect(selectBackend(pkg)).rejects.toThrow(/not installed \(optional dependency/);
    }
    const r = await selectBackend('auto');
    const gpu = r.attempts.find((a) => a.backend === 'tfjs-node-gpu')!;
    if (!installed('@tensorflow/tfjs-node-gpu')) expect(gpu.reason).toMatch(/not installed.*CUDA/);
  });

  it('wasm and cpu can be forced and give the same scores', async () => {
    const g = toyGraph(40, 150, 8);
    const model = createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 2);
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const onCpu = await classifyEdges(g, model);
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = await classifyEdges(g, model);
    for (let e = 0; e < onCpu.length; e++) expect(onWasm[e]).toBeCloseTo(onCpu[e], 5);
  });
});
