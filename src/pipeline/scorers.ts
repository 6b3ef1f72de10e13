// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';
import { ENGINES, type EngineChoice } from '../gnn/backend-names.ts';
import { describeEngine, openEngine, type EdgeEngine } from '../gnn/engine.ts';
import type { FilterConfig } from '../gnn/config.ts';
import { keepEdges, spreadScores } from '../gnn/edge-subset.ts';
import { digestInputs, inputHashes, type InputDigest } from '../core/cache.ts';
import { contentHash, hashJson } from '../core/hash.ts';

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

export const SCORER_BACKENDS = ['auto', ...ENGINES] as const;

async function openOrInputError(modelDir: string, backend: EngineChoice): Promise<EdgeEngine> {
  try {
    return await openEngine(modelDir, backend);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(undefined, undefined, (err as Error).message);
  }
}

/** The GNN in `modelDir` (model.json + weights.bin) on `backend` (src/gnn/engine.ts: ort-cpu or a tfjs backend); with
 * `filter`, the filter model runs first on the same engine and only the edges it keeps are scored by the GNN (the
 * others score 0). */
export async function gnnScorer(modelDir: string, backend: EngineChoice = 'auto', chunkEdges?: number, filter?: FilterConfig): Promise<EdgeScorer> {
  const modelJson = path.join(modelDir, 'model.json');
  if (!existsSync(modelJson)) {
    throw new InputError(modelDir, undefined, 'no model.json here; set `model:` in the pipeline config to a trained model directory');
  }
  const engine = await openOrInputError(modelDir, backend);
  // The model's files by content (once per process), the filter's too; the engine as well, as engines may differ in
  // the last bits.
  const weights = path.join(modelDir, 'weights.bin');
  const inputs = digestInputs({
    model: modelJson,
    weights: existsSync(weights) ? weights : undefined,
    filterModel: filter ? path.join(filter.model, 'model.json') : undefined,
    filterWeights: filter ? path.join(filter.model, 'weights.bin') : undefined,
  });
  const hash = hashJson({ ...inputHashes(inputs), ...(filter?.threshold !== undefined ? { filterThreshold: filter.threshold } : {}) });
  const threshold = typeof engine.meta.threshold === 'number' ? engine.meta.threshold : undefined;
  const f = filter ? await openFilter(filter, backend) : undefined;
  const trainedFilter = (engine.meta.data as { filter?: TrainedFilter } | undefined)?.filter;
  return {
    id: `gnn:${hash}:${engine.engine}`,
    label: `GNN ${modelDir}${f ? ` behind filter ${filter!.model} ≥ ${f.threshold}` : ''} (${describeEngine(engine).split('\n').pop()})`,
    threshold,
    inputs,
    trainedGraphConfig: trainedGraphConfig(engine.meta),
    ...(trainedFilter ? { trainedFilter } : {}),
    ...(f ? { filter: { model: filter!.model, threshold: f.threshold, weightsHash: contentHash([path.join(filter!.model, 'weights.bin')]) } } : {}),
    score: f
      ? async (graph) => {
          const fs = await f.engine.classify(graph, chunkEdges);
          let n = 0;
          for (let e = 0; e < fs.length; e++) if (fs[e] >= f.threshold) n++;
          const kept = new Uint32Array(n);
          n = 0;
          for (let e = 0; e < fs.length; e++) if (fs[e] >= f.threshold) kept[n++] = e;
          return spreadScores(graph.src.length, kept, await engine.classify(keepEdges(graph, kept), chunkEdges));
        }
      : (graph) => engine.classify(graph, chunkEdges),
    release: async () => {
      await engine.release();
      if (f) await f.engine.release();
    },
  };
}

/** The run's edge filter on the scorer's engine, cutting at the configured threshold or its calibrated one. */
async function openFilter(filter: FilterConfig, backend: EngineChoice): Promise<{ engine: EdgeEngine; threshold: number }> {
  if (!existsSync(path.join(filter.model, 'model.json'))) throw new InputError('pipeline config', undefined, `filter.model: no model.json in ${filter.model}`);
  const engine = await openOrInputError(filter.model, backend);
  const threshold = filter.threshold ?? (typeof engine.meta.threshold === 'number' ? engine.meta.threshold : undefined);
  if (threshold === undefined) throw new InputError('pipeline config', undefined, `filter.threshold: required (${filter.model} has no calibrated threshold)`);
  return { engine, threshold };
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
