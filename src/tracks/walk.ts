// GNN-only track building, "CC + walk" (as ACORN's CC-and-walk and Exa.TrkX's walkthrough): connected components
// of the edges at or above the working threshold; a component that looks like one particle (on every layer its hits
// lie close together: one hit, or the two of a module overlap) is a track as it stands. The hits of the other
// components are walked: from the innermost hit not yet taken, step to the best-scored next hit — when several score
// within `tieScore` of the best, the helix through the last two hits picks the one it runs into most smoothly — but
// only while that step is about the best way into the next hit (so a noise hit cannot lead a walk onto a track).
// Hits a walk leaves next to one of its hits on the same layer (module overlaps) join that track. The helix is only a
// tie-break: no seeding, no extrapolation, no hit the scored graph does not join.
import { z } from 'zod';
import type { Graph } from '../graph/graph.ts';
import { nodePositionsMm } from './node-positions.ts';
import { UnionFind } from './union-find.ts';

export const walkConfigSchema = z.strictObject({
  /** Edges a walk may take inside merged components (below the working threshold: a low edge can still be the
   * only way on). */
  minScore: z.number().min(0).max(1).default(0.1),
  /** Next-hit candidates scoring within this of the best are ties, decided by the helix. */
  tieScore: z.number().min(0).max(1).default(0.05),
  /** A walk step a→b needs score(a→b) ≥ (best score into b from a hit not yet taken) − this. */
  inSlack: z.number().min(0).max(1).default(0.05),
  /** Walks with fewer hits are undone (their hits may still join a track as overlap hits). */
  minHits: z.number().int().min(2).default(3),
  /** A component is one particle when, on every layer, its hits lie within this distance (mm) of the first one
   * seen there (module overlaps, double-sided layers); also the reach of an overlap hit to its track's hit. */
  sameLayerMaxMm: z.number().positive().default(20),
});
export type WalkConfig = z.output<typeof walkConfigSchema>;

/** What the walk needs of a graph. */
export type WalkGraph = Pick<Graph, 'hitId' | 'layer' | 'nodeFeatures' | 'src' | 'dst'>;

/** Transverse radius of a 1 GeV track in 2 T, mm (curvature × this = 1 at 1 GeV). */
const RADIUS_1GEV_MM = 1667;
/** Polar-angle change that counts as much as a 1 GeV change of curvature in the tie-break, rad. */
const DTHETA_SCALE_RAD = 0.01;

/** Signed curvature (1/mm) of the transverse circle through a, b, c, and the polar-angle change b→c vs a→b. */
function tripletShape(xyz: Float64Array, a: number, b: number, c: number, out: Float64Array): void {
  const ax = xyz[3 * a],
    ay = xyz[3 * a + 1],
    az = xyz[3 * a + 2];
  const bx = xyz[3 * b],
    by = xyz[3 * b + 1],
    bz = xyz[3 * b + 2];
  const cx = xyz[3 * c],
    cy = xyz[3 * c + 1],
    cz = xyz[3 * c + 2];
  const ux = bx - ax,
    uy = by - ay;
  const vx = cx - bx,
    vy = cy - by;
  const lu = Math.hypot(ux, uy);
  const lv = Math.hypot(vx, vy);
  const wx = cx - ax,
    wy = cy - ay;
  const lw = Math.hypot(wx, wy);
  // 2 sin(turn) / chord: the Menger curvature.
  out[0] = lu > 0 && lv > 0 && lw > 0 ? (2 * (ux * vy - uy * vx)) / (lu * lv * lw) : 0;
  out[1] = Math.atan2(lv, cz - bz) - Math.atan2(lu, bz - az);
}

