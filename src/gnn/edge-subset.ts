// A graph cut to a subset of its edges, and scores spread back from that subset: plain typed arrays, no tfjs, so the
// pipeline's edge filter (src/pipeline/scorers.ts) runs on any engine without loading tfjs.
import { EDGE_FEATURES, type Graph } from '../graph/graph.ts';

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

/** Scores of the kept edges spread back over the full graph's edges; dropped edges score 0. */
export function spreadScores(edges: number, kept: Uint32Array, keptScores: Float32Array): Float32Array {
  const out = new Float32Array(edges);
  for (let k = 0; k < kept.length; k++) out[kept[k]] = keptScores[k];
  return out;
}
