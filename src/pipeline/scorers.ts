// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';
import { BACKENDS, classifyEdges, describeBackend, loadModel, selectBackend, trainedGraphConfig, type BackendChoice } from '../gnn/index.ts';
import { digestInputs, inputHashes, type InputDigest } from '../core/cache.ts';
import { hashJson } from '../core/hash.ts';

export interface EdgeScorer {
  /** Identifies the scorer, its weights (by content) and backend in cache keys and reports ("gnn:<hash>:<backend>"). */
  id: string;
  /** Human description for the summary line (model dir and backend). */
  label: string;
  /** The scorer's own working threshold (a calibrated model's), used when the config sets none. */
  threshold?: number;
  /** The files the scores depend on (a model's model.json and weights.bin) with their content digests. */
  inputs?: Record<string, InputDigest>;
  /** The graph config the model was trained on (from its model.json), when known. */
  trainedGraphConfig?: unknown;
  score(graph: Graph): Promise<Float32Array>;
}

export const SCORER_BACKENDS = ['auto', ...BACKENDS] as const;

/** The GNN in `modelDir` (model.json + weights.bin) on `backend`. */
export async function gnnScorer(modelDir: string, backend: BackendChoice = 'auto', chunkEdges?: number): Promise<EdgeScorer> {
  const modelJson = path.join(modelDir, 'model.json');
  if (!existsSync(modelJson)) {
    throw new InputError(modelDir, undefined, 'no model.json here; set `model:` in the pipeline config to a trained model directory');
  }
  const { model, file } = loadModel(modelDir);
  let report;
  try {
    report = await selectBackend(backend);
  } catch (err) {
    throw new InputError(undefined, undefined, (err as Error).message);
  }
  // The model's files by content (once per process); the backend too, as backends may differ in the last bits.
  const inputs = digestInputs({ model: modelJson, weights: path.join(modelDir, 'weights.bin') });
  const hash = hashJson(inputHashes(inputs));
  const threshold = typeof file.meta.threshold === 'number' ? file.meta.threshold : undefined;
  return {
    id: `gnn:${hash}:${report.backend}`,
    label: `GNN ${modelDir} (${describeBackend(report).split('\n').pop()})`,
    threshold,
    inputs,
    trainedGraphConfig: trainedGraphConfig(file.meta),
    score: (graph) => classifyEdges(graph, model, { chunkEdges }),
  };
}

/** Truth labels (graph.y) blurred by uniform noise of half-width `noise`, clamped to [0, 1]; seeded, so the
 * same graph always gets the same scores. */
export function truthScorer(noise: number, seed = 1): EdgeScorer {
  return {
    id: `truth:${noise}:${seed}`,
    label: `truth labels ± ${noise} noise`,
    threshold: 0.5,
    score: async (graph) => {
      if (!graph.y) throw new InputError(graph.eventId, undefined, 'scorer "truth" needs events with truth files');
      let state = (seed ^ 0x9e3779b9) >>> 0;
      const out = new Float32Array(graph.y.length);
      for (let e = 0; e < out.length; e++) {
        // xorshift32: fast, seeded, good enough for noise.
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        const u = state / 4294967296;
        out[e] = Math.min(1, Math.max(0, graph.y[e] + (2 * u - 1) * noise));
      }
      return out;
    },
  };
}
