// Engine choice (src/gnn/engine.ts): 'auto' takes ONNX Runtime on the CPU when onnxruntime-node loads (measured ~4×
// faster than tfjs wasm per event, BENCHMARKS.md), the tfjs chain otherwise or when a user installed the CUDA backend;
// a forced engine is used as asked; the two engines agree.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEngine, openEngine, planEngines } from '../../src/gnn/engine.ts';
import { repoRoot } from '../real-data.ts';
import { toyGraph } from './helpers.ts';

const MODEL_DIR = path.join(repoRoot, 'trackml-data', 'model');

describe('engine choice', () => {
  it('plans ort-cpu first for auto when it loads, else the tfjs chain with the reason; forced engines as asked', () => {
    expect(planEngines('auto', undefined, false)).toEqual({ tryOrt: true, tfjs: undefined, attempts: [] });
    const without = planEngines('auto', 'onnxruntime-node failed to load: no binary', false);
    expect(without.tryOrt).toBe(false);
    expect(without.tfjs).toBe('auto');
    expect(without.attempts).toEqual([{ engine: 'ort-cpu', ok: false, reason: 'onnxruntime-node failed to load: no binary' }]);
    expect(planEngines('auto', undefined, true)).toEqual({ tryOrt: false, tfjs: 'auto', attempts: [] });
    expect(planEngines('wasm', undefined, false)).toEqual({ tryOrt: false, tfjs: 'wasm', attempts: [] });
    expect(planEngines('ort-cpu', 'missing', false).tryOrt).toBe(true);
  });

  it('auto runs ort-cpu here (onnxruntime-node is a dependency), wasm when forced, and both give the same scores', async () => {
    const auto = await openEngine(MODEL_DIR, 'auto');
    expect(auto.engine).toBe('ort-cpu');
    expect(describeEngine(auto).split('\n').pop()).toBe('engine: ort-cpu (onnxruntime-node, 1 intra-op thread)');
    const wasm = await openEngine(MODEL_DIR, 'wasm');
    expect(wasm.engine).toBe('wasm');
    expect(wasm.attempts).toEqual([{ engine: 'wasm', ok: true, reason: undefined }]);
    const g = toyGraph(500, 3000, 3);
    const a = await auto.classify(g);
    const b = await wasm.classify(g);
    expect(a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)).toBeLessThan(1e-4);
    await auto.release();
    await wasm.release();
  }, 60_000);
});
