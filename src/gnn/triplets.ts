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

// Scratch arrays, module-private, grown to the largest graph seen and reused (as three.js reuses its `_vector`):
// no fresh ~35 MB of zeroed pages per full event. tripletFeatures is synchronous, so one set per thread suffices.
const f64Scratch: Float64Array[] = [];
const i32Scratch: Int32Array[] = [];
function f64(slot: number, length: number): Float64Array {
  if (!(f64Scratch[slot]?.length >= length)) f64Scratch[slot] = new Float64Array(length);
  return f64Scratch[slot].subarray(0, length);
}
function i32(slot: number, length: number): Int32Array {
  if (!(i32Scratch[slot]?.length >= length)) i32Scratch[slot] = new Int32Array(length);
  return i32Scratch[slot].subarray(0, length);
}

/** Edges by inner node (outgoing) and by outer node (incoming), CSR, each node's list in edge order. */
function edgeLists(
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  n: number,
): { outStart: Int32Array; inStart: Int32Array; outEdges: Int32Array; inEdges: Int32Array } {
  const m = src.length;
  const outStart = i32(0, n + 1).fill(0);
  const inStart = i32(1, n + 1).fill(0);
  for (let e = 0; e < m; e++) {
    outStart[src[e] + 1]++;
    inStart[dst[e] + 1]++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outEdges = i32(2, m);
  const inEdges = i32(3, m);
  const fo = i32(4, n);
  fo.set(outStart.subarray(0, n));
  const fi = i32(5, n);
  fi.set(inStart.subarray(0, n));
  for (let e = 0; e < m; e++) {
    outEdges[fo[src[e]]++] = e;
    inEdges[fi[dst[e]]++] = e;
  }
  return { outStart, inStart, outEdges, inEdges };
}

/** Direction of each edge (scratch arrays): transverse angle, polar angle, transverse length (mm). */
function edgeDirections(graph: Pick<Graph, 'nodeFeatures' | 'src' | 'dst'>): {
  phiT: Float64Array;
  theta: Float64Array;
  rho: Float64Array;
} {
  const { src, dst, nodeFeatures: nf } = graph;
  const n = nf.length / NODE_FEATURES;
  const m = src.length;
  const x = f64(0, n);
  const y = f64(1, n);
  const z = f64(2, n);
  for (let i = 0; i < n; i++) {
    const r = nf[i * NODE_FEATURES + NODE_R] * R_SCALE_MM;
    const phi = nf[i * NODE_FEATURES + NODE_PHI] * Math.PI;
    x[i] = r * Math.cos(phi);
    y[i] = r * Math.sin(phi);
    z[i] = nf[i * NODE_FEATURES + NODE_Z] * Z_SCALE_MM;
  }
  const phiT = f64(3, m);
  const theta = f64(4, m);
  const rho = f64(5, m);
  for (let e = 0; e < m; e++) {
    const a = src[e];
    const b = dst[e];
    const dx = x[b] - x[a];
    const dy = y[b] - y[a];
    rho[e] = Math.sqrt(dx * dx + dy * dy);
    phiT[e] = Math.atan2(dy, dx);
    theta[e] = Math.atan2(rho[e], z[b] - z[a]);
  }
  return { phiT, theta, rho };
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
  const { src, dst } = graph;
  const n = graph.nodeFeatures.length / NODE_FEATURES;
  const m = src.length;
  const { phiT, theta, rho } = edgeDirections(graph);
  const { outStart, inStart, outEdges, inEdges } = edgeLists(src, dst, n);
  // The outgoing edges' directions and their incoming-side best, in outEdges order: the inner loop below reads
  // them one after the other instead of at scattered edge rows (the same values, so the same result bit for bit).
  const thetaO = f64(6, m);
  const phiO = f64(7, m);
  const rhoO = f64(8, m);
  for (let b = 0; b < m; b++) {
    const v = outEdges[b];
    thetaO[b] = theta[v];
    phiO[b] = phiT[v];
    rhoO[b] = rho[v];
  }
  // Best cost so far per edge and side (in: the edge is v, kept by v's place b in outEdges; out: the edge is u); no
  // neighbour: NONE, has = 0.
  const bestInO = f64(9, m).fill(Infinity);
  const inDThetaO = f64(10, m);
  const inKappaO = f64(11, m);
  for (let e = 0; e < m; e++) {
    const o = e * stride + column;
    out[o] = out[o + 1] = out[o + 2] = out[o + 3] = NONE;
    out[o + 5] = 0;
  }
  for (let j = 0; j < n; j++) {
    const b0 = outStart[j];
    const b1 = outStart[j + 1];
    if (b0 === b1) continue;
    for (let a = inStart[j]; a < inStart[j + 1]; a++) {
      const u = inEdges[a];
      const thetaU = theta[u];
      const phiU = phiT[u];
      const rhoU = rho[u];
      let bestOut = Infinity;
      let outDTheta = 0;
      let outKappa = 0;
      for (let b = b0; b < b1; b++) {
        const dTheta = (thetaO[b] - thetaU) / DTHETA_SCALE_RAD;
        const kappa = ((2 * wrapPhi(phiO[b] - phiU)) / (rhoU + rhoO[b] + 1e-6)) * RADIUS_1GEV_MM;
        const c = Math.abs(dTheta) + 3 * Math.max(0, Math.abs(kappa) - maxKappa);
        if (c < bestInO[b]) {
          bestInO[b] = c;
          inDThetaO[b] = dTheta;
          inKappaO[b] = kappa;
        }
        if (c < bestOut) {
          bestOut = c;
          outDTheta = dTheta;
          outKappa = kappa;
        }
      }
      if (bestOut === Infinity) continue;
      const ou = u * stride + column;
      out[ou + 2] = clip(outDTheta);
      out[ou + 3] = clip(outKappa);
      out[ou + 5] = 1;
    }
  }
  for (let b = 0; b < m; b++) {
    const ov = outEdges[b] * stride + column;
    out[ov + 4] = bestInO[b] < Infinity ? 1 : 0;
    if (bestInO[b] === Infinity) continue;
    out[ov] = clip(inDThetaO[b]);
    out[ov + 1] = clip(inKappaO[b]);
  }
  return out;
}
