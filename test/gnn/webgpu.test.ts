// The WebGPU path through a software adapter (Mesa llvmpipe over GLES, or SwiftShader Vulkan), so it cannot rot
// on machines without a GPU: forward scores and a training gradient step match the cpu backend. Skips, printing
// why, only when no adapter exists at all (see the README for the packages and environment it needs).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend, trimGpuBufferPool } from '../../src/gnn/backend.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { createModel, forward, graphTensors, modelVariables } from '../../src/gnn/model.ts';
import { weightedBce } from '../../src/gnn/train.ts';
import { toyGraph } from './helpers.ts';

let unavailable: string | undefined;
try {
  await selectBackend('webgpu');
} catch (err) {
  unavailable = (err as Error).message;
  process.stderr.write(`webgpu tests skipped: ${unavailable}\n`);
}

// Skipped only off CI: .ci/run installs Mesa, so in CI a missing adapter is a failure, not a skip.
describe.skipIf(unavailable !== undefined && !process.env.CI)('webgpu backend (software adapter)', () => {
  const g = toyGraph(40, 150, 9);

  async function scoresAndGrads(backend: 'webgpu' | 'cpu'): Promise<{ scores: Float32Array; grads: Float32Array[] }> {
    await selectBackend(backend);
    // Same seed, same weights on any backend. (Tensors made on webgpu cannot move to another backend in Node:
    // tfjs would read them back synchronously through an OffscreenCanvas.)
    const model = createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 5);
    const scores = await classifyEdges(g, model, { chunkEdges: 64 });
    const gt = graphTensors(g, 64);
    const y = tf.tensor1d(g.y!, 'float32');
    const vars = modelVariables(model);
    const { grads } = tf.variableGrads(() => weightedBce(forward(model, gt, true), y, 3), vars);
    const out = await Promise.all(vars.map(async (v) => (await grads[v.name].data()) as Float32Array));
    tf.dispose(Object.values(grads));
    return { scores, grads: out };
  }

  it('matches cpu on scores and gradients', async () => {
    const gpu = await scoresAndGrads('webgpu');
    const cpu = await scoresAndGrads('cpu');
    for (let e = 0; e < cpu.scores.length; e++) expect(gpu.scores[e]).toBeCloseTo(cpu.scores[e], 4);
    cpu.grads.forEach((gc, i) => {
      const scale = Math.max(1e-3, ...Array.from(gc, Math.abs));
      for (let k = 0; k < gc.length; k++) expect(Math.abs(gpu.grads[i][k] - gc[k])).toBeLessThan(1e-3 * scale + 1e-6);
    });
  });

  it('trimGpuBufferPool destroys the pooled buffers of varying sizes, and later ops still compute', async () => {
    await selectBackend('webgpu');
    trimGpuBufferPool();
    const allocated = (): number => (tf.memory() as unknown as { numBytesAllocatedInGPU: number }).numBytesAllocatedInGPU;
    const start = allocated();
    // Three shapes, as training steps over sectors of different sizes: each leaves its freed buffers in the pool.
    for (const n of [1000, 1500, 2200]) {
      const t = tf.tidy(() => tf.range(0, n).mul(2).add(1));
      await t.data();
      t.dispose();
    }
    const grown = allocated();
    expect(grown).toBeGreaterThan(start);
    const freed = trimGpuBufferPool();
    expect(freed).toBeGreaterThan(0);
    expect(allocated()).toBe(grown - freed);
    expect(allocated()).toBeLessThanOrEqual(start);
    const t = tf.range(0, 5).mul(3);
    expect(Array.from(await t.data())).toEqual([0, 3, 6, 9, 12]);
    t.dispose();
    await selectBackend('cpu');
    expect(trimGpuBufferPool()).toBe(0);
  });
});