/** One track label per node (dense), from scores over the graph's edges. */
export function ccWalk(
  graph: WalkGraph,
  scores: Float32Array,
  threshold: number,
  config: WalkConfig,
): { label: Int32Array; count: number } {
  const n = graph.hitId.length;
  const { src, dst, layer } = graph;
  const m = src.length;
  const xyz = nodePositionsMm(graph);
  const maxD2 = config.sameLayerMaxMm ** 2;
  const dist2 = (i: number, j: number): number => {
    const dx = xyz[3 * i] - xyz[3 * j],
      dy = xyz[3 * i + 1] - xyz[3 * j + 1],
      dz = xyz[3 * i + 2] - xyz[3 * j + 2];
    return dx * dx + dy * dy + dz * dz;
  };

  // 1. Components of the edges ≥ threshold; the clean ones are tracks.
  const cc = new UnionFind(n);
  for (let e = 0; e < m; e++) if (scores[e] >= threshold) cc.union(src[e], dst[e]);
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = cc.find(i);
  // Nodes grouped by component (counting sort over roots).
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[root[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[root[i]]++] = i;
  const open = new Uint8Array(n);
  const seenLayer = new Int32Array(256).fill(-1);
  for (let c = 0; c < n; c++) {
    const a = start[c],
      b = start[c + 1];
    if (b - a < 3) continue;
    let clean = true;
    for (let k = a; k < b && clean; k++) {
      const i = members[k];
      const l = layer[i];
      if (seenLayer[l] < 0) seenLayer[l] = i;
      else clean = dist2(seenLayer[l], i) <= maxD2;
    }
    for (let k = a; k < b; k++) seenLayer[layer[members[k]]] = -1;
    if (!clean) for (let k = a; k < b; k++) open[members[k]] = 1;
  }

  // 2. Walks over the open nodes: out-edges ≥ minScore between open nodes, CSR by source.
  const track = new Int32Array(n).fill(-1); // walk track of an open node (−1: none yet)
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  let nOpenEdges = 0;
  for (let e = 0; e < m; e++)
    if (scores[e] >= config.minScore && open[src[e]] && open[dst[e]]) {
      outStart[src[e] + 1]++;
      inStart[dst[e] + 1]++;
      nOpenEdges++;
    }
  for (let i = 0; i < n; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outEdge = new Int32Array(nOpenEdges);
  const inEdge = new Int32Array(nOpenEdges);
  const of = outStart.slice(0, n);
  const inf = inStart.slice(0, n);
  for (let e = 0; e < m; e++)
    if (scores[e] >= config.minScore && open[src[e]] && open[dst[e]]) {
      outEdge[of[src[e]]++] = e;
      inEdge[inf[dst[e]]++] = e;
    }
  // Open nodes from the inside out (distance from the origin: edges run inner → outer).
  const openNodes: number[] = [];
  for (let i = 0; i < n; i++) if (open[i]) openNodes.push(i);
  const d2o = (i: number): number => xyz[3 * i] ** 2 + xyz[3 * i + 1] ** 2 + xyz[3 * i + 2] ** 2;
  const dist0 = new Float64Array(n);
  for (const i of openNodes) dist0[i] = d2o(i);
  openNodes.sort((p, q) => dist0[p] - dist0[q]);

  let nWalks = 0;
  const path: number[] = [];
  const onPathLayer = new Uint8Array(256);
  const shape = new Float64Array(2);
  /** Best score into `b` from an open node not yet on a track (other than `from`). */
  const bestIn = (b: number): number => {
    let best = -1;
    for (let k = inStart[b]; k < inStart[b + 1]; k++) {
      const e = inEdge[k];
      if (track[src[e]] < 0 && scores[e] > best) best = scores[e];
    }
    return best;
  };
  for (const s of openNodes) {
    if (track[s] >= 0) continue;
    path.length = 0;
    path.push(s);
    track[s] = nWalks;
    onPathLayer[layer[s]] = 1;
    let prev = -1;
    let cur = s;
    let prevKappa = NaN;
    for (;;) {
      // Best candidate score among open, untaken next hits on layers the path has not crossed.
      let best = -1;
      for (let k = outStart[cur]; k < outStart[cur + 1]; k++) {
        const e = outEdge[k];
        const d = dst[e];
        if (track[d] < 0 && !onPathLayer[layer[d]] && scores[e] > best) best = scores[e];
      }
      if (best < 0) break;
      let next = -1;
      let nextScore = -1;
      let bestCost = Infinity;
      let nextKappa = NaN;
      for (let k = outStart[cur]; k < outStart[cur + 1]; k++) {
        const e = outEdge[k];
        const d = dst[e];
        if (track[d] >= 0 || onPathLayer[layer[d]] || scores[e] < best - config.tieScore) continue;
        if (scores[e] < bestIn(d) - config.inSlack) continue;
        let cost = -scores[e]; // without a previous hit: the best score
        let kappa = NaN;
        if (prev >= 0) {
          tripletShape(xyz, prev, cur, d, shape);
          kappa = shape[0];
          // Helix tie-break: smooth in r–z, and the same curvature as the previous triplet (or a small one).
          const dk = Number.isNaN(prevKappa) ? Math.abs(kappa) : Math.abs(kappa - prevKappa);
          cost = Math.abs(shape[1]) / DTHETA_SCALE_RAD + dk * RADIUS_1GEV_MM;
        }
        if (cost < bestCost) {
          bestCost = cost;
          next = d;
          nextScore = scores[e];
          nextKappa = kappa;
        }
      }
      if (next < 0 || nextScore < 0) break;
      path.push(next);
      onPathLayer[layer[next]] = 1;
      prev = cur;
      cur = next;
      prevKappa = nextKappa;
      // Claim the hit now so that later bestIn() checks on this walk ignore edges from it.
      track[next] = nWalks;
    }
    for (const i of path) onPathLayer[layer[i]] = 0;
    if (path.length >= config.minHits) nWalks++;
    else {
      for (let k = 1; k < path.length; k++) track[path[k]] = -1;
      track[s] = -2; // walked from, too short: free for the overlap step, never a walk's start again
    }
  }

  // 3. Open hits left over: join the track of a neighbour (edge ≥ minScore either way) that has a hit on the same
  // layer close by (the second hit of a module overlap); the best-scored such edge wins.
  const attachTo = new Int32Array(n).fill(-1);
  const attachScore = new Float32Array(n).fill(-1);
  for (const i of openNodes) {
    if (track[i] >= 0) continue;
    const consider = (j: number, s: number): void => {
      const t = track[j];
      if (t < 0 || s <= attachScore[i]) return;
      // Same-layer hit of track t next to i: among j's neighbours on t (and j itself).
      let ok = false;
      for (let k = outStart[j]; k < outStart[j + 1] && !ok; k++) {
        const o = dst[outEdge[k]];
        ok = track[o] === t && layer[o] === layer[i] && dist2(o, i) <= maxD2;
      }
      for (let k = inStart[j]; k < inStart[j + 1] && !ok; k++) {
        const o = src[inEdge[k]];
        ok = track[o] === t && layer[o] === layer[i] && dist2(o, i) <= maxD2;
      }
      if (!ok) return;
      attachScore[i] = s;
      attachTo[i] = t;
    };
    for (let k = outStart[i]; k < outStart[i + 1]; k++) consider(dst[outEdge[k]], scores[outEdge[k]]);
    for (let k = inStart[i]; k < inStart[i + 1]; k++) consider(src[inEdge[k]], scores[inEdge[k]]);
  }
  for (const i of openNodes) if (track[i] < 0 && attachTo[i] >= 0) track[i] = attachTo[i];

  // Labels: settled components as they are, walked tracks by walk, the rest alone.
  const uf = new UnionFind(n);
  for (let i = 0; i < n; i++) if (!open[i]) uf.union(root[i], i);
  const firstOfTrack = new Int32Array(nWalks).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = open[i] ? track[i] : -1;
    if (t < 0) continue;
    if (firstOfTrack[t] < 0) firstOfTrack[t] = i;
    else uf.union(firstOfTrack[t], i);
  }
  return uf.labels();
}
