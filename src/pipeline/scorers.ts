// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { ENGINES, type EngineChoice } from '../gnn/backend-names.ts';
import { describeEngine, openEngine, type EdgeEngine } from '../gnn/engine.ts';
import type { FilterConfig } from '../gnn/config.ts';
import { keepEdges, spreadScores } from '../gnn/edge-subset.ts';
import { trainedGraphConfig } from '../gnn/model-format.ts';
import { digestInputs, inputHashes } from '../core/cache.ts';
import { contentHash, hashJson } from '../core/hash.ts';
import type { EdgeScorer, TrainedFilter } from './edge-scorer.ts';

export { truthScorer, type EdgeScorer, type TrainedFilter } from './edge-scorer.ts';

export const SCORER_BACKENDS = ['auto', ...ENGINES] as const;

async function openOrInputError(modelDir: string, backend: EngineChoice, threads: number): Promise<EdgeEngine> {
  try {
    return await openEngine(modelDir, backend, { threads });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(undefined, undefined, (err as Error).message);
  }
}

/** The GNN in `modelDir` (model.json + weights.bin) on `backend` (src/gnn/engine.ts: ort-cpu or a tfjs backend); with
 * `filter`, the filter model runs first on the same engine and only the edges it keeps are scored by the GNN (the
 * others score 0). */
export async function gnnScorer(
  modelDir: string,
  backend: EngineChoice = 'auto',
  chunkEdges?: number,
  filter?: FilterConfig,
  threads = 1,
): Promise<EdgeScorer> {
  const modelJson = path.join(modelDir, 'model.json');
  if (!existsSync(modelJson)) {
    throw new InputError(modelDir, undefined, 'no model.json here; set `model:` in the pipeline config to a trained model directory');
  }
  const engine = await openOrInputError(modelDir, backend, threads);
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
  const f = filter ? await openFilter(filter, backend, threads) : undefined;
  const trainedFilter = (engine.meta.data as { filter?: TrainedFilter } | undefined)?.filter;
  return {
    id: `gnn:${hash}:${engine.engine}`,
    label: `GNN ${modelDir}${f ? ` behind filter ${filter!.model} ≥ ${f.threshold}` : ''} (${describeEngine(engine).split('\n').pop()})`,
    threshold,
    inputs,
    trainedGraphConfig: trainedGraphConfig(engine.meta),
    ...(trainedFilter ? { trainedFilter } : {}),
    ...(f
      ? { filter: { model: filter!.model, threshold: f.threshold, weightsHash: contentHash([path.join(filter!.model, 'weights.bin')]) } }
      : {}),
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
async function openFilter(
  filter: FilterConfig,
  backend: EngineChoice,
  threads: number,
): Promise<{ engine: EdgeEngine; threshold: number }> {
  if (!existsSync(path.join(filter.model, 'model.json')))
    throw new InputError('pipeline config', undefined, `filter.model: no model.json in ${filter.model}`);
  const engine = await openOrInputError(filter.model, backend, threads);
  const threshold = filter.threshold ?? (typeof engine.meta.threshold === 'number' ? engine.meta.threshold : undefined);
  if (threshold === undefined)
    throw new InputError('pipeline config', undefined, `filter.threshold: required (${filter.model} has no calibrated threshold)`);
  return { engine, threshold };
}

/** GNN threads per session for `requested` ('auto': the cores shared among `workers` event workers). */
export function gnnThreads(requested: number | 'auto', workers: number): number {
  return requested === 'auto' ? Math.max(1, Math.floor(availableParallelism() / workers)) : requested;
}
