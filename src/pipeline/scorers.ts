// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { ENGINES, type EngineChoice } from '../gnn/backend-names.ts';
import { describeEngine, openEngine } from '../gnn/engine.ts';
import { digestInputs, inputHashes } from '../core/cache.ts';
import { hashJson } from '../core/hash.ts';
import { trainedGraphConfig } from '../gnn/model-format.ts';
import type { EdgeScorer } from './edge-scorer.ts';

export { modelScorer, truthScorer, type EdgeScorer } from './edge-scorer.ts';

export const SCORER_BACKENDS = ['auto', ...ENGINES] as const;

/** The GNN in `modelDir` (model.json + weights.bin) on `backend` (src/gnn/engine.ts: ort-cpu or a tfjs backend). */
export async function gnnScorer(modelDir: string, backend: EngineChoice = 'auto', threads = 1): Promise<EdgeScorer> {
  const modelJson = path.join(modelDir, 'model.json');
  if (!existsSync(modelJson)) {
    throw new InputError(modelDir, undefined, 'no model.json here; set `model:` in the pipeline config to a trained model directory');
  }
  let engine;
  try {
    engine = await openEngine(modelDir, backend, { threads });
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

/** GNN threads per session for `requested` ('auto': the cores shared among `workers` event workers). */
export function gnnThreads(requested: number | 'auto', workers: number): number {
  return requested === 'auto' ? Math.max(1, Math.floor(availableParallelism() / workers)) : requested;
}
