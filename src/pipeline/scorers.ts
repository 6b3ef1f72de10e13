// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';
import { ENGINES, type EngineChoice } from '../gnn/backend-names.ts';
import { describeEngine, openEngine } from '../gnn/engine.ts';
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
  /** Frees what the scorer holds (an ONNX Runtime session, tfjs variables). */
  release?(): Promise<void>;
}

export const SCORER_BACKENDS = ['auto', ...ENGINES] as const;

/** The GNN in `modelDir` (model.json + weights.bin) on `backend` (src/gnn/engine.ts: ort-cpu or a tfjs backend). */
export async function gnnScorer(modelDir: string, backend: EngineChoice = 'auto'): Promise<EdgeScorer> {
  const modelJson = path.join(modelDir, 'model.json');
  if (!existsSync(modelJson)) {
    throw new InputError(modelDir, undefined, 'no model.json here; set `model:` in the pipeline config to a trained model directory');
  }
  let engine;
  try {
    engine = await openEngine(modelDir, backend);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(undefined, undefined, (err as Error).message);
  }
  // The model's files by content (once per process); the engine too, as engines may differ in the last bits.
  const weights = path.join(modelDir, 'weights.bin');
  const inputs = digestInputs({ model: modelJson, weights: existsSync(weights) ? weights : undefined });
  const hash = hashJson(inputHashes(inputs));
  const threshold = typeof engine.meta.threshold === 'number' ? engine.meta.threshold : undefined;
  return {
    id: `gnn:${hash}:${engine.engine}`,
    label: `GNN ${modelDir} (${describeEngine(engine).split('\n').pop()})`,
    threshold,
    inputs,
    trainedGraphConfig: trainedGraphConfig(engine.meta),
    score: (graph) => engine.classify(graph),
    release: () => engine.release(),
  };
}

/** The graph stage config a model was trained on, as its training recorded it in meta (undefined when absent). */
function trainedGraphConfig(meta: Record<string, unknown> | undefined): unknown {
  return (meta?.data as { train?: { graphStage?: { config?: unknown } } } | undefined)?.train?.graphStage?.config;
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
