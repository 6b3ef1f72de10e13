// Node positions for the track builders: x, y, z in mm from a graph's scaled (r, φ, z) node features.
import { NODE_FEATURES, NODE_PHI, NODE_R, NODE_Z, R_SCALE_MM, Z_SCALE_MM, type Graph } from '../graph/graph.ts';

/** Node x, y, z in mm (interleaved) from the scaled (r, φ, z) node features. */
export function nodePositionsMm(graph: Pick<Graph, 'hitId' | 'nodeFeatures'>): Float64Array {
  const n = graph.hitId.length;
  const f = graph.nodeFeatures;
  const out = new Float64Array(3 * n);
  // Stryker disable next-line EqualityOperator: equivalent — one more turn (i = n) writes past the typed array's end,
  // which JavaScript ignores
  for (let i = 0; i < n; i++) {
    // Stryker disable next-line ArithmeticOperator: equivalent — NODE_R is 0, so + and − give the same index
    const r = f[i * NODE_FEATURES + NODE_R] * R_SCALE_MM;
    const phi = f[i * NODE_FEATURES + NODE_PHI] * Math.PI;
    out[3 * i] = r * Math.cos(phi);
    out[3 * i + 1] = r * Math.sin(phi);
    out[3 * i + 2] = f[i * NODE_FEATURES + NODE_Z] * Z_SCALE_MM;
  }
  return out;
}
