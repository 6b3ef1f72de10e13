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

/** Per edge: transverse direction, polar angle and transverse length. */
interface Segments {
  phiT: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
}

/** Over the neighbour edges list[from, to) of edge e (incoming ones when `neighbourIsInner`, else outgoing), the one
 * whose pair with e costs least — straight in r–z, and no more curved than a 1 GeV track — written as [Δθ, κ] into
 * out[o], out[o + 1] (inner segment u, outer v: polar-angle change scaled, signed curvature × the 1 GeV radius);
 * NONE when there is none. Returns 1 when a neighbour exists, else 0. A plain function, not a closure: it runs
 * twice per edge over ~5 neighbours each. */
function bestNeighbour(
  seg: Segments,
  e: number,
  list: Int32Array,
  from: number,
  to: number,
  neighbourIsInner: boolean,
  out: Float32Array,
  o: number,
  maxKappa: number,
): number {
  const { theta, phiT, rho } = seg;
  let best = Infinity;
  out[o] = out[o + 1] = NONE;
  for (let k = from; k < to; k++) {
    const u = neighbourIsInner ? list[k] : e;
    const v = neighbourIsInner ? e : list[k];
    const dTheta = (theta[v] - theta[u]) / DTHETA_SCALE_RAD;
    const kappa = ((2 * wrapPhi(phiT[v] - phiT[u])) / (rho[u] + rho[v] + 1e-6)) * RADIUS_1GEV_MM;
    const c = Math.abs(dTheta) + 3 * Math.max(0, Math.abs(kappa) - maxKappa);
    if (c < best) {
      best = c;
      out[o] = clip(dTheta);
      out[o + 1] = clip(kappa);
    }
  }
  return best < Infinity ? 1 : 0;
}

/** TRIPLET_FEATURES inputs per edge (row-major), from node positions and the graph's edges only (no truth). A
 * neighbour bending more than a track of `minPtGeV` costs extra when the best one is picked. */
export function tripletFeatures(graph: Pick<Graph, 'nodeFeatures' | 'src' | 'dst'>, minPtGeV = 1): Float32Array {
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
  // Edges by inner node (outgoing) and by outer node (incoming), CSR.
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
  const out = new Float32Array(m * TRIPLET_FEATURES);
  const seg: Segments = { theta, phiT, rho };
  for (let e = 0; e < m; e++) {
    const o = e * TRIPLET_FEATURES;
    out[o + 4] = bestNeighbour(seg, e, inEdges, inStart[src[e]], inStart[src[e] + 1], true, out, o, maxKappa);
    out[o + 5] = bestNeighbour(seg, e, outEdges, outStart[dst[e]], outStart[dst[e] + 1], false, out, o + 2, maxKappa);
  }
  return out;
}
