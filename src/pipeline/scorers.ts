// Edge scorers the pipeline can run between graph and tracks: the shipped GNN (default) or truth labels plus
// noise (for developing track building without a model). Any object with this shape drops in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { BACKENDS, describeBackend, loadModel, selectBackend, type BackendChoice } from '../gnn/index.ts';
import { modelScorer, type EdgeScorer } from './edge-scorer.ts';
import { contentHash } from '../core/cache.ts';

export { modelScorer, truthScorer, type EdgeScorer } from './edge-scorer.ts';

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
  const weights = path.join(modelDir, 'weights.bin');
  const hash = contentHash(existsSync(weights) ? [modelJson, weights] : [modelJson]);
  return modelScorer(model, file, `gnn:${hash}`, `GNN ${modelDir} (${describeBackend(report).split('\n').pop()})`, chunkEdges);
}
