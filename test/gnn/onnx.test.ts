// ONNX export and the onnxruntime engine: the shipped model.onnx is what `npm run export-onnx` makes from the shipped
// weights (byte for byte); the file is the same whether the weights come from the files or a tfjs model; ONNX Runtime
// and tfjs agree on a full event (max |Δscore| ≤ 1e-4, same tracks) and on other network shapes; repeated runs give
// identical scores, also on several threads (edges in parts on the parallel executor, each kernel on one intra-op
// thread: ScatterND's add race stays out, onnx-engine.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { selectBackend } from '../../src/gnn/backend.ts';
import { loadModel } from '../../src/gnn/checkpoint.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { createModel, disposeModel } from '../../src/gnn/model.ts';
import { readModelWeights, weightsOfTfjsModel } from '../../src/gnn/model-weights.ts';
import { OnnxEdgeClassifier } from '../../src/gnn/onnx-engine.ts';
import { exportOnnxFile, interactionNetworkToOnnx, weightsHash } from '../../src/gnn/onnx-export.ts';
import { buildGraph, makeGraphContext } from '../../src/graph/index.ts';
import { pipelineConfigSchema } from '../../src/pipeline/pipeline-config.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { readEvent, type TrackmlEvent } from '../../src/trackml/index.ts';
import { buildEventTracks } from '../../src/tracks/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { toyGraph } from './helpers.ts';

const MODEL_DIR = path.join(repoRoot, 'trackml-data', 'model');
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('ONNX export', () => {
  it('the shipped model.onnx is what export-onnx makes from the shipped weights, byte for byte', () => {
    const out = path.join(tempDir('onnx-export-'), 'model.onnx');
    const { bytes, weightsSha256 } = exportOnnxFile(MODEL_DIR, out);
    const shipped = readFileSync(path.join(MODEL_DIR, 'model.onnx'));
    expect(Buffer.compare(shipped, Buffer.from(bytes)), 'trackml-data/model/model.onnx is stale: run `npm run export-onnx`').toBe(0);
    expect(shipped.includes(Buffer.from(weightsSha256))).toBe(true);
    expect(weightsSha256).toBe(weightsHash(readModelWeights(MODEL_DIR).weights));
  });

  it('the same bytes from the weight files and from the tfjs model holding them; other weights, other bytes', async () => {
    await selectBackend('cpu');
    const { model } = loadModel(MODEL_DIR);
    const fromFiles = interactionNetworkToOnnx(readModelWeights(MODEL_DIR).weights);
    expect(Buffer.compare(Buffer.from(interactionNetworkToOnnx(weightsOfTfjsModel(model))), Buffer.from(fromFiles))).toBe(0);
    const other = createModel(model.config, 3);
    expect(Buffer.compare(Buffer.from(interactionNetworkToOnnx(weightsOfTfjsModel(other))), Buffer.from(fromFiles))).not.toBe(0);
    disposeModel(model);
    disposeModel(other);
  });

  it('runs any network model.ts builds: other hidden sizes, iterations, depths and inputs agree with tfjs', async () => {
    await selectBackend('cpu');
    const graph = toyGraph(300, 2000, 7);
    for (const config of [
      { hidden: 8, iterations: 1, mlpLayers: 1, derivedFeatures: false, tripletFeatures: false },
      { hidden: 16, iterations: 3, mlpLayers: 3, derivedFeatures: true, tripletFeatures: true },
      { hidden: 24, iterations: 0, mlpLayers: 2, derivedFeatures: true, tripletFeatures: false },
      // A low-pT model (the whole-detector pT ≥ 0.3 configs): triplet inputs at its own pT scale on both engines.
      { hidden: 8, iterations: 1, mlpLayers: 2, derivedFeatures: true, tripletFeatures: true, tripletPtGeV: 0.3 },
    ]) {
      const model = createModel(config, 11);
      const engine = await OnnxEdgeClassifier.create(weightsOfTfjsModel(model));
      const ours = await engine.classify(graph);
      const ref = await classifyEdges(graph, model);
      expect(ours.length).toBe(graph.src.length);
      expect(maxAbsDiff(ours, ref), JSON.stringify(config)).toBeLessThan(1e-5);
      // Edges in 3 uneven parts on 3 threads: the same bits as one thread.
      const threaded = await OnnxEdgeClassifier.create(weightsOfTfjsModel(model), { threads: 3 });
      expect(Buffer.compare(Buffer.from((await threaded.classify(graph)).buffer), Buffer.from(ours.buffer)), JSON.stringify(config)).toBe(
        0,
      );
      await threaded.release();
      // One thread, edges in one part instead of ONNX_EDGE_CHUNKS run in turn: the same bits.
      const whole = await OnnxEdgeClassifier.create(weightsOfTfjsModel(model), { edgeChunks: 1 });
      expect(Buffer.compare(Buffer.from((await whole.classify(graph)).buffer), Buffer.from(ours.buffer)), JSON.stringify(config)).toBe(0);
      await whole.release();
      await engine.release();
      disposeModel(model);
    }
  });
});

