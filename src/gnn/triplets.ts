// Triplet inputs of an edge: how well it continues into its best-matching neighbour edge on each side (the
// incoming edge at its inner hit, the outgoing edge at its outer hit). A helix keeps its polar angle and turns at
// a constant rate, so a true segment has a neighbour with a small polar-angle change and a curvature of a
// track above the graph's pT; most fake segments have none. Computed once per graph on typed arrays (~10 pairs per edge).
import { NODE_FEATURES, NODE_PHI, NODE_R, NODE_Z, R_SCALE_MM, Z_SCALE_MM, type Graph } from '../graph/graph.ts';
import { wrapPhi } from '../geometry/helix-math.ts';

/** Per edge: [Δθ in, κ in, Δθ out, κ out, has in, has out]. */
export const TRIPLET_FEATURES = 6;
/** Transverse radius of a 1 GeV track in 2 T, mm, rounded (radiusMmFromPt(1) = 1666.7): curvature × this is 1 at
 * pT ≈ 1 GeV. A feature scale the shipped model was trained with, so it stays 1667. */
const RADIUS_1GEV_MM = 1667;
/** Scale of the polar-angle change between consecutive segments (multiple scattering and hit resolution), rad. */
const DTHETA_SCALE_RAD = 0.01;
/** Value of a side's inputs when the edge has no neighbour there (track ends, or a fake). */
const NONE = 10;
const clip = (x: number): number => (x > NONE ? NONE : x < -NONE ? -NONE : x);

/** Edges by inner node (outgoing) and by outer node (incoming), CSR, each node's list in edge order. */
function edgeLists(
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  n: number,
): { outStart: Int32Array; inStart: Int32Array; outEdges: Int32Array; inEdges: Int32Array } {
  const m = src.length;
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    outStart[src[e] + 1]++;
    inStart[dst[e] + 1]++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outEdges = new Int32Array(m);
  const inEdges = new Int32Array(m);
  const fo = outStart.slice(0, n);
  const fi = inStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    outEdges[fo[src[e]]++] = e;
    inEdges[fi[dst[e]]++] = e;
  }
  return { outStart, inStart, outEdges, inEdges };
}

/** TRIPLET_FEATURES inputs per edge, from node positions and the graph's edges only (no truth). A neighbour bending
 * more than a track of `minPtGeV` costs extra when the best one is picked. Written into `out` at row stride `stride`
 * from column `column` (the edge-input matrix directly, edge-inputs.ts), by default a fresh [edges, 6] array.
 *
 * Each pair of consecutive edges (u into hit j, v out of j) is scored once, at its shared hit, for both sides: u's
 * outgoing and v's incoming best neighbour. Candidates reach each edge in the same order as a per-edge scan of its
 * neighbour list, and the first of equal costs wins, so the result is that of the per-edge scan, bit for bit. */
export function tripletFeatures(
  graph: Pick<Graph, 'nodeFeatures' | 'src' | 'dst'>,
  minPtGeV = 1,
  out: Float32Array = new Float32Array(graph.src.length * TRIPLET_FEATURES),
  stride = TRIPLET_FEATURES,
  column = 0,
): Float32Array {
  const maxKappa = 1 / minPtGeV;
  const { src, dst, nodeFeatures: nf } = graph;
  const n = nf.length / NODE_FEATURES;
  const m = src.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = nf[i * NODE_FEATURES + NODE_R] * R_SCALE_MM;
    const phi = nf[i * NODE_FEATURES + NODE_PHI] * Math.PI;
    x[i] = r * Math.cos(phi);
    y[i] = r * Math.sin(phi);
    z[i] = nf[i * NODE_FEATURES + NODE_Z] * Z_SCALE_MM;
  }
  // Direction of each edge: transverse angle, polar angle, transverse length.
  const phiT = new Float64Array(m);
  const theta = new Float64Array(m);
  const rho = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const a = src[e];
    const b = dst[e];
    const dx = x[b] - x[a];
    const dy = y[b] - y[a];
    rho[e] = Math.sqrt(dx * dx + dy * dy);
    phiT[e] = Math.atan2(dy, dx);
    theta[e] = Math.atan2(rho[e], z[b] - z[a]);
  }
  const { outStart, inStart, outEdges, inEdges } = edgeLists(src, dst, n);
  // Best cost so far per edge and side (in: the edge is v; out: the edge is u); no neighbour: NONE, has = 0.
  const bestIn = new Float64Array(m).fill(Infinity);
  const bestOut = new Float64Array(m).fill(Infinity);
  for (let e = 0; e < m; e++) {
    const o = e * stride + column;
    out[o] = out[o + 1] = out[o + 2] = out[o + 3] = NONE;
  }
  for (let j = 0; j < n; j++) {
    for (let a = inStart[j]; a < inStart[j + 1]; a++) {
      const u = inEdges[a];
      const ou = u * stride + column;
      for (let b = outStart[j]; b < outStart[j + 1]; b++) {
        const v = outEdges[b];
        const dTheta = (theta[v] - theta[u]) / DTHETA_SCALE_RAD;
        const kappa = ((2 * wrapPhi(phiT[v] - phiT[u])) / (rho[u] + rho[v] + 1e-6)) * RADIUS_1GEV_MM;
        const c = Math.abs(dTheta) + 3 * Math.max(0, Math.abs(kappa) - maxKappa);
        if (c < bestIn[v]) {
          bestIn[v] = c;
          const ov = v * stride + column;
          out[ov] = clip(dTheta);
          out[ov + 1] = clip(kappa);
        }
        if (c < bestOut[u]) {
          bestOut[u] = c;
          out[ou + 2] = clip(dTheta);
          out[ou + 3] = clip(kappa);
        }
      }
    }
  }
  for (let e = 0; e < m; e++) {
    const o = e * stride + column;
    out[o + 4] = bestIn[e] < Infinity ? 1 : 0;
    out[o + 5] = bestOut[e] < Infinity ? 1 : 0;
  }
  return out;
}
