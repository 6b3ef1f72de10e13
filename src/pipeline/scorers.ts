// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';
import {
  BACKENDS, classifyEdges, describeBackend, filterGraph, filterWeightsHash, loadFilter, loadModel, selectBackend, spreadScores, trainedGraphConfig,
  type BackendChoice, type FilterConfig,
} from '../gnn/index.ts';
import { contentHash } from '../core/cache.ts';

export interface EdgeScorer {
  /** Identifies the scorer and its weights in cache keys and reports (e.g. "gnn:<hash>"). */
  id: string;
  /** Human description for the summary line (model dir and backend). */
  label: string;
  /** The scorer's own working threshold (a calibrated model's), used when the config sets none. */
  threshold?: number;
  /** The graph config the model was trained on (from its model.json), when known. */
  trainedGraphConfig?: unknown;
  /** The edge filter the model was trained behind (model.json meta.data.filter), when it had one. */
  trainedFilter?: TrainedFilter;
  /** The run's own edge filter: its weights' hash and threshold. */
  filter?: { model: string; threshold: number; weightsHash: string };
  score(graph: Graph): Promise<Float32Array>;
}

/** The edge filter a model was trained behind, as its model.json records it. */
export interface TrainedFilter {
  model: string;
  threshold: number;
  weightsHash?: string;
}

export const SCORER_BACKENDS = ['auto', ...BACKENDS] as const;

/** The GNN in `modelDir` (model.json + weights.bin) on `backend`; with `filter`, only the edges the filter keeps are
 * scored by it (the others score 0). */
export async function gnnScorer(modelDir: string, backend: BackendChoice = 'auto', chunkEdges?: number, filter?: FilterConfig): Promise<EdgeScorer> {
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
  const hashOf = (dir: string): string => contentHash([path.join(dir, 'model.json'), ...(existsSync(path.join(dir, 'weights.bin')) ? [path.join(dir, 'weights.bin')] : [])]);
  const hash = hashOf(modelDir);
  const threshold = typeof file.meta.threshold === 'number' ? file.meta.threshold : undefined;
  const f = filter ? loadFilter(filter, 'pipeline config') : undefined;
  const trainedFilter = (file.meta.data as { filter?: TrainedFilter } | undefined)?.filter;
  return {
    id: `gnn:${hash}${f ? `+filter:${hashOf(f.dir)}@${f.threshold}` : ''}`,
    label: `GNN ${modelDir}${f ? ` behind filter ${f.dir} ≥ ${f.threshold}` : ''} (${describeBackend(report).split('\n').pop()})`,
    threshold,
    trainedGraphConfig: trainedGraphConfig(file.meta),
    ...(trainedFilter ? { trainedFilter } : {}),
    ...(f ? { filter: { model: f.dir, threshold: f.threshold, weightsHash: filterWeightsHash(f.dir) } } : {}),
    score: f
      ? async (graph) => {
          const kept = await filterGraph(graph, f.model, f.threshold, chunkEdges);
          return spreadScores(graph.src.length, kept.kept, await classifyEdges(kept.graph, model, { chunkEdges }));
        }
      : (graph) => classifyEdges(graph, model, { chunkEdges }),
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
