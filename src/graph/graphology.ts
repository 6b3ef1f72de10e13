// Conversion to a graphology graph for analysis (components, degrees, paths). Not for hot paths: one JS object
// per node and edge.
import { DirectedGraph } from 'graphology';
import { EDGE_FEATURE_NAMES, EDGE_FEATURES, NODE_FEATURE_NAMES, NODE_FEATURES, type Graph } from './graph.ts';

/** Nodes keyed by hit id (as a string) with their features (and particle/rank with truth); directed edges
 * src → dst keyed by edge row, with features and the label y. */
export function toGraphology(g: Graph): DirectedGraph {
  const out = new DirectedGraph({ allowSelfLoops: false });
  for (let i = 0; i < g.hitId.length; i++) {
    const attrs: Record<string, number | string> = { row: i, volumeId: g.volumeId[i], layer: g.layer[i] };
    NODE_FEATURE_NAMES.forEach((name, c) => (attrs[name] = g.nodeFeatures[i * NODE_FEATURES + c]));
    if (g.truth) {
      attrs.particleId = g.truth.particleId[i].toString();
      attrs.rank = g.truth.rank[i];
      attrs.ptGeV = g.truth.ptGeV[i];
    }
    out.addNode(String(g.hitId[i]), attrs);
  }
  for (let e = 0; e < g.src.length; e++) {
    const attrs: Record<string, number> = {};
    EDGE_FEATURE_NAMES.forEach((name, c) => (attrs[name] = g.edgeFeatures[e * EDGE_FEATURES + c]));
    if (g.y) attrs.y = g.y[e];
    out.addDirectedEdgeWithKey(String(e), String(g.hitId[g.src[e]]), String(g.hitId[g.dst[e]]), attrs);
  }
  return out;
}
