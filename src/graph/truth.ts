// Edge truth: which node pairs are true consecutive segments. Hits of a particle are ordered by their true distance
// from its production vertex (monotonic along a helix for the first half turn, the Exa.TrkX convention), grouped
// into runs on one layer (module overlaps give two hits on a layer), and a true segment joins every hit of a run
// to every hit of the next run. Two hits of one run are never a segment: they sit side by side, not one after
// the other.
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Particles, Truth } from '../trackml/types.ts';
import type { NodeTruth } from './graph.ts';

/**
 * Per-node truth for the nodes `nodeHitId` (with `nodeLayer` their layer index). Only these nodes count: in
 * pixel-only mode, consecutive means consecutive among the particle's pixel hits.
 */
export function computeNodeTruth(
  nodeHitId: Uint32Array,
  nodeLayer: ArrayLike<number>,
  truth: Truth,
  particles: Particles | undefined,
): NodeTruth {
  const n = nodeHitId.length;
  const truthRowOf = hitRowLookup(truth.hitId);
  const particleRowOf = new Map<bigint, number>();
  if (particles) for (let i = 0; i < particles.particleId.length; i++) particleRowOf.set(particles.particleId[i], i);

  const particleId = new BigUint64Array(n);
  const particle = new Int32Array(n).fill(-1);
  const rank = new Int32Array(n).fill(-1);
  const ptGeV = new Float32Array(n);
  const vertexRMm = new Float32Array(n);
  const distMm = new Float64Array(n);
  const dense = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const t = truthRowOf(nodeHitId[i]);
    if (t < 0) continue; // a hit without a truth row is treated as noise
    const pid = truth.particleId[t];
    particleId[i] = pid;
    if (pid === 0n) continue;
    let p = dense.get(pid);
    if (p === undefined) {
      p = dense.size;
      dense.set(pid, p);
    }
    particle[i] = p;
    const prow = particleRowOf.get(pid);
    let vx = 0;
    let vy = 0;
    let vz = 0;
    if (prow !== undefined && particles) {
      vx = particles.vx[prow];
      vy = particles.vy[prow];
      vz = particles.vz[prow];
      ptGeV[i] = Math.hypot(particles.px[prow], particles.py[prow]);
    } else {
      ptGeV[i] = Math.hypot(truth.tpx[t], truth.tpy[t]);
    }
    vertexRMm[i] = Math.hypot(vx, vy);
    distMm[i] = Math.hypot(truth.tx[t] - vx, truth.ty[t] - vy, truth.tz[t] - vz);
  }

  // Counting sort of nodes by particle, then insertion sort by distance within each (a few hits per particle).
  const nParticles = dense.size;
  const start = new Int32Array(nParticles + 1);
  for (let i = 0; i < n; i++) if (particle[i] >= 0) start[particle[i] + 1]++;
  for (let p = 0; p < nParticles; p++) start[p + 1] += start[p];
  const fill = start.slice(0, nParticles);
  const order = new Int32Array(start[nParticles]);
  for (let i = 0; i < n; i++) if (particle[i] >= 0) order[fill[particle[i]]++] = i;
  for (let p = 0; p < nParticles; p++) {
    const lo = start[p];
    const hi = start[p + 1];
    for (let k = lo + 1; k < hi; k++) {
      const v = order[k];
      const d = distMm[v];
      let j = k - 1;
      while (j >= lo && distMm[order[j]] > d) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
    let r = -1;
    let prevLayer = -1;
    for (let k = lo; k < hi; k++) {
      const v = order[k];
      if (nodeLayer[v] !== prevLayer) {
        r++;
        prevLayer = nodeLayer[v];
      }
      rank[v] = r;
    }
  }
  return { particleId, particle, rank, ptGeV, vertexRMm };
}

/** Edge labels: 1 where both ends belong to the same particle and their ranks differ by exactly one. */
export function labelEdges(src: Uint32Array, dst: Uint32Array, truth: NodeTruth): Uint8Array {
  const y = new Uint8Array(src.length);
  const { particle, rank } = truth;
  for (let e = 0; e < src.length; e++) {
    const a = src[e];
    const b = dst[e];
    if (particle[a] >= 0 && particle[a] === particle[b] && Math.abs(rank[a] - rank[b]) === 1) y[e] = 1;
  }
  return y;
}

/** Enumerates all true segments (inner node, outer node) of `truth`: every node of rank k with every node of
 * rank k+1 of the same particle. */
export function trueSegments(truth: NodeTruth): { src: Uint32Array; dst: Uint32Array } {
  const n = truth.particle.length;
  // Sort nodes by (particle, rank) with a key sort; ranks are < 2^16 in any real event.
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (truth.particle[i] >= 0) idx.push(i);
  idx.sort((a, b) => truth.particle[a] - truth.particle[b] || truth.rank[a] - truth.rank[b]);
  const src: number[] = [];
  const dst: number[] = [];
  let runStart = 0;
  while (runStart < idx.length) {
    // [runStart, runEnd): one (particle, rank) group; [runEnd, nextEnd): the following group.
    const p = truth.particle[idx[runStart]];
    const r = truth.rank[idx[runStart]];
    let runEnd = runStart;
    while (runEnd < idx.length && truth.particle[idx[runEnd]] === p && truth.rank[idx[runEnd]] === r) runEnd++;
    let nextEnd = runEnd;
    while (nextEnd < idx.length && truth.particle[idx[nextEnd]] === p && truth.rank[idx[nextEnd]] === r + 1) nextEnd++;
    for (let a = runStart; a < runEnd; a++)
      for (let b = runEnd; b < nextEnd; b++) {
        src.push(idx[a]);
        dst.push(idx[b]);
      }
    runStart = runEnd;
  }
  return { src: Uint32Array.from(src), dst: Uint32Array.from(dst) };
}
