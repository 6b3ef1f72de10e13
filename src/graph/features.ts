// Node and edge features in the layouts of graph.ts, computed from hit coordinates.
import {
  EDGE_DETA,
  EDGE_DPHI,
  EDGE_DR,
  EDGE_DRETAPHI,
  EDGE_DZ,
  EDGE_FEATURES,
  NODE_FEATURES,
  NODE_PHI,
  NODE_R,
  NODE_Z,
  R_SCALE_MM,
  Z_SCALE_MM,
} from './graph.ts';
import { wrapPhi } from '../geometry/helix-math.ts';
import type { NodeCoords } from './geometric.ts';

export function nodeFeatures(nodes: NodeCoords): Float32Array {
  const n = nodes.rMm.length;
  const f = new Float32Array(n * NODE_FEATURES);
  for (let i = 0; i < n; i++) {
    f[i * NODE_FEATURES + NODE_R] = nodes.rMm[i] / R_SCALE_MM;
    f[i * NODE_FEATURES + NODE_PHI] = nodes.phiRad[i] / Math.PI;
    f[i * NODE_FEATURES + NODE_Z] = nodes.zMm[i] / Z_SCALE_MM;
  }
  return f;
}

export function edgeFeatures(nodes: NodeCoords, src: Uint32Array, dst: Uint32Array): Float32Array {
  const m = src.length;
  const f = new Float32Array(m * EDGE_FEATURES);
  // η once per node, not twice per edge: edges outnumber nodes 5–30×.
  const n = nodes.rMm.length;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) eta[i] = Math.asinh(nodes.zMm[i] / nodes.rMm[i]);
  for (let e = 0; e < m; e++) {
    const a = src[e];
    const b = dst[e];
    const ra = nodes.rMm[a];
    const rb = nodes.rMm[b];
    const dphi = wrapPhi(nodes.phiRad[b] - nodes.phiRad[a]);
    const deta = eta[b] - eta[a];
    const o = e * EDGE_FEATURES;
    f[o + EDGE_DR] = (rb - ra) / R_SCALE_MM;
    f[o + EDGE_DPHI] = dphi / Math.PI;
    f[o + EDGE_DZ] = (nodes.zMm[b] - nodes.zMm[a]) / Z_SCALE_MM;
    f[o + EDGE_DETA] = deta;
    f[o + EDGE_DRETAPHI] = Math.sqrt(deta * deta + dphi * dphi);
  }
  return f;
}
