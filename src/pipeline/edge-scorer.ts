// The edge scorer the pipeline runs between graph and tracks, as an interface: the shipped GNN (a model already
// loaded, on the backend already chosen) or truth labels plus noise (for developing track building without a
// model). Pure: scorers.ts loads the model from disk in Node; the web page's worker from its static build (through
// model-scorer.ts, which alone imports tfjs: a pipeline on ONNX Runtime never loads it).
import type { InputDigest } from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';

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
  /** The edge filter the model was trained behind (model.json meta.data.filter), when it had one. */
  trainedFilter?: TrainedFilter;
  /** The run's own edge filter: its weights' hash and threshold. */
  filter?: { model: string; threshold: number; weightsHash: string };
  score(graph: Graph): Promise<Float32Array>;
  /** Frees what the scorer holds (an ONNX Runtime session, tfjs variables). */
  release?(): Promise<void>;
}

/** The edge filter a model was trained behind, as its model.json records it. */
export interface TrainedFilter {
  model: string;
  threshold: number;
  weightsHash?: string;
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