/** A full event: a shared real one when present (the smallest of the four), else a simulated MU = 200 one. */
function fullEvent(): { event: TrackmlEvent; label: string } {
  const real = path.resolve(repoRoot, '..', 'shared', 'trackml-data', 'full-events', 'event000001003-hits.csv.gz');
  if (existsSync(real)) return { event: readEvent({ eventId: 'event000001003', hits: real }, ['hits']), label: 'real full event 1003' };
  const detector = buildDetectorIndex(loadDetector());
  return { event: simulateEvent(detector, simulateConfig({ pileup: 200 }), 77, 1), label: 'simulated MU = 200 event' };
}

describe('ONNX Runtime vs tfjs on a full event', () => {
  it('scores within 1e-4 of tfjs wasm, the same tracks, and identical scores run after run and on 2 threads', async () => {
    const config = loadConfig(pipelineConfigSchema, path.join(repoRoot, 'pipelines', 'pipeline-default.yaml'));
    const { event, label } = fullEvent();
    const graph = buildGraph(event, makeGraphContext(config.graph, 'pipeline-default.yaml'), config.graph);
    expect(graph.src.length, label).toBeGreaterThan(150_000);
    const engine = await OnnxEdgeClassifier.create(readModelWeights(MODEL_DIR).weights);
    const ours = await engine.classify(graph);
    const again = await engine.classify(graph);
    expect(Buffer.compare(Buffer.from(again.buffer), Buffer.from(ours.buffer)), 'repeated runs differ').toBe(0);
    await engine.release();
    // Two threads (edges in two parts, onnx-engine.ts), three runs: always the one-thread bits (ScatterND's reduction
    // split over intra-op threads gave scores off by up to 0.28 here).
    const two = await OnnxEdgeClassifier.create(readModelWeights(MODEL_DIR).weights, { threads: 2 });
    for (let run = 0; run < 3; run++)
      expect(Buffer.compare(Buffer.from((await two.classify(graph)).buffer), Buffer.from(ours.buffer)), `2 threads, run ${run + 1}`).toBe(
        0,
      );
    await two.release();
    const whole = await OnnxEdgeClassifier.create(readModelWeights(MODEL_DIR).weights, { edgeChunks: 1 });
    expect(Buffer.compare(Buffer.from((await whole.classify(graph)).buffer), Buffer.from(ours.buffer)), 'edges in one part').toBe(0);
    await whole.release();
    await selectBackend('wasm');
    const { model } = loadModel(MODEL_DIR);
    const ref = await classifyEdges(graph, model);
    disposeModel(model);
    expect(maxAbsDiff(ours, ref), label).toBeLessThanOrEqual(1e-4);
    const threshold = 0.65;
    const tracks = (scores: Float32Array) => buildEventTracks(event.hits, graph, scores, { ...config.tracks, threshold });
    expect(Buffer.compare(Buffer.from(tracks(ours).buffer), Buffer.from(tracks(ref).buffer)), `${label}: tracks differ`).toBe(0);
  }, 300_000);
});
