// Edge filter (the Exa.TrkX "filtering" stage): a cheap edge classifier — an Interaction Network with no message
// passing, or any saved model — scores every edge of a large graph, and only the edges at or above its threshold go on
// to the main GNN. A whole-detector graph down to low pT holds 20–50 fakes per true edge; dropping most of them first
// makes the Interaction Network's cost (and its training) follow the edges that matter.
import type { Graph } from '../graph/graph.ts';
import { keepEdges } from './edge-subset.ts';
import { classifyEdges } from './infer.ts';
import type { InteractionNetwork } from './model.ts';

export { filterConfigSchema, type FilterConfig } from './config.ts';
export { keepEdges, spreadScores } from './edge-subset.ts';

/** Scores every edge with the filter and keeps those ≥ threshold: the filtered graph and the kept edge rows. */
export async function filterGraph(
  graph: Graph,
  filter: InteractionNetwork,
  threshold: number,
  chunkEdges?: number,
): Promise<{ graph: Graph; kept: Uint32Array; scores: Float32Array }> {
  const scores = await classifyEdges(graph, filter, { chunkEdges });
  let n = 0;
  for (let e = 0; e < scores.length; e++) if (scores[e] >= threshold) n++;
  const kept = new Uint32Array(n);
  n = 0;
  for (let e = 0; e < scores.length; e++) if (scores[e] >= threshold) kept[n++] = e;
  return { graph: keepEdges(graph, kept), kept, scores };
}
