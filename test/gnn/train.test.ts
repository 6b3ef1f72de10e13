// Training: the loss by hand, AUC by hand, φ sectors partition the edges, a tiny run learns a separable toy
// problem, and checkpoint + resume continues exactly where an unbroken run would be.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/gnn/backend.ts';
import { loadModel, loadTrainState, saveTrainState } from '../../src/gnn/checkpoint.ts';
import { trainConfigSchema, type TrainConfig } from '../../src/gnn/config.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { chooseThreshold, rocAuc, scoreMetrics, sumScoreMetrics } from '../../src/gnn/metrics.ts';
import { modelVariables } from '../../src/gnn/model.ts';
import { phiSectors, trainingTargets, trainModel, weightedBce } from '../../src/gnn/train.ts';
import { toyGraph } from './helpers.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gnn-train-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = (over: Partial<TrainConfig> = {}): TrainConfig =>
  trainConfigSchema.parse({
    trainDir: 'unused',
    valDir: 'unused',
    model: { hidden: 8, iterations: 2, mlpLayers: 2 },
    epochs: 6,
    learningRate: 0.02,
    lrDecay: 0.9,
    maxEdgesPerStep: 150,
    patience: 10,
    ...over,
  });

describe('loss and metrics by hand', () => {
  it('weighted BCE: logit 0 costs ln 2 per edge whatever the weights; a confident right answer costs ~0', async () => {
    expect((await weightedBce(tf.tensor1d([0, 0]), tf.tensor1d([1, 0]), 3).data())[0]).toBeCloseTo(Math.LN2, 5);
    // Edge 1 true with logit +20, edge 2 false with logit −20: −log σ(20) ≈ 2e-9.
    expect((await weightedBce(tf.tensor1d([20, -20]), tf.tensor1d([1, 0]), 3).data())[0]).toBeLessThan(1e-6);
    // One true edge at logit 0 (weight 3, cost ln 2) and one false edge at logit ln 3 (cost ln(1+3) = ln 4):
    // (3·ln 2 + ln 4) / (3 + 1).
    expect((await weightedBce(tf.tensor1d([0, Math.log(3)]), tf.tensor1d([1, 0]), 3).data())[0]).toBeCloseTo(
      (3 * Math.LN2 + Math.log(4)) / 4,
      5,
    );
  });

  it('AUC: fraction of (true, false) pairs ordered right, ties count ½', () => {
    // True scores 0.35, 0.8; false 0.1, 0.4: pairs right = (0.35>0.1), (0.8>0.1), (0.8>0.4) = 3 of 4.
    expect(rocAuc(Float32Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1]))).toBeCloseTo(0.75, 10);
    expect(rocAuc(Float32Array.from([0.5, 0.5]), Uint8Array.from([0, 1]))).toBeCloseTo(0.5, 10);
    // Leaving out the true edge at 0.35: the remaining true edge (0.8) beats both false ones → 1.
    expect(rocAuc(Float32Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1]), Uint8Array.from([1, 1, 0, 1]))).toBe(1);
  });

  it('efficiency and purity at a threshold count selected edges', () => {
    const g = toyGraph(10, 4, 1);
    g.y = Uint8Array.from([1, 1, 0, 0]);
    g.truth!.ptGeV.fill(0.5); // below 1 GeV: no target edges
    const m = scoreMetrics(g, Float32Array.from([0.9, 0.2, 0.7, 0.1]), 0.5);
    expect(m.efficiency).toBe(0.5); // 1 of 2 true edges selected
    expect(m.purity).toBe(0.5); // 1 of 2 selected edges true
    expect(m.targetEdges).toBe(0);
    // Nodes 0–3 of one particle, 4–9 noise: edges 0→1 (same particle, labelled true), 2→3 (same particle but a
    // layer skip, labelled false), 4→5 and 0→6 (fakes). Selected at 0.5: 0→1, 2→3 → same-particle purity 1.
    g.src = Uint32Array.from([0, 2, 4, 0]);
    g.dst = Uint32Array.from([1, 3, 5, 6]);
    g.y = Uint8Array.from([1, 0, 0, 0]);
    g.truth!.particle.fill(-1).fill(0, 0, 4);
    const m2 = scoreMetrics(g, Float32Array.from([0.9, 0.7, 0.2, 0.1]), 0.5);
    expect(m2.purity).toBe(0.5);
    expect(m2.puritySameParticle).toBe(1);
    // Summing two graphs sums the counts: 1 + 1 selected true edges of 2 + 1 true edges; AUC is the mean.
    const sum = sumScoreMetrics([m, m2]);
    expect(sum.selected).toBe(4);
    expect(sum.efficiency).toBe(2 / 3);
    expect(sum.purity).toBe(2 / 4);
    expect(sum.auc).toBeCloseTo((m.auc + m2.auc) / 2, 10);
  });
});

describe('threshold choice', () => {
  it('balances pT > 1 efficiency against both purities: a true lower-pT edge is right for one, left out of the other', () => {
    const g = toyGraph(10, 6, 2);
    // Edges 0–2 target (pT 2), edge 3 true but pT 0.5, edges 4–5 fakes.
    g.src = Uint32Array.from([0, 1, 2, 3, 4, 5]);
    g.dst = Uint32Array.from([1, 2, 3, 4, 5, 6]);
    g.y = Uint8Array.from([1, 1, 1, 1, 0, 0]);
    g.truth!.ptGeV.fill(2);
    g.truth!.ptGeV[3] = 0.5;
    const scores = Float32Array.from([0.95, 0.855, 0.355, 0.9, 0.6, 0.405]);
    // Above 0.855: targets {0.95} → eff 1/3. From 0.85 (the grid) down to 0.61: {0.95, 0.855} and the lower-pT 0.9 →
    // eff 2/3, purity 3/3, purity(pT>1) 2/2. Adding the fake at 0.6: purity(pT>1) 2/3; the fake at 0.405: 2/4.
    // Adding the target at 0.355: eff 1 but purity 4/6, purity(pT>1) 3/5. Best worst case 2/3, first at 0.85.
    const best = chooseThreshold([g], [scores]);
    expect(best.threshold).toBe(0.85);
    expect(best.efficiencyPt1).toBeCloseTo(2 / 3, 10);
    expect(best.purity).toBe(1);
    expect(best.purityPt1).toBe(1);
  });
});

