// The network's shape (parameter counts against hand arithmetic and the published 6,448 anchor), chunked
// forward = unchunked forward, and no tensor leaks across 100 inference calls.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/gnn/backend.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { createModel, disposeGraphTensors, forward, graphTensors, mlpParamCount, paramCount } from '../../src/gnn/model.ts';
import { toyGraph } from './helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('parameter counts', () => {
  it('reproduces the 6,448-parameter IN of DeZoort et al. (3 node, 4 edge features, hidden 40)', () => {
    // Relational model R1: (3+3+4) → 40 → 40 → 4; object model O: (3+4) → 40 → 40 → 3; R2: (3+3+4) → 40 → 40 → 1.
    expect(mlpParamCount([10, 40, 40, 4]) + mlpParamCount([7, 40, 40, 3]) + mlpParamCount([10, 40, 40, 1])).toBe(6448);
  });

  it('counts ours by hand for hidden 40, 2-layer MLPs', () => {
    // Encoders 3→40→40 and 7→40→40 (5 edge features + φ slope + z0); updates 120→40→40 (twice); head 120→40→1.
    const byHand =
      3 * 40 + 40 + 40 * 40 + 40 + (7 * 40 + 40 + 40 * 40 + 40) + 2 * (120 * 40 + 40 + 40 * 40 + 40) + (120 * 40 + 40 + 40 + 1);
    expect(paramCount({ hidden: 40, iterations: 8, mlpLayers: 2 })).toBe(byHand);
    // Without the derived edge inputs the edge encoder's first layer loses 2 × 40 weights.
    expect(paramCount({ hidden: 40, iterations: 8, mlpLayers: 2, derivedFeatures: false })).toBe(byHand - 80);
    // Iterations share the update networks: K does not change the count.
    expect(paramCount({ hidden: 40, iterations: 1, mlpLayers: 2 })).toBe(byHand);
    const m = createModel({ hidden: 40, iterations: 2, mlpLayers: 2 }, 1);
    let n = 0;
    for (const layers of Object.values(m.mlps)) for (const l of layers) n += l.w.size + l.b.size;
    expect(n).toBe(byHand);
  });
});

describe('derived edge inputs', () => {
  it('computes φ slope and z0 of each edge from its features and its inner node', async () => {
    // One edge from (r 100 mm, z 50 mm) with Δr 50 mm, Δφ 0.025 rad, Δz 30 mm:
    // φ slope 0.025/50 = 5e-4 rad/mm → 0.5; z0 = 50 − 100·30/50 = −10 mm → −0.05.
    const g = {
      nodeFeatures: Float32Array.from([0.1, 0, 0.05, 0.15, 0, 0.08]),
      edgeFeatures: Float32Array.from([0.05, 0.025 / Math.PI, 0.03, 0, 0]),
      src: Uint32Array.from([0]),
      dst: Uint32Array.from([1]),
    };
    const gt = graphTensors(g, Infinity, { derivedFeatures: true, tripletFeatures: false });
    const row = Array.from((await gt.chunks[0].features.data()) as Float32Array);
    expect(row).toHaveLength(7);
    expect(row[5]).toBeCloseTo(0.5, 5);
    expect(row[6]).toBeCloseTo(-0.05, 5);
    disposeGraphTensors(gt);
  });
});

describe('forward', () => {
  it('gives the same logits whatever the edge chunk size', async () => {
    const g = toyGraph(40, 200, 2);
    const model = createModel({ hidden: 8, iterations: 3, mlpLayers: 2 }, 4);
    const whole = graphTensors(g);
    const chunked = graphTensors(g, 33);
    expect(chunked.chunks.length).toBe(7);
    const a = (await tf.tidy(() => forward(model, whole, true)).data()) as Float32Array;
    const b = (await tf.tidy(() => forward(model, chunked, false)).data()) as Float32Array;
    for (let e = 0; e < a.length; e++) expect(b[e]).toBeCloseTo(a[e], 4);
    disposeGraphTensors(whole);
    disposeGraphTensors(chunked);
  });

  it('scores are in [0, 1], deterministic for a seed, and depend on the weights', async () => {
    const g = toyGraph(30, 100, 3);
    const s1 = await classifyEdges(g, createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 9));
    const s2 = await classifyEdges(g, createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 9));
    const s3 = await classifyEdges(g, createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 10));
    expect(s1.length).toBe(100);
    expect(s1.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(Array.from(s2)).toEqual(Array.from(s1));
    expect(Array.from(s3)).not.toEqual(Array.from(s1));
  });
});

describe('memory', () => {
  it('keeps tf.memory().numTensors flat across 100 inference calls (chunked and not)', async () => {
    const g = toyGraph(50, 300, 4);
    const model = createModel({ hidden: 8, iterations: 2, mlpLayers: 2 }, 1);
    await classifyEdges(g, model, { chunkEdges: 64 }); // warm-up: backend-internal allocations
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await classifyEdges(g, model, { chunkEdges: i % 2 === 0 ? 64 : 1_000_000 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
