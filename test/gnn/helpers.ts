// Test helpers for the GNN: a seeded toy graph whose true edges are separable by one edge feature.
import { EDGE_DPHI, EDGE_DR, EDGE_FEATURES, NODE_FEATURES, type Graph } from '../../src/graph/graph.ts';
import { makeRng } from '../../src/gnn/rng.ts';

/** `nodes` nodes with random (r, φ, z) in ±0.1; `edges` random edges, a quarter of them true. True edges have
 * |Δφ/π| < 0.02, false ones 0.3–0.6 (Δr 0.02–0.07, other features random in ±0.05 for both): separable by Δφ
 * (and the derived φ slope), which a working trainer must find through the message passing. */
export function toyGraph(nodes: number, edges: number, seed: number): Graph {
  const rng = makeRng(seed);
  const nodeFeatures = new Float32Array(nodes * NODE_FEATURES).map(() => 0.2 * rng() - 0.1);
  const src = new Uint32Array(edges);
  const dst = new Uint32Array(edges);
  const y = new Uint8Array(edges);
  const edgeFeatures = new Float32Array(edges * EDGE_FEATURES);
  for (let e = 0; e < edges; e++) {
    src[e] = Math.floor(rng() * nodes);
    dst[e] = Math.floor(rng() * nodes);
    y[e] = rng() < 0.25 ? 1 : 0;
    for (let f = 0; f < EDGE_FEATURES; f++) edgeFeatures[e * EDGE_FEATURES + f] = 0.1 * rng() - 0.05;
    edgeFeatures[e * EDGE_FEATURES + EDGE_DR] = 0.02 + 0.05 * rng(); // Δr 20–70 mm, as between pixel layers
    const sign = rng() < 0.5 ? -1 : 1;
    edgeFeatures[e * EDGE_FEATURES + EDGE_DPHI] = y[e] ? sign * 0.02 * rng() : sign * (0.3 + 0.3 * rng());
  }
  const ptGeV = new Float32Array(nodes).fill(2);
  return {
    eventId: `toy${seed}`,
    hitId: Uint32Array.from({ length: nodes }, (_, i) => i + 1),
    volumeId: new Uint8Array(nodes).fill(8),
    layer: new Uint8Array(nodes),
    nodeFeatures,
    src,
    dst,
    edgeFeatures,
    y,
    truth: {
      particleId: new BigUint64Array(nodes),
      particle: new Int32Array(nodes),
      rank: new Int32Array(nodes),
      ptGeV,
      vertexRMm: new Float32Array(nodes),
    },
  };
}