describe('training targets', () => {
  it('at 1 GeV: true edges of faster particles are positives, slower true edges are masked out', () => {
    const g = toyGraph(4, 4, 1);
    g.src = Uint32Array.from([0, 1, 2, 3]);
    g.dst = Uint32Array.from([1, 2, 3, 0]);
    g.y = Uint8Array.from([1, 1, 0, 0]);
    g.truth!.ptGeV = Float32Array.from([2, 0.5, 3, 0.2]);
    const t = trainingTargets(g, 1);
    expect(Array.from(t.y)).toEqual([1, 0, 0, 0]);
    expect(Array.from(t.mask)).toEqual([1, 0, 1, 1]);
    const all = trainingTargets(g, 0);
    expect(Array.from(all.y)).toEqual([1, 1, 0, 0]);
    expect(Array.from(all.mask)).toEqual([1, 1, 1, 1]);
  });

  it('masked edges do not enter the loss', async () => {
    // Edge 2 is masked: the loss equals that of edges 0 and 1 alone.
    const masked = await weightedBce(tf.tensor1d([0, 2, -7]), tf.tensor1d([1, 0, 1]), 3, tf.tensor1d([1, 1, 0])).data();
    const alone = await weightedBce(tf.tensor1d([0, 2]), tf.tensor1d([1, 0]), 3).data();
    expect(masked[0]).toBeCloseTo(alone[0], 6);
  });
});

describe('φ sectors', () => {
  it('partition the edges, keep labels and features, and respect the size bound roughly', () => {
    const g = toyGraph(200, 1000, 7);
    for (let n = 0; n < 200; n++) g.nodeFeatures[n * 3 + 1] = -1 + (2 * n + 1) / 200; // φ/π spread over (−1, 1)
    const sectors = phiSectors(g, 200);
    expect(sectors.length).toBe(5);
    expect(sectors.reduce((n, s) => n + s.src.length, 0)).toBe(1000);
    expect(sectors.reduce((n, s) => n + s.y.reduce((a, b) => a + b, 0), 0)).toBe(g.y!.reduce((a, b) => a + b, 0));
    // Every sector edge is an original edge with the same features (look it up by its end nodes' features).
    const key = (nf: Float32Array, a: number, b: number): string => `${nf.slice(a * 3, a * 3 + 3)}|${nf.slice(b * 3, b * 3 + 3)}`;
    const original = new Map<string, number>();
    for (let e = 0; e < 1000; e++)
      original.set(`${key(g.nodeFeatures, g.src[e], g.dst[e])}|${g.edgeFeatures.slice(e * 5, e * 5 + 5)}`, g.y![e]);
    for (const s of sectors)
      for (let e = 0; e < s.src.length; e++)
        expect(original.get(`${key(s.nodeFeatures, s.src[e], s.dst[e])}|${s.edgeFeatures.slice(e * 5, e * 5 + 5)}`)).toBe(s.y[e]);
  });
});

describe('training', () => {
  it('learns a separable toy graph (true edges have small Δφ) from scratch', async () => {
    const train = [toyGraph(100, 600, 11), toyGraph(100, 600, 12)];
    const val = [toyGraph(100, 600, 13)];
    const state = await trainModel(config({ epochs: 10 }), train, val);
    const last = state.history[state.history.length - 1];
    expect(state.history[0].valLoss).toBeGreaterThan(last.valLoss);
    const scores = await classifyEdges(val[0], state.model);
    const m = scoreMetrics(val[0], scores, 0.5);
    expect(m.auc).toBeGreaterThan(0.97);
    expect(m.efficiency).toBeGreaterThan(0.9);
    expect(m.purity).toBeGreaterThan(0.9);
    expect(last.val.auc).toBeCloseTo(m.auc, 5);
  });

  it('resumes from a checkpoint to the same weights as an unbroken run (fixed seed)', async () => {
    const train = [toyGraph(60, 300, 21)];
    const val = [toyGraph(60, 300, 22)];
    const unbroken = await trainModel(config({ epochs: 3 }), train, val);
    const first = await trainModel(config({ epochs: 2 }), train, val);
    const dir = path.join(tmp, 'ckpt');
    await saveTrainState(dir, first, { note: 'test' });
    const resumed = await trainModel(config({ epochs: 3 }), train, val, { resume: loadTrainState(dir) });
    expect(resumed.epoch).toBe(3);
    expect(resumed.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    const a = modelVariables(unbroken.model).map((v) => Array.from(v.dataSync()));
    const b = modelVariables(resumed.model).map((v) => Array.from(v.dataSync()));
    expect(b).toEqual(a);
    // The saved model alone (model.json + weights.bin) scores like the in-memory one.
    const { model, file } = loadModel(dir);
    expect(file.meta.note).toBe('test');
    expect(Array.from(await classifyEdges(val[0], model))).toEqual(Array.from(await classifyEdges(val[0], first.model)));
  });
});
