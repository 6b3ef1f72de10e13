// Edge filter (the Exa.TrkX "filtering" stage): a cheap edge classifier — an Interaction Network with no message
// passing, or any saved model — scores every edge of a large graph, and only the edges at or above its threshold go on
// to the main GNN. A whole-detector graph down to low pT holds 20–50 fakes per true edge; dropping most of them first
// makes the Interaction Network's cost (and its training) follow the edges that matter.
import { EDGE_FEATURES, type Graph } from '../graph/graph.ts';
import { classifyEdges } from './infer.ts';
import type { InteractionNetwork } from './model.ts';

export { filterConfigSchema, type FilterConfig } from './config.ts';

/** The graph with only the edges in `kept` (edge rows, ascending): same nodes, features and truth. */
export function keepEdges(graph: Graph, kept: Uint32Array): Graph {
  const m = kept.length;
  const src = new Uint32Array(m);
  const dst = new Uint32Array(m);
  const edgeFeatures = new Float32Array(m * EDGE_FEATURES);
  const y = graph.y ? new Uint8Array(m) : undefined;
  for (let k = 0; k < m; k++) {
    const e = kept[k];
    src[k] = graph.src[e];
    dst[k] = graph.dst[e];
    edgeFeatures.set(graph.edgeFeatures.subarray(e * EDGE_FEATURES, (e + 1) * EDGE_FEATURES), k * EDGE_FEATURES);
    if (y) y[k] = graph.y![e];
  }
  const out: Graph = { ...graph, src, dst, edgeFeatures };
  if (y) out.y = y;
  else delete out.y;
  return out;
}

/** Scores every edge with the filter and keeps those ≥ threshold: the filtered graph and the kept edge rows. */
export async function filterGraph(
  graph: Graph, filter: InteractionNetwork, threshold: number, chunkEdges?: number,
): Promise<{ graph: Graph; kept: Uint32Array; scores: Float32Array }> {
  const scores = await classifyEdges(graph, filter, { chunkEdges });
  let n = 0;
  for (let e = 0; e < scores.length; e++) if (scores[e] >= threshold) n++;
  const kept = new Uint32Array(n);
  n = 0;
  for (let e = 0; e < scores.length; e++) if (scores[e] >= threshold) kept[n++] = e;
  return { graph: keepEdges(graph, kept), kept, scores };
}

/** Scores of the kept edges spread back over the full graph's edges; dropped edges score 0. */
export function spreadScores(edges: number, kept: Uint32Array, keptScores: Float32Array): Float32Array {
  const out = new Float32Array(edges);
  for (let k = 0; k < kept.length; k++) out[kept[k]] = keptScores[k];
  return out;
}
