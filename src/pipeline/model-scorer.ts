// A tfjs Interaction Network already in memory as an edge scorer (the web page's worker; tests and benchmarks that
// hold a model). Apart from edge-scorer.ts because it imports tfjs (~1 s of CPU to load in Node, with its source
// map): the pipeline on ONNX Runtime must not pay that.
import { classifyEdges } from '../gnn/infer.ts';
import type { ModelFile } from '../gnn/model-file.ts';
import { trainedGraphConfig } from '../gnn/model-format.ts';
import { disposeModel, type InteractionNetwork } from '../gnn/model.ts';
import type { EdgeScorer } from './edge-scorer.ts';

/** The GNN `model` (read from `file`) as a scorer: its calibrated threshold and training graphs from the file's meta. */
export function modelScorer(model: InteractionNetwork, file: ModelFile, id: string, label: string, chunkEdges?: number): EdgeScorer {
  return {
    id,
    label,
    threshold: typeof file.meta.threshold === 'number' ? file.meta.threshold : undefined,
    trainedGraphConfig: trainedGraphConfig(file.meta),
    score: (graph) => classifyEdges(graph, model, { chunkEdges }),
    release: async () => disposeModel(model),
  };
}
